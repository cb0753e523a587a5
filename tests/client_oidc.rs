//! OpenID Connect on the client: ID token validation (OIDC Core §3.1.3.7, §3.1.3.8,
//! §3.3.2.10) with the examples of OIDC Core Appendix A (RS256, key A.7), and tokens
//! signed here with ring directly (an independent signer) for the failure cases; UserInfo
//! (§5.3) as JSON and as a signed JWT.

// Every case here is RS256 (Appendix A's key A.7, the recorded oidc-provider tokens, ring
// as the independent signer): it needs an RSA verifier, ring or `rustcrypto-rsa`.
#![cfg(all(feature = "alloc", any(feature = "ring", feature = "rustcrypto-rsa")))]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::client::{AuthorizationState, TokenResponseOptions, process_token_response};
use oauth_core::http::{HttpResponse, Method};
use oauth_core::jose::{Algorithm, JoseError, JwkSet, JwkSetOptions, SigningKey, VerifyingKey};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::oidc::{
    IdTokenError, IdTokenValidation, UserInfoError, UserInfoFormat, VerifiedIdToken,
    process_userinfo_response, userinfo_request, validate_token_response_id_token,
};
use oauth_core::time::{Duration, UnixTime};

// ---- OIDC Core Appendix A (transcribed) ----

/// OIDC Core A.7: the RSA key the examples are signed with.
const A7_JWKS: &str = r#"{"keys":[{"kty":"RSA","kid":"1e9gdk7","e":"AQAB","n":"w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ"}]}"#;

/// OIDC Core A.2 (`response_type=id_token`): claims include name, email, picture.
const A2_ID_TOKEN: &str = "eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.ewogImlzcyI6ICJodHRwOi8vc2VydmVyLmV4YW1wbGUuY29tIiwKICJzdWIiOiAiMjQ4Mjg5NzYxMDAxIiwKICJhdWQiOiAiczZCaGRSa3F0MyIsCiAibm9uY2UiOiAibi0wUzZfV3pBMk1qIiwKICJleHAiOiAxMzExMjgxOTcwLAogImlhdCI6IDEzMTEyODA5NzAsCiAibmFtZSI6ICJKYW5lIERvZSIsCiAiZ2l2ZW5fbmFtZSI6ICJKYW5lIiwKICJmYW1pbHlfbmFtZSI6ICJEb2UiLAogImdlbmRlciI6ICJmZW1hbGUiLAogImJpcnRoZGF0ZSI6ICIwMDAwLTEwLTMxIiwKICJlbWFpbCI6ICJqYW5lZG9lQGV4YW1wbGUuY29tIiwKICJwaWN0dXJlIjogImh0dHA6Ly9leGFtcGxlLmNvbS9qYW5lZG9lL21lLmpwZyIKfQ.rHQjEmBqn9Jre0OLykYNnspA10Qql2rvx4FsD00jwlB0Sym4NzpgvPKsDjn_wMkHxcp6CilPcoKrWHcipR2iAjzLvDNAReF97zoJqq880ZD1bwY82JDauCXELVR9O6_B0w3K-E7yM2macAAgNCUwtik6SjoSUZRcf-O5lygIyLENx882p6MtmwaL1hd6qn5RZOQ0TLrOYu0532g9Exxcm-ChymrB4xLykpDj3lUivJt63eEGGN6DH5K6o33TcxkIjNrCD4XB1CKKumZvCedgHHF3IAK4dVEDSUoGlH9z4pP_eWYNXvqQOjGs-rDaQzUHl6cQQWNiDpWOl_lxXjQEvQ";

/// OIDC Core A.3 (`response_type=id_token token`): carries `at_hash` of [`A3_ACCESS_TOKEN`].
const A3_ID_TOKEN: &str = "eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.ewogImlzcyI6ICJodHRwOi8vc2VydmVyLmV4YW1wbGUuY29tIiwKICJzdWIiOiAiMjQ4Mjg5NzYxMDAxIiwKICJhdWQiOiAiczZCaGRSa3F0MyIsCiAibm9uY2UiOiAibi0wUzZfV3pBMk1qIiwKICJleHAiOiAxMzExMjgxOTcwLAogImlhdCI6IDEzMTEyODA5NzAsCiAiYXRfaGFzaCI6ICI3N1FtVVB0alBmeld0RjJBbnBLOVJRIgp9.F9gRev0Dt2tKcrBkHy72cmRqnLdzw9FLCCSebV7mWs7o_sv2O5s6zMky2kmhHTVx9HmdvNnx9GaZ8XMYRFeYk8L5NZ7aYlA5W56nsG1iWOou_-gji0ibWIuuf4Owaho3YSoi7EvsTuLFz6tq-dLyz0dKABMDsiCmJ5wqkPUDTE3QTXjzbUmOzUDli-gCh5QPuZAq0cNW3pf_2n4zpvTYtbmj12cVcxGIMZby7TMWESRjQ9_o3jvhVNcCGcE0KAQXejhA1ocJhNEvQNqMFGlBb6_0RxxKjDZ-Oa329eGDidOvvp0h5hoES4a8IuGKS7NOcpp-aFwp0qVMDLI-Xnm-Pg";
const A3_ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";

