//! The authorization endpoint (RFC 6749 §4.1.1, §4.1.2; OAuth 2.1 §4.1): parse and validate the
//! request, let the caller log the user in and decide, then render the redirect and hand back
//! the [`AuthorizationCodeRecord`] to persist.
//!
//! ```
//! use oauth_core::http::HttpRequest;
//! use oauth_core::server::RegisteredClient;
//! use oauth_core::server::authorize::{
//!     AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
//!     validate_authorization_request,
//! };
//! use oauth_core::time::UnixTime;
//!
//! let policy = AuthorizePolicy::new("https://as.example");
//! let now = UnixTime::from_secs(1_700_000_000);
//! let mut rng = |buf: &mut [u8]| { buf.fill(7); Ok(()) }; // use a CSPRNG (rand::SystemRandom)
//! let http_req = HttpRequest::get(
//!     "https://as.example/authorize?response_type=code&client_id=app&state=xyz\
//!      &redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=read\
//!      &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
//! );
//! let parsed = parse_authorization_request(&http_req)?; // errors: JSON 400, never redirected
//! // The caller looks the client up (unknown: AuthorizeError::UnknownClient, no redirect), and
//! // for `parsed.request_uri()` takes (single use) the pushed record from its store.
//! let client = RegisteredClient::public(parsed.client_id(), vec!["https://app.example/cb".into()])
//!     .with_scopes(&["read"]);
//! let request = match validate_authorization_request(&policy, &client, parsed, None, now) {
//!     Ok(r) => r,
//!     Err(failure) => panic!("{failure}"), // render failure.to_response(): redirects only when it may
//! };
//! // Login and consent are the caller's (request.scopes(), request.prompt(), ...).
//! let approved = request.approve(AuthorizationDecision::new("alice"), now, &mut rng)?;
//! let location = approved.response.header("Location").unwrap();
//! assert!(location.starts_with("https://app.example/cb?code="));
//! assert!(location.ends_with("&state=xyz&iss=https%3A%2F%2Fas.example"));
//! // Persist approved.record (keyed by record.code_hash); the code itself is never stored.
//! # Ok::<(), oauth_core::server::AuthorizeError>(())
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::client::{ApplicationType, RegisteredClient};
use super::error::AuthorizeError;
use super::par::{PushedAuthorizationRecord, REQUEST_URI_PREFIX};
use crate::encoding::form::{FormError, FormParams, append_query, parse_form, query_pairs};
use crate::error::ErrorCode;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::pkce::{CodeChallengeMethod, PkcePolicy, check_challenge};
use crate::rand::SecureRandom;
use crate::resource::HandleHash;
use crate::time::{Duration, UnixTime};

/// What the server persists for an issued authorization code, keyed by [`HandleHash`]; the token
/// endpoint's `authorization_code` grant redeems it (once: the store must take it atomically).
///
/// The code itself is never stored (only its hash).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizationCodeRecord {
    /// SHA-256 of the code.
    pub code_hash: HandleHash,
    /// The client the code was issued to (RFC 6749 §4.1.3: the token request must be from it).
    pub client_id: String,
    /// The redirect URI the code was delivered to (the registered one when the request omitted it).
    pub redirect_uri: String,
    /// Whether the authorization request carried `redirect_uri`: then the token request must carry
    /// the identical value (RFC 6749 §4.1.3).
    pub redirect_uri_in_request: bool,
    /// The PKCE challenge (RFC 7636 §4.4).
    pub code_challenge: String,
    /// Its method (`S256`, or `plain` where the policy allowed it).
    pub code_challenge_method: CodeChallengeMethod,
    /// The scope values granted (space-free tokens, in order).
    pub scopes: Vec<String>,
    /// The resource indicators granted (RFC 8707); tokens are audience-restricted to these.
    pub resources: Vec<String>,
    /// The authenticated end-user.
    pub subject: String,
    /// OIDC `nonce`, to put in the ID token.
    pub nonce: Option<String>,
    /// When the end-user authenticated (OIDC `auth_time`).
    pub auth_time: Option<UnixTime>,
    /// The authentication context class reached (OIDC `acr`).
    pub acr: Option<String>,
    /// RFC 9449 §10: the access token must be bound to this JWK thumbprint.
    pub dpop_jkt: Option<String>,
    /// When the code was issued.
    pub issued_at: UnixTime,
    /// When it stops being redeemable.
    pub expires_at: UnixTime,
}

