//! Token endpoint requests, one builder per grant: authorization code (RFC 6749 §4.1.3 with PKCE,
//! RFC 7636 §4.5), refresh token (§6), client credentials (§4.4), token exchange (RFC 8693 §2.1,
//! and the ID-JAG request of MCP Enterprise-Managed Authorization), and JWT bearer (RFC 7523 §2.1).
//! Every request carries the client's authentication ([`ClientAuth`]) and the RFC 8707 `resource`
//! indicators given. Process the response with [`super::process_token_response`] (or its variants).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::common::{Secret, endpoint};
use super::token::{TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN};
use super::{AuthorizationCode, AuthorizationState, ClientAuth, ClientError};
use crate::http::HttpRequest;
use crate::metadata::AuthorizationServerMetadata;
use crate::rand::SecureRandom;
use crate::time::UnixTime;

/// RFC 8693 §2.1 `grant_type`.
pub const GRANT_TYPE_TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// RFC 7523 §2.1 `grant_type`.
pub const GRANT_TYPE_JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// RFC 8628 §3.4 `grant_type`.
pub const GRANT_TYPE_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// POSTs `params` to the token endpoint of `meta` with the client's authentication.
pub(crate) fn token_post(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    params: Vec<(&str, String)>,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let url = endpoint(meta.token_endpoint.as_ref(), "token_endpoint")?;
    auth.post(url, params, &meta.issuer, now, rng)
}

/// Appends `scope` and the RFC 8707 `resource` indicators, each checked like
/// [`super::AuthorizationRequest::resource`] checks them.
fn push_scope_resources<R: AsRef<str>>(
    params: &mut Vec<(&str, String)>,
    scope: Option<&str>,
    resources: &[R],
) -> Result<(), ClientError> {
    if let Some(s) = scope {
        params.push(("scope", String::from(s)));
    }
    push_resources(params, resources)
}

/// Appends the RFC 8707 `resource` indicators after checking each one.
///
/// RFC 8707 §2: "an absolute URI ... MUST NOT include a fragment component"; like the
/// authorization request, we also require `https` (or loopback `http`) and no userinfo, so a
/// token request never names a resource the authorization request would have refused.
pub(crate) fn push_resources<R: AsRef<str>>(
    params: &mut Vec<(&str, String)>,
    resources: &[R],
) -> Result<(), ClientError> {
    for r in resources {
        let r = r.as_ref();
        crate::metadata::well_known::check_endpoint_url(r)?;
        params.push(("resource", String::from(r)));
    }
    Ok(())
}

/// The authorization code grant's token request (RFC 6749 §4.1.3, RFC 7636 §4.5): `code`, the
/// `redirect_uri` and `code_verifier` from `state`, and the `resource` indicators the
/// authorization request carried (RFC 8707 §2.2; MCP requires them in both requests).
///
/// # Errors
/// [`ClientError::StateIssuerMismatch`] when `meta` is not the server the state was recorded for
/// (RFC 9207 §2.4: never send a code to another server's token endpoint);
/// [`ClientError::InvalidRequest`] when `auth` is for another client id;
/// [`ClientError::MissingEndpoint`]; client authentication errors.
pub fn authorization_code_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    state: &AuthorizationState,
    code: &AuthorizationCode,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    if meta.issuer != state.issuer() {
        return Err(ClientError::StateIssuerMismatch);
    }
    if auth.client_id() != state.client_id() {
        return Err(ClientError::InvalidRequest(
            "client authentication is for another client_id than the authorization request",
        ));
    }
    let mut params = alloc::vec![
        ("grant_type", String::from("authorization_code")),
        ("code", String::from(code.code().expose())),
        ("redirect_uri", String::from(state.redirect_uri())),
        (
            "code_verifier",
            String::from(state.code_verifier().as_str())
        ),
    ];
    for r in state.resources() {
        params.push(("resource", r.clone()));
    }
    token_post(meta, auth, params, now, rng)
}

