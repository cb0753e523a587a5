//! Token revocation (RFC 7009) and the introspection request (RFC 7662 §2.1), both with the
//! client's authentication.

use alloc::string::String;

use super::common::{Secret, endpoint, error_response_of};
use super::{ClientAuth, ClientError};
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::AuthorizationServerMetadata;
use crate::rand::SecureRandom;
use crate::time::UnixTime;

/// A `token_type_hint` (RFC 7009 §2.1, RFC 7662 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenTypeHint {
    /// `access_token`
    AccessToken,
    /// `refresh_token`
    RefreshToken,
}

impl TokenTypeHint {
    /// The wire value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccessToken => "access_token",
            Self::RefreshToken => "refresh_token",
        }
    }
}

fn token_params(
    token: &Secret,
    hint: Option<TokenTypeHint>,
) -> alloc::vec::Vec<(&'static str, String)> {
    let mut params = alloc::vec![("token", String::from(token.expose()))];
    if let Some(h) = hint {
        params.push(("token_type_hint", String::from(h.as_str())));
    }
    params
}

/// The revocation request (RFC 7009 §2.1): `token` and an optional `token_type_hint`, POSTed to
/// `revocation_endpoint` with the client's authentication.
///
/// # Errors
/// [`ClientError::MissingEndpoint`]; client authentication errors.
pub fn revocation_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    token: &Secret,
    hint: Option<TokenTypeHint>,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let url = endpoint(meta.revocation_endpoint.as_ref(), "revocation_endpoint")?;
    auth.post(url, token_params(token, hint), &meta.issuer, now, rng)
}

/// Checks a revocation response (RFC 7009 §2.2): status 200 means revoked, or the token was
/// already invalid (the body is ignored). An error body (§2.2.1, e.g. `unsupported_token_type`)
/// becomes [`ClientError::ErrorResponse`]; a 503 too, when it carries one.
///
/// # Errors
/// [`ClientError::ErrorResponse`] or [`ClientError::UnexpectedStatus`].
pub fn process_revocation_response(resp: &HttpResponse) -> Result<(), ClientError> {
    if resp.status == 200 {
        return Ok(());
    }
    Err(
        error_response_of(resp).unwrap_or(ClientError::UnexpectedStatus {
            expected: 200,
            actual: resp.status,
        }),
    )
}

/// The introspection request (RFC 7662 §2.1): `token` and an optional `token_type_hint`, POSTed
/// to `introspection_endpoint` with the client's (here: the protected resource's) authentication,
/// `Accept: application/json`. The resource-server role processes the response.
///
/// # Errors
/// [`ClientError::MissingEndpoint`]; client authentication errors.
pub fn introspection_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    token: &Secret,
    hint: Option<TokenTypeHint>,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let url = endpoint(
        meta.introspection_endpoint.as_ref(),
        "introspection_endpoint",
    )?;
    auth.post(url, token_params(token, hint), &meta.issuer, now, rng)
}
