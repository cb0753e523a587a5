//! The [`ResourceServer`] policy and `authenticate` (RFC 6750, RFC 9068,
//! RFC 7662, RFC 9449 §7, RFC 9728).
//!
//! Q: `Challenge` is ~170 bytes (its DPoP nonce is inline so the core tier needs
//! no allocator); why not box it in `Err`? A: it is built only on the refusal
//! path, and boxing would allocate on every refused request instead.
#![allow(clippy::result_large_err)]

use super::bearer::{BearerError, Credentials, ExtractOptions, TokenScheme, extract_from_request};
use super::challenge::{Challenge, ChallengeError};
use super::introspection::IntrospectedToken;
use super::jwks::{JwksCache, JwksLookup};
use super::principal::{JwtMembers, Principal, principal_from_jwt};
use super::scope::ScopeHierarchy;
use crate::dpop::{self, DpopError, NonceIssuer, NonceRule, ProofCheck, ReplayStore};
use crate::encoding::base64url;
use crate::http::{HttpRequest, HttpResponse};
use crate::jose::{
    Algorithm, CompactJws, Header, HeaderPolicy, JoseError, JwkSet, KeyResolver, SigningKey,
    Validation,
};
use crate::metadata::ProtectedResourceMetadata;
use crate::metadata::well_known::{self, WellKnownError};
use crate::time::{Duration, Leeway, UnixTime};
use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use serde_json::Value;

/// Whether DPoP-bound tokens are accepted or required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DpopMode {
    /// Bearer and DPoP both accepted; a DPoP-bound token still needs its proof.
    Allowed,
    /// Only DPoP (RFC 9728 `dpop_bound_access_tokens_required`).
    Required,
}

/// DPoP settings of a resource server (RFC 9449 §7).
#[derive(Clone)]
pub struct DpopConfig {
    mode: DpopMode,
    algorithms: Vec<Algorithm>,
    algs_text: String,
    nonce: Option<NonceIssuer>,
    replay: Arc<dyn ReplayStore + Send + Sync>,
    iat_window: Duration,
    leeway: Leeway,
}

impl fmt::Debug for DpopConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopConfig")
            .field("mode", &self.mode)
            .field("algorithms", &self.algorithms)
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl DpopConfig {
    /// DPoP with `mode`, remembering proof `jti`s in `replay` (required: there
    /// is no replay protection without one), ES256/ES384/EdDSA/PS256/RS256
    /// accepted (those this build verifies), `iat` within ±60 s plus 5 s leeway, no nonce.
    #[must_use]
    pub fn new(mode: DpopMode, replay: Arc<dyn ReplayStore + Send + Sync>) -> Self {
        let mut c = Self {
            mode,
            algorithms: Vec::new(),
            algs_text: String::new(),
            nonce: None,
            replay,
            iat_window: Duration::from_secs(60),
            leeway: Leeway::new(Duration::from_secs(5)),
        };
        c = c.with_algorithms(dpop::DEFAULT_ALGORITHMS);
        c
    }

    /// The accepted proof algorithms (symmetric ones are dropped, and so are those
    /// this build cannot verify, [`Algorithm::is_supported`], so that the `algs` of
    /// the DPoP challenge names only what is accepted: RFC 9449 §7.1).
    #[must_use]
    pub fn with_algorithms(mut self, algs: &[Algorithm]) -> Self {
        self.algorithms = algs
            .iter()
            .copied()
            .filter(|a| a.family() != crate::jose::KeyFamily::Hmac && a.is_supported())
            .collect();
        self.algs_text = self
            .algorithms
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(" ");
        self
    }

    /// Requires server nonces from `issuer` (RFC 9449 §9).
    #[must_use]
    pub fn with_nonces(mut self, issuer: NonceIssuer) -> Self {
        self.nonce = Some(issuer);
        self
    }

    /// The `iat` window and leeway (RFC 9449 §11.1).
    #[must_use]
    pub fn with_iat_window(mut self, window: Duration, leeway: Leeway) -> Self {
        self.iat_window = window;
        self.leeway = leeway;
        self
    }
}

