//! DPoP at the resource server (RFC 9449 §4.3, §7, §8-9): the RFC's own proofs,
//! then one rejection per rule through `dpop::verify_proof` and through
//! `ResourceServer::authenticate`.
#![cfg(feature = "std")]

mod dpop_fixtures;
mod resource_support;

use std::cell::RefCell;
use std::sync::Arc;

use dpop_fixtures::{FIG2, FIG12_TOKEN, FIG13, JKT};
use oauth_core::dpop::{
    DpopError, InMemoryReplayStore, NonceIssuer, NonceRule, ProofCheck, ReplayCache,
    access_token_hash, verify_proof,
};
use oauth_core::http::{HttpRequest, HttpResponse};
use oauth_core::jose::Algorithm;
use oauth_core::resource::{
    ChallengeError, DpopConfig, DpopMode, IntrospectionCheck, ResourceServer, TokenScheme,
    process_introspection_response,
};
use oauth_core::time::{Duration, UnixTime};
use resource_support::*;
use serde_json::json;

fn cache() -> RefCell<ReplayCache<16>> {
    RefCell::new(ReplayCache::new())
}

#[test]
fn rfc9449_figure_2_proof_verifies() {
    let check = ProofCheck::new("POST", "https://server.example.com/token");
    let p = verify_proof(FIG2, &check, UnixTime::from_secs(1_562_262_616), &cache()).unwrap();
    assert_eq!(p.jkt(), JKT);
    assert_eq!(p.algorithm(), Algorithm::ES256);
    assert_eq!(p.issued_at(), UnixTime::from_secs(1_562_262_616));
    assert!(p.check_binding(JKT).is_ok());
    assert_eq!(p.check_binding("other"), Err(DpopError::KeyBindingMismatch));
    // htu normalisation: default port, upper-case host, query ignored.
    let check = ProofCheck::new("POST", "https://SERVER.example.com:443/token?x=1");
    assert!(verify_proof(FIG2, &check, UnixTime::from_secs(1_562_262_616), &cache()).is_ok());
}

#[test]
fn rfc9449_figure_13_ath_matches_figure_12_token() {
    assert_eq!(
        access_token_hash(FIG12_TOKEN).as_str(),
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
    );
    let check = ProofCheck::new("GET", "https://resource.example.org/protectedresource")
        .access_token(FIG12_TOKEN);
    let t = UnixTime::from_secs(1_562_262_618);
    assert_eq!(verify_proof(FIG13, &check, t, &cache()).unwrap().jkt(), JKT);
    let other = ProofCheck::new("GET", "https://resource.example.org/protectedresource")
        .access_token("another-token");
    assert_eq!(
        verify_proof(FIG13, &other, t, &cache()),
        Err(DpopError::AccessTokenHashMismatch)
    );
}

#[test]
fn replayed_proof_is_refused() {
    let check = ProofCheck::new("POST", "https://server.example.com/token");
    let t = UnixTime::from_secs(1_562_262_616);
    let replay = cache();
    assert!(verify_proof(FIG2, &check, t, &replay).is_ok());
    assert_eq!(
        verify_proof(FIG2, &check, t, &replay),
        Err(DpopError::Replayed)
    );
    let store = InMemoryReplayStore::new(10);
    assert!(verify_proof(FIG2, &check, t, &store).is_ok());
    assert_eq!(
        verify_proof(FIG2, &check, t, &store),
        Err(DpopError::Replayed)
    );
}

