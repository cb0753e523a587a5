//! `WWW-Authenticate` challenges as a client reads them (RFC 9110 §11.6.1, RFC 6750 §3,
//! RFC 9449 §7.1, RFC 9728 §5.1).
//!
//! Grammar (RFC 9110 §11.6.1, §11.2, §5.6):
//! ```text
//! WWW-Authenticate = #challenge
//! challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! auth-param       = token BWS "=" BWS ( token / quoted-string )
//! token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! ```
//! A header may hold several challenges, and a response several headers; both are read
//! in order. Scheme and parameter names are case-insensitive; a parameter repeated in
//! one challenge is refused (RFC 9110 §11.2: "each parameter name MUST only occur once
//! per challenge"). For the `Bearer` and `DPoP` schemes the RFC 6750 §3 value rules are
//! enforced at parse time (no token68; `error`, `error_description`, `scope` made of
//! the allowed characters), so the typed accessors return checked text.
//!
//! The parser is strict and bounded ([`MAX_HEADER_LEN`], [`MAX_CHALLENGES`],
//! [`MAX_PARAMS`]): it returns a typed error for anything outside the grammar and
//! never panics.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::error::{ErrorCode, is_valid_error_text};
use crate::http::HttpResponse;

/// The longest `WWW-Authenticate` text read, in bytes, all header fields together.
pub const MAX_HEADER_LEN: usize = 16 * 1024;
/// The most challenges read from one response.
pub const MAX_CHALLENGES: usize = 32;
/// The most parameters in one challenge.
pub const MAX_PARAMS: usize = 32;

/// Why a `WWW-Authenticate` value was refused. Never echoes the header text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WwwAuthenticateError {
    /// Longer than [`MAX_HEADER_LEN`].
    TooLong,
    /// More than [`MAX_CHALLENGES`] challenges or more than [`MAX_PARAMS`] parameters.
    TooMany,
    /// Not the RFC 9110 §11.6.1 grammar; holds the byte offset where parsing stopped.
    Syntax {
        /// Byte offset into the (joined) header text.
        at: usize,
    },
    /// A parameter name occurs twice in one challenge (RFC 9110 §11.2).
    DuplicateParam,
    /// A `Bearer` or `DPoP` challenge in token68 form (RFC 6750 §3 allows auth-params only).
    Token68NotAllowed,
    /// An `error`, `error_description` or `error_uri` value with characters RFC 6750 §3
    /// does not allow.
    InvalidErrorText,
    /// A `scope` value that is not space-separated RFC 6749 §3.3 scope tokens.
    InvalidScope,
}

impl fmt::Display for WwwAuthenticateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => write!(
                f,
                "www-authenticate longer than {MAX_HEADER_LEN} bytes (bounded parser)"
            ),
            Self::TooMany => f.write_str("www-authenticate has too many challenges or parameters"),
            Self::Syntax { at } => {
                write!(
                    f,
                    "www-authenticate syntax error at byte {at} (RFC 9110 §11.6.1)"
                )
            }
            Self::DuplicateParam => {
                f.write_str("auth-param repeated in one challenge (RFC 9110 §11.2)")
            }
            Self::Token68NotAllowed => {
                f.write_str("bearer/dpop challenge must use auth-params, not token68 (RFC 6750 §3)")
            }
            Self::InvalidErrorText => f.write_str(
                "error, error_description or error_uri has disallowed characters (RFC 6750 §3)",
            ),
            Self::InvalidScope => {
                f.write_str("scope is not a list of scope tokens (RFC 6749 §3.3)")
            }
        }
    }
}

impl core::error::Error for WwwAuthenticateError {}

/// One challenge: a scheme with either a token68 or a list of parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    scheme: String,
    token68: Option<String>,
    /// Names lower-cased; values unquoted and unescaped.
    params: Vec<(String, String)>,
}

impl Challenge {
    /// The scheme as sent (compare with [`Challenge::is_scheme`]).
    #[must_use]
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Whether the scheme is `name`, case-insensitively (RFC 9110 §11.1).
    #[must_use]
    pub fn is_scheme(&self, name: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(name)
    }

    /// The token68 form's value, if the challenge used it.
    #[must_use]
    pub fn token68(&self) -> Option<&str> {
        self.token68.as_deref()
    }

