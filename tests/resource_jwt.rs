//! The resource server with JWT access tokens (RFC 9068 §4, RFC 6750 §3, RFC
//! 9728): one accepted token and one rejection per rule, the challenges they
//! render, the principal they produce, and the metadata endpoint.
#![cfg(feature = "std")]

mod resource_support;

use oauth_core::http::HttpRequest;
use oauth_core::jose::{Algorithm, SigningKey, VerifyingKey};
use oauth_core::metadata::ProtectedResourceMetadata;
use oauth_core::resource::{ChallengeError, ResourceServer, TokenKind, TokenScheme};
use oauth_core::time::UnixTime;
use resource_support::*;
use serde_json::json;

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn server(key: &EcKey) -> ResourceServer {
    ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[key]))
        .with_required_scopes(&["mcp:tools"])
}

const PRM: &str = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";

fn rejected(rs: &ResourceServer, token: &str) -> (ChallengeError, String) {
    let req = get("/mcp", &format!("Bearer {token}"));
    let c = rs.authenticate(&req, now()).unwrap_err();
    (c.error(), c.www_authenticate())
}

#[test]
fn accepts_a_valid_es256_token() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    let mut c = claims();
    c["act"] = json!({"sub": "agent-7", "act": {"sub": "agent-3", "iss": "https://other.example"}});
    c["groups"] = json!(["admins"]);
    c["roles"] = json!(["reader", "writer"]);
    c["entitlements"] = json!(["e1"]);
    c["authorization_details"] = json!([{"type": "mcp_tool", "tool": "search"}]);
    c["cnf_other"] = json!(1);
    let token = key.token("at+jwt", &c);
    let p = rs
        .authenticate(&get("/mcp", &format!("Bearer {token}")), now())
        .unwrap();
    assert_eq!(p.kind(), TokenKind::Jwt);
    assert_eq!(p.scheme(), TokenScheme::Bearer);
    assert_eq!(p.issuer(), ISSUER);
    assert_eq!(p.subject(), Some("user-1"));
    assert_eq!(p.client_id(), Some("agent-1"));
    assert_eq!(p.scopes(), ["mcp:tools", "mcp:read"]);
    assert_eq!(p.audience(), [RESOURCE]);
    assert_eq!(p.expires_at(), Some(UnixTime::from_secs(NOW + 300)));
    assert_eq!(p.jti(), Some("tok-1"));
    assert_eq!(p.groups(), ["admins"]);
    assert_eq!(p.roles(), ["reader", "writer"]);
    assert_eq!(p.entitlements(), ["e1"]);
    assert_eq!(p.authorization_details().unwrap()[0]["tool"], "search");
    // RFC 8693 §4.1: the current actor first, then the prior one.
    let chain = p.act_chain();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0].subject.as_deref(), Some("agent-7"));
    assert_eq!(chain[1].issuer.as_deref(), Some("https://other.example"));
    assert_eq!(p.cnf_jkt(), None);
    // No passthrough: the token appears nowhere in the principal.
    assert!(!format!("{p:?}").contains(&token));
    // application/at+jwt is the same type (RFC 7515 §4.1.9).
    let t2 = key.token("application/at+jwt", &claims());
    assert!(
        rs.authenticate(&get("/mcp", &format!("bearer {t2}")), now())
            .is_ok()
    );
}

#[test]
fn accepts_a_valid_hs256_token() {
    let secret = [42u8; 32];
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, hs256_set(&secret, "h1"));
    let token = hs256_token(&secret, "h1", "at+jwt", &claims());
    let p = rs.authenticate(
        &get("https://mcp.example.com/mcp", &format!("Bearer {token}")),
        now(),
    );
    assert_eq!(p.unwrap().subject(), Some("user-1"));
    // Our own signer makes an equivalent token.
    let signer = SigningKey::hmac(Algorithm::HS256, &secret)
        .unwrap()
        .with_kid("h1")
        .unwrap();
    let t2 = oauth_core::jose::sign_jwt(&claims(), &signer, Some("at+jwt")).unwrap();
    assert!(
        rs.authenticate(&get("/mcp", &format!("Bearer {t2}")), now())
            .is_ok()
    );
}

