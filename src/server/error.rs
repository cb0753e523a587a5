//! Server-side errors of the front-channel endpoints (authorization, PAR, request objects), each
//! mapped to the OAuth `error` code and HTTP status it renders as, and the JSON error response
//! every endpoint shares (RFC 6749 §5.2).

use alloc::string::{String, ToString};
use core::fmt;

use crate::encoding::form::FormError;
use crate::error::{ErrorCode, ErrorResponse};
use crate::http::HttpResponse;
use crate::jose::JoseError;
use crate::pkce::PkceError;

use super::client::ClientAuthError;

/// Renders an OAuth JSON error response (RFC 6749 §5.2) with `Cache-Control: no-store`; the
/// status is the code's own ([`ErrorCode::http_status`]). `description` is cleaned to the
/// characters RFC 6749 §5.2 allows.
#[must_use]
pub fn json_error_response(code: ErrorCode, description: &str) -> HttpResponse {
    let body = ErrorResponse::new(code)
        .with_description(description)
        .to_json();
    let resp = HttpResponse::json(code.http_status(), body);
    resp.clone()
        .with_header("Cache-Control", "no-store")
        .unwrap_or(resp)
}

/// Why an authorization or pushed authorization request was refused.
///
/// [`AuthorizeError::error_code`] gives the code it renders as. Whether the user agent may be
/// redirected back to the client with the error is decided where it is raised (see
/// [`super::authorize::AuthorizeFailure`]): never for a bad client or redirect URI
/// (RFC 6749 §4.1.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizeError {
    /// The request is not a GET with a query or a POST form (RFC 6749 §3.1, OIDC Core §3.1.2.1).
    Method,
    /// A parameter is repeated or not UTF-8 (RFC 6749 §3.1: "MUST NOT be included more than
    /// once"). Holds the parameter name for a repeat.
    Form(FormError),
    /// `client_id` is missing (RFC 6749 §4.1.1).
    MissingClientId,
    /// The caller found no such client (RFC 6749 §4.1.2.1: do not redirect).
    UnknownClient,
    /// A `client_id` inside a request object or pushed request differs from the outer one
    /// (RFC 9101 §5; RFC 9126 §4).
    ClientIdMismatch,
    /// `redirect_uri` is missing and the client has not exactly one registered (RFC 6749 §3.1.2.3).
    MissingRedirectUri,
    /// `redirect_uri` does not exactly match a registered one (RFC 9700 §4.1.3; RFC 8252 §7.3 for
    /// native loopback ports).
    RedirectUriMismatch,
    /// `response_type` is missing (RFC 6749 §4.1.1).
    MissingResponseType,
    /// `response_type` is not `code` (OAuth 2.1 §4.1.1; RFC 9700 §2.1.2).
    UnsupportedResponseType,
    /// `response_mode` other than `query`.
    UnsupportedResponseMode,
    /// The client may not use the authorization code grant (RFC 6749 §4.1.2.1 unauthorized_client).
    UnauthorizedClient,
    /// `code_challenge` is missing: PKCE is required (RFC 9700 §2.1.1, OAuth 2.1 §4.1.1).
    MissingCodeChallenge,
    /// `code_challenge` or its method is refused (RFC 7636 §4.4.1, RFC 9700 §2.1.1).
    Pkce(PkceError),
    /// A `scope` value is malformed or not allowed for the client (RFC 6749 §3.3).
    InvalidScope,
    /// A `resource` is not an absolute URI without fragment, or not allowed (RFC 8707 §2).
    InvalidTarget,
    /// A parameter's value is malformed: names it (`prompt`, `max_age`, `dpop_jkt`, ...).
    InvalidParameter(&'static str),
    /// The server requires pushed authorization requests (RFC 9126 §5).
    ParRequired,
    /// `request_uri` unknown, expired, already used or issued to another client (RFC 9126 §4).
    InvalidRequestUri,
    /// `request_uri` is not one this server issued by PAR (by-reference request objects are not
    /// fetched) (RFC 9101 §6.2 request_uri_not_supported).
    RequestUriNotSupported,
    /// Request objects are not accepted (RFC 9101 §6.2 request_not_supported).
    RequestNotSupported,
    /// Both `request` and `request_uri`, or one of them inside a pushed request where it is not
    /// allowed (RFC 9101 §5, RFC 9126 §2.1).
    RequestAndRequestUri,
    /// The request object failed verification (RFC 9101 §6.2 invalid_request_object).
    RequestObject(JoseError),
    /// A request-object claim is missing or wrong: names it (RFC 9101 §6.1, §10.2).
    RequestObjectClaim(&'static str),
    /// Client authentication at the PAR endpoint failed (RFC 9126 §2.1).
    ClientAuth(ClientAuthError),
    /// The DPoP proof at the PAR endpoint is unusable: names the rule (RFC 9449 §10.1).
    DpopProof(&'static str),
    /// The caller's decision is inconsistent with the request (grants a scope or resource that
    /// was not requested, or an empty subject).
    Decision(&'static str),
    /// The random source failed.
    Random,
}

impl AuthorizeError {
    /// The OAuth `error` code this renders as.
    #[must_use]
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::UnknownClient => ErrorCode::InvalidClient,
            Self::UnsupportedResponseType => ErrorCode::UnsupportedResponseType,
            Self::UnauthorizedClient => ErrorCode::UnauthorizedClient,
            Self::InvalidScope => ErrorCode::InvalidScope,
            Self::InvalidTarget => ErrorCode::InvalidTarget,
            Self::InvalidRequestUri => ErrorCode::InvalidRequestUri,
            Self::RequestUriNotSupported => ErrorCode::RequestUriNotSupported,
            Self::RequestNotSupported => ErrorCode::RequestNotSupported,
            Self::RequestObject(_) | Self::RequestObjectClaim(_) => ErrorCode::InvalidRequestObject,
            Self::ClientAuth(e) => e.error_code(),
            Self::DpopProof(_) => ErrorCode::InvalidDpopProof,
            Self::Decision(_) | Self::Random => ErrorCode::ServerError,
            _ => ErrorCode::InvalidRequest,
        }
    }

    /// The HTTP status when rendered as JSON (not redirected): the code's own, except that an
    /// unknown client at the authorization endpoint is a 400 page for the user, not a 401
    /// challenge (which would make a browser prompt for credentials).
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            Self::UnknownClient => 400,
            _ => self.error_code().http_status(),
        }
    }

    /// The JSON error response (RFC 6749 §5.2), for errors that are not redirected. A failed
    /// client authentication at the PAR endpoint is a 401 with `WWW-Authenticate: Basic`
    /// (RFC 6749 §5.2, RFC 9126 §2.3).
    #[must_use]
    pub fn to_response(&self) -> HttpResponse {
        let mut resp = json_error_response(self.error_code(), &self.to_string());
        resp.status = self.http_status();
        if let Self::ClientAuth(e) = self
            && e.http_status() == 401
        {
            resp = resp
                .clone()
                .with_header("WWW-Authenticate", "Basic realm=\"oauth\"")
                .unwrap_or(resp);
        }
        resp
    }

    /// A short description safe to send (never contains parameter values).
    #[must_use]
    pub fn description(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for AuthorizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Method => f.write_str(
                "authorization request must be GET with a query or POST with a form (RFC 6749 §3.1)",
            ),
            Self::Form(e) => write!(f, "{e}"),
            Self::MissingClientId => f.write_str("client_id is required (RFC 6749 §4.1.1)"),
            Self::UnknownClient => f.write_str("unknown client_id (RFC 6749 §4.1.2.1)"),
            Self::ClientIdMismatch => f.write_str(
                "client_id differs from the request object or pushed request (RFC 9101 §5, RFC 9126 §4)",
            ),
            Self::MissingRedirectUri => f.write_str(
                "redirect_uri is required unless exactly one is registered (RFC 6749 §3.1.2.3)",
            ),
            Self::RedirectUriMismatch => f.write_str(
                "redirect_uri does not exactly match a registered redirect URI (RFC 9700 §4.1.3)",
            ),
            Self::MissingResponseType => {
                f.write_str("response_type is required (RFC 6749 §4.1.1)")
            }
            Self::UnsupportedResponseType => {
                f.write_str("response_type must be \"code\" (OAuth 2.1 §4.1.1)")
            }
            Self::UnsupportedResponseMode => f.write_str("response_mode must be \"query\""),
            Self::UnauthorizedClient => f.write_str(
                "client may not use the authorization_code grant (RFC 6749 §4.1.2.1)",
            ),
            Self::MissingCodeChallenge => {
                f.write_str("code_challenge is required: PKCE (RFC 9700 §2.1.1)")
            }
            Self::Pkce(e) => write!(f, "{e}"),
            Self::InvalidScope => f.write_str(
                "scope is malformed or not allowed for this client (RFC 6749 §3.3)",
            ),
            Self::InvalidTarget => f.write_str(
                "resource must be an allowed absolute URI without a fragment (RFC 8707 §2)",
            ),
            Self::InvalidParameter(p) => write!(f, "parameter {p} is malformed"),
            Self::ParRequired => {
                f.write_str("pushed authorization requests are required (RFC 9126 §5)")
            }
            Self::InvalidRequestUri => f.write_str(
                "request_uri is unknown, expired, used, or not for this client (RFC 9126 §4)",
            ),
            Self::RequestUriNotSupported => f.write_str(
                "only request_uri values from pushed authorization requests are accepted (RFC 9101 §6.2)",
            ),
            Self::RequestNotSupported => {
                f.write_str("request objects are not supported (RFC 9101 §6.2)")
            }
            Self::RequestAndRequestUri => f.write_str(
                "request and request_uri must not both be used (RFC 9101 §5, RFC 9126 §2.1)",
            ),
            Self::RequestObject(e) => write!(f, "request object: {e} (RFC 9101 §6.2)"),
            Self::RequestObjectClaim(c) => {
                write!(f, "request object claim {c} missing or invalid (RFC 9101 §6.1)")
            }
            Self::ClientAuth(e) => write!(f, "{e}"),
            Self::DpopProof(r) => write!(f, "DPoP: {r}"),
            Self::Decision(d) => write!(f, "authorization decision: {d}"),
            Self::Random => f.write_str("random source failed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AuthorizeError {}

impl From<FormError> for AuthorizeError {
    fn from(e: FormError) -> Self {
        Self::Form(e)
    }
}

impl From<PkceError> for AuthorizeError {
    fn from(e: PkceError) -> Self {
        Self::Pkce(e)
    }
}

impl From<ClientAuthError> for AuthorizeError {
    fn from(e: ClientAuthError) -> Self {
        Self::ClientAuth(e)
    }
}
