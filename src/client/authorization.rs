//! The authorization code flow's front channel (RFC 6749 §4.1, OAuth 2.1 §4.1): the authorization
//! request with PKCE S256 (RFC 7636), `state`, OIDC `nonce` and RFC 8707 `resource`; pushed
//! authorization requests (RFC 9126); and the callback, checked against the recorded state with
//! RFC 9207's `iss`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq as _;

use super::common::{Secret, check_json_response, endpoint, random_string};
use super::{ClientAuth, ClientError};
use crate::encoding::document::from_slice_strict;
use crate::encoding::form::{self, FormParams};
use crate::error::ErrorResponse;
use crate::http::{HttpRequest, HttpResponse};
use crate::metadata::AuthorizationServerMetadata;
use crate::metadata::WellKnownError;
use crate::metadata::well_known;
use crate::pkce::{CodeChallenge, CodeVerifier};
use crate::rand::SecureRandom;
use crate::time::UnixTime;

/// Request parameters, in order.
type Params = Vec<(&'static str, String)>;

/// Bytes of randomness in `state` and `nonce` (256 bits, base64url-encoded to 43 characters).
const RANDOM_BYTES: usize = 32;

/// Weakens a check of the authorization request; each is a named, documented opt-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizationLeniency {
    /// Send PKCE S256 even when the metadata's `code_challenge_methods_supported` is absent or
    /// lacks `S256`.
    ///
    /// # Security
    /// The MCP authorization spec requires clients to refuse such a server: PKCE that the server
    /// ignores gives no protection against code injection (RFC 9700 §2.1.1). Use only for a
    /// server known to enforce S256 without advertising it.
    AssumePkceS256,
}

/// Builds an authorization request (RFC 6749 §4.1.1, OAuth 2.1 §4.1.1), always with PKCE S256.
///
/// Call [`AuthorizationRequest::build`] for a front-channel redirect URL, or
/// [`AuthorizationRequest::build_pushed`] to push it first (RFC 9126).
pub struct AuthorizationRequest<'a> {
    meta: &'a AuthorizationServerMetadata,
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    resources: Vec<String>,
    prompt: Option<String>,
    max_age: Option<u64>,
    login_hint: Option<String>,
    extra: Vec<(String, String)>,
    leniency: Vec<AuthorizationLeniency>,
}

impl fmt::Debug for AuthorizationRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("issuer", &self.meta.issuer)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("scope", &self.scope)
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

/// Parameters this builder sets itself; [`AuthorizationRequest::param`] refuses them.
const RESERVED: [&str; 14] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "resource",
    "prompt",
    "max_age",
    "login_hint",
    "request_uri",
    "code_verifier",
];

