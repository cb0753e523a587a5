//! OAuth error codes shared by every role, and the JSON error response of RFC 6749 §5.2.
//!
//! [`ErrorCode`] is the registered set (IANA "OAuth Extensions Error Registry" plus the codes the
//! RFCs define inline). It is `Copy`, allocation-free and usable in the core tier. Under `alloc`,
//! `ErrorResponse` is the `{"error": ..., "error_description": ..., "error_uri": ...}` body a
//! server renders and a client parses; it keeps an unregistered `error` value as text.

use core::fmt;

/// A registered OAuth `error` code.
///
/// Each variant's doc names the specification that defines it. [`ErrorCode::as_str`] gives the
/// wire value, [`ErrorCode::from_wire`] parses one, and [`ErrorCode::http_status`] the status a
/// server answers with when the error is returned from an endpoint that answers with JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1: the request is missing or repeats a parameter, or is malformed.
    InvalidRequest,
    /// RFC 6749 §5.2: client authentication failed.
    InvalidClient,
    /// RFC 6749 §5.2: the grant (code, refresh token, assertion, device code) is invalid, expired or revoked.
    InvalidGrant,
    /// RFC 6749 §4.1.2.1, §5.2: the client may not use this grant or response type.
    UnauthorizedClient,
    /// RFC 6749 §5.2: the grant type is not supported.
    UnsupportedGrantType,
    /// RFC 6749 §4.1.2.1, §5.2: the requested scope is invalid, unknown or exceeds what was granted.
    InvalidScope,
    /// RFC 6749 §4.1.2.1: the resource owner or the server denied the request.
    AccessDenied,
    /// RFC 6749 §4.1.2.1: the response type is not supported.
    UnsupportedResponseType,
    /// RFC 6749 §4.1.2.1: the server met an unexpected condition.
    ServerError,
    /// RFC 6749 §4.1.2.1: the server is temporarily unable to handle the request.
    TemporarilyUnavailable,
    /// RFC 6750 §3.1: the access token is expired, revoked, malformed or invalid for other reasons.
    InvalidToken,
    /// RFC 6750 §3.1: the request needs more privileges than the access token carries.
    InsufficientScope,
    /// RFC 8707 §2: the requested resource is invalid, unknown, or not allowed.
    InvalidTarget,
    /// RFC 8628 §3.5: the user has not yet completed the device authorization.
    AuthorizationPending,
    /// RFC 8628 §3.5: poll more slowly (add 5 seconds to the interval).
    SlowDown,
    /// RFC 8628 §3.5: the device code has expired.
    ExpiredToken,
    /// RFC 8693 §2.2.2: the token type of a token exchange input is not supported.
    UnsupportedTokenType,
    /// RFC 7009 §2.2.1: the server does not support revoking this token type.
    UnsupportedTokenTypeRevocation,
    /// RFC 9449 §5: the DPoP proof is invalid.
    InvalidDpopProof,
    /// RFC 9449 §8: the server requires a server-provided nonce in the DPoP proof.
    UseDpopNonce,
    /// RFC 7591 §3.2.2: a redirect URI in a registration request is invalid.
    InvalidRedirectUri,
    /// RFC 7591 §3.2.2: a client metadata field is invalid.
    InvalidClientMetadata,
    /// RFC 7591 §3.2.2: the software statement is invalid.
    InvalidSoftwareStatement,
    /// RFC 7591 §3.2.2: the software statement is not approved.
    UnapprovedSoftwareStatement,
    /// RFC 9101 §6.2; RFC 9126 §2.3: the `request_uri` is invalid or expired.
    InvalidRequestUri,
    /// RFC 9101 §6.2: the request object is invalid.
    InvalidRequestObject,
    /// RFC 9101 §6.2 (OIDC Core §3.1.2.6): request objects are not supported.
    RequestNotSupported,
    /// RFC 9101 §6.2 (OIDC Core §3.1.2.6): `request_uri` is not supported.
    RequestUriNotSupported,
    /// RFC 9396 §5: the `authorization_details` are invalid.
    InvalidAuthorizationDetails,
    /// OIDC Core §3.1.2.6: the end-user must interact with the server.
    InteractionRequired,
    /// OIDC Core §3.1.2.6: the end-user must log in.
    LoginRequired,
    /// OIDC Core §3.1.2.6: the end-user must select an account.
    AccountSelectionRequired,
    /// OIDC Core §3.1.2.6: the end-user must consent.
    ConsentRequired,
}

