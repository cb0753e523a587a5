//! Dynamic client registration (RFC 7591): parse the request, let the caller's policy decide,
//! issue `client_id` (and a secret when the method needs one), render the 201 response.
//!
//! ```text
//! let metadata = parse_registration_request(&http_req)?;       // strict JSON ClientMetadata
//! // policy hook: inspect `metadata` here (software statement, rate limits, trust), then
//! let registered = register_client(&policy, metadata, now, rng)?;
//! store.put_client(registered.client);                          // RegisteredClient, secret hashed
//! return registered.response;                                   // 201 ClientInformation
//! ```

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::client::{ApplicationType, ClientSecret, RegisteredClient, TokenEndpointAuthMethod};
use super::error::json_error_response;
use crate::encoding::document::DocumentError;
use crate::error::ErrorCode;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::jose::{Algorithm, JwkSet, JwkSetOptions};
use crate::metadata::{ClientInformation, ClientMetadata};
use crate::rand::SecureRandom;
use crate::time::{Duration, UnixTime};

/// The largest registration request body accepted, in bytes.
pub const MAX_REGISTRATION_LEN: usize = 64 * 1024;

/// Why a registration was refused (RFC 7591 §3.2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegistrationError {
    /// Not a POST with an `application/json` body.
    NotJson,
    /// The body is not strict JSON client metadata (RFC 7591 §3.1).
    Document(DocumentError),
    /// A redirect URI is refused: names the rule (RFC 7591 §3.2.2 `invalid_redirect_uri`).
    InvalidRedirectUri(&'static str),
    /// A metadata value is refused: names the rule (RFC 7591 §3.2.2 `invalid_client_metadata`).
    InvalidClientMetadata(&'static str),
    /// Software statements are not processed by this server (RFC 7591 §3.2.2).
    SoftwareStatementNotSupported,
    /// The random source failed.
    Random,
}

impl RegistrationError {
    /// The OAuth `error` code (RFC 7591 §3.2.2).
    #[must_use]
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::NotJson => ErrorCode::InvalidRequest,
            Self::InvalidRedirectUri(_) => ErrorCode::InvalidRedirectUri,
            Self::SoftwareStatementNotSupported => ErrorCode::InvalidSoftwareStatement,
            Self::Random => ErrorCode::ServerError,
            Self::Document(_) | Self::InvalidClientMetadata(_) => ErrorCode::InvalidClientMetadata,
        }
    }

    /// The 400 JSON error response (RFC 7591 §3.2.2).
    #[must_use]
    pub fn to_response(&self) -> HttpResponse {
        json_error_response(self.error_code(), &self.to_string())
    }
}

impl fmt::Display for RegistrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => f.write_str(
                "registration request must be a POST with an application/json body (RFC 7591 §3.1)",
            ),
            Self::Document(e) => write!(f, "client metadata: {e} (RFC 7591 §3.1)"),
            Self::InvalidRedirectUri(r) => write!(f, "redirect_uris: {r} (RFC 7591 §2)"),
            Self::InvalidClientMetadata(r) => write!(f, "{r} (RFC 7591 §2)"),
            Self::SoftwareStatementNotSupported => {
                f.write_str("software_statement is not supported (RFC 7591 §3.2.2)")
            }
            Self::Random => f.write_str("random source failed"),
        }
    }
}

impl core::error::Error for RegistrationError {}

/// What may be registered. [`RegistrationPolicy::new`] gives the secure defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RegistrationPolicy {
    /// Methods a client may register (default: `none`, `client_secret_basic`, `private_key_jwt`).
    pub auth_methods: Vec<TokenEndpointAuthMethod>,
    /// Grant types a client may register (default: `authorization_code`, `refresh_token`).
    pub grant_types: Vec<String>,
    /// Scope values a client may register; a request without `scope` gets all of them.
    pub scopes: Vec<String>,
    /// Resources registered clients may request (RFC 8707); copied to each client.
    pub resources: Vec<String>,
    /// Require `application_type` (the MCP 2026-07-28 revision makes clients send it).
    pub require_application_type: bool,
    /// Native clients may use `http://localhost` redirect URIs (matched exactly; loopback IP
    /// literals are always allowed for native clients, RFC 8252 §7.3).
    pub allow_localhost_name: bool,
    /// Lifetime of issued secrets (`None`: they do not expire, `client_secret_expires_at` 0).
    pub secret_lifetime: Option<Duration>,
}

