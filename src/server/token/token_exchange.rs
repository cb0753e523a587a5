//! OAuth 2.0 Token Exchange (RFC 8693): a client trades a subject token (and
//! optionally an actor token) for a new access token, for another audience, with
//! at most the subject token's scope; delegation is recorded in the `act` claim.
//!
//! Subject and actor tokens are this server's own JWT access tokens (verified
//! with its published keys) unless the caller supplies a validator.

use alloc::boxed::Box;
use alloc::string::{String, ToString as _};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::{
    DpopKey, GrantFailure, GrantParams, TokenClient, TokenError, TokenRequest, dpop_binding,
    grant_type, narrow_scope,
};
use crate::jose::{JoseError, Validation};
use crate::server::issue::{Grant, GrantKind, HandleHash, RefreshPlan, TokenPolicy, token_type};
use crate::server::keys::KeySet;
use crate::time::UnixTime;

/// A validated subject or actor token: what the exchange decision uses.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ValidatedToken {
    /// The token's `sub`.
    pub subject: String,
    /// The client it was issued to, if known.
    pub client_id: Option<String>,
    /// Its scope.
    pub scope: Vec<String>,
    /// Its `act` claim (an earlier delegation), if any.
    pub act: Option<serde_json::Value>,
    /// Its `may_act` claim (RFC 8693 §4.4), if any.
    pub may_act: Option<serde_json::Value>,
}

impl ValidatedToken {
    /// A validated token with a subject and nothing else.
    #[must_use]
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            client_id: None,
            scope: Vec::new(),
            act: None,
            may_act: None,
        }
    }
}

/// Validates a token of a given type URI at `now`: the caller's alternative to
/// this server's own access tokens (e.g. ID tokens of a trusted IdP).
pub type TokenValidator =
    Box<dyn Fn(&str, &str, UnixTime) -> Result<ValidatedToken, TokenError> + Send + Sync>;

/// Decides whether `actor` may act for `subject` for `client_id`.
pub type MayActHook = Box<dyn Fn(&ValidatedToken, &ValidatedToken, &str) -> bool + Send + Sync>;

/// Token exchange settings.
#[derive(Default)]
#[non_exhaustive]
pub struct ExchangePolicy {
    /// Audiences this server's own subject tokens may carry to be exchanged here,
    /// besides the requesting client's id (the party that received the token).
    pub subject_audiences: Vec<String>,
    /// Validates tokens of other types or issuers (`None`: only this server's
    /// JWT access tokens are accepted).
    pub validator: Option<TokenValidator>,
    /// Replaces the default `may_act` rule (below).
    pub may_act: Option<MayActHook>,
    /// Allow an exchange without an actor token (impersonation semantics,
    /// RFC 8693 §1.1). Default `false`: a client gets a token in the subject's name only when the policy says so; delegation (with an actor token) is the default path.
    pub allow_impersonation: bool,
}

impl fmt::Debug for ExchangePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExchangePolicy")
            .field("subject_audiences", &self.subject_audiences)
            .field("validator", &self.validator.is_some())
            .field("may_act", &self.may_act.is_some())
            .field("allow_impersonation", &self.allow_impersonation)
            .finish()
    }
}

#[derive(serde::Deserialize)]
struct OwnClaims {
    sub: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    act: Option<serde_json::Value>,
    #[serde(default)]
    may_act: Option<serde_json::Value>,
}

/// What validating a subject or actor token needs.
struct Ctx<'a, 'c> {
    policy: &'a TokenPolicy,
    ex: &'a ExchangePolicy,
    keys: &'a KeySet,
    client: &'a TokenClient<'c>,
    is_revoked: &'a dyn Fn(&HandleHash) -> bool,
    now: UnixTime,
}

