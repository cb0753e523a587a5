//! Client authentication at the token, PAR, revocation and introspection endpoints: `none`
//! (RFC 6749 §2.2), `client_secret_basic` and `client_secret_post` (RFC 6749 §2.3.1),
//! `client_secret_jwt` and `private_key_jwt` (RFC 7523 §2.2, §3; OIDC Core §9).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::ClientError;
use super::common::{Secret, random_string};
use crate::encoding::form;
use crate::http::HttpRequest;
use crate::jose::{Algorithm, SigningKey, sign_jwt};
use crate::metadata::AuthorizationServerMetadata;
use crate::rand::SecureRandom;
use crate::time::{Duration, UnixTime};

/// Default lifetime of a client assertion: 60 seconds (RFC 7523 §3 asks for a short `exp`).
pub const DEFAULT_ASSERTION_LIFETIME: Duration = Duration::from_secs(60);

/// The `client_assertion_type` of RFC 7523 §2.2.
pub const JWT_BEARER_ASSERTION_TYPE: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

enum Method {
    None,
    Basic(Secret),
    Post(Secret),
    SecretJwt(SigningKey),
    PrivateKeyJwt(SigningKey),
}

/// How the client authenticates to the authorization server, applied the same way to every
/// back-channel request this module builds (token, PAR, revocation, introspection).
///
/// `Debug` shows the client id and the method, never a secret.
pub struct ClientAuth {
    client_id: String,
    method: Method,
    assertion_lifetime: Duration,
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAuth")
            .field("client_id", &self.client_id)
            .field("method", &self.method_name())
            .finish_non_exhaustive()
    }
}

impl ClientAuth {
    fn with(client_id: impl Into<String>, method: Method) -> Self {
        Self {
            client_id: client_id.into(),
            method,
            assertion_lifetime: DEFAULT_ASSERTION_LIFETIME,
        }
    }

    /// A public client (`none`): `client_id` goes in the request body (RFC 6749 §2.2, §3.2.1).
    #[must_use]
    pub fn none(client_id: impl Into<String>) -> Self {
        Self::with(client_id, Method::None)
    }

    /// `client_secret_basic` (RFC 6749 §2.3.1): HTTP Basic with the id and secret each
    /// form-urlencoded before base64 ([`form::basic_auth_credentials`]).
    #[must_use]
    pub fn client_secret_basic(client_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::with(client_id, Method::Basic(secret.into()))
    }

    /// `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the body.
    #[must_use]
    pub fn client_secret_post(client_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::with(client_id, Method::Post(secret.into()))
    }

    /// `client_secret_jwt` (OIDC Core §9, RFC 7523 §2.2): an HS256 assertion keyed with the secret.
    ///
    /// # Errors
    /// [`ClientError::Key`] when the secret is shorter than 32 bytes (RFC 7518 §3.2).
    pub fn client_secret_jwt(
        client_id: impl Into<String>,
        secret: &Secret,
    ) -> Result<Self, ClientError> {
        let key = SigningKey::hmac(Algorithm::HS256, secret.expose().as_bytes())?;
        Ok(Self::with(client_id, Method::SecretJwt(key)))
    }

    /// `private_key_jwt` (RFC 7523 §2.2, §3): an assertion signed with `key` (its algorithm and
    /// `kid` are used as they are).
    #[must_use]
    pub fn private_key_jwt(client_id: impl Into<String>, key: SigningKey) -> Self {
        Self::with(client_id, Method::PrivateKeyJwt(key))
    }

    /// Sets the assertion lifetime (`exp - iat`) for the JWT methods; the default is
    /// [`DEFAULT_ASSERTION_LIFETIME`].
    #[must_use]
    pub fn with_assertion_lifetime(mut self, lifetime: Duration) -> Self {
        self.assertion_lifetime = lifetime;
        self
    }

