//! ID token validation (OpenID Connect Core 1.0 §3.1.3.7, §3.1.3.8, §3.3.2.11).
//!
//! [`IdTokenValidation`] holds the expected values (issuer, client id, the nonce sent,
//! `max_age` when requested, the access token and code the ID token came with);
//! [`IdTokenValidation::verify`] runs every check and returns a [`VerifiedIdToken`], which
//! only this module constructs.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use crate::client::{AuthorizationState, TokenResponse};
use crate::jose::{Algorithm, JoseError, KeyResolver, Validation, oidc_hash_claim};
use crate::time::{Duration, Leeway, UnixTime};

/// The default largest ID token accepted, in bytes (larger than the JOSE default:
/// providers put group lists in ID tokens).
pub const DEFAULT_MAX_ID_TOKEN_LEN: usize = 16 * 1024;
/// The default oldest `iat` accepted: an ID token is checked right after it is issued.
pub const DEFAULT_IAT_MAX_AGE: Duration = Duration::from_mins(10);

/// Why an ID token was refused. Never holds the token, the nonce or a hash value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdTokenError {
    /// The JWT checks failed: signature (key and algorithm pinned by the key),
    /// `iss`, `aud`, `exp`, `iat`, required claims (OIDC Core §3.1.3.7 steps 2-3, 6,
    /// 9-10).
    Jose(JoseError),
    /// The token response has no `id_token` although `openid` was requested (OIDC
    /// Core §3.1.3.3).
    Missing,
    /// A claim has the wrong JSON type.
    ClaimType(&'static str),
    /// Several audiences and no `azp` (OIDC Core §3.1.3.7 step 4).
    AzpMissing,
    /// `azp` is not our client id (OIDC Core §3.1.3.7 step 5).
    AzpMismatch,
    /// A nonce was sent and the token has none (OIDC Core §3.1.3.7 step 11).
    NonceMissing,
    /// The token's `nonce` differs from the one sent (OIDC Core §3.1.3.7 step 11).
    NonceMismatch,
    /// No nonce was sent, yet the token has one: it answers another request.
    UnexpectedNonce,
    /// `max_age` was requested and `auth_time` is absent (OIDC Core §3.1.2.1).
    AuthTimeMissing,
    /// The end-user authenticated longer ago than `max_age` (OIDC Core §3.1.3.7 step 13).
    AuthTooOld,
    /// `auth_time` lies in the future, beyond the leeway.
    AuthTimeInFuture,
    /// `at_hash` is required here and absent (OIDC Core §3.2.2.10, §3.3.2.11).
    AtHashMissing,
    /// `at_hash` does not match the access token (OIDC Core §3.1.3.8, §3.2.2.9).
    AtHashMismatch,
    /// `c_hash` is required here and absent (OIDC Core §3.3.2.11).
    CHashMissing,
    /// `c_hash` does not match the code (OIDC Core §3.3.2.10).
    CHashMismatch,
    /// An ID token from a refresh differs from the original in a claim that must stay
    /// the same (`iss`, `sub`, `aud`, `azp`, `auth_time`, `nonce`; OIDC Core §12.2).
    RefreshClaimChanged(&'static str),
}

impl fmt::Display for IdTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jose(e) => write!(f, "id token: {e}"),
            Self::Missing => f.write_str(
                "token response has no id_token though openid was requested (OIDC Core §3.1.3.3)",
            ),
            Self::ClaimType(c) => write!(f, "id token claim {c} has the wrong type"),
            Self::AzpMissing => {
                f.write_str("id token has several audiences and no azp (OIDC Core §3.1.3.7)")
            }
            Self::AzpMismatch => {
                f.write_str("id token azp is not the client id (OIDC Core §3.1.3.7)")
            }
            Self::NonceMissing => {
                f.write_str("id token has no nonce though one was sent (OIDC Core §3.1.3.7)")
            }
            Self::NonceMismatch => {
                f.write_str("id token nonce differs from the one sent (OIDC Core §3.1.3.7)")
            }
            Self::UnexpectedNonce => f.write_str("id token has a nonce though none was sent"),
            Self::AuthTimeMissing => {
                f.write_str("max_age was requested and auth_time is missing (OIDC Core §3.1.2.1)")
            }
            Self::AuthTooOld => {
                f.write_str("end-user authentication is older than max_age (OIDC Core §3.1.3.7)")
            }
            Self::AuthTimeInFuture => f.write_str("id token auth_time is in the future"),
            Self::AtHashMissing => f.write_str("id token has no at_hash (OIDC Core §3.2.2.10)"),
            Self::AtHashMismatch => {
                f.write_str("id token at_hash does not match the access token (OIDC Core §3.1.3.8)")
            }
            Self::CHashMissing => f.write_str("id token has no c_hash (OIDC Core §3.3.2.11)"),
            Self::CHashMismatch => {
                f.write_str("id token c_hash does not match the code (OIDC Core §3.3.2.10)")
            }
            Self::RefreshClaimChanged(c) => write!(
                f,
                "refreshed id token changed {c} from the original (OIDC Core §12.2)"
            ),
        }
    }
}