/// OIDC Core A.4 (`response_type=code id_token`): carries `c_hash` of [`A4_CODE`].
const A4_ID_TOKEN: &str = "eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.ewogImlzcyI6ICJodHRwOi8vc2VydmVyLmV4YW1wbGUuY29tIiwKICJzdWIiOiAiMjQ4Mjg5NzYxMDAxIiwKICJhdWQiOiAiczZCaGRSa3F0MyIsCiAibm9uY2UiOiAibi0wUzZfV3pBMk1qIiwKICJleHAiOiAxMzExMjgxOTcwLAogImlhdCI6IDEzMTEyODA5NzAsCiAiY19oYXNoIjogIkxEa3RLZG9RYWszUGswY25YeENsdEEiCn0.XW6uhdrkBgcGx6zVIrCiROpWURs-4goO1sKA4m9jhJIImiGg5muPUcNegx6sSv43c5DSn37sxCRrDZZm4ZPBKKgtYASMcE20SDgvYJdJS0cyuFw7Ijp_7WnIjcrl6B5cmoM6ylCvsLMwkoQAxVublMwH10oAxjzD6NEFsu9nipkszWhsPePf_rM4eMpkmCbTzume-fzZIi5VjdWGGEmzTg32h3jiex-r5WTHbj-u5HL7u_KP3rmbdYNzlzd1xWRYTUs4E8nOTgzAUwvwXkIQhOh5TPcSMBYy6X3E7-_gr9Ue6n4ND7hTFhtjYs3cjNKIA08qm5cpVYFMFMG6PkhzLQ";
const A4_CODE: &str = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";

const A_ISSUER: &str = "http://server.example.com";
const A_CLIENT: &str = "s6BhdRkqt3";
const A_NONCE: &str = "n-0S6_WzA2Mj";
/// Between the examples' `iat` (1311280970) and `exp` (1311281970).
const A_NOW: UnixTime = UnixTime::from_secs(1_311_281_000);

fn a7_keys() -> JwkSet {
    let opts = JwkSetOptions {
        rsa_alg_when_absent: Some(Algorithm::RS256),
        ..JwkSetOptions::default()
    };
    let set = JwkSet::parse(A7_JWKS.as_bytes(), &opts).unwrap();
    assert_eq!(set.len(), 1);
    set
}

fn a_validation() -> IdTokenValidation<'static> {
    IdTokenValidation::new(A_ISSUER, A_CLIENT, Some(A_NONCE))
}

#[test]
fn appendix_a2_id_token_verifies_with_typed_claims() {
    let t = a_validation()
        .verify(A2_ID_TOKEN, &a7_keys(), A_NOW)
        .unwrap();
    assert_eq!(t.algorithm(), Algorithm::RS256);
    let c = t.claims();
    assert_eq!(t.sub(), "248289761001");
    assert_eq!(c.iss, A_ISSUER);
    assert_eq!(c.aud, [A_CLIENT]);
    assert_eq!(c.nonce.as_deref(), Some(A_NONCE));
    assert_eq!(c.exp, UnixTime::from_secs(1_311_281_970));
    assert_eq!(c.iat, UnixTime::from_secs(1_311_280_970));
    assert_eq!(c.all["email"], "janedoe@example.com");
    assert_eq!(c.all["name"], "Jane Doe");
    assert_eq!(t.raw(), A2_ID_TOKEN);
    // Debug never prints the raw token.
    assert!(!format!("{t:?}").contains("eyJ"));
}

