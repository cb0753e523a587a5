//! Publishing the server's metadata: RFC 8414 authorization server metadata and OpenID Connect
//! Discovery 1.0 documents generated from one configuration, and the well-known URLs to serve
//! them at.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::client::TokenEndpointAuthMethod;
use crate::http::HttpResponse;
use crate::jose::Algorithm;
use crate::metadata::AuthorizationServerMetadata;
use crate::metadata::well_known::{
    WellKnownError, authorization_server_metadata_urls, check_endpoint_url, check_issuer_identifier,
};

/// What the server offers. Build with [`ServerConfig::new`] and set the fields.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The issuer identifier (RFC 8414 §2).
    pub issuer: String,
    /// Authorization endpoint URL.
    pub authorization_endpoint: String,
    /// Token endpoint URL.
    pub token_endpoint: String,
    /// JWKS URL (the signing keys' public halves).
    pub jwks_uri: Option<String>,
    /// RFC 7591 registration endpoint, if dynamic registration is offered.
    pub registration_endpoint: Option<String>,
    /// RFC 9126 PAR endpoint.
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126 §5: only pushed requests are accepted.
    pub require_pushed_authorization_requests: bool,
    /// RFC 7662 introspection endpoint.
    pub introspection_endpoint: Option<String>,
    /// RFC 7009 revocation endpoint.
    pub revocation_endpoint: Option<String>,
    /// RFC 8628 device authorization endpoint.
    pub device_authorization_endpoint: Option<String>,
    /// OIDC UserInfo endpoint.
    pub userinfo_endpoint: Option<String>,
    /// Scope values offered.
    pub scopes_supported: Vec<String>,
    /// Grant types offered (default `authorization_code`, `refresh_token`).
    pub grant_types_supported: Vec<String>,
    /// Client authentication methods at the token endpoint (and introspection, revocation).
    pub token_endpoint_auth_methods: Vec<TokenEndpointAuthMethod>,
    /// Algorithms accepted for `private_key_jwt` / `client_secret_jwt` assertions.
    pub token_endpoint_auth_signing_algs: Vec<Algorithm>,
    /// RFC 9449 §5.1: DPoP proof algorithms accepted (empty: DPoP not offered).
    pub dpop_signing_algs: Vec<Algorithm>,
    /// Algorithms used to sign ID tokens (OIDC; required in the OIDC document).
    pub id_token_signing_algs: Vec<Algorithm>,
    /// RFC 9101: request objects accepted, and their algorithms.
    pub request_object_signing_algs: Vec<Algorithm>,
    /// Client ID Metadata Documents supported (`client_id_metadata_document_supported`).
    pub client_id_metadata_document_supported: bool,
    /// OIDC `subject_types_supported` (default `public`).
    pub subject_types_supported: Vec<String>,
}

impl ServerConfig {
    /// A configuration with the two required endpoints; grant types `authorization_code` and
    /// `refresh_token`, client authentication `none` and `private_key_jwt` (ES256), ID tokens
    /// ES256, subject type `public`.
    #[must_use]
    pub fn new(
        issuer: impl Into<String>,
        authorization_endpoint: impl Into<String>,
        token_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            authorization_endpoint: authorization_endpoint.into(),
            token_endpoint: token_endpoint.into(),
            jwks_uri: None,
            registration_endpoint: None,
            pushed_authorization_request_endpoint: None,
            require_pushed_authorization_requests: false,
            introspection_endpoint: None,
            revocation_endpoint: None,
            device_authorization_endpoint: None,
            userinfo_endpoint: None,
            scopes_supported: Vec::new(),
            grant_types_supported: alloc::vec!["authorization_code".into(), "refresh_token".into()],
            token_endpoint_auth_methods: alloc::vec![
                TokenEndpointAuthMethod::None,
                TokenEndpointAuthMethod::PrivateKeyJwt
            ],
            token_endpoint_auth_signing_algs: alloc::vec![Algorithm::ES256],
            dpop_signing_algs: Vec::new(),
            id_token_signing_algs: alloc::vec![Algorithm::ES256],
            request_object_signing_algs: Vec::new(),
            client_id_metadata_document_supported: false,
            subject_types_supported: alloc::vec!["public".into()],
        }
    }
}

