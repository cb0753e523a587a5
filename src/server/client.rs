//! Registered clients and client authentication at the token, PAR, introspection and revocation
//! endpoints (RFC 6749 §2.3, RFC 7521 §4.2, RFC 7523 §2.2 and §3, OpenID Connect Core §9).
//!
//! Two steps, so the caller can do its lookup in between:
//! 1. [`extract_client_credentials`] reads what the request presents (HTTP Basic, form secret,
//!    or a JWT assertion) and names the client it claims to be ([`ClientCredentials::client_id`]);
//! 2. the caller loads that [`RegisteredClient`] and calls [`authenticate_client`], which checks
//!    the credentials against the registration and returns the proof type [`AuthenticatedClient`].
//!
//! For JWT assertions the proof carries an [`AssertionReplayRecord`]: the caller MUST check that
//! its `jti` was not seen before for this client and store it until `expires_at` (RFC 7523 §3
//! item 7), refusing a repeat with [`ClientAuthError::AssertionReplayed`].

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::form::{FormError, FormParams, parse_basic_auth_credentials};
use crate::error::ErrorCode;
use crate::http::HttpRequest;
use crate::jose::{
    Algorithm, Claims, HeaderPolicy, JoseError, JwkSet, KeyFamily, VerifyingKey, verify_compact,
};
use crate::time::{Duration, Leeway, UnixTime};

/// RFC 7523 §2.2: the `client_assertion_type` for a JWT client assertion.
pub const JWT_BEARER_ASSERTION_TYPE: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The largest client assertion accepted, in bytes.
pub const MAX_ASSERTION_LEN: usize = 8 * 1024;

/// How a client authenticates at the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// `none`: a public client (RFC 7591 §2).
    None,
    /// `client_secret_basic`: HTTP Basic (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_secret_post`: `client_secret` in the form body (RFC 6749 §2.3.1).
    ClientSecretPost,
    /// `client_secret_jwt`: an HMAC-signed JWT assertion (OIDC Core §9, RFC 7523 §2.2).
    ClientSecretJwt,
    /// `private_key_jwt`: an assertion signed with the client's private key (OIDC Core §9).
    PrivateKeyJwt,
}

impl TokenEndpointAuthMethod {
    /// The registered name, e.g. `"private_key_jwt"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::ClientSecretJwt => "client_secret_jwt",
            Self::PrivateKeyJwt => "private_key_jwt",
        }
    }

    /// Parses a registered name; `None` for any other value.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::None,
            Self::ClientSecretBasic,
            Self::ClientSecretPost,
            Self::ClientSecretJwt,
            Self::PrivateKeyJwt,
        ]
        .into_iter()
        .find(|m| m.as_str() == name)
    }

    /// Whether the method uses a shared secret.
    #[must_use]
    pub const fn uses_secret(self) -> bool {
        matches!(
            self,
            Self::ClientSecretBasic | Self::ClientSecretPost | Self::ClientSecretJwt
        )
    }
}

impl fmt::Display for TokenEndpointAuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 6749 §2.1 client types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientType {
    /// Cannot keep a credential confidential (`token_endpoint_auth_method` `none`).
    Public,
    /// Authenticates with a secret or a key.
    Confidential,
}

/// OpenID Connect Registration §2 `application_type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ApplicationType {
    /// `web` (the default): redirect URIs are matched exactly.
    #[default]
    Web,
    /// `native`: on a loopback IP redirect URI the port may vary (RFC 8252 §7.3).
    Native,
}

impl ApplicationType {
    /// The registered name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Native => "native",
        }
    }

    /// Parses `web` or `native`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "web" => Some(Self::Web),
            "native" => Some(Self::Native),
            _ => None,
        }
    }
}

/// A client secret as the server keeps it. `Debug` never prints it.
///
/// Two forms: a SHA-256 verifier (the default for `client_secret_basic`/`_post`: a database leak
/// does not reveal the secret), or the secret itself, which `client_secret_jwt` needs because it
/// is an HMAC key (OIDC Core §9).
///
/// # Security
/// A plain SHA-256 is only right for high-entropy secrets the server generated (as
/// [`crate::server::registration`] does: 256 bits), never for human-chosen passwords.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(SecretForm);

#[derive(Clone, PartialEq, Eq)]
enum SecretForm {
    Sha256([u8; 32]),
    Plain(Vec<u8>),
}

impl ClientSecret {
    /// Keeps only the SHA-256 of `secret`: verifiable, not recoverable.
    #[must_use]
    pub fn sha256_verifier(secret: &str) -> Self {
        Self(SecretForm::Sha256(Sha256::digest(secret.as_bytes()).into()))
    }