#[test]
fn wrong_htu_htm_and_iat_window() {
    let t = UnixTime::from_secs(1_562_262_616);
    for uri in [
        "https://server.example.com/token2",
        "http://server.example.com/token",
        "https://server.example.org/token",
        "https://server.example.com:8443/token",
    ] {
        let check = ProofCheck::new("POST", uri);
        assert_eq!(
            verify_proof(FIG2, &check, t, &cache()),
            Err(DpopError::UriMismatch),
            "{uri}"
        );
    }
    let check = ProofCheck::new("GET", "https://server.example.com/token");
    assert_eq!(
        verify_proof(FIG2, &check, t, &cache()),
        Err(DpopError::MethodMismatch)
    );
    let check = ProofCheck::new("POST", "https://server.example.com/token");
    // default window ±60 s plus 5 s leeway
    assert!(
        verify_proof(
            FIG2,
            &check,
            UnixTime::from_secs(1_562_262_616 + 65),
            &cache()
        )
        .is_ok()
    );
    assert_eq!(
        verify_proof(
            FIG2,
            &check,
            UnixTime::from_secs(1_562_262_616 + 66),
            &cache()
        ),
        Err(DpopError::IatOutOfWindow)
    );
    assert_eq!(
        verify_proof(
            FIG2,
            &check,
            UnixTime::from_secs(1_562_262_616 - 66),
            &cache()
        ),
        Err(DpopError::IatOutOfWindow)
    );
}

#[test]
fn header_rules() {
    let key = EcKey::generate("c");
    let claims = json!({"jti": "j1", "htm": "GET", "htu": "https://r.example/x", "iat": NOW});
    let check = ProofCheck::new("GET", "https://r.example/x");
    let t = UnixTime::from_secs(NOW);
    assert!(verify_proof(&key.proof(&claims), &check, t, &cache()).is_ok());
    // typ
    let p = key.sign(
        &json!({"typ": "JWT", "alg": "ES256", "jwk": key.public_jwk()}),
        &claims,
    );
    assert_eq!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::InvalidType)
    );
    // a private jwk
    let mut jwk = key.public_jwk();
    jwk["d"] = json!(b64(&[1u8; 32]));
    let p = key.sign(
        &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}),
        &claims,
    );
    assert_eq!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::PrivateKeyInJwk)
    );
    // no jwk
    let p = key.sign(&json!({"typ": "dpop+jwt", "alg": "ES256"}), &claims);
    assert!(matches!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::InvalidJwk(_))
    ));
    // another key's jwk: the signature does not verify
    let other = EcKey::generate("o");
    let p = key.sign(
        &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": other.public_jwk()}),
        &claims,
    );
    assert_eq!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::InvalidSignature)
    );
    // HS256 with an oct jwk: never
    let header =
        json!({"typ": "dpop+jwt", "alg": "HS256", "jwk": {"kty": "oct", "k": b64(&[1u8; 32])}});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[1u8; 32]),
        input.as_bytes(),
    );
    let p = format!("{input}.{}", b64(tag.as_ref()));
    assert_eq!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::AlgorithmNotAllowed)
    );
    // alg none
    let p = format!(
        "{}.{}.",
        b64(br#"{"typ":"dpop+jwt","alg":"none"}"#),
        b64(claims.to_string().as_bytes())
    );
    assert_eq!(
        verify_proof(&p, &check, t, &cache()),
        Err(DpopError::AlgorithmNotAllowed)
    );
    // ES256 not in the allow-list
    let only_eddsa = check.algorithms(&[Algorithm::EdDSA]);
    assert_eq!(
        verify_proof(&key.proof(&claims), &only_eddsa, t, &cache()),
        Err(DpopError::AlgorithmNotAllowed)
    );
    // missing claims
    for c in ["jti", "htm", "htu", "iat"] {
        let mut cl = claims.clone();
        cl.as_object_mut().unwrap().remove(c);
        assert_eq!(
            verify_proof(&key.proof(&cl), &check, t, &cache()),
            Err(DpopError::MissingClaim(match c {
                "jti" => "jti",
                "htm" => "htm",
                "htu" => "htu",
                _ => "iat",
            }))
        );
    }
    // ath required when a token is presented
    let with_token = check.access_token("tok");
    assert_eq!(
        verify_proof(&key.proof(&claims), &with_token, t, &cache()),
        Err(DpopError::MissingClaim("ath"))
    );
    // a jkt computed independently of the crate
    assert_eq!(
        verify_proof(&key.proof(&claims), &check, t, &cache())
            .unwrap()
            .jkt(),
        key.jkt()
    );
}

