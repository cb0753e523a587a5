//! An OAuth 2.1 / OpenID Connect authorization server over oauth-core's `server` role and its
//! in-memory driver (`server::memory`). Shared by `examples/authorization_server.rs` and
//! `examples/demo.rs`; it needs `server.rs` beside it as `server_adapter`.
//!
//! Endpoints (paths under the issuer URL):
//! - `/.well-known/oauth-authorization-server` (RFC 8414) and
//!   `/.well-known/openid-configuration` (OIDC Discovery), at the RFC 8414 §3.1 path-inserted
//!   forms too when the issuer has a path;
//! - `/jwks` (RFC 7517), `/authorize` (RFC 6749 §4.1, PKCE S256, RFC 8707 `resource`, RFC 9207
//!   `iss`, RFC 9449 §10 `dpop_jkt`, RFC 9101 request objects), `/par` (RFC 9126), `/token`
//!   (authorization code, refresh token, client credentials, device code, token exchange; DPoP
//!   proofs verified, RFC 9449 §5), `/register` (RFC 7591), `/introspect` (RFC 7662),
//!   `/revoke` (RFC 7009), `/device_authorization` (RFC 8628) and `/device` (approval).
//! - Clients: pre-registered ones (see [`parse_clients`] for the JSON format), dynamically
//!   registered ones, and Client ID Metadata Documents (an https `client_id`, fetched once with
//!   private and loopback addresses refused, unless allowed).
//! - Consent: with `auto_consent`, every valid request is approved at once for
//!   [`AsConfig::demo_user`] (development only); without it, the example has no login UI and
//!   answers `access_denied`.

use std::collections::BTreeMap;
use std::net::ToSocketAddrs as _;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use oauth_core::dpop::{InMemoryReplayStore, ProofCheck, verify_proof};
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpRequest, HttpResponse};
use oauth_core::jose::{Algorithm, JwkSet, JwkSetOptions};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::rand::{SecureRandom, SystemRandom};
use oauth_core::server::authorize::{
    AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
    validate_authorization_request,
};
use oauth_core::server::cimd::{
    CimdPolicy, client_metadata_request, is_client_id_url, is_forbidden_ip,
    process_client_metadata_response,
};
use oauth_core::server::client::{
    ApplicationType, AssertionAudience, ClientSecret, RegisteredClient, TokenEndpointAuthMethod,
};
use oauth_core::server::error::json_error_response;
use oauth_core::server::issue::TokenPolicy;
use oauth_core::server::keys::{KeySet, RotationPolicy};
use oauth_core::server::memory::MemoryAuthorizationServer;
use oauth_core::server::metadata::{
    ServerConfig, authorization_server_metadata, metadata_response, openid_configuration,
    well_known_urls,
};
use oauth_core::server::par::{parse_par_request, process_par_request};
use oauth_core::server::registration::{
    RegistrationPolicy, parse_registration_request, register_client,
};
use oauth_core::server::token::device_code::{DevicePolicy, normalize_user_code};
use oauth_core::server::token::token_exchange::ExchangePolicy;
use oauth_core::server::token::{DpopKey, TokenError, grant_type};
use oauth_core::time::UnixTime;
use serde::Deserialize;

use super::server_adapter;

/// How the server is set up.
pub struct AsConfig {
    /// The issuer identifier (e.g. `http://127.0.0.1:8080`): the base of every endpoint.
    pub issuer: String,
    /// A private JWK to sign with; `None`: a fresh P-256 key (ES256).
    pub key_jwk: Option<Vec<u8>>,
    /// Pre-registered clients.
    pub clients: Vec<RegisteredClient>,
    /// Approve every valid authorization request for [`AsConfig::demo_user`].
    pub auto_consent: bool,
    /// The subject approved with `auto_consent`.
    pub demo_user: String,
    /// Scopes dynamically registered and CIMD clients may request.
    pub scopes: Vec<String>,
    /// Resources (RFC 8707) dynamically registered and CIMD clients may request tokens for.
    pub resources: Vec<String>,
    /// Fetch Client ID Metadata Documents from private and loopback addresses too (local
    /// testing only: it opens the server to SSRF).
    pub cimd_allow_private: bool,
}

/// The running server's state.
pub struct AuthorizationServer {
    issuer: String,
    state: Mutex<State>,
}