    /// A verifier from a stored SHA-256 digest of the secret.
    #[must_use]
    pub const fn from_sha256(digest: [u8; 32]) -> Self {
        Self(SecretForm::Sha256(digest))
    }

    /// Keeps the secret itself (needed for `client_secret_jwt`).
    #[must_use]
    pub fn plaintext(secret: &str) -> Self {
        Self(SecretForm::Plain(secret.as_bytes().to_vec()))
    }

    /// The SHA-256 digest, to persist the verifier form.
    #[must_use]
    pub fn sha256(&self) -> [u8; 32] {
        match &self.0 {
            SecretForm::Sha256(d) => *d,
            SecretForm::Plain(p) => Sha256::digest(p).into(),
        }
    }

    /// Whether `presented` is the secret. Both sides are hashed first and the digests compared in
    /// constant time, so neither the content nor the length of the secret leaks through timing.
    #[must_use]
    pub fn verify(&self, presented: &str) -> bool {
        let got: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        bool::from(got.ct_eq(&self.sha256()))
    }

    fn hmac_key(&self, alg: Algorithm) -> Result<VerifyingKey, ClientAuthError> {
        match &self.0 {
            SecretForm::Plain(p) => {
                VerifyingKey::hmac(alg, p).map_err(|_| ClientAuthError::SecretNotUsableForJwt)
            }
            SecretForm::Sha256(_) => Err(ClientAuthError::SecretNotUsableForJwt),
        }
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            SecretForm::Sha256(_) => "ClientSecret(sha256 verifier, redacted)",
            SecretForm::Plain(_) => "ClientSecret(redacted)",
        })
    }
}

/// A client as the authorization server registered it: what the endpoints check requests
/// against. Build one with [`RegisteredClient::public`] or [`RegisteredClient::confidential`],
/// then set the public fields.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RegisteredClient {
    /// The client identifier (RFC 6749 §2.2).
    pub client_id: String,
    /// How the client authenticates; [`TokenEndpointAuthMethod::None`] makes it public.
    pub token_endpoint_auth_method: TokenEndpointAuthMethod,
    /// The secret, for the `client_secret_*` methods.
    pub secret: Option<ClientSecret>,
    /// When the secret expires (`None`: never; RFC 7591 §3.2.1 `client_secret_expires_at`).
    pub secret_expires_at: Option<UnixTime>,
    /// The client's public keys, for `private_key_jwt` and signed request objects (RFC 9101).
    /// A client registered with a `jwks_uri` has its set fetched by the caller and placed here.
    pub jwks: Option<Arc<JwkSet>>,
    /// The client's `jwks_uri`, if registered by reference (informational: the caller fetches).
    pub jwks_uri: Option<String>,
    /// The one algorithm the client's assertions may use (`token_endpoint_auth_signing_alg`);
    /// `None`: the key's own algorithm pins it (RFC 8725 §3.1), HS256 for `client_secret_jwt`.
    pub token_endpoint_auth_signing_alg: Option<Algorithm>,
    /// Registered redirect URIs, compared exactly (RFC 9700 §4.1.3).
    pub redirect_uris: Vec<String>,
    /// `web` or `native` (native enables RFC 8252 §7.3 loopback port flexibility).
    pub application_type: ApplicationType,
    /// Grant types the client may use (default: `authorization_code`).
    pub grant_types: Vec<String>,
    /// Scope values the client may request; a request for any other is `invalid_scope`.
    pub allowed_scopes: Vec<String>,
    /// Resource indicators (RFC 8707) the client may request; others are `invalid_target`.
    pub allowed_resources: Vec<String>,
    /// RFC 9449 §5.2: every access token for this client must be DPoP-bound.
    pub dpop_bound_access_tokens: bool,
    /// RFC 9126 §6: this client's authorization requests must come through PAR.
    pub require_pushed_authorization_requests: bool,
    /// Human-readable name, for consent screens.
    pub client_name: Option<String>,
}

impl RegisteredClient {
    /// A public client (`token_endpoint_auth_method` `none`).
    #[must_use]
    pub fn public(client_id: impl Into<String>, redirect_uris: Vec<String>) -> Self {
        Self::base(
            client_id.into(),
            TokenEndpointAuthMethod::None,
            redirect_uris,
        )
    }

    /// A confidential client authenticating with `method` (not `none`; pass the secret or keys
    /// through the fields).
    #[must_use]
    pub fn confidential(
        client_id: impl Into<String>,
        method: TokenEndpointAuthMethod,
        redirect_uris: Vec<String>,
    ) -> Self {
        Self::base(client_id.into(), method, redirect_uris)
    }

