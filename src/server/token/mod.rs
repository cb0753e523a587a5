//! The token endpoint (RFC 6749 §3.2, §4, §5): request parsing, the grant
//! decisions (one module per grant type), and error rendering (§5.2).
//!
//! ```text
//! let req = parse_token_request(&http_req)?;                     // typed grant, no duplicates
//! let creds = extract_client_credentials(&http_req, req.form())?; // server::client
//! let authed = authenticate_client(&registered, &creds, &audience, now)?;
//! let client = TokenClient::new(&registered, &authed)?;
//! let dpop = verify_token_request_proof(&req, TOKEN_ENDPOINT, nonces, now, &replay)?;
//! let lookup = store.take_code(&req.code_hash()?);               // caller's I/O, single use
//! let grant = redeem_code(&policy, &client, lookup, &req, dpop.as_ref(), now)?;
//! let (response, to_persist) = issue_tokens(&policy, &keys, &grant, now, rng)?;
//! store.persist(to_persist); send(response.to_http_response());
//! ```
//! `server::memory::MemoryAuthorizationServer` wires exactly these calls.
//!
//! Every failure is a [`TokenError`]; [`TokenError::to_http_response`] renders it,
//! and [`TokenError::revoke_family`] says when the caller must revoke what an
//! earlier use of the same credential issued (code replay, refresh reuse).

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;

use super::client::{
    AuthenticatedClient, ClientAuthError, ClientType, RegisteredClient, TokenEndpointAuthMethod,
};
use super::issue::{HandleHash, IssueError, no_store};
use crate::encoding::form::{self, FormError, FormParams};
use crate::error::{ErrorCode, ErrorResponse};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::jose::JoseError;
use crate::pkce::PkceError;

pub mod authorization_code;
pub mod client_credentials;
pub mod device_code;
pub mod jwt_bearer;
pub mod refresh_token;
pub mod token_exchange;

/// The largest token request body accepted, in bytes.
pub const MAX_TOKEN_REQUEST_LEN: usize = 64 * 1024;

/// `grant_type` values (RFC 6749 §4.1.3, §4.4.2, §6; RFC 8628 §3.4; RFC 8693
/// §2.1; RFC 7523 §2.1).
pub mod grant_type {
    /// RFC 6749 §4.1.3.
    pub const AUTHORIZATION_CODE: &str = "authorization_code";
    /// RFC 6749 §6.
    pub const REFRESH_TOKEN: &str = "refresh_token";
    /// RFC 6749 §4.4.2.
    pub const CLIENT_CREDENTIALS: &str = "client_credentials";
    /// RFC 8628 §3.4.
    pub const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
    /// RFC 8693 §2.1.
    pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
    /// RFC 7523 §2.1.
    pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
}

/// Why a grant was refused as `invalid_grant` (RFC 6749 §5.2): which check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrantFailure {
    /// No such code, refresh token or device code (or it was revoked).
    Unknown,
    /// The code, refresh token or device code has expired.
    Expired,
    /// The credential was issued to another client (RFC 6749 §4.1.3, §6).
    ClientMismatch,
    /// `redirect_uri` differs from the authorization request's (RFC 6749 §4.1.3).
    RedirectUriMismatch,
    /// The authorization request had a `code_challenge` but no `code_verifier`
    /// came, or the reverse (RFC 7636 §4.6; RFC 9700 §2.1.1 downgrade).
    PkceMissing,
    /// The PKCE check failed (RFC 7636 §4.6).
    Pkce(PkceError),
    /// The DPoP proof's key is not the one the code or token is bound to
    /// (RFC 9449 §10, §5).
    DpopKeyMismatch,
    /// A DPoP-bound refresh token was presented without a proof (RFC 9449 §5).
    DpopProofRequired,
    /// The subject or actor token failed validation (RFC 8693 §2.2.2).
    SubjectToken(JoseError),
    /// The assertion failed validation (RFC 7523 §3).
    Assertion(JoseError),
    /// The assertion's `jti` was seen before (RFC 7523 §3 item 7).
    AssertionReplay,
    /// The assertion's `client_id` is not the authenticated client (ID-JAG).
    AssertionClientMismatch,
    /// The assertion's issuer is not trusted.
    UntrustedIssuer,
}

impl fmt::Display for GrantFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown => f.write_str("grant is unknown or revoked (RFC 6749 §5.2)"),
            Self::Expired => f.write_str("grant has expired (RFC 6749 §5.2)"),
            Self::ClientMismatch => {
                f.write_str("grant was issued to another client (RFC 6749 §4.1.3, §6)")
            }
            Self::RedirectUriMismatch => f.write_str(
                "redirect_uri does not match the authorization request (RFC 6749 §4.1.3)",
            ),
            Self::PkceMissing => f.write_str(
                "code_verifier missing or not expected for this code (RFC 7636 §4.6, RFC 9700 §2.1.1)",
            ),
            Self::Pkce(e) => write!(f, "{e}"),
            Self::DpopKeyMismatch => {
                f.write_str("DPoP proof key differs from the bound key (RFC 9449 §10, §5)")
            }
            Self::DpopProofRequired => {
                f.write_str("DPoP-bound refresh token used without a proof (RFC 9449 §5)")
            }
            Self::SubjectToken(e) => write!(f, "subject or actor token invalid (RFC 8693 §2.1): {e}"),
            Self::Assertion(e) => write!(f, "assertion invalid (RFC 7523 §3): {e}"),
            Self::AssertionReplay => f.write_str("assertion jti already used (RFC 7523 §3)"),
            Self::AssertionClientMismatch => {
                f.write_str("assertion client_id is not the authenticated client (ID-JAG)")
            }
            Self::UntrustedIssuer => f.write_str("assertion issuer is not trusted (RFC 7523 §3)"),
        }
    }
}

