//! The refresh token grant (RFC 6749 §6, RFC 9700 §4.14).
//!
//! Refresh tokens are opaque handles stored as their SHA-256
//! ([`crate::server::issue::HandleHash`]). Public clients' tokens rotate on
//! every use; presenting a rotated token again is reuse and revokes the family.

use alloc::string::ToString as _;

use super::{
    DpopKey, GrantFailure, GrantParams, TokenClient, TokenError, TokenRequest, dpop_binding,
    grant_type, narrow_resources, narrow_scope,
};
use crate::server::issue::{
    Grant, GrantKind, RefreshPlan, RefreshState, RefreshTokenRecord, TokenPolicy,
};
use crate::time::UnixTime;

/// Decides a `refresh_token` request with the record the caller found under
/// [`TokenRequest::refresh_token_hash`] (`None` if none).
///
/// Checks, in order: the client may use the grant; the token exists, belongs
/// to this client (RFC 6749 §6) and is not revoked; it was not rotated away
/// (else [`TokenError::RefreshTokenReuse`]: revoke the family, RFC 9700
/// §4.14.2); it has not expired; a DPoP-bound token comes with a proof of the
/// same key (RFC 9449 §5); the requested scope is within the granted one (RFC 6749
/// §6); every requested resource was granted (RFC 8707 §2).
///
/// The new refresh token replaces the old one for public clients, and for
/// confidential ones unless `policy.rotate_confidential_refresh` is off; the
/// new token keeps the originally granted scope and the family's absolute
/// expiry (`policy.refresh_family_lifetime`): rotation never extends a family.
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_grant`, `invalid_scope`,
/// `invalid_target`.
pub fn redeem_refresh_token(
    policy: &TokenPolicy,
    client: &TokenClient<'_>,
    record: Option<RefreshTokenRecord>,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
    now: UnixTime,
) -> Result<Grant, TokenError> {
    let GrantParams::RefreshToken { .. } = req.grant() else {
        return Err(TokenError::UnsupportedGrantType);
    };
    client.require_grant_type(grant_type::REFRESH_TOKEN)?;
    let record = record.ok_or(TokenError::InvalidGrant(GrantFailure::Unknown))?;
    // RFC 6749 §6: "the refresh token was issued to the authenticated client".
    if record.client_id != client.client_id() {
        return Err(GrantFailure::ClientMismatch.into());
    }
    match record.state {
        RefreshState::Active => {}
        // RFC 9700 §4.14.2: "If a refresh token is compromised and subsequently
        // used by both the attacker and the legitimate client, one of them will
        // present an invalidated refresh token, which will inform the
        // authorization server of the breach" -> revoke the family.
        RefreshState::Rotated => {
            return Err(TokenError::RefreshTokenReuse {
                family_id: record.family_id,
            });
        }
        _ => return Err(GrantFailure::Unknown.into()),
    }
    if now >= record.expires_at {
        return Err(GrantFailure::Expired.into());
    }
    client.require_dpop_if_registered(dpop)?;
    // RFC 9449 §5: a bound refresh token needs a proof with the same key; an
    // unbound one (confidential client) may get a newly bound access token.
    let dpop_jkt = dpop_binding(record.dpop_jkt.as_deref(), dpop)?;
    let scope = narrow_scope(req.scope(), &record.scope)?;
    let resources = narrow_resources(req.resources(), &record.resources)?;
    let rotate = client.is_public() || policy.rotate_confidential_refresh;
    let refresh = if rotate {
        RefreshPlan::Rotate {
            from: record.handle_hash,
            granted_scope: record.scope.clone(),
            // A record stored without a bound (issued while the policy had none, or by a
            // store that does not keep the field) gets one from now, so a policy bound
            // always ends a family that keeps rotating.
            family_expires_at: record.family_expires_at.or_else(|| {
                policy
                    .refresh_family_lifetime
                    .map(|d| now.saturating_add(d))
            }),
        }
    } else {
        RefreshPlan::Keep
    };
    Ok(Grant {
        kind: GrantKind::RefreshToken,
        client_id: client.client_id().to_string(),
        public_client: client.is_public(),
        subject: record.subject,
        scope,
        resources,
        family_id: Some(record.family_id),
        auth_time: record.auth_time,
        acr: record.acr,
        nonce: None,
        dpop_jkt,
        act: None,
        refresh,
        issued_token_type: None,
    })
}
