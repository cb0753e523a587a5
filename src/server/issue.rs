//! Token issuing: JWT access tokens (RFC 9068) or opaque ones, refresh tokens as
//! opaque high-entropy handles stored hashed, ID tokens (OIDC Core §2), and the
//! token response (RFC 6749 §5.1).
//!
//! [`issue_tokens`] takes a [`Grant`] (only the token grants of
//! [`crate::server::token`] construct one, after every check ran) and returns the
//! response plus the [`Issued`] records the caller persists. Nothing here reads a
//! clock or the OS random source: `now` and `rng` are parameters.

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::keys::{KeySet, KeySetError};
use crate::encoding::base64url;
use crate::http::HttpResponse;
use crate::jose::{KeyError, SigningKey, oidc_hash_claim, sign_jwt};
use crate::rand::{RandomError, SecureRandom};
use crate::time::{Duration, UnixTime};

pub use crate::resource::HandleHash;

/// Draws `n` random bytes and returns them base64url-encoded.
pub(crate) fn random_handle(rng: &mut impl SecureRandom, n: usize) -> Result<String, RandomError> {
    let mut buf = [0u8; 64];
    let slice = buf.get_mut(..n.min(64)).ok_or(RandomError)?;
    rng.fill(slice)?;
    Ok(base64url::encode_string(slice))
}

/// Bytes of entropy in every handle this module draws (refresh tokens, opaque
/// access tokens): 256 bits (RFC 6749 §10.10 asks for at least 128; RFC 9700 §4.14).
pub const HANDLE_BYTES: usize = 32;

/// Whether access tokens are JWTs or opaque handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AccessTokenFormat {
    /// A signed JWT per RFC 9068, verifiable by resource servers with the JWKS.
    #[default]
    Jwt,
    /// A random handle; resource servers introspect it (RFC 7662).
    Opaque,
}

/// What and how long the server issues.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TokenPolicy {
    /// The issuer identifier (`iss`), exactly as in the server's metadata.
    pub issuer: String,
    /// The token endpoint URL (accepted as an assertion audience, RFC 7523 §3).
    pub token_endpoint: String,
    /// Access token lifetime (default 10 minutes; RFC 9700 §4.14 favours short).
    pub access_token_lifetime: Duration,
    /// Refresh token lifetime, from issue (default 30 days). With rotation, each new token of a
    /// family gets this lifetime again (an idle timeout: RFC 9700 §4.14.2 "refresh tokens
    /// SHOULD expire if the client has been inactive for some time"), up to
    /// [`TokenPolicy::refresh_family_lifetime`].
    pub refresh_token_lifetime: Duration,
    /// Absolute lifetime of a refresh token family, counted from the grant that started it
    /// (default 90 days): no rotation extends a family past it, so a stolen refresh token
    /// cannot be kept alive forever by rotating it (RFC 9700 §4.14.2 leaves refresh token
    /// expiry to the server). `None`: a family lives as long as it keeps rotating.
    pub refresh_family_lifetime: Option<Duration>,
    /// ID token lifetime (default 10 minutes).
    pub id_token_lifetime: Duration,
    /// JWT (default) or opaque access tokens.
    pub access_token_format: AccessTokenFormat,
    /// The `aud` of an access token whose grant names no resource. `None` (the
    /// default): such a grant is refused with `invalid_target`, because RFC 9068
    /// §3 requires an audience and MCP requires it to be the resource.
    pub default_audience: Option<String>,
    /// Rotate refresh tokens of confidential clients too (public clients always
    /// rotate, RFC 9700 §4.14.2). Default `true`.
    pub rotate_confidential_refresh: bool,
    /// Issue refresh tokens for the authorization code grant (default `true`).
    pub refresh_for_code: bool,
    /// Issue refresh tokens for the device code grant (default `true`).
    pub refresh_for_device: bool,
    /// PKCE methods accepted at redemption (default: `S256` only, RFC 9700 §2.1.1).
    pub pkce: crate::pkce::PkcePolicy,
}

