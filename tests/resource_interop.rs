//! Interop with a real peer: an RFC 9068 access token and an RFC 9449 DPoP
//! proof made by joserfc (recorded in `tests/resource_fixtures/joserfc.json`
//! by `record_joserfc.py`), authenticated by oauth-core at the recorded time.
#![cfg(feature = "std")]

use std::sync::Arc;

use oauth_core::dpop::{
    InMemoryReplayStore, ProofCheck, ReplayCache, access_token_hash, verify_proof,
};
use oauth_core::http::{HttpRequest, Method};
use oauth_core::jose::{JwkSet, JwkSetOptions};
use oauth_core::resource::{ChallengeError, DpopConfig, DpopMode, ResourceServer, TokenScheme};
use oauth_core::time::UnixTime;
use serde_json::Value;

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/resource_fixtures/joserfc.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap()
}

#[test]
fn joserfc_token_and_proof_authenticate() {
    let f = fixture();
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let keys = JwkSet::parse(f["jwks"].to_string().as_bytes(), &JwkSetOptions::default()).unwrap();
    let rs = ResourceServer::new(s(&f, "resource"))
        .unwrap()
        .with_issuer(s(&f, "issuer"), keys)
        .with_required_scopes(&["mcp:tools"])
        .with_dpop(DpopConfig::new(
            DpopMode::Allowed,
            Arc::new(InMemoryReplayStore::default()),
        ));
    let token = s(&f, "access_token");
    // Our ath and jkt agree with the peer's.
    assert_eq!(access_token_hash(token).as_str(), s(&f, "ath"));
    let check = ProofCheck::new("POST", s(&f, "resource")).access_token(token);
    let cache = std::cell::RefCell::new(ReplayCache::<4>::new());
    let proof = verify_proof(s(&f, "dpop_proof"), &check, now, &cache).unwrap();
    assert_eq!(proof.jkt(), s(&f, "jkt"));

    let req = HttpRequest::new(Method::Post, "/mcp")
        .with_header("Authorization", format!("DPoP {token}"))
        .unwrap()
        .with_header("DPoP", s(&f, "dpop_proof"))
        .unwrap();
    let p = rs.authenticate(&req, now).unwrap();
    assert_eq!(p.scheme(), TokenScheme::DPoP);
    assert_eq!(p.subject(), Some("user-1"));
    assert_eq!(p.cnf_jkt(), Some(s(&f, "jkt")));
    // Replayed, and as Bearer: refused.
    assert_eq!(
        rs.authenticate(&req, now).unwrap_err().error(),
        ChallengeError::InvalidDpopProof
    );
    let bearer = HttpRequest::new(Method::Post, "/mcp")
        .with_header("Authorization", format!("Bearer {token}"))
        .unwrap();
    assert_eq!(
        rs.authenticate(&bearer, now).unwrap_err().error(),
        ChallengeError::InvalidToken
    );
}

/// A recorded response of the client-role tests (tests/data/client/oidc-provider).
fn recorded(name: &str) -> oauth_core::http::HttpResponse {
    let path = format!(
        "{}/tests/data/client/oidc-provider/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut r =
        oauth_core::http::HttpResponse::new(u16::try_from(v["status"].as_u64().unwrap()).unwrap())
            .with_body(v["body"].as_str().unwrap().as_bytes().to_vec());
    for h in v["headers"].as_array().unwrap() {
        r.headers
            .append(h[0].as_str().unwrap(), h[1].as_str().unwrap())
            .unwrap();
    }
    r
}

/// oidc-provider 9.13.3's RFC 9068 access token (RS256, `at+jwt`, audience the
/// MCP resource) and its JWKS response, both recorded by the client-role
/// interop tests, go through the JWKS state machine and `authenticate`.
#[test]
fn oidc_provider_access_token_through_the_jwks_cache() {
    use oauth_core::resource::{JwksCache, Pending};
    let tokens: Value =
        serde_json::from_slice(&recorded("token_client_credentials.json").body).unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    // The clock is the token's own iat (read independently with base64 + serde_json), so
    // re-recording the fixture keeps the test valid.
    let payload = token.split('.').nth(1).unwrap();
    let payload: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .unwrap(),
    )
    .unwrap();
    let iat = payload["iat"].as_u64().unwrap();
    let now = UnixTime::from_secs(iat + 5);
    let issuer = "http://127.0.0.1:3999";
    let rs = ResourceServer::new("http://127.0.0.1:9999/mcp")
        .unwrap()
        .with_trusted_issuer(issuer)
        .with_required_scopes(&["api:read"]);
    let mut cache = JwksCache::new(issuer, format!("{issuer}/jwks"));
    let req = HttpRequest::get("/mcp")
        .with_header("Authorization", format!("Bearer {token}"))
        .unwrap();
    let fetch = match rs.authenticate_with_jwks(&req, &mut cache, now) {
        Err(Pending::FetchJwks(r)) => r,
        other => panic!("expected a JWKS fetch, got {other:?}"),
    };
    assert_eq!(fetch.url, "http://127.0.0.1:3999/jwks");
    // application/jwk-set+json, as oidc-provider sends it
    cache
        .process_jwks_response(&recorded("jwks.json"), now)
        .unwrap();
    let p = rs.authenticate_with_jwks(&req, &mut cache, now).unwrap();
    assert_eq!(p.subject(), Some("agent"));
    assert_eq!(p.client_id(), Some("agent"));
    assert_eq!(p.scopes(), ["api:read"]);
    // The same token at another resource: refused (audience).
    let other = ResourceServer::new("http://127.0.0.1:9999/other")
        .unwrap()
        .with_trusted_issuer(issuer);
    match other.authenticate_with_jwks(&req, &mut cache, now) {
        Err(Pending::Challenge(c)) => assert_eq!(c.error(), ChallengeError::InvalidToken),
        o => panic!("{o:?}"),
    }
    // Ten minutes later: expired (exp = iat + 600, 60 s leeway).
    match rs.authenticate_with_jwks(&req, &mut cache, UnixTime::from_secs(iat + 661)) {
        Err(Pending::Challenge(c)) => assert!(c.www_authenticate().contains("expired")),
        o => panic!("{o:?}"),
    }
}
