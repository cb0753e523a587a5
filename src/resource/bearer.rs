//! Access-token extraction from a request (RFC 6750 §2, RFC 9449 §7.1).
//!
//! The core tier works on header values as `&str` and allocates nothing:
//! [`extract_credentials`] takes every `Authorization` and every `DPoP` header
//! value the request carried (so a repeated header is seen and refused) and
//! returns the borrowed token and proof. Under `alloc`,
//! [`extract_from_request`] also reads the form-body and query methods, which are
//! off by default ([`ExtractOptions`]): MCP forbids tokens in the query string,
//! and RFC 9700 §4.3.2 discourages both.

use core::fmt;

/// How the access token was presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenScheme {
    /// `Authorization: Bearer <token>` or a body/query parameter (RFC 6750 §2).
    Bearer,
    /// `Authorization: DPoP <token>` with a `DPoP` proof header (RFC 9449 §7.1).
    DPoP,
}

impl TokenScheme {
    /// The scheme's name as in challenges.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bearer => "Bearer",
            Self::DPoP => "DPoP",
        }
    }
}

/// Where the access token was found (the RFC 9728 `bearer_methods_supported` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenMethod {
    /// The `Authorization` header (RFC 6750 §2.1).
    Header,
    /// The `access_token` form-body parameter (RFC 6750 §2.2).
    Body,
    /// The `access_token` URI query parameter (RFC 6750 §2.3).
    Query,
}

/// Which presentation methods are accepted. The default accepts only the
/// `Authorization` header, with both the `Bearer` and the `DPoP` schemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct ExtractOptions {
    /// Accept `access_token` in an `application/x-www-form-urlencoded` body
    /// (RFC 6750 §2.2). Off by default.
    ///
    /// # Security
    /// Bodies are logged and cached less carefully than headers; only for clients
    /// that cannot set headers.
    pub allow_form_body: bool,
    /// Accept `access_token` in the query (RFC 6750 §2.3). Off by default, and
    /// forbidden by MCP ("MUST NOT put tokens in the query string").
    ///
    /// # Security
    /// URIs end up in logs, `Referer` headers and browser history (RFC 6750 §5.3).
    pub allow_query: bool,
    /// Accept `Authorization: DPoP` (RFC 9449 §7.1). On by default.
    pub allow_dpop: bool,
    /// Accept `Authorization: Bearer`. On by default; a resource that requires
    /// DPoP-bound tokens may turn it off.
    pub allow_bearer: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            allow_form_body: false,
            allow_query: false,
            allow_dpop: true,
            allow_bearer: true,
        }
    }
}

/// The credentials of a request: the access token, how it came, and the DPoP
/// proof when there is one. Borrowed from the request; `Debug` hides both.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Credentials<'a> {
    scheme: TokenScheme,
    method: TokenMethod,
    token: &'a str,
    dpop_proof: Option<&'a str>,
}

impl<'a> Credentials<'a> {
    /// The scheme the token was presented with.
    #[must_use]
    pub fn scheme(&self) -> TokenScheme {
        self.scheme
    }

    /// Where the token was found.
    #[must_use]
    pub fn method(&self) -> TokenMethod {
        self.method
    }

    /// The access token, syntax-checked (RFC 6750 §2.1 `b64token`) but not
    /// validated.
    #[must_use]
    pub fn token(&self) -> &'a str {
        self.token
    }

    /// The single `DPoP` header value, if any (a compact JWS by syntax, not yet
    /// verified).
    #[must_use]
    pub fn dpop_proof(&self) -> Option<&'a str> {
        self.dpop_proof
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("scheme", &self.scheme)
            .field("method", &self.method)
            .field("token", &"<redacted>")
            .field("dpop_proof", &self.dpop_proof.map(|_| "<redacted>"))
            .finish()
    }
}

