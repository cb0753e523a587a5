//! Client authentication (RFC 6749 §2.3.1, RFC 7523 §2.2/§3, OIDC Core §9), applied the same way
//! to the token, PAR, revocation and introspection requests.
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use base64::Engine as _;
use oauth_core::client::{
    AuthorizationRequest, ClientAuth, ClientError, JWT_BEARER_ASSERTION_TYPE, Secret,
    client_credentials_request, introspection_request, revocation_request,
};
use oauth_core::encoding::form;
use oauth_core::http::HttpRequest;
use oauth_core::jose::{Algorithm, SigningKey, Validation, VerifyingKey};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::rand::RandomError;
use oauth_core::time::{Duration, UnixTime};

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
const ISSUER: &str = "https://as.example.com";

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut n = 0u8;
    move |b: &mut [u8]| {
        for x in b.iter_mut() {
            n = n.wrapping_add(1);
            *x = n;
        }
        Ok(())
    }
}

fn meta() -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new(ISSUER);
    m.authorization_endpoint = Some(format!("{ISSUER}/authorize"));
    m.token_endpoint = Some(format!("{ISSUER}/token"));
    m.pushed_authorization_request_endpoint = Some(format!("{ISSUER}/par"));
    m.revocation_endpoint = Some(format!("{ISSUER}/revoke"));
    m.introspection_endpoint = Some(format!("{ISSUER}/introspect"));
    m.code_challenge_methods_supported = Some(vec!["S256".into()]);
    m
}

/// The four back-channel requests, built with `auth`.
fn every_request(auth: &ClientAuth) -> Vec<HttpRequest> {
    let m = meta();
    let token = Secret::new("tok");
    let (par, _) = AuthorizationRequest::new(&m, auth.client_id(), "http://127.0.0.1:9/cb")
        .build_pushed(auth, NOW, &mut rng())
        .unwrap();
    vec![
        client_credentials_request(&m, auth, None, &[], NOW, &mut rng()).unwrap_or_else(|_| {
            // Public clients cannot use client_credentials; use a refresh request instead.
            oauth_core::client::refresh_token_request(&m, auth, &token, None, &[], NOW, &mut rng())
                .unwrap()
        }),
        par,
        revocation_request(&m, auth, &token, None, NOW, &mut rng()).unwrap(),
        introspection_request(&m, auth, &token, None, NOW, &mut rng()).unwrap(),
    ]
}

#[test]
fn client_secret_basic_form_encodes_before_base64() {
    // RFC 6749 §2.3.1: the id and the secret are form-urlencoded, then joined by ':' and base64'd.
    let auth = ClientAuth::client_secret_basic("my:client id", "p@ss w+rd%");
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("my%3Aclient+id:p%40ss+w%2Brd%25")
    );
    for req in every_request(&auth) {
        assert_eq!(
            req.header("authorization"),
            Some(expected.as_str()),
            "{}",
            req.url
        );
        let body = form::parse_form(&req.body).unwrap();
        body.ensure_no_duplicates(&[]).unwrap();
        // Only PAR carries client_id in the body (an authorization request parameter, RFC 9126
        // §2.1); the secret never is.
        let par = req.url.ends_with("/par");
        assert_eq!(body.get("client_id").unwrap().is_some(), par, "{}", req.url);
        assert_eq!(body.get("client_secret").unwrap(), None);
        // The server side reads back the original values.
        let creds =
            form::parse_basic_auth_credentials(req.header("authorization").unwrap()).unwrap();
        assert_eq!(creds.client_id, "my:client id");
        assert_eq!(creds.client_secret, "p@ss w+rd%");
        assert!(
            !format!("{req:?}").contains("cDQw"),
            "Debug redacts the header"
        );
    }
    assert!(!format!("{auth:?}").contains("p@ss"));
}

#[test]
fn client_secret_post_and_none() {
    for req in every_request(&ClientAuth::client_secret_post("c1", "s1")) {
        let body = form::parse_form(&req.body).unwrap();
        body.ensure_no_duplicates(&["resource"]).unwrap();
        assert_eq!(body.get("client_id").unwrap(), Some("c1"), "{}", req.url);
        assert_eq!(body.get("client_secret").unwrap(), Some("s1"));
        assert_eq!(req.header("authorization"), None);
    }
    for req in every_request(&ClientAuth::none("public")) {
        let body = form::parse_form(&req.body).unwrap();
        body.ensure_no_duplicates(&["resource"]).unwrap();
        assert_eq!(
            body.get("client_id").unwrap(),
            Some("public"),
            "{}",
            req.url
        );
        assert_eq!(body.get("client_secret").unwrap(), None);
        assert_eq!(req.header("authorization"), None);
    }
}

