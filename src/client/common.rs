//! Pieces every client exchange shares: the [`Secret`] wrapper, random values, and the status /
//! content-type / error-response checks run before a body is read.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::ClientError;
use crate::encoding::base64url;
use crate::error::ErrorResponse;
use crate::http::{HttpResponse, Method};
use crate::rand::SecureRandom;

/// A credential-bearing string: a token, code, client secret or assertion.
///
/// `Debug` prints `Secret(..)`; read the value with [`Secret::expose`] only to send it.
/// Serializes as the plain string, for persisting client state in protected storage. Its `==` is
/// not constant-time: it is for tests and bookkeeping, not for checking a secret an attacker
/// presents (the callback's `state` is compared with `subtle`).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, to be sent to its intended recipient.
    ///
    /// # Security
    /// Do not log or display it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// `n` bytes from `rng`, base64url-encoded (for `state`, `nonce`, `jti`).
pub(crate) fn random_string(rng: &mut impl SecureRandom, n: usize) -> Result<String, ClientError> {
    let mut buf = alloc::vec![0u8; n];
    rng.fill(&mut buf)?;
    Ok(base64url::encode_string(&buf))
}

/// The endpoint `value` of the metadata member `name`, or [`ClientError::MissingEndpoint`].
pub(crate) fn endpoint<'m>(
    value: Option<&'m String>,
    name: &'static str,
) -> Result<&'m str, ClientError> {
    value
        .map(String::as_str)
        .ok_or(ClientError::MissingEndpoint(name))
}

/// Checks the status of a JSON-answering endpoint. When it is not `expected`, the body is read as
/// an OAuth error response (RFC 6749 §5.2) if it is one, and the `DPoP-Nonce` header is kept.
pub(crate) fn check_status(resp: &HttpResponse, expected: u16) -> Result<(), ClientError> {
    if resp.status == expected {
        return Ok(());
    }
    if let Some(err) = error_response_of(resp) {
        return Err(err);
    }
    Err(ClientError::UnexpectedStatus {
        expected,
        actual: resp.status,
    })
}

/// The OAuth error response in `resp`, if its body is one (JSON content type, RFC 6749 §5.2).
pub(crate) fn error_response_of(resp: &HttpResponse) -> Option<ClientError> {
    if !resp.content_type_is_json() {
        return None;
    }
    let error = ErrorResponse::from_json(&resp.body).ok()?;
    Some(ClientError::ErrorResponse {
        error,
        status: Some(resp.status),
        dpop_nonce: resp.header("DPoP-Nonce").map(String::from),
    })
}

/// Status `expected`, then `Content-Type: application/json`.
pub(crate) fn check_json_response(resp: &HttpResponse, expected: u16) -> Result<(), ClientError> {
    check_status(resp, expected)?;
    if !resp.content_type_is_json() {
        return Err(ClientError::NotJson);
    }
    Ok(())
}

/// A space-delimited scope string split into its tokens (RFC 6749 §3.3:
/// `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`, separated by single spaces).
///
/// # Errors
/// [`ClientError::InvalidResponse`] for an empty token (two spaces, leading or trailing space)
/// or a character outside the grammar.
pub(crate) fn parse_scope(s: &str) -> Result<Vec<String>, ClientError> {
    let bad = ClientError::InvalidResponse(
        "scope: not a space-delimited list of scope tokens (RFC 6749 §3.3)",
    );
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for tok in s.split(' ') {
        let ok = !tok.is_empty()
            && tok
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b));
        if !ok {
            return Err(bad);
        }
        out.push(String::from(tok));
    }
    Ok(out)
}

/// A POST with a JSON body.
pub(crate) fn post_json(url: &str, body: Vec<u8>) -> Result<crate::http::HttpRequest, ClientError> {
    let mut req = crate::http::HttpRequest::new(Method::Post, url)
        .with_header("Content-Type", crate::http::APPLICATION_JSON)?
        .with_accept_json();
    req.body = body;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_grammar() {
        assert_eq!(parse_scope("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_scope("a b:c").unwrap(), ["a", "b:c"]);
        for bad in ["a  b", " a", "a ", "a\"b", "a\\b", "é", "a\tb"] {
            assert!(parse_scope(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn secrets_do_not_debug_print() {
        assert_eq!(alloc::format!("{:?}", Secret::new("hunter2")), "Secret(..)");
    }

    #[test]
    fn random_strings_are_base64url_of_n_bytes() {
        let mut rng = |b: &mut [u8]| {
            b.fill(0xff);
            Ok(())
        };
        assert_eq!(random_string(&mut rng, 3).unwrap(), "____");
    }
}