    /// The value of parameter `name` (case-insensitive), unquoted and unescaped.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter as `(lower-case name, value)`, in order.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `realm` (RFC 9110 §11.5).
    #[must_use]
    pub fn realm(&self) -> Option<&str> {
        self.param("realm")
    }

    /// `error` (RFC 6750 §3, RFC 9449 §7.1), as sent.
    #[must_use]
    pub fn error(&self) -> Option<&str> {
        self.param("error")
    }

    /// `error` as a registered code, `None` when absent or unregistered.
    #[must_use]
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.error().and_then(ErrorCode::from_wire)
    }

    /// `error_description` (RFC 6750 §3): for developers, never shown to users as is.
    #[must_use]
    pub fn error_description(&self) -> Option<&str> {
        self.param("error_description")
    }

    /// `error_uri` (RFC 6750 §3).
    #[must_use]
    pub fn error_uri(&self) -> Option<&str> {
        self.param("error_uri")
    }

    /// `scope` (RFC 6750 §3): the space-separated scope string.
    #[must_use]
    pub fn scope(&self) -> Option<&str> {
        self.param("scope")
    }

    /// The scope tokens of `scope`, in order (empty when absent).
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope()
            .unwrap_or_default()
            .split(' ')
            .filter(|s| !s.is_empty())
    }

    /// `resource_metadata` (RFC 9728 §5.1): the protected resource metadata URL.
    #[must_use]
    pub fn resource_metadata(&self) -> Option<&str> {
        self.param("resource_metadata")
    }

    /// The `algs` of a `DPoP` challenge (RFC 9449 §7.1): space-separated JWS algorithms.
    pub fn algs(&self) -> impl Iterator<Item = &str> {
        self.param("algs")
            .unwrap_or_default()
            .split(' ')
            .filter(|s| !s.is_empty())
    }

    /// Renders the challenge in the RFC 9110 §11.6.1 syntax, every parameter value
    /// as a quoted-string. [`parse`] reads the result back to an equal challenge.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = self.scheme.clone();
        if let Some(t) = &self.token68 {
            out.push(' ');
            out.push_str(t);
            return out;
        }
        for (i, (k, v)) in self.params.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            out.push_str(k);
            out.push_str("=\"");
            for c in v.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        out
    }
}

/// The challenges of a response, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Challenges(Vec<Challenge>);

impl Challenges {
    /// All challenges.
    #[must_use]
    pub fn as_slice(&self) -> &[Challenge] {
        &self.0
    }

    /// The first challenge with scheme `name` (case-insensitive).
    #[must_use]
    pub fn find(&self, name: &str) -> Option<&Challenge> {
        self.0.iter().find(|c| c.is_scheme(name))
    }

    /// The first `Bearer` challenge (RFC 6750 §3).
    #[must_use]
    pub fn bearer(&self) -> Option<&Challenge> {
        self.find("Bearer")
    }

    /// The first `DPoP` challenge (RFC 9449 §7.1).
    #[must_use]
    pub fn dpop(&self) -> Option<&Challenge> {
        self.find("DPoP")
    }

    /// Whether there are no challenges.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of challenges.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Renders every challenge as one header value, comma-separated.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&c.render());
        }
        out
    }
}

impl<'a> IntoIterator for &'a Challenges {
    type Item = &'a Challenge;
    type IntoIter = core::slice::Iter<'a, Challenge>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Parses every `WWW-Authenticate` field of `resp`, in order (RFC 9110 §5.3: several
/// fields are one comma-separated list).
///
/// # Errors
/// As [`parse`]; the bounds apply to all fields together.
pub fn parse_response(resp: &HttpResponse) -> Result<Challenges, WwwAuthenticateError> {
    let mut out = Vec::new();
    let mut total = 0usize;
    for value in resp.headers_all("www-authenticate") {
        total = total.saturating_add(value.len());
        if total > MAX_HEADER_LEN {
            return Err(WwwAuthenticateError::TooLong);
        }
        Parser::new(value).run(&mut out)?;
    }
    Ok(Challenges(out))
}

/// Parses one `WWW-Authenticate` field value.
///
/// # Errors
/// [`WwwAuthenticateError`] naming the first rule broken.
pub fn parse(value: &str) -> Result<Challenges, WwwAuthenticateError> {
    if value.len() > MAX_HEADER_LEN {
        return Err(WwwAuthenticateError::TooLong);
    }
    let mut out = Vec::new();
    Parser::new(value).run(&mut out)?;
    Ok(Challenges(out))
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 9110 §11.2 token68 characters (before the trailing `=`s).
fn is_token68_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

/// RFC 6749 §3.3 / RFC 6750 §3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`,
/// separated by single spaces.
fn is_scope_list(s: &str) -> bool {
    !s.is_empty()
        && s.split(' ').all(|t| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
        })
}

struct Parser<'s> {
    s: &'s [u8],
    text: &'s str,
    pos: usize,
}