impl AuthorizationCodeRecord {
    /// Whether the code has expired at `now`.
    #[must_use]
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now >= self.expires_at
    }
}

/// Server configuration for the authorization and PAR endpoints. The secure choices are the
/// defaults ([`AuthorizePolicy::new`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AuthorizePolicy {
    /// This server's issuer identifier: sent as `iss` in every authorization response
    /// (RFC 9207 §2) and the required `aud` of request objects (RFC 9101 §4).
    pub issuer: String,
    /// Which PKCE methods are accepted (default: `S256` only, RFC 9700 §2.1.1).
    pub pkce: PkcePolicy,
    /// RFC 9126 §5 `require_pushed_authorization_requests`: refuse requests not made by PAR.
    pub require_pushed_authorization_requests: bool,
    /// Accept signed request objects (`request`, RFC 9101) from clients with registered keys.
    pub accept_request_objects: bool,
    /// Authorization code lifetime (default 60 s; RFC 6749 §4.1.2 recommends at most 10 min).
    pub code_lifetime: Duration,
    /// Pushed request lifetime, sent as `expires_in` (default 60 s, RFC 9126 §2.2).
    pub par_lifetime: Duration,
    /// The longest accepted request-object lifetime, `exp` minus now (default 1 hour).
    pub request_object_max_lifetime: Duration,
}

impl AuthorizePolicy {
    /// The defaults: PKCE `S256` only, PAR optional, request objects accepted, codes live 60 s,
    /// pushed requests 60 s.
    #[must_use]
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            pkce: PkcePolicy::S256_ONLY,
            require_pushed_authorization_requests: false,
            accept_request_objects: true,
            code_lifetime: Duration::from_secs(60),
            par_lifetime: Duration::from_secs(60),
            request_object_max_lifetime: Duration::from_secs(3600),
        }
    }
}

/// Parameters of one request, as name/value pairs in order. Lookups refuse repeats
/// (RFC 6749 §3.1) and treat empty values as absent.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(pub(crate) Vec<(String, String)>);

impl Params {
    pub(crate) fn from_form(form: &FormParams) -> Self {
        Self(
            form.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, AuthorizeError> {
        let mut found = None;
        for (k, v) in &self.0 {
            if k == name {
                if found.is_some() {
                    return Err(AuthorizeError::Form(FormError::DuplicateParameter(
                        name.to_string(),
                    )));
                }
                found = Some(v.as_str());
            }
        }
        Ok(found.filter(|v| !v.is_empty()))
    }

    pub(crate) fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first parameter (other than the repeatable ones) that appears twice.
    pub(crate) fn first_duplicate(&self, repeatable: &[&str]) -> Option<&str> {
        self.0.iter().enumerate().find_map(|(i, (k, _))| {
            let earlier = self.0.get(..i).unwrap_or_default();
            (!repeatable.contains(&k.as_str()) && earlier.iter().any(|(e, _)| e == k))
                .then_some(k.as_str())
        })
    }
}

impl fmt::Debug for Params {
    /// Names only: values can carry request objects or hints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

/// Parameters that may repeat: RFC 8707 §2 `resource`.
pub(crate) const REPEATABLE: &[&str] = &["resource"];

/// An authorization request as received, before the client is looked up. Only
/// [`parse_authorization_request`] makes one.
#[derive(Clone, Debug)]
pub struct AuthorizationRequestParams {
    params: Params,
    client_id: String,
    post: bool,
}

impl AuthorizationRequestParams {
    /// The `client_id` to look up (for an https URL, see [`super::cimd`]).
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The `request_uri`, when the request refers to a pushed request (RFC 9126 §4): the caller
    /// takes the [`PushedAuthorizationRecord`] stored under it (single use) and passes it to
    /// [`validate_authorization_request`].
    #[must_use]
    pub fn request_uri(&self) -> Option<&str> {
        self.params.get("request_uri").ok().flatten()
    }
}

/// Reads an authorization request: the query of a GET, or the form body of a POST
/// (OIDC Core §3.1.2.1). Only `client_id` is required here; its errors are never redirected
/// (RFC 6749 §4.1.2.1), since no client is known yet.
///
/// # Errors
/// [`AuthorizeError::Method`], [`AuthorizeError::Form`] (not UTF-8, or a repeated `client_id`),
/// [`AuthorizeError::MissingClientId`].
pub fn parse_authorization_request(
    request: &HttpRequest,
) -> Result<AuthorizationRequestParams, AuthorizeError> {
    let (form, post) = match request.method {
        Method::Get => (query_pairs(request.query().unwrap_or(""))?, false),
        Method::Post if request.content_type_is_form() => (parse_form(&request.body)?, true),
        _ => return Err(AuthorizeError::Method),
    };
    let params = Params::from_form(&form);
    let client_id = params
        .get("client_id")?
        .ok_or(AuthorizeError::MissingClientId)?
        .to_string();
    Ok(AuthorizationRequestParams {
        params,
        client_id,
        post,
    })
}

/// Where an error may be sent back to the client (RFC 6749 §4.1.2.1, RFC 9207 §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorRedirect {
    redirect_uri: String,
    state: Option<String>,
    issuer: String,
    post: bool,
}

/// A refused authorization request: the error, and whether it may be redirected to the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizeFailure {
    error: AuthorizeError,
    redirect: Option<ErrorRedirect>,
}

impl AuthorizeFailure {
    fn no_redirect(error: AuthorizeError) -> Self {
        Self {
            error,
            redirect: None,
        }
    }

