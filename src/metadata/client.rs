//! RFC 7591 client metadata: the body of a dynamic registration request, the registration
//! response, and the document behind a Client ID Metadata Document `client_id` URL.

use alloc::string::String;
use alloc::vec::Vec;

use super::AdditionalMembers;
use crate::encoding::document::{DocumentError, from_slice_strict};

/// Client metadata (RFC 7591 §2, OpenID Connect Dynamic Client Registration 1.0 §2, RFC 9449 §5.2).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ClientMetadata {
    /// Client ID Metadata Documents only: the document's own URL, which is the `client_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Redirection URIs, compared by the server with exact string matching (RFC 9700 §4.1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uris: Option<Vec<String>>,
    /// `none`, `client_secret_basic`, `client_secret_post`, `client_secret_jwt`, `private_key_jwt`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<String>,
    /// Grant types the client will use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<String>>,
    /// Response types the client will use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_types: Option<Vec<String>>,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    /// Client home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_uri: Option<String>,
    /// Logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    /// Space-separated scope values the client may request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Contact e-mail addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<String>>,
    /// Terms of service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tos_uri: Option<String>,
    /// Privacy policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
    /// The client's JWK Set URL (for `private_key_jwt`). Exclusive with `jwks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// The client's JWK Set by value. Exclusive with `jwks_uri` (RFC 7591 §2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    /// Software identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_id: Option<String>,
    /// Software version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
    /// RFC 7591 §2.3 software statement (a JWT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_statement: Option<String>,
    /// OIDC Registration: `web` (default) or `native`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_type: Option<String>,
    /// OIDC Registration: JWS algorithm for ID tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_signed_response_alg: Option<String>,
    /// JWS algorithm for `private_key_jwt` / `client_secret_jwt` assertions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_signing_alg: Option<String>,
    /// RFC 9449 §5.2: the client always uses DPoP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_bound_access_tokens: Option<bool>,
    /// Every other member, as parsed.
    #[serde(flatten)]
    pub additional: AdditionalMembers,
}

impl ClientMetadata {
    /// Parses client metadata (strict JSON) and checks RFC 7591 §2's own rule that `jwks` and
    /// `jwks_uri` are not both present. Registration policy (which redirect URIs, which auth
    /// methods) is the server's, and Client ID Metadata Document rules (client_id equals the URL)
    /// are checked where the URL is known.
    ///
    /// # Errors
    /// [`DocumentError`] for malformed JSON, duplicates, wrong types or a broken rule.
    pub fn from_json(body: &[u8]) -> Result<Self, DocumentError> {
        let meta: Self = from_slice_strict(body)?;
        if meta.jwks.is_some() && meta.jwks_uri.is_some() {
            return Err(DocumentError::Invalid(
                "jwks and jwks_uri must not both be present (RFC 7591 §2)",
            ));
        }
        Ok(meta)
    }

    /// The JSON document.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A registration response (RFC 7591 §3.2.1): the issued credentials and the registered metadata.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ClientInformation {
    /// REQUIRED. The issued client identifier.
    pub client_id: String,
    /// The client secret, for confidential clients using a secret-based method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// When `client_id` was issued (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id_issued_at: Option<u64>,
    /// REQUIRED with a secret: when it expires, 0 for never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_expires_at: Option<u64>,
    /// RFC 7592 registration access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_access_token: Option<String>,
    /// RFC 7592 client configuration endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_client_uri: Option<String>,
    /// The registered metadata, as the server recorded it (it may differ from the request).
    #[serde(flatten)]
    pub metadata: ClientMetadata,
}

impl core::fmt::Debug for ClientInformation {
    /// Secrets are redacted.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientInformation")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("client_id_issued_at", &self.client_id_issued_at)
            .field("client_secret_expires_at", &self.client_secret_expires_at)
            .field(
                "registration_access_token",
                &self
                    .registration_access_token
                    .as_ref()
                    .map(|_| "<redacted>"),
            )
            .field("registration_client_uri", &self.registration_client_uri)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// A named departure from RFC 7591 §3.2.1 when reading a registration response,
/// for servers known to break one rule. The default is [`RegistrationLeniency::Strict`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegistrationLeniency {
    /// Every rule of RFC 7591 §3.2.1 applies.
    #[default]
    Strict,
    /// A `client_secret` without `client_secret_expires_at` (REQUIRED with a secret
    /// by RFC 7591 §3.2.1) is read as `client_secret_expires_at: 0`, "does not
    /// expire". Some servers (the MCP conformance suite's DCR server among them)
    /// leave it out. Every other rule still applies.
    MissingSecretExpiry,
}