    fn base(
        client_id: String,
        method: TokenEndpointAuthMethod,
        redirect_uris: Vec<String>,
    ) -> Self {
        Self {
            client_id,
            token_endpoint_auth_method: method,
            secret: None,
            secret_expires_at: None,
            jwks: None,
            jwks_uri: None,
            token_endpoint_auth_signing_alg: None,
            redirect_uris,
            application_type: ApplicationType::Web,
            grant_types: vec!["authorization_code".to_string()],
            allowed_scopes: Vec::new(),
            allowed_resources: Vec::new(),
            dpop_bound_access_tokens: false,
            require_pushed_authorization_requests: false,
            client_name: None,
        }
    }

    /// Sets the secret (builder style).
    #[must_use]
    pub fn with_secret(mut self, secret: ClientSecret) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Sets the public keys (builder style).
    #[must_use]
    pub fn with_jwks(mut self, jwks: JwkSet) -> Self {
        self.jwks = Some(Arc::new(jwks));
        self
    }

    /// Sets the allowed scopes (builder style).
    #[must_use]
    pub fn with_scopes(mut self, scopes: &[&str]) -> Self {
        self.allowed_scopes = scopes.iter().map(|s| (*s).to_string()).collect();
        self
    }

    /// Sets the allowed resources (builder style).
    #[must_use]
    pub fn with_resources(mut self, resources: &[&str]) -> Self {
        self.allowed_resources = resources.iter().map(|s| (*s).to_string()).collect();
        self
    }

    /// Sets the grant types (builder style).
    #[must_use]
    pub fn with_grant_types(mut self, grant_types: &[&str]) -> Self {
        self.grant_types = grant_types.iter().map(|s| (*s).to_string()).collect();
        self
    }

    /// Sets the application type (builder style).
    #[must_use]
    pub fn with_application_type(mut self, application_type: ApplicationType) -> Self {
        self.application_type = application_type;
        self
    }

    /// Public or confidential, from the authentication method (RFC 6749 §2.1).
    #[must_use]
    pub fn client_type(&self) -> ClientType {
        if self.token_endpoint_auth_method == TokenEndpointAuthMethod::None {
            ClientType::Public
        } else {
            ClientType::Confidential
        }
    }

    /// Whether the client may use `grant_type`.
    #[must_use]
    pub fn allows_grant_type(&self, grant_type: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant_type)
    }

    /// Whether every scope value is allowed for this client.
    #[must_use]
    pub fn allows_scope(&self, scope: &str) -> bool {
        self.allowed_scopes.iter().any(|s| s == scope)
    }

    /// Whether the resource indicator is allowed for this client (exact string match).
    #[must_use]
    pub fn allows_resource(&self, resource: &str) -> bool {
        self.allowed_resources.iter().any(|r| r == resource)
    }
}

/// The credentials a request presents, before the client is looked up. `Debug` never prints a
/// secret or an assertion.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientCredentials {
    /// Only a `client_id` (a public client, RFC 6749 §2.3, OAuth 2.1 §2.4).
    None {
        /// The `client_id` form parameter.
        client_id: String,
    },
    /// HTTP Basic (RFC 6749 §2.3.1), form-decoded.
    SecretBasic {
        /// The client identifier.
        client_id: String,
        /// The secret.
        secret: String,
    },
    /// `client_id` and `client_secret` in the body (RFC 6749 §2.3.1).
    SecretPost {
        /// The client identifier.
        client_id: String,
        /// The secret.
        secret: String,
    },
    /// A JWT assertion (RFC 7523 §2.2), not yet verified.
    JwtAssertion {
        /// The client the assertion names (its `sub`; equal to `iss` and to any `client_id`
        /// form parameter, checked at extraction).
        client_id: String,
        /// The compact JWT.
        assertion: String,
    },
}

impl ClientCredentials {
    /// The client these credentials claim to be: look it up, then call [`authenticate_client`].
    /// For an assertion this is read from the unverified JWT; nothing is trusted until
    /// [`authenticate_client`] returns.
    #[must_use]
    pub fn client_id(&self) -> &str {
        match self {
            Self::None { client_id }
            | Self::SecretBasic { client_id, .. }
            | Self::SecretPost { client_id, .. }
            | Self::JwtAssertion { client_id, .. } => client_id,
        }
    }