/// The refresh token grant (RFC 6749 §6), optionally narrowing `scope` and naming `resources`
/// (RFC 8707 §2.2). Process the answer with [`super::process_refresh_token_response`], which
/// handles rotation.
///
/// # Errors
/// [`ClientError::InvalidUrl`] for a resource that is not an absolute `https` (or loopback
/// `http`) URI without fragment (RFC 8707 §2); [`ClientError::MissingEndpoint`]; client
/// authentication errors.
pub fn refresh_token_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    refresh_token: &Secret,
    scope: Option<&str>,
    resources: &[&str],
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let mut params = alloc::vec![
        ("grant_type", String::from("refresh_token")),
        ("refresh_token", String::from(refresh_token.expose())),
    ];
    push_scope_resources(&mut params, scope, resources)?;
    token_post(meta, auth, params, now, rng)
}

/// The client credentials grant (RFC 6749 §4.4.2; MCP's `oauth-client-credentials` extension),
/// with `scope` and `resources`.
///
/// # Errors
/// [`ClientError::InvalidRequest`] for a public client ([`ClientAuth::none`]: RFC 6749 §4.4 is for
/// confidential clients); [`ClientError::InvalidUrl`] for a resource that is not an absolute
/// `https` (or loopback `http`) URI without fragment (RFC 8707 §2);
/// [`ClientError::MissingEndpoint`]; client authentication errors.
pub fn client_credentials_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    scope: Option<&str>,
    resources: &[&str],
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
    if auth.method_name() == "none" {
        return Err(ClientError::InvalidRequest(
            "client_credentials requires client authentication (RFC 6749 §4.4)",
        ));
    }
    let mut params = alloc::vec![("grant_type", String::from("client_credentials"))];
    push_scope_resources(&mut params, scope, resources)?;
    token_post(meta, auth, params, now, rng)
}

/// The JWT bearer grant (RFC 7523 §2.1): `assertion` (e.g. an ID-JAG, [`super::IdJag`]), with
/// `scope` and `resources`.
///
/// # Errors
/// [`ClientError::InvalidUrl`] for a resource that is not an absolute `https` (or loopback
/// `http`) URI without fragment (RFC 8707 §2); [`ClientError::MissingEndpoint`]; client
/// authentication errors.
pub fn jwt_bearer_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    assertion: &Secret,
    scope: Option<&str>,
    resources: &[&str],
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    let mut params = alloc::vec![
        ("grant_type", String::from(GRANT_TYPE_JWT_BEARER)),
        ("assertion", String::from(assertion.expose())),
    ];
    push_scope_resources(&mut params, scope, resources)?;
    token_post(meta, auth, params, now, rng)
}

/// A token exchange request (RFC 8693 §2.1), built up and then sent with
/// [`token_exchange_request`].
///
/// `Debug` shows token types, audiences and resources, never a token.
#[derive(Clone)]
pub struct TokenExchange {
    subject_token: Secret,
    subject_token_type: String,
    actor: Option<(Secret, String)>,
    requested_token_type: Option<String>,
    audiences: Vec<String>,
    resources: Vec<String>,
    scope: Option<String>,
}