impl core::error::Error for IdTokenError {}

impl From<JoseError> for IdTokenError {
    fn from(e: JoseError) -> Self {
        Self::Jose(e)
    }
}

/// What an ID token must satisfy. Issuer, client id and the nonce decision are
/// required arguments; the rest are named options.
#[derive(Clone, Copy)]
pub struct IdTokenValidation<'e> {
    issuer: &'e str,
    client_id: &'e str,
    nonce: Option<&'e str>,
    max_age: Option<Duration>,
    require_auth_time: bool,
    access_token: Option<&'e str>,
    code: Option<&'e str>,
    require_hashes: bool,
    leeway: Leeway,
    iat_max_age: Duration,
    algorithms: Option<&'e [Algorithm]>,
    max_token_len: usize,
    /// Refresh (§12.2): the nonce is compared with the original token's by the caller.
    nonce_unchecked: bool,
}

impl fmt::Debug for IdTokenValidation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenValidation")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("nonce", &self.nonce.map(|_| ".."))
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl<'e> IdTokenValidation<'e> {
    /// Validation for an ID token from `issuer` (compared exactly, OIDC Core §3.1.3.7
    /// step 2) for `client_id` (step 3), answering a request that sent `nonce`
    /// (`None` when no nonce was sent: a token carrying one is then refused).
    /// Leeway 60 s; `iat` at most [`DEFAULT_IAT_MAX_AGE`] old.
    #[must_use]
    pub const fn new(issuer: &'e str, client_id: &'e str, nonce: Option<&'e str>) -> Self {
        Self {
            issuer,
            client_id,
            nonce,
            max_age: None,
            require_auth_time: false,
            access_token: None,
            code: None,
            require_hashes: false,
            leeway: Leeway::new(Duration::from_secs(60)),
            iat_max_age: DEFAULT_IAT_MAX_AGE,
            algorithms: None,
            max_token_len: DEFAULT_MAX_ID_TOKEN_LEN,
            nonce_unchecked: false,
        }
    }

    /// The `max_age` sent in the request: `auth_time` is then required and must be
    /// within it (OIDC Core §3.1.2.1, §3.1.3.7 step 13).
    #[must_use]
    pub const fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Requires `auth_time` without `max_age` (the client registered
    /// `require_auth_time`, OpenID Connect Dynamic Client Registration §2).
    #[must_use]
    pub const fn require_auth_time(mut self) -> Self {
        self.require_auth_time = true;
        self
    }

    /// The access token issued with the ID token: a present `at_hash` must match it
    /// (OIDC Core §3.1.3.8, §3.2.2.9).
    #[must_use]
    pub const fn access_token(mut self, access_token: &'e str) -> Self {
        self.access_token = Some(access_token);
        self
    }

    /// The authorization code the ID token came with: a present `c_hash` must match it
    /// (OIDC Core §3.3.2.10).
    #[must_use]
    pub const fn code(mut self, code: &'e str) -> Self {
        self.code = Some(code);
        self
    }

    /// Makes `at_hash` (when an access token is given) and `c_hash` (when a code is
    /// given) required: ID tokens from the authorization endpoint of the implicit and
    /// hybrid flows (OIDC Core §3.2.2.10, §3.3.2.11).
    #[must_use]
    pub const fn require_hashes(mut self) -> Self {
        self.require_hashes = true;
        self
    }

    /// The clock-skew leeway (capped at [`Leeway::MAX`]).
    #[must_use]
    pub const fn leeway(mut self, leeway: Leeway) -> Self {
        self.leeway = leeway;
        self
    }

    /// The oldest `iat` accepted (OIDC Core §3.1.3.7 step 10: the client decides).
    #[must_use]
    pub const fn iat_max_age(mut self, age: Duration) -> Self {
        self.iat_max_age = age;
        self
    }

    /// Restricts the algorithms to this list, on top of the key pin (for the
    /// registered `id_token_signed_response_alg`, OIDC Core §3.1.3.7 step 7).
    #[must_use]
    pub const fn algorithms(mut self, algs: &'e [Algorithm]) -> Self {
        self.algorithms = Some(algs);
        self
    }

    /// The largest token accepted, in bytes (default [`DEFAULT_MAX_ID_TOKEN_LEN`]).
    #[must_use]
    pub const fn max_token_len(mut self, len: usize) -> Self {
        self.max_token_len = len;
        self
    }

    /// Verifies `id_token` with the issuer's `keys` at time `now`.
    ///
    /// Order: JOSE checks (size, header, key and algorithm pinned by the key,
    /// signature, `exp`, `iat` not in the future and not older than the maximum,
    /// `iss` exact, `aud` contains the client id, `sub` and `iat` present), then
    /// `azp`, `nonce` (constant-time), `auth_time`/`max_age`, `at_hash`, `c_hash`.
    ///
    /// # Errors
    /// The [`IdTokenError`] naming the first rule broken.
    pub fn verify<K: KeyResolver + ?Sized>(
        &self,
        id_token: &str,
        keys: &K,
        now: UnixTime,
    ) -> Result<VerifiedIdToken, IdTokenError> {
        if id_token.len() > self.max_token_len {
            return Err(JoseError::TooLarge {
                max: self.max_token_len,
            }
            .into());
        }
        let mut v = Validation::new(self.issuer, self.client_id)
            .leeway(self.leeway)
            .max_age(self.iat_max_age)
            .max_token_len(self.max_token_len)
            // OIDC Core §2: iss, sub, aud, exp, iat are REQUIRED.
            .require_claims(&["sub", "iat"]);
        if let Some(algs) = self.algorithms {
            v = v.algorithms(algs);
        }
        let mut scratch = alloc::vec![0u8; id_token.len()];
        let jwt = v.verify(id_token, keys, now, &mut scratch)?;
        let alg = jwt.header().alg();
        let map: Map<String, Value> = jwt
            .claims()
            .deserialize()
            .map_err(|_| IdTokenError::Jose(JoseError::Malformed))?;
        let claims = IdTokenClaims::from_map(map)?;
        self.check_claims(&claims, alg, now)?;
        Ok(VerifiedIdToken {
            alg,
            claims,
            raw: id_token.into(),
        })
    }

    /// As [`IdTokenValidation::verify`] with no nonce expectation at all (for
    /// refreshed ID tokens, whose nonce the caller compares with the original's).
    fn verify_allowing_nonce<K: KeyResolver + ?Sized>(
        &self,
        id_token: &str,
        keys: &K,
        now: UnixTime,
    ) -> Result<VerifiedIdToken, IdTokenError> {
        let mut v = *self;
        v.nonce_unchecked = true;
        v.verify(id_token, keys, now)
    }

    fn check_claims(
        &self,
        c: &IdTokenClaims,
        alg: Algorithm,
        now: UnixTime,
    ) -> Result<(), IdTokenError> {
        // OIDC Core §3.1.3.7 step 4: several audiences need an azp; step 5: an azp
        // present must be our client id.
        if c.aud.len() > 1 && c.azp.is_none() {
            return Err(IdTokenError::AzpMissing);
        }
        if let Some(azp) = &c.azp
            && azp != self.client_id
        {
            return Err(IdTokenError::AzpMismatch);
        }
        // OIDC Core §3.1.3.7 step 11: the nonce sent must come back, compared in
        // constant time (it guards against replay of a stolen token).
        match (self.nonce, c.nonce.as_deref()) {
            (Some(sent), Some(got)) => {
                if !bool::from(sent.as_bytes().ct_eq(got.as_bytes())) {
                    return Err(IdTokenError::NonceMismatch);
                }
            }
            (Some(_), None) => return Err(IdTokenError::NonceMissing),
            // Q: OIDC Core only requires the check when a nonce was sent. A: a nonce we
            // did not send means the token answers someone else's request; refuse it.
            (None, Some(_)) if !self.nonce_unchecked => {
                return Err(IdTokenError::UnexpectedNonce);
            }
            (None, Some(_)) => {}
            (None, None) => {}
        }
        // OIDC Core §3.1.2.1 / §3.1.3.7 step 13: max_age makes auth_time required.
        if self.max_age.is_some() || self.require_auth_time {
            let auth_time = c.auth_time.ok_or(IdTokenError::AuthTimeMissing)?;
            let leeway = self.leeway.duration();
            if auth_time > now.saturating_add(leeway) {
                return Err(IdTokenError::AuthTimeInFuture);
            }
            if let Some(max_age) = self.max_age
                && now > auth_time.saturating_add(max_age).saturating_add(leeway)
            {
                return Err(IdTokenError::AuthTooOld);
            }
        }
        // OIDC Core §3.1.3.8 / §3.2.2.9: at_hash is the left half of the hash named
        // by the ID token's alg, base64url.
        check_hash(
            self.access_token,
            c.at_hash.as_deref(),
            alg,
            self.require_hashes,
            (IdTokenError::AtHashMissing, IdTokenError::AtHashMismatch),
        )?;
        // OIDC Core §3.3.2.10: c_hash likewise over the code.
        check_hash(
            self.code,
            c.c_hash.as_deref(),
            alg,
            self.require_hashes,
            (IdTokenError::CHashMissing, IdTokenError::CHashMismatch),
        )
    }
}

fn check_hash(
    value: Option<&str>,
    claim: Option<&str>,
    alg: Algorithm,
    required: bool,
    (missing, mismatch): (IdTokenError, IdTokenError),
) -> Result<(), IdTokenError> {
    let Some(value) = value else { return Ok(()) };
    let Some(claim) = claim else {
        return if required { Err(missing) } else { Ok(()) };
    };
    let mut buf = [0u8; 43];
    let expected = oidc_hash_claim(alg, value.as_bytes(), &mut buf).map_err(|_| mismatch)?;
    if bool::from(expected.as_bytes().ct_eq(claim.as_bytes())) {
        Ok(())
    } else {
        Err(mismatch)
    }
}

/// The claims of a verified ID token (OIDC Core §2), typed, with every claim kept in
/// [`IdTokenClaims::all`].
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct IdTokenClaims {
    /// `iss`.
    pub iss: String,
    /// `sub`: the end-user at the issuer.
    pub sub: String,
    /// `aud`, as a list.
    pub aud: Vec<String>,
    /// `exp`.
    pub exp: UnixTime,
    /// `iat`.
    pub iat: UnixTime,
    /// `auth_time`.
    pub auth_time: Option<UnixTime>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// `acr`.
    pub acr: Option<String>,
    /// `amr`.
    pub amr: Option<Vec<String>>,
    /// `azp`.
    pub azp: Option<String>,
    /// `at_hash`.
    pub at_hash: Option<String>,
    /// `c_hash`.
    pub c_hash: Option<String>,
    /// `sid` (OpenID Connect Front-Channel Logout §3).
    pub sid: Option<String>,
    /// Every claim, registered ones included.
    pub all: Map<String, Value>,
}

impl fmt::Debug for IdTokenClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdTokenClaims")
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("auth_time", &self.auth_time)
            .field("azp", &self.azp)
            .finish_non_exhaustive()
    }
}