impl<'s> Parser<'s> {
    fn new(text: &'s str) -> Self {
        Self {
            s: text.as_bytes(),
            text,
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn syntax(&self) -> WwwAuthenticateError {
        WwwAuthenticateError::Syntax { at: self.pos }
    }

    /// RFC 9110 §5.6.3 OWS.
    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// RFC 9110 §5.6.1.2: recipients accept empty list elements.
    fn skip_ows_commas(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.pos += 1;
        }
    }

    fn at_element_end(&self) -> bool {
        matches!(self.peek(), None | Some(b','))
    }

    fn token(&mut self) -> Option<&'s str> {
        let start = self.pos;
        while self.peek().is_some_and(is_tchar) {
            self.pos += 1;
        }
        (self.pos > start)
            .then(|| self.text.get(start..self.pos))
            .flatten()
    }

    /// A token68 that fills the rest of the list element, or `None` (position kept).
    fn token68(&mut self) -> Option<&'s str> {
        let start = self.pos;
        while self.peek().is_some_and(is_token68_char) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        while self.peek() == Some(b'=') {
            self.pos += 1;
        }
        let end = self.pos;
        self.skip_ows();
        if self.at_element_end() {
            return self.text.get(start..end);
        }
        self.pos = start;
        None
    }

    /// RFC 9110 §5.6.4 quoted-string, unescaped.
    fn quoted(&mut self) -> Result<String, WwwAuthenticateError> {
        // Opening DQUOTE already checked by the caller.
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.syntax()),
                Some(b'"') => {
                    out.push_str(self.text.get(run..self.pos).ok_or_else(|| self.syntax())?);
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.text.get(run..self.pos).ok_or_else(|| self.syntax())?);
                    self.pos += 1;
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                    match self.peek() {
                        Some(b) if b == b'\t' || (0x20..0x7f).contains(&b) => {
                            out.push(char::from(b));
                            self.pos += 1;
                        }
                        // obs-text: a whole UTF-8 character follows.
                        Some(b) if b >= 0x80 => {}
                        _ => return Err(self.syntax()),
                    }
                    run = self.pos;
                }
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                Some(b) if b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80 => self.pos += 1,
                Some(_) => return Err(self.syntax()),
            }
        }
    }

    /// After a comma inside a challenge: does `token BWS "="` follow (another
    /// auth-param), rather than a new challenge's scheme? Position kept.
    fn param_follows(&mut self) -> bool {
        let save = self.pos;
        let is_param = self.token().is_some() && {
            self.skip_ows();
            self.peek() == Some(b'=')
        };
        self.pos = save;
        is_param
    }

    fn run(mut self, out: &mut Vec<Challenge>) -> Result<(), WwwAuthenticateError> {
        loop {
            self.skip_ows_commas();
            if self.peek().is_none() {
                return Ok(());
            }
            if out.len() >= MAX_CHALLENGES {
                return Err(WwwAuthenticateError::TooMany);
            }
            let scheme = self.token().ok_or_else(|| self.syntax())?;
            let mut challenge = Challenge {
                scheme: scheme.into(),
                token68: None,
                params: Vec::new(),
            };
            if !self.at_element_end() {
                // RFC 9110 §11.6.1: 1*SP between the scheme and its data.
                if self.peek() != Some(b' ') {
                    return Err(self.syntax());
                }
                self.skip_ows();
                if !self.at_element_end() {
                    if let Some(t) = self.token68() {
                        challenge.token68 = Some(t.into());
                    } else {
                        self.params(&mut challenge)?;
                    }
                }
            }
            check_scheme_rules(&challenge)?;
            out.push(challenge);
        }
    }

    fn params(&mut self, challenge: &mut Challenge) -> Result<(), WwwAuthenticateError> {
        loop {
            let name = self.token().ok_or_else(|| self.syntax())?;
            self.skip_ows();
            if self.peek() != Some(b'=') {
                return Err(self.syntax());
            }
            self.pos += 1;
            self.skip_ows();
            let value: String = if self.peek() == Some(b'"') {
                self.quoted()?
            } else {
                self.token().ok_or_else(|| self.syntax())?.into()
            };
            // RFC 9110 §11.2: each parameter name only once per challenge.
            if challenge
                .params
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(name))
            {
                return Err(WwwAuthenticateError::DuplicateParam);
            }
            if challenge.params.len() >= MAX_PARAMS {
                return Err(WwwAuthenticateError::TooMany);
            }
            challenge.params.push((name.to_ascii_lowercase(), value));
            self.skip_ows();
            match self.peek() {
                None => return Ok(()),
                Some(b',') => {}
                Some(_) => return Err(self.syntax()),
            }
            let save = self.pos;
            self.skip_ows_commas();
            if self.peek().is_none() || !self.param_follows() {
                // The next element is a new challenge (or nothing).
                self.pos = save;
                return Ok(());
            }
        }
    }
}