impl<'a> AuthorizationRequest<'a> {
    /// A request to the server described by `meta` for `client_id`, redirecting to
    /// `redirect_uri` (compared byte for byte at the callback).
    #[must_use]
    pub fn new(
        meta: &'a AuthorizationServerMetadata,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            meta,
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            scope: None,
            resources: Vec::new(),
            prompt: None,
            max_age: None,
            login_hint: None,
            extra: Vec::new(),
            leniency: Vec::new(),
        }
    }

    /// The space-delimited `scope` (RFC 6749 §3.3). When it holds `openid`, a `nonce` is sent
    /// (OIDC Core §3.1.2.1).
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Adds an RFC 8707 `resource` indicator (repeatable). Recorded in the state and sent again
    /// in the token request.
    ///
    /// # Errors
    /// [`ClientError::InvalidUrl`] unless it is an absolute https (or loopback http) URI without
    /// fragment (RFC 8707 §2).
    pub fn resource(mut self, resource: impl Into<String>) -> Result<Self, ClientError> {
        let resource = resource.into();
        // RFC 8707 §2: "an absolute URI ... MUST NOT include a fragment component".
        well_known::check_endpoint_url(&resource)?;
        self.resources.push(resource);
        Ok(self)
    }

    /// OIDC `prompt` (e.g. `login`, `consent`, `none`, `create`).
    #[must_use]
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// OIDC `max_age` in seconds; recorded in the state so the ID token's `auth_time` can be
    /// checked (OIDC Core §3.1.2.1).
    #[must_use]
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// OIDC `login_hint`.
    #[must_use]
    pub fn login_hint(mut self, hint: impl Into<String>) -> Self {
        self.login_hint = Some(hint.into());
        self
    }

    /// Any other parameter (e.g. `ui_locales`, `acr_values`, `authorization_details`).
    ///
    /// # Errors
    /// [`ClientError::InvalidRequest`] for a parameter this builder sets itself, or one already
    /// added (RFC 6749 §3.1: no parameter more than once).
    pub fn param(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, ClientError> {
        let name = name.into();
        if RESERVED.contains(&name.as_str()) || self.extra.iter().any(|(k, _)| *k == name) {
            return Err(ClientError::InvalidRequest(
                "parameter set by the builder or repeated (RFC 6749 §3.1)",
            ));
        }
        self.extra.push((name, value.into()));
        Ok(self)
    }

    /// Weakens one check (see [`AuthorizationLeniency`]).
    #[must_use]
    pub fn leniency(mut self, leniency: AuthorizationLeniency) -> Self {
        self.leniency.push(leniency);
        self
    }

    /// Draws `state`, `nonce` (with `openid`) and the PKCE verifier, and returns the parameters
    /// and the state to persist.
    fn prepare(
        self,
        rng: &mut impl SecureRandom,
    ) -> Result<(Params, AuthorizationState), ClientError> {
        // MCP (2025-11-25) and RFC 9700 §2.1.1: verify PKCE support before anything else.
        if !self.meta.supports_pkce_method("S256")
            && !self
                .leniency
                .contains(&AuthorizationLeniency::AssumePkceS256)
        {
            return Err(ClientError::PkceS256NotSupported);
        }
        check_redirect_uri(&self.redirect_uri)?;
        let state = random_string(rng, RANDOM_BYTES)?;
        let openid = self
            .scope
            .as_deref()
            .is_some_and(|s| s.split(' ').any(|t| t == "openid"));
        let nonce = if openid {
            Some(random_string(rng, RANDOM_BYTES)?)
        } else {
            None
        };
        let verifier = CodeVerifier::generate(rng)?;
        let challenge = CodeChallenge::s256(&verifier);

        let mut params: Vec<(&'static str, String)> = alloc::vec![
            ("response_type", String::from("code")),
            ("client_id", self.client_id.clone()),
            ("redirect_uri", self.redirect_uri.clone()),
        ];
        if let Some(scope) = &self.scope {
            params.push(("scope", scope.clone()));
        }
        params.push(("state", state.clone()));
        if let Some(n) = &nonce {
            params.push(("nonce", n.clone()));
        }
        params.push(("code_challenge", String::from(challenge.as_str())));
        params.push(("code_challenge_method", String::from("S256")));
        for r in &self.resources {
            params.push(("resource", r.clone()));
        }
        if let Some(p) = &self.prompt {
            params.push(("prompt", p.clone()));
        }
        if let Some(m) = self.max_age {
            params.push(("max_age", alloc::format!("{m}")));
        }
        if let Some(h) = &self.login_hint {
            params.push(("login_hint", h.clone()));
        }
        let auth_state = AuthorizationState {
            issuer: self.meta.issuer.clone(),
            iss_parameter_supported: self
                .meta
                .authorization_response_iss_parameter_supported
                .unwrap_or(false),
            client_id: self.client_id,
            redirect_uri: self.redirect_uri,
            state: Secret::new(state),
            nonce: nonce.map(Secret::new),
            code_verifier: verifier,
            resources: self.resources,
            max_age: self.max_age,
        };
        Ok((params, auth_state))
    }

    /// A front-channel request: the URL to send the user agent to, and the state to persist
    /// (keyed by nothing the attacker controls: e.g. in the user's session) until the callback.
    ///
    /// # Errors
    /// [`ClientError::PkceS256NotSupported`] (MCP: refuse to proceed),
    /// [`ClientError::ParRequired`] when the server requires PAR (RFC 9126 §5: use
    /// [`AuthorizationRequest::build_pushed`]), [`ClientError::MissingEndpoint`],
    /// [`ClientError::InvalidUrl`], [`ClientError::Random`].
    pub fn build(
        mut self,
        rng: &mut impl SecureRandom,
    ) -> Result<(String, AuthorizationState), ClientError> {
        if self.meta.require_pushed_authorization_requests == Some(true) {
            return Err(ClientError::ParRequired);
        }
        let meta = self.meta;
        let endpoint = endpoint(
            meta.authorization_endpoint.as_ref(),
            "authorization_endpoint",
        )?;
        // MCP security best practices: only http(s) authorization URLs (no `javascript:`,
        // `data:`, `file:` ...), https unless loopback.
        well_known::check_endpoint_url(endpoint)?;
        let extra = core::mem::take(&mut self.extra);
        let (params, state) = self.prepare(rng)?;
        let mut pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let url = append_to_endpoint(endpoint, &pairs)?;
        Ok((url, state))
    }

    /// A pushed authorization request (RFC 9126 §2.1): the POST to the PAR endpoint, with the
    /// client's authentication, and the state to persist. Then
    /// [`process_par_response`] and [`PushedAuthorization::authorization_url`].
    ///
    /// # Errors
    /// As [`AuthorizationRequest::build`] (but PAR is what a server requiring it wants), and
    /// [`ClientError::MissingEndpoint`] without `pushed_authorization_request_endpoint`, or
    /// [`ClientError::InvalidRequest`] when `auth` is for another client id.
    pub fn build_pushed(
        mut self,
        auth: &ClientAuth,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<(HttpRequest, AuthorizationState), ClientError> {
        let meta = self.meta;
        let par = endpoint(
            meta.pushed_authorization_request_endpoint.as_ref(),
            "pushed_authorization_request_endpoint",
        )?;
        if auth.client_id() != self.client_id {
            return Err(ClientError::InvalidRequest(
                "client authentication is for another client_id",
            ));
        }
        let extra = core::mem::take(&mut self.extra);
        let (params, state) = self.prepare(rng)?;
        // RFC 9126 §2.1: the body holds the authorization request parameters, `client_id`
        // included (REQUIRED by RFC 6749 §4.1.1), whatever the client authentication method (the
        // §2.1 example sends it next to HTTP Basic; oidc-provider refuses a request without it).
        let mut params: Vec<(&str, String)> = params;
        params.extend(extra.iter().map(|(k, v)| (k.as_str(), v.clone())));
        let req = auth.post(par, params, &meta.issuer, now, rng)?;
        Ok((req, state))
    }
}

/// Appends `pairs` to the authorization endpoint's URL. RFC 6749 §3.1: the endpoint's own query
/// is kept, a fragment is refused, and no parameter appears twice, except `resource` (RFC 8707
/// §2: "may be used multiple times").
fn append_to_endpoint(endpoint: &str, pairs: &[(&str, &str)]) -> Result<String, ClientError> {
    let singles: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(k, _)| *k != "resource")
        .collect();
    // Checks fragment, duplicates and clashes with the endpoint's query.
    form::append_query(endpoint, &singles)?;
    if let Some((_, q)) = endpoint.split_once('?')
        && form::query_pairs(q)?.contains("resource")
    {
        return Err(ClientError::Form(form::FormError::DuplicateParameter(
            String::from("resource"),
        )));
    }
    let mut out = String::from(endpoint);
    match endpoint.split_once('?') {
        None => out.push('?'),
        Some((_, q)) if !q.is_empty() && !q.ends_with('&') => out.push('&'),
        Some(_) => {}
    }
    out.push_str(&form::encode_form(pairs));
    Ok(out)
}

