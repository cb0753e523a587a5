//! Token revocation (RFC 7009): parse, decide what to revoke, render.

use alloc::string::String;

use super::client::AuthenticatedClient;
use super::introspection::{FoundToken, TokenQueryRequest, parse_token_query_request};
use super::issue::{HandleHash, no_store};
use super::token::TokenError;
use crate::http::{HttpRequest, HttpResponse};

/// A revocation request (RFC 7009 §2.1).
pub type RevocationRequest = TokenQueryRequest;

/// Reads a revocation request (RFC 7009 §2.1): POST, form-encoded, `token`
/// required, optional `token_type_hint`.
///
/// # Errors
/// [`TokenError`] (`invalid_request`).
pub fn parse_revocation_request(req: &HttpRequest) -> Result<RevocationRequest, TokenError> {
    parse_token_query_request(req)
}

/// What the caller must revoke.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Revocation {
    /// Nothing: unknown token, or another client's (answered 200 all the same,
    /// RFC 7009 §2.2, so the endpoint reveals nothing).
    Nothing,
    /// This access token (by its hash).
    AccessToken(HandleHash),
    /// Every token of this family: a refresh token was revoked (RFC 7009 §2.1:
    /// "the authorization server SHOULD also invalidate all access tokens based
    /// on the same authorization grant").
    Family(String),
}

/// Decides a revocation for an authenticated client: only tokens issued to it
/// are revoked (RFC 7009 §2.1).
#[must_use]
pub fn revoke(client: &AuthenticatedClient, found: Option<FoundToken<'_>>) -> Revocation {
    match found {
        Some(FoundToken::Access(r)) if r.client_id == client.client_id() => {
            Revocation::AccessToken(r.token_hash)
        }
        Some(FoundToken::Refresh(r)) if r.client_id == client.client_id() => {
            Revocation::Family(r.family_id.clone())
        }
        _ => Revocation::Nothing,
    }
}

/// The response: 200 with an empty body (RFC 7009 §2.2), for known and unknown
/// tokens alike.
#[must_use]
pub fn revocation_response() -> HttpResponse {
    no_store(HttpResponse::new(200))
}