struct State {
    mem: MemoryAuthorizationServer,
    authorize: AuthorizePolicy,
    registration: RegistrationPolicy,
    cimd: CimdPolicy,
    oauth_metadata: AuthorizationServerMetadata,
    oidc_metadata: AuthorizationServerMetadata,
    /// Paths the RFC 8414 document is served at, and the OIDC one.
    oauth_paths: Vec<String>,
    oidc_paths: Vec<String>,
    config_scopes: Vec<String>,
    config_resources: Vec<String>,
    auto_consent: bool,
    demo_user: String,
    replay: Arc<InMemoryReplayStore>,
    rng: SystemRandom,
}

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).unwrap_or(UnixTime::EPOCH)
}

/// A fresh P-256 private JWK (`alg` ES256, `kid` from the time and randomness).
pub fn generate_es256_jwk(rng: &mut impl SecureRandom) -> Result<String, String> {
    use p256::elliptic_curve::sec1::ToEncodedPoint as _;
    for _ in 0..8 {
        let mut d = [0u8; 32];
        rng.fill(&mut d).map_err(|_| "no randomness")?;
        // A uniformly random 256-bit string is a valid scalar but with ~2^-32 odds.
        let Ok(secret) = p256::SecretKey::from_slice(&d) else {
            continue;
        };
        let point = secret.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            continue;
        };
        let mut kid = [0u8; 6];
        rng.fill(&mut kid).map_err(|_| "no randomness")?;
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig",
            "kid": b64(&kid),
            "x": b64(x), "y": b64(y), "d": b64(&d),
        });
        return Ok(jwk.to_string());
    }
    Err("could not generate a P-256 key".into())
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One client of the `--clients` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientEntry {
    client_id: String,
    #[serde(default)]
    token_endpoint_auth_method: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    application_type: Option<String>,
    #[serde(default)]
    grant_types: Option<Vec<String>>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    resources: Vec<String>,
    #[serde(default)]
    jwks: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientsFile {
    clients: Vec<ClientEntry>,
}

/// Parses the clients file:
///
/// ```json
/// {"clients": [
///   {"client_id": "my-app",                       // required
///    "token_endpoint_auth_method": "none",         // none (default without a secret or jwks),
///                                                  // client_secret_basic (default with a secret),
///                                                  // client_secret_post, client_secret_jwt,
///                                                  // private_key_jwt (default with jwks)
///    "client_secret": "s3cret",                    // for the client_secret_* methods
///    "jwks": {"keys": [ ...public JWKs... ]},      // for private_key_jwt
///    "redirect_uris": ["http://127.0.0.1/callback"],
///    "application_type": "native",                 // web (default) or native (loopback http
///                                                  // redirect URIs, any port)
///    "grant_types": ["authorization_code", "refresh_token"],   // this is the default
///    "scope": "openid mcp:tools",                  // scopes it may request
///    "resources": ["http://127.0.0.1:8081/mcp"]}   // RFC 8707 resources it may request
/// ]}
/// ```
/// (JSON has no comments: they only explain here.) Unknown members are errors.
pub fn parse_clients(json: &[u8]) -> Result<Vec<RegisteredClient>, String> {
    let file: ClientsFile = serde_json::from_slice(json).map_err(|e| format!("clients: {e}"))?;
    file.clients.into_iter().map(client_from_entry).collect()
}

fn client_from_entry(e: ClientEntry) -> Result<RegisteredClient, String> {
    let id = e.client_id.clone();
    let err = |m: &str| format!("client {id:?}: {m}");
    let method = match (&e.token_endpoint_auth_method, &e.client_secret, &e.jwks) {
        (Some(m), _, _) => {
            TokenEndpointAuthMethod::from_name(m).ok_or_else(|| err("unknown auth method"))?
        }
        (None, Some(_), _) => TokenEndpointAuthMethod::ClientSecretBasic,
        (None, None, Some(_)) => TokenEndpointAuthMethod::PrivateKeyJwt,
        (None, None, None) => TokenEndpointAuthMethod::None,
    };
    let mut client = if method == TokenEndpointAuthMethod::None {
        RegisteredClient::public(e.client_id.clone(), e.redirect_uris.clone())
    } else {
        RegisteredClient::confidential(e.client_id.clone(), method, e.redirect_uris.clone())
    };
    match (method, &e.client_secret) {
        (TokenEndpointAuthMethod::ClientSecretJwt, Some(s)) => {
            client = client.with_secret(ClientSecret::plaintext(s));
        }
        (
            TokenEndpointAuthMethod::ClientSecretBasic | TokenEndpointAuthMethod::ClientSecretPost,
            Some(s),
        ) => client = client.with_secret(ClientSecret::sha256_verifier(s)),
        (
            TokenEndpointAuthMethod::ClientSecretBasic
            | TokenEndpointAuthMethod::ClientSecretPost
            | TokenEndpointAuthMethod::ClientSecretJwt,
            None,
        ) => return Err(err("client_secret is required for this method")),
        (_, Some(_)) => return Err(err("client_secret given for a method without one")),
        _ => {}
    }
    if let Some(jwks) = &e.jwks {
        let set = JwkSet::parse(jwks.to_string().as_bytes(), &JwkSetOptions::default())
            .map_err(|x| err(&format!("jwks: {x}")))?;
        if set.keys().iter().any(|k| k.algorithm().is_symmetric()) {
            return Err(err("jwks must hold public keys only"));
        }
        // Keys the parser skipped (`use` other than `sig`, unknown `kty`, `oct`) are not
        // silently dropped: the file says what the client signs with.
        if set.is_empty() || !set.skipped().is_empty() {
            return Err(err("jwks: every key must be a public signing key"));
        }
        client = client.with_jwks(set);
    } else if method == TokenEndpointAuthMethod::PrivateKeyJwt {
        return Err(err("private_key_jwt needs jwks"));
    }
    if let Some(t) = &e.application_type {
        client = client.with_application_type(
            ApplicationType::from_name(t).ok_or_else(|| err("application_type: web or native"))?,
        );
    }
    let grants: Vec<&str> = match &e.grant_types {
        Some(g) => g.iter().map(String::as_str).collect(),
        None => vec![grant_type::AUTHORIZATION_CODE, grant_type::REFRESH_TOKEN],
    };
    client = client.with_grant_types(&grants);
    if let Some(s) = &e.scope {
        let s: Vec<&str> = s.split(' ').filter(|s| !s.is_empty()).collect();
        client = client.with_scopes(&s);
    }
    let r: Vec<&str> = e.resources.iter().map(String::as_str).collect();
    Ok(client.with_resources(&r))
}

impl AuthorizationServer {
    /// Builds the server (keys, metadata, policies, clients).
    pub fn new(config: AsConfig) -> Result<Self, String> {
        let issuer = config.issuer.trim_end_matches('/').to_owned();
        let ep = |p: &str| format!("{issuer}{p}");
        let t = now();
        let mut rng = SystemRandom::new();
        let jwk = match config.key_jwk {
            Some(k) => k,
            None => generate_es256_jwk(&mut rng)?.into_bytes(),
        };
        let keys = KeySet::with_initial_jwk(&jwk, None, RotationPolicy::default(), t)
            .map_err(|e| format!("signing key: {e}"))?;
        let alg = keys
            .signing_key(t)
            .map_err(|e| format!("signing key: {e}"))?
            .algorithm();
        let policy = TokenPolicy::new(issuer.clone(), ep("/token"));
        let mut mem =
            MemoryAuthorizationServer::new(policy, keys, DevicePolicy::new(ep("/device")));
        for c in config.clients {
            mem.register(c);
        }
        let mut exchange = ExchangePolicy::default();
        exchange.subject_audiences = config.resources.clone();
        mem.exchange = Some(exchange);
        // RFC 9449 §4.3 at the token endpoint: every check, `htu` = the token endpoint.
        let replay = Arc::new(InMemoryReplayStore::default());
        let token_endpoint = ep("/token");
        let token_replay = Arc::clone(&replay);
        mem.dpop = Some(Box::new(move |proof, req, now| {
            let check = ProofCheck::new(req.method.as_str(), &token_endpoint);
            let verified = verify_proof(proof, &check, now, token_replay.as_ref())
                .map_err(|_| TokenError::InvalidDpopProof)?;
            Ok(DpopKey::from_validated_thumbprint(verified.jkt()))
        }));

        let mut sc = ServerConfig::new(issuer.clone(), ep("/authorize"), ep("/token"));
        sc.jwks_uri = Some(ep("/jwks"));
        sc.registration_endpoint = Some(ep("/register"));
        sc.pushed_authorization_request_endpoint = Some(ep("/par"));
        sc.introspection_endpoint = Some(ep("/introspect"));
        sc.revocation_endpoint = Some(ep("/revoke"));
        sc.device_authorization_endpoint = Some(ep("/device_authorization"));
        sc.scopes_supported = config.scopes.clone();
        sc.grant_types_supported = [
            grant_type::AUTHORIZATION_CODE,
            grant_type::REFRESH_TOKEN,
            grant_type::CLIENT_CREDENTIALS,
            grant_type::DEVICE_CODE,
            grant_type::TOKEN_EXCHANGE,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        sc.token_endpoint_auth_methods = vec![
            TokenEndpointAuthMethod::None,
            TokenEndpointAuthMethod::ClientSecretBasic,
            TokenEndpointAuthMethod::ClientSecretPost,
            TokenEndpointAuthMethod::PrivateKeyJwt,
        ];
        sc.token_endpoint_auth_signing_algs = vec![
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::EdDSA,
            Algorithm::RS256,
            Algorithm::PS256,
        ];
        sc.dpop_signing_algs = vec![
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::EdDSA,
            Algorithm::RS256,
            Algorithm::PS256,
        ];
        sc.id_token_signing_algs = vec![alg];
        sc.client_id_metadata_document_supported = true;
        let oauth_metadata =
            authorization_server_metadata(&sc).map_err(|e| format!("metadata: {e}"))?;
        let oidc_metadata = openid_configuration(&sc).map_err(|e| format!("metadata: {e}"))?;
        let urls = well_known_urls(&issuer).map_err(|e| format!("metadata: {e}"))?;
        let (oidc_urls, oauth_urls): (Vec<String>, Vec<String>) = urls
            .into_iter()
            .partition(|u| u.contains("openid-configuration"));
        let paths = |v: Vec<String>| -> Vec<String> {
            v.iter()
                .map(|u| server_adapter::path_of(u).to_owned())
                .collect()
        };

        let mut registration = RegistrationPolicy::new();
        registration.auth_methods = vec![
            TokenEndpointAuthMethod::None,
            TokenEndpointAuthMethod::ClientSecretBasic,
            TokenEndpointAuthMethod::ClientSecretPost,
            TokenEndpointAuthMethod::PrivateKeyJwt,
        ];
        registration.grant_types = [
            grant_type::AUTHORIZATION_CODE,
            grant_type::REFRESH_TOKEN,
            grant_type::CLIENT_CREDENTIALS,
            grant_type::DEVICE_CODE,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        registration.scopes = config.scopes.clone();
        registration.resources = config.resources.clone();
        let mut cimd = CimdPolicy::new();
        cimd.allow_private_addresses = config.cimd_allow_private;

        Ok(Self {
            issuer: issuer.clone(),
            state: Mutex::new(State {
                mem,
                authorize: AuthorizePolicy::new(issuer),
                registration,
                cimd,
                oauth_metadata,
                oidc_metadata,
                oauth_paths: paths(oauth_urls),
                oidc_paths: paths(oidc_urls),
                config_scopes: config.scopes,
                config_resources: config.resources,
                auto_consent: config.auto_consent,
                demo_user: config.demo_user,
                replay,
                rng,
            }),
        })
    }

    /// The issuer identifier.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Rotates at once to a fresh P-256 signing key (published and signing from now; the old
    /// key stays published for the rotation policy's grace period). Returns the new `kid`.
    pub fn rotate_key_now(&self) -> Result<String, String> {
        let mut s = self.state.lock().map_err(|_| "lock poisoned")?;
        let State { mem, rng, .. } = &mut *s;
        let jwk = generate_es256_jwk(rng)?;
        let kid = serde_json::from_str::<serde_json::Value>(&jwk)
            .ok()
            .and_then(|v| v["kid"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let t = now();
        mem.keys
            .add_private_jwk(jwk.as_bytes(), None, t, t)
            .map_err(|e| format!("rotation: {e}"))?;
        Ok(kid)
    }

    /// Requires server-provided nonces in DPoP proofs at the token endpoint (RFC 9449 §8): a
    /// proof without the current nonce is answered `use_dpop_nonce` with a `DPoP-Nonce`
    /// header, and every token response hands out the current nonce. The token endpoint then
    /// runs the library's own proof check (`verify_token_request_proof`) with that rule.
    pub fn require_dpop_nonces(&self) -> Result<(), String> {
        let mut s = self.state.lock().map_err(|_| "lock poisoned")?;
        let State { mem, rng, .. } = &mut *s;
        let mut secret = [0u8; 32];
        rng.fill(&mut secret).map_err(|_| "no randomness")?;
        let issuer =
            oauth_core::dpop::NonceIssuer::new(&secret, oauth_core::time::Duration::from_secs(300))
                .ok_or("DPoP nonce secret")?;
        mem.dpop_nonces = Some(issuer);
        mem.dpop = None;
        Ok(())
    }

    /// Answers one HTTP request.
    pub fn handle(&self, req: &HttpRequest) -> HttpResponse {
        let Ok(mut s) = self.state.lock() else {
            return HttpResponse::new(500);
        };
        let s = &mut *s;
        let t = now();
        let path = server_adapter::path_of(&req.url).to_owned();
        // The endpoints are under the issuer's path.
        let issuer_path = server_adapter::path_of(&self.issuer).trim_end_matches('/');
        let local = path.strip_prefix(issuer_path).unwrap_or("");
        if s.oauth_paths.contains(&path) {
            return metadata_response(&s.oauth_metadata);
        }
        if s.oidc_paths.contains(&path) {
            return metadata_response(&s.oidc_metadata);
        }
        match local {
            "/jwks" => s.mem.jwks(t),
            "/authorize" => s.authorize(req, t),
            "/par" => s.par(req, t),
            "/token" => {
                if let Some(id) = client_id_of(req)
                    && let Err(resp) = s.ensure_cimd_client(&id)
                {
                    return resp;
                }
                let State { mem, rng, .. } = s;
                mem.token(req, t, rng)
            }
            "/register" => s.register(req, t),
            "/introspect" => s.mem.introspect(req, t),
            "/revoke" => s.mem.revoke(req, t),
            "/device_authorization" => {
                let State { mem, rng, .. } = s;
                mem.device_authorization(req, t, rng)
            }
            "/device" => s.device(req, t),
            _ => HttpResponse::new(404),
        }
    }
}

/// The `client_id` form parameter of a token request (for a CIMD client not seen yet).
fn client_id_of(req: &HttpRequest) -> Option<String> {
    let form = oauth_core::encoding::form::parse_form(&req.body).ok()?;
    form.get("client_id").ok().flatten().map(str::to_owned)
}

impl State {
    /// Makes sure a CIMD client (an https `client_id`) is known: fetches and validates its
    /// document the first time (draft-ietf-oauth-client-id-metadata-document).
    fn ensure_cimd_client(&mut self, client_id: &str) -> Result<(), HttpResponse> {
        if self.mem.clients.contains_key(client_id) || !is_client_id_url(client_id) {
            return Ok(());
        }
        let invalid = |m: &str| json_error_response(ErrorCode::InvalidClient, m);
        let req = client_metadata_request(client_id, &self.cimd)
            .map_err(|e| invalid(&format!("client metadata document: {e}")))?;
        let resp = fetch_cimd(&req, self.cimd.allow_private_addresses)
            .map_err(|e| invalid(&format!("client metadata document: {e}")))?;
        let mut client = process_client_metadata_response(client_id, &resp, &self.cimd)
            .map_err(|e| invalid(&format!("client metadata document: {e}")))?;
        // This server's policy on top: the scopes it supports, the resources it serves.
        if client.allowed_scopes.is_empty() {
            client.allowed_scopes = self.config_scopes.clone();
        } else {
            client
                .allowed_scopes
                .retain(|s| self.config_scopes.contains(s));
        }
        client.allowed_resources = self.config_resources.clone();
        self.mem.register(client);
        Ok(())
    }

    fn authorize(&mut self, req: &HttpRequest, t: UnixTime) -> HttpResponse {
        let params = match parse_authorization_request(req) {
            Ok(p) => p,
            Err(e) => return e.to_response(),
        };
        if let Err(resp) = self.ensure_cimd_client(params.client_id()) {
            return resp;
        }
        let Some(client) = self.mem.clients.get(params.client_id()).cloned() else {
            return json_error_response(ErrorCode::InvalidRequest, "unknown client_id");
        };
        // RFC 9126 §4: a pushed request is used once.
        let pushed = params
            .request_uri()
            .and_then(|u| self.mem.store.take_pushed(u));
        let request =
            match validate_authorization_request(&self.authorize, &client, params, pushed, t) {
                Ok(r) => r,
                Err(failure) => return failure.to_response(),
            };
        if !self.auto_consent {
            return request.deny(
                ErrorCode::AccessDenied,
                "this example has no login page: run it with --auto-consent",
            );
        }
        let mut decision = AuthorizationDecision::new(self.demo_user.clone());
        decision.auth_time = Some(t);
        match request.approve(decision, t, &mut self.rng) {
            Ok(approved) => {
                self.mem.store.insert_code(approved.record);
                approved.response
            }
            Err(e) => e.to_response(),
        }
    }

    fn par(&mut self, req: &HttpRequest, t: UnixTime) -> HttpResponse {
        let mut par = match parse_par_request(req) {
            Ok(p) => p,
            Err(e) => return e.to_response(),
        };
        if let Err(resp) = self.ensure_cimd_client(par.client_id()) {
            return resp;
        }
        let Some(client) = self.mem.clients.get(par.client_id()).cloned() else {
            return json_error_response(ErrorCode::InvalidClient, "unknown client_id");
        };
        // RFC 9449 §10.1: a proof at PAR binds the code to its key.
        if let Some(proof) = par.dpop_proof() {
            let htu = format!("{}/par", self.authorize.issuer);
            let check = ProofCheck::new("POST", &htu);
            match verify_proof(proof, &check, t, self.replay.as_ref()) {
                Ok(v) => {
                    par = par.with_validated_dpop(&DpopKey::from_validated_thumbprint(v.jkt()))
                }
                Err(_) => {
                    return json_error_response(
                        ErrorCode::InvalidDpopProof,
                        "invalid DPoP proof (RFC 9449 §4.3)",
                    );
                }
            }
        }
        let issuer = self.authorize.issuer.clone();
        let par_endpoint = format!("{issuer}/par");
        let also = [par_endpoint.as_str()];
        let audience = AssertionAudience::issuer(&issuer).also_accept(&also);
        match process_par_request(&self.authorize, &client, par, &audience, t, &mut self.rng) {
            Ok(pushed) => {
                if let Some(r) = pushed.client.replay_record()
                    && !self.mem.store.insert_jti_once(
                        &["client:", &r.client_id].concat(),
                        &r.jti,
                        r.expires_at,
                        t,
                    )
                {
                    return json_error_response(
                        ErrorCode::InvalidClient,
                        "client assertion replayed (RFC 7523 §3)",
                    );
                }
                self.mem.store.insert_pushed(pushed.record);
                pushed.response
            }
            Err(e) => e.to_response(),
        }
    }

    fn register(&mut self, req: &HttpRequest, t: UnixTime) -> HttpResponse {
        let meta = match parse_registration_request(req) {
            Ok(m) => m,
            Err(e) => return e.to_response(),
        };
        match register_client(&self.registration, meta, t, &mut self.rng) {
            Ok(reg) => {
                self.mem.register(reg.client);
                reg.response
            }
            Err(e) => e.to_response(),
        }
    }

    /// The device verification page: with auto-consent, `GET /device?user_code=...` approves
    /// the code for the demo user (RFC 8628 §3.3).
    fn device(&mut self, req: &HttpRequest, t: UnixTime) -> HttpResponse {
        let code = req
            .query()
            .and_then(|q| oauth_core::encoding::form::query_pairs(q).ok())
            .and_then(|p| p.get("user_code").ok().flatten().map(str::to_owned));
        let Some(code) = code.and_then(|c| normalize_user_code(&c)) else {
            return text(400, "missing or malformed user_code");
        };
        if !self.auto_consent {
            return text(
                403,
                "this example has no login page: run it with --auto-consent",
            );
        }
        let user = self.demo_user.clone();
        match self.mem.store.device_by_user_code(&code) {
            Some(record) => {
                let scopes = record.scope.clone();
                record.approve(user, &scopes, Some(t));
                text(200, "device approved")
            }
            None => text(404, "unknown user_code"),
        }
    }
}

fn text(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status)
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .unwrap_or_else(|_| HttpResponse::new(status))
        .with_body(body.as_bytes().to_vec())
}

/// Fetches a Client ID Metadata Document, resolving its host with the SSRF rule of
/// `cimd::is_forbidden_ip` applied to every address (the connection uses only checked ones).
fn fetch_cimd(req: &HttpRequest, allow_private: bool) -> Result<HttpResponse, String> {
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(std::time::Duration::from_secs(5))
        .resolver(move |addr: &str| {
            let addrs: Vec<_> = addr.to_socket_addrs()?.collect();
            let ok: Vec<_> = addrs
                .into_iter()
                .filter(|a| allow_private || !is_forbidden_ip(a.ip()))
                .collect();
            if ok.is_empty() {
                return Err(std::io::Error::other("address not allowed"));
            }
            Ok(ok)
        })
        .build();
    server_adapter::send(&agent, req)
}

/// Client ids of the pre-registered clients (for the start-up banner).
pub fn client_ids(clients: &[RegisteredClient]) -> Vec<String> {
    let map: BTreeMap<&str, ()> = clients.iter().map(|c| (c.client_id.as_str(), ())).collect();
    map.keys().map(|k| (*k).to_owned()).collect()
}