impl TokenPolicy {
    /// A policy with the defaults above for `issuer` and its `token_endpoint`.
    #[must_use]
    pub fn new(issuer: impl Into<String>, token_endpoint: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            token_endpoint: token_endpoint.into(),
            access_token_lifetime: Duration::from_secs(600),
            refresh_token_lifetime: Duration::from_secs(30 * 86_400),
            refresh_family_lifetime: Some(Duration::from_secs(90 * 86_400)),
            id_token_lifetime: Duration::from_secs(600),
            access_token_format: AccessTokenFormat::Jwt,
            default_audience: None,
            rotate_confidential_refresh: true,
            refresh_for_code: true,
            refresh_for_device: true,
            pkce: crate::pkce::PkcePolicy::S256_ONLY,
        }
    }
}

/// RFC 8693 §3 token type identifiers this server issues or accepts.
pub mod token_type {
    /// `urn:ietf:params:oauth:token-type:access_token`
    pub const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
    /// `urn:ietf:params:oauth:token-type:refresh_token`
    pub const REFRESH_TOKEN: &str = "urn:ietf:params:oauth:token-type:refresh_token";
    /// `urn:ietf:params:oauth:token-type:id_token`
    pub const ID_TOKEN: &str = "urn:ietf:params:oauth:token-type:id_token";
    /// `urn:ietf:params:oauth:token-type:jwt`
    pub const JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
    /// `urn:ietf:params:oauth:token-type:id-jag` (Identity Assertion JWT Authorization Grant).
    pub const ID_JAG: &str = "urn:ietf:params:oauth:token-type:id-jag";
}

/// Which grant produced a [`Grant`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrantKind {
    /// RFC 6749 §4.1.
    AuthorizationCode,
    /// RFC 6749 §6.
    RefreshToken,
    /// RFC 6749 §4.4.
    ClientCredentials,
    /// RFC 8628.
    DeviceCode,
    /// RFC 8693.
    TokenExchange,
    /// RFC 7523 §2.1 (and ID-JAG).
    JwtBearer,
}

/// What happens to the refresh token of a grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RefreshPlan {
    /// No refresh token.
    None,
    /// A new family starts (code, device grants).
    NewFamily,
    /// The presented token is replaced by a new one of the same family.
    Rotate {
        from: HandleHash,
        granted_scope: Vec<String>,
        family_expires_at: Option<UnixTime>,
    },
    /// The presented token stays valid (confidential client, no rotation).
    Keep,
}

/// A grant that passed every check of its grant type: the only input
/// [`issue_tokens`] accepts. Only the grant modules construct it.
#[derive(Clone)]
pub struct Grant {
    pub(crate) kind: GrantKind,
    pub(crate) client_id: String,
    pub(crate) public_client: bool,
    /// `None` for client credentials (the access token's `sub` is then the client).
    pub(crate) subject: Option<String>,
    pub(crate) scope: Vec<String>,
    pub(crate) resources: Vec<String>,
    /// The grant (refresh family) identifier: every token issued from one
    /// authorization shares it, so one instruction revokes them all.
    /// `None`: a fresh identifier is drawn at issue (client credentials, assertions).
    pub(crate) family_id: Option<String>,
    pub(crate) auth_time: Option<UnixTime>,
    pub(crate) acr: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) dpop_jkt: Option<String>,
    pub(crate) act: Option<serde_json::Value>,
    pub(crate) refresh: RefreshPlan,
    pub(crate) issued_token_type: Option<&'static str>,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("kind", &self.kind)
            .field("client_id", &self.client_id)
            .field("subject", &self.subject)
            .field("scope", &self.scope)
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

