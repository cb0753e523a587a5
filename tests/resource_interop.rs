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