/// A trusted authorization server: its issuer identifier and, for JWT access
/// tokens verified without a [`JwksCache`], its keys.
#[derive(Debug)]
struct TrustedIssuer {
    issuer: String,
    keys: Option<JwkSet>,
}

/// What [`ResourceServer::authenticate_with_jwks`] answers when it has no
/// principal.
#[derive(Debug)]
pub enum Pending<'s> {
    /// Answer the client with this challenge.
    Challenge(Challenge<'s>),
    /// Send this JWKS request, give the response to
    /// [`JwksCache::process_jwks_response`], and authenticate again.
    FetchJwks(HttpRequest),
}

impl<'s> From<Challenge<'s>> for Pending<'s> {
    fn from(c: Challenge<'s>) -> Self {
        Self::Challenge(c)
    }
}

/// The policy of a protected resource, and its `authenticate`.
///
/// ```
/// # use oauth_core::resource::ResourceServer;
/// # use oauth_core::jose::JwkSet;
/// let rs = ResourceServer::new("https://mcp.example.com/mcp")?
///     .with_issuer("https://as.example.com", JwkSet::from_keys(vec![]))
///     .with_required_scopes(&["mcp:tools"]);
/// assert_eq!(rs.metadata_url(), "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
/// # Ok::<(), oauth_core::metadata::WellKnownError>(())
/// ```
#[derive(Debug)]
pub struct ResourceServer {
    resource: String,
    origin: String,
    metadata_url: String,
    issuers: Vec<TrustedIssuer>,
    required_scope: String,
    scope_hierarchy: ScopeHierarchy,
    leeway: Leeway,
    accept_jwt: bool,
    accept_introspection: bool,
    extract: ExtractOptions,
    dpop: Option<DpopConfig>,
    realm: Option<String>,
    metadata: ProtectedResourceMetadata,
}

/// Fixed error descriptions: nothing from the request is echoed.
mod desc {
    pub const MALFORMED: &str = "The request is malformed";
    pub const INVALID: &str = "The access token is invalid";
    pub const EXPIRED: &str = "The access token expired";
    pub const AUDIENCE: &str = "The access token is not for this resource";
    pub const ISSUER: &str = "The access token is from an untrusted issuer";
    pub const TYPE: &str = "The access token is not an at+jwt";
    pub const SCOPE: &str = "The access token lacks a required scope";
    pub const BOUND_AS_BEARER: &str = "DPoP-bound access token presented as Bearer";
    pub const NOT_BOUND: &str = "Access token is not DPoP-bound";
    pub const BINDING: &str = "Invalid DPoP key binding";
    pub const PROOF: &str = "Invalid DPoP proof";
    pub const NONCE: &str = "Resource server requires nonce in DPoP proof";
    pub const OPAQUE: &str = "Opaque access tokens are not accepted";
    pub const NO_JWT: &str = "JWT access tokens are not accepted";
    pub const KEYS: &str = "The access token's signing key is unknown";
}

impl ResourceServer {
    /// A resource server for `resource` (its canonical URI, RFC 8707 §2, is the
    /// audience tokens must name), accepting JWT access tokens, Bearer only
    /// through the `Authorization` header, no issuer yet (add one with
    /// [`ResourceServer::with_issuer`]), no required scope, 60 s leeway.
    ///
    /// # Errors
    /// [`WellKnownError`] when `resource` is not an https (or loopback http) URI
    /// without fragment.
    pub fn new(resource: &str) -> Result<Self, WellKnownError> {
        let canonical = well_known::canonical_resource_uri(resource)?;
        let metadata_url = well_known::protected_resource_metadata_url(&canonical)?;
        let origin = origin_of(&canonical);
        let mut metadata = ProtectedResourceMetadata::new(canonical.clone());
        metadata.bearer_methods_supported = Some(alloc::vec!["header".to_owned()]);
        Ok(Self {
            resource: canonical,
            origin,
            metadata_url,
            issuers: Vec::new(),
            required_scope: String::new(),
            scope_hierarchy: ScopeHierarchy::exact(),
            leeway: Leeway::default(),
            accept_jwt: true,
            accept_introspection: false,
            extract: ExtractOptions {
                allow_dpop: false,
                ..ExtractOptions::default()
            },
            dpop: None,
            realm: None,
            metadata,
        })
    }

