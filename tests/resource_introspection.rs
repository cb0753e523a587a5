//! Introspection responses at the resource server (RFC 7662 §2.2, RFC 9701) and
//! the result cache keyed by the token's SHA-256.
#![cfg(feature = "std")]

mod resource_support;

use oauth_core::http::HttpResponse;
use oauth_core::resource::{
    ChallengeError, IntrospectionCache, IntrospectionCheck, IntrospectionError, ResourceServer,
    TokenKind, process_introspection_response,
};
use oauth_core::time::{Duration, UnixTime};
use resource_support::*;
use serde_json::json;

/// RFC 7662 §2.2's example response.
const RFC7662_RESPONSE: &[u8] = br#"{
      "active": true,
      "client_id": "l238j323ds-23ij4",
      "username": "jdoe",
      "scope": "read write dolphin",
      "sub": "Z5O3upPC88QrAjx00dis",
      "aud": "https://protected.example.net/resource",
      "iss": "https://server.example.com/",
      "exp": 1419356238,
      "iat": 1419350238,
      "extension_field": "twenty-seven"
     }"#;

/// RFC 6750 §2.1's example token.
const TOKEN: &str = "mF_9.B5f-4.1JqM";
const RS: &str = "https://protected.example.net/resource";
const AS: &str = "https://server.example.com/";

fn check() -> IntrospectionCheck<'static> {
    IntrospectionCheck::new(AS, RS)
}

fn at(s: u64) -> UnixTime {
    UnixTime::from_secs(s)
}

