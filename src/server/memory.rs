//! An in-memory store and a thin synchronous driver that wires the token-side
//! endpoints together: parse → authenticate → look up → decide → issue →
//! persist. For tests, examples and single-process servers; a real deployment
//! keeps the same calls and puts its own storage behind them.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
use core::fmt;

use super::authorize::AuthorizationCodeRecord;
use super::client::{
    AssertionAudience, ClientAuthError, RegisteredClient, authenticate_client,
    extract_client_credentials,
};
use super::introspection::{FoundToken, introspect, parse_introspection_request};
use super::issue::{
    AccessTokenRecord, HandleHash, Issued, RefreshState, RefreshTokenRecord, TokenPolicy,
    TokenResponse, issue_tokens,
};
use super::keys::KeySet;
use super::par::PushedAuthorizationRecord;
use super::revocation::{Revocation, parse_revocation_request, revocation_response, revoke};
use super::token::authorization_code::{CodeLookup, redeem_code};
use super::token::client_credentials::grant_client_credentials;
use super::token::device_code::{
    DeviceCodeRecord, DevicePolicy, parse_device_authorization_request, poll_device_code,
    start_device_authorization,
};
use super::token::jwt_bearer::{JtiRecord, JwtBearerPolicy, redeem_jwt_bearer};
use super::token::refresh_token::redeem_refresh_token;
use super::token::token_exchange::{ExchangePolicy, exchange_token};
use super::token::{
    DpopKey, GrantParams, TokenClient, TokenError, TokenRequest, parse_token_request,
    verify_token_request_proof, with_dpop_nonce,
};
use crate::dpop::NonceIssuer;
use crate::encoding::form::FormParams;
use crate::http::{HttpRequest, HttpResponse};
use crate::rand::SecureRandom;
use crate::time::UnixTime;

/// Everything the token side persists, in maps.
#[derive(Debug, Default)]
pub struct MemoryStore {
    codes: BTreeMap<HandleHash, AuthorizationCodeRecord>,
    /// Tombstones of redeemed codes (RFC 9700 §4.5 replay detection).
    used_codes: BTreeSet<HandleHash>,
    refresh: BTreeMap<HandleHash, RefreshTokenRecord>,
    access: BTreeMap<HandleHash, AccessTokenRecord>,
    /// `(issuer or client, jti)` → keep until.
    jtis: BTreeMap<(String, String), UnixTime>,
    devices: BTreeMap<HandleHash, DeviceCodeRecord>,
    user_codes: BTreeMap<String, HandleHash>,
    revoked_families: BTreeSet<String>,
    /// Pushed authorization requests by `request_uri` (RFC 9126).
    pushed: BTreeMap<String, PushedAuthorizationRecord>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores an authorization code record (from the authorization endpoint).
    pub fn insert_code(&mut self, record: AuthorizationCodeRecord) {
        self.codes.insert(record.code_hash, record);
    }

    /// Takes a code record: single use, with a tombstone for replay detection.
    pub fn take_code(&mut self, hash: &HandleHash) -> CodeLookup {
        if let Some(r) = self.codes.remove(hash) {
            self.used_codes.insert(*hash);
            CodeLookup::Taken(Box::new(r))
        } else if self.used_codes.contains(hash) {
            CodeLookup::AlreadyUsed
        } else {
            CodeLookup::NotFound
        }
    }

    /// Stores a pushed authorization request (RFC 9126 §2.2) under its `request_uri`.
    pub fn insert_pushed(&mut self, record: PushedAuthorizationRecord) {
        self.pushed.insert(record.request_uri.clone(), record);
    }

    /// Takes a pushed authorization request: single use (RFC 9126 §4: "the
    /// authorization server SHOULD make the request_uri one-time use").
    pub fn take_pushed(&mut self, request_uri: &str) -> Option<PushedAuthorizationRecord> {
        self.pushed.remove(request_uri)
    }