    /// The error.
    #[must_use]
    pub fn error(&self) -> &AuthorizeError {
        &self.error
    }

    /// Into the error.
    #[must_use]
    pub fn into_error(self) -> AuthorizeError {
        self.error
    }

    /// The validated redirect URI the error goes to, or `None` when it must not be redirected
    /// (bad client or redirect URI: RFC 6749 §4.1.2.1) and the server shows it to the user.
    #[must_use]
    pub fn redirect_uri(&self) -> Option<&str> {
        self.redirect.as_ref().map(|r| r.redirect_uri.as_str())
    }

    /// The response: a redirect to the client with `error`, `error_description`, `state` and
    /// `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2) when allowed, else a JSON 400 (the caller may
    /// render its own page instead).
    #[must_use]
    pub fn to_response(&self) -> HttpResponse {
        match &self.redirect {
            Some(r) => error_redirect(r, self.error.error_code(), &self.error.description())
                .unwrap_or_else(|| self.error.to_response()),
            None => self.error.to_response(),
        }
    }
}

impl fmt::Display for AuthorizeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl core::error::Error for AuthorizeFailure {}

fn redirect_response(location: String, post: bool) -> Option<HttpResponse> {
    // RFC 9700 §4.12: after a POST, redirect with 303 so the browser does not re-POST.
    HttpResponse::new(if post { 303 } else { 302 })
        .with_header("Location", location)
        .and_then(|r| r.with_header("Cache-Control", "no-store"))
        .ok()
}

fn error_redirect(r: &ErrorRedirect, code: ErrorCode, description: &str) -> Option<HttpResponse> {
    let description = crate::error::ErrorResponse::new(code)
        .with_description(description)
        .error_description
        .unwrap_or_default();
    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(4);
    pairs.push(("error", code.as_str()));
    pairs.push(("error_description", &description));
    if let Some(s) = &r.state {
        pairs.push(("state", s));
    }
    // RFC 9207 §2: iss in error responses too.
    pairs.push(("iss", &r.issuer));
    let location = append_query(&r.redirect_uri, &pairs).ok()?;
    redirect_response(location, r.post)
}

/// Whether `requested` is one of the client's registered redirect URIs: exact string comparison
/// (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1), except that for a native client registered with a
/// loopback IP literal (`http://127.0.0.1` or `http://[::1]`) the port may differ (RFC 8252 §7.3).
/// `localhost` is matched exactly like any other host.
#[must_use]
pub fn redirect_uri_matches(client: &RegisteredClient, requested: &str) -> bool {
    if client.redirect_uris.iter().any(|r| r == requested) {
        return true;
    }
    if client.application_type != ApplicationType::Native {
        return false;
    }
    let Some((req_host, req_rest)) = loopback_parts(requested) else {
        return false;
    };
    client
        .redirect_uris
        .iter()
        .any(|r| loopback_parts(r).is_some_and(|(host, rest)| host == req_host && rest == req_rest))
}

/// Splits `http://127.0.0.1[:port]rest` / `http://[::1][:port]rest` into the host prefix and
/// the part after the port, which must be empty or start with `/` or `?`.
fn loopback_parts(uri: &str) -> Option<(&'static str, &str)> {
    for prefix in ["http://127.0.0.1", "http://[::1]"] {
        let Some(rest) = uri.strip_prefix(prefix) else {
            continue;
        };
        let rest = match rest.strip_prefix(':') {
            Some(p) => {
                let end = p.find(|c: char| !c.is_ascii_digit()).unwrap_or(p.len());
                let (digits, after) = p.split_at(end);
                if digits.is_empty() || digits.len() > 5 || digits.parse::<u32>().ok()? > 65535 {
                    return None;
                }
                after
            }
            None => rest,
        };
        let ok = rest.is_empty() || rest.starts_with('/') || rest.starts_with('?');
        return ok.then_some((prefix, rest));
    }
    None
}

/// The OIDC `prompt` values (OIDC Core §3.1.2.1; `create` from OIDC Prompt Create 1.0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Prompt {
    /// `none`: no user interaction; answer `login_required` etc. when it would be needed.
    pub none: bool,
    /// `login`: re-authenticate the user.
    pub login: bool,
    /// `consent`: ask for consent again.
    pub consent: bool,
    /// `select_account`: let the user choose an account.
    pub select_account: bool,
    /// `create`: show the sign-up page.
    pub create: bool,
}

