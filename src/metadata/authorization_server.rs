//! RFC 8414 authorization server metadata, with the members OpenID Connect Discovery 1.0 §3 and
//! later RFCs register (PAR, RFC 9207 `iss`, DPoP, device flow, mTLS, JAR, CIMD).

use alloc::string::String;
use alloc::vec::Vec;

use super::AdditionalMembers;
use crate::encoding::document::{DocumentError, from_slice_strict};

/// Authorization server metadata (RFC 8414 §2; OpenID Connect Discovery 1.0 §3).
///
/// Parsing checks the document's own rules (see [`AuthorizationServerMetadata::from_json`]);
/// a client must also check that `issuer` equals the issuer it used to build the metadata URL
/// (RFC 8414 §3.3), which the client module does in its `process_discovery_response`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AuthorizationServerMetadata {
    /// REQUIRED. The issuer identifier: an https URL with no query or fragment.
    pub issuer: String,
    /// The authorization endpoint (REQUIRED unless no grant type uses it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    /// The token endpoint (REQUIRED unless only the implicit grant is supported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    /// The JWK Set document of the server's signing keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// RFC 7591 dynamic client registration endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    /// Scope values the server supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_supported: Option<Vec<String>>,
    /// REQUIRED by RFC 8414 (we accept its absence: OAuth-only servers omit it in practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_types_supported: Option<Vec<String>>,
    /// `response_mode` values supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_modes_supported: Option<Vec<String>>,
    /// Grant types supported; absent means `["authorization_code", "implicit"]` (RFC 8414 §2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_types_supported: Option<Vec<String>>,
    /// Client authentication methods at the token endpoint; absent means `client_secret_basic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// JWS algorithms for `private_key_jwt` / `client_secret_jwt` at the token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// Human-readable documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_documentation: Option<String>,
    /// Languages supported for the user interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales_supported: Option<Vec<String>>,
    /// Policy page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_policy_uri: Option<String>,
    /// Terms of service page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_tos_uri: Option<String>,
    /// RFC 7009 revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    /// Client authentication methods at the revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// JWS algorithms for JWT client authentication at the revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// RFC 7662 introspection endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    /// Client authentication methods at the introspection endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// JWS algorithms for JWT client authentication at the introspection endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// PKCE methods supported (RFC 8414 §2, RFC 7636). MCP clients refuse a server without `S256`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// RFC 8628 device authorization endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_authorization_endpoint: Option<String>,
    /// RFC 9126 pushed authorization request endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126: authorization requests must be pushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_pushed_authorization_requests: Option<bool>,
    /// RFC 9207: the server sends `iss` in authorization responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// RFC 9449 §5.1: JWS algorithms accepted in DPoP proofs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    /// RFC 8705: mutual-TLS certificate-bound access tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// RFC 8705 §5: endpoint aliases for mutual TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtls_endpoint_aliases: Option<serde_json::Map<String, serde_json::Value>>,
    /// RFC 9101 §10.5: request objects must be signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_signed_request_object: Option<bool>,
    /// OIDC Discovery / RFC 9101: JWS algorithms for request objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_object_signing_alg_values_supported: Option<Vec<String>>,
    /// OIDC Discovery: the `request` parameter is supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_parameter_supported: Option<bool>,
    /// OIDC Discovery: the `request_uri` parameter is supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_uri_parameter_supported: Option<bool>,
    /// RFC 9396: `authorization_details` types supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details_types_supported: Option<Vec<String>>,
    /// Client ID Metadata Documents: the server accepts an https URL as `client_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id_metadata_document_supported: Option<bool>,
    /// OIDC Discovery: the UserInfo endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    /// OIDC Discovery: REQUIRED for OpenID providers; `public` and/or `pairwise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_types_supported: Option<Vec<String>>,
    /// OIDC Discovery: REQUIRED for OpenID providers; ID token JWS algorithms (must include RS256).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
    /// OIDC Discovery: UserInfo JWS algorithms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_signing_alg_values_supported: Option<Vec<String>>,
    /// OIDC Discovery: Authentication Context Class References supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_values_supported: Option<Vec<String>>,
    /// OIDC Discovery: claim names the server may supply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_supported: Option<Vec<String>>,
    /// OIDC Discovery: the `claims` parameter is supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_parameter_supported: Option<bool>,
    /// OIDC Discovery: `prompt` values supported (OIDC Prompt Create adds `create`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_values_supported: Option<Vec<String>>,
    /// OIDC RP-Initiated Logout: the end-session endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
    /// OIDC Discovery: display values supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_values_supported: Option<Vec<String>>,
    /// OIDC Discovery: claim types supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_types_supported: Option<Vec<String>>,
    /// RFC 8414 §2.1: a JWT asserting metadata values, signed by the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_metadata: Option<String>,
    /// Every other member, as parsed.
    #[serde(flatten)]
    pub additional: AdditionalMembers,
}