/// Why no usable credentials were found. [`BearerError::is_missing`] says
/// which challenge answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BearerError {
    /// No `Authorization` header and no enabled other method: the answer is a
    /// 401 challenge without an error code (RFC 6750 §3.1).
    Missing,
    /// An `Authorization` header with a scheme this resource does not accept
    /// (e.g. `Basic`): treated as no credentials (RFC 6750 §3.1: "attempted using
    /// an unsupported authentication method").
    UnsupportedScheme,
    /// More than one `Authorization` header field (RFC 9110 §11.6.2 defines one
    /// credentials value per request).
    RepeatedAuthorization,
    /// The token came by more than one method, or a parameter was repeated
    /// (RFC 6750 §2: "MUST NOT use more than one method"; RFC 6749 §3.1).
    MultipleMethods,
    /// The `Authorization` value is not `scheme 1*SP token68` (RFC 9110 §11.4,
    /// RFC 6750 §2.1), or the token is empty or has characters outside `b64token`.
    MalformedAuthorization,
    /// A body or query token is not a `b64token` (RFC 6750 §2.1 syntax).
    MalformedToken,
    /// More than one `DPoP` header field (RFC 9449 §4.3 check 1).
    RepeatedDpopHeader,
    /// `Authorization: DPoP` without a `DPoP` proof header (RFC 9449 §7.1).
    MissingDpopProof,
    /// The `DPoP` header is not a compact JWS by syntax (RFC 9449 §4.3 check 2).
    MalformedDpopProof,
    /// A form-body token in a request that is not a single-part
    /// `application/x-www-form-urlencoded` body, or in a GET (RFC 6750 §2.2).
    InvalidBodyMethod,
}

impl fmt::Display for BearerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "no access token in the request (RFC 6750 §3.1)",
            Self::UnsupportedScheme => "unsupported authorization scheme (RFC 6750 §3.1)",
            Self::RepeatedAuthorization => {
                "more than one authorization header field (RFC 9110 §11.6.2)"
            }
            Self::MultipleMethods => "access token sent by more than one method (RFC 6750 §2)",
            Self::MalformedAuthorization => {
                "authorization header is not scheme SP token68 (RFC 6750 §2.1)"
            }
            Self::MalformedToken => "access token is not a b64token (RFC 6750 §2.1)",
            Self::RepeatedDpopHeader => "more than one dpop header field (RFC 9449 §4.3)",
            Self::MissingDpopProof => "dpop scheme without a dpop proof header (RFC 9449 §7.1)",
            Self::MalformedDpopProof => "dpop header is not a compact jws (RFC 9449 §4.3)",
            Self::InvalidBodyMethod => {
                "form-body token outside a single-part form post (RFC 6750 §2.2)"
            }
        })
    }
}

impl core::error::Error for BearerError {}

impl BearerError {
    /// `true` when the right answer is a challenge with no error code (the client
    /// sent nothing usable, RFC 6750 §3.1); otherwise `invalid_request` (400).
    #[must_use]
    pub fn is_missing(self) -> bool {
        matches!(self, Self::Missing | Self::UnsupportedScheme)
    }
}

/// A `token68` character other than `=` (RFC 9110 §11.2:
/// `ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/"`). Comparisons without
/// branches or table lookups, so that [`all_token68_chars`] checks 16 bytes at once.
#[inline(always)]
const fn is_token68_char(b: u8) -> bool {
    // `| 0x20` folds A-Z onto a-z and maps no other byte into a-z; `-` `.` `/`
    // and the digits are the one range 0x2D..=0x39.
    ((b | 0x20).wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'-') <= b'9' - b'-')
        | (b == b'_')
        | (b == b'~')
        | (b == b'+')
}

/// Whether every byte of `b` is an [`is_token68_char`].
///
/// Q: why chunks? A: this runs over every byte of every token presented (about
/// 400 per request): each 16-byte chunk is checked without an early exit, which
/// the compiler turns into vector compares, and the bytes after the last whole
/// chunk are checked as the (overlapping) last 16 bytes.
fn all_token68_chars(b: &[u8]) -> bool {
    const CHUNK: usize = 16;
    let chunk_ok = |c: &[u8]| c.iter().fold(true, |ok, &x| ok & is_token68_char(x));
    match b.len().checked_sub(CHUNK) {
        None => chunk_ok(b),
        Some(last) => {
            b.chunks_exact(CHUNK).all(chunk_ok) && chunk_ok(b.get(last..).unwrap_or_default())
        }
    }
}