#[test]
fn rfc7662_example_is_accepted_and_authenticates() {
    let resp = HttpResponse::json(200, RFC7662_RESPONSE.to_vec());
    let i = process_introspection_response(&resp, TOKEN, &check(), at(1_419_350_300)).unwrap();
    assert_eq!(i.scope(), Some("read write dolphin"));
    assert_eq!(i.expires_at(), Some(at(1_419_356_238)));
    let rs = ResourceServer::new(RS)
        .unwrap()
        .with_trusted_issuer(AS)
        .with_token_kinds(false, true);
    let req = get("/resource", &format!("Bearer {TOKEN}"));
    let p = rs
        .authenticate_introspected(&req, &i, "read", at(1_419_350_300))
        .unwrap();
    assert_eq!(p.kind(), TokenKind::Introspection);
    assert_eq!(p.client_id(), Some("l238j323ds-23ij4"));
    assert_eq!(p.scopes(), ["read", "write", "dolphin"]);
    let c = rs
        .authenticate_introspected(&req, &i, "admin", at(1_419_350_300))
        .unwrap_err();
    assert_eq!(
        (c.status(), c.error()),
        (403, ChallengeError::InsufficientScope)
    );
    // after exp
    assert_eq!(
        process_introspection_response(&resp, TOKEN, &check(), at(1_419_356_238)),
        Err(IntrospectionError::Expired)
    );
    // RFC 7662 §2.2: inactive token
    let inactive = HttpResponse::json(200, br#"{"active": false}"#.to_vec());
    assert_eq!(
        process_introspection_response(&inactive, TOKEN, &check(), at(0)),
        Err(IntrospectionError::Inactive)
    );
}

#[test]
fn rejected_responses() {
    let cases: &[(&[u8], IntrospectionError)] = &[
        (br#"{"scope":"a"}"#, IntrospectionError::MissingActive),
        (
            br#"{"active":"true"}"#,
            IntrospectionError::MemberType("active"),
        ),
        (
            br#"{"active":true,"aud":"https://other.example"}"#,
            IntrospectionError::InvalidAudience,
        ),
        (
            br#"{"active":true,"iss":"https://evil.example/"}"#,
            IntrospectionError::InvalidIssuer,
        ),
        (
            br#"{"active":true,"aud":"https://protected.example.net/resource","token_type":"mac"}"#,
            IntrospectionError::TokenType,
        ),
        (
            br#"{"active":true,"aud":"https://protected.example.net/resource","token_type":"DPoP"}"#,
            IntrospectionError::TokenType,
        ),
        (
            br#"{"active":true,"exp":"1"}"#,
            IntrospectionError::MemberType("exp"),
        ),
        (
            br#"{"active":true,"nbf":99999999999}"#,
            IntrospectionError::Expired,
        ),
    ];
    for (body, want) in cases {
        let r = HttpResponse::json(200, body.to_vec());
        assert_eq!(
            &process_introspection_response(&r, TOKEN, &check(), at(1000)).unwrap_err(),
            want,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let dup = HttpResponse::json(200, br#"{"active":false,"active":true}"#.to_vec());
    assert!(matches!(
        process_introspection_response(&dup, TOKEN, &check(), at(0)),
        Err(IntrospectionError::Document(_))
    ));
    let err = HttpResponse::json(401, br#"{"error":"invalid_client"}"#.to_vec());
    match process_introspection_response(&err, TOKEN, &check(), at(0)) {
        Err(IntrospectionError::HttpStatus(401, Some(e))) => assert_eq!(e.error, "invalid_client"),
        other => panic!("{other:?}"),
    }
    let text = HttpResponse::new(200)
        .with_header("Content-Type", "text/plain")
        .unwrap();
    assert_eq!(
        process_introspection_response(&text, TOKEN, &check(), at(0)),
        Err(IntrospectionError::ContentType)
    );
}

#[test]
fn rfc9701_jwt_response() {
    let as_key = EcKey::generate("as");
    let set = jwk_set(&[&as_key]);
    let claims = json!({
        "iss": AS, "aud": "rs-client-1", "iat": 1_419_350_238u64,
        "token_introspection": {"active": true, "iss": AS, "aud": RS, "sub": "Z5O3", "scope": "read", "exp": 1_419_356_238u64}
    });
    let jwt = as_key.sign(
        &json!({"alg": "ES256", "kid": "as", "typ": "token-introspection+jwt"}),
        &claims,
    );
    let resp = HttpResponse::new(200)
        .with_header("Content-Type", "application/token-introspection+jwt")
        .unwrap()
        .with_body(jwt.into_bytes());
    let check_jwt = check().with_jwt_response(&set, "rs-client-1");
    let i = process_introspection_response(&resp, TOKEN, &check_jwt, at(1_419_350_300)).unwrap();
    assert_eq!(i.scope(), Some("read"));
    // not configured: refused
    assert_eq!(
        process_introspection_response(&resp, TOKEN, &check(), at(1_419_350_300)),
        Err(IntrospectionError::ContentType)
    );
    // addressed to another RS
    let other = check().with_jwt_response(&set, "rs-client-2");
    assert!(matches!(
        process_introspection_response(&resp, TOKEN, &other, at(1_419_350_300)),
        Err(IntrospectionError::Jwt(_))
    ));
    // signed by someone else
    let evil = EcKey::generate("as");
    let forged = evil.sign(
        &json!({"alg": "ES256", "kid": "as", "typ": "token-introspection+jwt"}),
        &claims,
    );
    let resp2 = HttpResponse::new(200)
        .with_header("Content-Type", "application/token-introspection+jwt")
        .unwrap()
        .with_body(forged.into_bytes());
    assert!(matches!(
        process_introspection_response(&resp2, TOKEN, &check_jwt, at(1_419_350_300)),
        Err(IntrospectionError::Jwt(_))
    ));
}

#[test]
fn cache_by_token_hash_with_capped_ttl() {
    let resp = HttpResponse::json(200, RFC7662_RESPONSE.to_vec());
    let now = at(1_419_350_300);
    let result = |token: &str| process_introspection_response(&resp, token, &check(), now).unwrap();
    let mut cache = IntrospectionCache::new(2, Duration::from_secs(60));
    cache.insert("token-a", result("token-a"), now);
    assert!(cache.get("token-a", now).is_some());
    assert!(cache.get("token-b", now).is_none());
    // a result about another token is not stored under this one
    cache.insert("token-b", result("token-x"), now);
    assert!(cache.get("token-b", now).is_none());
    // max TTL 60 s caps the entry (exp is hours away)
    assert!(cache.get("token-a", at(1_419_350_359)).is_some());
    assert!(cache.get("token-a", at(1_419_350_360)).is_none());
    // TTL capped by exp
    let mut long = IntrospectionCache::new(2, Duration::from_secs(86_400));
    long.insert("token-a", result("token-a"), now);
    assert!(long.get("token-a", at(1_419_356_237)).is_some());
    assert!(long.get("token-a", at(1_419_356_238)).is_none());
    // bounded
    cache.insert("token-b", result("token-b"), now);
    cache.insert("token-c", result("token-c"), now);
    assert_eq!(cache.len(), 2);
    assert!(cache.get("token-c", now).is_some());
    // the token itself is not stored
    assert!(!format!("{cache:?}").contains("token-c"));
}

#[test]
fn introspection_result_only_authenticates_its_own_token() {
    let resp = HttpResponse::json(200, RFC7662_RESPONSE.to_vec());
    let now = at(1_419_350_300);
    let i = process_introspection_response(&resp, TOKEN, &check(), now).unwrap();
    let rs = ResourceServer::new(RS)
        .unwrap()
        .with_trusted_issuer(AS)
        .with_token_kinds(false, true);
    let req = get("/resource", "Bearer another-token");
    let c = rs.authenticate_introspected(&req, &i, "", now).unwrap_err();
    assert_eq!(c.error(), ChallengeError::InvalidToken);
    // an untrusted issuer's answer
    let rs2 = ResourceServer::new(RS)
        .unwrap()
        .with_trusted_issuer("https://other.example/")
        .with_token_kinds(false, true);
    let ok_req = get("/resource", &format!("Bearer {TOKEN}"));
    assert_eq!(
        rs2.authenticate_introspected(&ok_req, &i, "", now)
            .unwrap_err()
            .error(),
        ChallengeError::InvalidToken
    );
    // introspection not enabled
    let rs3 = ResourceServer::new(RS).unwrap().with_trusted_issuer(AS);
    assert_eq!(
        rs3.authenticate_introspected(&ok_req, &i, "", now)
            .unwrap_err()
            .error(),
        ChallengeError::InvalidToken
    );
}

/// MCP authorization (RFC 8707 §2): the resource server MUST validate that the token
/// was issued for it, so an introspection response without `aud` (RFC 7662 §2.2:
/// OPTIONAL) is refused unless the caller opts out by name.
#[test]
fn response_without_aud_is_refused_unless_allowed() {
    // RFC 7662 §2.2's example response with its aud member removed.
    let v: serde_json::Value = serde_json::from_slice(RFC7662_RESPONSE).unwrap();
    let mut o = v.as_object().unwrap().clone();
    assert!(o.remove("aud").is_some());
    let body = serde_json::to_vec(&o).unwrap();
    let resp = HttpResponse::json(200, body);
    assert_eq!(
        process_introspection_response(&resp, TOKEN, &check(), at(1_419_350_300)),
        Err(IntrospectionError::MissingAudience)
    );
    let lenient = check().allow_missing_audience();
    let i = process_introspection_response(&resp, TOKEN, &lenient, at(1_419_350_300)).unwrap();
    assert_eq!(i.scope(), Some("read write dolphin"));
    // The option only tolerates absence: a wrong aud is still refused.
    let wrong = HttpResponse::json(
        200,
        br#"{"active":true,"aud":"https://other.example"}"#.to_vec(),
    );
    assert_eq!(
        process_introspection_response(&wrong, TOKEN, &lenient, at(0)),
        Err(IntrospectionError::InvalidAudience)
    );
}