impl Prompt {
    fn parse(value: &str) -> Result<Self, AuthorizeError> {
        let bad = || AuthorizeError::InvalidParameter("prompt");
        let mut p = Self::default();
        for v in value.split(' ') {
            let slot = match v {
                "none" => &mut p.none,
                "login" => &mut p.login,
                "consent" => &mut p.consent,
                "select_account" => &mut p.select_account,
                "create" => &mut p.create,
                _ => return Err(bad()),
            };
            if *slot {
                return Err(bad());
            }
            *slot = true;
        }
        // OIDC Core §3.1.2.1: none with any other value is an error.
        if p.none && (p.login || p.consent || p.select_account || p.create) {
            return Err(bad());
        }
        Ok(p)
    }
}

/// A validated authorization request: only [`validate_authorization_request`] (and the PAR
/// endpoint) make one. Holds what the login and consent steps need, then
/// [`AuthorizationRequest::approve`] or [`AuthorizationRequest::deny`] answers it.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    pub(crate) params: Params,
    client_id: String,
    redirect_uri: String,
    redirect_uri_in_request: bool,
    state: Option<String>,
    scopes: Vec<String>,
    resources: Vec<String>,
    code_challenge: String,
    code_challenge_method: CodeChallengeMethod,
    nonce: Option<String>,
    prompt: Prompt,
    max_age: Option<u64>,
    dpop_jkt: Option<String>,
    issuer: String,
    code_lifetime: Duration,
    post: bool,
    pushed: bool,
}