    /// Records a `jti` once within `scope` (who issued it): `false` if it was
    /// seen before and its record has not expired.
    pub fn insert_jti_once(
        &mut self,
        scope: &str,
        jti: &str,
        keep_until: UnixTime,
        now: UnixTime,
    ) -> bool {
        self.jtis.retain(|_, t| *t > now);
        let key = (scope.to_string(), jti.to_string());
        if self.jtis.contains_key(&key) {
            return false;
        }
        self.jtis.insert(key, keep_until);
        true
    }

    /// Persists what [`issue_tokens`] returned. Tokens of a family revoked
    /// meanwhile (a replay detected by a concurrent request) are stored revoked.
    pub fn persist(&mut self, mut issued: Issued) {
        if self
            .revoked_families
            .contains(&issued.access_token.family_id)
        {
            issued.access_token.revoked = true;
            if let Some(r) = issued.refresh_token.as_mut() {
                r.state = RefreshState::Revoked;
            }
        }
        if let Some(old) = issued.rotated
            && let Some(r) = self.refresh.get_mut(&old)
        {
            r.state = RefreshState::Rotated;
        }
        if let Some(r) = issued.refresh_token {
            self.refresh.insert(r.handle_hash, r);
        }
        self.access
            .insert(issued.access_token.token_hash, issued.access_token);
    }

    /// Revokes every token of a family (code replay, refresh reuse, revocation).
    pub fn revoke_family(&mut self, family_id: &str) {
        self.revoked_families.insert(family_id.to_string());
        for r in self
            .refresh
            .values_mut()
            .filter(|r| r.family_id == family_id)
        {
            r.state = RefreshState::Revoked;
        }
        for a in self
            .access
            .values_mut()
            .filter(|a| a.family_id == family_id)
        {
            a.revoked = true;
        }
    }

    /// A stored refresh token.
    #[must_use]
    pub fn refresh_token(&self, hash: &HandleHash) -> Option<&RefreshTokenRecord> {
        self.refresh.get(hash)
    }

    /// A stored access token.
    #[must_use]
    pub fn access_token(&self, hash: &HandleHash) -> Option<&AccessTokenRecord> {
        self.access.get(hash)
    }

    /// Any stored token by the hash of what was presented.
    #[must_use]
    pub fn find(&self, hash: &HandleHash) -> Option<FoundToken<'_>> {
        self.access
            .get(hash)
            .map(FoundToken::Access)
            .or_else(|| self.refresh.get(hash).map(FoundToken::Refresh))
    }

    /// Stores a device authorization.
    pub fn insert_device(&mut self, record: DeviceCodeRecord) {
        self.user_codes
            .insert(record.user_code.clone(), record.device_code_hash);
        self.devices.insert(record.device_code_hash, record);
    }

    /// The device authorization for a normalized user code.
    pub fn device_by_user_code(&mut self, user_code: &str) -> Option<&mut DeviceCodeRecord> {
        let h = self.user_codes.get(user_code)?;
        self.devices.get_mut(h)
    }
}

/// Validates a DPoP proof for a token request (RFC 9449 §4.3) and returns its key.
pub type DpopValidator =
    Box<dyn Fn(&str, &HttpRequest, UnixTime) -> Result<DpopKey, TokenError> + Send + Sync>;

/// A synchronous authorization server over a [`MemoryStore`]: token,
/// device authorization, introspection, revocation and JWKS endpoints.
pub struct MemoryAuthorizationServer {
    /// Token lifetimes and formats.
    pub policy: TokenPolicy,
    /// Signing keys.
    pub keys: KeySet,
    /// Registered clients by id.
    pub clients: BTreeMap<String, RegisteredClient>,
    /// The store.
    pub store: MemoryStore,
    /// Device flow settings.
    pub device: DevicePolicy,
    /// Token exchange settings (`None`: the grant is refused).
    pub exchange: Option<ExchangePolicy>,
    /// JWT bearer settings (`None`: the grant is refused).
    pub jwt_bearer: Option<JwtBearerPolicy>,
    /// Replaces the built-in DPoP proof validation (tests, or a proof check the
    /// caller runs elsewhere). `None`: [`verify_token_request_proof`].
    pub dpop: Option<DpopValidator>,
    /// Server nonces for DPoP proofs (RFC 9449 §8); `None`: none required.
    pub dpop_nonces: Option<NonceIssuer>,
    /// Seen DPoP proof identifiers (RFC 9449 §11.1).
    pub dpop_replay: DpopReplay,
}

