//! Token introspection responses at the resource server (RFC 7662 §2.2; JWT
//! responses, RFC 9701), and a small cache of their results.
//!
//! The request is built by the client module (`client::introspection_request`,
//! with the client authentication it implements). Here:
//! [`process_introspection_response`] checks the answer and returns an
//! [`IntrospectedToken`], which [`ResourceServer::authenticate_introspected`](super::ResourceServer::authenticate_introspected)
//! turns into a principal; [`IntrospectionCache`] remembers results by the
//! SHA-256 of the token, never the token itself.

use super::HandleHash;
use crate::encoding::document::{DocumentError, from_slice_strict};
use crate::http::HttpResponse;
use crate::jose::{JoseError, KeyResolver, Validation};
use crate::time::{Duration, UnixTime};
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;
use serde_json::{Map, Value};

/// The RFC 9701 media type of a JWT introspection response.
pub const TOKEN_INTROSPECTION_JWT: &str = "application/token-introspection+jwt";

/// Why an introspection response was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntrospectionError {
    /// The response status is not 200 (RFC 7662 §2.2), with the AS's OAuth
    /// error when the body is one.
    HttpStatus(u16, Option<crate::error::ErrorResponse>),
    /// The content type is neither JSON nor (when configured) the RFC 9701 JWT type.
    ContentType,
    /// The JSON body was refused (strict parsing: one object, no duplicates).
    Document(DocumentError),
    /// A member has the wrong type (its name).
    MemberType(&'static str),
    /// `active` is missing (RFC 7662 §2.2: REQUIRED).
    MissingActive,
    /// `active` is false: the token is not valid (RFC 7662 §2.2).
    Inactive,
    /// `exp` has passed or `nbf` is in the future.
    Expired,
    /// `iss` is not the authorization server asked.
    InvalidIssuer,
    /// `aud` is present and does not contain this resource (RFC 7662 §4).
    InvalidAudience,
    /// `aud` is absent, so the response does not say the token is meant for
    /// this resource (RFC 8707 §2, MCP authorization: audience validation MUST);
    /// see [`IntrospectionCheck::allow_missing_audience`].
    MissingAudience,
    /// `token_type` is neither `Bearer` nor `DPoP`, or `DPoP` without `cnf.jkt`.
    TokenType,
    /// The RFC 9701 JWT response did not verify (its rule).
    Jwt(JoseError),
}

impl fmt::Display for IntrospectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::HttpStatus(s, Some(e)) => write!(f, "introspection: status {s}: {e}"),
            Self::HttpStatus(s, None) => write!(f, "introspection: status {s} (RFC 7662 §2.2)"),
            Self::ContentType => {
                f.write_str("introspection: unexpected content type (RFC 7662 §2.2, RFC 9701 §5)")
            }
            Self::Document(e) => write!(f, "introspection: {e}"),
            Self::MemberType(m) => write!(
                f,
                "introspection: member {m} has the wrong type (RFC 7662 §2.2)"
            ),
            Self::MissingActive => f.write_str("introspection: active is missing (RFC 7662 §2.2)"),
            Self::Inactive => f.write_str("introspection: token is not active (RFC 7662 §2.2)"),
            Self::Expired => {
                f.write_str("introspection: token expired or not yet valid (RFC 7662 §2.2)")
            }
            Self::InvalidIssuer => f.write_str("introspection: iss is not the expected issuer"),
            Self::InvalidAudience => {
                f.write_str("introspection: aud does not name this resource (RFC 7662 §4)")
            }
            Self::MissingAudience => f.write_str(
                "introspection: aud is missing, the audience cannot be checked (RFC 8707 §2)",
            ),
            Self::TokenType => {
                f.write_str("introspection: token_type not bearer or dpop (RFC 9449 §6.2)")
            }
            Self::Jwt(e) => write!(f, "introspection: jwt response (RFC 9701 §5): {e}"),
        }
    }
}

impl core::error::Error for IntrospectionError {}

/// What a response must match: the authorization server asked (its issuer),
/// this resource's identifier, and, to accept RFC 9701 JWT responses, the AS's
/// keys and the identifier the AS knows this resource server by (`aud`).
///
/// # Security
/// By default a response must carry `aud` naming this resource. RFC 7662 §2.2
/// makes `aud` OPTIONAL, but the MCP authorization specification requires the
/// resource server to validate that every token was issued for it as audience
/// (RFC 8707 §2), and a response without `aud` cannot show that: an AS that
/// serves several resources may answer "active" for a token minted for another
/// one (token passthrough). [`IntrospectionCheck::allow_missing_audience`]
/// weakens this for an AS known to serve this resource alone.
#[derive(Clone, Copy)]
pub struct IntrospectionCheck<'a> {
    issuer: &'a str,
    resource: &'a str,
    jwt: Option<(&'a dyn KeyResolver, &'a str)>,
    allow_missing_audience: bool,
}