impl AuthorizationRequest {
    /// The client.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// The redirect URI the response goes to.
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
    /// `state`, echoed in the response.
    #[must_use]
    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    /// The requested scope values (each allowed for the client).
    #[must_use]
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// The requested resource indicators (RFC 8707; each allowed for the client).
    #[must_use]
    pub fn resources(&self) -> &[String] {
        &self.resources
    }
    /// The PKCE challenge and method.
    #[must_use]
    pub fn code_challenge(&self) -> (&str, CodeChallengeMethod) {
        (&self.code_challenge, self.code_challenge_method)
    }
    /// OIDC `nonce`.
    #[must_use]
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }
    /// OIDC `prompt`.
    #[must_use]
    pub fn prompt(&self) -> Prompt {
        self.prompt
    }
    /// OIDC `max_age` in seconds: re-authenticate if the session is older.
    #[must_use]
    pub fn max_age(&self) -> Option<u64> {
        self.max_age
    }
    /// RFC 9449 §10 `dpop_jkt`.
    #[must_use]
    pub fn dpop_jkt(&self) -> Option<&str> {
        self.dpop_jkt.as_deref()
    }
    /// Whether the parameters came from a pushed authorization request (RFC 9126).
    #[must_use]
    pub fn is_pushed(&self) -> bool {
        self.pushed
    }
    /// Any other parameter of the effective request (e.g. `login_hint`, `ui_locales`,
    /// `acr_values`), for the caller to interpret; `None` when absent or repeated.
    #[must_use]
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.params.get(name).ok().flatten()
    }

    fn error_target(&self) -> ErrorRedirect {
        ErrorRedirect {
            redirect_uri: self.redirect_uri.clone(),
            state: self.state.clone(),
            issuer: self.issuer.clone(),
            post: self.post,
        }
    }

    /// Answers with an error (e.g. `access_denied`, `login_required`, `consent_required`):
    /// a redirect with `error`, `error_description`, `state` and `iss` (RFC 6749 §4.1.2.1,
    /// RFC 9207 §2).
    #[must_use]
    pub fn deny(&self, code: ErrorCode, description: &str) -> HttpResponse {
        error_redirect(&self.error_target(), code, description)
            .unwrap_or_else(|| super::error::json_error_response(code, description))
    }

    /// Issues an authorization code for the caller's decision: a fresh 256-bit code from `rng`,
    /// the redirect with `code`, `state` and `iss` (RFC 6749 §4.1.2, RFC 9207 §2), and the
    /// [`AuthorizationCodeRecord`] to persist under its hash.
    ///
    /// # Errors
    /// [`AuthorizeError::Decision`] when the decision grants a scope or resource that was not
    /// requested, or has an empty subject; [`AuthorizeError::Random`];
    /// [`AuthorizeError::InvalidParameter`] (`redirect_uri`) when the registered redirect URI
    /// already carries `code`, `state` or `iss` in its query.
    pub fn approve(
        self,
        decision: AuthorizationDecision,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<AuthorizationResponse, AuthorizeError> {
        if decision.subject.is_empty() {
            return Err(AuthorizeError::Decision("empty subject"));
        }
        let scopes = match decision.scopes {
            Some(s) if s.iter().all(|g| self.scopes.contains(g)) => s,
            Some(_) => return Err(AuthorizeError::Decision("scope granted but not requested")),
            None => self.scopes.clone(),
        };
        let resources = match decision.resources {
            Some(r) if r.iter().all(|g| self.resources.contains(g)) => r,
            Some(_) => {
                return Err(AuthorizeError::Decision(
                    "resource granted but not requested",
                ));
            }
            None => self.resources.clone(),
        };
        let code = random_handle(rng)?;
        let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(3);
        pairs.push(("code", &code));
        if let Some(s) = &self.state {
            pairs.push(("state", s));
        }
        pairs.push(("iss", &self.issuer));
        let location = append_query(&self.redirect_uri, &pairs)
            .map_err(|_| AuthorizeError::InvalidParameter("redirect_uri"))?;
        let response = redirect_response(location, self.post)
            .ok_or(AuthorizeError::InvalidParameter("redirect_uri"))?;
        let record = AuthorizationCodeRecord {
            code_hash: HandleHash::of(&code),
            client_id: self.client_id,
            redirect_uri: self.redirect_uri,
            redirect_uri_in_request: self.redirect_uri_in_request,
            code_challenge: self.code_challenge,
            code_challenge_method: self.code_challenge_method,
            scopes,
            resources,
            subject: decision.subject,
            nonce: self.nonce,
            auth_time: decision.auth_time,
            acr: decision.acr,
            dpop_jkt: self.dpop_jkt,
            issued_at: now,
            expires_at: now.saturating_add(self.code_lifetime),
        };
        Ok(AuthorizationResponse { response, record })
    }
}

/// 32 random bytes, base64url: a code or `request_uri` handle (256 bits).
pub(crate) fn random_handle(rng: &mut impl SecureRandom) -> Result<String, AuthorizeError> {
    let mut bytes = [0u8; 32];
    rng.fill(&mut bytes).map_err(|_| AuthorizeError::Random)?;
    Ok(crate::encoding::base64url::encode_string(&bytes))
}

/// The caller's decision after login and consent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizationDecision {
    /// The authenticated end-user (`sub`).
    pub subject: String,
    /// The scopes granted (a subset of those requested); `None` grants all requested.
    pub scopes: Option<Vec<String>>,
    /// The resources granted (a subset of those requested); `None` grants all requested.
    pub resources: Option<Vec<String>>,
    /// When the user authenticated (OIDC `auth_time`).
    pub auth_time: Option<UnixTime>,
    /// The authentication context class reached (OIDC `acr`).
    pub acr: Option<String>,
}

impl AuthorizationDecision {
    /// Everything requested is granted to `subject`.
    #[must_use]
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            scopes: None,
            resources: None,
            auth_time: None,
            acr: None,
        }
    }
}