/// The driver's DPoP replay store.
#[cfg(feature = "std")]
pub type DpopReplay = crate::dpop::InMemoryReplayStore;
/// The driver's DPoP replay store.
#[cfg(not(feature = "std"))]
pub type DpopReplay = core::cell::RefCell<crate::dpop::ReplayCache<256>>;

impl fmt::Debug for MemoryAuthorizationServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryAuthorizationServer")
            .field("issuer", &self.policy.issuer)
            .field("clients", &self.clients.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn uses_basic(req: &HttpRequest) -> bool {
    req.header("authorization").is_some_and(|v| {
        v.len() >= 6 && v.get(..6).is_some_and(|s| s.eq_ignore_ascii_case("basic "))
    })
}

impl MemoryAuthorizationServer {
    /// A server with no clients.
    #[must_use]
    pub fn new(policy: TokenPolicy, keys: KeySet, device: DevicePolicy) -> Self {
        Self {
            policy,
            keys,
            clients: BTreeMap::new(),
            store: MemoryStore::new(),
            device,
            exchange: None,
            jwt_bearer: None,
            dpop: None,
            dpop_nonces: None,
            dpop_replay: DpopReplay::default(),
        }
    }

    /// Registers a client.
    pub fn register(&mut self, client: RegisteredClient) {
        self.clients.insert(client.client_id.clone(), client);
    }

    /// Authenticates the client of a request (RFC 6749 §2.3, §3.2.1) and
    /// records an assertion's `jti`.
    fn authenticate(
        &mut self,
        req: &HttpRequest,
        form: &FormParams,
        now: UnixTime,
    ) -> Result<(RegisteredClient, super::client::AuthenticatedClient), TokenError> {
        let basic = uses_basic(req);
        let wrap = |error: ClientAuthError| TokenError::ClientAuth { error, basic };
        let creds = extract_client_credentials(req, form).map_err(wrap)?;
        let client = self
            .clients
            .get(creds.client_id())
            .cloned()
            .ok_or(TokenError::InvalidClient { basic })?;
        let also = [self.policy.token_endpoint.as_str()];
        let audience = AssertionAudience::issuer(&self.policy.issuer).also_accept(&also);
        let authed = authenticate_client(&client, &creds, &audience, now).map_err(wrap)?;
        if let Some(r) = authed.replay_record()
            && !self.store.insert_jti_once(
                &["client:", &r.client_id].concat(),
                &r.jti,
                r.expires_at,
                now,
            )
        {
            return Err(wrap(ClientAuthError::AssertionReplayed));
        }
        Ok((client, authed))
    }

    fn dpop_key(
        &self,
        treq: &TokenRequest,
        req: &HttpRequest,
        now: UnixTime,
    ) -> Result<Option<DpopKey>, TokenError> {
        let proof = treq.dpop_proof();
        match (proof, &self.dpop) {
            (None, _) => Ok(None),
            (Some(p), Some(v)) => v(p, req, now).map(Some),
            (Some(_), None) => verify_token_request_proof(
                treq,
                &self.policy.token_endpoint,
                self.dpop_nonces.as_ref(),
                now,
                &self.dpop_replay,
            ),
        }
    }

    /// The token endpoint (RFC 6749 §3.2).
    pub fn token(
        &mut self,
        req: &HttpRequest,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> HttpResponse {
        match self.token_inner(req, now, rng) {
            Ok(resp) => {
                let http = resp.to_http_response();
                // RFC 9449 §8.2: hand out the current nonce with every response.
                match &self.dpop_nonces {
                    Some(n) => {
                        with_dpop_nonce(http.clone(), n.current(now).as_str()).unwrap_or(http)
                    }
                    None => http,
                }
            }
            Err(e) => {
                if let Some(family) = e.revoke_family() {
                    self.store.revoke_family(family);
                }
                e.to_http_response()
            }
        }
    }

    fn token_inner(
        &mut self,
        req: &HttpRequest,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<TokenResponse, TokenError> {
        let treq = parse_token_request(req)?;
        let (registered, authed) = self.authenticate(req, treq.form(), now)?;
        let client = TokenClient::new(&registered, &authed)?;
        let dpop = self.dpop_key(&treq, req, now)?;
        let grant = match treq.grant() {
            GrantParams::AuthorizationCode { .. } => {
                let hash = treq
                    .code_hash()
                    .ok_or(TokenError::MissingParameter("code"))?;
                let lookup = self.store.take_code(&hash);
                redeem_code(&self.policy, &client, lookup, &treq, dpop.as_ref(), now)?
            }
            GrantParams::RefreshToken { .. } => {
                let hash = treq
                    .refresh_token_hash()
                    .ok_or(TokenError::MissingParameter("refresh_token"))?;
                let record = self.store.refresh.get(&hash).cloned();
                redeem_refresh_token(&self.policy, &client, record, &treq, dpop.as_ref(), now)?
            }
            GrantParams::ClientCredentials => {
                grant_client_credentials(&client, &treq, dpop.as_ref())?
            }
            GrantParams::DeviceCode { .. } => {
                let hash = treq
                    .device_code_hash()
                    .ok_or(TokenError::MissingParameter("device_code"))?;
                let record = self.store.devices.get(&hash).cloned();
                let poll =
                    poll_device_code(&self.policy, &client, record, &treq, dpop.as_ref(), now);
                if let Some(u) = poll.update {
                    self.store.devices.insert(u.device_code_hash, u);
                }
                poll.result?
            }
            GrantParams::TokenExchange(_) => {
                let ex = self
                    .exchange
                    .as_ref()
                    .ok_or(TokenError::UnsupportedGrantType)?;
                exchange_token(
                    &self.policy,
                    ex,
                    &self.keys,
                    &client,
                    &treq,
                    dpop.as_ref(),
                    |hash| self.store.access.get(hash).is_some_and(|a| a.revoked),
                    now,
                )?
            }
            GrantParams::JwtBearer { .. } => {
                let jb = self
                    .jwt_bearer
                    .as_ref()
                    .ok_or(TokenError::UnsupportedGrantType)?;
                let pending =
                    redeem_jwt_bearer(&self.policy, jb, &client, &treq, dpop.as_ref(), now)?;
                let JtiRecord {
                    issuer,
                    jti,
                    keep_until,
                } = pending.jti_record().clone();
                // Separate namespaces: a client_id may be a URL, as issuers are.
                let scope = ["issuer:", issuer.as_str()].concat();
                let fresh = self.store.insert_jti_once(&scope, &jti, keep_until, now);
                pending.confirm_jti_unused(fresh)?
            }
        };
        let (response, issued) = issue_tokens(&self.policy, &self.keys, &grant, now, rng)?;
        self.store.persist(issued);
        Ok(response)
    }

    /// The device authorization endpoint (RFC 8628 §3.1).
    pub fn device_authorization(
        &mut self,
        req: &HttpRequest,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> HttpResponse {
        let run = |this: &mut Self, rng: &mut _| -> Result<HttpResponse, TokenError> {
            let dreq = parse_device_authorization_request(req)?;
            let (registered, authed) = this.authenticate(req, dreq.form(), now)?;
            let client = TokenClient::new(&registered, &authed)?;
            let (resp, record) =
                start_device_authorization(&this.device, &client, &dreq, now, rng)?;
            this.store.insert_device(record);
            Ok(resp.to_http_response())
        };
        run(self, rng).unwrap_or_else(|e| e.to_http_response())
    }

    /// The introspection endpoint (RFC 7662).
    pub fn introspect(&mut self, req: &HttpRequest, now: UnixTime) -> HttpResponse {
        let run = |this: &mut Self| -> Result<HttpResponse, TokenError> {
            let ireq = parse_introspection_request(req)?;
            let (_, authed) = this.authenticate(req, ireq.form(), now)?;
            let found = this.store.find(&ireq.token_hash());
            Ok(introspect(&this.policy.issuer, &authed, found, now)?.to_http_response())
        };
        run(self).unwrap_or_else(|e| e.to_http_response())
    }

    /// The revocation endpoint (RFC 7009).
    pub fn revoke(&mut self, req: &HttpRequest, now: UnixTime) -> HttpResponse {
        let run = |this: &mut Self| -> Result<HttpResponse, TokenError> {
            let rreq = parse_revocation_request(req)?;
            let (_, authed) = this.authenticate(req, rreq.form(), now)?;
            match revoke(&authed, this.store.find(&rreq.token_hash())) {
                Revocation::AccessToken(h) => {
                    if let Some(a) = this.store.access.get_mut(&h) {
                        a.revoked = true;
                    }
                }
                Revocation::Family(f) => this.store.revoke_family(&f),
                _ => {}
            }
            Ok(revocation_response())
        };
        run(self).unwrap_or_else(|e| e.to_http_response())
    }

    /// The JWKS document at `now` (RFC 7517 §5).
    #[must_use]
    pub fn jwks(&self, now: UnixTime) -> HttpResponse {
        HttpResponse::json(200, self.keys.jwks_json(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(family: &str) -> AccessTokenRecord {
        AccessTokenRecord {
            token_hash: HandleHash::of("at"),
            jti: "j".into(),
            family_id: family.into(),
            client_id: "c".into(),
            subject: "s".into(),
            scope: Vec::new(),
            audience: Vec::new(),
            issued_at: UnixTime::from_secs(1),
            expires_at: UnixTime::from_secs(100),
            dpop_jkt: None,
            opaque: true,
            revoked: false,
        }
    }

    #[test]
    fn tokens_of_a_family_revoked_meanwhile_are_stored_revoked() {
        let mut store = MemoryStore::new();
        store.revoke_family("f1");
        store.persist(Issued {
            access_token: access("f1"),
            refresh_token: None,
            rotated: None,
        });
        assert!(store.access_token(&HandleHash::of("at")).unwrap().revoked);
        let mut other = MemoryStore::new();
        other.persist(Issued {
            access_token: access("f2"),
            refresh_token: None,
            rotated: None,
        });
        assert!(!other.access_token(&HandleHash::of("at")).unwrap().revoked);
    }

    #[test]
    fn codes_are_single_use_with_a_tombstone() {
        let mut store = MemoryStore::new();
        let h = HandleHash::of("code");
        assert!(matches!(store.take_code(&h), CodeLookup::NotFound));
        store.used_codes.insert(h);
        assert!(matches!(store.take_code(&h), CodeLookup::AlreadyUsed));
    }

    #[test]
    fn jti_once_per_scope_until_expiry() {
        let mut store = MemoryStore::new();
        let t = UnixTime::from_secs(10);
        assert!(store.insert_jti_once("a", "j", UnixTime::from_secs(20), t));
        assert!(!store.insert_jti_once("a", "j", UnixTime::from_secs(20), t));
        assert!(store.insert_jti_once("b", "j", UnixTime::from_secs(20), t));
        // After the record expired, the jti may be recorded again.
        assert!(store.insert_jti_once("a", "j", UnixTime::from_secs(40), UnixTime::from_secs(21)));
    }
}