/// RFC 6750 §2.1 / RFC 9110 §11.2 `token68`:
/// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
///
/// One pass over the bytes (the padding is found from the end): a valid
/// `token68` is ASCII, so it needs no UTF-8 check beyond the `&str` it arrives in.
#[must_use]
pub fn is_token68(s: &str) -> bool {
    let b = s.as_bytes();
    let padding = b.iter().rev().take_while(|&&x| x == b'=').count();
    let body = b.get(..b.len().saturating_sub(padding)).unwrap_or_default();
    !body.is_empty() && all_token68_chars(body)
}

/// RFC 7515 §7.1 syntax: base64url characters and exactly two dots (one pass).
fn is_compact_jws_syntax(s: &str) -> bool {
    let mut dots = 0usize;
    for b in s.bytes() {
        match b {
            b'.' => dots += 1,
            b'-' | b'_' => {}
            _ if b.is_ascii_alphanumeric() => {}
            _ => return false,
        }
    }
    !s.is_empty() && dots == 2
}

/// SP and HTAB: the whitespace trimmed from a field value (RFC 9110 §5.5 OWS).
const OWS: [char; 2] = [' ', '\t'];

/// Whether `v` begins with the auth-scheme `name` (case-insensitive, RFC 9110
/// §11.1), as a whole: followed by SP, HTAB or nothing.
fn has_scheme(v: &[u8], name: &[u8]) -> bool {
    v.get(..name.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(name))
        && matches!(v.get(name.len()), None | Some(b' ' | b'\t'))
}

/// The token68 of an `Authorization` value already trimmed of OWS, after its
/// scheme of `scheme_len` bytes (RFC 9110 §11.4:
/// `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`).
///
/// Q: how much whitespace? A: the grammar's: one or more SP between scheme and
/// token, nothing else (no HTAB, no trailing text). Leading and trailing OWS of
/// the field value belong to the HTTP layer (RFC 9110 §5.5) and are trimmed.
///
/// Q: and `Bearer<HTAB>x y`? A: refused: only SP may follow the scheme (HTAB
/// is not in `1*SP`, and `Bearer<HTAB>x` is no auth-scheme either).
fn token_after_scheme(v: &str, scheme_len: usize) -> Result<&str, BearerError> {
    let b = v.as_bytes();
    let after = b.get(scheme_len..).unwrap_or_default();
    // RFC 9110 §11.4: `1*SP` right after the scheme.
    if after.first() != Some(&b' ') {
        return Err(BearerError::MalformedAuthorization);
    }
    let spaces = after.iter().take_while(|&&c| c == b' ').count();
    // Every index here is at an ASCII byte or the end: a char boundary.
    let token = v
        .get(scheme_len + spaces..)
        .ok_or(BearerError::MalformedAuthorization)?;
    if is_token68(token) {
        Ok(token)
    } else {
        Err(BearerError::MalformedAuthorization)
    }
}

/// Extracts the credentials from the `Authorization` and `DPoP` header values of
/// a request (core tier: no allocation), with the header method only. Pass
/// every value of each header, in order.
///
/// Rules: at most one `Authorization` field; scheme compared case-insensitively
/// (RFC 9110 §11.1); token68 syntax; `DPoP` needs exactly one `DPoP` proof header.
///
/// # Errors
/// The [`BearerError`] naming the rule broken; [`BearerError::is_missing`] tells
/// a plain 401 from a 400.
pub fn extract_credentials<'a>(
    authorization: impl IntoIterator<Item = &'a str>,
    dpop: impl IntoIterator<Item = &'a str>,
    options: &ExtractOptions,
) -> Result<Credentials<'a>, BearerError> {
    let mut auth = authorization.into_iter();
    let first = auth.next();
    if auth.next().is_some() {
        return Err(BearerError::RepeatedAuthorization);
    }
    let proof = single_dpop(dpop)?;
    let Some(value) = first else {
        return Err(BearerError::Missing);
    };
    header_credentials(value, proof, options)
}