impl Grant {
    /// The grant type.
    #[must_use]
    pub fn kind(&self) -> GrantKind {
        self.kind
    }
    /// The client the tokens are issued to.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The resource owner, if any (none for client credentials).
    #[must_use]
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
    /// The scope the access token will carry.
    #[must_use]
    pub fn scope(&self) -> &[String] {
        &self.scope
    }
    /// The resources (`aud`) the access token will name.
    #[must_use]
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
    /// The grant's family identifier (see [`Issued`]), when known before issue.
    #[must_use]
    pub fn family_id(&self) -> Option<&str> {
        self.family_id.as_deref()
    }
    /// The DPoP key thumbprint the tokens are bound to (RFC 9449 §6.1), if any.
    #[must_use]
    pub fn dpop_jkt(&self) -> Option<&str> {
        self.dpop_jkt.as_deref()
    }
    /// The `act` claim of a token exchange (RFC 8693 §4.1).
    #[must_use]
    pub fn act(&self) -> Option<&serde_json::Value> {
        self.act.as_ref()
    }
    /// Whether an ID token will be issued (`openid` scope with a subject, from
    /// the code or refresh grant; OIDC Core §3.1.3.3, §12.2).
    #[must_use]
    pub fn wants_id_token(&self) -> bool {
        matches!(
            self.kind,
            GrantKind::AuthorizationCode | GrantKind::RefreshToken
        ) && self.subject.is_some()
            && self.scope.iter().any(|s| s == "openid")
    }
}

/// Lifecycle of a stored refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshState {
    /// Usable.
    Active,
    /// Replaced by a newer token of its family; presenting it again is reuse
    /// (RFC 9700 §4.14.2) and revokes the family.
    Rotated,
    /// Revoked (RFC 7009) or its family was.
    Revoked,
}

/// A refresh token as the caller stores it: the hash, never the handle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshTokenRecord {
    /// SHA-256 of the handle (the lookup key).
    pub handle_hash: HandleHash,
    /// The family (grant) this token belongs to.
    pub family_id: String,
    /// The client it was issued to.
    pub client_id: String,
    /// Whether that client is public (decides rotation).
    pub public_client: bool,
    /// The resource owner.
    pub subject: Option<String>,
    /// The scope granted (a refresh may narrow, never widen it; RFC 6749 §6).
    pub scope: Vec<String>,
    /// The resources granted.
    pub resources: Vec<String>,
    /// Issue time.
    pub issued_at: UnixTime,
    /// Expiry of this token.
    pub expires_at: UnixTime,
    /// When the whole family ends ([`TokenPolicy::refresh_family_lifetime`]; `None`: no
    /// absolute bound). Tokens rotated from this one carry it on; a store must keep it
    /// (a record read back without it gets a bound counted from its next refresh).
    pub family_expires_at: Option<UnixTime>,
    /// When the authorization happened (for ID tokens).
    pub auth_time: Option<UnixTime>,
    /// Authentication context class (for ID tokens and access tokens).
    pub acr: Option<String>,
    /// DPoP key thumbprint when the token is bound (RFC 9449 §5: public clients'
    /// refresh tokens are bound to the DPoP key).
    pub dpop_jkt: Option<String>,
    /// Whether it may still be used.
    pub state: RefreshState,
}

/// An access token as the caller stores it, for introspection and revocation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessTokenRecord {
    /// SHA-256 of the token as sent: the handle for opaque tokens, the whole
    /// JWT otherwise (so either kind is found by hashing what is presented).
    pub token_hash: HandleHash,
    /// The `jti`.
    pub jti: String,
    /// The family (grant) it belongs to.
    pub family_id: String,
    /// The client it was issued to.
    pub client_id: String,
    /// The `sub`.
    pub subject: String,
    /// The scope.
    pub scope: Vec<String>,
    /// The audience.
    pub audience: Vec<String>,
    /// Issue time.
    pub issued_at: UnixTime,
    /// Expiry.
    pub expires_at: UnixTime,
    /// DPoP key thumbprint when bound.
    pub dpop_jkt: Option<String>,
    /// `true` for an opaque handle, `false` for a JWT.
    pub opaque: bool,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// What the caller persists after [`issue_tokens`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Issued {
    /// The access token's record.
    pub access_token: AccessTokenRecord,
    /// A new refresh token's record, if one was issued.
    pub refresh_token: Option<RefreshTokenRecord>,
    /// A refresh token that was rotated: mark it [`RefreshState::Rotated`] (keep
    /// it, so a replay is recognised as reuse).
    pub rotated: Option<HandleHash>,
}