    /// The method these credentials use (assertions report `private_key_jwt`; whether it is
    /// `client_secret_jwt` depends on the registration).
    #[must_use]
    pub fn method(&self) -> TokenEndpointAuthMethod {
        match self {
            Self::None { .. } => TokenEndpointAuthMethod::None,
            Self::SecretBasic { .. } => TokenEndpointAuthMethod::ClientSecretBasic,
            Self::SecretPost { .. } => TokenEndpointAuthMethod::ClientSecretPost,
            Self::JwtAssertion { .. } => TokenEndpointAuthMethod::PrivateKeyJwt,
        }
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::None { .. } => "None",
            Self::SecretBasic { .. } => "SecretBasic",
            Self::SecretPost { .. } => "SecretPost",
            Self::JwtAssertion { .. } => "JwtAssertion",
        };
        f.debug_struct(kind)
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

/// Why client authentication failed. Renders as `invalid_request` (malformed) or
/// `invalid_client` (401) per RFC 6749 §5.2; see [`ClientAuthError::error_code`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthError {
    /// More than one authentication method in one request (RFC 6749 §2.3: "MUST NOT use more
    /// than one authentication method in each request").
    MultipleMethods,
    /// A parameter is repeated or not UTF-8 (RFC 6749 §3.2).
    Form(FormError),
    /// The `Authorization` header is not valid HTTP Basic credentials (RFC 6749 §2.3.1).
    InvalidBasicHeader,
    /// No client identification at all (RFC 6749 §3.2.1).
    NoClientIdentification,
    /// `client_assertion_type` is not the JWT bearer type, or one of the pair is missing
    /// (RFC 7521 §4.2).
    InvalidAssertionType,
    /// The `client_id` parameter differs from the client named by the other credentials
    /// (RFC 7521 §4.2; RFC 6749 §2.3.1).
    ClientIdMismatch,
    /// The credentials are for another client than the one passed to [`authenticate_client`].
    WrongClient,
    /// The client is registered for another authentication method (OAuth 2.1 §2.4).
    MethodNotRegistered {
        /// The registered method.
        registered: TokenEndpointAuthMethod,
    },
    /// The secret is wrong (RFC 6749 §2.3.1).
    SecretMismatch,
    /// The secret has expired (RFC 7591 §3.2.1 `client_secret_expires_at`).
    SecretExpired,
    /// `client_secret_jwt` needs the secret itself; only a verifier is stored, or it is not a
    /// usable HMAC key.
    SecretNotUsableForJwt,
    /// `private_key_jwt` with no keys registered (the caller fetches a `jwks_uri`).
    NoKeys,
    /// The assertion is larger than [`MAX_ASSERTION_LEN`].
    AssertionTooLarge,
    /// The assertion's signature or structure failed (RFC 7523 §3 item 9).
    Assertion(JoseError),
    /// The assertion's algorithm is not allowed for the method (HMAC for `private_key_jwt`,
    /// asymmetric for `client_secret_jwt`, or not the registered signing alg).
    AssertionAlgorithm,
    /// The assertion's header `typ` names another kind of JWT (RFC 8725 §3.11).
    AssertionType,
    /// A claim is missing or wrong: names the claim (RFC 7523 §3).
    AssertionClaim(&'static str),
    /// `aud` is not this server's issuer (or an accepted endpoint URL) (RFC 7523 §3 item 3,
    /// draft-ietf-oauth-rfc7523bis).
    AssertionAudience,
    /// The assertion is expired or not yet valid (RFC 7523 §3 items 4, 5).
    AssertionExpired,
    /// `exp` is further ahead than the allowed assertion lifetime.
    AssertionLifetimeTooLong,
    /// The caller found the assertion's `jti` already used (RFC 7523 §3 item 7).
    AssertionReplayed,
}

impl ClientAuthError {
    /// The OAuth error code to render (RFC 6749 §5.2).
    #[must_use]
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::MultipleMethods | Self::Form(_) | Self::InvalidAssertionType => {
                ErrorCode::InvalidRequest
            }
            _ => ErrorCode::InvalidClient,
        }
    }

    /// The HTTP status: 400 for `invalid_request`, 401 for `invalid_client`.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        self.error_code().http_status()
    }
}

