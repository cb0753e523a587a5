//! `application/x-www-form-urlencoded` bodies and query strings, as RFC 6749
//! Appendix B requires (the WHATWG URL Standard's algorithm), plus the RFC 6749
//! Appendix B rule for client credentials in HTTP Basic authentication.
//!
//! Encoding uses the `form_urlencoded` crate. Parsing follows the same WHATWG
//! algorithm (<https://url.spec.whatwg.org/#urlencoded-parsing>) but is strict where
//! `form_urlencoded::parse` is lossy: a name or value whose percent-decoded bytes are
//! not UTF-8 is an error here instead of being patched with U+FFFD, so a token or
//! code can never be silently altered. On valid input the two agree (tested).
//!
//! Q: what about an invalid percent sequence such as `%zz` or a trailing `%`?
//! A: the WHATWG algorithm keeps such bytes as they are (`%zz` decodes to `%zz`),
//! and so do we; only invalid UTF-8 is refused.

use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::Encoding as _;
use core::fmt;

/// Why a form body, query string or credential could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormError {
    /// A parameter appears more than once (RFC 6749 §3.1, §3.2: "parameters MUST NOT
    /// be included more than once"). Holds the parameter's name.
    DuplicateParameter(String),
    /// The percent-decoded bytes of a parameter's name or value are not UTF-8.
    /// Holds the zero-based index of the offending pair (never its content).
    InvalidUtf8 {
        /// Index of the pair in the body, counting non-empty `&`-separated pieces.
        pair: usize,
    },
    /// The URL has a fragment, which RFC 6749 §3.1 (authorization endpoint) and
    /// §3.1.2 (redirection endpoint) forbid.
    FragmentNotAllowed,
    /// The `Authorization` header is not `Basic` with base64 of `id:secret`
    /// (RFC 7617 §2, RFC 6749 §2.3.1).
    InvalidBasicCredentials,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateParameter(name) => write!(
                f,
                "parameter {name:?} included more than once (RFC 6749 §3.1, §3.2)"
            ),
            Self::InvalidUtf8 { pair } => write!(
                f,
                "form parameter #{pair} is not UTF-8 after percent-decoding (RFC 6749 Appendix B)"
            ),
            Self::FragmentNotAllowed => {
                f.write_str("endpoint URI must not include a fragment (RFC 6749 §3.1, §3.1.2)")
            }
            Self::InvalidBasicCredentials => {
                f.write_str("invalid HTTP Basic client credentials (RFC 7617 §2, RFC 6749 §2.3.1)")
            }
        }
    }
}

impl core::error::Error for FormError {}

/// Encodes `pairs` as `application/x-www-form-urlencoded` (RFC 6749 Appendix B):
/// space becomes `+`; every byte except `A-Z a-z 0-9 * - . _` is percent-encoded.
#[must_use]
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    let mut b = FormBuilder::new();
    for (k, v) in pairs {
        b.append(k, v);
    }
    b.finish()
}

/// Builds an `application/x-www-form-urlencoded` string pair by pair.
///
/// ```
/// # use oauth_core::encoding::form::FormBuilder;
/// let mut form = FormBuilder::new();
/// form.append("grant_type", "authorization_code").append("code", "a b&c");
/// assert_eq!(form.finish(), "grant_type=authorization_code&code=a+b%26c");
/// ```
pub struct FormBuilder(form_urlencoded::Serializer<'static, String>);

/// Values can hold secrets: nothing of the content is printed.
impl fmt::Debug for FormBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormBuilder(..)")
    }
}

impl FormBuilder {
    /// An empty form.
    #[must_use]
    pub fn new() -> Self {
        Self(form_urlencoded::Serializer::new(String::new()))
    }

    /// Appends `name=value`.
    pub fn append(&mut self, name: &str, value: &str) -> &mut Self {
        self.0.append_pair(name, value);
        self
    }