/// The successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token (or, for some token exchanges, the issued token).
    pub access_token: String,
    /// `Bearer`, `DPoP` (RFC 9449 §5) or `N_A` (RFC 8693 §2.2.1).
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// The scope granted, when it differs from the request or always (we always send it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// An ID token (OIDC Core §3.1.3.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// RFC 8693 §2.2.1: the type of the issued token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_token_type: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Adds the RFC 6749 §5.1 caching headers.
pub(crate) fn no_store(resp: HttpResponse) -> HttpResponse {
    let mut r = resp;
    // Constant, valid header values: insertion cannot fail.
    let _ = r.headers.insert("Cache-Control", "no-store");
    let _ = r.headers.insert("Pragma", "no-cache");
    r
}

impl TokenResponse {
    /// The JSON body.
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The HTTP response: 200, `application/json`, `Cache-Control: no-store` and
    /// `Pragma: no-cache` (RFC 6749 §5.1).
    #[must_use]
    pub fn to_http_response(&self) -> HttpResponse {
        no_store(HttpResponse::json(200, self.to_json()))
    }
}

/// Why tokens could not be issued.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueError {
    /// No signing key is active.
    Keys(KeySetError),
    /// Signing failed.
    Sign(KeyError),
    /// The random source failed.
    Random,
    /// The grant names no resource and the policy has no default audience
    /// (RFC 9068 §3 requires `aud`; RFC 8707 §2).
    NoAudience,
}

impl fmt::Display for IssueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Keys(e) => write!(f, "issue: {e}"),
            Self::Sign(e) => write!(f, "issue: signing failed: {e}"),
            Self::Random => f.write_str("issue: random source failed"),
            Self::NoAudience => f.write_str(
                "issue: no resource requested and no default audience (RFC 9068 §3, RFC 8707 §2)",
            ),
        }
    }
}

impl core::error::Error for IssueError {}

impl From<RandomError> for IssueError {
    fn from(_: RandomError) -> Self {
        Self::Random
    }
}

/// The RFC 9068 §2.2 claims of a JWT access token.
#[derive(Serialize)]
struct AccessTokenClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: AudClaim<'a>,
    exp: u64,
    iat: u64,
    jti: &'a str,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cnf: Option<Cnf<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    act: Option<&'a serde_json::Value>,
}

/// `aud`: one string or an array (RFC 7519 §4.1.3).
#[derive(Serialize)]
#[serde(untagged)]
enum AudClaim<'a> {
    One(&'a str),
    Many(&'a [String]),
}

/// RFC 9449 §6.1 / RFC 7800 §3.1: `cnf` with the key thumbprint.
#[derive(Serialize)]
struct Cnf<'a> {
    jkt: &'a str,
}

/// The OIDC Core §2 claims of an ID token.
#[derive(Serialize)]
struct IdTokenClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
    iat: u64,
    azp: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acr: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_hash: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    c_hash: Option<&'a str>,
}

/// Fields of an ID token not taken from a [`Grant`].
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct IdTokenInputs<'a> {
    /// The `nonce` of the authentication request (OIDC Core §3.1.2.1).
    pub nonce: Option<&'a str>,
    /// When the end-user authenticated.
    pub auth_time: Option<UnixTime>,
    /// The authentication context class reference.
    pub acr: Option<&'a str>,
    /// The access token issued with it, for `at_hash` (OIDC Core §3.1.3.6).
    pub access_token: Option<&'a str>,
    /// The authorization code issued with it, for `c_hash` (OIDC Core §3.3.2.11;
    /// hybrid flow, from the authorization endpoint).
    pub code: Option<&'a str>,
}