/// A redirect URI: an https URL (or http on a loopback host, RFC 8252 §7.3), or a private-use
/// scheme URI for a native app (RFC 8252 §7.1); never with a fragment (RFC 6749 §3.1.2).
fn check_redirect_uri(uri: &str) -> Result<(), ClientError> {
    if uri.starts_with("http:") || uri.starts_with("https:") {
        well_known::check_endpoint_url(uri)?;
        return Ok(());
    }
    if uri.contains('#') {
        return Err(ClientError::InvalidUrl(WellKnownError::HasFragment));
    }
    url::Url::parse(uri).map_err(|_| ClientError::InvalidUrl(WellKnownError::NotAbsoluteUrl))?;
    Ok(())
}

/// Whether requests to this server should be pushed (RFC 9126): it requires it, or offers a
/// PAR endpoint.
#[must_use]
pub fn should_push(meta: &AuthorizationServerMetadata) -> bool {
    meta.require_pushed_authorization_requests == Some(true)
        || meta.pushed_authorization_request_endpoint.is_some()
}

/// What the client records before redirecting (MCP 2026-07-28 "authorization response
/// validation": the validated issuer with the PKCE verifier and state), and what checks the
/// callback.
///
/// Serializable, to keep in the user's session between the redirect and the callback. `Debug`
/// redacts `state`, `nonce` and the verifier.
///
/// # Security
/// Holds the PKCE verifier: store it server-side or encrypted, never in a URL.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct AuthorizationState {
    issuer: String,
    iss_parameter_supported: bool,
    client_id: String,
    redirect_uri: String,
    state: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nonce: Option<Secret>,
    code_verifier: CodeVerifier,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_age: Option<u64>,
}