#[test]
fn appendix_a3_at_hash() {
    let keys = a7_keys();
    a_validation()
        .access_token(A3_ACCESS_TOKEN)
        .require_hashes()
        .verify(A3_ID_TOKEN, &keys, A_NOW)
        .unwrap();
    assert_eq!(
        a_validation()
            .access_token("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Z")
            .verify(A3_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::AtHashMismatch
    );
    // A.2 has no at_hash: fine for the code flow, refused where it is required.
    a_validation()
        .access_token(A3_ACCESS_TOKEN)
        .verify(A2_ID_TOKEN, &keys, A_NOW)
        .unwrap();
    assert_eq!(
        a_validation()
            .access_token(A3_ACCESS_TOKEN)
            .require_hashes()
            .verify(A2_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::AtHashMissing
    );
}

#[test]
fn appendix_a4_c_hash() {
    let keys = a7_keys();
    a_validation()
        .code(A4_CODE)
        .require_hashes()
        .verify(A4_ID_TOKEN, &keys, A_NOW)
        .unwrap();
    assert_eq!(
        a_validation()
            .code("Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvx")
            .verify(A4_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::CHashMismatch
    );
    assert_eq!(
        a_validation()
            .code(A4_CODE)
            .require_hashes()
            .verify(A3_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::CHashMissing
    );
}

#[test]
fn appendix_a_failures_nonce_audience_issuer_expiry() {
    let keys = a7_keys();
    let v = |nonce| IdTokenValidation::new(A_ISSUER, A_CLIENT, nonce);
    assert_eq!(
        v(Some("n-0S6_WzA2Mk"))
            .verify(A2_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::NonceMismatch
    );
    assert_eq!(
        v(None).verify(A2_ID_TOKEN, &keys, A_NOW).unwrap_err(),
        IdTokenError::UnexpectedNonce
    );
    assert_eq!(
        IdTokenValidation::new(A_ISSUER, "another-client", Some(A_NONCE))
            .verify(A2_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::Jose(JoseError::InvalidAudience)
    );
    assert_eq!(
        IdTokenValidation::new("https://server.example.com", A_CLIENT, Some(A_NONCE))
            .verify(A2_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::Jose(JoseError::InvalidIssuer)
    );
    // exp 1311281970 + 60 s leeway.
    assert_eq!(
        v(Some(A_NONCE))
            .verify(A2_ID_TOKEN, &keys, UnixTime::from_secs(1_311_282_030))
            .unwrap_err(),
        IdTokenError::Jose(JoseError::Expired)
    );
    // iat older than the configured maximum age.
    assert_eq!(
        v(Some(A_NONCE))
            .iat_max_age(Duration::from_secs(10))
            .verify(
                A2_ID_TOKEN,
                &keys,
                A_NOW.saturating_add(Duration::from_secs(80))
            )
            .unwrap_err(),
        IdTokenError::Jose(JoseError::TooOld)
    );
    // One flipped signature bit.
    let mut bad = A2_ID_TOKEN.to_string();
    let last = bad.pop().unwrap();
    bad.push(if last == 'Q' { 'g' } else { 'Q' });
    assert_eq!(
        v(Some(A_NONCE)).verify(&bad, &keys, A_NOW).unwrap_err(),
        IdTokenError::Jose(JoseError::InvalidSignature)
    );
    // max_age requested: the A.2 token has no auth_time.
    assert_eq!(
        v(Some(A_NONCE))
            .max_age(Duration::from_secs(3600))
            .verify(A2_ID_TOKEN, &keys, A_NOW)
            .unwrap_err(),
        IdTokenError::AuthTimeMissing
    );
}

// ---- Tokens signed here with ring (independent of the crate's signer) ----

const ISS: &str = "https://op.example";
const CLIENT: &str = "agent-1";
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

fn sign_rs256(kid: &str, claims: &serde_json::Value) -> String {
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    let der = pem_der(include_str!("data/pem/rs256_private_pkcs8.pem"));
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    let header = serde_json::json!({"alg": "RS256", "kid": kid, "typ": "JWT"});
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{input}.{}", B64.encode(sig))
}

fn op_keys() -> Vec<VerifyingKey> {
    vec![
        VerifyingKey::from_spki_pem(Algorithm::RS256, include_str!("data/pem/rs256_public.pem"))
            .unwrap()
            .with_kid("op-1")
            .unwrap(),
    ]
}

/// SHA-256 left half, base64url: computed with ring, not with the crate.
fn half_sha256(v: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, v.as_bytes());
    B64.encode(&d.as_ref()[..16])
}

fn claims() -> serde_json::Value {
    serde_json::json!({
        "iss": ISS, "sub": "alice", "aud": CLIENT, "nonce": "nonce-1",
        "iat": NOW.as_secs() - 5, "exp": NOW.as_secs() + 300,
        "auth_time": NOW.as_secs() - 100,
    })
}

fn verify(c: &serde_json::Value) -> Result<VerifiedIdToken, IdTokenError> {
    IdTokenValidation::new(ISS, CLIENT, Some("nonce-1")).verify(
        &sign_rs256("op-1", c),
        &op_keys(),
        NOW,
    )
}

#[test]
fn rs256_from_an_independent_signer() {
    let t = verify(&claims()).unwrap();
    assert_eq!(t.sub(), "alice");
    assert_eq!(
        t.claims().auth_time,
        Some(UnixTime::from_secs(NOW.as_secs() - 100))
    );
}

#[test]
fn id_token_signed_with_another_key() {
    // Signed by the OP's key but presented against the A.7 key under the same kid.
    let token = sign_rs256("1e9gdk7", &claims());
    assert_eq!(
        IdTokenValidation::new(ISS, CLIENT, Some("nonce-1"))
            .verify(&token, &a7_keys(), NOW)
            .unwrap_err(),
        IdTokenError::Jose(JoseError::InvalidSignature)
    );
    // An HS256 token made with the RSA public key as secret (algorithm confusion):
    // the key pins RS256.
    let secret = include_bytes!("data/pem/rs256_public.pem");
    let hs = SigningKey::hmac(Algorithm::HS256, secret)
        .unwrap()
        .with_kid("op-1")
        .unwrap();
    let token = oauth_core::jose::sign_jwt(&claims(), &hs, None).unwrap();
    assert!(matches!(
        IdTokenValidation::new(ISS, CLIENT, Some("nonce-1"))
            .verify(&token, &op_keys(), NOW)
            .unwrap_err(),
        IdTokenError::Jose(JoseError::AlgorithmMismatch { .. })
    ));
    // alg none is never accepted.
    let none = format!(
        "{}.{}.",
        B64.encode(r#"{"alg":"none","kid":"op-1"}"#),
        B64.encode(claims().to_string())
    );
    assert!(matches!(
        IdTokenValidation::new(ISS, CLIENT, Some("nonce-1"))
            .verify(&none, &op_keys(), NOW)
            .unwrap_err(),
        IdTokenError::Jose(JoseError::AlgorithmNone | JoseError::UnsupportedAlgorithm)
    ));
}

#[test]
fn azp_rules_with_multiple_audiences() {
    let mut c = claims();
    c["aud"] = serde_json::json!([CLIENT, "https://api.example"]);
    assert_eq!(verify(&c).unwrap_err(), IdTokenError::AzpMissing);
    c["azp"] = "someone-else".into();
    assert_eq!(verify(&c).unwrap_err(), IdTokenError::AzpMismatch);
    c["azp"] = CLIENT.into();
    assert_eq!(verify(&c).unwrap().claims().aud.len(), 2);
    // An azp with a single audience must still be us.
    let mut c = claims();
    c["azp"] = "someone-else".into();
    assert_eq!(verify(&c).unwrap_err(), IdTokenError::AzpMismatch);
}

#[test]
fn required_claims_and_types() {
    for missing in ["sub", "iat", "exp", "iss", "aud"] {
        let mut c = claims();
        c.as_object_mut().unwrap().remove(missing);
        assert_eq!(
            verify(&c).unwrap_err(),
            IdTokenError::Jose(JoseError::MissingClaim(missing)),
            "{missing}"
        );
    }
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    assert_eq!(verify(&c).unwrap_err(), IdTokenError::NonceMissing);
    let mut c = claims();
    c["auth_time"] = "yesterday".into();
    assert_eq!(
        verify(&c).unwrap_err(),
        IdTokenError::ClaimType("auth_time")
    );
    let mut c = claims();
    c["nonce"] = 7.into();
    assert_eq!(verify(&c).unwrap_err(), IdTokenError::ClaimType("nonce"));
    let mut c = claims();
    c["exp"] = (NOW.as_secs() - 61).into();
    assert_eq!(
        verify(&c).unwrap_err(),
        IdTokenError::Jose(JoseError::Expired)
    );
}

#[test]
fn max_age_and_auth_time() {
    let v = |max: u64| {
        IdTokenValidation::new(ISS, CLIENT, Some("nonce-1"))
            .max_age(Duration::from_secs(max))
            .leeway(oauth_core::time::Leeway::NONE)
            .verify(&sign_rs256("op-1", &claims()), &op_keys(), NOW)
    };
    assert!(v(100).is_ok());
    assert_eq!(v(99).unwrap_err(), IdTokenError::AuthTooOld);
    let mut c = claims();
    c["auth_time"] = (NOW.as_secs() + 3600).into();
    assert_eq!(
        IdTokenValidation::new(ISS, CLIENT, Some("nonce-1"))
            .require_auth_time()
            .verify(&sign_rs256("op-1", &c), &op_keys(), NOW)
            .unwrap_err(),
        IdTokenError::AuthTimeInFuture
    );
}

fn state_json(nonce: Option<&str>, max_age: Option<u64>) -> AuthorizationState {
    let mut s = serde_json::json!({
        "issuer": ISS,
        "iss_parameter_supported": true,
        "client_id": CLIENT,
        "redirect_uri": "http://127.0.0.1:8765/cb",
        "state": "xyz",
        "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    });
    if let Some(n) = nonce {
        s["nonce"] = n.into();
    }
    if let Some(m) = max_age {
        s["max_age"] = m.into();
    }
    serde_json::from_value(s).unwrap()
}

fn token_response(id_token: Option<&str>, access_token: &str) -> oauth_core::client::TokenResponse {
    let mut body = serde_json::json!({
        "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
    });
    if let Some(t) = id_token {
        body["id_token"] = t.into();
    }
    let resp = HttpResponse::json(200, body.to_string().into_bytes())
        .with_header("Cache-Control", "no-store")
        .unwrap();
    process_token_response(&resp, TokenResponseOptions::new()).unwrap()
}

#[test]
fn code_flow_token_response_wrapper() {
    let at = "SlAV32hkKG";
    let mut c = claims();
    c["at_hash"] = half_sha256(at).into();
    let id = sign_rs256("op-1", &c);
    let keys = op_keys();
    let state = state_json(Some("nonce-1"), Some(600));
    let t = validate_token_response_id_token(&token_response(Some(&id), at), &state, &keys, NOW)
        .unwrap()
        .unwrap();
    assert_eq!(t.sub(), "alice");
    // The access token in the response is not the one the ID token was issued with.
    assert_eq!(
        validate_token_response_id_token(&token_response(Some(&id), "other"), &state, &keys, NOW)
            .unwrap_err(),
        IdTokenError::AtHashMismatch
    );
    // openid was requested (a nonce recorded): the id_token is required.
    assert_eq!(
        validate_token_response_id_token(&token_response(None, at), &state, &keys, NOW)
            .unwrap_err(),
        IdTokenError::Missing
    );
    // Not an OpenID request: no id_token is fine.
    assert!(
        validate_token_response_id_token(
            &token_response(None, at),
            &state_json(None, None),
            &keys,
            NOW
        )
        .unwrap()
        .is_none()
    );
    // max_age from the state is enforced (auth_time is 100 s old).
    assert_eq!(
        validate_token_response_id_token(
            &token_response(Some(&id), at),
            &state_json(Some("nonce-1"), Some(10)),
            &keys,
            NOW
        )
        .unwrap_err(),
        IdTokenError::AuthTooOld
    );
    // The nonce recorded in the state is compared.
    assert_eq!(
        validate_token_response_id_token(
            &token_response(Some(&id), at),
            &state_json(Some("nonce-2"), None),
            &keys,
            NOW
        )
        .unwrap_err(),
        IdTokenError::NonceMismatch
    );
}

// ---- UserInfo (OIDC Core §5.3) ----

fn op_meta() -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new(ISS);
    m.userinfo_endpoint = Some("https://op.example/userinfo".into());
    m
}

fn alice() -> VerifiedIdToken {
    verify(&claims()).unwrap()
}

const JSON: UserInfoFormat<'static, [VerifyingKey]> = UserInfoFormat::Json;

#[test]
fn userinfo_request_uses_the_authorization_header() {
    let req = userinfo_request(&op_meta(), "SlAV32hkKG").unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.url, "https://op.example/userinfo");
    assert_eq!(req.header("authorization"), Some("Bearer SlAV32hkKG"));
    assert!(!req.url.contains("SlAV32hkKG"));
    assert_eq!(
        userinfo_request(&AuthorizationServerMetadata::new(ISS), "t").unwrap_err(),
        UserInfoError::NoEndpoint
    );
}

#[test]
fn userinfo_json_response_and_sub_match() {
    // OIDC Core §5.3.2's example response, with our sub.
    let body = br#"{"sub":"alice","name":"Jane Doe","given_name":"Jane","family_name":"Doe","preferred_username":"j.doe","email":"janedoe@example.com","picture":"http://example.com/janedoe/me.jpg"}"#;
    let resp = HttpResponse::json(200, body.to_vec());
    let info = process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap();
    assert_eq!(info.sub(), "alice");
    assert_eq!(info.get_str("email"), Some("janedoe@example.com"));
    // §5.3.4: another sub must not be used.
    let resp = HttpResponse::json(
        200,
        br#"{"sub":"mallory","email":"m@example.com"}"#.to_vec(),
    );
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err(),
        UserInfoError::SubMismatch
    );
    let resp = HttpResponse::json(200, br#"{"email":"m@example.com"}"#.to_vec());
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err(),
        UserInfoError::SubMissing
    );
    let resp = HttpResponse::json(200, br#"{"sub":"alice","sub":"mallory"}"#.to_vec());
    assert!(matches!(
        process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err(),
        UserInfoError::Document(_)
    ));
}

#[test]
fn userinfo_error_challenge() {
    // OIDC Core §5.3.3's example.
    let resp = HttpResponse::new(401)
        .with_header(
            "WWW-Authenticate",
            r#"error="invalid_token", error_description="The Access Token expired""#,
        )
        .unwrap();
    // Not RFC 9110 syntax (no scheme): reported as the bare status.
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err(),
        UserInfoError::UnexpectedStatus(401)
    );
    let resp = HttpResponse::new(401)
        .with_header(
            "WWW-Authenticate",
            r#"Bearer error="invalid_token", error_description="The Access Token expired""#,
        )
        .unwrap();
    match process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err() {
        UserInfoError::Challenge { status, challenges } => {
            assert_eq!(status, 401);
            let b = challenges.bearer().unwrap();
            assert_eq!(b.error(), Some("invalid_token"));
            assert_eq!(b.error_description(), Some("The Access Token expired"));
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn userinfo_signed_jwt_response() {
    let keys = op_keys();
    let signed = UserInfoFormat::Signed {
        issuer: ISS,
        client_id: CLIENT,
        keys: keys.as_slice(),
        algorithms: Some(&[Algorithm::RS256]),
    };
    let jwt = sign_rs256(
        "op-1",
        &serde_json::json!({"iss": ISS, "aud": CLIENT, "sub": "alice", "email": "a@example.com"}),
    );
    let resp = HttpResponse::new(200)
        .with_header("Content-Type", "application/jwt")
        .unwrap()
        .with_body(jwt.clone().into_bytes());
    let info = process_userinfo_response(&resp, &alice(), &signed, NOW).unwrap();
    assert_eq!(info.get_str("email"), Some("a@example.com"));
    // A JSON response when a signed one is expected, and vice versa.
    let json = HttpResponse::json(200, br#"{"sub":"alice"}"#.to_vec());
    assert_eq!(
        process_userinfo_response(&json, &alice(), &signed, NOW).unwrap_err(),
        UserInfoError::UnexpectedContentType
    );
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &JSON, NOW).unwrap_err(),
        UserInfoError::UnexpectedContentType
    );
    // Wrong audience, and another subject.
    let jwt = sign_rs256(
        "op-1",
        &serde_json::json!({"iss": ISS, "aud": "other", "sub": "alice"}),
    );
    let resp = resp.clone().with_body(jwt.into_bytes());
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &signed, NOW).unwrap_err(),
        UserInfoError::Jwt(JoseError::InvalidAudience)
    );
    let jwt = sign_rs256(
        "op-1",
        &serde_json::json!({"iss": ISS, "aud": CLIENT, "sub": "mallory"}),
    );
    let resp = resp.with_body(jwt.into_bytes());
    assert_eq!(
        process_userinfo_response(&resp, &alice(), &signed, NOW).unwrap_err(),
        UserInfoError::SubMismatch
    );
}

#[test]
fn refreshed_id_token_keeps_the_original_claims() {
    use oauth_core::oidc::validate_refresh_id_token;
    let keys = op_keys();
    let original = alice();
    let refreshed = |c: &serde_json::Value| {
        let id = sign_rs256("op-1", c);
        validate_refresh_id_token(&token_response(Some(&id), "at-2"), &original, &keys, NOW)
    };
    // OIDC Core §12.2: same iss/sub/aud/auth_time, new iat, nonce SHOULD be absent.
    let mut c = claims();
    c.as_object_mut().unwrap().remove("nonce");
    c["iat"] = NOW.as_secs().into();
    assert_eq!(refreshed(&c).unwrap().unwrap().sub(), "alice");
    // ...or, if present, the original's.
    assert!(refreshed(&claims()).unwrap().is_some());
    let mut bad = claims();
    bad["nonce"] = "nonce-2".into();
    assert_eq!(
        refreshed(&bad).unwrap_err(),
        IdTokenError::RefreshClaimChanged("nonce")
    );
    let mut bad = c.clone();
    bad["sub"] = "mallory".into();
    assert_eq!(
        refreshed(&bad).unwrap_err(),
        IdTokenError::RefreshClaimChanged("sub")
    );
    let mut bad = c.clone();
    bad["auth_time"] = NOW.as_secs().into();
    assert_eq!(
        refreshed(&bad).unwrap_err(),
        IdTokenError::RefreshClaimChanged("auth_time")
    );
    let mut bad = c.clone();
    bad["iss"] = "https://other.example".into();
    assert_eq!(
        refreshed(&bad).unwrap_err(),
        IdTokenError::Jose(JoseError::InvalidIssuer)
    );
    // at_hash is checked against the new access token.
    let mut bad = c.clone();
    bad["at_hash"] = half_sha256("at-1").into();
    assert_eq!(refreshed(&bad).unwrap_err(), IdTokenError::AtHashMismatch);
    // No id_token in the refresh response: nothing to check.
    assert!(
        validate_refresh_id_token(&token_response(None, "at-2"), &original, &keys, NOW)
            .unwrap()
            .is_none()
    );
}

#[test]
fn userinfo_with_a_dpop_bound_token() {
    use oauth_core::client::dpop::{DpopKey, DpopNonces, DpopStep, access_token_hash};
    use oauth_core::oidc::userinfo_dpop_exchange;
    let mut n = 0u8;
    let mut rng = move |b: &mut [u8]| -> Result<(), oauth_core::rand::RandomError> {
        for x in b.iter_mut() {
            n = n.wrapping_add(7);
            *x = n;
        }
        Ok(())
    };
    let key = DpopKey::generate_es256(&mut rng).unwrap();
    let mut nonces = DpopNonces::new();
    let mut ex = userinfo_dpop_exchange(&op_meta(), "dpop-bound-at").unwrap();
    let req = ex.request(&key, &nonces, NOW, &mut rng).unwrap();
    assert_eq!(req.url, "https://op.example/userinfo");
    // RFC 9449 §7.1: the DPoP scheme, and a proof with ath.
    assert_eq!(req.header("authorization"), Some("DPoP dpop-bound-at"));
    let proof = req.header("dpop").unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&B64.decode(proof.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["ath"], access_token_hash("dpop-bound-at"));
    assert_eq!(claims["htm"], "GET");
    let ok = HttpResponse::json(200, br#"{"sub":"alice"}"#.to_vec());
    assert_eq!(
        ex.handle_response(&mut nonces, &ok).unwrap(),
        DpopStep::Done
    );
    assert_eq!(
        process_userinfo_response(&ok, &alice(), &JSON, NOW)
            .unwrap()
            .sub(),
        "alice"
    );
}

// ---- Recorded from a real OpenID Provider (oidc-provider on loopback; the files are
// recorded by tests/client_interop.rs) ----

fn recorded(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/client/oidc-provider")
        .join(format!("{name}.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn recorded_response(name: &str) -> HttpResponse {
    let v = recorded(name);
    let mut resp = HttpResponse::new(u16::try_from(v["status"].as_u64().unwrap()).unwrap());
    for h in v["headers"].as_array().unwrap() {
        resp = resp
            .with_header(h[0].as_str().unwrap(), h[1].as_str().unwrap())
            .unwrap();
    }
    resp.with_body(v["body"].as_str().unwrap().as_bytes().to_vec())
}

/// The `iat` of a recorded ID token, read here with base64 + serde_json.
fn recorded_iat(tokens: &oauth_core::client::TokenResponse) -> UnixTime {
    let payload = tokens
        .id_token()
        .unwrap()
        .expose()
        .split('.')
        .nth(1)
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
    UnixTime::from_secs(claims["iat"].as_u64().unwrap())
}

#[test]
fn oidc_provider_recorded_id_tokens() {
    use oauth_core::oidc::validate_refresh_id_token;
    let jwks = recorded_response("jwks");
    let keys = JwkSet::parse(&jwks.body, &JwkSetOptions::default()).unwrap();
    let state: AuthorizationState =
        serde_json::from_value(recorded("callback")["state"].clone()).unwrap();
    let tokens = process_token_response(
        &recorded_response("token_code"),
        TokenResponseOptions::new(),
    )
    .unwrap();
    let now = recorded_iat(&tokens).saturating_add(Duration::from_secs(5));
    let id = validate_token_response_id_token(&tokens, &state, &keys, now)
        .unwrap()
        .expect("openid was requested");
    assert_eq!(id.algorithm(), Algorithm::RS256);
    assert_eq!(id.claims().iss, state.issuer());
    assert_eq!(id.claims().aud, [state.client_id()]);
    // A state with another nonce (a replayed response) is refused.
    let mut other: serde_json::Value = recorded("callback")["state"].clone();
    other["nonce"] = "another-nonce".into();
    let other: AuthorizationState = serde_json::from_value(other).unwrap();
    assert_eq!(
        validate_token_response_id_token(&tokens, &other, &keys, now).unwrap_err(),
        IdTokenError::NonceMismatch
    );
    // The refresh response's ID token keeps the original's claims (OIDC Core §12.2);
    // oidc-provider repeats the original nonce, which §12.2 allows.
    let refreshed = process_token_response(
        &recorded_response("token_refresh"),
        TokenResponseOptions::new(),
    )
    .unwrap();
    let now = recorded_iat(&refreshed).saturating_add(Duration::from_secs(5));
    let new = validate_refresh_id_token(&refreshed, &id, &keys, now)
        .unwrap()
        .expect("oidc-provider sends an id_token on refresh");
    assert_eq!(new.sub(), id.sub());
    // Against another key set (the OIDC Core A.7 key under another kid) nothing verifies.
    assert!(matches!(
        validate_token_response_id_token(&tokens, &state, &a7_keys(), now).unwrap_err(),
        IdTokenError::Jose(JoseError::KeyNotFound | JoseError::InvalidSignature)
    ));
}

// ---- OpenID Connect with DPoP against oidc-provider (recorded, replayed) ----
//
// Recorded by tests/interop_oidc_provider.rs (`OAUTH_CORE_INTEROP_RECORD=1`, the `oidc`
// provider of tests/data/interop/oidc_provider.mjs): the code flow with `dpop_jkt`, the token
// request with DPoP (nonce retry), then UserInfo three ways: the DPoP-bound token presented
// as Bearer (refused), with DPoP and no nonce yet for that server (use_dpop_nonce), and the
// retry (a signed UserInfo JWT).

const OIDC_CLIENT: &str = "oidc-agent";

fn oidc_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oidc/oidc-provider")
}

fn from_json(v: &serde_json::Value) -> HttpResponse {
    let mut resp = HttpResponse::new(u16::try_from(v["status"].as_u64().unwrap()).unwrap());
    for h in v["headers"].as_array().unwrap() {
        resp = resp
            .with_header(h[0].as_str().unwrap(), h[1].as_str().unwrap())
            .unwrap();
    }
    resp.with_body(v["body"].as_str().unwrap().as_bytes().to_vec())
}

#[test]
fn oidc_provider_recorded_dpop_code_flow_and_signed_userinfo() {
    use oauth_core::client::dpop::{DpopNonces, DpopStep, NonceRequest, nonce_request};
    use oauth_core::client::www_authenticate;
    use oauth_core::oidc::userinfo_dpop_exchange;
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(oidc_dir().join("dpop_userinfo.json")).unwrap())
            .unwrap();
    let issuer = rec["issuer"].as_str().unwrap();
    let keys = JwkSet::parse(&from_json(&rec["jwks"]).body, &JwkSetOptions::default()).unwrap();
    let state: AuthorizationState = serde_json::from_value(rec["state"].clone()).unwrap();
    // Token endpoint: use_dpop_nonce first (RFC 9449 §8), then a DPoP token.
    let token_responses = rec["token_responses"].as_array().unwrap();
    assert_eq!(token_responses.len(), 2);
    let first = from_json(&token_responses[0]);
    assert_eq!(nonce_request(&first), NonceRequest::AuthorizationServer);
    let tokens = process_token_response(
        &from_json(&token_responses[1]),
        TokenResponseOptions::new().dpop(),
    )
    .unwrap();
    let now = recorded_iat(&tokens).saturating_add(Duration::from_secs(5));
    let id = validate_token_response_id_token(&tokens, &state, &keys, now)
        .unwrap()
        .unwrap();
    assert_eq!(id.claims().iss, issuer);
    // The DPoP-bound token sent as Bearer: oidc-provider's real challenge header.
    let bearer = from_json(&rec["userinfo_bearer"]);
    let challenges = www_authenticate::parse_response(&bearer).unwrap();
    let dpop = challenges.dpop().unwrap();
    assert_eq!(dpop.error(), Some("invalid_token"));
    assert_eq!(dpop.realm(), Some(issuer));
    assert!(dpop.algs().any(|a| a == "ES256"));
    let json: UserInfoFormat<'_, JwkSet> = UserInfoFormat::Json;
    assert!(matches!(
        process_userinfo_response(&bearer, &id, &json, now).unwrap_err(),
        UserInfoError::Challenge { status: 401, .. }
    ));
    // UserInfo with DPoP: the resource server's nonce challenge (RFC 9449 §9), one retry.
    let first = from_json(&rec["userinfo_dpop_first"]);
    assert_eq!(nonce_request(&first), NonceRequest::ResourceServer);
    let meta = {
        let mut m = oauth_core::metadata::AuthorizationServerMetadata::new(issuer);
        m.userinfo_endpoint = Some(format!("{issuer}/me"));
        m
    };
    let mut nonces = DpopNonces::new();
    let mut ex = userinfo_dpop_exchange(&meta, tokens.access_token().expose()).unwrap();
    assert_eq!(
        ex.handle_response(&mut nonces, &first).unwrap(),
        DpopStep::Retry
    );
    let retry = from_json(&rec["userinfo_dpop_retry"]);
    assert_eq!(
        ex.handle_response(&mut nonces, &retry).unwrap(),
        DpopStep::Done
    );
    // The signed UserInfo (OIDC Core §5.3.2), verified with the issuer's keys, sub = the
    // ID token's (§5.3.4).
    let signed = UserInfoFormat::Signed {
        issuer,
        client_id: OIDC_CLIENT,
        keys: &keys,
        algorithms: Some(&[Algorithm::RS256]),
    };
    let info = process_userinfo_response(&retry, &id, &signed, now).unwrap();
    assert_eq!(info.sub(), id.sub());
    assert_eq!(info.get_str("email"), Some("alice@example.com"));
    // Expecting JSON, the JWT is refused; another client id is refused.
    assert_eq!(
        process_userinfo_response(&retry, &id, &json, now).unwrap_err(),
        UserInfoError::UnexpectedContentType
    );
    let other = UserInfoFormat::Signed {
        issuer,
        client_id: "someone-else",
        keys: &keys,
        algorithms: None,
    };
    assert_eq!(
        process_userinfo_response(&retry, &id, &other, now).unwrap_err(),
        UserInfoError::Jwt(JoseError::InvalidAudience)
    );
}