impl ClientInformation {
    /// Parses a registration response (strict JSON); RFC 7591 §3.2.1 requires
    /// `client_secret_expires_at` whenever a `client_secret` is issued.
    ///
    /// # Errors
    /// [`DocumentError`] for malformed JSON, duplicates, wrong types or a broken rule.
    pub fn from_json(body: &[u8]) -> Result<Self, DocumentError> {
        Self::from_json_with(body, RegistrationLeniency::Strict)
    }

    /// As [`ClientInformation::from_json`], with one named leniency.
    ///
    /// # Errors
    /// As [`ClientInformation::from_json`], less the rule `leniency` relaxes.
    pub fn from_json_with(
        body: &[u8],
        leniency: RegistrationLeniency,
    ) -> Result<Self, DocumentError> {
        let mut info: Self = from_slice_strict(body)?;
        if info.client_id.is_empty() {
            return Err(DocumentError::Invalid("client_id: empty (RFC 7591 §3.2.1)"));
        }
        if info.client_secret.is_some() && info.client_secret_expires_at.is_none() {
            match leniency {
                // 0 = "does not expire" (RFC 7591 §3.2.1).
                RegistrationLeniency::MissingSecretExpiry => {
                    info.client_secret_expires_at = Some(0);
                }
                RegistrationLeniency::Strict => {
                    return Err(DocumentError::Invalid(
                        "client_secret_expires_at: required with client_secret (RFC 7591 §3.2.1)",
                    ));
                }
            }
        }
        if info.metadata.jwks.is_some() && info.metadata.jwks_uri.is_some() {
            return Err(DocumentError::Invalid(
                "jwks and jwks_uri must not both be present (RFC 7591 §2)",
            ));
        }
        Ok(info)
    }

    /// The JSON document.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7591_examples() {
        // RFC 7591 §3.1's request body (without the software statement).
        let req = br#"{
          "redirect_uris": [
            "https://client.example.org/callback",
            "https://client.example.org/callback2"],
          "client_name": "My Example Client",
          "client_name#ja-Jpan-JP":
             "\u30AF\u30E9\u30A4\u30A2\u30F3\u30C8\u540D",
          "token_endpoint_auth_method": "client_secret_basic",
          "logo_uri": "https://client.example.org/logo.png",
          "jwks_uri": "https://client.example.org/my_public_keys.jwks",
          "example_extension_parameter": "example_value"
        }"#;
        let m = ClientMetadata::from_json(req).unwrap();
        assert_eq!(m.redirect_uris.as_ref().unwrap().len(), 2);
        assert_eq!(m.additional["client_name#ja-Jpan-JP"], "クライアント名");
        // RFC 7591 §3.2.1's response.
        let resp = br#"{
          "client_id": "s6BhdRkqt3",
          "client_secret": "cf136dc3c1fc93f31185e5885805d",
          "client_id_issued_at": 2893256800,
          "client_secret_expires_at": 2893276800,
          "redirect_uris": [
            "https://client.example.org/callback",
            "https://client.example.org/callback2"],
          "grant_types": ["authorization_code", "refresh_token"],
          "client_name": "My Example Client",
          "client_name#ja-Jpan-JP":
             "\u30AF\u30E9\u30A4\u30A2\u30F3\u30C8\u540D",
          "token_endpoint_auth_method": "client_secret_basic",
          "logo_uri": "https://client.example.org/logo.png",
          "jwks_uri": "https://client.example.org/my_public_keys.jwks",
          "example_extension_parameter": "example_value"
        }"#;
        let info = ClientInformation::from_json(resp).unwrap();
        assert_eq!(info.client_id, "s6BhdRkqt3");
        assert_eq!(
            info.metadata.grant_types.as_ref().unwrap()[1],
            "refresh_token"
        );
        assert!(!alloc::format!("{info:?}").contains("cf136dc3"));
        assert_eq!(ClientInformation::from_json(&info.to_json()).unwrap(), info);
    }

    #[test]
    fn rules() {
        assert!(
            ClientMetadata::from_json(br#"{"jwks":{"keys":[]},"jwks_uri":"https://x"}"#).is_err()
        );
        assert!(ClientInformation::from_json(br#"{"client_id":"a","client_secret":"s"}"#).is_err());
        assert!(ClientInformation::from_json(br#"{"client_id":""}"#).is_err());
        assert!(ClientInformation::from_json(br#"{"client_id":"a","client_id":"b"}"#).is_err());
    }
}