impl fmt::Debug for IntrospectionCheck<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntrospectionCheck")
            .field("issuer", &self.issuer)
            .field("resource", &self.resource)
            .field("jwt", &self.jwt.map(|(_, aud)| aud))
            .field("allow_missing_audience", &self.allow_missing_audience)
            .finish()
    }
}

impl<'a> IntrospectionCheck<'a> {
    /// A check for a response from `issuer` about a token for `resource`. Only
    /// plain JSON responses are accepted.
    #[must_use]
    pub fn new(issuer: &'a str, resource: &'a str) -> Self {
        Self {
            issuer,
            resource,
            jwt: None,
            allow_missing_audience: false,
        }
    }

    /// Accepts a response without `aud` (RFC 7662 §2.2: OPTIONAL), trusting that
    /// the AS asked only answers about tokens for this resource. A present `aud`
    /// must still name this resource. See the `# Security` section of
    /// [`IntrospectionCheck`]: this weakens MCP's audience validation.
    #[must_use]
    pub fn allow_missing_audience(mut self) -> Self {
        self.allow_missing_audience = true;
        self
    }

    /// Also accepts (and then requires, when the response says so) RFC 9701 JWT
    /// responses signed with `keys`, addressed to `rs_client_id`.
    #[must_use]
    pub fn with_jwt_response(mut self, keys: &'a dyn KeyResolver, rs_client_id: &'a str) -> Self {
        self.jwt = Some((keys, rs_client_id));
        self
    }
}

/// An actor of a delegation chain (RFC 8693 §4.1 `act`), outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The actor's `sub`.
    pub subject: Option<String>,
    /// The actor's `iss`, if given.
    pub issuer: Option<String>,
    /// The actor's `client_id`, if given.
    pub client_id: Option<String>,
}

/// The most `act` levels read (RFC 8693 §4.1 nests them).
pub const MAX_ACT_DEPTH: usize = 8;

/// Reads an `act` claim into a chain (the current actor first).
pub(crate) fn act_chain(v: Option<&Value>) -> Result<Vec<Actor>, &'static str> {
    let mut chain = Vec::new();
    let mut cur = v;
    while let Some(v) = cur {
        let o = v.as_object().ok_or("act")?;
        if chain.len() >= MAX_ACT_DEPTH {
            return Err("act");
        }
        let s = |name: &'static str| -> Result<Option<String>, &'static str> {
            match o.get(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err("act"),
            }
        };
        chain.push(Actor {
            subject: s("sub")?,
            issuer: s("iss")?,
            client_id: s("client_id")?,
        });
        cur = o.get("act");
    }
    Ok(chain)
}

/// An active token as the authorization server described it. Built only by
/// [`process_introspection_response`].
#[derive(Clone, Debug, PartialEq)]
pub struct IntrospectedToken {
    /// SHA-256 of the token the response is about (the token is not kept).
    pub(crate) token_hash: HandleHash,
    pub(crate) issuer: String,
    pub(crate) subject: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) audience: Vec<String>,
    pub(crate) expires_at: Option<UnixTime>,
    pub(crate) issued_at: Option<UnixTime>,
    pub(crate) token_type: Option<String>,
    pub(crate) cnf_jkt: Option<String>,
    pub(crate) act: Vec<Actor>,
    pub(crate) members: Map<String, Value>,
}

impl IntrospectedToken {
    /// `exp`, if given.
    #[must_use]
    pub fn expires_at(&self) -> Option<UnixTime> {
        self.expires_at
    }
    /// `scope`, if given.
    #[must_use]
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
    /// `cnf.jkt` (RFC 9449 §6.2), if the token is DPoP-bound.
    #[must_use]
    pub fn cnf_jkt(&self) -> Option<&str> {
        self.cnf_jkt.as_deref()
    }
}

fn opt_str(
    m: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<String>, IntrospectionError> {
    match m.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(IntrospectionError::MemberType(name)),
    }
}

fn opt_time(
    m: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<UnixTime>, IntrospectionError> {
    match m.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(|s| Some(UnixTime::from_secs(s)))
            .ok_or(IntrospectionError::MemberType(name)),
    }
}

