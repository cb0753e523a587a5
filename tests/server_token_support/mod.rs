//! Shared fixtures for the token-endpoint tests: keys from the RFCs, a
//! deterministic RNG, a memory server with a few clients, and request builders.
#![allow(dead_code)]

use oauth_core::http::HttpRequest;
use oauth_core::jose::{Jwk, JwkSet, JwkSetOptions, SigningKey, Validation};
use oauth_core::rand::RandomError;
use oauth_core::server::client::{ClientSecret, RegisteredClient, TokenEndpointAuthMethod};
use oauth_core::server::issue::TokenPolicy;
use oauth_core::server::keys::{KeySet, RotationPolicy};
use oauth_core::server::memory::MemoryAuthorizationServer;
use oauth_core::server::token::device_code::DevicePolicy;
use oauth_core::time::UnixTime;

pub const ISSUER: &str = "https://as.example.com";
pub const TOKEN_ENDPOINT: &str = "https://as.example.com/token";
pub const RESOURCE: &str = "https://mcp.example.com/mcp";
pub const OTHER_RESOURCE: &str = "https://other.example.com/api";
pub const REDIRECT: &str = "https://client.example.com/cb";
pub const T0: u64 = 1_800_000_000;

/// RFC 7515 Appendix A.3: the ES256 key (the AS's signing key here).
pub const AS_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
/// RFC 7517 Appendix A.2: the P-256 private key (without `use`/`kid`): an IdP's key here.
pub const IDP_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE","kid":"idp-1"}"#;
/// RFC 8037 Appendix A.1: the Ed25519 key (a client's private_key_jwt key here).
pub const CLIENT_KEY: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"c1"}"#;

pub fn now(offset: u64) -> UnixTime {
    UnixTime::from_secs(T0 + offset)
}