/// Wire values, in the variant order above (one table for both directions).
const CODES: &[(ErrorCode, &str)] = &[
    (ErrorCode::InvalidRequest, "invalid_request"),
    (ErrorCode::InvalidClient, "invalid_client"),
    (ErrorCode::InvalidGrant, "invalid_grant"),
    (ErrorCode::UnauthorizedClient, "unauthorized_client"),
    (ErrorCode::UnsupportedGrantType, "unsupported_grant_type"),
    (ErrorCode::InvalidScope, "invalid_scope"),
    (ErrorCode::AccessDenied, "access_denied"),
    (
        ErrorCode::UnsupportedResponseType,
        "unsupported_response_type",
    ),
    (ErrorCode::ServerError, "server_error"),
    (ErrorCode::TemporarilyUnavailable, "temporarily_unavailable"),
    (ErrorCode::InvalidToken, "invalid_token"),
    (ErrorCode::InsufficientScope, "insufficient_scope"),
    (ErrorCode::InvalidTarget, "invalid_target"),
    (ErrorCode::AuthorizationPending, "authorization_pending"),
    (ErrorCode::SlowDown, "slow_down"),
    (ErrorCode::ExpiredToken, "expired_token"),
    (ErrorCode::UnsupportedTokenType, "unsupported_token_type"),
    // RFC 7009 §2.2.1 and RFC 8693 §2.2.2 register the same string; parsing yields the RFC 8693
    // variant (listed first), rendering either gives the same wire value.
    (
        ErrorCode::UnsupportedTokenTypeRevocation,
        "unsupported_token_type",
    ),
    (ErrorCode::InvalidDpopProof, "invalid_dpop_proof"),
    (ErrorCode::UseDpopNonce, "use_dpop_nonce"),
    (ErrorCode::InvalidRedirectUri, "invalid_redirect_uri"),
    (ErrorCode::InvalidClientMetadata, "invalid_client_metadata"),
    (
        ErrorCode::InvalidSoftwareStatement,
        "invalid_software_statement",
    ),
    (
        ErrorCode::UnapprovedSoftwareStatement,
        "unapproved_software_statement",
    ),
    (ErrorCode::InvalidRequestUri, "invalid_request_uri"),
    (ErrorCode::InvalidRequestObject, "invalid_request_object"),
    (ErrorCode::RequestNotSupported, "request_not_supported"),
    (
        ErrorCode::RequestUriNotSupported,
        "request_uri_not_supported",
    ),
    (
        ErrorCode::InvalidAuthorizationDetails,
        "invalid_authorization_details",
    ),
    (ErrorCode::InteractionRequired, "interaction_required"),
    (ErrorCode::LoginRequired, "login_required"),
    (
        ErrorCode::AccountSelectionRequired,
        "account_selection_required",
    ),
    (ErrorCode::ConsentRequired, "consent_required"),
];

impl ErrorCode {
    /// The code's wire value, e.g. `"invalid_grant"`.
    pub fn as_str(self) -> &'static str {
        CODES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, s)| *s)
            .unwrap_or("server_error")
    }

    /// Parses a wire value; `None` for an unregistered code (keep it as text, see `ErrorResponse` under `alloc`).
    pub fn from_wire(s: &str) -> Option<Self> {
        CODES.iter().find(|(_, w)| *w == s).map(|(c, _)| *c)
    }

    /// The HTTP status a JSON endpoint answers with for this error.
    ///
    /// RFC 6749 §5.2: 400, except `invalid_client` which is 401 (the server MAY use 401 only when
    /// the client authenticated with an `Authorization` header; we always use 401, which is what
    /// clients expect). RFC 6750 §3.1: `invalid_token` 401, `insufficient_scope` 403.
    /// RFC 9449 §7.1: `use_dpop_nonce` at a resource server is 401; at the token endpoint it is
    /// 400 (§8), so callers rendering it from the token endpoint pass 400 themselves.
    /// `server_error` 500 and `temporarily_unavailable` 503 where they are sent as JSON.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidClient | ErrorCode::InvalidToken | ErrorCode::UseDpopNonce => 401,
            ErrorCode::InsufficientScope => 403,
            ErrorCode::ServerError => 500,
            ErrorCode::TemporarilyUnavailable => 503,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 6749 §5.2: `error`, `error_description` and `error_uri` values are limited to
/// `%x20-21 / %x23-5B / %x5D-7E` (printable ASCII without `"` and `\`); `error` excludes the space too.
pub fn is_valid_error_text(s: &str, allow_space: bool) -> bool {
    s.bytes().all(|b| {
        (b == b' ' && allow_space) || (b'\x21'..=b'\x7e').contains(&b) && b != b'"' && b != b'\\'
    })
}

#[cfg(feature = "alloc")]
pub use self::response::ErrorResponse;

#[cfg(feature = "alloc")]
mod response {
    use super::{ErrorCode, is_valid_error_text};
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt;