impl RegistrationPolicy {
    /// Secure defaults (see the field docs).
    #[must_use]
    pub fn new() -> Self {
        Self {
            auth_methods: vec![
                TokenEndpointAuthMethod::None,
                TokenEndpointAuthMethod::ClientSecretBasic,
                TokenEndpointAuthMethod::PrivateKeyJwt,
            ],
            grant_types: vec!["authorization_code".into(), "refresh_token".into()],
            scopes: Vec::new(),
            resources: Vec::new(),
            require_application_type: false,
            allow_localhost_name: true,
            secret_lifetime: None,
        }
    }
}

impl Default for RegistrationPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads a registration request: POST, `application/json`, strict JSON client metadata
/// ([`ClientMetadata::from_json`]: no duplicates, right types, not both `jwks` and `jwks_uri`).
///
/// # Errors
/// [`RegistrationError::NotJson`] or [`RegistrationError::Document`].
pub fn parse_registration_request(
    request: &HttpRequest,
) -> Result<ClientMetadata, RegistrationError> {
    let json = request
        .header("content-type")
        .is_some_and(crate::http::media_type_is_json);
    if request.method != Method::Post || !json {
        return Err(RegistrationError::NotJson);
    }
    if request.body.len() > MAX_REGISTRATION_LEN {
        return Err(RegistrationError::Document(DocumentError::TooLarge));
    }
    ClientMetadata::from_json(&request.body).map_err(RegistrationError::Document)
}

/// A registered client: the response to send and the client to store.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Registration {
    /// 201 with the [`ClientInformation`] (RFC 7591 §3.2.1), `Cache-Control: no-store`.
    pub response: HttpResponse,
    /// The client to store (its secret as a SHA-256 verifier, or as itself for
    /// `client_secret_jwt`).
    pub client: RegisteredClient,
    /// The response document (holds the plaintext secret: do not log it).
    pub information: ClientInformation,
}

/// Parameters the authorization response appends to the redirect URI.
const RESPONSE_PARAMS: &[&str] = &[
    "code",
    "state",
    "iss",
    "error",
    "error_description",
    "error_uri",
];