/// Checks the introspection response about `token` (RFC 7662 §2.2) for
/// `check` at `now`; the result is bound to `token` (by hash), so it can only
/// authenticate a request carrying that token:
/// status 200; JSON (strict) or, when configured, an RFC 9701 JWT (signature
/// with the AS's keys, `typ` `token-introspection+jwt`, `iss`, `aud`); `active`
/// a boolean and true; `iss` (when present) the issuer asked; `aud` present
/// (unless [`IntrospectionCheck::allow_missing_audience`]) and containing this
/// resource; `exp`/`nbf` (when present) valid at
/// `now`; `token_type` (when present) `Bearer` or `DPoP`; `cnf.jkt` read.
///
/// # Errors
/// The [`IntrospectionError`] naming the rule broken.
pub fn process_introspection_response(
    response: &HttpResponse,
    token: &str,
    check: &IntrospectionCheck<'_>,
    now: UnixTime,
) -> Result<IntrospectedToken, IntrospectionError> {
    if response.status != 200 {
        let err = crate::error::ErrorResponse::from_json(&response.body).ok();
        return Err(IntrospectionError::HttpStatus(response.status, err));
    }
    let is_jwt = matches!(response.headers.get_single("content-type"), Ok(Some(ct))
        if ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case(TOKEN_INTROSPECTION_JWT));
    let members: Map<String, Value> = match (is_jwt, check.jwt) {
        (true, Some((keys, rs_id))) => jwt_members(response, check, keys, rs_id, now)?,
        (false, _) if response.content_type_is_json() => {
            from_slice_strict(&response.body).map_err(IntrospectionError::Document)?
        }
        _ => return Err(IntrospectionError::ContentType),
    };
    introspected_from(members, token_hash(token), check, now)
}

/// RFC 9701 §5: verify the JWT and take its `token_introspection` member.
fn jwt_members(
    response: &HttpResponse,
    check: &IntrospectionCheck<'_>,
    keys: &dyn KeyResolver,
    rs_id: &str,
    now: UnixTime,
) -> Result<Map<String, Value>, IntrospectionError> {
    let text = core::str::from_utf8(&response.body)
        .map_err(|_| IntrospectionError::Jwt(JoseError::Malformed))?
        .trim();
    let mut scratch = alloc::vec![0u8; text.len()];
    // RFC 9701 §5: iss is the AS, aud the RS, typ token-introspection+jwt; the
    // response carries iat but no exp.
    let v = Validation::new(check.issuer, rs_id)
        .typ("token-introspection+jwt")
        .exp_optional()
        .require_claims(&["iat", "token_introspection"]);
    let jwt = v
        .verify(text, &keys, now, &mut scratch)
        .map_err(IntrospectionError::Jwt)?;
    let obj = jwt
        .claims()
        .get("token_introspection")
        .and_then(|v| v.as_object())
        .ok_or(IntrospectionError::MemberType("token_introspection"))?;
    from_slice_strict(obj.raw()).map_err(IntrospectionError::Document)
}

fn introspected_from(
    m: Map<String, Value>,
    token_hash: HandleHash,
    check: &IntrospectionCheck<'_>,
    now: UnixTime,
) -> Result<IntrospectedToken, IntrospectionError> {
    match m.get("active") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Err(IntrospectionError::Inactive),
        Some(_) => return Err(IntrospectionError::MemberType("active")),
        None => return Err(IntrospectionError::MissingActive),
    }
    let expires_at = opt_time(&m, "exp")?;
    if expires_at.is_some_and(|e| now >= e) {
        return Err(IntrospectionError::Expired);
    }
    if opt_time(&m, "nbf")?.is_some_and(|n| now < n) {
        return Err(IntrospectionError::Expired);
    }
    let issuer = match opt_str(&m, "iss")? {
        Some(i) if i == check.issuer => i,
        Some(_) => return Err(IntrospectionError::InvalidIssuer),
        // RFC 7662 §2.2: iss is OPTIONAL; the answer comes from the AS we asked.
        None => check.issuer.to_string(),
    };
    let audience: Vec<String> = match m.get("aud") {
        None => Vec::new(),
        Some(Value::String(s)) => alloc::vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(IntrospectionError::MemberType("aud"))?,
        Some(_) => return Err(IntrospectionError::MemberType("aud")),
    };
    // RFC 7662 §4: the RS must check the token is meant for it. An `aud` that is present
    // names the token's audience, so an empty array names nobody (found by the fuzzer:
    // `"aud":[]` used to pass as if absent).
    if m.get("aud").is_some() && !audience.iter().any(|a| a == check.resource) {
        return Err(IntrospectionError::InvalidAudience);
    }
    // RFC 8707 §2 / MCP: the audience must be checked; without aud it cannot be.
    if m.get("aud").is_none() && !check.allow_missing_audience {
        return Err(IntrospectionError::MissingAudience);
    }
    let cnf_jkt = match m.get("cnf") {
        None => None,
        Some(Value::Object(c)) => match c.get("jkt") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(IntrospectionError::MemberType("cnf")),
        },
        Some(_) => return Err(IntrospectionError::MemberType("cnf")),
    };
    let token_type = opt_str(&m, "token_type")?;
    match token_type.as_deref() {
        None => {}
        Some(t) if t.eq_ignore_ascii_case("bearer") => {}
        // RFC 9449 §6.2: a DPoP token's introspection carries cnf.jkt.
        Some(t) if t.eq_ignore_ascii_case("dpop") && cnf_jkt.is_some() => {}
        Some(_) => return Err(IntrospectionError::TokenType),
    }
    let act = act_chain(m.get("act")).map_err(IntrospectionError::MemberType)?;
    Ok(IntrospectedToken {
        token_hash,
        issuer,
        subject: opt_str(&m, "sub")?,
        client_id: opt_str(&m, "client_id")?,
        scope: opt_str(&m, "scope")?,
        audience,
        expires_at,
        issued_at: opt_time(&m, "iat")?,
        token_type,
        cnf_jkt,
        act,
        members: m,
    })
}