impl fmt::Debug for AuthorizationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationState")
            .field("issuer", &self.issuer)
            .field("iss_parameter_supported", &self.iss_parameter_supported)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("resources", &self.resources)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl AuthorizationState {
    /// The issuer recorded at request time (the metadata's validated `issuer`).
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The client id the request was made for.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI sent (and to be sent again in the token request, RFC 6749 §4.1.3).
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The `state` value sent.
    #[must_use]
    pub fn state(&self) -> &Secret {
        &self.state
    }

    /// The OIDC `nonce` sent, when `openid` was requested (the ID token must carry it).
    #[must_use]
    pub fn nonce(&self) -> Option<&Secret> {
        self.nonce.as_ref()
    }

    /// The PKCE verifier (sent in the token request).
    #[must_use]
    pub fn code_verifier(&self) -> &CodeVerifier {
        &self.code_verifier
    }

    /// The RFC 8707 resources requested.
    #[must_use]
    pub fn resources(&self) -> &[String] {
        &self.resources
    }

    /// The OIDC `max_age` requested.
    #[must_use]
    pub fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// Whether the server advertised RFC 9207 `iss` when the request was built.
    #[must_use]
    pub fn iss_parameter_supported(&self) -> bool {
        self.iss_parameter_supported
    }

    /// Checks the redirect back to the client and returns the authorization code.
    ///
    /// `callback_url` is the full URL the user agent was redirected to (a loopback server that
    /// sees `/cb?code=...` rebuilds it from its own scheme, host and port). Checks, in order:
    /// 1. the URL without its query equals the redirect URI byte for byte, and any query the
    ///    redirect URI itself has is present (RFC 6749 §3.1.2, RFC 9700 §4.1.3);
    /// 2. no parameter repeats (RFC 6749 §3.1);
    /// 3. `state` is present and equal, compared in constant time (RFC 6749 §10.12);
    /// 4. RFC 9207 §2.4: `iss`, when present, equals the recorded issuer; when the server
    ///    advertised `authorization_response_iss_parameter_supported`, it must be present;
    /// 5. an `error` → [`ClientError::ErrorResponse`] (only after 3 and 4: an unauthenticated
    ///    error is never acted on);
    /// 6. `code` present and non-empty.
    ///
    /// # Errors
    /// The [`ClientError`] of the first check that fails.
    pub fn process_callback(&self, callback_url: &str) -> Result<AuthorizationCode, ClientError> {
        // Fragments never reach a server; a URL that carries one is not ours to interpret.
        let without_fragment = callback_url.split('#').next().unwrap_or_default();
        let (base, query) = without_fragment
            .split_once('?')
            .unwrap_or((without_fragment, ""));
        let (expected_base, expected_query) = self
            .redirect_uri
            .split_once('?')
            .unwrap_or((self.redirect_uri.as_str(), ""));
        if base != expected_base {
            return Err(ClientError::RedirectUriMismatch);
        }
        let params = form::query_pairs(query)?;
        params.ensure_no_duplicates(&[])?;
        // The redirect URI's own query parameters must come back unchanged.
        for (k, v) in form::query_pairs(expected_query)?.iter() {
            if params.get(k)? != Some(v) {
                return Err(ClientError::RedirectUriMismatch);
            }
        }
        self.check_response(&params)
    }

    /// As [`AuthorizationState::process_callback`], for a caller that has already matched the
    /// redirect URI itself and holds only the query string (without `?`).
    ///
    /// # Errors
    /// As [`AuthorizationState::process_callback`], except the redirect URI check.
    pub fn process_callback_query(&self, query: &str) -> Result<AuthorizationCode, ClientError> {
        let params = form::query_pairs(query)?;
        params.ensure_no_duplicates(&[])?;
        self.check_response(&params)
    }

    fn check_response(&self, params: &FormParams) -> Result<AuthorizationCode, ClientError> {
        // RFC 6749 §10.12: the state binds the response to this user agent's request.
        let state = params.get("state")?.ok_or(ClientError::MissingState)?;
        if !bool::from(state.as_bytes().ct_eq(self.state.expose().as_bytes())) {
            return Err(ClientError::StateMismatch);
        }
        // RFC 9207 §2.4: simple string comparison; absent is allowed only when the server did
        // not advertise support.
        match params.get("iss")? {
            Some(iss) if iss != self.issuer => {
                return Err(ClientError::AuthorizationIssuerMismatch);
            }
            Some(_) => {}
            None if self.iss_parameter_supported => return Err(ClientError::MissingIssuer),
            None => {}
        }
        if let Some(error) = params.get("error")? {
            return Err(ClientError::ErrorResponse {
                error: error_from_params(error, params)?,
                status: None,
                dpop_nonce: None,
            });
        }
        let code = params
            .get_non_empty("code")?
            .ok_or(ClientError::MissingCode)?;
        Ok(AuthorizationCode {
            code: Secret::new(code),
        })
    }
}