/// A configuration value that cannot be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataError {
    /// The issuer is not an https URL without query or fragment (RFC 8414 §2).
    Issuer(WellKnownError),
    /// An endpoint is not an absolute https URL without fragment: names the member.
    Endpoint(&'static str, WellKnownError),
    /// PAR is required but no PAR endpoint is configured (RFC 9126 §5).
    ParRequiredWithoutEndpoint,
    /// An algorithm list names a symmetric algorithm where only asymmetric ones make sense
    /// (DPoP, ID tokens, `private_key_jwt`-only method lists): names the member.
    Algorithm(&'static str),
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Issuer(e) => write!(f, "issuer: {e} (RFC 8414 §2)"),
            Self::Endpoint(m, e) => write!(f, "{m}: {e} (RFC 8414 §2)"),
            Self::ParRequiredWithoutEndpoint => f.write_str(
                "require_pushed_authorization_requests needs a PAR endpoint (RFC 9126 §5)",
            ),
            Self::Algorithm(m) => write!(f, "{m}: symmetric algorithm not allowed here"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for MetadataError {}

fn names(algs: &[Algorithm]) -> Option<Vec<String>> {
    (!algs.is_empty()).then(|| algs.iter().map(|a| a.name().into()).collect())
}

fn non_empty(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// The RFC 8414 document for `config`: every endpoint checked (https, no fragment), PKCE
/// `S256` only (`code_challenge_methods_supported`, which MCP clients require), `response_types`
/// `code`, `response_modes` `query`, `authorization_response_iss_parameter_supported` true (the
/// authorization endpoint always sends `iss`, RFC 9207 §3), the same auth methods for the token,
/// introspection and revocation endpoints.
///
/// # Errors
/// [`MetadataError`] for a value that cannot be published.
pub fn authorization_server_metadata(
    config: &ServerConfig,
) -> Result<AuthorizationServerMetadata, MetadataError> {
    check_issuer_identifier(&config.issuer).map_err(MetadataError::Issuer)?;
    let endpoints: [(&'static str, Option<&String>); 9] = [
        (
            "authorization_endpoint",
            Some(&config.authorization_endpoint),
        ),
        ("token_endpoint", Some(&config.token_endpoint)),
        ("jwks_uri", config.jwks_uri.as_ref()),
        (
            "registration_endpoint",
            config.registration_endpoint.as_ref(),
        ),
        (
            "pushed_authorization_request_endpoint",
            config.pushed_authorization_request_endpoint.as_ref(),
        ),
        (
            "introspection_endpoint",
            config.introspection_endpoint.as_ref(),
        ),
        ("revocation_endpoint", config.revocation_endpoint.as_ref()),
        (
            "device_authorization_endpoint",
            config.device_authorization_endpoint.as_ref(),
        ),
        ("userinfo_endpoint", config.userinfo_endpoint.as_ref()),
    ];
    for (name, value) in endpoints {
        if let Some(v) = value {
            check_endpoint_url(v).map_err(|e| MetadataError::Endpoint(name, e))?;
        }
    }
    if config.require_pushed_authorization_requests
        && config.pushed_authorization_request_endpoint.is_none()
    {
        return Err(MetadataError::ParRequiredWithoutEndpoint);
    }
    for (name, algs) in [
        (
            "dpop_signing_alg_values_supported",
            &config.dpop_signing_algs,
        ),
        (
            "id_token_signing_alg_values_supported",
            &config.id_token_signing_algs,
        ),
        (
            "request_object_signing_alg_values_supported",
            &config.request_object_signing_algs,
        ),
    ] {
        if algs.iter().any(|a| a.is_symmetric()) {
            return Err(MetadataError::Algorithm(name));
        }
    }
    let methods: Vec<String> = config
        .token_endpoint_auth_methods
        .iter()
        .map(|m| m.as_str().into())
        .collect();
    let uses_jwt = config.token_endpoint_auth_methods.iter().any(|m| {
        matches!(
            m,
            TokenEndpointAuthMethod::PrivateKeyJwt | TokenEndpointAuthMethod::ClientSecretJwt
        )
    });
    let auth_algs = if uses_jwt {
        names(&config.token_endpoint_auth_signing_algs)
    } else {
        None
    };
    let mut m = AuthorizationServerMetadata::new(config.issuer.clone());
    m.authorization_endpoint = Some(config.authorization_endpoint.clone());
    m.token_endpoint = Some(config.token_endpoint.clone());
    m.jwks_uri = config.jwks_uri.clone();
    m.registration_endpoint = config.registration_endpoint.clone();
    m.scopes_supported = non_empty(&config.scopes_supported);
    m.response_types_supported = Some(alloc::vec!["code".into()]);
    m.response_modes_supported = Some(alloc::vec!["query".into()]);
    m.grant_types_supported = non_empty(&config.grant_types_supported);
    m.token_endpoint_auth_methods_supported = non_empty(&methods);
    m.token_endpoint_auth_signing_alg_values_supported = auth_algs.clone();
    // RFC 7636 §4.3 / RFC 9700 §2.1.1: S256 only; MCP clients refuse an AS without this member.
    m.code_challenge_methods_supported = Some(alloc::vec!["S256".into()]);
    // RFC 9207 §3: every authorization response carries iss.
    m.authorization_response_iss_parameter_supported = Some(true);
    m.pushed_authorization_request_endpoint = config.pushed_authorization_request_endpoint.clone();
    if config.pushed_authorization_request_endpoint.is_some() {
        m.require_pushed_authorization_requests =
            Some(config.require_pushed_authorization_requests);
    }
    m.introspection_endpoint = config.introspection_endpoint.clone();
    m.revocation_endpoint = config.revocation_endpoint.clone();
    if m.introspection_endpoint.is_some() {
        m.introspection_endpoint_auth_methods_supported = non_empty(&methods);
        m.introspection_endpoint_auth_signing_alg_values_supported = auth_algs.clone();
    }
    if m.revocation_endpoint.is_some() {
        m.revocation_endpoint_auth_methods_supported = non_empty(&methods);
        m.revocation_endpoint_auth_signing_alg_values_supported = auth_algs;
    }
    m.device_authorization_endpoint = config.device_authorization_endpoint.clone();
    m.dpop_signing_alg_values_supported = names(&config.dpop_signing_algs);
    if !config.request_object_signing_algs.is_empty() {
        m.request_parameter_supported = Some(true);
        m.request_object_signing_alg_values_supported = names(&config.request_object_signing_algs);
    }
    if config.client_id_metadata_document_supported {
        m.client_id_metadata_document_supported = Some(true);
    }
    Ok(m)
}

/// The OpenID Connect Discovery 1.0 document: [`authorization_server_metadata`] plus the members
/// OIDC Discovery §3 requires (`subject_types_supported`, `id_token_signing_alg_values_supported`)
/// and the UserInfo endpoint.
///
/// # Errors
/// As [`authorization_server_metadata`].
pub fn openid_configuration(
    config: &ServerConfig,
) -> Result<AuthorizationServerMetadata, MetadataError> {
    let mut m = authorization_server_metadata(config)?;
    m.userinfo_endpoint = config.userinfo_endpoint.clone();
    m.subject_types_supported = Some(if config.subject_types_supported.is_empty() {
        alloc::vec!["public".into()]
    } else {
        config.subject_types_supported.clone()
    });
    m.id_token_signing_alg_values_supported = Some(
        names(&config.id_token_signing_algs)
            .unwrap_or_else(|| alloc::vec![Algorithm::ES256.name().into()]),
    );
    Ok(m)
}

/// The URLs to serve the metadata at, in the MCP client probe order (RFC 8414 §3.1 path
/// insertion, then the OIDC forms): serve the same document at each
/// ([`crate::metadata::well_known::authorization_server_metadata_urls`]).
///
/// # Errors
/// [`MetadataError::Issuer`].
pub fn well_known_urls(issuer: &str) -> Result<Vec<String>, MetadataError> {
    authorization_server_metadata_urls(issuer).map_err(MetadataError::Issuer)
}

/// The 200 response carrying a metadata document (`application/json`).
#[must_use]
pub fn metadata_response(metadata: &AuthorizationServerMetadata) -> HttpResponse {
    HttpResponse::json(200, metadata.to_json())
}