/// Checks one redirect URI (RFC 7591 §2, RFC 8252 §7, OAuth 2.1 §2.3.1, RFC 9700 §4.1.1):
/// absolute, no fragment, no userinfo; `https`, or for native clients `http` on a loopback IP
/// literal (or `localhost` if allowed) or a private-use scheme with a `.` in it (RFC 8252 §7.1,
/// reverse domain name). Dangerous schemes (`javascript`, `data`, `file`, ...) never pass.
///
/// # Errors
/// [`RegistrationError::InvalidRedirectUri`] naming the rule.
pub fn check_redirect_uri(
    uri: &str,
    application_type: ApplicationType,
    policy: &RegistrationPolicy,
) -> Result<(), RegistrationError> {
    let bad = RegistrationError::InvalidRedirectUri;
    let url = url::Url::parse(uri).map_err(|_| bad("not an absolute URI"))?;
    if uri.contains('#') {
        return Err(bad("must not contain a fragment (RFC 6749 §3.1.2)"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain userinfo"));
    }
    // The authorization response adds these to the query (RFC 6749 §4.1.2, §4.1.2.1, RFC 9207);
    // a registered URI already carrying one could never receive a response.
    if url
        .query_pairs()
        .any(|(k, _)| RESPONSE_PARAMS.contains(&k.as_ref()))
    {
        return Err(bad("query must not hold authorization response parameters"));
    }
    let native = application_type == ApplicationType::Native;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if native => match url.host() {
            Some(url::Host::Ipv4(a)) if a.is_loopback() => Ok(()),
            Some(url::Host::Ipv6(a)) if a.is_loopback() => Ok(()),
            Some(url::Host::Domain(d))
                if policy.allow_localhost_name && d.eq_ignore_ascii_case("localhost") =>
            {
                Ok(())
            }
            _ => Err(bad(
                "http is only allowed on a loopback address (RFC 8252 §7.3)",
            )),
        },
        "http" => Err(bad("web clients must use https (OAuth 2.1 §2.3.1)")),
        s if native
            && s.contains('.')
            && !matches!(s, "javascript" | "data" | "file" | "vbscript" | "blob") =>
        {
            Ok(())
        }
        _ => Err(bad("scheme not allowed (RFC 8252 §7.1, RFC 9700 §4.1.1)")),
    }
}

/// Registers a client from `metadata` under `policy`, drawing `client_id` (128 bits) and any
/// secret (256 bits) from `rng`.
///
/// Checks: no software statement; `application_type` `web`/`native` (required if the policy says
/// so); `token_endpoint_auth_method` (RFC 7591 §2 default `client_secret_basic`) allowed, with
/// `jwks` or `jwks_uri` for `private_key_jwt` (and a parsable `jwks`); grant types allowed
/// (default `authorization_code`), response types only `code` and consistent with the grants
/// (RFC 7591 §2.1); redirect URIs present for the code grant and each valid
/// ([`check_redirect_uri`]); scopes allowed.
///
/// # Errors
/// [`RegistrationError`]; render with [`RegistrationError::to_response`].
pub fn register_client(
    policy: &RegistrationPolicy,
    metadata: ClientMetadata,
    now: UnixTime,
    rng: &mut impl SecureRandom,
) -> Result<Registration, RegistrationError> {
    let bad = RegistrationError::InvalidClientMetadata;
    let mut meta = metadata;
    if meta.software_statement.is_some() {
        return Err(RegistrationError::SoftwareStatementNotSupported);
    }
    // A registration request cannot choose its own identifier or secret.
    // Every member of the RFC 7591 §3.2.1 response that is not client metadata is the
    // server's to issue; one in the request would also be rendered twice in the response
    // (found by the registration_request fuzz target: client_secret_expires_at).
    if meta.client_id.is_some()
        || [
            "client_secret",
            "client_id_issued_at",
            "client_secret_expires_at",
            "registration_access_token",
            "registration_client_uri",
        ]
        .iter()
        .any(|k| meta.additional.contains_key(*k))
    {
        return Err(bad("client_id and client_secret are issued by the server"));
    }
    let application_type = match meta.application_type.as_deref() {
        Some(t) => {
            ApplicationType::from_name(t).ok_or(bad("application_type must be web or native"))?
        }
        None if policy.require_application_type => return Err(bad("application_type is required")),
        None => ApplicationType::Web,
    };
    // RFC 7591 §2: the default method is client_secret_basic.
    let method_name = meta
        .token_endpoint_auth_method
        .as_deref()
        .unwrap_or("client_secret_basic");
    let method = TokenEndpointAuthMethod::from_name(method_name)
        .filter(|m| policy.auth_methods.contains(m))
        .ok_or(bad("token_endpoint_auth_method not allowed"))?;
    let jwks = match (&meta.jwks, method) {
        (Some(j), _) => {
            let text = serde_json::to_vec(j).map_err(|_| bad("jwks"))?;
            let set = JwkSet::parse(&text, &JwkSetOptions::default())
                .map_err(|_| bad("jwks: not a usable JWK Set"))?;
            if set.keys().iter().any(|k| k.algorithm().is_symmetric()) {
                return Err(bad("jwks must hold public keys only"));
            }
            // RFC 7523 §3 / RFC 7517 §5: the set parser skips keys it cannot use
            // (oct without alg, use=enc, unknown kty); a private_key_jwt client whose
            // every key was skipped could never authenticate, so refuse it now.
            if method == TokenEndpointAuthMethod::PrivateKeyJwt && set.is_empty() {
                return Err(bad("jwks: no usable signature key for private_key_jwt"));
            }
            Some(set)
        }
        (None, TokenEndpointAuthMethod::PrivateKeyJwt) if meta.jwks_uri.is_none() => {
            return Err(bad("private_key_jwt needs jwks or jwks_uri"));
        }
        _ => None,
    };
    if let Some(u) = &meta.jwks_uri {
        crate::metadata::well_known::check_endpoint_url(u)
            .map_err(|_| bad("jwks_uri must be an https URL"))?;
    }
    let signing_alg = match meta.token_endpoint_auth_signing_alg.as_deref() {
        Some(a) => {
            Some(Algorithm::from_name(a.as_bytes()).ok_or(bad("token_endpoint_auth_signing_alg"))?)
        }
        None => None,
    };
    let grant_types = meta
        .grant_types
        .clone()
        .unwrap_or_else(|| vec!["authorization_code".into()]);
    if grant_types.is_empty() || grant_types.iter().any(|g| !policy.grant_types.contains(g)) {
        return Err(bad("grant_types not allowed"));
    }
    let code_grant = grant_types.iter().any(|g| g == "authorization_code");
    let response_types = meta.response_types.clone().unwrap_or_else(|| {
        if code_grant {
            vec!["code".into()]
        } else {
            Vec::new()
        }
    });
    // OAuth 2.1: only the code response type; RFC 7591 §2.1: it goes with authorization_code.
    if response_types.iter().any(|r| r != "code") || code_grant == response_types.is_empty() {
        return Err(bad(
            "response_types must be [\"code\"] with the authorization_code grant (RFC 7591 §2.1)",
        ));
    }
    let redirect_uris = meta.redirect_uris.clone().unwrap_or_default();
    if code_grant && redirect_uris.is_empty() {
        return Err(RegistrationError::InvalidRedirectUri(
            "required for the authorization_code grant",
        ));
    }
    for uri in &redirect_uris {
        check_redirect_uri(uri, application_type, policy)?;
    }
    let scopes: Vec<String> = match meta.scope.as_deref() {
        Some(s) => {
            let list: Vec<String> = s.split(' ').map(ToString::to_string).collect();
            if list
                .iter()
                .any(|x| x.is_empty() || !policy.scopes.contains(x))
            {
                return Err(bad("scope not allowed"));
            }
            list
        }
        None => policy.scopes.clone(),
    };

    // RFC 9126 §6: a client may ask that its requests be accepted through PAR only.
    let require_par = match meta.additional.get("require_pushed_authorization_requests") {
        None => false,
        Some(v) => v.as_bool().ok_or(bad(
            "require_pushed_authorization_requests must be a boolean",
        ))?,
    };

    let client_id = random_text(rng, 16)?;
    let secret = if method.uses_secret() {
        Some(random_text(rng, 32)?)
    } else {
        None
    };
    let expires_at = match (&secret, policy.secret_lifetime) {
        (Some(_), Some(l)) => Some(now.saturating_add(l)),
        _ => None,
    };

    // The registered metadata, defaults made explicit (RFC 7591 §3.2.1).
    meta.token_endpoint_auth_method = Some(method.as_str().into());
    meta.grant_types = Some(grant_types.clone());
    meta.response_types = Some(response_types);
    meta.application_type = Some(application_type.as_str().into());
    if !scopes.is_empty() {
        meta.scope = Some(scopes.join(" "));
    }
    let information = ClientInformation {
        client_id: client_id.clone(),
        client_secret: secret.clone(),
        client_id_issued_at: Some(now.as_secs()),
        client_secret_expires_at: secret
            .as_ref()
            .map(|_| expires_at.map_or(0, UnixTime::as_secs)),
        registration_access_token: None,
        registration_client_uri: None,
        metadata: meta.clone(),
    };
    let mut client = RegisteredClient::confidential(client_id, method, redirect_uris);
    client.secret = secret.as_deref().map(|s| {
        if method == TokenEndpointAuthMethod::ClientSecretJwt {
            ClientSecret::plaintext(s)
        } else {
            ClientSecret::sha256_verifier(s)
        }
    });
    client.secret_expires_at = expires_at;
    client.jwks = jwks.map(Arc::new);
    client.jwks_uri = meta.jwks_uri.clone();
    client.token_endpoint_auth_signing_alg = signing_alg;
    client.application_type = application_type;
    client.grant_types = grant_types;
    client.allowed_scopes = scopes;
    client.allowed_resources = policy.resources.clone();
    client.dpop_bound_access_tokens = meta.dpop_bound_access_tokens.unwrap_or(false);
    client.require_pushed_authorization_requests = require_par;
    client.client_name = meta.client_name.clone();

    let response = HttpResponse::json(201, information.to_json());
    let response = response
        .clone()
        .with_header("Cache-Control", "no-store")
        .unwrap_or(response);
    Ok(Registration {
        response,
        client,
        information,
    })
}

fn random_text(rng: &mut impl SecureRandom, len: usize) -> Result<String, RegistrationError> {
    let mut bytes = vec![0u8; len];
    rng.fill(&mut bytes)
        .map_err(|_| RegistrationError::Random)?;
    Ok(crate::encoding::base64url::encode_string(&bytes))
}
