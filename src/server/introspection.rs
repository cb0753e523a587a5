//! Token introspection (RFC 7662): parse the request, decide from the record the
//! caller found, render the response.
//!
//! Every token this server issues is stored under the SHA-256 of the string the
//! client holds ([`crate::server::issue::HandleHash`]): opaque access tokens,
//! JWT access tokens and refresh tokens alike, so one lookup by
//! [`IntrospectionRequest::token_hash`] finds any of them.

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;

use super::client::{AuthenticatedClient, TokenEndpointAuthMethod};
use super::issue::{AccessTokenRecord, HandleHash, RefreshState, RefreshTokenRecord, no_store};
use super::token::TokenError;
use crate::encoding::form::{self, FormParams};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::time::UnixTime;

/// A parsed introspection (RFC 7662 §2.1) or revocation (RFC 7009 §2.1) request.
#[derive(Clone)]
pub struct TokenQueryRequest {
    token: String,
    token_type_hint: Option<String>,
    form: FormParams,
}

/// An introspection request (RFC 7662 §2.1).
pub type IntrospectionRequest = TokenQueryRequest;

impl fmt::Debug for TokenQueryRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenQueryRequest")
            .field("token_type_hint", &self.token_type_hint)
            .finish_non_exhaustive()
    }
}

impl TokenQueryRequest {
    /// The hash to look the token up by.
    #[must_use]
    pub fn token_hash(&self) -> HandleHash {
        HandleHash::of(&self.token)
    }

    /// The token as presented.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `token_type_hint` (`access_token`, `refresh_token` or an extension
    /// value): where to look first (RFC 7662 §2.1, RFC 7009 §2.1).
    #[must_use]
    pub fn token_type_hint(&self) -> Option<&str> {
        self.token_type_hint.as_deref()
    }

    /// The form, for client authentication.
    #[must_use]
    pub fn form(&self) -> &FormParams {
        &self.form
    }
}

/// Reads an introspection or revocation request: POST, form-encoded, no
/// repeated parameter, `token` required.
///
/// # Errors
/// [`TokenError`] (`invalid_request`).
pub fn parse_token_query_request(req: &HttpRequest) -> Result<TokenQueryRequest, TokenError> {
    if req.method != Method::Post {
        return Err(TokenError::MethodNotAllowed);
    }
    if !req.content_type_is_form() {
        return Err(TokenError::UnsupportedContentType);
    }
    if req.body.len() > super::token::MAX_TOKEN_REQUEST_LEN {
        return Err(TokenError::TooLarge);
    }
    let form = form::parse_form(&req.body)?;
    form.ensure_no_duplicates(&[])?;
    let token = form
        .get_non_empty("token")?
        .ok_or(TokenError::MissingParameter("token"))?
        .to_string();
    let token_type_hint = form.get_non_empty("token_type_hint")?.map(str::to_string);
    Ok(TokenQueryRequest {
        token,
        token_type_hint,
        form,
    })
}

/// Reads an introspection request (RFC 7662 §2.1).
///
/// # Errors
/// As [`parse_token_query_request`].
pub fn parse_introspection_request(req: &HttpRequest) -> Result<IntrospectionRequest, TokenError> {
    parse_token_query_request(req)
}

/// A stored token the caller found for a presented one.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum FoundToken<'a> {
    /// An access token (opaque or JWT).
    Access(&'a AccessTokenRecord),
    /// A refresh token.
    Refresh(&'a RefreshTokenRecord),
}

/// RFC 7800 §3.1 / RFC 9449 §6.2: `cnf` with the DPoP key thumbprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// The JWK SHA-256 thumbprint.
    pub jkt: String,
}

/// The introspection response (RFC 7662 §2.2). An inactive token has
/// `active: false` and no other member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IntrospectionResponse {
    /// Whether the token is active.
    pub active: bool,
    /// Space-separated scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The audience(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<Vec<String>>,
    /// The issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<u64>,
    /// Issue time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// `Bearer` or `DPoP` for access tokens (RFC 9449 §6.2); absent for refresh tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// The DPoP binding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
}

impl IntrospectionResponse {
    /// `{"active":false}`.
    #[must_use]
    pub fn inactive() -> Self {
        Self::default()
    }

    /// The HTTP response: 200 JSON, `Cache-Control: no-store`.
    #[must_use]
    pub fn to_http_response(&self) -> HttpResponse {
        no_store(HttpResponse::json(
            200,
            serde_json::to_vec(self).unwrap_or_default(),
        ))
    }
}

/// Decides an introspection request from an authenticated caller (RFC 7662 §2.1:
/// the endpoint requires authorization) with the record the caller found.
///
/// Unknown, expired, revoked and rotated tokens are inactive with no other member
/// (RFC 7662 §2.2). A refresh token is shown only to the client it was issued
/// to (RFC 7662 §4: limit what a caller learns); to anyone else it is inactive.
///
/// # Errors
/// [`TokenError::InvalidClient`] when the caller is a public client: naming a
/// `client_id` is not authentication (RFC 7662 §2.1 requires the endpoint to
/// be protected; §4 token scanning).
pub fn introspect(
    issuer: &str,
    caller: &AuthenticatedClient,
    found: Option<FoundToken<'_>>,
    now: UnixTime,
) -> Result<IntrospectionResponse, TokenError> {
    if caller.method() == TokenEndpointAuthMethod::None {
        return Err(TokenError::InvalidClient { basic: false });
    }
    Ok(match found {
        Some(FoundToken::Access(r)) if !r.revoked && now < r.expires_at => IntrospectionResponse {
            active: true,
            scope: (!r.scope.is_empty()).then(|| r.scope.join(" ")),
            client_id: Some(r.client_id.clone()),
            sub: Some(r.subject.clone()),
            aud: Some(r.audience.clone()),
            iss: Some(issuer.to_string()),
            exp: Some(r.expires_at.as_secs()),
            iat: Some(r.issued_at.as_secs()),
            token_type: Some(
                if r.dpop_jkt.is_some() {
                    "DPoP"
                } else {
                    "Bearer"
                }
                .into(),
            ),
            cnf: r.dpop_jkt.clone().map(|jkt| Confirmation { jkt }),
        },
        Some(FoundToken::Refresh(r))
            if r.state == RefreshState::Active
                && now < r.expires_at
                && r.client_id == caller.client_id() =>
        {
            IntrospectionResponse {
                active: true,
                scope: (!r.scope.is_empty()).then(|| r.scope.join(" ")),
                client_id: Some(r.client_id.clone()),
                sub: r.subject.clone(),
                aud: (!r.resources.is_empty()).then(|| r.resources.clone()),
                iss: Some(issuer.to_string()),
                exp: Some(r.expires_at.as_secs()),
                iat: Some(r.issued_at.as_secs()),
                token_type: None,
                cnf: r.dpop_jkt.clone().map(|jkt| Confirmation { jkt }),
            }
        }
        _ => IntrospectionResponse::inactive(),
    })
}
