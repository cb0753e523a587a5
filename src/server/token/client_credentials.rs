//! The client credentials grant (RFC 6749 §4.4; MCP's client-credentials
//! extension: confidential, pre-registered clients only).

use alloc::string::String;
use alloc::string::ToString as _;
use alloc::vec::Vec;

use super::{
    DpopKey, GrantParams, TokenClient, TokenError, TokenRequest, dpop_binding, grant_type,
};
use crate::server::issue::{Grant, GrantKind, RefreshPlan};

/// Decides a `client_credentials` request.
///
/// Checks: the client is confidential (RFC 6749 §4.4: "MUST only be used by
/// confidential clients") and registered for the grant; every requested scope
/// and resource is allowed for it. Without a `scope`, the token carries none;
/// without a `resource`, the client's only allowed resource if it has exactly
/// one (else the policy's default audience applies at issue). No refresh token
/// (RFC 6749 §4.4.3). `sub` is the client (RFC 9068 §2.2).
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_scope`, `invalid_target`.
pub fn grant_client_credentials(
    client: &TokenClient<'_>,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
) -> Result<Grant, TokenError> {
    let GrantParams::ClientCredentials = req.grant() else {
        return Err(TokenError::UnsupportedGrantType);
    };
    if client.is_public() {
        return Err(TokenError::UnauthorizedClient);
    }
    client.require_grant_type(grant_type::CLIENT_CREDENTIALS)?;
    let scope: Vec<String> = req.scope().map(<[String]>::to_vec).unwrap_or_default();
    client.check_scope(&scope)?;
    let resources: Vec<String> = if req.resources().is_empty() {
        match client.registered().allowed_resources.as_slice() {
            [one] => alloc::vec![one.clone()],
            _ => Vec::new(),
        }
    } else {
        req.resources().to_vec()
    };
    client.check_resources(&resources)?;
    client.require_dpop_if_registered(dpop)?;
    Ok(Grant {
        kind: GrantKind::ClientCredentials,
        client_id: client.client_id().to_string(),
        public_client: false,
        subject: None,
        scope,
        resources,
        family_id: None,
        auth_time: None,
        acr: None,
        nonce: None,
        dpop_jkt: dpop_binding(None, dpop)?,
        act: None,
        refresh: RefreshPlan::None,
        issued_token_type: None,
    })
}