/// RFC 6749 §4.1.2.1: an error redirect's `error`, `error_description`, `error_uri`.
fn error_from_params(error: &str, params: &FormParams) -> Result<ErrorResponse, ClientError> {
    if error.is_empty() || !crate::error::is_valid_error_text(error, false) {
        return Err(ClientError::InvalidResponse(
            "error: not an RFC 6749 §4.1.2.1 error code",
        ));
    }
    let mut e = ErrorResponse::new(crate::error::ErrorCode::ServerError);
    e.error = String::from(error);
    e.error_description = params.get("error_description")?.map(String::from);
    e.error_uri = params.get("error_uri")?.map(String::from);
    Ok(e)
}

/// An authorization code from a callback that passed every check of
/// [`AuthorizationState::process_callback`]; only that function makes one.
///
/// `Debug` redacts the code.
#[derive(Clone)]
pub struct AuthorizationCode {
    code: Secret,
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(..)")
    }
}

impl AuthorizationCode {
    /// The code, as sent in the token request.
    #[must_use]
    pub fn code(&self) -> &Secret {
        &self.code
    }
}

/// A pushed authorization request accepted by the server (RFC 9126 §2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedAuthorization {
    request_uri: String,
    expires_in: u64,
    client_id: String,
}

impl PushedAuthorization {
    /// The `request_uri` (RFC 9126 §2.2).
    #[must_use]
    pub fn request_uri(&self) -> &str {
        &self.request_uri
    }