/// Signs an ID token (OIDC Core §2) for `subject` and `client_id` with `key`:
/// `iss`, `sub`, `aud` = `azp` = the client, `iat`, `exp`, and `nonce`,
/// `auth_time`, `acr`, `at_hash`, `c_hash` when given. The hashes use the hash of
/// the key's algorithm (OIDC Core §3.1.3.6).
///
/// # Errors
/// [`IssueError::Sign`].
pub fn sign_id_token(
    key: &SigningKey,
    issuer: &str,
    subject: &str,
    client_id: &str,
    lifetime: Duration,
    inputs: &IdTokenInputs<'_>,
    now: UnixTime,
) -> Result<String, IssueError> {
    let alg = key.algorithm();
    let (mut at_buf, mut c_buf) = ([0u8; 43], [0u8; 43]);
    let at_hash = match inputs.access_token {
        Some(at) => {
            Some(oidc_hash_claim(alg, at.as_bytes(), &mut at_buf).map_err(IssueError::Sign)?)
        }
        None => None,
    };
    let c_hash = match inputs.code {
        Some(c) => Some(oidc_hash_claim(alg, c.as_bytes(), &mut c_buf).map_err(IssueError::Sign)?),
        None => None,
    };
    let claims = IdTokenClaims {
        iss: issuer,
        sub: subject,
        aud: client_id,
        exp: now.saturating_add(lifetime).as_secs(),
        iat: now.as_secs(),
        azp: client_id,
        auth_time: inputs.auth_time.map(UnixTime::as_secs),
        nonce: inputs.nonce,
        acr: inputs.acr,
        at_hash,
        c_hash,
    };
    sign_jwt(&claims, key, Some("JWT")).map_err(IssueError::Sign)
}

fn join_scope(scope: &[String]) -> Option<String> {
    (!scope.is_empty()).then(|| scope.join(" "))
}