/// RFC 9449 §4.3 check 1: not more than one `DPoP` header field.
fn single_dpop<'a>(
    dpop: impl IntoIterator<Item = &'a str>,
) -> Result<Option<&'a str>, BearerError> {
    let mut it = dpop.into_iter();
    let proof = it.next();
    if it.next().is_some() {
        return Err(BearerError::RepeatedDpopHeader);
    }
    match proof.map(|p| p.trim_matches(OWS)) {
        Some(p) if !is_compact_jws_syntax(p) => Err(BearerError::MalformedDpopProof),
        p => Ok(p),
    }
}

fn header_credentials<'a>(
    value: &'a str,
    proof: Option<&'a str>,
    options: &ExtractOptions,
) -> Result<Credentials<'a>, BearerError> {
    let v = value.trim_matches(OWS);
    // The scheme: the text before the first SP or HTAB. Only a known scheme
    // makes a missing or malformed token a malformed request.
    let scheme = if options.allow_bearer && has_scheme(v.as_bytes(), b"bearer") {
        TokenScheme::Bearer
    } else if options.allow_dpop && has_scheme(v.as_bytes(), b"dpop") {
        TokenScheme::DPoP
    } else {
        return Err(BearerError::UnsupportedScheme);
    };
    let token = token_after_scheme(v, scheme.as_str().len())?;
    if scheme == TokenScheme::DPoP && proof.is_none() {
        return Err(BearerError::MissingDpopProof);
    }
    Ok(Credentials {
        scheme,
        method: TokenMethod::Header,
        token,
        dpop_proof: proof,
    })
}

/// Extracts the credentials of a received request by every method `options`
/// enables (`alloc`): the `Authorization` header, and when enabled the
/// `access_token` form-body parameter (POST/PUT/PATCH with a single-part
/// `application/x-www-form-urlencoded` body, RFC 6750 §2.2) and query parameter
/// (RFC 6750 §2.3). Returns the token borrowed from the header, or an owned copy
/// for the body and query methods (they are percent-decoded).
///
/// # Errors
/// As [`extract_credentials`]; [`BearerError::MultipleMethods`] when the token
/// appears by two methods or a parameter repeats.
#[cfg(feature = "alloc")]
pub fn extract_from_request<'r>(
    request: &'r crate::http::HttpRequest,
    options: &ExtractOptions,
) -> Result<ExtractedCredentials<'r>, BearerError> {
    use crate::encoding::form;
    // One scan of the header list for both fields; the errors in the order of
    // extract_credentials (a repeated Authorization first).
    let (mut header, mut repeated) = (None, false);
    let (mut dpop, mut dpop_repeated) = (None, false);
    for (name, value) in request.headers.iter() {
        if name.eq_ignore_ascii_case("authorization") {
            repeated |= header.replace(value).is_some();
        } else if name.eq_ignore_ascii_case("dpop") {
            dpop_repeated |= dpop.replace(value).is_some();
        }
    }
    if repeated {
        return Err(BearerError::RepeatedAuthorization);
    }
    if dpop_repeated {
        return Err(BearerError::RepeatedDpopHeader);
    }
    let proof = single_dpop(dpop)?;
    let mut found: Option<(TokenMethod, alloc::string::String)> = None;
    let mut note = |method, value: Option<&str>| -> Result<(), BearerError> {
        if let Some(v) = value {
            if found.is_some() {
                return Err(BearerError::MultipleMethods);
            }
            if !is_token68(v) {
                return Err(BearerError::MalformedToken);
            }
            found = Some((method, v.into()));
        }
        Ok(())
    };
    if options.allow_query
        && let Some(q) = request.query()
    {
        let params = form::query_pairs(q).map_err(|_| BearerError::MalformedToken)?;
        let mut all = params.get_all("access_token");
        let first = all.next();
        if all.next().is_some() {
            return Err(BearerError::MultipleMethods);
        }
        note(TokenMethod::Query, first)?;
    }
    if options.allow_form_body && request.content_type_is_form() {
        let params = form::parse_form(&request.body).map_err(|_| BearerError::MalformedToken)?;
        let mut all = params.get_all("access_token");
        let first = all.next();
        if all.next().is_some() {
            return Err(BearerError::MultipleMethods);
        }
        if first.is_some() && request.method == crate::http::Method::Get {
            // RFC 6750 §2.2: "The HTTP request method is one for which the
            // request-body has defined semantics. In particular, this means that
            // the "GET" method MUST NOT be used."
            return Err(BearerError::InvalidBodyMethod);
        }
        note(TokenMethod::Body, first)?;
    }
    match (header, found) {
        (Some(_), Some(_)) => Err(BearerError::MultipleMethods),
        (Some(h), None) => {
            header_credentials(h, proof, options).map(ExtractedCredentials::Borrowed)
        }
        (None, Some((method, token))) => Ok(ExtractedCredentials::Owned {
            method,
            token,
            dpop_proof: proof,
        }),
        (None, None) => Err(BearerError::Missing),
    }
}

