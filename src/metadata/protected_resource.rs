//! RFC 9728 protected resource metadata: what an MCP server publishes so clients can find its
//! authorization servers.

use alloc::string::String;
use alloc::vec::Vec;

use super::AdditionalMembers;
use crate::encoding::document::{DocumentError, from_slice_strict};

/// Protected resource metadata (RFC 9728 §2).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ProtectedResourceMetadata {
    /// REQUIRED. The resource identifier: an https URL without fragment. A client MUST check it
    /// equals the resource it used to build the metadata URL (RFC 9728 §3.3).
    pub resource: String,
    /// Issuer identifiers of the authorization servers that can issue tokens for this resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_servers: Option<Vec<String>>,
    /// The resource's JWK Set (for signed responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// Scope values used in authorization requests for this resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_supported: Option<Vec<String>>,
    /// RFC 6750 methods accepted for presenting bearer tokens: `header`, `body`, `query`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer_methods_supported: Option<Vec<String>>,
    /// JWS algorithms the resource signs responses with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_signing_alg_values_supported: Option<Vec<String>>,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// Developer documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_documentation: Option<String>,
    /// Policy page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy_uri: Option<String>,
    /// Terms of service page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_tos_uri: Option<String>,
    /// RFC 8705 certificate-bound tokens are supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// RFC 9396 `authorization_details` types supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details_types_supported: Option<Vec<String>>,
    /// RFC 9449 JWS algorithms accepted in DPoP proofs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    /// RFC 9449: the resource always requires DPoP-bound tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_bound_access_tokens_required: Option<bool>,
    /// RFC 9728 §2.2: a JWT asserting metadata values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_metadata: Option<String>,
    /// Every other member, as parsed.
    #[serde(flatten)]
    pub additional: AdditionalMembers,
}

impl ProtectedResourceMetadata {
    /// Metadata for `resource` with every other member absent.
    pub fn new(resource: impl Into<String>) -> Self {
        Self {
            resource: resource.into(),
            ..Self::default()
        }
    }

    /// Parses a document (strict JSON) and checks its own rules: `resource` is an https (or
    /// loopback http) URL without fragment, each authorization server is a valid issuer identifier.
    /// It does NOT compare `resource` with the resource the client is accessing; the client must
    /// (RFC 9728 §3.3).
    ///
    /// # Errors
    /// [`DocumentError`] for malformed JSON, duplicates, wrong types or a broken rule.
    pub fn from_json(body: &[u8]) -> Result<Self, DocumentError> {
        let meta: Self = from_slice_strict(body)?;
        super::well_known::check_endpoint_url(&meta.resource).map_err(|_| {
            DocumentError::Invalid("resource: not an https URL without fragment (RFC 9728 §2)")
        })?;
        for issuer in meta.authorization_servers.iter().flatten() {
            super::well_known::check_issuer_identifier(issuer).map_err(|_| {
                DocumentError::Invalid(
                    "authorization_servers: not an issuer identifier (RFC 8414 §2)",
                )
            })?;
        }
        Ok(meta)
    }

    /// The JSON document (`application/json`).
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9728_example() {
        // RFC 9728 §3.2's example response.
        let doc = br#"{
         "resource":
           "https://resource.example.com",
         "authorization_servers":
           ["https://as1.example.com",
            "https://as2.example.net"],
         "bearer_methods_supported":
           ["header", "body"],
         "scopes_supported":
           ["profile", "email", "phone"],
         "resource_documentation":
           "https://resource.example.com/resource_documentation.html"
        }"#;
        let m = ProtectedResourceMetadata::from_json(doc).unwrap();
        assert_eq!(m.authorization_servers.as_ref().unwrap().len(), 2);
        assert_eq!(
            ProtectedResourceMetadata::from_json(&m.to_json()).unwrap(),
            m
        );
    }

    #[test]
    fn rules() {
        for bad in [
            &br#"{"resource":"https://r.example","resource":"https://s.example"}"#[..],
            br#"{"resource":"https://r.example#x"}"#,
            br#"{"resource":"https://r.example","authorization_servers":["https://a?x"]}"#,
            br#"{"authorization_servers":[]}"#,
            br#"{"resource":"https://r.example","authorization_servers":"https://a.example"}"#,
        ] {
            assert!(ProtectedResourceMetadata::from_json(bad).is_err());
        }
    }
}