/// A token endpoint failure. Each variant renders as one OAuth error
/// ([`TokenError::code`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a POST (RFC 6749 §3.2).
    MethodNotAllowed,
    /// `Content-Type` is not `application/x-www-form-urlencoded` (RFC 6749 §3.2).
    UnsupportedContentType,
    /// The body is larger than [`MAX_TOKEN_REQUEST_LEN`].
    TooLarge,
    /// The body is not a valid form, or repeats a parameter (RFC 6749 §3.2).
    Form(FormError),
    /// A required parameter is absent.
    MissingParameter(&'static str),
    /// A parameter has an invalid value.
    InvalidParameter(&'static str),
    /// More than one `DPoP` header (RFC 9449 §4.3).
    MultipleDpopProofs,
    /// `grant_type` is not one this server supports (RFC 6749 §5.2).
    UnsupportedGrantType,
    /// Client authentication failed (RFC 6749 §5.2). `basic` when the client
    /// tried HTTP Basic, so the response carries `WWW-Authenticate: Basic`.
    InvalidClient {
        /// Whether the client authenticated with the `Authorization` header.
        basic: bool,
    },
    /// Client authentication failed as `server::client` reports it (renders
    /// `invalid_request` or `invalid_client` per [`ClientAuthError::error_code`]).
    ClientAuth {
        /// The failure.
        error: ClientAuthError,
        /// Whether the client tried HTTP Basic (`WWW-Authenticate: Basic` then).
        basic: bool,
    },
    /// The client may not use this grant type (RFC 6749 §5.2), e.g. a public
    /// client asking for client credentials (RFC 6749 §4.4).
    UnauthorizedClient,
    /// The grant is invalid; the reason says which check failed.
    InvalidGrant(GrantFailure),
    /// RFC 9700 §4.5 / RFC 6749 §4.1.2: an authorization code was presented a
    /// second time. The caller must revoke every token issued from it (the
    /// family in [`TokenError::revoke_family`]).
    CodeReplay {
        /// The family to revoke.
        family_id: String,
    },
    /// RFC 9700 §4.14.2: a rotated refresh token was presented again. The
    /// caller must revoke the whole family.
    RefreshTokenReuse {
        /// The family to revoke.
        family_id: String,
    },
    /// The scope is malformed, unknown, or exceeds what was granted (RFC 6749 §3.3, §6).
    InvalidScope,
    /// A `resource` is malformed or not authorized (RFC 8707 §2).
    InvalidTarget,
    /// RFC 8628 §3.5: the user has not finished yet.
    AuthorizationPending,
    /// RFC 8628 §3.5: polled faster than the interval.
    SlowDown,
    /// RFC 8628 §3.5: the device code expired.
    ExpiredToken,
    /// RFC 8628 §3.5: the user denied the request.
    AccessDenied,
    /// RFC 8693 §2.2.2: a token type is not supported.
    UnsupportedTokenType,
    /// RFC 8693 §2.2.2 / policy: the actor may not act for the subject (`may_act`).
    ActorNotAllowed,
    /// RFC 9449 §5: the DPoP proof is invalid.
    InvalidDpopProof,
    /// RFC 9449 §8: a server nonce is required; the response carries it.
    UseDpopNonce {
        /// The nonce for the `DPoP-Nonce` header.
        nonce: String,
    },
    /// Issuing failed (server_error).
    Issue(IssueError),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MethodNotAllowed => f.write_str("token request must be a POST (RFC 6749 §3.2)"),
            Self::UnsupportedContentType => f.write_str(
                "token request must be application/x-www-form-urlencoded (RFC 6749 §3.2)",
            ),
            Self::TooLarge => f.write_str("token request body too large"),
            Self::Form(e) => write!(f, "{e}"),
            Self::MissingParameter(p) => write!(f, "missing parameter {p} (RFC 6749 §5.2)"),
            Self::InvalidParameter(p) => write!(f, "invalid parameter {p} (RFC 6749 §5.2)"),
            Self::MultipleDpopProofs => {
                f.write_str("more than one DPoP header (RFC 9449 §4.3)")
            }
            Self::UnsupportedGrantType => f.write_str("unsupported grant_type (RFC 6749 §5.2)"),
            Self::InvalidClient { .. } => {
                f.write_str("client authentication failed (RFC 6749 §5.2)")
            }
            Self::ClientAuth { error, .. } => write!(f, "{error}"),
            Self::UnauthorizedClient => {
                f.write_str("client is not authorized for this grant type (RFC 6749 §5.2)")
            }
            Self::InvalidGrant(r) => write!(f, "invalid_grant: {r}"),
            Self::CodeReplay { .. } => f.write_str(
                "authorization code already used; tokens issued from it must be revoked (RFC 9700 §4.5)",
            ),
            Self::RefreshTokenReuse { .. } => f.write_str(
                "rotated refresh token reused; its family must be revoked (RFC 9700 §4.14.2)",
            ),
            Self::InvalidScope => {
                f.write_str("scope invalid or wider than granted (RFC 6749 §3.3, §6)")
            }
            Self::InvalidTarget => f.write_str("resource invalid or not authorized (RFC 8707 §2)"),
            Self::AuthorizationPending => {
                f.write_str("authorization pending (RFC 8628 §3.5)")
            }
            Self::SlowDown => f.write_str("polling too fast (RFC 8628 §3.5)"),
            Self::ExpiredToken => f.write_str("device code expired (RFC 8628 §3.5)"),
            Self::AccessDenied => f.write_str("authorization denied (RFC 8628 §3.5)"),
            Self::UnsupportedTokenType => {
                f.write_str("token type not supported (RFC 8693 §2.2.2)")
            }
            Self::ActorNotAllowed => {
                f.write_str("actor may not act for the subject (RFC 8693 §4.4 may_act)")
            }
            Self::InvalidDpopProof => f.write_str("invalid DPoP proof (RFC 9449 §5)"),
            Self::UseDpopNonce { .. } => {
                f.write_str("DPoP proof must carry the server nonce (RFC 9449 §8)")
            }
            Self::Issue(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for TokenError {}

impl From<FormError> for TokenError {
    fn from(e: FormError) -> Self {
        Self::Form(e)
    }
}

impl From<IssueError> for TokenError {
    fn from(e: IssueError) -> Self {
        match e {
            IssueError::NoAudience => Self::InvalidTarget,
            e => Self::Issue(e),
        }
    }
}

impl From<GrantFailure> for TokenError {
    fn from(r: GrantFailure) -> Self {
        Self::InvalidGrant(r)
    }
}

impl TokenError {
    /// The OAuth error code this failure renders as.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MethodNotAllowed
            | Self::UnsupportedContentType
            | Self::TooLarge
            | Self::Form(_)
            | Self::MissingParameter(_)
            | Self::InvalidParameter(_) => ErrorCode::InvalidRequest,
            Self::MultipleDpopProofs | Self::InvalidDpopProof => ErrorCode::InvalidDpopProof,
            Self::UnsupportedGrantType => ErrorCode::UnsupportedGrantType,
            Self::InvalidClient { .. } => ErrorCode::InvalidClient,
            Self::ClientAuth { error, .. } => error.error_code(),
            Self::UnauthorizedClient => ErrorCode::UnauthorizedClient,
            Self::InvalidGrant(_) | Self::CodeReplay { .. } | Self::RefreshTokenReuse { .. } => {
                ErrorCode::InvalidGrant
            }
            Self::InvalidScope => ErrorCode::InvalidScope,
            Self::InvalidTarget => ErrorCode::InvalidTarget,
            Self::AuthorizationPending => ErrorCode::AuthorizationPending,
            Self::SlowDown => ErrorCode::SlowDown,
            Self::ExpiredToken => ErrorCode::ExpiredToken,
            Self::AccessDenied => ErrorCode::AccessDenied,
            Self::UnsupportedTokenType => ErrorCode::UnsupportedTokenType,
            // RFC 8693 §2.2.2: "If the request itself is not valid or if either
            // the subject_token or actor_token are invalid for any reason, or are
            // unacceptable based on policy, the authorization server MUST
            // construct an error response ... invalid_request". We use it.
            Self::ActorNotAllowed => ErrorCode::InvalidRequest,
            Self::UseDpopNonce { .. } => ErrorCode::UseDpopNonce,
            Self::Issue(_) => ErrorCode::ServerError,
        }
    }

    /// The family (grant) whose tokens the caller must revoke now, for a replayed
    /// authorization code or a reused rotated refresh token.
    #[must_use]
    pub fn revoke_family(&self) -> Option<&str> {
        match self {
            Self::CodeReplay { family_id } | Self::RefreshTokenReuse { family_id } => {
                Some(family_id)
            }
            _ => None,
        }
    }

    /// The RFC 6749 §5.2 error body. The description names the rule; it never
    /// contains a credential.
    #[must_use]
    pub fn to_error_response(&self) -> ErrorResponse {
        let description = match self {
            // Do not tell an attacker which part of a grant failed beyond the rule.
            Self::Issue(_) => "server error".to_string(),
            e => e.to_string(),
        };
        ErrorResponse::new(self.code()).with_description(&description)
    }

    /// The HTTP response (RFC 6749 §5.2): 400, 401 for `invalid_client`, 500
    /// for `server_error` (so `access_denied`, RFC 8628 §3.5, and
    /// `use_dpop_nonce`, RFC 9449 §8, are 400 here), JSON body,
    /// `Cache-Control: no-store`;
    /// `WWW-Authenticate: Basic` for `invalid_client` after Basic authentication
    /// (RFC 6749 §5.2), and `DPoP-Nonce` for `use_dpop_nonce` (RFC 9449 §8).
    #[must_use]
    pub fn to_http_response(&self) -> HttpResponse {
        let code = self.code();
        // RFC 6749 §5.2: 400, or 401 for invalid_client. Q: why not
        // ErrorCode::http_status? A: it answers for every endpoint (403 for
        // access_denied, 401 for use_dpop_nonce at a resource server); at the
        // token endpoint RFC 8628 §3.5 and RFC 9449 §8 use §5.2's 400.
        let status = match code {
            ErrorCode::InvalidClient => 401,
            ErrorCode::ServerError => 500,
            ErrorCode::TemporarilyUnavailable => 503,
            _ => 400,
        };
        let mut resp = no_store(HttpResponse::json(
            status,
            self.to_error_response().to_json(),
        ));
        let basic = matches!(
            self,
            Self::InvalidClient { basic: true } | Self::ClientAuth { basic: true, .. }
        );
        match self {
            _ if basic && code == ErrorCode::InvalidClient => {
                let _ = resp
                    .headers
                    .insert("WWW-Authenticate", "Basic realm=\"token\"");
            }
            Self::UseDpopNonce { nonce } => {
                // A nonce with a control character cannot be a header: then the
                // client sees no nonce and retries, which fails closed.
                let _ = resp.headers.insert("DPoP-Nonce", nonce.as_str());
            }
            _ => {}
        }
        resp
    }
}

/// A parsed token request: the grant's parameters, `scope`, `resource`s and the
/// `DPoP` proof. Client credentials stay in [`TokenRequest::form`] and the
/// request headers for the client-authentication step.
#[derive(Clone)]
pub struct TokenRequest {
    grant: GrantParams,
    scope: Option<Vec<String>>,
    resources: Vec<String>,
    dpop_proof: Option<String>,
    form: FormParams,
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant.grant_type())
            .field("scope", &self.scope)
            .field("resources", &self.resources)
            .field("dpop", &self.dpop_proof.is_some())
            .finish_non_exhaustive()
    }
}