/// Credentials extracted from an [`HttpRequest`](crate::http::HttpRequest)
/// (`alloc`): borrowed from the header, or owned when percent-decoded from a
/// body or query.
#[cfg(feature = "alloc")]
#[derive(Clone, PartialEq, Eq)]
pub enum ExtractedCredentials<'r> {
    /// From the `Authorization` header.
    Borrowed(Credentials<'r>),
    /// From the body or query (always the Bearer scheme).
    Owned {
        /// Where it was found.
        method: TokenMethod,
        /// The decoded token.
        token: alloc::string::String,
        /// The `DPoP` header value, if any.
        dpop_proof: Option<&'r str>,
    },
}

#[cfg(feature = "alloc")]
impl ExtractedCredentials<'_> {
    /// The credentials, borrowed.
    #[must_use]
    pub fn as_credentials(&self) -> Credentials<'_> {
        match self {
            Self::Borrowed(c) => *c,
            Self::Owned {
                method,
                token,
                dpop_proof,
            } => Credentials {
                scheme: TokenScheme::Bearer,
                method: *method,
                token,
                dpop_proof: *dpop_proof,
            },
        }
    }
}

#[cfg(feature = "alloc")]
impl fmt::Debug for ExtractedCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_credentials().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROOF: &str = "aGVhZA.Ym9keQ.c2ln";

    fn one(v: &str) -> Result<Credentials<'_>, BearerError> {
        extract_credentials([v], [], &ExtractOptions::default())
    }

    #[test]
    fn rfc6750_section_2_1_example() {
        // RFC 6750 §2.1: "Authorization: Bearer mF_9.B5f-4.1JqM"
        let c = one("Bearer mF_9.B5f-4.1JqM").unwrap();
        assert_eq!(c.token(), "mF_9.B5f-4.1JqM");
        assert_eq!(c.scheme(), TokenScheme::Bearer);
        assert_eq!(c.method(), TokenMethod::Header);
    }

    #[test]
    fn scheme_is_case_insensitive_token_is_strict() {
        assert_eq!(one("bEaReR abc==").unwrap().token(), "abc==");
        assert_eq!(one("Bearer   abc").unwrap().token(), "abc");
        for bad in [
            "Bearer",
            "Bearer ",
            "Bearer a b",
            "Bearer\tabc",
            "Bearer a=b",
            "Bearer =",
            "Bearer a,b",
            "Bearer ab\"c",
        ] {
            assert_eq!(
                one(bad).unwrap_err(),
                BearerError::MalformedAuthorization,
                "{bad:?}"
            );
        }
        assert_eq!(
            one("Basic dXNlcjpwYXNz").unwrap_err(),
            BearerError::UnsupportedScheme
        );
        assert!(one("Basic x").unwrap_err().is_missing());
    }

    #[test]
    fn repeated_headers_and_missing() {
        let o = ExtractOptions::default();
        assert_eq!(
            extract_credentials(["Bearer a", "Bearer b"], [], &o).unwrap_err(),
            BearerError::RepeatedAuthorization
        );
        assert_eq!(
            extract_credentials([], [], &o).unwrap_err(),
            BearerError::Missing
        );
        assert_eq!(
            extract_credentials(["DPoP a"], [PROOF, PROOF], &o).unwrap_err(),
            BearerError::RepeatedDpopHeader
        );
    }

    #[test]
    fn dpop_scheme_needs_one_proof() {
        let o = ExtractOptions::default();
        let c = extract_credentials(["DPoP Kz~8KQ"], [PROOF], &o).unwrap();
        assert_eq!(c.scheme(), TokenScheme::DPoP);
        assert_eq!(c.dpop_proof(), Some(PROOF));
        assert_eq!(
            extract_credentials(["DPoP abc"], [], &o).unwrap_err(),
            BearerError::MissingDpopProof
        );
        assert_eq!(
            extract_credentials(["DPoP abc"], ["a.b"], &o).unwrap_err(),
            BearerError::MalformedDpopProof
        );
        let no_dpop = ExtractOptions {
            allow_dpop: false,
            ..o
        };
        assert_eq!(
            extract_credentials(["DPoP abc"], [PROOF], &no_dpop).unwrap_err(),
            BearerError::UnsupportedScheme
        );
    }

    /// The implementation before the single pass (commit 9c1bbfa), kept as the
    /// reference the single pass must agree with on every input; changed in one
    /// place since (`Bearer<HTAB>x y` is refused: RFC 9110 §11.4 allows only SP
    /// after the scheme; it used to take `y` as the token).
    mod reference {
        use super::super::*;

        const TOKEN68: [bool; 256] = {
            let mut t = [false; 256];
            let mut i = 0;
            while i < 256 {
                #[allow(clippy::cast_possible_truncation)]
                let b = i as u8;
                t[i] = b.is_ascii_alphanumeric()
                    || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
                i += 1;
            }
            t
        };

        pub fn is_token68(s: &str) -> bool {
            let body = s.trim_end_matches('=');
            !body.is_empty() && body.bytes().all(|b| TOKEN68[usize::from(b)])
        }

        fn is_compact_jws_syntax(s: &str) -> bool {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && s.bytes().filter(|&b| b == b'.').count() == 2
        }

        fn split_credentials(value: &str) -> Result<(&str, &str), BearerError> {
            let value = value.trim_matches([' ', '\t']);
            let (scheme, rest) = value
                .split_once(' ')
                .ok_or(BearerError::MalformedAuthorization)?;
            let token = rest.trim_start_matches(' ');
            if scheme.is_empty() || scheme.contains('\t') || !is_token68(token) {
                return Err(BearerError::MalformedAuthorization);
            }
            Ok((scheme, token))
        }

        pub fn single_dpop(proof: Option<&str>) -> Result<Option<&str>, BearerError> {
            match proof {
                Some(p) if !is_compact_jws_syntax(p.trim_matches([' ', '\t'])) => {
                    Err(BearerError::MalformedDpopProof)
                }
                Some(p) => Ok(Some(p.trim_matches([' ', '\t']))),
                None => Ok(None),
            }
        }

        pub fn header_credentials<'a>(
            value: &'a str,
            proof: Option<&'a str>,
            options: &ExtractOptions,
        ) -> Result<Credentials<'a>, BearerError> {
            let scheme_name = value
                .trim_matches([' ', '\t'])
                .split([' ', '\t'])
                .next()
                .unwrap_or("");
            let scheme = if scheme_name.eq_ignore_ascii_case("bearer") && options.allow_bearer {
                TokenScheme::Bearer
            } else if scheme_name.eq_ignore_ascii_case("dpop") && options.allow_dpop {
                TokenScheme::DPoP
            } else {
                return Err(BearerError::UnsupportedScheme);
            };
            let (_, token) = split_credentials(value)?;
            if scheme == TokenScheme::DPoP && proof.is_none() {
                return Err(BearerError::MissingDpopProof);
            }
            Ok(Credentials {
                scheme,
                method: TokenMethod::Header,
                token,
                dpop_proof: proof,
            })
        }
    }

    /// Every string up to `len` characters over `alphabet`, each passed to `f`.
    fn every_string(alphabet: &[char], len: usize, f: &mut impl FnMut(&str)) {
        let mut idx = [0usize; 8];
        let mut s = heapless::String::<64>::new();
        for n in 0..=len.min(8) {
            idx[..n].fill(0);
            loop {
                s.clear();
                for &i in &idx[..n] {
                    s.push(alphabet[i]).unwrap();
                }
                f(&s);
                // next combination of n indices
                let mut k = 0;
                while k < n {
                    idx[k] += 1;
                    if idx[k] < alphabet.len() {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
                if k == n {
                    break;
                }
            }
        }
    }

    #[test]
    fn single_pass_agrees_with_the_reference() {
        let alphabet = [
            ' ', '\t', 'B', 'e', 'a', 'r', 'D', 'P', 'o', 'x', '=', '.', '"', '\u{e9}', '\x7f',
        ];
        let options = [
            ExtractOptions::default(),
            ExtractOptions {
                allow_dpop: false,
                ..ExtractOptions::default()
            },
            ExtractOptions {
                allow_bearer: false,
                ..ExtractOptions::default()
            },
        ];
        let mut n = 0u32;
        let mut check = |s: &str| {
            n += 1;
            assert_eq!(is_token68(s), reference::is_token68(s), "{s:?}");
            assert_eq!(
                single_dpop([s]).map_err(|_| ()),
                reference::single_dpop(Some(s)).map_err(|_| ()),
                "{s:?}"
            );
            let mut value = heapless::String::<96>::new();
            for prefix in [
                "",
                "Bearer",
                "Bearer ",
                "bearer  ",
                "DPoP ",
                "dpop\t",
                " Bearer\t",
            ] {
                value.clear();
                value.push_str(prefix).unwrap();
                value.push_str(s).unwrap();
                for o in &options {
                    for proof in [None, Some(PROOF)] {
                        assert_eq!(
                            header_credentials(&value, proof, o),
                            reference::header_credentials(&value, proof, o),
                            "{value:?} {o:?}"
                        );
                    }
                }
            }
        };
        every_string(&alphabet, 4, &mut check);
        // Long tokens cross the 16-byte chunks, with the odd byte anywhere.
        let long = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/";
        for i in 0..=long.len() {
            for odd in [
                "=", " ", "\t", "\"", "\u{e9}", "@", "[", "`", "{", "\x7f", "==",
            ] {
                let mut t = heapless::String::<96>::new();
                t.push_str(&long[..i]).unwrap();
                t.push_str(odd).unwrap();
                t.push_str(&long[i..]).unwrap();
                check(&t);
                t.truncate(i + odd.len());
                check(&t);
            }
        }
        assert!(n > 50_000);
    }

    #[test]
    fn token68_chars_are_exactly_rfc9110s() {
        // RFC 9110 §11.2: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/".
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"-._~+/".contains(&b);
            assert_eq!(is_token68_char(b), expected, "{b:#x}");
        }
    }

    #[test]
    fn a_tab_after_the_scheme_is_refused() {
        // RFC 9110 §11.4: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`:
        // HTAB does not separate the scheme from the token (this took `y` as the token
        // until the tab case was reviewed).
        assert_eq!(
            one("Bearer\tx y").unwrap_err(),
            BearerError::MalformedAuthorization
        );
        assert_eq!(
            one("Bearer \tabc").unwrap_err(),
            BearerError::MalformedAuthorization
        );
        assert_eq!(
            one("Bearer\tabc").unwrap_err(),
            BearerError::MalformedAuthorization
        );
    }

    #[test]
    fn debug_redacts() {
        let c = one("Bearer secret-token").unwrap();
        let mut s = heapless::String::<256>::new();
        core::fmt::Write::write_fmt(&mut s, format_args!("{c:?}")).unwrap();
        assert!(!s.contains("secret"));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn request_headers_in_one_scan() {
        use crate::http::HttpRequest;
        let o = ExtractOptions::default();
        let req = |headers: &[(&str, &str)]| {
            headers.iter().fold(HttpRequest::get("/r"), |r, (n, v)| {
                r.with_header(*n, *v).unwrap()
            })
        };
        // A repeated Authorization is named first, whatever the DPoP headers.
        let r = req(&[
            ("DPoP", PROOF),
            ("authorization", "DPoP a"),
            ("dpop", PROOF),
            ("AUTHORIZATION", "DPoP a"),
        ]);
        assert_eq!(
            extract_from_request(&r, &o).unwrap_err(),
            BearerError::RepeatedAuthorization
        );
        let r = req(&[
            ("Authorization", "DPoP a"),
            ("DPoP", PROOF),
            ("dPoP", PROOF),
        ]);
        assert_eq!(
            extract_from_request(&r, &o).unwrap_err(),
            BearerError::RepeatedDpopHeader
        );
        let r = req(&[("DPOP", "a.b"), ("Authorization", "DPoP a")]);
        assert_eq!(
            extract_from_request(&r, &o).unwrap_err(),
            BearerError::MalformedDpopProof
        );
        let r = req(&[
            ("Accept", "*/*"),
            ("dpop", PROOF),
            ("authorization", "DPoP a"),
        ]);
        let c = extract_from_request(&r, &o).unwrap();
        assert_eq!(c.as_credentials().token(), "a");
        assert_eq!(c.as_credentials().dpop_proof(), Some(PROOF));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn body_and_query_methods() {
        use crate::http::{HttpRequest, Method};
        // RFC 6750 §2.3 example request target: GET /resource?access_token=mF_9.B5f-4.1JqM
        let q = HttpRequest::get(
            "https://server.example.com/resource?access_token=mF_9.B5f-4.1JqM&p=q",
        );
        assert_eq!(
            extract_from_request(&q, &ExtractOptions::default()).unwrap_err(),
            BearerError::Missing
        );
        let opts = ExtractOptions {
            allow_query: true,
            allow_form_body: true,
            ..Default::default()
        };
        let c = extract_from_request(&q, &opts).unwrap();
        assert_eq!(c.as_credentials().token(), "mF_9.B5f-4.1JqM");
        assert_eq!(c.as_credentials().method(), TokenMethod::Query);
        // RFC 6750 §2.2 example body: access_token=mF_9.B5f-4.1JqM
        let b = HttpRequest::post_form(
            "https://server.example.com/resource",
            &[("access_token", "mF_9.B5f-4.1JqM")],
        );
        assert_eq!(
            extract_from_request(&b, &opts)
                .unwrap()
                .as_credentials()
                .method(),
            TokenMethod::Body
        );
        // two methods at once
        let both = b.clone().with_header("Authorization", "Bearer x").unwrap();
        assert_eq!(
            extract_from_request(&both, &opts).unwrap_err(),
            BearerError::MultipleMethods
        );
        let mut get = b.clone();
        get.method = Method::Get;
        assert_eq!(
            extract_from_request(&get, &opts).unwrap_err(),
            BearerError::InvalidBodyMethod
        );
        let twice = HttpRequest::get("https://s.example/r?access_token=a&access_token=b");
        assert_eq!(
            extract_from_request(&twice, &opts).unwrap_err(),
            BearerError::MultipleMethods
        );
    }
}