    /// Trusts JWT access tokens from `issuer` signed with one of `keys`.
    #[must_use]
    pub fn with_issuer(mut self, issuer: &str, keys: JwkSet) -> Self {
        self.add_issuer(issuer, Some(keys));
        self
    }

    /// Trusts `issuer` with keys supplied per call (a [`JwksCache`] for
    /// [`ResourceServer::authenticate_with_jwks`]) or through introspection.
    #[must_use]
    pub fn with_trusted_issuer(mut self, issuer: &str) -> Self {
        self.add_issuer(issuer, None);
        self
    }

    fn add_issuer(&mut self, issuer: &str, keys: Option<JwkSet>) {
        self.issuers.push(TrustedIssuer {
            issuer: issuer.to_owned(),
            keys,
        });
        self.metadata
            .authorization_servers
            .get_or_insert_with(Vec::new)
            .push(issuer.to_owned());
    }

    /// Scopes every request must carry (the default operation). They are named
    /// in challenges (`scope`, RFC 6750 §3; MCP: all scopes in one challenge).
    #[must_use]
    pub fn with_required_scopes(mut self, scopes: &[&str]) -> Self {
        self.required_scope = scopes.join(" ");
        self
    }

    /// The server's scope hierarchy (MCP 2026-07-28: "Servers MUST honour
    /// scope hierarchies"): a required scope is then satisfied by the scope
    /// itself or by any granted scope that implies it, transitively. Default:
    /// none (exact matching). Challenges still name the scopes the operation
    /// requires, not the scopes implying them (MCP: all scopes for the
    /// operation in one challenge); the [`Principal`]'s scopes stay as granted.
    ///
    /// ```
    /// # use oauth_core::resource::{ResourceServer, ScopeHierarchy};
    /// let rs = ResourceServer::new("https://files.example.com/mcp")?
    ///     .with_trusted_issuer("https://as.example.com")
    ///     .with_required_scopes(&["files:read"])
    ///     .with_scope_hierarchy(ScopeHierarchy::new(&[
    ///         ("files:write", "files:read"),
    ///         ("admin", "files:write"),
    ///     ])?);
    /// assert!(rs.scope_hierarchy().satisfies(&["admin"], "files:read"));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_scope_hierarchy(mut self, hierarchy: ScopeHierarchy) -> Self {
        self.scope_hierarchy = hierarchy;
        self
    }

    /// The scope hierarchy in force (empty: exact matching).
    #[must_use]
    pub fn scope_hierarchy(&self) -> &ScopeHierarchy {
        &self.scope_hierarchy
    }

    /// `scopes_supported` of the metadata (RFC 9728 §2).
    #[must_use]
    pub fn with_scopes_supported(mut self, scopes: &[&str]) -> Self {
        self.metadata.scopes_supported = Some(scopes.iter().map(|s| (*s).to_owned()).collect());
        self
    }

    /// Clock-skew leeway for `exp`/`nbf`/`iat` (capped at 5 minutes).
    #[must_use]
    pub fn with_leeway(mut self, leeway: Leeway) -> Self {
        self.leeway = leeway;
        self
    }

    /// Which kinds of token are accepted (default: JWT only).
    #[must_use]
    pub fn with_token_kinds(mut self, jwt: bool, introspection: bool) -> Self {
        self.accept_jwt = jwt;
        self.accept_introspection = introspection;
        self
    }

    /// Enables the form-body and/or query methods (RFC 6750 §2.2, §2.3).
    ///
    /// # Security
    /// See [`ExtractOptions`]; MCP forbids the query method.
    #[must_use]
    pub fn with_bearer_methods(mut self, form_body: bool, query: bool) -> Self {
        self.extract.allow_form_body = form_body;
        self.extract.allow_query = query;
        let mut m = alloc::vec!["header".to_owned()];
        if form_body {
            m.push("body".to_owned());
        }
        if query {
            m.push("query".to_owned());
        }
        self.metadata.bearer_methods_supported = Some(m);
        self
    }

    /// Enables DPoP (RFC 9449 §7).
    #[must_use]
    pub fn with_dpop(mut self, config: DpopConfig) -> Self {
        self.extract.allow_dpop = true;
        self.extract.allow_bearer = config.mode == DpopMode::Allowed;
        self.metadata.dpop_signing_alg_values_supported = Some(
            config
                .algorithms
                .iter()
                .map(|a| a.name().to_owned())
                .collect(),
        );
        self.metadata.dpop_bound_access_tokens_required =
            (config.mode == DpopMode::Required).then_some(true);
        self.dpop = Some(config);
        self
    }

    /// Adds `realm` to challenges (RFC 6750 §3).
    #[must_use]
    pub fn with_realm(mut self, realm: &str) -> Self {
        self.realm = Some(realm.to_owned());
        self
    }

    /// Edits the published metadata (names, documentation, ...). `resource`
    /// and the members this policy sets are overwritten by later `with_*` calls.
    #[must_use]
    pub fn with_metadata(mut self, f: impl FnOnce(&mut ProtectedResourceMetadata)) -> Self {
        f(&mut self.metadata);
        self.metadata.resource.clone_from(&self.resource);
        self
    }

    /// Adds `signed_metadata` (RFC 9728 §2.2): a JWT of the other members with
    /// `iss`, signed by `key`.
    ///
    /// # Errors
    /// The signer's error.
    pub fn sign_metadata(
        mut self,
        key: &SigningKey,
        issuer: &str,
    ) -> Result<Self, crate::jose::KeyError> {
        self.metadata.signed_metadata = None;
        let mut claims =
            serde_json::to_value(&self.metadata).map_err(|_| crate::jose::KeyError::Malformed)?;
        if let Some(o) = claims.as_object_mut() {
            o.insert("iss".to_owned(), Value::String(issuer.to_owned()));
        }
        let jwt = crate::jose::sign_jwt(&claims, key, None)?;
        self.metadata.signed_metadata = Some(jwt);
        Ok(self)
    }

    /// The canonical resource URI (the audience tokens must name).
    #[must_use]
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The URL the metadata is published at (RFC 9728 §3.1, path inserted).
    #[must_use]
    pub fn metadata_url(&self) -> &str {
        &self.metadata_url
    }

    /// The protected resource metadata (RFC 9728 §2).
    #[must_use]
    pub fn metadata(&self) -> &ProtectedResourceMetadata {
        &self.metadata
    }

    /// The metadata response: 200, `application/json` (RFC 9728 §3.2).
    #[must_use]
    pub fn metadata_response(&self) -> HttpResponse {
        let mut r = HttpResponse::json(200, self.metadata.to_json());
        let _ = r.headers.append("Cache-Control", "max-age=3600");
        r
    }

    /// Answers a GET (or HEAD) of the metadata's well-known path (origin-form or
    /// absolute request target), `None` for any other request.
    #[must_use]
    pub fn handle_metadata_request(&self, request: &HttpRequest) -> Option<HttpResponse> {
        use crate::http::Method;
        if !matches!(request.method, Method::Get | Method::Head) {
            return None;
        }
        let target = request.url.split(['?', '#']).next().unwrap_or("");
        let path = self.metadata_url.strip_prefix(&self.origin).unwrap_or("");
        (target == path || target == self.metadata_url).then(|| self.metadata_response())
    }

    /// The credentials of a request, or the challenge answering their absence or
    /// malformation (for the introspection flow, which needs the token).
    ///
    /// # Errors
    /// The challenge.
    pub fn credentials<'r>(
        &self,
        request: &'r HttpRequest,
    ) -> Result<super::bearer::ExtractedCredentials<'r>, Challenge<'_>> {
        extract_from_request(request, &self.extract).map_err(|e| self.bearer_challenge(e))
    }

    /// Authenticates a request at `now` with the default required scopes and the
    /// issuers' static keys: credentials (RFC 6750 §2, RFC 9449 §7.1), JWT
    /// access token (RFC 9068 §4), DPoP binding (RFC 9449 §7), then scopes.
    ///
    /// # Errors
    /// The [`Challenge`] to answer with: 401 without error (no credentials),
    /// 400 `invalid_request`, 401 `invalid_token` / `invalid_dpop_proof` /
    /// `use_dpop_nonce`, 403 `insufficient_scope`.
    pub fn authenticate(
        &self,
        request: &HttpRequest,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'_>> {
        self.authenticate_with_scopes(request, &self.required_scope, now)
    }

    /// [`ResourceServer::authenticate`] for an operation that needs `scopes`
    /// (space-delimited) instead of the default.
    ///
    /// # Errors
    /// As [`ResourceServer::authenticate`].
    pub fn authenticate_with_scopes<'s>(
        &'s self,
        request: &HttpRequest,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        // Every challenge names the operation's scopes (MCP), whichever check refused.
        self.authenticate_jwt(request, scopes, now)
            .map_err(|c| with_operation_scope(c, scopes))
    }

    fn authenticate_jwt<'s>(
        &'s self,
        request: &HttpRequest,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        let creds =
            extract_from_request(request, &self.extract).map_err(|e| self.bearer_challenge(e))?;
        let creds = creds.as_credentials();
        let token = creds.token();
        let issuer = self
            .pick_issuer(token)
            .map_err(|c| c.for_scheme(creds.scheme()))?;
        let keys = issuer
            .keys
            .as_ref()
            .ok_or_else(|| self.invalid(creds.scheme(), desc::KEYS))?;
        self.finish_jwt(request, &creds, issuer, keys, scopes, now)
    }

    /// As [`ResourceServer::authenticate`], taking keys from `cache` (one
    /// issuer's JWKS state machine; that issuer must be trusted, and the token's
    /// `iss` must be it): an unknown `kid` answers [`Pending::FetchJwks`] when a
    /// refetch is allowed.
    ///
    /// # Errors
    /// [`Pending::Challenge`] or [`Pending::FetchJwks`].
    pub fn authenticate_with_jwks<'s>(
        &'s self,
        request: &HttpRequest,
        cache: &mut JwksCache,
        now: UnixTime,
    ) -> Result<Principal, Pending<'s>> {
        self.authenticate_with_jwks_and_scopes(request, cache, &self.required_scope, now)
    }

    /// [`ResourceServer::authenticate_with_jwks`] for an operation that needs
    /// `scopes` (space-delimited) instead of the default: the keys from `cache`,
    /// the scope check with the [`ScopeHierarchy`], and every challenge naming
    /// `scopes` (a 403 `insufficient_scope` for a token lacking them, RFC 6750
    /// §3.1; MCP: all scopes for the operation in one challenge).
    ///
    /// # Errors
    /// [`Pending::Challenge`] or [`Pending::FetchJwks`].
    pub fn authenticate_with_jwks_and_scopes<'s>(
        &'s self,
        request: &HttpRequest,
        cache: &mut JwksCache,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Pending<'s>> {
        let op = |c: Challenge<'s>| Pending::Challenge(with_operation_scope(c, scopes));
        let creds = extract_from_request(request, &self.extract)
            .map_err(|e| op(self.bearer_challenge(e)))?;
        let creds = creds.as_credentials();
        let scheme = creds.scheme();
        let issuer = self
            .issuers
            .iter()
            .find(|i| i.issuer == cache.issuer())
            .ok_or_else(|| op(self.invalid(scheme, desc::ISSUER)))?;
        let (kid, alg) = self
            .peek_header(creds.token())
            .map_err(|c| op(c.for_scheme(scheme)))?;
        let key = match cache.lookup(kid.as_deref(), alg, now) {
            Ok(JwksLookup::Key(k)) => k,
            Ok(JwksLookup::FetchFirst(req)) => return Err(Pending::FetchJwks(req)),
            Err(_) => return Err(op(self.invalid(scheme, desc::KEYS))),
        };
        self.finish_jwt(request, &creds, issuer, key, scopes, now)
            .map_err(op)
    }

    /// Checks that an authenticated `principal` may perform an operation that
    /// needs `scopes` (space-delimited), honouring the [`ScopeHierarchy`]: for
    /// servers that learn the operation only after authenticating.
    ///
    /// # Errors
    /// The 403 `insufficient_scope` challenge naming all of `scopes` (RFC 6750
    /// §3.1; MCP: all scopes for the operation in one challenge), for the
    /// principal's scheme.
    pub fn check_scopes<'s>(
        &'s self,
        principal: &Principal,
        scopes: &'s str,
    ) -> Result<(), Challenge<'s>> {
        if self
            .scope_hierarchy
            .satisfies_all(principal.scopes(), scopes)
        {
            Ok(())
        } else {
            Err(self.insufficient_scope(principal.scheme(), scopes))
        }
    }

    /// Authenticates a request whose opaque token was introspected (the result
    /// of [`process_introspection_response`](super::process_introspection_response)
    /// or of the [`IntrospectionCache`](super::IntrospectionCache)): issuer
    /// trusted, DPoP binding, scopes.
    ///
    /// # Errors
    /// As [`ResourceServer::authenticate`].
    pub fn authenticate_introspected<'s>(
        &'s self,
        request: &HttpRequest,
        introspected: &IntrospectedToken,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        self.check_introspected(request, introspected, scopes, now)
            .map_err(|c| with_operation_scope(c, scopes))
    }

    fn check_introspected<'s>(
        &'s self,
        request: &HttpRequest,
        introspected: &IntrospectedToken,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        let creds =
            extract_from_request(request, &self.extract).map_err(|e| self.bearer_challenge(e))?;
        let creds = creds.as_credentials();
        let scheme = creds.scheme();
        if !self.accept_introspection {
            return Err(self.invalid(scheme, desc::OPAQUE));
        }
        // The result must be about the token this request carries.
        if super::HandleHash::of(creds.token()) != introspected.token_hash {
            return Err(self.invalid(scheme, desc::INVALID));
        }
        if !self.issuers.iter().any(|i| i.issuer == introspected.issuer) {
            return Err(self.invalid(scheme, desc::ISSUER));
        }
        if introspected.expires_at.is_some_and(|e| now >= e) {
            return Err(self.invalid(scheme, desc::EXPIRED));
        }
        let principal = Principal::from_introspection(introspected, scheme);
        self.finish(request, &creds, principal, scopes, now)
    }

    /// Chooses the trusted issuer of a JWT (by its unverified `iss` when more
    /// than one is configured; the signature and `iss` are checked afterwards,
    /// with that issuer's keys only).
    fn pick_issuer(&self, token: &str) -> Result<&TrustedIssuer, Challenge<'_>> {
        if !self.accept_jwt {
            return Err(self.invalid(TokenScheme::Bearer, desc::NO_JWT));
        }
        let bad = || self.invalid(TokenScheme::Bearer, desc::INVALID);
        match self.issuers.as_slice() {
            [] => Err(self.invalid(TokenScheme::Bearer, desc::ISSUER)),
            [only] => Ok(only),
            many => {
                let jws = CompactJws::parse(token).map_err(|_| bad())?;
                let payload = base64url::decode_public_vec(jws.payload_b64().as_bytes())
                    .map_err(|_| bad())?;
                let obj = crate::encoding::json::parse_object(
                    &payload,
                    &crate::encoding::json::Limits::default(),
                )
                .map_err(|_| bad())?;
                let iss = obj.get("iss").and_then(|v| v.as_str());
                many.iter()
                    .find(|i| iss.is_some_and(|s| s.eq_str(&i.issuer)))
                    .ok_or_else(|| self.invalid(TokenScheme::Bearer, desc::ISSUER))
            }
        }
    }

    /// The unverified `kid` and `alg` of a JWT, to find its key.
    fn peek_header(&self, token: &str) -> Result<(Option<String>, Algorithm), Challenge<'_>> {
        if !self.accept_jwt {
            return Err(self.invalid(TokenScheme::Bearer, desc::NO_JWT));
        }
        let bad = || self.invalid(TokenScheme::Bearer, desc::INVALID);
        let jws = CompactJws::parse(token).map_err(|_| bad())?;
        let mut hbuf = [0u8; 1024];
        let hbytes =
            base64url::decode_public(jws.header_b64().as_bytes(), &mut hbuf).map_err(|_| bad())?;
        let header = Header::parse(hbytes, &HeaderPolicy::default()).map_err(|_| bad())?;
        Ok((header.kid().map(|k| k.to_cow().into_owned()), header.alg()))
    }

    fn finish_jwt<'s, K: KeyResolver + ?Sized>(
        &'s self,
        request: &HttpRequest,
        creds: &Credentials<'_>,
        issuer: &TrustedIssuer,
        keys: &K,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        let scheme = creds.scheme();
        // The decoded header and claims take 3/4 of the token: a stack buffer
        // for common tokens (zeroing 6 KiB each time costs more than it saves),
        // the heap for large ones (up to the 8 KiB token limit).
        let mut small = [0u8; 1536];
        let mut large = Vec::new();
        let scratch: &mut [u8] = if creds.token().len() <= 2 * 1024 {
            &mut small
        } else {
            large.resize(creds.token().len(), 0);
            &mut large
        };
        // RFC 9068 §4: typ at+jwt, iss, aud = this resource, exp, and the
        // required claims sub, client_id, iat, jti.
        let v = Validation::access_token(&issuer.issuer, &self.resource).leeway(self.leeway);
        // The claims the principal needs beyond the registered ones are noted
        // during the verifier's single pass over the claims.
        let mut members = JwtMembers::default();
        let jwt = v
            .verify_visiting(creds.token(), keys, now, scratch, |name, value| {
                members.note(name, value);
            })
            .map_err(|e| self.invalid(scheme, jose_description(e)))?;
        let principal = principal_from_jwt(&jwt, &members, scheme)
            .ok_or_else(|| self.invalid(scheme, desc::INVALID))?;
        self.finish(request, creds, principal, scopes, now)
    }

    /// DPoP binding (RFC 9449 §7) and scopes (RFC 6750 §3.1), common to both kinds.
    fn finish<'s>(
        &'s self,
        request: &HttpRequest,
        creds: &Credentials<'_>,
        principal: Principal,
        scopes: &'s str,
        now: UnixTime,
    ) -> Result<Principal, Challenge<'s>> {
        let scheme = creds.scheme();
        match (scheme, principal.cnf_jkt()) {
            // RFC 9449 §7.2: a DPoP-bound token presented as Bearer is refused.
            (TokenScheme::Bearer, Some(_)) => {
                return Err(self.invalid(scheme, desc::BOUND_AS_BEARER));
            }
            (TokenScheme::Bearer, None) => {}
            (TokenScheme::DPoP, jkt) => {
                let cfg = self
                    .dpop
                    .as_ref()
                    .ok_or_else(|| self.invalid(scheme, desc::PROOF))?;
                let proof = creds
                    .dpop_proof()
                    .ok_or_else(|| self.invalid(scheme, desc::PROOF))?;
                let uri = self.request_uri(&request.url);
                let nonce = cfg
                    .nonce
                    .as_ref()
                    .map_or(NonceRule::NotRequired, NonceRule::Rotating);
                let check = ProofCheck::new(request.method.as_str(), &uri)
                    .access_token(creds.token())
                    .nonce(nonce)
                    .algorithms(&cfg.algorithms)
                    .iat_window(cfg.iat_window, cfg.leeway);
                let verified = dpop::verify_proof(proof, &check, now, cfg.replay.as_ref())
                    .map_err(|e| self.dpop_challenge(e, now))?;
                // RFC 9449 §7.1: the token must be bound, to this proof's key.
                let jkt = jkt.ok_or_else(|| self.invalid(scheme, desc::NOT_BOUND))?;
                verified
                    .check_binding(jkt)
                    .map_err(|_| self.invalid(scheme, desc::BINDING))?;
            }
        }
        // RFC 6750 §3.1: insufficient_scope names the scope needed. MCP
        // 2026-07-28: "Servers MUST honour scope hierarchies": a granted scope
        // implying a required one (as declared, transitively) satisfies it;
        // the challenge still names the operation's scopes, all in one.
        if !self
            .scope_hierarchy
            .satisfies_all(principal.scopes(), scopes)
        {
            return Err(self.insufficient_scope(scheme, scopes));
        }
        Ok(principal)
    }

    fn insufficient_scope<'s>(&'s self, scheme: TokenScheme, scopes: &'s str) -> Challenge<'s> {
        self.challenge(ChallengeError::InsufficientScope, scheme, Some(desc::SCOPE))
            .with_scope(scopes)
    }

    /// The absolute request URI for `htu`: the request target as is when
    /// absolute, else this resource's origin with it (origin-form, RFC 9112 §3.2.1).
    fn request_uri(&self, target: &str) -> String {
        if target.starts_with("https://") || target.starts_with("http://") {
            target.to_owned()
        } else {
            let mut s = self.origin.clone();
            s.push_str(target);
            s
        }
    }

    fn challenge(
        &self,
        error: ChallengeError,
        scheme: TokenScheme,
        description: Option<&'static str>,
    ) -> Challenge<'_> {
        let mut c = Challenge::new(error)
            .with_resource_metadata(&self.metadata_url)
            .for_scheme(scheme);
        if let Some(d) = description {
            c = c.with_description(d);
        }
        if let Some(r) = &self.realm {
            c = c.with_realm(r);
        }
        // MCP: SHOULD put the scope needed in the 401 challenge too.
        if !self.required_scope.is_empty() {
            c = c.with_scope(&self.required_scope);
        }
        if let Some(cfg) = &self.dpop {
            c = c.with_dpop_algs(&cfg.algs_text);
            if cfg.mode == DpopMode::Required {
                c = c.without_bearer();
            }
        }
        c
    }

    fn invalid(&self, scheme: TokenScheme, description: &'static str) -> Challenge<'_> {
        self.challenge(ChallengeError::InvalidToken, scheme, Some(description))
    }

    fn bearer_challenge(&self, e: BearerError) -> Challenge<'_> {
        if e.is_missing() {
            self.challenge(ChallengeError::NoCredentials, TokenScheme::Bearer, None)
        } else {
            let scheme = if matches!(
                e,
                BearerError::MissingDpopProof
                    | BearerError::MalformedDpopProof
                    | BearerError::RepeatedDpopHeader
            ) {
                TokenScheme::DPoP
            } else {
                TokenScheme::Bearer
            };
            self.challenge(
                ChallengeError::InvalidRequest,
                scheme,
                Some(desc::MALFORMED),
            )
        }
    }

    fn dpop_challenge(&self, e: DpopError, now: UnixTime) -> Challenge<'_> {
        match (e, self.dpop.as_ref().and_then(|c| c.nonce.as_ref())) {
            (DpopError::UseNonce, Some(n)) => self
                .challenge(
                    ChallengeError::UseDpopNonce,
                    TokenScheme::DPoP,
                    Some(desc::NONCE),
                )
                .with_dpop_nonce(&n.current(now)),
            _ => self.challenge(
                ChallengeError::InvalidDpopProof,
                TokenScheme::DPoP,
                Some(desc::PROOF),
            ),
        }
    }
}