#[test]
fn stale_nonce_gets_use_dpop_nonce() {
    let key = EcKey::generate("c");
    let issuer = NonceIssuer::new(&[7u8; 32], Duration::from_secs(300)).unwrap();
    let t0 = UnixTime::from_secs(NOW);
    let n0 = issuer.current(t0);
    let check = ProofCheck::new("GET", "https://r.example/x").nonce(NonceRule::Rotating(&issuer));
    let claims = |jti: &str, nonce: Option<&str>, iat: u64| {
        let mut c = json!({"jti": jti, "htm": "GET", "htu": "https://r.example/x", "iat": iat});
        if let Some(n) = nonce {
            c["nonce"] = json!(n);
        }
        c
    };
    assert_eq!(
        verify_proof(&key.proof(&claims("a", None, NOW)), &check, t0, &cache()),
        Err(DpopError::UseNonce)
    );
    assert!(
        verify_proof(
            &key.proof(&claims("b", Some(&n0), NOW)),
            &check,
            t0,
            &cache()
        )
        .is_ok()
    );
    // one window later: still accepted (previous); two windows later: stale
    let t1 = UnixTime::from_secs(NOW + 300);
    assert!(
        verify_proof(
            &key.proof(&claims("c", Some(&n0), NOW + 300)),
            &check,
            t1,
            &cache()
        )
        .is_ok()
    );
    let t2 = UnixTime::from_secs(NOW + 600);
    assert_eq!(
        verify_proof(
            &key.proof(&claims("d", Some(&n0), NOW + 600)),
            &check,
            t2,
            &cache()
        ),
        Err(DpopError::UseNonce)
    );
    let exact = ProofCheck::new("GET", "https://r.example/x").nonce(NonceRule::Exact("n-1"));
    assert!(
        verify_proof(
            &key.proof(&claims("e", Some("n-1"), NOW)),
            &exact,
            t0,
            &cache()
        )
        .is_ok()
    );
    assert_eq!(
        verify_proof(
            &key.proof(&claims("f", Some("n-2"), NOW)),
            &exact,
            t0,
            &cache()
        ),
        Err(DpopError::UseNonce)
    );
}

/// Claims written with JSON escapes (RFC 8259 §7; e.g. PHP's `json_encode`
/// writes "/" as "\/") are compared by their decoded values, without an
/// allocator: `htu` is unescaped into a bounded stack buffer.
#[test]
fn escaped_claims_are_compared_decoded() {
    let key = EcKey::generate("c");
    let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.public_jwk()});
    let proof = |claims: &str| {
        key.sign_raw(&format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.as_bytes())
        ))
    };
    let t = UnixTime::from_secs(NOW);
    let check = ProofCheck::new("GET", "https://r.example/x").nonce(NonceRule::Exact("n-1"));
    let escaped = format!(
        r#"{{"jti":"a\u0062","htm":"G\u0045T","htu":"https:\/\/r.example\/x","iat":{NOW},"nonce":"n\u002d1"}}"#
    );
    let replay = cache();
    assert!(verify_proof(&proof(&escaped), &check, t, &replay).is_ok());
    // The jti is its decoded value: "ab" again is a replay.
    let plain = format!(
        r#"{{"jti":"ab","htm":"GET","htu":"https://r.example/x","iat":{NOW},"nonce":"n-1"}}"#
    );
    assert_eq!(
        verify_proof(&proof(&plain), &check, t, &replay),
        Err(DpopError::Replayed)
    );
    // A wrong escaped nonce, method or htu is still wrong.
    for (claims, err) in [
        (
            r#""htm":"GET","htu":"https:\/\/r.example\/x","nonce":"n\u002d2""#,
            DpopError::UseNonce,
        ),
        (
            r#""htm":"P\u004fST","htu":"https:\/\/r.example\/x","nonce":"n-1""#,
            DpopError::MethodMismatch,
        ),
        (
            r#""htm":"GET","htu":"https:\/\/r.example\/y","nonce":"n-1""#,
            DpopError::UriMismatch,
        ),
    ] {
        let c = format!(r#"{{"jti":"j-{}",{claims},"iat":{NOW}}}"#, claims.len());
        assert_eq!(
            verify_proof(&proof(&c), &check, t, &cache()),
            Err(err),
            "{c}"
        );
    }
    // An escaped htu longer than the stack buffer is refused with a typed error;
    // the same htu without escapes is compared in place.
    let long = "a".repeat(oauth_core::dpop::MAX_ESCAPED_HTU_LEN);
    let uri = format!("https://r.example/{long}");
    let check = ProofCheck::new("GET", &uri);
    let c =
        format!(r#"{{"jti":"l1","htm":"GET","htu":"https:\/\/r.example\/{long}","iat":{NOW}}}"#);
    assert_eq!(
        verify_proof(&proof(&c), &check, t, &cache()),
        Err(DpopError::ClaimTooLong("htu"))
    );
    let c = format!(r#"{{"jti":"l2","htm":"GET","htu":"{uri}","iat":{NOW}}}"#);
    assert!(verify_proof(&proof(&c), &check, t, &cache()).is_ok());
}

fn dpop_server(key: &EcKey, nonces: Option<NonceIssuer>) -> ResourceServer {
    let mut cfg = DpopConfig::new(DpopMode::Allowed, Arc::new(InMemoryReplayStore::default()));
    if let Some(n) = nonces {
        cfg = cfg.with_nonces(n);
    }
    ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[key]))
        .with_dpop(cfg.with_algorithms(&[Algorithm::ES256]))
}