/// The introspection request (RFC 7662 §2.1) for the access token of
/// `credentials`, with `token_type_hint=access_token`: built by
/// [`crate::client::introspection_request`], so the resource server
/// authenticates to the introspection endpoint with the client role's client
/// authentication (`auth`). Send it, then give the response and the same
/// token to [`process_introspection_response`].
///
/// # Errors
/// The [`ClientError`](crate::client::ClientError) of the request builder (no
/// `introspection_endpoint`, client authentication).
pub fn introspection_request(
    as_metadata: &crate::metadata::AuthorizationServerMetadata,
    auth: &crate::client::ClientAuth,
    credentials: &super::Credentials<'_>,
    now: UnixTime,
    rng: &mut impl crate::rand::SecureRandom,
) -> Result<crate::http::HttpRequest, crate::client::ClientError> {
    crate::client::introspection_request(
        as_metadata,
        auth,
        &crate::client::Secret::new(credentials.token()),
        Some(crate::client::TokenTypeHint::AccessToken),
        now,
        rng,
    )
}

/// The SHA-256 of a token: the cache key (the token itself is never stored).
/// The same as [`HandleHash::of`].
#[must_use]
pub fn token_hash(token: &str) -> HandleHash {
    HandleHash::of(token)
}

/// Introspection results by token hash, each kept until the earlier of its
/// `exp` and `now + max_ttl`, at most `capacity` of them.
#[derive(Debug)]
pub struct IntrospectionCache {
    capacity: usize,
    max_ttl: Duration,
    entries: BTreeMap<HandleHash, (UnixTime, IntrospectedToken)>,
}

impl IntrospectionCache {
    /// A cache of at most `capacity` results, each kept at most `max_ttl`
    /// (RFC 7662 §4: caching trades revocation latency for load; keep it short).
    #[must_use]
    pub fn new(capacity: usize, max_ttl: Duration) -> Self {
        Self {
            capacity,
            max_ttl,
            entries: BTreeMap::new(),
        }
    }

    /// The cached result for `token` at `now`, if any and not expired.
    #[must_use]
    pub fn get(&self, token: &str, now: UnixTime) -> Option<&IntrospectedToken> {
        self.entries
            .get(&token_hash(token))
            .filter(|(until, _)| now < *until)
            .map(|(_, t)| t)
    }

    /// Remembers `result` for `token` (ignored when `result` is about another
    /// token). Expired entries are swept first; when the cache is still full,
    /// the entry expiring soonest is dropped.
    pub fn insert(&mut self, token: &str, result: IntrospectedToken, now: UnixTime) {
        let key = token_hash(token);
        if key != result.token_hash {
            return;
        }
        let cap = now.saturating_add(self.max_ttl);
        let until = result.expires_at.map_or(cap, |e| e.min(cap));
        if until <= now || self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.retain(|_, (u, _)| *u > now);
        }
        if self.entries.len() >= self.capacity
            && let Some(k) = self
                .entries
                .iter()
                .min_by_key(|(_, (u, _))| *u)
                .map(|(k, _)| *k)
        {
            self.entries.remove(&k);
        }
        self.entries.insert(key, (until, result));
    }

    /// The number of entries held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