impl fmt::Display for ClientAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MultipleMethods => {
                f.write_str("more than one client authentication method used (RFC 6749 §2.3)")
            }
            Self::Form(e) => write!(f, "{e}"),
            Self::InvalidBasicHeader => {
                f.write_str("invalid HTTP Basic client credentials (RFC 6749 §2.3.1)")
            }
            Self::NoClientIdentification => {
                f.write_str("no client identification in the request (RFC 6749 §3.2.1)")
            }
            Self::InvalidAssertionType => f.write_str(
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer with a client_assertion (RFC 7523 §2.2)",
            ),
            Self::ClientIdMismatch => f.write_str(
                "client_id parameter does not match the client authenticated (RFC 7521 §4.2)",
            ),
            Self::WrongClient => {
                f.write_str("credentials are for another client (RFC 6749 §3.2.1)")
            }
            Self::MethodNotRegistered { registered } => write!(
                f,
                "client is registered for token_endpoint_auth_method {registered} (OAuth 2.1 §2.4)"
            ),
            Self::SecretMismatch => f.write_str("client authentication failed (RFC 6749 §2.3.1)"),
            Self::SecretExpired => {
                f.write_str("client secret has expired (RFC 7591 §3.2.1)")
            }
            Self::SecretNotUsableForJwt => f.write_str(
                "client_secret_jwt needs the secret itself as the HMAC key (OIDC Core §9)",
            ),
            Self::NoKeys => f.write_str("client has no registered keys for private_key_jwt"),
            Self::AssertionTooLarge => f.write_str("client assertion is too large"),
            Self::Assertion(e) => write!(f, "client assertion: {e} (RFC 7523 §3)"),
            Self::AssertionAlgorithm => f.write_str(
                "client assertion algorithm not allowed for the registered method (RFC 8725 §3.1)",
            ),
            Self::AssertionType => f.write_str(
                "client assertion typ names another kind of JWT (RFC 8725 §3.11)",
            ),
            Self::AssertionClaim(c) => {
                write!(f, "client assertion claim {c} missing or invalid (RFC 7523 §3)")
            }
            Self::AssertionAudience => f.write_str(
                "client assertion aud must be the authorization server's issuer (RFC 7523 §3, rfc7523bis)",
            ),
            Self::AssertionExpired => {
                f.write_str("client assertion expired or not yet valid (RFC 7523 §3)")
            }
            Self::AssertionLifetimeTooLong => {
                f.write_str("client assertion exp is too far in the future (RFC 7523 §3 item 4)")
            }
            Self::AssertionReplayed => {
                f.write_str("client assertion jti was already used (RFC 7523 §3 item 7)")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ClientAuthError {}

impl From<FormError> for ClientAuthError {
    fn from(e: FormError) -> Self {
        match e {
            FormError::InvalidBasicCredentials => Self::InvalidBasicHeader,
            other => Self::Form(other),
        }
    }
}

/// Reads the client credentials of a token/PAR/introspection/revocation request: the
/// `Authorization` header of `request` and the already-parsed form body `form`.
///
/// Rules: HTTP Basic (form-decoded, RFC 6749 §2.3.1); `client_secret` in the body
/// (`client_secret_post`); `client_assertion_type` + `client_assertion` (RFC 7523 §2.2, whose
/// unverified `iss` and `sub` must both name the client, and equal a `client_id` parameter if
/// present, RFC 7521 §4.2); otherwise a bare `client_id` (a public client). More than one method
/// is `invalid_request`. An `Authorization` header with another scheme (e.g. `DPoP`) is ignored.
///
/// # Errors
/// [`ClientAuthError`] naming the rule broken.
pub fn extract_client_credentials(
    request: &HttpRequest,
    form: &FormParams,
) -> Result<ClientCredentials, ClientAuthError> {
    let basic = match request.headers.get_single("authorization") {
        Ok(Some(v)) if is_basic(v) => Some(parse_basic_auth_credentials(v)?),
        Ok(_) => None,
        Err(_) => return Err(ClientAuthError::InvalidBasicHeader),
    };
    let form_id = form.get_non_empty("client_id")?;
    let form_secret = form.get_non_empty("client_secret")?;
    let assertion_type = form.get_non_empty("client_assertion_type")?;
    let assertion = form.get_non_empty("client_assertion")?;

    let methods = usize::from(basic.is_some())
        + usize::from(form_secret.is_some())
        + usize::from(assertion_type.is_some() || assertion.is_some());
    if methods > 1 {
        // RFC 6749 §2.3: one method per request.
        return Err(ClientAuthError::MultipleMethods);
    }
    if let Some(b) = basic {
        // RFC 6749 §2.3.1 does not forbid a client_id parameter alongside Basic, but it must agree.
        if form_id.is_some_and(|id| id != b.client_id) {
            return Err(ClientAuthError::ClientIdMismatch);
        }
        if b.client_id.is_empty() {
            return Err(ClientAuthError::NoClientIdentification);
        }
        return Ok(ClientCredentials::SecretBasic {
            client_id: b.client_id,
            secret: b.client_secret,
        });
    }
    if let Some(secret) = form_secret {
        let client_id = form_id.ok_or(ClientAuthError::NoClientIdentification)?;
        return Ok(ClientCredentials::SecretPost {
            client_id: client_id.to_string(),
            secret: secret.to_string(),
        });
    }
    if assertion_type.is_some() || assertion.is_some() {
        let (Some(JWT_BEARER_ASSERTION_TYPE), Some(assertion)) = (assertion_type, assertion) else {
            return Err(ClientAuthError::InvalidAssertionType);
        };
        if assertion.len() > MAX_ASSERTION_LEN {
            return Err(ClientAuthError::AssertionTooLarge);
        }
        let named = unverified_subject(assertion)?;
        // RFC 7521 §4.2: a client_id parameter, if present, must identify the same client.
        if form_id.is_some_and(|id| id != named) {
            return Err(ClientAuthError::ClientIdMismatch);
        }
        return Ok(ClientCredentials::JwtAssertion {
            client_id: named,
            assertion: assertion.to_string(),
        });
    }
    match form_id {
        Some(id) => Ok(ClientCredentials::None {
            client_id: id.to_string(),
        }),
        None => Err(ClientAuthError::NoClientIdentification),
    }
}

fn is_basic(header: &str) -> bool {
    header
        .trim_start_matches([' ', '\t'])
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("basic "))
}