fn bound_token(as_key: &EcKey, client: &EcKey) -> String {
    let mut c = claims();
    c["cnf"] = json!({"jkt": client.jkt()});
    as_key.token("at+jwt", &c)
}

fn dpop_request(token: &str, proof: &str) -> HttpRequest {
    HttpRequest::get("/mcp")
        .with_header("Authorization", format!("DPoP {token}"))
        .unwrap()
        .with_header("DPoP", proof)
        .unwrap()
}

fn proof_claims(token: &str, jti: &str) -> serde_json::Value {
    json!({"jti": jti, "htm": "GET", "htu": RESOURCE, "iat": NOW, "ath": access_token_hash(token).as_str()})
}

#[test]
fn dpop_bound_token_end_to_end() {
    let as_key = EcKey::generate("k1");
    let client = EcKey::generate("c");
    let rs = dpop_server(&as_key, None);
    let token = bound_token(&as_key, &client);
    let now = UnixTime::from_secs(NOW);
    let req = dpop_request(&token, &client.proof(&proof_claims(&token, "p1")));
    let p = rs.authenticate(&req, now).unwrap();
    assert_eq!(p.scheme(), TokenScheme::DPoP);
    assert_eq!(p.cnf_jkt(), Some(client.jkt().as_str()));
    // The same proof again: replay.
    let c = rs.authenticate(&req, now).unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidDpopProof);
    // A proof by another key: invalid key binding (RFC 9449 §7.1 example text).
    let thief = EcKey::generate("t");
    let req = dpop_request(&token, &thief.proof(&proof_claims(&token, "p2")));
    let c = rs.authenticate(&req, now).unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidToken);
    assert_eq!(
        c.www_authenticate(),
        concat!(
            r#"Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", "#,
            r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", "#,
            r#"resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", algs="ES256""#
        )
    );
    // Wrong htu through the server.
    let mut pc = proof_claims(&token, "p3");
    pc["htu"] = json!("https://mcp.example.com/other");
    let c = rs
        .authenticate(&dpop_request(&token, &client.proof(&pc)), now)
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidDpopProof);
    // DPoP scheme without a proof header: invalid_request.
    let req = HttpRequest::get("/mcp")
        .with_header("Authorization", format!("DPoP {token}"))
        .unwrap();
    assert_eq!(
        rs.authenticate(&req, now).unwrap_err().error(),
        ChallengeError::InvalidRequest
    );
    // An unbound token presented with DPoP is refused.
    let unbound = as_key.token("at+jwt", &claims());
    let req = dpop_request(&unbound, &client.proof(&proof_claims(&unbound, "p4")));
    assert_eq!(
        rs.authenticate(&req, now).unwrap_err().error(),
        ChallengeError::InvalidToken
    );
}