    /// An OAuth error response (RFC 6749 §5.2, §4.1.2.1): what a server renders and a client parses.
    #[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ErrorResponse {
        /// The `error` code as sent (registered or not); see [`ErrorResponse::code`].
        pub error: String,
        /// Human-readable detail for the developer; never shown to end users as is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error_description: Option<String>,
        /// A URI identifying a page with more information.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error_uri: Option<String>,
    }

    impl ErrorResponse {
        /// An error response with a registered code and no description.
        pub fn new(code: ErrorCode) -> Self {
            Self {
                error: code.as_str().into(),
                error_description: None,
                error_uri: None,
            }
        }

        /// Adds an `error_description`; characters RFC 6749 §5.2 does not allow are replaced by `?`.
        pub fn with_description(mut self, description: &str) -> Self {
            let cleaned: String = description
                .chars()
                .map(|c| {
                    let mut b = [0u8; 4];
                    if is_valid_error_text(c.encode_utf8(&mut b), true) {
                        c
                    } else {
                        '?'
                    }
                })
                .collect();
            self.error_description = Some(cleaned);
            self
        }

        /// The registered code, or `None` when the server sent an unregistered `error` value.
        pub fn code(&self) -> Option<ErrorCode> {
            ErrorCode::from_wire(&self.error)
        }

        /// Parses an error response body. Strict: one JSON object, no duplicate members, `error`
        /// present, a string, and made of the characters RFC 6749 §5.2 allows.
        ///
        /// # Errors
        /// [`crate::encoding::document::DocumentError`] describing the first problem found.
        pub fn from_json(body: &[u8]) -> Result<Self, crate::encoding::document::DocumentError> {
            let parsed: Self = crate::encoding::document::from_slice_strict(body)?;
            if parsed.error.is_empty() || !is_valid_error_text(&parsed.error, false) {
                return Err(crate::encoding::document::DocumentError::Invalid(
                    "error: not an RFC 6749 §5.2 error code",
                ));
            }
            Ok(parsed)
        }

        /// The JSON body (`application/json`).
        pub fn to_json(&self) -> Vec<u8> {
            serde_json::to_vec(self).unwrap_or_default()
        }
    }

    impl fmt::Debug for ErrorResponse {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("ErrorResponse")
                .field("error", &self.error)
                .field("error_description", &self.error_description)
                .field("error_uri", &self.error_uri)
                .finish()
        }
    }

    impl fmt::Display for ErrorResponse {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.error)?;
            if let Some(d) = &self.error_description {
                write!(f, ": {d}")?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_except_the_shared_string() {
        for (code, wire) in CODES {
            assert_eq!(code.as_str(), *wire);
            let back = ErrorCode::from_wire(wire).unwrap();
            if *code == ErrorCode::UnsupportedTokenTypeRevocation {
                assert_eq!(back, ErrorCode::UnsupportedTokenType);
            } else {
                assert_eq!(back, *code);
            }
        }
        assert_eq!(ErrorCode::from_wire("Invalid_Grant"), None);
    }

    #[test]
    fn statuses() {
        assert_eq!(ErrorCode::InvalidClient.http_status(), 401);
        assert_eq!(ErrorCode::InvalidGrant.http_status(), 400);
        assert_eq!(ErrorCode::InsufficientScope.http_status(), 403);
    }

    #[test]
    fn error_text_charset() {
        assert!(is_valid_error_text("invalid_grant", false));
        assert!(!is_valid_error_text("a b", false));
        assert!(is_valid_error_text("a b", true));
        assert!(!is_valid_error_text("a\"b", true));
        assert!(!is_valid_error_text("é", true));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn error_response_parse_is_strict() {
        let ok = ErrorResponse::from_json(br#"{"error":"invalid_grant","error_description":"x"}"#)
            .unwrap();
        assert_eq!(ok.code(), Some(ErrorCode::InvalidGrant));
        assert!(ErrorResponse::from_json(br#"{"error":"a","error":"b"}"#).is_err());
        assert!(ErrorResponse::from_json(br#"{"error_description":"x"}"#).is_err());
        assert!(ErrorResponse::from_json(br#"{"error":7}"#).is_err());
        assert!(ErrorResponse::from_json(br#"{"error":"bad code"}"#).is_err());
        let custom = ErrorResponse::from_json(br#"{"error":"vendor_thing"}"#).unwrap();
        assert_eq!(custom.code(), None);
        let rendered = ErrorResponse::new(ErrorCode::InvalidRequest).with_description("bad \"x\"");
        assert_eq!(
            rendered.to_json(),
            br#"{"error":"invalid_request","error_description":"bad ?x?"}"#
        );
    }
}
