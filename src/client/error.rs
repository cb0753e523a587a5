//! The client role's error type: API misuse, failed checks on a peer's response, and the peer's
//! own OAuth error response are distinct variants.

use alloc::string::String;
use core::fmt;

use crate::encoding::document::DocumentError;
use crate::encoding::form::FormError;
use crate::error::ErrorResponse;
use crate::http::HttpError;
use crate::jose::KeyError;
use crate::metadata::WellKnownError;
use crate::rand::RandomError;

/// Why a client request could not be built, or a response was refused.
///
/// Never holds a token, code, secret or verifier. Values that are public by nature (issuer
/// identifiers, redirect URIs, token types, status codes) are kept to help debugging.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// The peer answered with an OAuth error response (RFC 6749 §4.1.2.1, §5.2; RFC 7591
    /// §3.2.2; RFC 8628 §3.5; RFC 7009 §2.2.1).
    ErrorResponse {
        /// The parsed `error`, `error_description` and `error_uri`.
        error: ErrorResponse,
        /// The HTTP status, `None` for an error delivered by redirect to the client.
        status: Option<u16>,
        /// The `DPoP-Nonce` response header (RFC 9449 §8), for a retry on `use_dpop_nonce`.
        dpop_nonce: Option<String>,
    },
    /// The response status is not the one the specification requires for success, and the body
    /// is not an OAuth error response.
    UnexpectedStatus {
        /// The status the exchange succeeds with.
        expected: u16,
        /// The status received.
        actual: u16,
    },
    /// The response's `Content-Type` is not `application/json` (RFC 6749 §5.1, RFC 8414 §3.2,
    /// RFC 7591 §3.2.1).
    NotJson,
    /// The JSON document was refused (syntax, duplicate member, wrong member type, size).
    Document(DocumentError),
    /// A member of a response is missing or breaks its specification's rule.
    InvalidResponse(&'static str),
    /// RFC 8414 §3.3: the metadata's `issuer` differs from the issuer used to fetch it.
    IssuerMismatch {
        /// The issuer the client used.
        expected: String,
        /// The issuer in the document.
        actual: String,
    },
    /// A URL (issuer, endpoint, redirect URI, resource, document URL) was refused.
    InvalidUrl(WellKnownError),
    /// The authorization server metadata lacks an endpoint this exchange needs.
    MissingEndpoint(&'static str),
    /// The server does not list `S256` in `code_challenge_methods_supported` (RFC 8414 §2,
    /// RFC 9700 §2.1.1; the MCP authorization spec requires clients to refuse to proceed).
    PkceS256NotSupported,
    /// The server sets `require_pushed_authorization_requests` (RFC 9126 §5): the request must
    /// be pushed.
    ParRequired,
    /// RFC 6749 §3.1.2, RFC 9700 §4.1.3: the callback URL does not match the redirect URI the
    /// request used, byte for byte.
    RedirectUriMismatch,
    /// RFC 6749 §10.12: the callback carries no `state`.
    MissingState,
    /// RFC 6749 §10.12: the callback's `state` differs from the one sent.
    StateMismatch,
    /// RFC 9207 §2.4: the callback's `iss` differs from the recorded issuer.
    AuthorizationIssuerMismatch,
    /// RFC 9207 §2.4: the server advertises `authorization_response_iss_parameter_supported` but
    /// the callback carries no `iss`.
    MissingIssuer,
    /// RFC 6749 §4.1.2: a successful callback must carry `code`.
    MissingCode,
    /// A form body or query string was refused (duplicate parameter, RFC 6749 §3.1; invalid
    /// UTF-8; fragment).
    Form(FormError),
    /// RFC 6749 §5.1: `token_type` is missing, or is neither `Bearer` nor `DPoP`.
    UnsupportedTokenType,
    /// RFC 9449 §5: a DPoP proof was sent, but the token type is not `DPoP`.
    DpopTokenTypeRequired,
    /// RFC 8693 §2.2.1: `issued_token_type` is missing or not the one requested.
    IssuedTokenTypeMismatch,
    /// The state held for this exchange belongs to another issuer than the metadata passed
    /// (RFC 9207 §2.4, RFC 9700 §4.4: mix-up defence).
    StateIssuerMismatch,
    /// RFC 8628 §3.5: the device code expired before the user finished.
    DeviceCodeExpired,
    /// The device flow has already finished; no further polling.
    DeviceFlowFinished,
    /// RFC 7591 §3.2.1: the server did not register every redirect URI the client asked for.
    RedirectUrisNotRegistered,
    /// A request could not be built from the values given (the rule is named).
    InvalidRequest(&'static str),
    /// The authorization server does not advertise `client_id_metadata_document_supported`.
    ClientIdMetadataDocumentNotSupported,
    /// Signing a client assertion failed.
    Key(KeyError),
    /// The caller's random source failed.
    Random(RandomError),
    /// A header value could not be set.
    Http(HttpError),
}

impl ClientError {
    /// The peer's OAuth error response, when this is one.
    #[must_use]
    pub fn error_response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::ErrorResponse { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The `DPoP-Nonce` header that came with an error response (RFC 9449 §8): retry once with a
    /// proof carrying it when the error is `use_dpop_nonce`.
    #[must_use]
    pub fn dpop_nonce(&self) -> Option<&str> {
        match self {
            Self::ErrorResponse { dpop_nonce, .. } => dpop_nonce.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ErrorResponse { error, status, .. } => match status {
                Some(s) => write!(f, "server returned OAuth error (status {s}): {error}"),
                None => write!(f, "authorization error response: {error}"),
            },
            Self::UnexpectedStatus { expected, actual } => {
                write!(f, "unexpected HTTP status {actual} (expected {expected})")
            }
            Self::NotJson => f.write_str("response content type is not application/json"),
            Self::Document(e) => write!(f, "response body refused: {e}"),
            Self::InvalidResponse(rule) => write!(f, "invalid response: {rule}"),
            Self::IssuerMismatch { expected, actual } => write!(
                f,
                "metadata issuer {actual:?} differs from the issuer used {expected:?} (RFC 8414 §3.3)"
            ),
            Self::InvalidUrl(e) => write!(f, "invalid URL: {e}"),
            Self::MissingEndpoint(name) => write!(f, "server metadata has no {name}"),
            Self::PkceS256NotSupported => f.write_str(
                "server does not advertise PKCE S256 in code_challenge_methods_supported (RFC 9700 §2.1.1)",
            ),
            Self::ParRequired => f.write_str(
                "server requires pushed authorization requests (RFC 9126 §5)",
            ),
            Self::RedirectUriMismatch => f.write_str(
                "callback URL does not match the redirect URI (RFC 6749 §3.1.2, RFC 9700 §4.1.3)",
            ),
            Self::MissingState => f.write_str("callback has no state (RFC 6749 §10.12)"),
            Self::StateMismatch => f.write_str("callback state mismatch (RFC 6749 §10.12)"),
            Self::AuthorizationIssuerMismatch => {
                f.write_str("callback iss differs from the expected issuer (RFC 9207 §2.4)")
            }
            Self::MissingIssuer => f.write_str(
                "callback has no iss but the server advertises it (RFC 9207 §2.4)",
            ),
            Self::MissingCode => f.write_str("callback has no code (RFC 6749 §4.1.2)"),
            Self::Form(e) => write!(f, "form or query refused: {e}"),
            Self::UnsupportedTokenType => {
                f.write_str("token_type missing or not Bearer/DPoP (RFC 6749 §5.1, §7.1)")
            }
            Self::DpopTokenTypeRequired => {
                f.write_str("a DPoP proof was sent but token_type is not DPoP (RFC 9449 §5)")
            }
            Self::IssuedTokenTypeMismatch => f.write_str(
                "issued_token_type missing or not the requested type (RFC 8693 §2.2.1)",
            ),
            Self::StateIssuerMismatch => f.write_str(
                "authorization state was recorded for another issuer (RFC 9207 §2.4)",
            ),
            Self::DeviceCodeExpired => f.write_str("device code expired (RFC 8628 §3.5)"),
            Self::DeviceFlowFinished => f.write_str("device flow already finished"),
            Self::RedirectUrisNotRegistered => f.write_str(
                "registration response lacks a requested redirect URI (RFC 7591 §3.2.1)",
            ),
            Self::InvalidRequest(rule) => write!(f, "cannot build request: {rule}"),
            Self::ClientIdMetadataDocumentNotSupported => f.write_str(
                "server does not advertise client_id_metadata_document_supported",
            ),
            Self::Key(e) => write!(f, "client assertion: {e}"),
            Self::Random(e) => e.fmt(f),
            Self::Http(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for ClientError {}

impl From<DocumentError> for ClientError {
    fn from(e: DocumentError) -> Self {
        Self::Document(e)
    }
}
impl From<FormError> for ClientError {
    fn from(e: FormError) -> Self {
        Self::Form(e)
    }
}
impl From<WellKnownError> for ClientError {
    fn from(e: WellKnownError) -> Self {
        Self::InvalidUrl(e)
    }
}
impl From<KeyError> for ClientError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}
impl From<RandomError> for ClientError {
    fn from(e: RandomError) -> Self {
        Self::Random(e)
    }
}
impl From<HttpError> for ClientError {
    fn from(e: HttpError) -> Self {
        Self::Http(e)
    }
}
