//! `WWW-Authenticate` challenges of a resource server (RFC 6750 §3, RFC 9728 §5.1,
//! RFC 9449 §7.1 and §9).
//!
//! A [`Challenge`] is what [`ResourceServer::authenticate`](super::ResourceServer)
//! answers instead of a principal: its status (401, 403 or 400), its error code,
//! and the parameters every challenge must carry. It renders into any
//! `core::fmt::Write` (a caller `&mut [u8]` through [`Challenge::render_into`],
//! or a `heapless::String`) in the core tier, and into an
//! [`HttpResponse`](crate::http::HttpResponse) under `alloc`.

use core::fmt;

use super::bearer::TokenScheme;

/// The error a challenge reports (RFC 6750 §3.1, RFC 9449 §7.1 and §12.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeError {
    /// No credentials (or an unsupported scheme): 401 with no `error` (RFC 6750 §3.1).
    NoCredentials,
    /// `invalid_request`: 400 (RFC 6750 §3.1).
    InvalidRequest,
    /// `invalid_token`: 401 (RFC 6750 §3.1).
    InvalidToken,
    /// `insufficient_scope`: 403 with the `scope` needed (RFC 6750 §3.1).
    InsufficientScope,
    /// `invalid_dpop_proof`: 401 (RFC 9449 §7.1).
    InvalidDpopProof,
    /// `use_dpop_nonce`: 401 with a `DPoP-Nonce` header (RFC 9449 §9).
    UseDpopNonce,
}

impl ChallengeError {
    /// The `error` parameter's value, `None` for [`ChallengeError::NoCredentials`].
    #[must_use]
    pub const fn code(self) -> Option<&'static str> {
        match self {
            Self::NoCredentials => None,
            Self::InvalidRequest => Some("invalid_request"),
            Self::InvalidToken => Some("invalid_token"),
            Self::InsufficientScope => Some("insufficient_scope"),
            Self::InvalidDpopProof => Some("invalid_dpop_proof"),
            Self::UseDpopNonce => Some("use_dpop_nonce"),
        }
    }

    /// The HTTP status (RFC 6750 §3.1: 400, 401 or 403).
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            Self::InvalidRequest => 400,
            Self::InsufficientScope => 403,
            _ => 401,
        }
    }
}

/// The largest DPoP nonce a challenge carries inline.
pub const MAX_NONCE_LEN: usize = 64;

/// A challenge: status, error, and the `WWW-Authenticate` parameters.
///
/// Built by the resource server (or by hand with [`Challenge::new`] and the
/// `with_*` methods). Which schemes it lists: `Bearer` unless disabled, and
/// `DPoP` when `algs` are set (RFC 9449 §7.1); the `error` goes on the scheme
/// the client used ([`Challenge::for_scheme`]), or on `Bearer` by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    error: ChallengeError,
    description: Option<&'static str>,
    realm: Option<&'a str>,
    scope: Option<&'a str>,
    resource_metadata: Option<&'a str>,
    bearer: bool,
    dpop_algs: Option<&'a str>,
    used: TokenScheme,
    dpop_nonce: Option<heapless::String<MAX_NONCE_LEN>>,
}

impl<'a> Challenge<'a> {
    /// A Bearer challenge reporting `error`, with no other parameter.
    #[must_use]
    pub fn new(error: ChallengeError) -> Self {
        Self {
            error,
            description: None,
            realm: None,
            scope: None,
            resource_metadata: None,
            bearer: true,
            dpop_algs: None,
            used: TokenScheme::Bearer,
            dpop_nonce: None,
        }
    }

    /// Adds `error_description` (RFC 6750 §3: developer text; fixed strings only,
    /// so nothing from the request is ever echoed).
    #[must_use]
    pub fn with_description(mut self, description: &'static str) -> Self {
        self.description = Some(description);
        self
    }