/// The `sub` of an unverified JWT, which must equal its `iss` (RFC 7523 §3 items 1, 2 for client
/// authentication). Only used to find the client; the signature is checked later.
fn unverified_subject(assertion: &str) -> Result<String, ClientAuthError> {
    let jws = crate::jose::CompactJws::parse(assertion).map_err(ClientAuthError::Assertion)?;
    let payload = crate::encoding::base64url::decode_public_vec(jws.payload_b64().as_bytes())
        .map_err(|_| {
            ClientAuthError::Assertion(JoseError::Base64(crate::jose::Segment::Payload))
        })?;
    let claims = Claims::parse(&payload).map_err(ClientAuthError::Assertion)?;
    let sub = claims
        .sub()
        .and_then(|s| {
            s.as_str()
                .map(ToString::to_string)
                .or_else(|| Some(s.to_cow().into_owned()))
        })
        .ok_or(ClientAuthError::AssertionClaim("sub"))?;
    match claims.iss() {
        Some(iss) if iss.eq_str(&sub) => {}
        _ => return Err(ClientAuthError::AssertionClaim("iss")),
    }
    if sub.is_empty() {
        return Err(ClientAuthError::AssertionClaim("sub"));
    }
    Ok(sub)
}

/// Who a client assertion must be addressed to, and how long it may live.
///
/// draft-ietf-oauth-rfc7523bis: the audience of a client assertion is the authorization
/// server's issuer identifier. During the transition servers may also accept the URL of the
/// endpoint receiving it (e.g. the token endpoint), which [`AssertionAudience::also_accept`]
/// lists. Every `aud` value must be one of the accepted ones, so an assertion addressed to
/// several servers at once is refused.
#[derive(Clone, Copy, Debug)]
pub struct AssertionAudience<'a> {
    issuer: &'a str,
    also: &'a [&'a str],
    max_lifetime: Duration,
    leeway: Leeway,
}

impl<'a> AssertionAudience<'a> {
    /// Assertions must be addressed to `issuer`; lifetime at most 5 minutes, leeway 60 s.
    #[must_use]
    pub const fn issuer(issuer: &'a str) -> Self {
        Self {
            issuer,
            also: &[],
            max_lifetime: Duration::from_secs(300),
            leeway: Leeway::new(Duration::from_secs(60)),
        }
    }

    /// Also accepts these audiences (e.g. the token endpoint URL, RFC 7523 §3 item 3).
    ///
    /// # Security
    /// draft-ietf-oauth-rfc7523bis recommends the issuer alone; accepting endpoint URLs keeps
    /// older clients working.
    #[must_use]
    pub const fn also_accept(mut self, audiences: &'a [&'a str]) -> Self {
        self.also = audiences;
        self
    }

    /// The longest accepted time from now (or `iat`) to `exp`.
    #[must_use]
    pub const fn max_lifetime(mut self, lifetime: Duration) -> Self {
        self.max_lifetime = lifetime;
        self
    }

    /// The clock-skew leeway.
    #[must_use]
    pub const fn leeway(mut self, leeway: Leeway) -> Self {
        self.leeway = leeway;
        self
    }

    fn accepts(&self, aud: &str) -> bool {
        aud == self.issuer || self.also.contains(&aud)
    }
}

/// What the caller must remember to stop a client assertion from being used twice (RFC 7523 §3
/// item 7): store `(client_id, jti)` until `expires_at`, and refuse a repeat.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AssertionReplayRecord {
    /// The client the assertion authenticated.
    pub client_id: String,
    /// The assertion's `jti`.
    pub jti: String,
    /// Keep the record at least until then (the assertion's `exp` plus leeway).
    pub expires_at: UnixTime,
}

/// Proof that a client authenticated: only [`authenticate_client`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatedClient {
    client_id: String,
    method: TokenEndpointAuthMethod,
    replay: Option<AssertionReplayRecord>,
}

impl AuthenticatedClient {
    /// The authenticated client's identifier.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The method used (`none` for a public client, which proves only its identity claim).
    #[must_use]
    pub fn method(&self) -> TokenEndpointAuthMethod {
        self.method
    }

    /// For JWT assertions: the `jti` the caller must check and store (RFC 7523 §3 item 7).
    #[must_use]
    pub fn replay_record(&self) -> Option<&AssertionReplayRecord> {
        self.replay.as_ref()
    }
}