#[test]
fn wrong_audience_is_invalid_token() {
    let key = EcKey::generate("k1");
    let mut c = claims();
    c["aud"] = json!("https://other-mcp.example.com/mcp");
    let (e, h) = rejected(&server(&key), &key.token("at+jwt", &c));
    assert_eq!(e, ChallengeError::InvalidToken);
    assert_eq!(
        h,
        format!(
            r#"Bearer error="invalid_token", error_description="The access token is not for this resource", scope="mcp:tools", resource_metadata="{PRM}""#
        )
    );
    // An array naming us among others is fine (RFC 7519 §4.1.3).
    c["aud"] = json!(["https://x.example", RESOURCE]);
    let req = get("/mcp", &format!("Bearer {}", key.token("at+jwt", &c)));
    assert!(server(&key).authenticate(&req, now()).is_ok());
}

#[test]
fn other_issuer_is_invalid_token() {
    let key = EcKey::generate("k1");
    let mut c = claims();
    c["iss"] = json!("https://evil.example.com");
    let (e, h) = rejected(&server(&key), &key.token("at+jwt", &c));
    assert_eq!(e, ChallengeError::InvalidToken);
    assert!(h.contains("untrusted issuer"), "{h}");
    // With two issuers, the token's iss picks the keys; a token of issuer B
    // signed with A's key is refused.
    let other = EcKey::generate("k2");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[&key]))
        .with_issuer("https://as2.example.com", jwk_set(&[&other]));
    let mut c2 = claims();
    c2["iss"] = json!("https://as2.example.com");
    assert!(
        rs.authenticate(
            &get("/mcp", &format!("Bearer {}", other.token("at+jwt", &c2))),
            now()
        )
        .is_ok()
    );
    assert!(
        rs.authenticate(
            &get("/mcp", &format!("Bearer {}", key.token("at+jwt", &c2))),
            now()
        )
        .is_err()
    );
    assert!(
        rs.authenticate(
            &get(
                "/mcp",
                &format!("Bearer {}", key.token("at+jwt", &claims()))
            ),
            now()
        )
        .is_ok()
    );
}

#[test]
fn expired_is_invalid_token() {
    let key = EcKey::generate("k1");
    let mut c = claims();
    c["exp"] = json!(NOW - 61); // beyond the 60 s leeway
    let (e, h) = rejected(&server(&key), &key.token("at+jwt", &c));
    assert_eq!(e, ChallengeError::InvalidToken);
    assert!(
        h.contains(r#"error_description="The access token expired""#),
        "{h}"
    );
    c["exp"] = json!(NOW - 30); // within the leeway
    let req = get("/mcp", &format!("Bearer {}", key.token("at+jwt", &c)));
    assert!(server(&key).authenticate(&req, now()).is_ok());
}

#[test]
fn typ_jwt_instead_of_at_jwt_is_refused() {
    let key = EcKey::generate("k1");
    let (e, h) = rejected(&server(&key), &key.token("JWT", &claims()));
    assert_eq!(e, ChallengeError::InvalidToken);
    assert!(h.contains("not an at+jwt"), "{h}");
    // An ID-token-like JWT without typ at all is refused too.
    let no_typ = key.sign(&json!({"alg": "ES256", "kid": "k1"}), &claims());
    assert_eq!(
        rejected(&server(&key), &no_typ).0,
        ChallengeError::InvalidToken
    );
}

#[test]
fn missing_required_claims_and_bad_signature() {
    let key = EcKey::generate("k1");
    for claim in ["client_id", "sub", "jti", "iat", "exp", "iss", "aud"] {
        let mut c = claims();
        c.as_object_mut().unwrap().remove(claim);
        assert_eq!(
            rejected(&server(&key), &key.token("at+jwt", &c)).0,
            ChallengeError::InvalidToken,
            "{claim}"
        );
    }
    // scope of the wrong type is refused, not ignored
    let mut c = claims();
    c["scope"] = json!(["mcp:tools"]);
    assert_eq!(
        rejected(&server(&key), &key.token("at+jwt", &c)).0,
        ChallengeError::InvalidToken
    );
    // signed by another key with the same kid
    let impostor = EcKey::generate("k1");
    assert_eq!(
        rejected(&server(&key), &impostor.token("at+jwt", &claims())).0,
        ChallengeError::InvalidToken
    );
    // alg none
    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"at+jwt"}"#),
        b64(claims().to_string().as_bytes())
    );
    assert_eq!(
        rejected(&server(&key), &none).0,
        ChallengeError::InvalidToken
    );
}

