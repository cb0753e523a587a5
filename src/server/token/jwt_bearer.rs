//! The JWT bearer authorization grant (RFC 7523 §2.1, §3) and Identity
//! Assertion JWT Authorization Grants (ID-JAG: `typ` `oauth-id-jag+jwt`, from a
//! trusted IdP, for the client named in the assertion; MCP enterprise-managed
//! authorization).
//!
//! The assertion's `jti` must be recorded once: the decision returns a
//! [`PendingJwtBearer`] that yields the grant only after the caller reports
//! whether the `jti` was new ([`PendingJwtBearer::confirm_jti_unused`]).

use alloc::string::{String, ToString as _};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::{
    DpopKey, GrantFailure, GrantParams, TokenClient, TokenError, TokenRequest, dpop_binding,
    grant_type, narrow_resources, narrow_scope,
};
use crate::jose::{JoseError, JwkSet, Validation};
use crate::server::issue::{Grant, GrantKind, RefreshPlan, TokenPolicy};
use crate::time::{Duration, Leeway, UnixTime};

/// The ID-JAG media type (`typ` header).
pub const ID_JAG_TYP: &str = "oauth-id-jag+jwt";

/// What kind of assertions an issuer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssertionKind {
    /// RFC 7523 §2.1 assertions; scope and resource come from the request.
    Jwt,
    /// ID-JAG: `typ` `oauth-id-jag+jwt`, `aud` = this issuer, `client_id` =
    /// the authenticated client, scope and resource from the assertion.
    IdJag,
}

/// An assertion issuer this server trusts.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TrustedIssuer {
    /// Its issuer identifier (`iss`, compared exactly).
    pub issuer: String,
    /// Its public keys (the caller keeps them fresh).
    pub keys: Arc<JwkSet>,
    /// The kind of assertions it issues.
    pub kind: AssertionKind,
}

impl TrustedIssuer {
    /// A trusted issuer.
    #[must_use]
    pub fn new(issuer: impl Into<String>, keys: Arc<JwkSet>, kind: AssertionKind) -> Self {
        Self {
            issuer: issuer.into(),
            keys,
            kind,
        }
    }
}

/// JWT bearer settings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JwtBearerPolicy {
    /// The trusted issuers.
    pub issuers: Vec<TrustedIssuer>,
    /// The longest accepted time from now to `exp` (default 5 minutes; RFC 7523
    /// §3 item 4 lets the server limit it).
    pub max_lifetime: Duration,
    /// Clock-skew leeway (default 60 s).
    pub leeway: Leeway,
}

impl JwtBearerPolicy {
    /// A policy trusting `issuers`.
    #[must_use]
    pub fn new(issuers: Vec<TrustedIssuer>) -> Self {
        Self {
            issuers,
            max_lifetime: Duration::from_secs(300),
            leeway: Leeway::new(Duration::from_secs(60)),
        }
    }
}

/// The `jti` the caller must record once (RFC 7523 §3 item 7), scoped by issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JtiRecord {
    /// The assertion's issuer.
    pub issuer: String,
    /// The assertion's `jti`.
    pub jti: String,
    /// Keep the record at least until then.
    pub keep_until: UnixTime,
}

/// A JWT bearer grant that passed every check but the replay check.
#[derive(Debug)]
#[must_use = "record the jti and call confirm_jti_unused"]
pub struct PendingJwtBearer {
    grant: Grant,
    jti: JtiRecord,
}

impl PendingJwtBearer {
    /// The `jti` record to insert (atomically, "insert if absent").
    #[must_use]
    pub fn jti_record(&self) -> &JtiRecord {
        &self.jti
    }

    /// The grant, when the caller's insert found the `jti` new.
    ///
    /// # Errors
    /// `invalid_grant` ([`GrantFailure::AssertionReplay`]) when it was seen before.
    pub fn confirm_jti_unused(self, was_new: bool) -> Result<Grant, TokenError> {
        if was_new {
            Ok(self.grant)
        } else {
            Err(GrantFailure::AssertionReplay.into())
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(serde::Deserialize)]
struct AssertionClaims {
    sub: String,
    jti: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    resource: Option<OneOrMany>,
}

impl fmt::Debug for AssertionClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssertionClaims").finish_non_exhaustive()
    }
}

/// The `iss` of a compact JWT, read without verification (to choose the keys).
fn unverified_issuer(token: &str) -> Result<String, JoseError> {
    let compact = crate::jose::CompactJws::parse(token)?;
    let payload = crate::encoding::base64url::decode_public_vec(compact.payload_b64().as_bytes())
        .map_err(|_| JoseError::Base64(crate::jose::Segment::Payload))?;
    let claims = crate::jose::Claims::parse(&payload)?;
    let iss = claims.iss().ok_or(JoseError::MissingClaim("iss"))?;
    Ok(iss.to_cow().into_owned())
}