/// Authenticates `credentials` as `client` (which the caller looked up by
/// [`ClientCredentials::client_id`]).
///
/// Checks, in order: the credentials name this client; the method is the registered one; then
/// - `none`: nothing more (a public client);
/// - secrets: not expired, compared in constant time ([`ClientSecret::verify`]);
/// - assertions (RFC 7523 §3): size; signature under the client's keys (`private_key_jwt`) or
///   its secret (`client_secret_jwt`), the algorithm pinned by the key and the registered
///   `token_endpoint_auth_signing_alg`, HMAC refused for `private_key_jwt`; `typ` absent, `JWT`
///   or `client-authentication+jwt`; `iss` = `sub` = `client_id`; every `aud` accepted by
///   `audience`; `exp` required, in the future and within the maximum lifetime; `nbf`/`iat`
///   not in the future; `jti` required (returned as the replay record).
///
/// # Errors
/// [`ClientAuthError`] naming the first rule broken; render it with its
/// [`ClientAuthError::error_code`].
pub fn authenticate_client(
    client: &RegisteredClient,
    credentials: &ClientCredentials,
    audience: &AssertionAudience<'_>,
    now: UnixTime,
) -> Result<AuthenticatedClient, ClientAuthError> {
    if credentials.client_id() != client.client_id {
        return Err(ClientAuthError::WrongClient);
    }
    let registered = client.token_endpoint_auth_method;
    let wrong_method = || ClientAuthError::MethodNotRegistered { registered };
    let ok = |replay| {
        Ok(AuthenticatedClient {
            client_id: client.client_id.clone(),
            method: registered,
            replay,
        })
    };
    match credentials {
        ClientCredentials::None { .. } => {
            if registered != TokenEndpointAuthMethod::None {
                return Err(wrong_method());
            }
            ok(None)
        }
        ClientCredentials::SecretBasic { secret, .. }
        | ClientCredentials::SecretPost { secret, .. } => {
            if credentials.method() != registered {
                return Err(wrong_method());
            }
            let stored = client
                .secret
                .as_ref()
                .ok_or(ClientAuthError::SecretMismatch)?;
            // Compare first, so a wrong secret and an expired one take the same time.
            let matches = stored.verify(secret);
            if client.secret_expires_at.is_some_and(|t| now >= t) {
                return Err(ClientAuthError::SecretExpired);
            }
            if !matches {
                return Err(ClientAuthError::SecretMismatch);
            }
            ok(None)
        }
        ClientCredentials::JwtAssertion { assertion, .. } => {
            let replay = match registered {
                TokenEndpointAuthMethod::PrivateKeyJwt => {
                    let keys = client.jwks.as_deref().ok_or(ClientAuthError::NoKeys)?;
                    verify_assertion(client, assertion, keys.keys(), false, audience, now)?
                }
                TokenEndpointAuthMethod::ClientSecretJwt => {
                    if client.secret_expires_at.is_some_and(|t| now >= t) {
                        return Err(ClientAuthError::SecretExpired);
                    }
                    let secret = client
                        .secret
                        .as_ref()
                        .ok_or(ClientAuthError::SecretNotUsableForJwt)?;
                    let alg = client
                        .token_endpoint_auth_signing_alg
                        .unwrap_or(Algorithm::HS256);
                    if !alg.is_symmetric() {
                        return Err(ClientAuthError::AssertionAlgorithm);
                    }
                    let key = secret.hmac_key(alg)?;
                    verify_assertion(
                        client,
                        assertion,
                        core::slice::from_ref(&key),
                        true,
                        audience,
                        now,
                    )?
                }
                _ => return Err(wrong_method()),
            };
            ok(Some(replay))
        }
    }
}