#[test]
fn missing_scope_is_403_with_the_scope_header() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    let token = key.token("at+jwt", &claims());
    let req = get("/mcp", &format!("Bearer {token}"));
    let c = rs
        .authenticate_with_scopes(&req, "mcp:tools mcp:admin", now())
        .unwrap_err();
    assert_eq!(c.status(), 403);
    assert_eq!(c.error(), ChallengeError::InsufficientScope);
    let resp = c.to_http_response();
    assert_eq!(resp.status, 403);
    assert_eq!(
        resp.header("www-authenticate").unwrap(),
        format!(
            r#"Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="mcp:tools mcp:admin", resource_metadata="{PRM}""#
        )
    );
    let mut c = claims();
    c["scope"] = json!("mcp:read");
    let (e, _) = rejected(&rs, &key.token("at+jwt", &c));
    assert_eq!(e, ChallengeError::InsufficientScope);
}

#[test]
fn no_credentials_and_malformed_requests() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    // RFC 6750 §3.1: no credentials: 401 with no error code; RFC 9728 §5.1 pointer.
    let c = rs
        .authenticate(&HttpRequest::get("/mcp"), now())
        .unwrap_err();
    assert_eq!(c.status(), 401);
    assert_eq!(
        c.www_authenticate(),
        format!(r#"Bearer scope="mcp:tools", resource_metadata="{PRM}""#)
    );
    // Basic credentials: treated as none.
    let c = rs
        .authenticate(&get("/mcp", "Basic dXNlcjpwYXNz"), now())
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::NoCredentials);
    // Two Authorization headers: 400 invalid_request.
    let two = get("/mcp", "Bearer a")
        .with_header("authorization", "Bearer b")
        .unwrap();
    let c = rs.authenticate(&two, now()).unwrap_err();
    assert_eq!(
        (c.status(), c.error()),
        (400, ChallengeError::InvalidRequest)
    );
    // Query tokens are not accepted by default (MCP forbids them).
    let token = key.token("at+jwt", &claims());
    let q = HttpRequest::get(format!("/mcp?access_token={token}"));
    assert_eq!(
        rs.authenticate(&q, now()).unwrap_err().error(),
        ChallengeError::NoCredentials
    );
    // ... and with the query method on, a header and a query token together are invalid_request
    let rs_q = server(&key).with_bearer_methods(false, true);
    assert!(rs_q.authenticate(&q, now()).is_ok());
    let both = q
        .with_header("Authorization", format!("Bearer {token}"))
        .unwrap();
    assert_eq!(
        rs_q.authenticate(&both, now()).unwrap_err().error(),
        ChallengeError::InvalidRequest
    );
    // An opaque token when only JWTs are accepted
    assert_eq!(
        rejected(&rs, "opaque-token").0,
        ChallengeError::InvalidToken
    );
}