/// Checks a client assertion: signature with `key`, `iss` = `sub` = client id, `aud` = the
/// issuer (a single string), a `jti`, `iat` = now, `exp` = now + `lifetime`.
fn check_assertion(
    req: &HttpRequest,
    key: &VerifyingKey,
    client_id: &str,
    lifetime: u64,
) -> String {
    let body = form::parse_form(&req.body).unwrap();
    body.ensure_no_duplicates(&["resource"]).unwrap();
    assert_eq!(
        body.get("client_assertion_type").unwrap(),
        Some(JWT_BEARER_ASSERTION_TYPE)
    );
    assert_eq!(body.get("client_id").unwrap(), Some(client_id));
    assert_eq!(req.header("authorization"), None);
    let jwt = body.get("client_assertion").unwrap().unwrap();
    let mut scratch = [0u8; 2048];
    let verified = Validation::new(client_id, ISSUER)
        .verify(jwt, key, NOW, &mut scratch)
        .expect("assertion verifies with the client's key");
    assert!(verified.claims().sub().unwrap().eq_str(client_id));
    let payload = jwt.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    // draft-ietf-oauth-rfc7523bis: aud is the issuer identifier, as a string.
    assert_eq!(claims["aud"], ISSUER);
    assert_eq!(claims["iat"], NOW.as_secs());
    assert_eq!(claims["exp"], NOW.as_secs() + lifetime);
    claims["jti"].as_str().unwrap().to_owned()
}

#[test]
fn private_key_jwt_per_rfc7523() {
    let rng_ring = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng_ring,
    )
    .unwrap();
    let key = SigningKey::from_pkcs8(Algorithm::ES256, pkcs8.as_ref())
        .unwrap()
        .with_kid("k1")
        .unwrap();
    let public = key.verifying_key().unwrap();
    let auth = ClientAuth::private_key_jwt("agent-7", key);
    for req in every_request(&auth) {
        check_assertion(&req, &public, "agent-7", 60);
    }
    // With one RNG, every assertion gets a fresh jti.
    let m = meta();
    let mut r = rng();
    let a = client_credentials_request(&m, &auth, None, &[], NOW, &mut r).unwrap();
    let b = client_credentials_request(&m, &auth, None, &[], NOW, &mut r).unwrap();
    assert_ne!(
        check_assertion(&a, &public, "agent-7", 60),
        check_assertion(&b, &public, "agent-7", 60)
    );
    // A shorter lifetime is honoured.
    let auth = auth.with_assertion_lifetime(Duration::from_secs(30));
    let req = client_credentials_request(&m, &auth, None, &[], NOW, &mut rng()).unwrap();
    check_assertion(&req, &public, "agent-7", 30);
    // Another key does not verify it.
    let other = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng_ring,
    )
    .unwrap();
    let other = SigningKey::from_pkcs8(Algorithm::ES256, other.as_ref())
        .unwrap()
        .verifying_key()
        .unwrap();
    let body = form::parse_form(&req.body).unwrap();
    let mut scratch = [0u8; 2048];
    assert!(
        Validation::new("agent-7", ISSUER)
            .verify(
                body.get("client_assertion").unwrap().unwrap(),
                &other,
                NOW,
                &mut scratch
            )
            .is_err()
    );
    assert!(!format!("{auth:?}").contains("BEGIN"));
    assert_eq!(auth.method_name(), "private_key_jwt");
}

#[test]
fn client_secret_jwt_hs256() {
    let secret = Secret::new("a-client-secret-of-at-least-32-bytes!!");
    let auth = ClientAuth::client_secret_jwt("c-jwt", &secret).unwrap();
    let key = VerifyingKey::hmac(Algorithm::HS256, secret.expose().as_bytes()).unwrap();
    for req in every_request(&auth) {
        check_assertion(&req, &key, "c-jwt", 60);
    }
    // RFC 7518 §3.2: a key shorter than the hash output is refused.
    assert!(matches!(
        ClientAuth::client_secret_jwt("c", &Secret::new("short")),
        Err(ClientError::Key(_))
    ));
}

#[test]
fn random_failure_is_reported() {
    let secret = Secret::new("a-client-secret-of-at-least-32-bytes!!");
    let auth = ClientAuth::client_secret_jwt("c-jwt", &secret).unwrap();
    let mut failing = |_: &mut [u8]| Err(RandomError);
    assert_eq!(
        client_credentials_request(&meta(), &auth, None, &[], NOW, &mut failing).unwrap_err(),
        ClientError::Random(RandomError)
    );
}

#[test]
fn advertised_methods() {
    let mut m = meta();
    // RFC 8414 §2: absent means client_secret_basic only.
    assert!(ClientAuth::client_secret_basic("c", "s").is_advertised_by(&m));
    assert!(!ClientAuth::client_secret_post("c", "s").is_advertised_by(&m));
    assert!(!ClientAuth::none("c").is_advertised_by(&m));
    m.token_endpoint_auth_methods_supported = Some(vec!["private_key_jwt".into(), "none".into()]);
    assert!(ClientAuth::none("c").is_advertised_by(&m));
    let secret = Secret::new("a-client-secret-of-at-least-32-bytes!!");
    assert!(
        !ClientAuth::client_secret_jwt("c", &secret)
            .unwrap()
            .is_advertised_by(&m)
    );
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &ring::rand::SystemRandom::new(),
    )
    .unwrap();
    let auth = ClientAuth::private_key_jwt(
        "c",
        SigningKey::from_pkcs8(Algorithm::ES256, pkcs8.as_ref()).unwrap(),
    );
    assert!(auth.is_advertised_by(&m));
    // The signing algorithm must be listed when the server lists them.
    m.token_endpoint_auth_signing_alg_values_supported = Some(vec!["RS256".into()]);
    assert!(!auth.is_advertised_by(&m));
    m.token_endpoint_auth_signing_alg_values_supported = Some(vec!["RS256".into(), "ES256".into()]);
    assert!(auth.is_advertised_by(&m));
}