    /// Adds `realm` (RFC 6750 §3, RFC 9110 §11.5).
    #[must_use]
    pub fn with_realm(mut self, realm: &'a str) -> Self {
        self.realm = Some(realm);
        self
    }

    /// Adds `scope`: space-delimited scope tokens (RFC 6750 §3).
    #[must_use]
    pub fn with_scope(mut self, scope: &'a str) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Adds `resource_metadata`, the URL of the protected resource metadata
    /// (RFC 9728 §5.1).
    #[must_use]
    pub fn with_resource_metadata(mut self, url: &'a str) -> Self {
        self.resource_metadata = Some(url);
        self
    }

    /// Also lists a `DPoP` challenge with these space-separated algorithms
    /// (RFC 9449 §7.1 `algs`).
    #[must_use]
    pub fn with_dpop_algs(mut self, algs: &'a str) -> Self {
        self.dpop_algs = Some(algs);
        self
    }

    /// Lists only the `DPoP` challenge (for a resource that requires DPoP).
    #[must_use]
    pub fn without_bearer(mut self) -> Self {
        self.bearer = false;
        self
    }

    /// Puts the error on the challenge of `scheme` (the one the client used).
    #[must_use]
    pub fn for_scheme(mut self, scheme: TokenScheme) -> Self {
        self.used = scheme;
        self
    }

    /// Sets the `DPoP-Nonce` header value (RFC 9449 §9); a nonce longer than
    /// [`MAX_NONCE_LEN`] or with characters outside `NQCHAR` is ignored.
    #[must_use]
    pub fn with_dpop_nonce(mut self, nonce: &str) -> Self {
        let mut s = heapless::String::new();
        // RFC 9449 §8.1: nonce = 1*NQCHAR (%x21 / %x23-5B / %x5D-7E).
        let ok = !nonce.is_empty()
            && nonce
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b));
        if ok && s.push_str(nonce).is_ok() {
            self.dpop_nonce = Some(s);
        }
        self
    }

    /// The error reported.
    #[must_use]
    pub fn error(&self) -> ChallengeError {
        self.error
    }

    /// The HTTP status to answer with.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.error.status()
    }

    /// The `scope` parameter, if any.
    #[must_use]
    pub fn scope(&self) -> Option<&'a str> {
        self.scope
    }

    /// The `error_description`, if any.
    #[must_use]
    pub fn description(&self) -> Option<&'static str> {
        self.description
    }

    /// The `DPoP-Nonce` header value to send, if any (RFC 9449 §9).
    #[must_use]
    pub fn dpop_nonce(&self) -> Option<&str> {
        self.dpop_nonce.as_deref()
    }

    /// Writes the whole `WWW-Authenticate` field value: each listed challenge,
    /// comma-separated (RFC 9110 §11.6.1 allows several in one field).
    ///
    /// # Errors
    /// The writer's error.
    pub fn write_www_authenticate(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let mut first = true;
        self.for_each_challenge(|c| {
            if !first {
                out.write_str(", ")?;
            }
            first = false;
            self.write_one(c, out)
        })
    }

    /// Calls `f` with each scheme to list, in order.
    fn for_each_challenge(&self, mut f: impl FnMut(TokenScheme) -> fmt::Result) -> fmt::Result {
        let dpop = self.dpop_algs.is_some() || self.used == TokenScheme::DPoP;
        if self.bearer {
            f(TokenScheme::Bearer)?;
        }
        if dpop {
            f(TokenScheme::DPoP)?;
        }
        Ok(())
    }

    /// One challenge: `scheme [ 1*SP #auth-param ]` (RFC 9110 §11.3).
    fn write_one(&self, scheme: TokenScheme, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(scheme.as_str())?;
        let mut sep = " ";
        let mut param = |out: &mut dyn fmt::Write, name: &str, value: &str| -> fmt::Result {
            out.write_str(sep)?;
            sep = ", ";
            out.write_str(name)?;
            out.write_str("=")?;
            write_quoted(out, value)
        };
        if let Some(r) = self.realm {
            param(out, "realm", r)?;
        }
        // The error goes on the scheme the client used; with no error code
        // (no credentials) every challenge is plain (RFC 6750 §3.1).
        let carries_error = scheme == self.used || !self.bearer;
        if carries_error && let Some(code) = self.error.code() {
            param(out, "error", code)?;
            if let Some(d) = self.description {
                param(out, "error_description", d)?;
            }
        }
        if let Some(s) = self.scope {
            param(out, "scope", s)?;
        }
        if let Some(rm) = self.resource_metadata {
            param(out, "resource_metadata", rm)?;
        }
        if scheme == TokenScheme::DPoP
            && let Some(algs) = self.dpop_algs
        {
            param(out, "algs", algs)?;
        }
        Ok(())
    }

    /// Renders the `WWW-Authenticate` value into `buf` (core tier), returning the
    /// text written.
    ///
    /// # Errors
    /// [`fmt::Error`] when `buf` is too small.
    pub fn render_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, fmt::Error> {
        let mut w = SliceWriter { buf, len: 0 };
        self.write_www_authenticate(&mut w)?;
        let SliceWriter { buf, len } = w;
        let bytes = buf.get(..len).ok_or(fmt::Error)?;
        core::str::from_utf8(bytes).map_err(|_| fmt::Error)
    }

    /// Renders the `WWW-Authenticate` value into a `heapless::String` (core tier).
    ///
    /// # Errors
    /// [`fmt::Error`] when it does not fit in `N` bytes.
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::String<N>, fmt::Error> {
        let mut s = heapless::String::new();
        self.write_www_authenticate(&mut s)?;
        Ok(s)
    }

    /// The `WWW-Authenticate` value (`alloc`).
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn www_authenticate(&self) -> alloc::string::String {
        let mut s = alloc::string::String::new();
        // Writing into a String cannot fail.
        let _ = self.write_www_authenticate(&mut s);
        s
    }

    /// The HTTP response (`alloc`): the status, one `WWW-Authenticate` field per
    /// listed challenge, `DPoP-Nonce` when set, `Cache-Control: no-store`, and an
    /// empty body (RFC 6750 §3 puts the error in the header).
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn to_http_response(&self) -> crate::http::HttpResponse {
        let mut resp = crate::http::HttpResponse::new(self.status());
        let _ = self.for_each_challenge(|scheme| {
            let mut v = alloc::string::String::new();
            self.write_one(scheme, &mut v)?;
            // Values are built from checked parts: quoted and escaped, no controls.
            resp.headers
                .append("WWW-Authenticate", v)
                .map_err(|_| fmt::Error)?;
            Ok(())
        });
        if let Some(n) = &self.dpop_nonce {
            let _ = resp.headers.append("DPoP-Nonce", n.as_str());
        }
        let _ = resp.headers.append("Cache-Control", "no-store");
        resp
    }
}