    /// Its lifetime in seconds.
    #[must_use]
    pub fn expires_in(&self) -> u64 {
        self.expires_in
    }

    /// The URL to send the user agent to: the authorization endpoint with only `client_id` and
    /// `request_uri` (RFC 9126 §4).
    ///
    /// # Errors
    /// [`ClientError::MissingEndpoint`], [`ClientError::Form`].
    pub fn authorization_url(
        &self,
        meta: &AuthorizationServerMetadata,
    ) -> Result<String, ClientError> {
        let endpoint = endpoint(
            meta.authorization_endpoint.as_ref(),
            "authorization_endpoint",
        )?;
        well_known::check_endpoint_url(endpoint)?;
        Ok(form::append_query(
            endpoint,
            &[
                ("client_id", self.client_id.as_str()),
                ("request_uri", self.request_uri.as_str()),
            ],
        )?)
    }
}

#[derive(serde::Deserialize)]
struct ParBody {
    request_uri: serde_json::Value,
    expires_in: serde_json::Value,
}

/// Checks a PAR response: status 201, JSON, `request_uri` a non-empty string and `expires_in` a
/// positive integer (RFC 9126 §2.2); an error body becomes [`ClientError::ErrorResponse`]
/// (RFC 9126 §2.3).
///
/// Pair: [`AuthorizationRequest::build_pushed`].
///
/// # Errors
/// [`ClientError::UnexpectedStatus`], [`ClientError::NotJson`], [`ClientError::Document`],
/// [`ClientError::InvalidResponse`], [`ClientError::ErrorResponse`].
pub fn process_par_response(
    state: &AuthorizationState,
    resp: &HttpResponse,
) -> Result<PushedAuthorization, ClientError> {
    // RFC 9126 §2.2: "the authorization server returns ... HTTP status code 201".
    check_json_response(resp, 201)?;
    let body: ParBody = from_slice_strict(&resp.body)?;
    let request_uri =
        body.request_uri
            .as_str()
            .filter(|s| !s.is_empty())
            .ok_or(ClientError::InvalidResponse(
                "request_uri: missing or not a string (RFC 9126 §2.2)",
            ))?;
    let expires_in =
        body.expires_in
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or(ClientError::InvalidResponse(
                "expires_in: not a positive integer (RFC 9126 §2.2)",
            ))?;
    Ok(PushedAuthorization {
        request_uri: String::from(request_uri),
        expires_in,
        client_id: state.client_id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_repeats_but_nothing_else_does() {
        let url = append_to_endpoint(
            "https://as.example/authorize?tenant=t",
            &[
                ("a", "1"),
                ("resource", "https://r1"),
                ("resource", "https://r2"),
            ],
        )
        .unwrap();
        assert_eq!(
            url,
            "https://as.example/authorize?tenant=t&a=1&resource=https%3A%2F%2Fr1&resource=https%3A%2F%2Fr2"
        );
        assert!(
            append_to_endpoint("https://as.example/authorize", &[("a", "1"), ("a", "2")]).is_err()
        );
        assert!(append_to_endpoint("https://as.example/authorize?a=0", &[("a", "1")]).is_err());
        assert!(
            append_to_endpoint(
                "https://as.example/authorize?resource=x",
                &[("resource", "y")]
            )
            .is_err()
        );
        assert!(append_to_endpoint("https://as.example/authorize#f", &[("a", "1")]).is_err());
    }

    #[test]
    fn redirect_uris() {
        for ok in [
            "https://c.example/cb",
            "http://127.0.0.1:9/cb",
            "http://[::1]/cb",
            "com.example.app:/cb",
        ] {
            assert!(check_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://c.example/cb",
            "https://c.example/cb#f",
            "/cb",
            "cb",
            "com.example.app:/cb#x",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
    }
}