/// An approved authorization request: the redirect to send and the record to persist.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AuthorizationResponse {
    /// The 302 (303 after a POST) to the client's redirect URI with `code`, `state` and `iss`.
    pub response: HttpResponse,
    /// What the token endpoint redeems, keyed by [`AuthorizationCodeRecord::code_hash`].
    pub record: AuthorizationCodeRecord,
}

/// Validates an authorization request for `client` (the one the caller looked up by
/// [`AuthorizationRequestParams::client_id`]).
///
/// Order: the client matches; a `request_uri` resolves to the `pushed` record (same client,
/// unexpired: RFC 9126 §4) whose parameters are then the only ones used, or a `request` object
/// is verified (RFC 9101 §6) and its parameters are the only ones used; the `redirect_uri`
/// matches exactly ([`redirect_uri_matches`]). Up to here nothing is redirected. Then, with
/// errors redirected to the client: no repeated parameter; PAR when required (RFC 9126 §5);
/// `response_type=code`; `response_mode` absent or `query`; the client may use the code grant;
/// PKCE (`code_challenge` required, `S256` unless the policy allows `plain`); `scope` values
/// allowed; each `resource` an absolute URI without fragment and allowed (RFC 8707 §2);
/// `prompt`, `max_age` and `dpop_jkt` well formed.
///
/// # Errors
/// [`AuthorizeFailure`]: render it with [`AuthorizeFailure::to_response`].
pub fn validate_authorization_request(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    request: AuthorizationRequestParams,
    pushed: Option<PushedAuthorizationRecord>,
    now: UnixTime,
) -> Result<AuthorizationRequest, AuthorizeFailure> {
    let fail = AuthorizeFailure::no_redirect;
    if request.client_id != client.client_id {
        return Err(fail(AuthorizeError::ClientIdMismatch));
    }
    let outer = &request.params;
    let request_uri = outer.get("request_uri").map_err(fail)?;
    let request_object = outer.get("request").map_err(fail)?;
    let (params, from_par) = match (request_uri, request_object, pushed) {
        (Some(_), Some(_), _) => return Err(fail(AuthorizeError::RequestAndRequestUri)),
        (Some(uri), None, pushed) => {
            if !uri.starts_with(REQUEST_URI_PREFIX) {
                return Err(fail(AuthorizeError::RequestUriNotSupported));
            }
            let record = pushed.ok_or(fail(AuthorizeError::InvalidRequestUri))?;
            // RFC 9126 §4: the request_uri is bound to the client that pushed it, and expires.
            if record.request_uri != uri
                || record.client_id != client.client_id
                || now >= record.expires_at
            {
                return Err(fail(AuthorizeError::InvalidRequestUri));
            }
            (Params(record.params), true)
        }
        (None, _, Some(_)) => return Err(fail(AuthorizeError::InvalidRequestUri)),
        (None, Some(jwt), None) => {
            if !policy.accept_request_objects {
                return Err(fail(AuthorizeError::RequestNotSupported));
            }
            let inner =
                super::jar::verify_request_object(policy, client, jwt, now).map_err(fail)?;
            (inner, false)
        }
        (None, None, None) => (request.params.clone(), false),
    };
    validate_params(policy, client, params, from_par, request.post)
}