impl AuthorizationServerMetadata {
    /// Metadata for `issuer` with every other member absent (servers fill it in, tests build it).
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            ..Self::default()
        }
    }

    /// Parses a metadata document (strict JSON) and checks the document's own rules:
    /// `issuer` is an `https` URL (or `http` on a loopback host, for local development) with no
    /// query or fragment (RFC 8414 §2), and every endpoint member is an absolute URL without a
    /// fragment. It does NOT compare `issuer` with the expected issuer: the caller (the client's
    /// `process_discovery_response`) must, byte for byte (RFC 8414 §3.3).
    ///
    /// # Errors
    /// [`DocumentError`] for malformed JSON, duplicates, wrong member types or a broken rule.
    pub fn from_json(body: &[u8]) -> Result<Self, DocumentError> {
        let meta: Self = from_slice_strict(body)?;
        super::well_known::check_issuer_identifier(&meta.issuer).map_err(|_| {
            DocumentError::Invalid(
                "issuer: not an https URL without query or fragment (RFC 8414 §2)",
            )
        })?;
        for (name, value) in meta.endpoints() {
            if let Some(v) = value {
                super::well_known::check_endpoint_url(v)
                    .map_err(|_| DocumentError::Invalid(name))?;
            }
        }
        Ok(meta)
    }

    /// The JSON document (`application/json`).
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Whether `method` (e.g. `"S256"`) is listed in `code_challenge_methods_supported`.
    pub fn supports_pkce_method(&self, method: &str) -> bool {
        self.code_challenge_methods_supported
            .as_ref()
            .is_some_and(|m| m.iter().any(|x| x == method))
    }

    /// Whether `grant_type` is supported, applying RFC 8414's default when the member is absent.
    pub fn supports_grant_type(&self, grant_type: &str) -> bool {
        match &self.grant_types_supported {
            Some(g) => g.iter().any(|x| x == grant_type),
            None => grant_type == "authorization_code" || grant_type == "implicit",
        }
    }

    /// Whether `method` is a supported token endpoint auth method, applying RFC 8414's default
    /// (`client_secret_basic`) when the member is absent.
    pub fn supports_token_endpoint_auth_method(&self, method: &str) -> bool {
        match &self.token_endpoint_auth_methods_supported {
            Some(m) => m.iter().any(|x| x == method),
            None => method == "client_secret_basic",
        }
    }

    /// The endpoint members, with the rule each breaks when malformed.
    fn endpoints(&self) -> [(&'static str, Option<&str>); 9] {
        [
            (
                "authorization_endpoint: not an absolute URL without fragment",
                self.authorization_endpoint.as_deref(),
            ),
            (
                "token_endpoint: not an absolute URL without fragment",
                self.token_endpoint.as_deref(),
            ),
            (
                "jwks_uri: not an absolute URL without fragment",
                self.jwks_uri.as_deref(),
            ),
            (
                "registration_endpoint: not an absolute URL without fragment",
                self.registration_endpoint.as_deref(),
            ),
            (
                "revocation_endpoint: not an absolute URL without fragment",
                self.revocation_endpoint.as_deref(),
            ),
            (
                "introspection_endpoint: not an absolute URL without fragment",
                self.introspection_endpoint.as_deref(),
            ),
            (
                "device_authorization_endpoint: not an absolute URL without fragment",
                self.device_authorization_endpoint.as_deref(),
            ),
            (
                "pushed_authorization_request_endpoint: not an absolute URL without fragment",
                self.pushed_authorization_request_endpoint.as_deref(),
            ),
            (
                "userinfo_endpoint: not an absolute URL without fragment",
                self.userinfo_endpoint.as_deref(),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8414 §3.2's example response.
    const RFC8414_EXAMPLE: &str = r#"{
     "issuer":
       "https://server.example.com",
     "authorization_endpoint":
       "https://server.example.com/authorize",
     "token_endpoint":
       "https://server.example.com/token",
     "token_endpoint_auth_methods_supported":
       ["client_secret_basic", "private_key_jwt"],
     "token_endpoint_auth_signing_alg_values_supported":
       ["RS256", "ES256"],
     "userinfo_endpoint":
       "https://server.example.com/userinfo",
     "jwks_uri":
       "https://server.example.com/jwks.json",
     "registration_endpoint":
       "https://server.example.com/register",
     "scopes_supported":
       ["openid", "profile", "email", "address",
        "phone", "offline_access"],
     "response_types_supported":
       ["code", "code token"],
     "service_documentation":
       "http://server.example.com/service_documentation.html",
     "ui_locales_supported":
       ["en-US", "en-GB", "en-CA", "fr-FR", "fr-CA"]
    }"#;

    #[test]
    fn rfc8414_example_parses_and_round_trips() {
        let m = AuthorizationServerMetadata::from_json(RFC8414_EXAMPLE.as_bytes()).unwrap();
        assert_eq!(m.issuer, "https://server.example.com");
        assert_eq!(
            m.token_endpoint.as_deref(),
            Some("https://server.example.com/token")
        );
        assert!(m.supports_token_endpoint_auth_method("private_key_jwt"));
        assert!(!m.supports_pkce_method("S256"));
        assert!(m.supports_grant_type("authorization_code"));
        assert!(!m.supports_grant_type("client_credentials"));
        let again = AuthorizationServerMetadata::from_json(&m.to_json()).unwrap();
        assert_eq!(again, m);
    }

    #[test]
    fn unknown_members_are_kept() {
        let m = AuthorizationServerMetadata::from_json(
            br#"{"issuer":"https://a.example","x_vendor":{"k":[1,2]}}"#,
        )
        .unwrap();
        assert_eq!(m.additional["x_vendor"]["k"][1], 2);
        assert!(String::from_utf8(m.to_json()).unwrap().contains("x_vendor"));
    }

    #[test]
    fn rules_are_enforced() {
        for bad in [
            &br#"{"issuer":"https://a.example","issuer":"https://b.example"}"#[..],
            br#"{"issuer":"https://a.example?x=1"}"#,
            br#"{"issuer":"https://a.example#f"}"#,
            br#"{"issuer":"ftp://a.example"}"#,
            br#"{"issuer":"http://a.example"}"#,
            br#"{"issuer":"https://a.example","token_endpoint":"/token"}"#,
            br#"{"issuer":"https://a.example","scopes_supported":"openid"}"#,
            br#"{"issuer":"https://a.example","require_pushed_authorization_requests":"true"}"#,
            br#"{"token_endpoint":"https://a.example/t"}"#,
        ] {
            assert!(
                AuthorizationServerMetadata::from_json(bad).is_err(),
                "{}",
                core::str::from_utf8(bad).unwrap()
            );
        }
        assert!(
            AuthorizationServerMetadata::from_json(br#"{"issuer":"http://127.0.0.1:8080"}"#)
                .is_ok()
        );
    }
}