    /// Appends `name=value` when `value` is `Some`.
    pub fn append_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.0.append_pair(name, v);
        }
        self
    }

    /// The encoded form.
    #[must_use]
    pub fn finish(mut self) -> String {
        self.0.finish()
    }
}

impl Default for FormBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// Decoded parameters of a form body or query string, in their original order.
///
/// Lookups refuse repeated parameters (RFC 6749 §3.1, §3.2), so a caller cannot
/// accidentally act on the first of two conflicting values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FormParams {
    pairs: Vec<(String, String)>,
}

impl FormParams {
    /// The value of `name`, or `None` when absent.
    ///
    /// An empty value (`name=` or bare `name`) is returned as `Some("")`; per RFC
    /// 6749 §3.1 ("parameters sent without a value MUST be treated as if they were
    /// omitted") callers that read OAuth parameters should prefer
    /// [`FormParams::get_non_empty`].
    ///
    /// # Errors
    /// [`FormError::DuplicateParameter`] when `name` appears more than once (RFC
    /// 6749 §3.1, §3.2).
    pub fn get(&self, name: &str) -> Result<Option<&str>, FormError> {
        let mut found = None;
        for (k, v) in &self.pairs {
            if k == name {
                if found.is_some() {
                    return Err(FormError::DuplicateParameter(name.to_owned()));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found)
    }

    /// As [`FormParams::get`], but an empty value counts as absent (RFC 6749 §3.1).
    ///
    /// # Errors
    /// [`FormError::DuplicateParameter`] when `name` appears more than once, even if
    /// some occurrences are empty.
    pub fn get_non_empty(&self, name: &str) -> Result<Option<&str>, FormError> {
        Ok(self.get(name)?.filter(|v| !v.is_empty()))
    }

    /// Every value of `name`, in order (for the few parameters that may repeat,
    /// such as `resource` in RFC 8707 §2).
    pub fn get_all<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `true` when `name` appears at least once.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// Checks that no parameter name appears twice, except those in `repeatable`.
    ///
    /// # Errors
    /// [`FormError::DuplicateParameter`] naming the first repeated parameter.
    pub fn ensure_no_duplicates(&self, repeatable: &[&str]) -> Result<(), FormError> {
        for (i, (k, _)) in self.pairs.iter().enumerate() {
            if repeatable.contains(&k.as_str()) {
                continue;
            }
            let earlier = self.pairs.get(..i).unwrap_or_default();
            if earlier.iter().any(|(e, _)| e == k) {
                return Err(FormError::DuplicateParameter(k.clone()));
            }
        }
        Ok(())
    }

    /// All pairs, in order, duplicates included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of pairs, duplicates included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// `true` when there are no pairs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Values can hold secrets (`client_secret`, `code`, `refresh_token`): only names
/// are printed.
impl fmt::Debug for FormParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormParams")
            .field(
                "names",
                &self.pairs.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Parses an `application/x-www-form-urlencoded` body (the WHATWG algorithm that
/// RFC 6749 Appendix B names).
///
/// Empty pieces (`a=1&&b=2`) are skipped, a piece without `=` is a name with an
/// empty value, `+` decodes to a space, `%XX` to its byte, and an invalid percent
/// sequence is kept as it is. Duplicates are kept here and refused by
/// [`FormParams::get`].
///
/// Pair: [`encode_form`].
///
/// # Errors
/// [`FormError::InvalidUtf8`] when a decoded name or value is not UTF-8.
pub fn parse_form(body: &[u8]) -> Result<FormParams, FormError> {
    let mut pairs = Vec::new();
    for (index, piece) in body
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let (name, value) = match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (
                piece.get(..eq).unwrap_or_default(),
                piece.get(eq + 1..).unwrap_or_default(),
            ),
            None => (piece, &[][..]),
        };
        let err = || FormError::InvalidUtf8 { pair: index };
        pairs.push((
            decode(name).ok_or_else(err)?,
            decode(value).ok_or_else(err)?,
        ));
    }
    Ok(FormParams { pairs })
}

/// Parses the query component of a URL (without the `?`), e.g. the query of a
/// redirect to the client (RFC 6749 §4.1.2).
///
/// # Errors
/// As [`parse_form`].
pub fn query_pairs(url_query: &str) -> Result<FormParams, FormError> {
    parse_form(url_query.as_bytes())
}

/// WHATWG percent-decoding after replacing `+` with a space, then strict UTF-8.
fn decode(input: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = input.get(i + 1).and_then(|&h| hex_val(h));
                let lo = input.get(i + 2).and_then(|&l| hex_val(l));
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                // WHATWG: a `%` not followed by two hex digits is kept as is.
                out.push(b'%');
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The value of one hexadecimal digit (`HEXDIG` of a percent-encoding, RFC 3986 §2.1),
/// either case; `None` for any other byte.
pub(crate) const fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `pairs` to the query of `url`, keeping any query it already has (RFC
/// 6749 §3.1: the endpoint's query "MUST be retained when adding additional query
/// parameters").
///
/// `url` is treated as a string: it is not otherwise validated or normalized.
///
/// # Errors
/// - [`FormError::FragmentNotAllowed`] when `url` contains `#` (RFC 6749 §3.1,
///   §3.1.2);
/// - [`FormError::DuplicateParameter`] when a name in `pairs` is already in the
///   query or repeats within `pairs` (RFC 6749 §3.1: no parameter more than once);
/// - [`FormError::InvalidUtf8`] when the existing query does not decode.
pub fn append_query(url: &str, pairs: &[(&str, &str)]) -> Result<String, FormError> {
    // RFC 6749 §3.1 / §3.1.2: "The endpoint URI MUST NOT include a fragment component."
    if url.contains('#') {
        return Err(FormError::FragmentNotAllowed);
    }
    let existing = match url.split_once('?') {
        Some((_, q)) => query_pairs(q)?,
        None => FormParams::default(),
    };
    for (i, (name, _)) in pairs.iter().enumerate() {
        let repeated = pairs
            .get(..i)
            .unwrap_or_default()
            .iter()
            .any(|(n, _)| n == name);
        if repeated || existing.contains(name) {
            return Err(FormError::DuplicateParameter((*name).to_owned()));
        }
    }
    if pairs.is_empty() {
        return Ok(url.to_owned());
    }
    let mut out = String::with_capacity(url.len().saturating_add(pairs.len().saturating_mul(16)));
    out.push_str(url);
    match url.split_once('?') {
        None => out.push('?'),
        Some((_, q)) if !q.is_empty() && !q.ends_with('&') => out.push('&'),
        Some(_) => {}
    }
    out.push_str(&encode_form(pairs));
    Ok(out)
}

/// The `Authorization` header value for HTTP Basic client authentication: `Basic`
/// then base64 (standard alphabet, with padding, RFC 7617 §2) of
/// `urlencode(client_id) ":" urlencode(client_secret)`.
///
/// RFC 6749 §2.3.1: "The client identifier is encoded using the
/// `application/x-www-form-urlencoded` encoding algorithm per Appendix B, and the
/// encoded value is used as the username; the client password is encoded using
/// the same algorithm and used as the password." So a `:` in the id cannot
/// split the pair, and a space becomes `+`.
///
/// Pair: [`parse_basic_auth_credentials`].
///
/// # Security
/// The result carries the client secret: send it only over TLS and never log it.
#[must_use]
pub fn basic_auth_credentials(client_id: &str, client_secret: &str) -> String {
    let mut user_pass = String::new();
    user_pass.extend(form_urlencoded::byte_serialize(client_id.as_bytes()));
    user_pass.push(':');
    user_pass.extend(form_urlencoded::byte_serialize(client_secret.as_bytes()));
    let mut out = String::from("Basic ");
    out.push_str(&base64ct::Base64::encode_string(user_pass.as_bytes()));
    out
}

/// Client credentials read from an HTTP Basic `Authorization` header.
///
/// `Debug` prints the id only.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    /// The form-decoded client identifier.
    pub client_id: String,
    /// The form-decoded client secret.
    pub client_secret: String,
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Reads client credentials from an `Authorization` header value, the server-side
/// reverse of [`basic_auth_credentials`].
///
/// The scheme name is matched case-insensitively (RFC 9110 §11.1); the base64 is
/// decoded in constant time (base64ct, standard alphabet with padding); the part
/// before the first `:` is the id, the rest the secret, each form-decoded (RFC 6749
/// §2.3.1, Appendix B).
///
/// # Errors
/// [`FormError::InvalidBasicCredentials`] when the scheme is not `Basic`, the base64
/// or the inner UTF-8 is invalid, or there is no `:`.
pub fn parse_basic_auth_credentials(header_value: &str) -> Result<BasicCredentials, FormError> {
    let bad = || FormError::InvalidBasicCredentials;
    let (scheme, token) = header_value
        .trim_matches([' ', '\t'])
        .split_once(' ')
        .ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return Err(bad());
    }
    let decoded = base64ct::Base64::decode_vec(token.trim_start_matches(' ')).map_err(|_| bad())?;
    let colon = decoded.iter().position(|&b| b == b':').ok_or_else(bad)?;
    let id = decoded.get(..colon).ok_or_else(bad)?;
    let secret = decoded.get(colon + 1..).ok_or_else(bad)?;
    Ok(BasicCredentials {
        client_id: decode(id).ok_or_else(bad)?,
        client_secret: decode(secret).ok_or_else(bad)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn encode_round_trip() {
        let pairs = [
            ("grant_type", "authorization_code"),
            ("redirect_uri", "https://client.example.com/cb?x=1&y=2"),
            ("scope", "openid profile"),
            ("weird name", "ü€ 𝄞 %+&=#"),
            ("empty", ""),
        ];
        let enc = encode_form(&pairs);
        assert_eq!(
            enc,
            "grant_type=authorization_code\
             &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb%3Fx%3D1%26y%3D2\
             &scope=openid+profile\
             &weird+name=%C3%BC%E2%82%AC+%F0%9D%84%9E+%25%2B%26%3D%23\
             &empty="
        );
        let parsed = parse_form(enc.as_bytes()).unwrap();
        assert!(parsed.iter().eq(pairs.iter().copied()));
        assert_eq!(parsed.len(), 5);
        assert!(!parsed.is_empty());
    }

    #[test]
    fn builder() {
        let mut b = FormBuilder::default();
        b.append("a", "1")
            .append_opt("b", None)
            .append_opt("c", Some("3"));
        assert_eq!(b.finish(), "a=1&c=3");
        assert_eq!(FormBuilder::new().finish(), "");
        assert_eq!(encode_form(&[]), "");
    }

    #[test]
    fn duplicates_are_refused_on_lookup() {
        let p = parse_form(b"code=a&state=s&code=b").unwrap();
        assert_eq!(
            p.get("code"),
            Err(FormError::DuplicateParameter("code".into()))
        );
        assert_eq!(p.get("state"), Ok(Some("s")));
        assert_eq!(p.get("missing"), Ok(None));
        assert_eq!(p.get_all("code").collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(
            p.ensure_no_duplicates(&[]),
            Err(FormError::DuplicateParameter("code".into()))
        );
        assert_eq!(p.ensure_no_duplicates(&["code"]), Ok(()));
        // a duplicate with an empty value is still a duplicate
        let p = parse_form(b"code=a&code=").unwrap();
        assert!(p.get_non_empty("code").is_err());
        // names are compared after decoding
        let p = parse_form(b"co%64e=a&code=b").unwrap();
        assert!(p.get("code").is_err());
    }

    #[test]
    fn empty_values_and_pieces() {
        let p = parse_form(b"&a=&b&=c&&d==&").unwrap();
        assert!(p.iter().eq([("a", ""), ("b", ""), ("", "c"), ("d", "=")]));
        assert_eq!(p.get("a"), Ok(Some("")));
        assert_eq!(p.get_non_empty("a"), Ok(None));
        assert_eq!(p.get_non_empty("d"), Ok(Some("=")));
        assert!(p.contains("b"));
        assert!(parse_form(b"").unwrap().is_empty());
        assert!(parse_form(b"&&&").unwrap().is_empty());
    }

    #[test]
    fn plus_is_space_and_percent_2b_is_plus() {
        let p = parse_form(b"scope=openid+email&x=a%2Bb&y=%20").unwrap();
        assert_eq!(p.get("scope"), Ok(Some("openid email")));
        assert_eq!(p.get("x"), Ok(Some("a+b")));
        assert_eq!(p.get("y"), Ok(Some(" ")));
    }

    #[test]
    fn invalid_percent_sequences_are_kept_as_is() {
        // WHATWG URL Standard, percent-decode: "%" not followed by two hex digits
        // is left alone.
        let p = parse_form(b"a=%zz&b=%&c=%4&d=100%&e=%%41&f=%4g").unwrap();
        assert!(p.iter().eq([
            ("a", "%zz"),
            ("b", "%"),
            ("c", "%4"),
            ("d", "100%"),
            ("e", "%A"),
            ("f", "%4g")
        ]));
        // lowercase hex decodes
        assert_eq!(parse_form(b"a=%c3%bc").unwrap().get("a"), Ok(Some("ü")));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(
            parse_form(b"a=1&b=%FF").unwrap_err(),
            FormError::InvalidUtf8 { pair: 1 }
        );
        assert_eq!(
            parse_form(b"%C3=1").unwrap_err(),
            FormError::InvalidUtf8 { pair: 0 }
        );
        // raw (not percent-encoded) invalid bytes too
        assert_eq!(
            parse_form(b"a=\xff").unwrap_err(),
            FormError::InvalidUtf8 { pair: 0 }
        );
        // overlong encoding of '/' and an encoded surrogate
        assert!(parse_form(b"a=%C0%AF").is_err());
        assert!(parse_form(b"a=%ED%A0%80").is_err());
        // the error does not echo the value
        let msg = alloc::format!("{}", parse_form(b"secret=%FFsecretvalue").unwrap_err());
        assert!(!msg.contains("secretvalue"));
    }

    #[test]
    fn agrees_with_form_urlencoded_on_valid_input() {
        let inputs: [&[u8]; 8] = [
            b"a=1&b=2",
            b"&a=&b&=c&&d==&",
            b"a=%zz&b=%&c=%4&d=100%&e=%%41",
            b"scope=openid+email&x=a%2Bb",
            b"k%C3%BC=%E2%82%AC+%F0%9D%84%9E",
            b"a=\xc3\xbc",
            b"=",
            b"a=b=c",
        ];
        for input in inputs {
            let ours = parse_form(input).unwrap();
            let theirs: Vec<_> = form_urlencoded::parse(input).collect();
            let theirs = theirs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
            assert!(ours.iter().eq(theirs), "{input:?}");
        }
    }

    #[test]
    fn query_pairs_reads_a_callback() {
        let p = query_pairs("code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&iss=https%3A%2F%2Fas.example")
            .unwrap();
        assert_eq!(p.get("code"), Ok(Some("SplxlOBeZQQYbYS6WxSbIA")));
        assert_eq!(p.get("iss"), Ok(Some("https://as.example")));
    }

    #[test]
    fn append_query_cases() {
        let pairs = [("response_type", "code"), ("state", "a b")];
        assert_eq!(
            append_query("https://as.example/authorize", &pairs).unwrap(),
            "https://as.example/authorize?response_type=code&state=a+b"
        );
        assert_eq!(
            append_query("https://as.example/authorize?tenant=x", &pairs).unwrap(),
            "https://as.example/authorize?tenant=x&response_type=code&state=a+b"
        );
        assert_eq!(
            append_query("https://as.example/authorize?", &pairs).unwrap(),
            "https://as.example/authorize?response_type=code&state=a+b"
        );
        assert_eq!(
            append_query("https://as.example/authorize?tenant=x&", &pairs).unwrap(),
            "https://as.example/authorize?tenant=x&response_type=code&state=a+b"
        );
        assert_eq!(
            append_query("https://a.example/?x=1", &[]).unwrap(),
            "https://a.example/?x=1"
        );
        assert_eq!(
            append_query("https://client.example/cb#frag", &pairs),
            Err(FormError::FragmentNotAllowed)
        );
        assert_eq!(
            append_query("https://client.example/cb#", &[]),
            Err(FormError::FragmentNotAllowed)
        );
        assert_eq!(
            append_query("https://client.example/cb?state=1", &pairs),
            Err(FormError::DuplicateParameter("state".into()))
        );
        assert_eq!(
            append_query("https://client.example/cb", &[("a", "1"), ("a", "2")]),
            Err(FormError::DuplicateParameter("a".into()))
        );
        assert_eq!(
            append_query("https://client.example/cb?x=%FF", &pairs),
            Err(FormError::InvalidUtf8 { pair: 0 })
        );
    }

    #[test]
    fn basic_auth_rfc6749_example() {
        // RFC 6749 §2.3.1 example credentials.
        let h = basic_auth_credentials("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw");
        assert_eq!(h, "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
        let c = parse_basic_auth_credentials(&h).unwrap();
        assert_eq!(c.client_id, "s6BhdRkqt3");
        assert_eq!(c.client_secret, "7Fjfp0ZBr1KtDRbnfVdmIw");
        assert!(!alloc::format!("{c:?}").contains("7Fjfp0ZBr1KtDRbnfVdmIw"));
    }

    #[test]
    fn basic_auth_encodes_special_characters_first() {
        let id = "my:client id%";
        let secret = "pä ss:w+rd/=";
        let h = basic_auth_credentials(id, secret);
        // urlencode first: ":" -> %3A, " " -> +, "%" -> %25, "ä" -> %C3%A4, "+" -> %2B
        let expected_inner = "my%3Aclient+id%25:p%C3%A4+ss%3Aw%2Brd%2F%3D";
        let expected = alloc::format!(
            "Basic {}",
            base64ct::Base64::encode_string(expected_inner.as_bytes())
        );
        assert_eq!(h, expected);
        // standard alphabet with padding (RFC 7617): length is a multiple of 4
        assert_eq!((h.len() - "Basic ".len()) % 4, 0);
        let c = parse_basic_auth_credentials(&h).unwrap();
        assert_eq!(
            (c.client_id.as_str(), c.client_secret.as_str()),
            (id, secret)
        );
    }

    #[test]
    fn parse_basic_auth_rejects() {
        for bad in [
            "",
            "Basic",
            "Bearer czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3",
            "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3=", // bad padding
            "Basic czZCaGRSa3F0Mw==",                              // "s6BhdRkqt3", no colon
            "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl",   // no padding
            "Basic /w==",                                          // 0xFF
            "Basic JUZGOng=",                                      // "%FF:x" -> not UTF-8
        ] {
            assert_eq!(
                parse_basic_auth_credentials(bad),
                Err(FormError::InvalidBasicCredentials),
                "{bad:?}"
            );
        }
        // case-insensitive scheme, empty secret allowed
        let c = parse_basic_auth_credentials("basic YTo=").unwrap();
        assert_eq!((c.client_id.as_str(), c.client_secret.as_str()), ("a", ""));
    }
}