/// The grant-specific parameters of a token request.
#[derive(Clone)]
#[non_exhaustive]
pub enum GrantParams {
    /// RFC 6749 §4.1.3.
    AuthorizationCode {
        /// The code.
        code: String,
        /// The `redirect_uri`, required when the authorization request had one.
        redirect_uri: Option<String>,
        /// The PKCE `code_verifier`.
        code_verifier: Option<String>,
    },
    /// RFC 6749 §6.
    RefreshToken {
        /// The refresh token.
        refresh_token: String,
    },
    /// RFC 6749 §4.4.2.
    ClientCredentials,
    /// RFC 8628 §3.4.
    DeviceCode {
        /// The device code.
        device_code: String,
    },
    /// RFC 8693 §2.1.
    TokenExchange(TokenExchangeParams),
    /// RFC 7523 §2.1.
    JwtBearer {
        /// The JWT assertion.
        assertion: String,
    },
}

impl GrantParams {
    /// The `grant_type` value.
    #[must_use]
    pub fn grant_type(&self) -> &'static str {
        match self {
            Self::AuthorizationCode { .. } => grant_type::AUTHORIZATION_CODE,
            Self::RefreshToken { .. } => grant_type::REFRESH_TOKEN,
            Self::ClientCredentials => grant_type::CLIENT_CREDENTIALS,
            Self::DeviceCode { .. } => grant_type::DEVICE_CODE,
            Self::TokenExchange(_) => grant_type::TOKEN_EXCHANGE,
            Self::JwtBearer { .. } => grant_type::JWT_BEARER,
        }
    }
}

