//! The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636
//! §4.6, RFC 8707 §2, RFC 9449 §10, RFC 9700 §4.5).

use alloc::boxed::Box;
use alloc::string::ToString as _;

use super::{
    DpopKey, GrantFailure, GrantParams, TokenClient, TokenError, TokenRequest, constant_time_eq,
    dpop_binding, grant_type, narrow_resources,
};
use crate::server::authorize::AuthorizationCodeRecord;
use crate::server::issue::{Grant, GrantKind, RefreshPlan, TokenPolicy};
use crate::time::UnixTime;

/// What the caller's store answered for the presented code
/// ([`TokenRequest::code_hash`]).
///
/// The store must *take* the record (read and delete atomically) so a code is
/// redeemed once, and keep a tombstone of redeemed code hashes (until the
/// code's expiry plus the longest token lifetime) so a second presentation is
/// recognised.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum CodeLookup {
    /// First presentation: the store took the record.
    Taken(Box<AuthorizationCodeRecord>),
    /// The code was redeemed before (the store has its tombstone).
    AlreadyUsed,
    /// No such code.
    NotFound,
}

/// Decides an `authorization_code` token request.
///
/// Checks, in order: the client may use the grant; the code was not redeemed
/// before (else [`TokenError::CodeReplay`]: revoke the family
/// [`TokenError::revoke_family`] names, RFC 9700 §4.5); it belongs to this
/// client; it has not expired; `redirect_uri` is present and identical when
/// the authorization request carried one, and never differs (RFC 6749
/// §4.1.3); the PKCE `code_verifier` matches the stored challenge in constant
/// time, `plain` only if `policy.pkce` allows it (RFC 7636 §4.6, RFC 9700
/// §2.1.1); every requested `resource` was authorized (RFC 8707 §2); the DPoP
/// proof's key equals a `dpop_jkt` bound at authorization (RFC 9449 §10).
///
/// The family identifier of the tokens is the code's hash, so a replay can
/// revoke everything issued from the code.
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_grant` (with the
/// [`GrantFailure`]), `invalid_target`, `invalid_dpop_proof`.
pub fn redeem_code(
    policy: &TokenPolicy,
    client: &TokenClient<'_>,
    lookup: CodeLookup,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
    now: UnixTime,
) -> Result<Grant, TokenError> {
    let GrantParams::AuthorizationCode {
        redirect_uri,
        code_verifier,
        ..
    } = req.grant()
    else {
        return Err(TokenError::UnsupportedGrantType);
    };
    client.require_grant_type(grant_type::AUTHORIZATION_CODE)?;
    let presented = req
        .code_hash()
        .ok_or(TokenError::MissingParameter("code"))?;
    let family_id = presented.to_base64url();
    let record = match lookup {
        CodeLookup::Taken(r) => *r,
        // RFC 9700 §4.5 / RFC 6749 §4.1.2: "If an authorization code is used
        // more than once, the authorization server MUST deny the request and
        // SHOULD revoke (when possible) all tokens previously issued based on
        // that authorization code."
        CodeLookup::AlreadyUsed => return Err(TokenError::CodeReplay { family_id }),
        CodeLookup::NotFound => return Err(GrantFailure::Unknown.into()),
    };
    // The store's answer must be the record of the presented code (a caller
    // bug must not redeem another code's grant).
    if !record.code_hash.ct_eq(&presented) {
        return Err(GrantFailure::Unknown.into());
    }
    // RFC 6749 §4.1.3: the code was issued to the authenticated client.
    if record.client_id != client.client_id() {
        return Err(GrantFailure::ClientMismatch.into());
    }
    if record.is_expired(now) {
        return Err(GrantFailure::Expired.into());
    }
    // RFC 6749 §4.1.3: redirect_uri required and identical if it was in the
    // authorization request. Q: and if it was not but the client sends one?
    // A: it must still equal the URI the code was delivered to.
    match redirect_uri {
        Some(uri) if *uri == record.redirect_uri => {}
        None if !record.redirect_uri_in_request => {}
        _ => return Err(GrantFailure::RedirectUriMismatch.into()),
    }
    // RFC 7636 §4.6, RFC 9700 §2.1.1: a code issued with a challenge requires the
    // verifier; the stored method decides, the policy may refuse plain.
    let verifier = code_verifier
        .as_deref()
        .ok_or(TokenError::InvalidGrant(GrantFailure::PkceMissing))?;
    if record.code_challenge.is_empty() {
        return Err(GrantFailure::PkceMissing.into());
    }
    crate::pkce::verify(
        verifier,
        &record.code_challenge,
        record.code_challenge_method,
        policy.pkce,
    )
    .map_err(|e| TokenError::InvalidGrant(GrantFailure::Pkce(e)))?;
    // RFC 8707 §2: resources at the token endpoint must have been authorized.
    let resources = narrow_resources(req.resources(), &record.resources)?;
    client.require_dpop_if_registered(dpop)?;
    // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with that key.
    let dpop_jkt = match (&record.dpop_jkt, dpop) {
        (Some(b), Some(p)) if !constant_time_eq(b, p.jkt()) => {
            return Err(GrantFailure::DpopKeyMismatch.into());
        }
        (b, p) => dpop_binding(b.as_deref(), p)?,
    };
    let refresh = if policy.refresh_for_code && client.may_refresh() {
        RefreshPlan::NewFamily
    } else {
        RefreshPlan::None
    };
    Ok(Grant {
        kind: GrantKind::AuthorizationCode,
        client_id: client.client_id().to_string(),
        public_client: client.is_public(),
        subject: Some(record.subject),
        scope: record.scopes,
        resources,
        family_id: Some(family_id),
        auth_time: record.auth_time,
        acr: record.acr,
        nonce: record.nonce,
        dpop_jkt,
        act: None,
        refresh,
        issued_token_type: None,
    })
}