impl fmt::Debug for TokenExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenExchange")
            .field("subject_token_type", &self.subject_token_type)
            .field("actor_token_type", &self.actor.as_ref().map(|(_, t)| t))
            .field("requested_token_type", &self.requested_token_type)
            .field("audiences", &self.audiences)
            .field("resources", &self.resources)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl TokenExchange {
    /// Exchange `subject_token` of type `subject_token_type` (an RFC 8693 §3 URI such as
    /// [`TOKEN_TYPE_ACCESS_TOKEN`]).
    #[must_use]
    pub fn new(subject_token: impl Into<Secret>, subject_token_type: impl Into<String>) -> Self {
        Self {
            subject_token: subject_token.into(),
            subject_token_type: subject_token_type.into(),
            actor: None,
            requested_token_type: None,
            audiences: Vec::new(),
            resources: Vec::new(),
            scope: None,
        }
    }

    /// The ID-JAG request of MCP Enterprise-Managed Authorization (SEP-990): exchange the user's
    /// ID token at the IdP for an Identity Assertion JWT Authorization Grant whose audience is
    /// the resource's authorization server (`audience` = its issuer). Add the MCP server with
    /// [`TokenExchange::resource`] and the scope; process the answer with
    /// [`super::process_id_jag_response`], then send [`super::jwt_bearer_request`] to that server.
    #[must_use]
    pub fn id_jag(id_token: impl Into<Secret>, authorization_server_issuer: &str) -> Self {
        let mut t = Self::new(id_token, TOKEN_TYPE_ID_TOKEN);
        t.requested_token_type = Some(String::from(TOKEN_TYPE_ID_JAG));
        t.audiences.push(String::from(authorization_server_issuer));
        t
    }

    /// Acting party (RFC 8693 §2.1, §4.1 delegation): `actor_token` with its `actor_token_type`
    /// (both are sent, never one without the other).
    #[must_use]
    pub fn actor(
        mut self,
        actor_token: impl Into<Secret>,
        actor_token_type: impl Into<String>,
    ) -> Self {
        self.actor = Some((actor_token.into(), actor_token_type.into()));
        self
    }

    /// `requested_token_type` (RFC 8693 §2.1).
    #[must_use]
    pub fn requested_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.requested_token_type = Some(token_type.into());
        self
    }

    /// Adds an `audience` (repeatable).
    #[must_use]
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// Adds a `resource` (repeatable; RFC 8707). Checked by [`token_exchange_request`]: an
    /// absolute `https` (or loopback `http`) URI without fragment.
    #[must_use]
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resources.push(resource.into());
        self
    }

    /// The `scope`.
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The token type the response's `issued_token_type` must equal: the requested one, or an
    /// access token when none was requested (RFC 8693 §2.1).
    #[must_use]
    pub fn expected_issued_token_type(&self) -> &str {
        self.requested_token_type
            .as_deref()
            .unwrap_or(TOKEN_TYPE_ACCESS_TOKEN)
    }
}

/// The token exchange request (RFC 8693 §2.1) for `exchange`. Process the answer with
/// [`super::process_token_exchange_response`] passing
/// [`TokenExchange::expected_issued_token_type`] (or [`super::process_id_jag_response`]).
///
/// # Errors
/// [`ClientError::InvalidRequest`] for an empty subject token or type;
/// [`ClientError::InvalidUrl`] for a resource that is not an absolute `https` (or loopback
/// `http`) URI without fragment (RFC 8707 §2); [`ClientError::MissingEndpoint`]; client
/// authentication errors.
pub fn token_exchange_request(
    meta: &AuthorizationServerMetadata,
    auth: &ClientAuth,
    exchange: &TokenExchange,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<HttpRequest, ClientError> {
    if exchange.subject_token.expose().is_empty() || exchange.subject_token_type.is_empty() {
        return Err(ClientError::InvalidRequest(
            "subject_token and subject_token_type are REQUIRED (RFC 8693 §2.1)",
        ));
    }
    let mut params = alloc::vec![("grant_type", String::from(GRANT_TYPE_TOKEN_EXCHANGE))];
    push_resources(&mut params, &exchange.resources)?;
    for a in &exchange.audiences {
        params.push(("audience", a.clone()));
    }
    if let Some(s) = &exchange.scope {
        params.push(("scope", s.clone()));
    }
    if let Some(t) = &exchange.requested_token_type {
        params.push(("requested_token_type", t.clone()));
    }
    params.push((
        "subject_token",
        String::from(exchange.subject_token.expose()),
    ));
    params.push(("subject_token_type", exchange.subject_token_type.clone()));
    if let Some((token, ty)) = &exchange.actor {
        // RFC 8693 §2.1: actor_token_type "is REQUIRED when the actor_token parameter is present".
        if token.expose().is_empty() || ty.is_empty() {
            return Err(ClientError::InvalidRequest(
                "actor_token and actor_token_type go together (RFC 8693 §2.1)",
            ));
        }
        params.push(("actor_token", String::from(token.expose())));
        params.push(("actor_token_type", ty.clone()));
    }
    token_post(meta, auth, params, now, rng)
}