/// The checks shared by the authorization and PAR endpoints, on the effective parameters.
pub(crate) fn validate_params(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    params: Params,
    from_par: bool,
    post: bool,
) -> Result<AuthorizationRequest, AuthorizeFailure> {
    let fail = AuthorizeFailure::no_redirect;
    // RFC 9101 §5 / RFC 9126 §4: an inner client_id must be the client's.
    if let Some(id) = params.get("client_id").map_err(fail)?
        && id != client.client_id
    {
        return Err(fail(AuthorizeError::ClientIdMismatch));
    }
    // RFC 6749 §3.1.2.3 and §4.1.2.1: redirect URI errors are never redirected.
    let requested_redirect = params.get("redirect_uri").map_err(fail)?;
    let (redirect_uri, in_request) = match requested_redirect {
        Some(uri) => {
            if !redirect_uri_matches(client, uri) {
                return Err(fail(AuthorizeError::RedirectUriMismatch));
            }
            (uri.to_string(), true)
        }
        None => match client.redirect_uris.as_slice() {
            [only] => (only.clone(), false),
            _ => return Err(fail(AuthorizeError::MissingRedirectUri)),
        },
    };
    let state = params.get("state").ok().flatten().map(ToString::to_string);
    let target = ErrorRedirect {
        redirect_uri,
        state,
        issuer: policy.issuer.clone(),
        post,
    };
    match check_rest(policy, client, &params, from_par) {
        Ok(checked) => Ok(AuthorizationRequest {
            params,
            client_id: client.client_id.clone(),
            redirect_uri: target.redirect_uri,
            redirect_uri_in_request: in_request,
            state: target.state,
            scopes: checked.scopes,
            resources: checked.resources,
            code_challenge: checked.code_challenge,
            code_challenge_method: checked.method,
            nonce: checked.nonce,
            prompt: checked.prompt,
            max_age: checked.max_age,
            dpop_jkt: checked.dpop_jkt,
            issuer: policy.issuer.clone(),
            code_lifetime: policy.code_lifetime,
            post,
            pushed: from_par,
        }),
        Err(error) => Err(AuthorizeFailure {
            error,
            redirect: Some(target),
        }),
    }
}

struct Checked {
    scopes: Vec<String>,
    resources: Vec<String>,
    code_challenge: String,
    method: CodeChallengeMethod,
    nonce: Option<String>,
    prompt: Prompt,
    max_age: Option<u64>,
    dpop_jkt: Option<String>,
}

fn check_rest(
    policy: &AuthorizePolicy,
    client: &RegisteredClient,
    params: &Params,
    from_par: bool,
) -> Result<Checked, AuthorizeError> {
    // RFC 6749 §3.1: no parameter more than once (resource may repeat, RFC 8707 §2).
    if let Some(dup) = params.first_duplicate(REPEATABLE) {
        return Err(AuthorizeError::Form(FormError::DuplicateParameter(
            dup.to_string(),
        )));
    }
    // RFC 9126 §5, §6: only pushed requests when the server or the client requires them.
    if (policy.require_pushed_authorization_requests
        || client.require_pushed_authorization_requests)
        && !from_par
    {
        return Err(AuthorizeError::ParRequired);
    }
    match params.get("response_type")? {
        None => return Err(AuthorizeError::MissingResponseType),
        // OAuth 2.1 §4.1.1, RFC 9700 §2.1.2: the code flow only.
        Some("code") => {}
        Some(_) => return Err(AuthorizeError::UnsupportedResponseType),
    }
    if params.get("response_mode")?.is_some_and(|m| m != "query") {
        return Err(AuthorizeError::UnsupportedResponseMode);
    }
    if !client.allows_grant_type("authorization_code") {
        return Err(AuthorizeError::UnauthorizedClient);
    }
    // RFC 9700 §2.1.1, OAuth 2.1 §4.1.1: PKCE required; S256 unless the policy allows plain.
    let code_challenge = params
        .get("code_challenge")?
        .ok_or(AuthorizeError::MissingCodeChallenge)?;
    let method = CodeChallengeMethod::from_param(params.get("code_challenge_method")?)?;
    check_challenge(code_challenge, method, policy.pkce)?;
    let scopes = match params.get("scope")? {
        Some(scope) => parse_scope(scope, client)?,
        None => Vec::new(),
    };
    let mut resources: Vec<String> = Vec::new();
    for r in params.all("resource") {
        check_resource(r)?;
        if !client.allows_resource(r) {
            return Err(AuthorizeError::InvalidTarget);
        }
        if !resources.iter().any(|x| x == r) {
            resources.push(r.to_string());
        }
    }
    let prompt = match params.get("prompt")? {
        Some(p) => Prompt::parse(p)?,
        None => Prompt::default(),
    };
    let max_age = match params.get("max_age")? {
        Some(m) if m.len() <= 19 && m.bytes().all(|b| b.is_ascii_digit()) => Some(
            m.parse()
                .map_err(|_| AuthorizeError::InvalidParameter("max_age"))?,
        ),
        Some(_) => return Err(AuthorizeError::InvalidParameter("max_age")),
        None => None,
    };
    // RFC 9449 §10: dpop_jkt is the base64url SHA-256 JWK thumbprint (43 characters).
    let dpop_jkt = match params.get("dpop_jkt")? {
        Some(j) if j.len() == 43 && j.bytes().all(is_base64url) => Some(j.to_string()),
        Some(_) => return Err(AuthorizeError::InvalidParameter("dpop_jkt")),
        None => None,
    };
    Ok(Checked {
        scopes,
        resources,
        code_challenge: code_challenge.to_string(),
        method,
        nonce: params.get("nonce")?.map(ToString::to_string),
        prompt,
        max_age,
        dpop_jkt,
    })
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// RFC 6749 §3.3: `scope = scope-token *( SP scope-token )`, `scope-token = 1*( %x21 / %x23-5B
/// / %x5D-7E )`; every value allowed for the client.
pub(crate) fn parse_scope(
    scope: &str,
    client: &RegisteredClient,
) -> Result<Vec<String>, AuthorizeError> {
    let mut out: Vec<String> = Vec::new();
    for token in scope.split(' ') {
        let well_formed = !token.is_empty()
            && token
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b));
        if !well_formed || !client.allows_scope(token) {
            return Err(AuthorizeError::InvalidScope);
        }
        if !out.iter().any(|s| s == token) {
            out.push(token.to_string());
        }
    }
    Ok(out)
}