fn verify_assertion(
    client: &RegisteredClient,
    assertion: &str,
    keys: &[VerifyingKey],
    symmetric: bool,
    audience: &AssertionAudience<'_>,
    now: UnixTime,
) -> Result<AssertionReplayRecord, ClientAuthError> {
    if assertion.len() > MAX_ASSERTION_LEN {
        return Err(ClientAuthError::AssertionTooLarge);
    }
    let mut scratch = vec![0u8; assertion.len()];
    let policy = HeaderPolicy {
        understood_critical: &[],
    };
    let verified = verify_compact(assertion, keys, &policy, &mut scratch)
        .map_err(ClientAuthError::Assertion)?;
    let header = verified.header();
    let alg = header.alg();
    // RFC 8725 §3.1: HMAC only for client_secret_jwt, asymmetric only for private_key_jwt, and
    // the registered signing alg when there is one.
    if alg.is_symmetric() != symmetric
        || (!symmetric && alg.family() == KeyFamily::Hmac)
        || client
            .token_endpoint_auth_signing_alg
            .is_some_and(|a| a != alg)
    {
        return Err(ClientAuthError::AssertionAlgorithm);
    }
    // RFC 8725 §3.11: refuse a JWT typed as something else (an access token, a request object).
    if header.typ().is_some()
        && !header.typ_is("JWT")
        && !header.typ_is("client-authentication+jwt")
    {
        return Err(ClientAuthError::AssertionType);
    }
    let claims = Claims::parse(verified.payload()).map_err(ClientAuthError::Assertion)?;
    // RFC 7523 §3 items 1, 2: iss and sub are the client_id.
    match claims.iss() {
        Some(v) if v.eq_str(&client.client_id) => {}
        _ => return Err(ClientAuthError::AssertionClaim("iss")),
    }
    match claims.sub() {
        Some(v) if v.eq_str(&client.client_id) => {}
        _ => return Err(ClientAuthError::AssertionClaim("sub")),
    }
    // RFC 7523 §3 item 3 (rfc7523bis): every audience must be ours.
    let aud = claims.aud().ok_or(ClientAuthError::AssertionClaim("aud"))?;
    let mut any = false;
    for a in aud.iter() {
        any = true;
        let text = a.to_cow();
        if !audience.accepts(&text) {
            return Err(ClientAuthError::AssertionAudience);
        }
    }
    if !any {
        return Err(ClientAuthError::AssertionAudience);
    }
    // RFC 7523 §3 item 4: exp required; RFC 7523 §3 item 5: nbf; iat not in the future.
    let leeway = audience.leeway.duration();
    let exp = claims.exp().ok_or(ClientAuthError::AssertionClaim("exp"))?;
    if now >= exp.saturating_add(leeway) {
        return Err(ClientAuthError::AssertionExpired);
    }
    if claims
        .nbf()
        .is_some_and(|nbf| now.saturating_add(leeway) < nbf)
    {
        return Err(ClientAuthError::AssertionExpired);
    }
    if claims
        .iat()
        .is_some_and(|iat| iat > now.saturating_add(leeway))
    {
        return Err(ClientAuthError::AssertionExpired);
    }
    // A short-lived assertion keeps the replay store small (RFC 7523 §3 item 4 allows the
    // server to reject an exp unreasonably far in the future).
    let limit = now
        .saturating_add(audience.max_lifetime)
        .saturating_add(leeway);
    if exp > limit {
        return Err(ClientAuthError::AssertionLifetimeTooLong);
    }
    // RFC 7523 §3 item 7: jti for replay protection; we require it.
    let jti = claims
        .jti()
        .map(|j| j.to_cow().into_owned())
        .filter(|j| !j.is_empty())
        .ok_or(ClientAuthError::AssertionClaim("jti"))?;
    Ok(AssertionReplayRecord {
        client_id: client.client_id.clone(),
        jti,
        expires_at: exp.saturating_add(leeway),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::form::{basic_auth_credentials, parse_form};
    use crate::http::Method;
    use alloc::format;

    fn req(auth: Option<&str>) -> HttpRequest {
        let r = HttpRequest::new(Method::Post, "https://as.example/token");
        match auth {
            Some(a) => r.with_header("authorization", a).unwrap(),
            None => r,
        }
    }

    #[test]
    fn secret_is_compared_and_never_printed() {
        let s = ClientSecret::sha256_verifier("s3cret-value");
        assert!(s.verify("s3cret-value"));
        assert!(!s.verify("s3cret-valuf"));
        assert!(!format!("{s:?}").contains("s3cret"));
        let p = ClientSecret::plaintext("s3cret-value");
        assert!(p.verify("s3cret-value"));
        assert_eq!(p.sha256(), s.sha256());
    }

    #[test]
    fn basic_is_form_decoded_and_exclusive() {
        let h = basic_auth_credentials("my client:1", "p@ss word");
        let form = parse_form(b"grant_type=client_credentials").unwrap();
        let c = extract_client_credentials(&req(Some(&h)), &form).unwrap();
        assert_eq!(
            c,
            ClientCredentials::SecretBasic {
                client_id: "my client:1".into(),
                secret: "p@ss word".into()
            }
        );
        assert!(!format!("{c:?}").contains("p@ss"));
        let both = parse_form(b"client_id=my+client%3A1&client_secret=x").unwrap();
        assert_eq!(
            extract_client_credentials(&req(Some(&h)), &both),
            Err(ClientAuthError::MultipleMethods)
        );
        let other = parse_form(b"client_id=other").unwrap();
        assert_eq!(
            extract_client_credentials(&req(Some(&h)), &other),
            Err(ClientAuthError::ClientIdMismatch)
        );
    }
}
