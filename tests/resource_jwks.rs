//! The JWKS cache state machine (no clock, no I/O): first fetch, unknown kid →
//! refetch, rotated key accepted after refetch, refetch rate-limited, bad
//! responses keep the old set, `Cache-Control: max-age` honoured.
#![cfg(feature = "std")]

mod resource_support;

use oauth_core::http::{HttpResponse, Method};
use oauth_core::jose::Algorithm;
use oauth_core::resource::{JwksCache, JwksError, JwksLookup, Pending, ResourceServer};
use oauth_core::time::UnixTime;
use resource_support::*;

const JWKS_URI: &str = "https://as.example.com/jwks";

fn jwks_response(keys: &[&EcKey], cache_control: Option<&str>) -> HttpResponse {
    let mut r = HttpResponse::json(200, jwks_json(keys).into_bytes());
    if let Some(cc) = cache_control {
        r = r.with_header("Cache-Control", cc).unwrap();
    }
    r
}

fn t(s: u64) -> UnixTime {
    UnixTime::from_secs(NOW + s)
}

fn expect_fetch(l: Result<JwksLookup<'_>, JwksError>) {
    match l {
        Ok(JwksLookup::FetchFirst(req)) => {
            assert_eq!(req.method, Method::Get);
            assert_eq!(req.url, JWKS_URI);
            assert_eq!(req.header("accept"), Some("application/json"));
        }
        other => panic!("expected a fetch, got {other:?}"),
    }
}

#[test]
fn first_lookup_fetches_then_answers_the_key() {
    let k1 = EcKey::generate("k1");
    let mut c = JwksCache::new(ISSUER, JWKS_URI);
    expect_fetch(c.lookup(Some("k1"), Algorithm::ES256, t(0)));
    // a second lookup while the fetch is in flight is rate-limited
    assert_eq!(
        c.lookup(Some("k1"), Algorithm::ES256, t(1)).unwrap_err(),
        JwksError::NotLoaded
    );
    c.process_jwks_response(&jwks_response(&[&k1], None), t(1))
        .unwrap();
    match c.lookup(Some("k1"), Algorithm::ES256, t(2)).unwrap() {
        JwksLookup::Key(k) => assert_eq!(k.kid(), Some("k1")),
        JwksLookup::FetchFirst(_) => panic!("no fetch expected"),
    }
}

#[test]
fn unknown_kid_refetches_and_rotated_key_is_accepted() {
    let k1 = EcKey::generate("k1");
    let k2 = EcKey::generate("k2");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_trusted_issuer(ISSUER);
    let mut cache = JwksCache::new(ISSUER, JWKS_URI);
    expect_fetch(cache.lookup(None, Algorithm::ES256, t(0)));
    cache
        .process_jwks_response(&jwks_response(&[&k1], None), t(0))
        .unwrap();
    let old = k1.token("at+jwt", &claims());
    let req = get("/mcp", &format!("Bearer {old}"));
    assert!(rs.authenticate_with_jwks(&req, &mut cache, t(0)).is_ok());
    // The AS rotates to k2. A token with kid k2 within the refetch interval: refused.
    let new = k2.token("at+jwt", &claims());
    let req2 = get("/mcp", &format!("Bearer {new}"));
    match rs.authenticate_with_jwks(&req2, &mut cache, t(10)) {
        Err(Pending::Challenge(c)) => {
            assert!(c.www_authenticate().contains("signing key is unknown"))
        }
        other => panic!("expected a challenge, got {other:?}"),
    }
    // After the minimum interval: fetch first.
    let fetch = match rs.authenticate_with_jwks(&req2, &mut cache, t(61)) {
        Err(Pending::FetchJwks(r)) => r,
        other => panic!("expected a fetch, got {other:?}"),
    };
    assert_eq!(fetch.url, JWKS_URI);
    cache
        .process_jwks_response(&jwks_response(&[&k2], None), t(61))
        .unwrap();
    let p = rs.authenticate_with_jwks(&req2, &mut cache, t(62)).unwrap();
    assert_eq!(p.subject(), Some("user-1"));
    // The retired key is gone.
    assert!(rs.authenticate_with_jwks(&req, &mut cache, t(63)).is_err());
}