/// RFC 8693 §2.1 parameters.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenExchangeParams {
    /// The token representing the party on whose behalf the request is made.
    pub subject_token: String,
    /// Its type URI.
    pub subject_token_type: String,
    /// The token representing the acting party.
    pub actor_token: Option<String>,
    /// Its type URI (required with `actor_token`).
    pub actor_token_type: Option<String>,
    /// The type of token wanted.
    pub requested_token_type: Option<String>,
    /// `audience` values (logical names of the target services).
    pub audience: Vec<String>,
}

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`, separated by
/// single spaces. Duplicates are dropped, order kept.
///
/// # Errors
/// [`TokenError::InvalidScope`] for an empty token or a character outside the set.
pub fn parse_scope(s: &str) -> Result<Vec<String>, TokenError> {
    let mut out: Vec<String> = Vec::new();
    for tok in s.split(' ') {
        let ok = !tok.is_empty()
            && tok
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b));
        if !ok {
            return Err(TokenError::InvalidScope);
        }
        if !out.iter().any(|t| t == tok) {
            out.push(tok.to_string());
        }
    }
    Ok(out)
}

/// RFC 8707 §2: a `resource` is an absolute URI without a fragment.
pub(crate) fn check_resource(r: &str) -> Result<(), TokenError> {
    match url::Url::parse(r) {
        Ok(u) if u.fragment().is_none() && !r.contains('#') => Ok(()),
        _ => Err(TokenError::InvalidTarget),
    }
}

/// Reads a token request (RFC 6749 §3.2): POST, form-encoded, no repeated
/// parameter (except `resource` and `audience`, RFC 8707 §2, RFC 8693 §2.1), a
/// supported `grant_type` with its required parameters, a valid `scope` and
/// `resource`s, at most one `DPoP` header.
///
/// Client authentication is a separate step (`server::client`), which reads
/// the credentials from the same request.
///
/// # Errors
/// [`TokenError`] naming the first problem: `invalid_request`,
/// `unsupported_grant_type`, `invalid_scope`, `invalid_target` or
/// `invalid_dpop_proof`.
pub fn parse_token_request(req: &HttpRequest) -> Result<TokenRequest, TokenError> {
    if req.method != Method::Post {
        return Err(TokenError::MethodNotAllowed);
    }
    if !req.content_type_is_form() {
        return Err(TokenError::UnsupportedContentType);
    }
    if req.body.len() > MAX_TOKEN_REQUEST_LEN {
        return Err(TokenError::TooLarge);
    }
    let form = form::parse_form(&req.body)?;
    parse_token_form(form, req)
}

fn parse_token_form(form: FormParams, req: &HttpRequest) -> Result<TokenRequest, TokenError> {
    // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more
    // than once"; RFC 8707 §2 and RFC 8693 §2.1 allow resource and audience to repeat.
    form.ensure_no_duplicates(&["resource", "audience"])?;
    let dpop_proof = req
        .headers
        .get_single("DPoP")
        .map_err(|_| TokenError::MultipleDpopProofs)?
        .map(str::to_string);
    let get = |name: &'static str| form.get_non_empty(name);
    let need = |name: &'static str| -> Result<String, TokenError> {
        get(name)?
            .map(str::to_string)
            .ok_or(TokenError::MissingParameter(name))
    };
    let grant_type = get("grant_type")?.ok_or(TokenError::MissingParameter("grant_type"))?;
    let grant = match grant_type {
        grant_type::AUTHORIZATION_CODE => GrantParams::AuthorizationCode {
            code: need("code")?,
            redirect_uri: get("redirect_uri")?.map(str::to_string),
            code_verifier: get("code_verifier")?.map(str::to_string),
        },
        grant_type::REFRESH_TOKEN => GrantParams::RefreshToken {
            refresh_token: need("refresh_token")?,
        },
        grant_type::CLIENT_CREDENTIALS => GrantParams::ClientCredentials,
        grant_type::DEVICE_CODE => GrantParams::DeviceCode {
            device_code: need("device_code")?,
        },
        grant_type::TOKEN_EXCHANGE => {
            let actor_token = get("actor_token")?.map(str::to_string);
            let actor_token_type = get("actor_token_type")?.map(str::to_string);
            // RFC 8693 §2.1: actor_token_type is REQUIRED when actor_token is
            // present and MUST NOT be included otherwise.
            match (&actor_token, &actor_token_type) {
                (Some(_), None) => return Err(TokenError::MissingParameter("actor_token_type")),
                (None, Some(_)) => return Err(TokenError::InvalidParameter("actor_token_type")),
                _ => {}
            }
            let audience: Vec<String> = form
                .get_all("audience")
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
            GrantParams::TokenExchange(TokenExchangeParams {
                subject_token: need("subject_token")?,
                subject_token_type: need("subject_token_type")?,
                actor_token,
                actor_token_type,
                requested_token_type: get("requested_token_type")?.map(str::to_string),
                audience,
            })
        }
        grant_type::JWT_BEARER => GrantParams::JwtBearer {
            assertion: need("assertion")?,
        },
        _ => return Err(TokenError::UnsupportedGrantType),
    };
    let scope = get("scope")?.map(parse_scope).transpose()?;
    let mut resources: Vec<String> = Vec::new();
    for r in form.get_all("resource").filter(|r| !r.is_empty()) {
        check_resource(r)?;
        if !resources.iter().any(|x| x == r) {
            resources.push(r.to_string());
        }
    }
    Ok(TokenRequest {
        grant,
        scope,
        resources,
        dpop_proof,
        form,
    })
}

impl TokenRequest {
    /// The grant's parameters.
    #[must_use]
    pub fn grant(&self) -> &GrantParams {
        &self.grant
    }

    /// The `grant_type`.
    #[must_use]
    pub fn grant_type(&self) -> &'static str {
        self.grant.grant_type()
    }

    /// The requested scope, if any.
    #[must_use]
    pub fn scope(&self) -> Option<&[String]> {
        self.scope.as_deref()
    }

    /// The requested resources (RFC 8707), possibly empty.
    #[must_use]
    pub fn resources(&self) -> &[String] {
        &self.resources
    }

    /// The `DPoP` header value (RFC 9449 §4), to validate before the grant.
    #[must_use]
    pub fn dpop_proof(&self) -> Option<&str> {
        self.dpop_proof.as_deref()
    }

    /// All form parameters (client authentication reads `client_id`,
    /// `client_secret`, `client_assertion` from here).
    #[must_use]
    pub fn form(&self) -> &FormParams {
        &self.form
    }

    /// The `client_id` form parameter, if sent.
    #[must_use]
    pub fn client_id_param(&self) -> Option<&str> {
        self.form.get_non_empty("client_id").ok().flatten()
    }

    /// The hash under which the caller stored the authorization code, for
    /// an `authorization_code` request.
    #[must_use]
    pub fn code_hash(&self) -> Option<HandleHash> {
        match &self.grant {
            GrantParams::AuthorizationCode { code, .. } => Some(HandleHash::of(code)),
            _ => None,
        }
    }

    /// The hash of the refresh token, for a `refresh_token` request.
    #[must_use]
    pub fn refresh_token_hash(&self) -> Option<HandleHash> {
        match &self.grant {
            GrantParams::RefreshToken { refresh_token } => Some(HandleHash::of(refresh_token)),
            _ => None,
        }
    }

    /// The hash of the device code, for a device code request.
    #[must_use]
    pub fn device_code_hash(&self) -> Option<HandleHash> {
        match &self.grant {
            GrantParams::DeviceCode { device_code } => Some(HandleHash::of(device_code)),
            _ => None,
        }
    }
}

/// An authenticated client with its registration: what every grant decision
/// takes. Only [`TokenClient::new`] builds one, from the proof that
/// `server::client::authenticate_client` returned.
#[derive(Clone, Copy, Debug)]
pub struct TokenClient<'a> {
    registered: &'a RegisteredClient,
    authenticated: &'a AuthenticatedClient,
}

impl<'a> TokenClient<'a> {
    /// Pairs a registration with the proof that the request authenticated as it.
    ///
    /// # Errors
    /// [`TokenError::InvalidClient`] when they name different clients.
    pub fn new(
        registered: &'a RegisteredClient,
        authenticated: &'a AuthenticatedClient,
    ) -> Result<Self, TokenError> {
        if registered.client_id != authenticated.client_id() {
            return Err(TokenError::InvalidClient { basic: false });
        }
        Ok(Self {
            registered,
            authenticated,
        })
    }

    /// The client identifier.
    #[must_use]
    pub fn client_id(&self) -> &'a str {
        self.authenticated.client_id()
    }

    /// The registration.
    #[must_use]
    pub fn registered(&self) -> &'a RegisteredClient {
        self.registered
    }

    /// The authentication proof.
    #[must_use]
    pub fn authenticated(&self) -> &'a AuthenticatedClient {
        self.authenticated
    }

    /// `true` for a public client (RFC 6749 §2.1).
    #[must_use]
    pub fn is_public(&self) -> bool {
        self.registered.client_type() == ClientType::Public
            || self.authenticated.method() == TokenEndpointAuthMethod::None
    }

    /// RFC 6749 §5.2 `unauthorized_client` unless the client registered `grant_type`.
    pub(crate) fn require_grant_type(&self, grant_type: &str) -> Result<(), TokenError> {
        if self.registered.allows_grant_type(grant_type) {
            Ok(())
        } else {
            Err(TokenError::UnauthorizedClient)
        }
    }

    /// Whether refresh tokens may be issued to this client.
    pub(crate) fn may_refresh(&self) -> bool {
        self.registered.allows_grant_type(grant_type::REFRESH_TOKEN)
    }

    /// RFC 9449 §5.2: a client registered with `dpop_bound_access_tokens` must
    /// send a proof with every token request.
    pub(crate) fn require_dpop_if_registered(
        &self,
        proof: Option<&DpopKey>,
    ) -> Result<(), TokenError> {
        if self.registered.dpop_bound_access_tokens && proof.is_none() {
            return Err(TokenError::InvalidDpopProof);
        }
        Ok(())
    }

    /// Scope against the client's allowed scopes (RFC 6749 §3.3).
    pub(crate) fn check_scope(&self, scope: &[String]) -> Result<(), TokenError> {
        if scope.iter().all(|s| self.registered.allows_scope(s)) {
            Ok(())
        } else {
            Err(TokenError::InvalidScope)
        }
    }

    /// Resources against the client's allowed resources (RFC 8707 §2).
    pub(crate) fn check_resources(&self, resources: &[String]) -> Result<(), TokenError> {
        if resources.iter().all(|r| self.registered.allows_resource(r)) {
            Ok(())
        } else {
            Err(TokenError::InvalidTarget)
        }
    }
}

/// The resources a grant's tokens name: the requested ones, each of which must
/// have been authorized (RFC 8707 §2), or all authorized ones when none is
/// requested.
pub(crate) fn narrow_resources(
    requested: &[String],
    authorized: &[String],
) -> Result<Vec<String>, TokenError> {
    if requested.is_empty() {
        return Ok(authorized.to_vec());
    }
    if requested.iter().all(|r| authorized.contains(r)) {
        Ok(requested.to_vec())
    } else {
        Err(TokenError::InvalidTarget)
    }
}

/// The scope of a grant's tokens: the requested one, which must be within the
/// granted one (RFC 6749 §6: "MUST NOT include any scope not originally
/// granted"), or the granted one when none is requested.
pub(crate) fn narrow_scope(
    requested: Option<&[String]>,
    granted: &[String],
) -> Result<Vec<String>, TokenError> {
    match requested {
        None => Ok(granted.to_vec()),
        Some(req) if req.iter().all(|s| granted.contains(s)) => Ok(req.to_vec()),
        Some(_) => Err(TokenError::InvalidScope),
    }
}

/// Checks the DPoP binding (RFC 9449 §5, §10): a bound credential needs a proof
/// of the same key; an unbound one takes the proof's key, if any.
pub(crate) fn dpop_binding(
    bound: Option<&str>,
    proof: Option<&DpopKey>,
) -> Result<Option<String>, TokenError> {
    match (bound, proof) {
        (Some(b), Some(p)) if constant_time_eq(b, p.jkt()) => Ok(Some(b.to_string())),
        (Some(_), Some(_)) => Err(GrantFailure::DpopKeyMismatch.into()),
        (Some(_), None) => Err(GrantFailure::DpopProofRequired.into()),
        (None, p) => Ok(p.map(|p| p.jkt().to_string())),
    }
}

pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl From<&crate::dpop::VerifiedDpopProof> for DpopKey {
    /// The key of a proof that `crate::dpop::verify_proof` accepted.
    fn from(proof: &crate::dpop::VerifiedDpopProof) -> Self {
        Self {
            jkt: proof.jkt().to_string(),
        }
    }
}

/// Validates the `DPoP` proof of a token request with the DPoP module (RFC 9449
/// §4.3, §5): `htm` POST, `htu` the token endpoint, no `ath` (no access token
/// is presented here), the `jti` recorded in `replay`, and, when `nonces` is
/// given, a current server nonce (§8). `None` when the request has no proof.
///
/// # Errors
/// [`TokenError::UseDpopNonce`] with the current nonce when the proof lacks a
/// valid one (render it: 400 with `DPoP-Nonce`, §8);
/// [`TokenError::InvalidDpopProof`] for any other failed check.
pub fn verify_token_request_proof(
    req: &TokenRequest,
    token_endpoint: &str,
    nonces: Option<&crate::dpop::NonceIssuer>,
    now: crate::time::UnixTime,
    replay: &(impl crate::dpop::ReplayStore + ?Sized),
) -> Result<Option<DpopKey>, TokenError> {
    use crate::dpop::{DpopError, NonceRule, ProofCheck, verify_proof};
    let Some(proof) = req.dpop_proof() else {
        return Ok(None);
    };
    let rule = match nonces {
        Some(n) => NonceRule::Rotating(n),
        None => NonceRule::NotRequired,
    };
    // RFC 9449 §5: the token endpoint checks the proof as in §4.3, for POST to itself.
    let check = ProofCheck::new("POST", token_endpoint).nonce(rule);
    match verify_proof(proof, &check, now, replay) {
        Ok(v) => Ok(Some(DpopKey::from(&v))),
        Err(DpopError::UseNonce) => Err(TokenError::UseDpopNonce {
            nonce: nonces
                .map(|n| n.current(now).as_str().to_string())
                .unwrap_or_default(),
        }),
        Err(_) => Err(TokenError::InvalidDpopProof),
    }
}

/// Adds a fresh `DPoP-Nonce` to a token endpoint response (RFC 9449 §8.2: the
/// server may supply a new nonce with any response, so the client uses it in its
/// next proof).
///
/// # Errors
/// [`TokenError::InvalidParameter`] when `nonce` is not a valid header value
/// (RFC 9449 §8.1: a nonce is `1*NQCHAR`).
pub fn with_dpop_nonce(mut resp: HttpResponse, nonce: &str) -> Result<HttpResponse, TokenError> {
    // RFC 9449 §8.1: NQCHAR = %x21 / %x23-5B / %x5D-7E.
    let ok = !nonce.is_empty()
        && nonce
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b));
    if !ok {
        return Err(TokenError::InvalidParameter("DPoP-Nonce"));
    }
    resp.headers
        .insert("DPoP-Nonce", nonce)
        .map_err(|_| TokenError::InvalidParameter("DPoP-Nonce"))?;
    Ok(resp)
}

/// The key of a DPoP proof that the caller validated for this token request
/// (RFC 9449 §4.3 checks: signature, `htm`, `htu`, `iat`, `jti`, nonce): its
/// RFC 7638 thumbprint, which bound tokens carry as `cnf.jkt`.
#[derive(Clone, PartialEq, Eq)]
pub struct DpopKey {
    jkt: String,
}

impl fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DpopKey").field(&self.jkt).finish()
    }
}

impl DpopKey {
    /// The key of a proof the caller validated with the DPoP module (RFC 9449
    /// §4.3), given by its base64url SHA-256 JWK thumbprint (RFC 7638).
    ///
    /// # Security
    /// Pass only the thumbprint of a proof that passed every §4.3 check for this
    /// very request; the binding is only as good as that validation.
    #[must_use]
    pub fn from_validated_thumbprint(jkt: impl Into<String>) -> Self {
        Self { jkt: jkt.into() }
    }

    /// The thumbprint.
    #[must_use]
    pub fn jkt(&self) -> &str {
        &self.jkt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(body: &str) -> HttpRequest {
        let mut r = HttpRequest::new(Method::Post, "/token");
        r.headers
            .insert("Content-Type", "application/x-www-form-urlencoded")
            .unwrap();
        r.body = body.as_bytes().to_vec();
        r
    }

    #[test]
    fn scope_syntax() {
        assert_eq!(parse_scope("a b a").unwrap(), ["a", "b"]);
        assert_eq!(parse_scope("a  b"), Err(TokenError::InvalidScope));
        assert_eq!(parse_scope("a\"b"), Err(TokenError::InvalidScope));
        assert_eq!(parse_scope("a\\b"), Err(TokenError::InvalidScope));
    }

    #[test]
    fn rfc6749_4_1_3_example_parses() {
        // RFC 6749 §4.1.3 request body.
        let r = parse_token_request(&post(
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
             &redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb",
        ))
        .unwrap();
        match r.grant() {
            GrantParams::AuthorizationCode {
                code, redirect_uri, ..
            } => {
                assert_eq!(code, "SplxlOBeZQQYbYS6WxSbIA");
                assert_eq!(
                    redirect_uri.as_deref(),
                    Some("https://client.example.com/cb")
                );
            }
            _ => panic!("wrong grant"),
        }
        assert_eq!(
            r.code_hash(),
            Some(HandleHash::of("SplxlOBeZQQYbYS6WxSbIA"))
        );
    }

    #[test]
    fn request_rules() {
        let mut get = post("grant_type=client_credentials");
        get.method = Method::Get;
        assert_eq!(
            parse_token_request(&get).unwrap_err(),
            TokenError::MethodNotAllowed
        );
        let mut json = post("grant_type=client_credentials");
        json.headers
            .insert("Content-Type", "application/json")
            .unwrap();
        assert_eq!(
            parse_token_request(&json).unwrap_err(),
            TokenError::UnsupportedContentType
        );
        assert!(matches!(
            parse_token_request(&post("grant_type=authorization_code&code=a&code=b")).unwrap_err(),
            TokenError::Form(FormError::DuplicateParameter(_))
        ));
        assert_eq!(
            parse_token_request(&post("grant_type=password&username=a")).unwrap_err(),
            TokenError::UnsupportedGrantType
        );
        assert_eq!(
            parse_token_request(&post("code=x")).unwrap_err(),
            TokenError::MissingParameter("grant_type")
        );
        assert_eq!(
            parse_token_request(&post("grant_type=authorization_code&code=")).unwrap_err(),
            TokenError::MissingParameter("code")
        );
        assert_eq!(
            parse_token_request(&post("grant_type=client_credentials&resource=https://a/#x"))
                .unwrap_err(),
            TokenError::InvalidTarget
        );
        assert_eq!(
            parse_token_request(&post(
                "grant_type=client_credentials&resource=relative/path"
            ))
            .unwrap_err(),
            TokenError::InvalidTarget
        );
        let ok = parse_token_request(&post(
            "grant_type=client_credentials&resource=https://a/x&resource=https://b/y",
        ))
        .unwrap();
        assert_eq!(ok.resources(), ["https://a/x", "https://b/y"]);
        let two_dpop = post("grant_type=client_credentials")
            .with_header("DPoP", "a.b.c")
            .unwrap()
            .with_header("DPoP", "d.e.f")
            .unwrap();
        assert_eq!(
            parse_token_request(&two_dpop).unwrap_err(),
            TokenError::MultipleDpopProofs
        );
    }

    #[test]
    fn error_rendering() {
        // RFC 6749 §5.2 example: {"error":"invalid_request"} with no-store.
        let r = TokenError::MissingParameter("code").to_http_response();
        assert_eq!(r.status, 400);
        assert_eq!(r.header("Cache-Control"), Some("no-store"));
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["error"], "invalid_request");
        let basic = TokenError::InvalidClient { basic: true }.to_http_response();
        assert_eq!(basic.status, 401);
        assert!(
            basic
                .header("WWW-Authenticate")
                .unwrap()
                .starts_with("Basic")
        );
        let nonce = TokenError::UseDpopNonce {
            nonce: "eyJ7S_zG.eyJH0-Z.HX4w-7v".into(),
        }
        .to_http_response();
        assert_eq!(nonce.status, 400);
        assert_eq!(nonce.header("DPoP-Nonce"), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        let fresh = with_dpop_nonce(HttpResponse::new(200), "eyJ7S_zG.eyJH0-Z.HX4w-7v").unwrap();
        assert_eq!(fresh.header("DPoP-Nonce"), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        assert!(with_dpop_nonce(HttpResponse::new(200), "a\"b").is_err());
        assert!(with_dpop_nonce(HttpResponse::new(200), "").is_err());
        let replay = TokenError::CodeReplay {
            family_id: "f1".into(),
        };
        assert_eq!(replay.revoke_family(), Some("f1"));
        assert_eq!(replay.code(), ErrorCode::InvalidGrant);
    }
}