/// Issues the tokens of `grant`: an access token (JWT per RFC 9068 or opaque,
/// per `policy`), a refresh token when the grant calls for one, and an ID token
/// for OpenID grants. Returns the response to send and the records to persist.
///
/// DPoP-bound grants get `cnf.jkt` in the access token and `token_type` `DPoP`
/// (RFC 9449 §5, §6.1).
///
/// # Errors
/// [`IssueError`]: no active key, signing or randomness failure, or no audience.
pub fn issue_tokens(
    policy: &TokenPolicy,
    keys: &KeySet,
    grant: &Grant,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<(TokenResponse, Issued), IssueError> {
    let audience: Vec<String> = if grant.resources.is_empty() {
        match &policy.default_audience {
            Some(a) => alloc::vec![a.clone()],
            None => return Err(IssueError::NoAudience),
        }
    } else {
        grant.resources.clone()
    };
    let sub = grant.subject.as_deref().unwrap_or(&grant.client_id);
    let exp = now.saturating_add(policy.access_token_lifetime);
    let jti = random_handle(rng, 16)?;
    let family_id = match &grant.family_id {
        Some(f) => f.clone(),
        None => random_handle(rng, 16)?,
    };
    let (access_token, opaque) = match policy.access_token_format {
        AccessTokenFormat::Opaque => (random_handle(rng, HANDLE_BYTES)?, true),
        AccessTokenFormat::Jwt => {
            let key = keys.signing_key(now).map_err(IssueError::Keys)?;
            let claims = AccessTokenClaims {
                iss: &policy.issuer,
                sub,
                aud: match audience.as_slice() {
                    [one] => AudClaim::One(one),
                    many => AudClaim::Many(many),
                },
                exp: exp.as_secs(),
                iat: now.as_secs(),
                jti: &jti,
                client_id: &grant.client_id,
                scope: join_scope(&grant.scope),
                auth_time: grant.auth_time.map(UnixTime::as_secs),
                acr: grant.acr.as_deref(),
                cnf: grant.dpop_jkt.as_deref().map(|jkt| Cnf { jkt }),
                act: grant.act.as_ref(),
            };
            // RFC 9068 §2.1: typ "at+jwt".
            (
                sign_jwt(&claims, key, Some("at+jwt")).map_err(IssueError::Sign)?,
                false,
            )
        }
    };
    let at_record = AccessTokenRecord {
        token_hash: HandleHash::of(&access_token),
        jti,
        family_id: family_id.clone(),
        client_id: grant.client_id.clone(),
        subject: sub.to_string(),
        scope: grant.scope.clone(),
        audience,
        issued_at: now,
        expires_at: exp,
        dpop_jkt: grant.dpop_jkt.clone(),
        opaque,
        revoked: false,
    };

    let (refresh_token, refresh_record, rotated) = match &grant.refresh {
        RefreshPlan::None | RefreshPlan::Keep => (None, None, None),
        RefreshPlan::NewFamily | RefreshPlan::Rotate { .. } => {
            let handle = random_handle(rng, HANDLE_BYTES)?;
            let (granted, rotated, family_exp) = match &grant.refresh {
                RefreshPlan::Rotate {
                    from,
                    granted_scope,
                    family_expires_at,
                } => (granted_scope.clone(), Some(*from), *family_expires_at),
                // A new family: its absolute bound starts now.
                _ => (
                    grant.scope.clone(),
                    None,
                    policy
                        .refresh_family_lifetime
                        .map(|d| now.saturating_add(d)),
                ),
            };
            let mut expires_at = now.saturating_add(policy.refresh_token_lifetime);
            // No token outlives its family's absolute bound.
            if let Some(f) = family_exp
                && f < expires_at
            {
                expires_at = f;
            }
            let record = RefreshTokenRecord {
                handle_hash: HandleHash::of(&handle),
                family_id: family_id.clone(),
                client_id: grant.client_id.clone(),
                public_client: grant.public_client,
                subject: grant.subject.clone(),
                scope: granted,
                resources: grant.resources.clone(),
                issued_at: now,
                expires_at,
                family_expires_at: family_exp,
                auth_time: grant.auth_time,
                acr: grant.acr.clone(),
                // RFC 9449 §5: refresh tokens of public clients are bound to the
                // DPoP key; those of confidential clients are not (they
                // authenticate instead).
                dpop_jkt: if grant.public_client {
                    grant.dpop_jkt.clone()
                } else {
                    None
                },
                state: RefreshState::Active,
            };
            (Some(handle), Some(record), rotated)
        }
    };

    let id_token = if grant.wants_id_token() {
        let key = keys.signing_key(now).map_err(IssueError::Keys)?;
        Some(sign_id_token(
            key,
            &policy.issuer,
            sub,
            &grant.client_id,
            policy.id_token_lifetime,
            &IdTokenInputs {
                nonce: grant.nonce.as_deref(),
                auth_time: grant.auth_time,
                acr: grant.acr.as_deref(),
                access_token: Some(&access_token),
                code: None,
            },
            now,
        )?)
    } else {
        None
    };

    let token_type = if grant.dpop_jkt.is_some() {
        "DPoP"
    } else {
        "Bearer"
    };
    let response = TokenResponse {
        access_token,
        token_type: token_type.into(),
        expires_in: policy.access_token_lifetime.as_secs(),
        scope: join_scope(&grant.scope),
        refresh_token,
        id_token,
        issued_token_type: grant.issued_token_type.map(String::from),
    };
    Ok((
        response,
        Issued {
            access_token: at_record,
            refresh_token: refresh_record,
            rotated,
        },
    ))
}