/// Decides a `jwt-bearer` grant (RFC 7523 §2.1, §3).
///
/// Checks: the client may use the grant; the assertion verifies under the keys of
/// the trusted issuer its `iss` names (signature, algorithm pinned by the key);
/// `aud` is this server's issuer (or, for plain RFC 7523 assertions, its token
/// endpoint, RFC 7523 §3 item 3); `exp` present, not passed, and within
/// `max_lifetime`; `sub` and `jti` present. RFC 7523 assertions must not be
/// typed as access tokens or ID-JAGs; ID-JAGs must carry `typ`
/// `oauth-id-jag+jwt` and a `client_id` equal to the authenticated client, and
/// give the scope and resources (a request may only narrow them). Plain
/// assertions take scope and resources from the request, within the client's
/// allowed ones.
///
/// # Errors
/// [`TokenError`]: `unauthorized_client`, `invalid_grant`, `invalid_scope`,
/// `invalid_target`.
pub fn redeem_jwt_bearer(
    policy: &TokenPolicy,
    jb: &JwtBearerPolicy,
    client: &TokenClient<'_>,
    req: &TokenRequest,
    dpop: Option<&DpopKey>,
    now: UnixTime,
) -> Result<PendingJwtBearer, TokenError> {
    let GrantParams::JwtBearer { assertion } = req.grant() else {
        return Err(TokenError::UnsupportedGrantType);
    };
    client.require_grant_type(grant_type::JWT_BEARER)?;
    let bad = |e: JoseError| TokenError::InvalidGrant(GrantFailure::Assertion(e));
    // Pick the trusted issuer by the (unverified) `iss`; nothing from the payload
    // is trusted until the signature under that issuer's keys verifies.
    let iss = unverified_issuer(assertion).map_err(bad)?;
    let issuer = jb
        .issuers
        .iter()
        .find(|i| i.issuer == iss)
        .ok_or(TokenError::InvalidGrant(GrantFailure::UntrustedIssuer))?;
    let audiences: &[&str] = match issuer.kind {
        // MCP ID-JAG: "aud MUST be the AS issuer".
        AssertionKind::IdJag => &[policy.issuer.as_str()],
        // RFC 7523 §3 item 3: the issuer, or the token endpoint URL.
        AssertionKind::Jwt => &[policy.issuer.as_str(), policy.token_endpoint.as_str()],
    };
    let mut scratch = vec![0u8; assertion.len()];
    let mut result = Err(bad(JoseError::InvalidAudience));
    for aud in audiences {
        let mut v = Validation::new(&issuer.issuer, aud).leeway(jb.leeway);
        if issuer.kind == AssertionKind::IdJag {
            // RFC 8725 §3.11: explicit typing.
            v = v.typ(ID_JAG_TYP);
        }
        match v.verify(assertion, issuer.keys.as_ref(), now, &mut scratch) {
            Ok(jwt) => {
                if issuer.kind == AssertionKind::Jwt
                    && (jwt.header().typ_is("at+jwt") || jwt.header().typ_is(ID_JAG_TYP))
                {
                    return Err(bad(JoseError::InvalidType));
                }
                let exp = jwt
                    .claims()
                    .exp()
                    .ok_or(bad(JoseError::MissingClaim("exp")))?;
                if exp
                    > now
                        .saturating_add(jb.max_lifetime)
                        .saturating_add(jb.leeway.duration())
                {
                    return Err(bad(JoseError::TooOld));
                }
                let claims: AssertionClaims = jwt
                    .claims()
                    .deserialize()
                    .map_err(|_| bad(JoseError::MissingClaim("sub/jti")))?;
                result = Ok((exp, claims));
                break;
            }
            Err(JoseError::InvalidAudience) => {}
            Err(e) => return Err(bad(e)),
        }
    }
    let (exp, claims) = result?;
    let (scope, resources) = match issuer.kind {
        AssertionKind::IdJag => {
            // ID-JAG: the client_id claim must be the authenticated client.
            if claims.client_id.as_deref() != Some(client.client_id()) {
                return Err(GrantFailure::AssertionClientMismatch.into());
            }
            let granted: Vec<String> = claims
                .scope
                .as_deref()
                .map(|s| {
                    s.split(' ')
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let authorized: Vec<String> = match claims.resource {
                Some(OneOrMany::One(r)) => vec![r],
                Some(OneOrMany::Many(rs)) => rs,
                None => Vec::new(),
            };
            (
                narrow_scope(req.scope(), &granted)?,
                narrow_resources(req.resources(), &authorized)?,
            )
        }
        AssertionKind::Jwt => {
            let scope = req.scope().map(<[String]>::to_vec).unwrap_or_default();
            client.check_scope(&scope)?;
            client.check_resources(req.resources())?;
            (scope, req.resources().to_vec())
        }
    };
    client.require_dpop_if_registered(dpop)?;
    let grant = Grant {
        kind: GrantKind::JwtBearer,
        client_id: client.client_id().to_string(),
        public_client: client.is_public(),
        subject: Some(claims.sub),
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
    };
    Ok(PendingJwtBearer {
        grant,
        jti: JtiRecord {
            issuer: issuer.issuer.clone(),
            jti: claims.jti,
            keep_until: exp.saturating_add(jb.leeway.duration()),
        },
    })
}