/// xorshift64*: deterministic test randomness (never for production).
pub fn rng(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut x = seed.wrapping_mul(2).wrapping_add(1);
    move |d: &mut [u8]| {
        for b in d.iter_mut() {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            *b = (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
        }
        Ok(())
    }
}

pub fn signing_key(jwk: &str) -> SigningKey {
    Jwk::parse(jwk.as_bytes())
        .unwrap()
        .to_signing_key(None)
        .unwrap()
}

pub fn public_set(jwk: &str) -> JwkSet {
    let key = Jwk::parse(jwk.as_bytes())
        .unwrap()
        .to_verifying_key(None)
        .unwrap();
    JwkSet::from_keys(vec![key])
}

pub fn policy() -> TokenPolicy {
    TokenPolicy::new(ISSUER, TOKEN_ENDPOINT)
}

/// Clients: `public-app` (public, code + refresh), `web-app` (client_secret_basic,
/// code + refresh + token exchange), `s6BhdRkqt3` (RFC 6749 §4.4.2, client
/// credentials), `key-app` (private_key_jwt), `tv` (public, device + refresh),
/// `agent` (secret post, jwt-bearer).
pub fn server() -> MemoryAuthorizationServer {
    server_with(policy())
}

/// [`server`] with another token policy.
pub fn server_with(policy: TokenPolicy) -> MemoryAuthorizationServer {
    let keys = KeySet::with_initial_jwk(AS_KEY.as_bytes(), None, RotationPolicy::default(), now(0))
        .unwrap();
    let mut s = MemoryAuthorizationServer::new(
        policy,
        keys,
        DevicePolicy::new("https://as.example.com/device"),
    );
    s.register(
        RegisteredClient::public("public-app", vec![REDIRECT.into()])
            .with_grant_types(&["authorization_code", "refresh_token"])
            .with_scopes(&["openid", "read", "write"])
            .with_resources(&[RESOURCE]),
    );
    s.register(
        RegisteredClient::confidential(
            "web-app",
            TokenEndpointAuthMethod::ClientSecretBasic,
            vec![REDIRECT.into()],
        )
        .with_secret(ClientSecret::sha256_verifier("web-secret"))
        .with_grant_types(&[
            "authorization_code",
            "refresh_token",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ])
        .with_scopes(&["openid", "read", "write"])
        .with_resources(&[RESOURCE, OTHER_RESOURCE]),
    );
    s.register(
        RegisteredClient::confidential(
            "s6BhdRkqt3",
            TokenEndpointAuthMethod::ClientSecretBasic,
            vec![],
        )
        .with_secret(ClientSecret::sha256_verifier("gX1fBat3bV"))
        .with_grant_types(&["client_credentials"])
        .with_scopes(&["read"])
        .with_resources(&[RESOURCE]),
    );
    s.register(
        RegisteredClient::confidential("key-app", TokenEndpointAuthMethod::PrivateKeyJwt, vec![])
            .with_jwks(public_set(CLIENT_KEY))
            .with_grant_types(&["client_credentials"])
            .with_scopes(&["read"])
            .with_resources(&[RESOURCE]),
    );
    s.register(
        RegisteredClient::public("tv", vec![])
            .with_grant_types(&[
                "urn:ietf:params:oauth:grant-type:device_code",
                "refresh_token",
            ])
            .with_scopes(&["read"])
            .with_resources(&[RESOURCE]),
    );
    s.register(
        RegisteredClient::confidential("agent", TokenEndpointAuthMethod::ClientSecretPost, vec![])
            .with_secret(ClientSecret::sha256_verifier("agent-secret"))
            .with_grant_types(&["urn:ietf:params:oauth:grant-type:jwt-bearer"])
            .with_scopes(&["read", "write"])
            .with_resources(&[RESOURCE]),
    );
    s
}

pub fn form(pairs: &[(&str, &str)]) -> HttpRequest {
    HttpRequest::post_form(TOKEN_ENDPOINT, pairs)
}

pub fn basic(req: HttpRequest, id: &str, secret: &str) -> HttpRequest {
    req.with_header(
        "Authorization",
        oauth_core::encoding::form::basic_auth_credentials(id, secret),
    )
    .unwrap()
}

pub fn json(resp: &oauth_core::http::HttpResponse) -> serde_json::Value {
    serde_json::from_slice(&resp.body).unwrap()
}

pub fn error_of(resp: &oauth_core::http::HttpResponse) -> String {
    json(resp)["error"].as_str().unwrap_or_default().to_string()
}

/// Verifies an access token as a resource server would: the AS's published JWKS,
/// RFC 9068 validation for `resource`.
pub fn verify_at(
    server: &MemoryAuthorizationServer,
    token: &str,
    resource: &str,
    at: UnixTime,
) -> serde_json::Value {
    let jwks = JwkSet::parse(&server.jwks(at).body, &JwkSetOptions::default()).unwrap();
    let mut scratch = vec![0u8; token.len()];
    let v = Validation::access_token(ISSUER, resource);
    let jwt = v.verify(token, &jwks, at, &mut scratch).unwrap();
    jwt.claims().deserialize::<serde_json::Value>().unwrap()
}

/// Runs the authorization endpoint (team E's `server::authorize`) for
/// `client_id` with PKCE S256 and the extra parameters, approves for `alice`, and
/// stores the code. Returns the code and the verifier.
pub fn authorize(
    server: &mut MemoryAuthorizationServer,
    client_id: &str,
    extra: &[(&str, &str)],
    at: UnixTime,
) -> (String, String) {
    use oauth_core::pkce::{CodeChallenge, CodeVerifier};
    use oauth_core::server::authorize::{
        AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
        validate_authorization_request,
    };
    let mut r = rng(at.as_secs());
    let verifier = CodeVerifier::generate(&mut r).unwrap();
    let challenge = CodeChallenge::s256(&verifier);
    let mut pairs: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", "af0ifjsldkj"),
    ];
    pairs.extend_from_slice(extra);
    let url = oauth_core::encoding::form::append_query("https://as.example.com/authorize", &pairs)
        .unwrap();
    let req = HttpRequest::get(url);
    let params = parse_authorization_request(&req).unwrap();
    let client = server.clients.get(client_id).unwrap().clone();
    let validated =
        validate_authorization_request(&AuthorizePolicy::new(ISSUER), &client, params, None, at)
            .unwrap();
    let mut decision = AuthorizationDecision::new("alice");
    decision.auth_time = Some(at);
    let approved = validated.approve(decision, at, &mut r).unwrap();
    let location = approved.response.header("Location").unwrap().to_string();
    let query = location.split_once('?').unwrap().1;
    let code = oauth_core::encoding::form::query_pairs(query)
        .unwrap()
        .get("code")
        .unwrap()
        .unwrap()
        .to_string();
    server.store.insert_code(approved.record);
    (code, verifier.as_str().to_string())
}

/// The token request of RFC 6749 §4.1.3 for a public client, with PKCE and `resource`.
pub fn code_request(
    client_id: &str,
    code: &str,
    verifier: &str,
    extra: &[(&str, &str)],
) -> HttpRequest {
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("client_id", client_id),
        ("code_verifier", verifier),
    ];
    pairs.extend_from_slice(extra);
    form(&pairs)
}