#[test]
fn refetch_is_rate_limited() {
    let k1 = EcKey::generate("k1");
    let mut c = JwksCache::new(ISSUER, JWKS_URI);
    expect_fetch(c.lookup(Some("k1"), Algorithm::ES256, t(0)));
    c.process_jwks_response(&jwks_response(&[&k1], None), t(0))
        .unwrap();
    // an attacker sends random kids: one refetch per minute at most
    for (i, s) in [5u64, 30, 59].iter().enumerate() {
        assert_eq!(
            c.lookup(Some(&format!("random-{i}")), Algorithm::ES256, t(*s))
                .unwrap_err(),
            JwksError::UnknownKid
        );
    }
    expect_fetch(c.lookup(Some("random-x"), Algorithm::ES256, t(60)));
    assert_eq!(
        c.lookup(Some("random-y"), Algorithm::ES256, t(61))
            .unwrap_err(),
        JwksError::UnknownKid
    );
    // the known key keeps working meanwhile
    assert!(matches!(
        c.lookup(Some("k1"), Algorithm::ES256, t(61)),
        Ok(JwksLookup::Key(_))
    ));
}

#[test]
fn bad_responses_keep_the_old_set() {
    let k1 = EcKey::generate("k1");
    let mut c = JwksCache::new(ISSUER, JWKS_URI);
    c.process_jwks_response(&jwks_response(&[&k1], None), t(0))
        .unwrap();
    assert_eq!(
        c.process_jwks_response(&HttpResponse::new(500), t(1)),
        Err(JwksError::HttpStatus(500))
    );
    let html = HttpResponse::new(200)
        .with_header("Content-Type", "text/html")
        .unwrap()
        .with_body(b"<html>".to_vec());
    assert_eq!(
        c.process_jwks_response(&html, t(1)),
        Err(JwksError::ContentType)
    );
    let dup = HttpResponse::json(200, br#"{"keys":[],"keys":[]}"#.to_vec());
    assert!(matches!(
        c.process_jwks_response(&dup, t(1)),
        Err(JwksError::Document(_))
    ));
    let empty = HttpResponse::json(200, br#"{"keys":[]}"#.to_vec());
    assert_eq!(c.process_jwks_response(&empty, t(1)), Err(JwksError::Empty));
    assert!(matches!(
        c.lookup(Some("k1"), Algorithm::ES256, t(2)),
        Ok(JwksLookup::Key(_))
    ));
}

#[test]
fn max_age_sets_freshness() {
    let k1 = EcKey::generate("k1");
    let mut c = JwksCache::new(ISSUER, JWKS_URI);
    c.process_jwks_response(&jwks_response(&[&k1], Some("public, max-age=300")), t(0))
        .unwrap();
    assert_eq!(c.fresh_until(), t(300));
    assert!(matches!(
        c.lookup(Some("k1"), Algorithm::ES256, t(299)),
        Ok(JwksLookup::Key(_))
    ));
    // stale and refetch allowed: fetch; the stale set is still used while rate-limited
    expect_fetch(c.lookup(Some("k1"), Algorithm::ES256, t(300)));
    assert!(matches!(
        c.lookup(Some("k1"), Algorithm::ES256, t(301)),
        Ok(JwksLookup::Key(_))
    ));
    // a huge max-age is capped at 24 h
    c.process_jwks_response(&jwks_response(&[&k1], Some("max-age=31536000")), t(400))
        .unwrap();
    assert_eq!(c.fresh_until(), t(400 + 86_400));
}

#[test]
fn a_cache_only_verifies_its_own_issuers_tokens() {
    let k1 = EcKey::generate("k1");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_trusted_issuer(ISSUER)
        .with_trusted_issuer("https://as2.example.com");
    let mut cache = JwksCache::new(ISSUER, JWKS_URI);
    cache
        .process_jwks_response(&jwks_response(&[&k1], None), t(0))
        .unwrap();
    // ISSUER's key signs a token claiming to come from as2: refused.
    let mut c = claims();
    c["iss"] = serde_json::json!("https://as2.example.com");
    let req = get("/mcp", &format!("Bearer {}", k1.token("at+jwt", &c)));
    assert!(matches!(
        rs.authenticate_with_jwks(&req, &mut cache, t(1)),
        Err(Pending::Challenge(_))
    ));
    // A cache for an issuer the resource does not trust: refused.
    let mut stranger = JwksCache::new("https://stranger.example", JWKS_URI);
    stranger
        .process_jwks_response(&jwks_response(&[&k1], None), t(0))
        .unwrap();
    let req = get("/mcp", &format!("Bearer {}", k1.token("at+jwt", &claims())));
    assert!(matches!(
        rs.authenticate_with_jwks(&req, &mut stranger, t(1)),
        Err(Pending::Challenge(_))
    ));
    assert!(rs.authenticate_with_jwks(&req, &mut cache, t(1)).is_ok());
}