/// RFC 8707 §2: an absolute URI (RFC 3986 §4.3) with no fragment.
pub(crate) fn check_resource(resource: &str) -> Result<(), AuthorizeError> {
    match url::Url::parse(resource) {
        Ok(u) if u.fragment().is_none() && !resource.contains('#') => Ok(()),
        _ => Err(AuthorizeError::InvalidTarget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_parts_split_the_port_only() {
        assert_eq!(
            loopback_parts("http://127.0.0.1:8080/cb"),
            Some(("http://127.0.0.1", "/cb"))
        );
        assert_eq!(
            loopback_parts("http://127.0.0.1"),
            Some(("http://127.0.0.1", ""))
        );
        assert_eq!(
            loopback_parts("http://[::1]:1?x"),
            Some(("http://[::1]", "?x"))
        );
        for bad in [
            "http://127.0.0.1:65536/cb",
            "http://127.0.0.1:/cb",
            "http://127.0.0.1:123456/cb",
            "http://127.0.0.1:80x/cb",
            "http://127.0.0.10/cb",
            "http://127.0.0.1#x",
            "https://127.0.0.1/cb",
            "http://localhost/cb",
        ] {
            assert_eq!(loopback_parts(bad), None, "{bad}");
        }
    }

    #[test]
    fn prompt_values() {
        let p = Prompt::parse("login consent").unwrap();
        assert!(p.login && p.consent && !p.none);
        assert!(Prompt::parse("none").unwrap().none);
        for bad in [
            "none login",
            "login login",
            "",
            "login  consent",
            "LOGIN",
            "bogus",
        ] {
            assert!(Prompt::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn scope_syntax() {
        let c = RegisteredClient::public("c", Vec::new()).with_scopes(&["a", "b:c"]);
        assert_eq!(parse_scope("a b:c a", &c).unwrap(), ["a", "b:c"]);
        for bad in ["", " a", "a ", "a  b:c", "a\"", "a\\", "d"] {
            assert_eq!(
                parse_scope(bad, &c),
                Err(AuthorizeError::InvalidScope),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn resources_are_absolute_without_fragment() {
        for ok in [
            "https://api.example.com/",
            "urn:example:resource",
            "https://a.example/x?y=1",
        ] {
            check_resource(ok).unwrap();
        }
        for bad in [
            "/relative",
            "api.example.com",
            "https://a.example/#",
            "https://a.example/#f",
        ] {
            assert_eq!(
                check_resource(bad),
                Err(AuthorizeError::InvalidTarget),
                "{bad}"
            );
        }
    }

    #[test]
    fn per_client_par_requirement() {
        let mut c = RegisteredClient::public("c", alloc::vec!["https://c.example/cb".into()]);
        c.require_pushed_authorization_requests = true;
        let params = Params(alloc::vec![
            ("response_type".into(), "code".into()),
            (
                "code_challenge".into(),
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()
            ),
            ("code_challenge_method".into(), "S256".into()),
        ]);
        let policy = AuthorizePolicy::new("https://as.example");
        let f = validate_params(&policy, &c, params.clone(), false, false).unwrap_err();
        assert_eq!(f.error(), &AuthorizeError::ParRequired);
        assert!(validate_params(&policy, &c, params, true, false).is_ok());
    }
}