#[test]
fn escaped_cnf_member_name_still_binds() {
    // RFC 8259 §7: "\u0063nf" is the member name "cnf".
    let as_key = EcKey::generate("k1");
    let client = EcKey::generate("c");
    let c = claims().to_string().replacen(
        '{',
        &format!(r#"{{"\u0063nf":{{"jkt":"{}"}},"#, client.jkt()),
        1,
    );
    // Built from the raw text (serde_json would re-serialise the name unescaped).
    let header = b64(br#"{"alg":"ES256","typ":"at+jwt","kid":"k1"}"#);
    let raw = as_key.sign_raw(&format!("{header}.{}", b64(c.as_bytes())));
    let rs = dpop_server(&as_key, None);
    let e = rs
        .authenticate(
            &get("/mcp", &format!("Bearer {raw}")),
            UnixTime::from_secs(NOW),
        )
        .unwrap_err();
    assert!(
        e.www_authenticate()
            .contains("DPoP-bound access token presented as Bearer")
    );
}

#[test]
fn dpop_bound_token_presented_as_bearer_is_refused() {
    let as_key = EcKey::generate("k1");
    let client = EcKey::generate("c");
    let token = bound_token(&as_key, &client);
    for rs in [
        dpop_server(&as_key, None),
        ResourceServer::new(RESOURCE)
            .unwrap()
            .with_issuer(ISSUER, jwk_set(&[&as_key])),
    ] {
        let c = rs
            .authenticate(
                &get("/mcp", &format!("Bearer {token}")),
                UnixTime::from_secs(NOW),
            )
            .unwrap_err();
        assert_eq!(c.error(), ChallengeError::InvalidToken);
        assert!(
            c.www_authenticate()
                .contains("DPoP-bound access token presented as Bearer")
        );
    }
}

#[test]
fn server_nonce_challenge_and_retry() {
    let as_key = EcKey::generate("k1");
    let client = EcKey::generate("c");
    let issuer = NonceIssuer::new(&[3u8; 32], Duration::from_secs(300)).unwrap();
    let rs = dpop_server(&as_key, Some(issuer.clone()));
    let token = bound_token(&as_key, &client);
    let now = UnixTime::from_secs(NOW);
    let c = rs
        .authenticate(
            &dpop_request(&token, &client.proof(&proof_claims(&token, "n1"))),
            now,
        )
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::UseDpopNonce);
    let resp: HttpResponse = c.to_http_response();
    assert_eq!(resp.status, 401);
    let nonce = resp.header("DPoP-Nonce").unwrap().to_owned();
    assert_eq!(nonce, issuer.current(now).as_str());
    assert!(
        resp.headers_all("www-authenticate")
            .any(|h| h.starts_with(r#"DPoP error="use_dpop_nonce""#))
    );
    let mut pc = proof_claims(&token, "n2");
    pc["nonce"] = json!(nonce);
    assert!(
        rs.authenticate(&dpop_request(&token, &client.proof(&pc)), now)
            .is_ok()
    );
    // Ten minutes later the nonce is stale: a new one is handed out.
    let later = UnixTime::from_secs(NOW + 600);
    let mut token_claims = claims();
    token_claims["cnf"] = json!({"jkt": client.jkt()});
    token_claims["exp"] = json!(NOW + 3600);
    let token2 = as_key.token("at+jwt", &token_claims);
    let mut pc = proof_claims(&token2, "n3");
    pc["nonce"] = json!(nonce);
    pc["iat"] = json!(NOW + 600);
    let c = rs
        .authenticate(&dpop_request(&token2, &client.proof(&pc)), later)
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::UseDpopNonce);
    assert_ne!(c.dpop_nonce(), Some(nonce.as_str()));
}

#[test]
fn dpop_required_mode_refuses_bearer() {
    let as_key = EcKey::generate("k1");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[&as_key]))
        .with_dpop(DpopConfig::new(
            DpopMode::Required,
            Arc::new(InMemoryReplayStore::default()),
        ));
    let token = as_key.token("at+jwt", &claims());
    let c = rs
        .authenticate(
            &get("/mcp", &format!("Bearer {token}")),
            UnixTime::from_secs(NOW),
        )
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::NoCredentials);
    assert_eq!(
        c.www_authenticate(),
        r#"DPoP resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", algs="ES256 ES384 EdDSA PS256 RS256""#
    );
    assert_eq!(rs.metadata().dpop_bound_access_tokens_required, Some(true));
}