#[test]
fn protected_resource_metadata_endpoint() {
    let key = EcKey::generate("k1");
    let rs = server(&key)
        .with_scopes_supported(&["mcp:tools", "mcp:read"])
        .with_realm("mcp");
    assert_eq!(rs.metadata_url(), PRM);
    let resp = rs
        .handle_metadata_request(&HttpRequest::get(
            "/.well-known/oauth-protected-resource/mcp",
        ))
        .unwrap();
    assert_eq!(resp.status, 200);
    assert!(resp.content_type_is_json());
    let m = ProtectedResourceMetadata::from_json(&resp.body).unwrap();
    assert_eq!(m.resource, RESOURCE);
    assert_eq!(m.authorization_servers.unwrap(), [ISSUER]);
    assert_eq!(m.bearer_methods_supported.unwrap(), ["header"]);
    assert_eq!(m.scopes_supported.unwrap(), ["mcp:tools", "mcp:read"]);
    assert!(rs.handle_metadata_request(&HttpRequest::get(PRM)).is_some());
    assert!(
        rs.handle_metadata_request(&HttpRequest::get("/.well-known/oauth-protected-resource"))
            .is_none()
    );
    assert!(
        rs.handle_metadata_request(&HttpRequest::new(oauth_core::http::Method::Post, PRM))
            .is_none()
    );
    // realm appears in challenges
    let c = rs
        .authenticate(&HttpRequest::get("/mcp"), now())
        .unwrap_err();
    assert!(c.www_authenticate().starts_with(r#"Bearer realm="mcp", "#));
}

#[test]
fn signed_metadata_verifies_with_the_signers_key() {
    let key = EcKey::generate("k1");
    let secret = [5u8; 32];
    let signer = SigningKey::hmac(Algorithm::HS256, &secret).unwrap();
    let rs = server(&key)
        .sign_metadata(&signer, "https://mcp.example.com")
        .unwrap();
    let jwt = rs.metadata().signed_metadata.clone().unwrap();
    let vk = VerifyingKey::hmac(Algorithm::HS256, &secret).unwrap();
    let mut scratch = [0u8; 2048];
    let v = oauth_core::jose::verify_compact(&jwt, &vk, &Default::default(), &mut scratch).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(v.payload()).unwrap();
    assert_eq!(claims["iss"], "https://mcp.example.com");
    assert_eq!(claims["resource"], RESOURCE);
    assert_eq!(claims["authorization_servers"][0], ISSUER);
    assert!(claims.get("signed_metadata").is_none());
}

#[test]
fn challenges_render_into_a_caller_buffer() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    let c = rs
        .authenticate(&HttpRequest::get("/mcp"), now())
        .unwrap_err();
    let mut buf = [0u8; 256];
    assert_eq!(c.render_into(&mut buf).unwrap(), c.www_authenticate());
    let h: heapless::String<256> = c.to_heapless().unwrap();
    assert_eq!(h.as_str(), c.www_authenticate());
}

#[test]
fn large_tokens_up_to_the_limit() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    let mut c = claims();
    c["pad"] = json!("x".repeat(4000));
    let req = get("/mcp", &format!("Bearer {}", key.token("at+jwt", &c)));
    assert!(rs.authenticate(&req, now()).is_ok());
    // beyond the 8 KiB default limit: refused
    c["pad"] = json!("x".repeat(9000));
    let req = get("/mcp", &format!("Bearer {}", key.token("at+jwt", &c)));
    assert_eq!(
        rs.authenticate(&req, now()).unwrap_err().error(),
        ChallengeError::InvalidToken
    );
}

#[test]
fn operation_scopes_appear_in_every_challenge() {
    let key = EcKey::generate("k1");
    let rs = server(&key);
    let c = rs
        .authenticate_with_scopes(&HttpRequest::get("/mcp"), "mcp:admin", now())
        .unwrap_err();
    assert_eq!(
        c.www_authenticate(),
        format!(r#"Bearer scope="mcp:admin", resource_metadata="{PRM}""#)
    );
    let mut cl = claims();
    cl["exp"] = json!(NOW - 3600);
    let req = get("/mcp", &format!("Bearer {}", key.token("at+jwt", &cl)));
    let c = rs
        .authenticate_with_scopes(&req, "mcp:admin", now())
        .unwrap_err();
    assert_eq!(c.scope(), Some("mcp:admin"));
}