    /// The client identifier.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The `token_endpoint_auth_method` name (RFC 7591 §2).
    #[must_use]
    pub fn method_name(&self) -> &'static str {
        match self.method {
            Method::None => "none",
            Method::Basic(_) => "client_secret_basic",
            Method::Post(_) => "client_secret_post",
            Method::SecretJwt(_) => "client_secret_jwt",
            Method::PrivateKeyJwt(_) => "private_key_jwt",
        }
    }

    /// Whether `meta` advertises this method in `token_endpoint_auth_methods_supported` (RFC
    /// 8414 §2; `client_secret_basic` when absent) and, for the JWT methods, this key's algorithm
    /// in `token_endpoint_auth_signing_alg_values_supported` when that is present. Servers may
    /// accept more than they list: this is for choosing a method, and for the MCP
    /// client-credentials extension's requirement that the method be advertised.
    #[must_use]
    pub fn is_advertised_by(&self, meta: &AuthorizationServerMetadata) -> bool {
        if !meta.supports_token_endpoint_auth_method(self.method_name()) {
            return false;
        }
        match (
            &self.method,
            &meta.token_endpoint_auth_signing_alg_values_supported,
        ) {
            (Method::SecretJwt(key) | Method::PrivateKeyJwt(key), Some(algs)) => {
                algs.iter().any(|a| a == key.algorithm().name())
            }
            _ => true,
        }
    }

    /// Signs a client assertion (RFC 7523 §3): `iss` = `sub` = client id, `aud` = the
    /// authorization server's issuer identifier, a random `jti`, `iat` = `now`,
    /// `exp` = `now` + the assertion lifetime.
    ///
    /// Q: `aud` the token endpoint URL or the issuer? A: the issuer identifier, per
    /// draft-ietf-oauth-rfc7523bis (audience injection attacks): a single value, never an array.
    fn assertion(
        &self,
        key: &SigningKey,
        issuer: &str,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<String, ClientError> {
        let jti = random_string(rng, 32)?;
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": issuer,
            "jti": jti,
            "iat": now.as_secs(),
            "exp": now.saturating_add(self.assertion_lifetime).as_secs(),
        });
        Ok(sign_jwt(&claims, key, None)?)
    }

    /// Builds a POST to `url` with `params` plus this client's credentials, `Accept:
    /// application/json`. `issuer` is the authorization server's issuer identifier (the assertion
    /// audience).
    pub(crate) fn post(
        &self,
        url: &str,
        mut params: Vec<(&str, String)>,
        issuer: &str,
        now: UnixTime,
        rng: &mut impl SecureRandom,
    ) -> Result<HttpRequest, ClientError> {
        let mut authorization = None;
        // A PAR body already carries `client_id` as an authorization request parameter.
        let has_client_id = params.iter().any(|(k, _)| *k == "client_id");
        let push_client_id = |params: &mut Vec<(&str, String)>| {
            if !has_client_id {
                params.push(("client_id", self.client_id.clone()));
            }
        };
        match &self.method {
            Method::None => push_client_id(&mut params),
            Method::Basic(secret) => {
                authorization = Some(form::basic_auth_credentials(
                    &self.client_id,
                    secret.expose(),
                ));
            }
            Method::Post(secret) => {
                push_client_id(&mut params);
                params.push(("client_secret", String::from(secret.expose())));
            }
            Method::SecretJwt(key) | Method::PrivateKeyJwt(key) => {
                let jwt = self.assertion(key, issuer, now, rng)?;
                // RFC 7523 §3.2 / RFC 7521 §4.2: client_id MAY be included; sending it helps
                // servers that look the client up before verifying the assertion.
                push_client_id(&mut params);
                params.push((
                    "client_assertion_type",
                    String::from(JWT_BEARER_ASSERTION_TYPE),
                ));
                params.push(("client_assertion", jwt));
            }
        }
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut req = HttpRequest::post_form(url, &pairs).with_accept_json();
        if let Some(value) = authorization {
            req = req.with_header("Authorization", value)?;
        }
        Ok(req)
    }
}