/// MCP: a challenge names all the scopes the operation needs (RFC 6750 §3).
fn with_operation_scope<'s>(c: Challenge<'s>, scopes: &'s str) -> Challenge<'s> {
    if scopes.is_empty() {
        c
    } else {
        c.with_scope(scopes)
    }
}

fn jose_description(e: JoseError) -> &'static str {
    match e {
        JoseError::Expired
        | JoseError::NotYetValid
        | JoseError::IssuedInFuture
        | JoseError::TooOld => desc::EXPIRED,
        JoseError::InvalidAudience => desc::AUDIENCE,
        JoseError::InvalidIssuer => desc::ISSUER,
        JoseError::InvalidType => desc::TYPE,
        JoseError::KeyNotFound => desc::KEYS,
        _ => desc::INVALID,
    }
}

/// `scheme://host[:port]` of a canonical URI.
fn origin_of(canonical: &str) -> String {
    let after = canonical.find("://").map_or(0, |i| i + 3);
    let end = canonical
        .get(after..)
        .and_then(|rest| rest.find(['/', '?']))
        .map_or(canonical.len(), |i| after + i);
    canonical.get(..end).unwrap_or(canonical).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://mcp.example.com/mcp"),
            "https://mcp.example.com"
        );
        assert_eq!(
            origin_of("https://mcp.example.com"),
            "https://mcp.example.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000/a?b"),
            "http://127.0.0.1:3000"
        );
    }
}