fn opt_string(
    map: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<String>, IdTokenError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(IdTokenError::ClaimType(name)),
    }
}

fn opt_time(
    map: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<UnixTime>, IdTokenError> {
    match map.get(name) {
        None => Ok(None),
        // RFC 7519 §2 NumericDate: non-negative seconds, fractions dropped.
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1.0e15)
                    .map(|f| f as u64)
            })
            .map(|s| Some(UnixTime::from_secs(s)))
            .ok_or(IdTokenError::ClaimType(name)),
        Some(_) => Err(IdTokenError::ClaimType(name)),
    }
}

impl IdTokenClaims {
    fn from_map(all: Map<String, Value>) -> Result<Self, IdTokenError> {
        let required = |name: &'static str| {
            opt_string(&all, name)?.ok_or(IdTokenError::Jose(JoseError::MissingClaim(name)))
        };
        let aud = match all.get("aud") {
            Some(Value::String(s)) => alloc::vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(ToString::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or(IdTokenError::ClaimType("aud"))?,
            _ => return Err(IdTokenError::ClaimType("aud")),
        };
        let amr = match all.get("amr") {
            None => None,
            Some(Value::Array(a)) => Some(
                a.iter()
                    .map(|v| v.as_str().map(ToString::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(IdTokenError::ClaimType("amr"))?,
            ),
            Some(_) => return Err(IdTokenError::ClaimType("amr")),
        };
        Ok(Self {
            iss: required("iss")?,
            sub: required("sub")?,
            aud,
            exp: opt_time(&all, "exp")?.ok_or(IdTokenError::ClaimType("exp"))?,
            iat: opt_time(&all, "iat")?.ok_or(IdTokenError::ClaimType("iat"))?,
            auth_time: opt_time(&all, "auth_time")?,
            nonce: opt_string(&all, "nonce")?,
            acr: opt_string(&all, "acr")?,
            amr,
            azp: opt_string(&all, "azp")?,
            at_hash: opt_string(&all, "at_hash")?,
            c_hash: opt_string(&all, "c_hash")?,
            sid: opt_string(&all, "sid")?,
            all,
        })
    }
}

/// An ID token that passed every check of an [`IdTokenValidation`]. Only this module
/// constructs it. `Debug` omits the raw token.
#[derive(Clone)]
pub struct VerifiedIdToken {
    alg: Algorithm,
    claims: IdTokenClaims,
    raw: String,
}

impl fmt::Debug for VerifiedIdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedIdToken")
            .field("alg", &self.alg)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

impl VerifiedIdToken {
    /// The checked claims.
    #[must_use]
    pub fn claims(&self) -> &IdTokenClaims {
        &self.claims
    }

    /// `sub`: match UserInfo responses against it (OIDC Core §5.3.4).
    #[must_use]
    pub fn sub(&self) -> &str {
        &self.claims.sub
    }

    /// The algorithm the token was signed with.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The token as received (for `id_token_hint`, OpenID Connect RP-Initiated Logout §2).
    #[must_use]
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// Validates the `id_token` of a token response to the authorization code grant (OIDC
/// Core §3.1.3.5-§3.1.3.8) against the request's [`AuthorizationState`]: issuer, client
/// id, nonce and `max_age` recorded when the request was built, and `at_hash` against
/// the response's access token.
///
/// Returns `Ok(None)` when the request was not an OpenID Connect request (no nonce was
/// recorded) and there is no `id_token`. A nonce is recorded exactly when `openid` was
/// requested, so then the `id_token` is required (§3.1.3.3).
///
/// # Errors
/// [`IdTokenError::Missing`], or the error of [`IdTokenValidation::verify`].
pub fn validate_token_response_id_token<K: KeyResolver + ?Sized>(
    tokens: &TokenResponse,
    state: &AuthorizationState,
    keys: &K,
    now: UnixTime,
) -> Result<Option<VerifiedIdToken>, IdTokenError> {
    let nonce = state.nonce().map(|n| n.expose());
    let Some(id_token) = tokens.id_token() else {
        return if nonce.is_some() {
            Err(IdTokenError::Missing)
        } else {
            Ok(None)
        };
    };
    let mut v = IdTokenValidation::new(state.issuer(), state.client_id(), nonce)
        .access_token(tokens.access_token().expose());
    if let Some(max_age) = state.max_age() {
        v = v.max_age(Duration::from_secs(max_age));
    }
    v.verify(id_token.expose(), keys, now).map(Some)
}

/// Validates the `id_token` of a refresh token response (OIDC Core §12.2) against the ID
/// token of the original authentication: signature, `exp` and `iat` as usual (`iat` is
/// the new issue time), `iss`, `sub`, `aud`, `azp` and `auth_time` unchanged, and a
/// `nonce`, if any, equal to the original's; `at_hash` against the new access token.
///
/// Returns `Ok(None)` when the response has no `id_token` (the server need not send one).
///
/// # Errors
/// [`IdTokenError::RefreshClaimChanged`] naming the claim, or the error of
/// [`IdTokenValidation::verify`].
pub fn validate_refresh_id_token<K: KeyResolver + ?Sized>(
    tokens: &TokenResponse,
    original: &VerifiedIdToken,
    keys: &K,
    now: UnixTime,
) -> Result<Option<VerifiedIdToken>, IdTokenError> {
    let Some(id_token) = tokens.id_token() else {
        return Ok(None);
    };
    let o = &original.claims;
    let client_id = o.azp.as_deref().or(o.aud.first().map(String::as_str));
    let client_id = client_id.ok_or(IdTokenError::Jose(JoseError::MissingClaim("aud")))?;
    // Q: §12.2 says the new token SHOULD NOT carry a nonce, but if it does it MUST be the
    // original's. A: expect the original's when the token has one (checked below), so
    // verify without a nonce expectation first.
    let new = IdTokenValidation::new(&o.iss, client_id, None)
        .access_token(tokens.access_token().expose())
        .verify_allowing_nonce(id_token.expose(), keys, now)?;
    let n = &new.claims;
    if n.sub != o.sub {
        return Err(IdTokenError::RefreshClaimChanged("sub"));
    }
    if n.aud != o.aud {
        return Err(IdTokenError::RefreshClaimChanged("aud"));
    }
    if n.azp != o.azp {
        return Err(IdTokenError::RefreshClaimChanged("azp"));
    }
    if n.auth_time.is_some() && n.auth_time != o.auth_time {
        return Err(IdTokenError::RefreshClaimChanged("auth_time"));
    }
    if n.nonce.is_some() && n.nonce != o.nonce {
        return Err(IdTokenError::RefreshClaimChanged("nonce"));
    }
    Ok(Some(new))
}