/// RFC 9110 §5.6.4 `quoted-string`: `"` and `\` escaped with `\`; characters a
/// quoted-string cannot hold (controls other than HTAB, DEL) become `?`, so no
/// header can be split or forged by a value.
///
/// # Errors
/// The writer's error.
pub fn write_quoted(out: &mut (impl fmt::Write + ?Sized), value: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            '\t' => out.write_char(c)?,
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.write_char('?')?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

/// A `fmt::Write` into a fixed byte slice.
struct SliceWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(c: &Challenge<'_>) -> heapless::String<512> {
        c.to_heapless().unwrap()
    }

    #[test]
    fn rfc6750_section_3_examples() {
        // RFC 6750 §3: WWW-Authenticate: Bearer realm="example"
        let c = Challenge::new(ChallengeError::NoCredentials).with_realm("example");
        assert_eq!(render(&c), r#"Bearer realm="example""#);
        assert_eq!(c.status(), 401);
        // RFC 6750 §3: Bearer realm="example", error="invalid_token",
        //   error_description="The access token expired"
        let c = Challenge::new(ChallengeError::InvalidToken)
            .with_realm("example")
            .with_description("The access token expired");
        assert_eq!(
            render(&c),
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#
        );
    }

    #[test]
    fn rfc9728_section_5_1_example() {
        // RFC 9728 §5.1: WWW-Authenticate: Bearer resource_metadata=
        //   "https://resource.example.com/.well-known/oauth-protected-resource"
        let c = Challenge::new(ChallengeError::NoCredentials).with_resource_metadata(
            "https://resource.example.com/.well-known/oauth-protected-resource",
        );
        assert_eq!(
            render(&c),
            r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#
        );
    }

    #[test]
    fn insufficient_scope_is_403_with_scope() {
        let c = Challenge::new(ChallengeError::InsufficientScope)
            .with_scope("mcp:tools mcp:write")
            .with_resource_metadata("https://r.example/.well-known/oauth-protected-resource");
        assert_eq!(c.status(), 403);
        assert_eq!(
            render(&c),
            r#"Bearer error="insufficient_scope", scope="mcp:tools mcp:write", resource_metadata="https://r.example/.well-known/oauth-protected-resource""#
        );
        assert_eq!(Challenge::new(ChallengeError::InvalidRequest).status(), 400);
    }

    #[test]
    fn rfc9449_challenges() {
        // RFC 9449 §7.1: WWW-Authenticate: DPoP algs="ES256 PS256"
        let c = Challenge::new(ChallengeError::NoCredentials)
            .with_dpop_algs("ES256 PS256")
            .without_bearer();
        assert_eq!(render(&c), r#"DPoP algs="ES256 PS256""#);
        // RFC 9449 §9: DPoP error="use_dpop_nonce", error_description="Resource
        //   server requires nonce in DPoP proof"
        let c = Challenge::new(ChallengeError::UseDpopNonce)
            .with_description("Resource server requires nonce in DPoP proof")
            .for_scheme(TokenScheme::DPoP)
            .without_bearer()
            .with_dpop_nonce("eyJ7S_zG.eyJH0-Z.HX4w-7v");
        assert_eq!(
            render(&c),
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#
        );
        assert_eq!(c.dpop_nonce(), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        // Both schemes: the error goes on the scheme used.
        let c = Challenge::new(ChallengeError::InvalidToken)
            .with_dpop_algs("ES256")
            .for_scheme(TokenScheme::Bearer);
        assert_eq!(
            render(&c),
            r#"Bearer error="invalid_token", DPoP algs="ES256""#
        );
        // A nonce with a quote is refused.
        assert_eq!(
            Challenge::new(ChallengeError::UseDpopNonce)
                .with_dpop_nonce("a\"b")
                .dpop_nonce(),
            None
        );
    }

    #[test]
    fn quoting_and_small_buffers() {
        let c = Challenge::new(ChallengeError::NoCredentials).with_realm("a\"b\\c\r\nX: y");
        assert_eq!(render(&c), r#"Bearer realm="a\"b\\c??X: y""#);
        let mut small = [0u8; 10];
        assert!(c.render_into(&mut small).is_err());
        let mut buf = [0u8; 64];
        assert_eq!(c.render_into(&mut buf).unwrap(), render(&c).as_str());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn http_response() {
        let c = Challenge::new(ChallengeError::UseDpopNonce)
            .with_dpop_algs("ES256")
            .for_scheme(TokenScheme::DPoP)
            .with_dpop_nonce("n-1");
        let r = c.to_http_response();
        assert_eq!(r.status, 401);
        let v: alloc::vec::Vec<&str> = r.headers_all("www-authenticate").collect();
        assert_eq!(
            v,
            ["Bearer", r#"DPoP error="use_dpop_nonce", algs="ES256""#]
        );
        assert_eq!(r.header("dpop-nonce"), Some("n-1"));
    }
}