/// RFC 9449 §6.2 Figure 10 (introspection of a DPoP-bound token) with the
/// Figure 12/13 request: the RFC's whole resource-access example.
#[test]
fn rfc9449_introspection_example_end_to_end() {
    let body = br#"{
  "active": true,
  "sub": "someone@example.com",
  "iss": "https://server.example.com",
  "nbf": 1562262611,
  "exp": 1562266216,
  "cnf":
  {
    "jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
  }
}"#;
    let resp = HttpResponse::json(200, body.to_vec());
    let resource = "https://resource.example.org/protectedresource";
    let now = UnixTime::from_secs(1_562_262_618);
    // The RFC's response has no aud (RFC 7662 §2.2: OPTIONAL), which the default
    // check refuses (MCP audience validation); this AS is taken to serve only this
    // resource.
    let check =
        IntrospectionCheck::new("https://server.example.com", resource).allow_missing_audience();
    let introspected = process_introspection_response(&resp, FIG12_TOKEN, &check, now).unwrap();
    assert_eq!(introspected.cnf_jkt(), Some(JKT));
    let rs = ResourceServer::new(resource)
        .unwrap()
        .with_trusted_issuer("https://server.example.com")
        .with_token_kinds(false, true)
        .with_dpop(DpopConfig::new(
            DpopMode::Allowed,
            Arc::new(InMemoryReplayStore::default()),
        ));
    // RFC 9449 Figure 12: GET /protectedresource, Host: resource.example.org
    let req = HttpRequest::get("/protectedresource")
        .with_header("Authorization", format!("DPoP {FIG12_TOKEN}"))
        .unwrap()
        .with_header("DPoP", FIG13)
        .unwrap();
    let p = rs
        .authenticate_introspected(&req, &introspected, "", now)
        .unwrap();
    assert_eq!(p.subject(), Some("someone@example.com"));
    assert_eq!(p.scheme(), TokenScheme::DPoP);
    // replayed
    let c = rs
        .authenticate_introspected(&req, &introspected, "", now)
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidDpopProof);
    // the same token as Bearer
    let bearer = get("/protectedresource", &format!("Bearer {FIG12_TOKEN}"));
    let c = rs
        .authenticate_introspected(&bearer, &introspected, "", now)
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidToken);
}

/// RFC 9449 §7.1: the `algs` of the DPoP challenge lists what the server accepts, so an
/// algorithm this build cannot verify is not advertised (ES512 needs RustCrypto's P-521:
/// with ring alone it is refused, and so left out), and symmetric ones never are.
#[test]
fn dpop_challenge_advertises_only_algorithms_this_build_verifies() {
    let es512 = cfg!(all(
        feature = "es512",
        any(not(feature = "ring"), feature = "rustcrypto")
    ));
    let as_key = EcKey::generate("k1");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[&as_key]))
        .with_dpop(
            DpopConfig::new(DpopMode::Required, Arc::new(InMemoryReplayStore::default()))
                .with_algorithms(&[Algorithm::ES512, Algorithm::HS256, Algorithm::ES256]),
        );
    let c = rs
        .authenticate(&get("/mcp", "Bearer abc"), UnixTime::from_secs(NOW))
        .unwrap_err();
    let want = if es512 { "ES512 ES256" } else { "ES256" };
    assert!(
        c.www_authenticate().ends_with(&format!("algs=\"{want}\"")),
        "{}",
        c.www_authenticate()
    );
}