/// Verifies one of this server's JWT access tokens (RFC 9068) for an exchange:
/// issuer, one of the accepted audiences, `typ` `at+jwt`, expiry, then that it
/// was not revoked.
fn validate_own(cx: &Ctx<'_, '_>, token: &str) -> Result<ValidatedToken, TokenError> {
    let Ctx {
        policy,
        ex,
        keys,
        client,
        is_revoked,
        now,
    } = *cx;
    let bad = |e: JoseError| TokenError::InvalidGrant(GrantFailure::SubjectToken(e));
    let resolver = keys.verifier(now);
    let mut scratch = vec![0u8; token.len()];
    let mut last = JoseError::InvalidAudience;
    let audiences =
        core::iter::once(client.client_id()).chain(ex.subject_audiences.iter().map(String::as_str));
    for aud in audiences {
        let v = Validation::access_token(&policy.issuer, aud);
        match v.verify(token, &resolver, now, &mut scratch) {
            Ok(jwt) => {
                let c: OwnClaims = jwt
                    .claims()
                    .deserialize()
                    .map_err(|_| bad(JoseError::ClaimType("custom")))?;
                if is_revoked(&HandleHash::of(token)) {
                    return Err(GrantFailure::Unknown.into());
                }
                return Ok(ValidatedToken {
                    subject: c.sub,
                    client_id: c.client_id,
                    scope: c
                        .scope
                        .map(|s| {
                            s.split(' ')
                                .filter(|t| !t.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                    act: c.act,
                    may_act: c.may_act,
                });
            }
            Err(JoseError::InvalidAudience) => last = JoseError::InvalidAudience,
            Err(e) => return Err(bad(e)),
        }
    }
    Err(bad(last))
}

fn validate(cx: &Ctx<'_, '_>, token: &str, ty: &str) -> Result<ValidatedToken, TokenError> {
    if let Some(v) = &cx.ex.validator {
        return v(token, ty, cx.now);
    }
    // RFC 8693 §2.2.2: a type the server does not accept is unsupported_token_type.
    if ty != token_type::ACCESS_TOKEN && ty != token_type::JWT {
        return Err(TokenError::UnsupportedTokenType);
    }
    validate_own(cx, token)
}

/// The default `may_act` rule (RFC 8693 §4.4): the subject token's `may_act`
/// claim names the actor by `sub` (and, if it has `client_id`, the client).
fn default_may_act(subject: &ValidatedToken, actor: &ValidatedToken, client_id: &str) -> bool {
    let Some(m) = subject.may_act.as_ref().and_then(|m| m.as_object()) else {
        return false;
    };
    let sub_ok = m.get("sub").and_then(|s| s.as_str()) == Some(actor.subject.as_str());
    let client_ok = m
        .get("client_id")
        .is_none_or(|c| c.as_str() == Some(client_id));
    sub_ok && client_ok
}

/// Decides a token exchange request (RFC 8693 §2.1, §2.2).
///
/// Checks: the client may use the grant; `requested_token_type` is absent or
/// `access_token`; the subject token validates (this server's JWT access tokens:
/// issuer, signature with a published key, `typ` `at+jwt`, expiry, audience = the
/// requesting client or a configured audience, not revoked; or the caller's
/// validator); an actor token validates the same way and the subject's
/// `may_act` (or the policy hook) allows the actor, else
/// [`TokenError::ActorNotAllowed`]; without an actor, impersonation must be
/// allowed; the scope is within the subject token's; each `audience` and
/// `resource` is allowed for the client (RFC 8707 §2).
///
/// The new token carries `act` = `{"sub": actor, "act": <the subject token's
/// act>}` (RFC 8693 §4.1: nested for delegation chains); `issued_token_type` is
/// the access token type. No refresh token.
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_request`, `invalid_grant`,
/// `unsupported_token_type`, `invalid_scope`, `invalid_target`.
#[allow(clippy::too_many_arguments)]
pub fn exchange_token(
    policy: &TokenPolicy,
    ex: &ExchangePolicy,
    keys: &KeySet,
    client: &TokenClient<'_>,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
    is_revoked: impl Fn(&HandleHash) -> bool,
    now: UnixTime,
) -> Result<Grant, TokenError> {
    let GrantParams::TokenExchange(p) = req.grant() else {
        return Err(TokenError::UnsupportedGrantType);
    };
    client.require_grant_type(grant_type::TOKEN_EXCHANGE)?;
    match p.requested_token_type.as_deref() {
        None | Some(token_type::ACCESS_TOKEN) => {}
        Some(_) => return Err(TokenError::InvalidParameter("requested_token_type")),
    }
    let cx = Ctx {
        policy,
        ex,
        keys,
        client,
        is_revoked: &is_revoked,
        now,
    };
    let subject = validate(&cx, &p.subject_token, &p.subject_token_type)?;
    let act = match (&p.actor_token, &p.actor_token_type) {
        (Some(tok), Some(ty)) => {
            let actor = validate(&cx, tok, ty)?;
            let allowed = match &ex.may_act {
                Some(hook) => hook(&subject, &actor, client.client_id()),
                None => default_may_act(&subject, &actor, client.client_id()),
            };
            if !allowed {
                return Err(TokenError::ActorNotAllowed);
            }
            // RFC 8693 §4.1: the current actor outermost, prior actors nested.
            let mut a = serde_json::Map::new();
            a.insert("sub".into(), actor.subject.clone().into());
            if let Some(prev) = &subject.act {
                a.insert("act".into(), prev.clone());
            }
            Some(serde_json::Value::Object(a))
        }
        _ => {
            if !ex.allow_impersonation {
                return Err(TokenError::ActorNotAllowed);
            }
            subject.act.clone()
        }
    };
    let scope = narrow_scope(req.scope(), &subject.scope)?;
    let mut resources: Vec<String> = req.resources().to_vec();
    for a in &p.audience {
        if !resources.contains(a) {
            resources.push(a.clone());
        }
    }
    client.check_resources(&resources)?;
    client.require_dpop_if_registered(dpop)?;
    Ok(Grant {
        kind: GrantKind::TokenExchange,
        client_id: client.client_id().to_string(),
        public_client: client.is_public(),
        subject: Some(subject.subject),
        scope,
        resources,
        family_id: None,
        auth_time: None,
        acr: None,
        nonce: None,
        dpop_jkt: dpop_binding(None, dpop)?,
        act,
        refresh: RefreshPlan::None,
        issued_token_type: Some(token_type::ACCESS_TOKEN),
    })
}