/// RFC 6750 §3 (and RFC 9449 §7.1, which reuses it for `DPoP`): the values a client acts on.
fn check_scheme_rules(c: &Challenge) -> Result<(), WwwAuthenticateError> {
    if !(c.is_scheme("Bearer") || c.is_scheme("DPoP")) {
        return Ok(());
    }
    if c.token68.is_some() {
        return Err(WwwAuthenticateError::Token68NotAllowed);
    }
    // RFC 6750 §3: error and error_uri have no spaces; error_description may.
    for (name, space) in [
        ("error", false),
        ("error_description", true),
        ("error_uri", false),
    ] {
        if let Some(v) = c.param(name)
            && (v.is_empty() || !is_valid_error_text(v, space))
        {
            return Err(WwwAuthenticateError::InvalidErrorText);
        }
    }
    if let Some(s) = c.scope()
        && !is_scope_list(s)
    {
        return Err(WwwAuthenticateError::InvalidScope);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9110_example_with_escapes() {
        // RFC 9110 §11.6.1.
        let c = parse(
            r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
        )
        .unwrap();
        assert_eq!(c.len(), 2);
        let a = &c.as_slice()[0];
        assert!(a.is_scheme("newauth"));
        assert_eq!(a.realm(), Some("apps"));
        assert_eq!(a.param("TYPE"), Some("1"));
        assert_eq!(a.param("title"), Some("Login to \"apps\""));
        assert_eq!(c.find("basic").unwrap().realm(), Some("simple"));
    }

    #[test]
    fn token68_and_bare_schemes() {
        let c = parse("Basic YWxhZGRpbjpvcGVuc2VzYW1l==, Negotiate, Bearer").unwrap();
        assert_eq!(
            c.as_slice()[0].token68(),
            Some("YWxhZGRpbjpvcGVuc2VzYW1l==")
        );
        assert!(c.as_slice()[1].is_scheme("negotiate"));
        assert!(c.bearer().unwrap().params().next().is_none());
        assert_eq!(parse("").unwrap().len(), 0);
        assert_eq!(parse(" , ,").unwrap().len(), 0);
    }

    #[test]
    fn syntax_errors_are_typed() {
        for bad in [
            "Bearer realm=\"x",
            "Bearer realm=\"a\" b",
            "Bearer =x",
            "\"Bearer\"",
            "Bearer\trealm=\"x\"",
            "Bearer realm=\"a\\\u{1}\"",
            "Bearer realm=\"\u{1}\"",
            "Bearer realm=a b",
        ] {
            assert!(
                matches!(parse(bad), Err(WwwAuthenticateError::Syntax { .. })),
                "{bad:?}: {:?}",
                parse(bad)
            );
        }
        assert_eq!(
            parse("Bearer realm=a, REALM=b"),
            Err(WwwAuthenticateError::DuplicateParam)
        );
        for t68 in ["Bearer abc", "Bearer realm="] {
            assert_eq!(parse(t68), Err(WwwAuthenticateError::Token68NotAllowed));
        }
        assert_eq!(
            parse("Bearer scope=\"a  b\""),
            Err(WwwAuthenticateError::InvalidScope)
        );
        assert_eq!(
            parse("DPoP error=\"a b\""),
            Err(WwwAuthenticateError::InvalidErrorText)
        );
    }
}
