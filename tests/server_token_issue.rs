//! Token issuing and the endpoints around it: ID token hashes checked with an
//! independent SHA-256 (ring), opaque access tokens through introspection, the
//! RFC 6749 §5.1 response shape, key rotation seen by a resource server, the
//! RFC 8693 §2.3 example with a caller-supplied validator, RFC 7523 assertions,
//! and revocation limited to the client's own tokens.
#![cfg(feature = "std")]

mod server_token_support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::jose::{JwkSet, Validation, sign_jwt};
use oauth_core::server::issue::{AccessTokenFormat, IdTokenInputs, TokenResponse, sign_id_token};
use oauth_core::server::token::jwt_bearer::{AssertionKind, JwtBearerPolicy, TrustedIssuer};
use oauth_core::server::token::token_exchange::{ExchangePolicy, ValidatedToken};
use oauth_core::server::token::{GrantFailure, TokenError};
use oauth_core::time::Duration;
use server_token_support::*;
use std::sync::Arc;

fn left_half_sha256(s: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, s.as_bytes());
    B64.encode(&d.as_ref()[..16])
}

#[test]
fn id_token_carries_oidc_core_claims_and_hashes() {
    // OIDC Core §2, §3.1.3.6 (at_hash), §3.3.2.11 (c_hash).
    let key = signing_key(AS_KEY).with_kid("k1").unwrap();
    let code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
    let at = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    let mut inputs = IdTokenInputs::default();
    inputs.nonce = Some("n-0S6_WzA2Mj");
    inputs.auth_time = Some(now(0));
    inputs.access_token = Some(at);
    inputs.code = Some(code);
    let t = sign_id_token(
        &key,
        ISSUER,
        "248289761001",
        "s6BhdRkqt3",
        Duration::from_secs(600),
        &inputs,
        now(1),
    )
    .unwrap();
    let jwks = JwkSet::from_keys(vec![key.verifying_key().unwrap()]);
    let mut scratch = vec![0u8; t.len()];
    let v = Validation::new(ISSUER, "s6BhdRkqt3")
        .verify(&t, &jwks, now(2), &mut scratch)
        .unwrap();
    let c: serde_json::Value = v.claims().deserialize().unwrap();
    assert_eq!(c["sub"], "248289761001");
    assert_eq!(c["aud"], "s6BhdRkqt3");
    assert_eq!(c["azp"], "s6BhdRkqt3");
    assert_eq!(c["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(c["auth_time"], now(0).as_secs());
    assert_eq!(c["iat"], now(1).as_secs());
    assert_eq!(c["exp"], now(601).as_secs());
    assert_eq!(c["at_hash"], left_half_sha256(at));
    assert_eq!(c["c_hash"], left_half_sha256(code));
}

#[test]
fn rfc6749_5_1_example_response_reads_and_ours_has_the_same_shape() {
    // RFC 6749 §5.1 example (without the non-standard example_parameter).
    let example = br#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}"#;
    let r: TokenResponse = serde_json::from_slice(example).unwrap();
    assert_eq!(r.expires_in, 3600);
    assert_eq!(r.refresh_token.as_deref(), Some("tGzv3JOkF0XG5Qx2TlKWIA"));
    let back: serde_json::Value = serde_json::from_slice(&r.to_json()).unwrap();
    assert_eq!(
        back,
        serde_json::from_slice::<serde_json::Value>(example).unwrap()
    );
    let http = r.to_http_response();
    assert_eq!(http.status, 200);
    assert!(http.content_type_is_json());
    assert_eq!(http.header("Cache-Control"), Some("no-store"));
    assert_eq!(http.header("Pragma"), Some("no-cache"));
    assert!(
        !format!("{r:?}").contains("tGzv3JOkF0XG5Qx2TlKWIA"),
        "Debug redacts"
    );
}

#[test]
fn opaque_access_tokens_are_introspected() {
    let mut s = server();
    s.policy.access_token_format = AccessTokenFormat::Opaque;
    let resp = s.token(
        &basic(
            form(&[("grant_type", "client_credentials"), ("scope", "read")]),
            "s6BhdRkqt3",
            "gX1fBat3bV",
        ),
        now(0),
        &mut rng(1),
    );
    assert_eq!(resp.status, 200);
    let at = json(&resp)["access_token"].as_str().unwrap().to_string();
    assert_eq!(at.len(), 43, "a 256-bit handle, not a JWT");
    assert!(!at.contains('.'));
    let i = json(&s.introspect(
        &basic(form(&[("token", &at)]), "web-app", "web-secret"),
        now(1),
    ));
    assert_eq!(i["active"], true);
    assert_eq!(i["client_id"], "s6BhdRkqt3");
    assert_eq!(i["sub"], "s6BhdRkqt3");
    assert_eq!(i["scope"], "read");
    assert_eq!(i["exp"], now(600).as_secs());
    // Introspection requires an authenticated caller (RFC 7662 §2.1): no
    // credentials, or a public client's bare client_id, get 401.
    let anon = s.introspect(&form(&[("token", &at)]), now(1));
    assert_eq!(anon.status, 401);
    let public = s.introspect(
        &form(&[("token", &at), ("client_id", "public-app")]),
        now(1),
    );
    assert_eq!(public.status, 401);
    assert_eq!(error_of(&public), "invalid_client");
}

#[test]
fn key_rotation_is_seen_by_resource_servers_before_use_and_after_retirement() {
    let mut s = server();
    let cc = |s: &mut oauth_core::server::memory::MemoryAuthorizationServer, t: u64| {
        let r = s.token(
            &basic(
                form(&[("grant_type", "client_credentials")]),
                "s6BhdRkqt3",
                "gX1fBat3bV",
            ),
            now(t),
            &mut rng(t),
        );
        json(&r)["access_token"].as_str().unwrap().to_string()
    };
    // RFC 7517 A.2's key becomes the next key: published now, signing in an hour.
    s.keys.rotate(IDP_KEY.as_bytes(), None, now(100)).unwrap();
    let doc = json(&s.jwks(now(100)));
    assert_eq!(doc["keys"].as_array().unwrap().len(), 2);
    assert_eq!(doc["keys"][1]["kid"], "idp-1");
    let still_old = cc(&mut s, 3590);
    let header = |t: &str| -> serde_json::Value {
        serde_json::from_slice(&B64.decode(t.split('.').next().unwrap()).unwrap()).unwrap()
    };
    assert_ne!(header(&still_old)["kid"], "idp-1");
    let new_token = cc(&mut s, 3700);
    assert_eq!(header(&new_token)["kid"], "idp-1");
    // During the grace period both verify against the published JWKS.
    verify_at(&s, &still_old, RESOURCE, now(3701));
    verify_at(&s, &new_token, RESOURCE, now(3701));
    // After the grace (one day), the old key is no longer published.
    let later = now(3700 + 86_400);
    let doc = json(&s.jwks(later));
    assert_eq!(doc["keys"].as_array().unwrap().len(), 1);
}

#[test]
fn rfc8693_2_3_example_with_a_caller_validator() {
    // RFC 8693 §2.3: an opaque subject token the caller's validator understands.
    let mut s = server();
    let mut ex = ExchangePolicy::default();
    ex.validator = Some(Box::new(|token, ty, _now| {
        if token == "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC"
            && ty == "urn:ietf:params:oauth:token-type:access_token"
        {
            let mut v = ValidatedToken::new("bdc@example.net");
            v.scope = vec!["read".into()];
            Ok(v)
        } else {
            Err(TokenError::InvalidGrant(GrantFailure::Unknown))
        }
    }));
    s.exchange = Some(ex);
    let req = basic(
        form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("resource", OTHER_RESOURCE),
            (
                "subject_token",
                "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC",
            ),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
        ]),
        "web-app",
        "web-secret",
    );
    let resp = s.token(&req, now(0), &mut rng(1));
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let b = json(&resp);
    // RFC 8693 §2.3 response: issued_token_type, token_type Bearer, expires_in.
    assert_eq!(
        b["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(b["token_type"], "Bearer");
    assert!(b["expires_in"].is_u64());
    let c = verify_at(
        &s,
        b["access_token"].as_str().unwrap(),
        OTHER_RESOURCE,
        now(1),
    );
    assert_eq!(c["sub"], "bdc@example.net");
    // Asking for more scope than the subject token has is refused.
    let wider = basic(
        form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("resource", OTHER_RESOURCE),
            ("scope", "read write"),
            (
                "subject_token",
                "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC",
            ),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
        ]),
        "web-app",
        "web-secret",
    );
    assert_eq!(
        error_of(&s.token(&wider, now(2), &mut rng(2))),
        "invalid_scope"
    );
}

#[test]
fn rfc7523_assertions_accept_the_token_endpoint_audience_and_refuse_others() {
    let mut s = server();
    let idp = "https://idp.example.com";
    s.jwt_bearer = Some(JwtBearerPolicy::new(vec![TrustedIssuer::new(
        idp,
        Arc::new(public_set(IDP_KEY)),
        AssertionKind::Jwt,
    )]));
    let key = signing_key(IDP_KEY);
    let assertion = |aud: &str, jti: &str, exp: u64, typ: Option<&str>| {
        sign_jwt(
            &serde_json::json!({"iss": idp, "sub": "alice", "aud": aud, "jti": jti,
                "iat": now(0).as_secs(), "exp": now(exp).as_secs()}),
            &key,
            typ,
        )
        .unwrap()
    };
    let req = |a: &str| {
        form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", a),
            ("scope", "read"),
            ("resource", RESOURCE),
            ("client_id", "agent"),
            ("client_secret", "agent-secret"),
        ])
    };
    // RFC 7523 §3 item 3: the token endpoint URL identifies the AS.
    let ok = s.token(
        &req(&assertion(TOKEN_ENDPOINT, "1", 60, None)),
        now(1),
        &mut rng(1),
    );
    assert_eq!(ok.status, 200, "{:?}", String::from_utf8_lossy(&ok.body));
    assert_eq!(
        verify_at(
            &s,
            json(&ok)["access_token"].as_str().unwrap(),
            RESOURCE,
            now(2)
        )["sub"],
        "alice"
    );
    for (bad, why) in [
        (
            assertion("https://other-as.example", "2", 60, None),
            "audience",
        ),
        (assertion(ISSUER, "3", 3600, None), "lifetime"),
        (
            assertion(ISSUER, "4", 60, Some("at+jwt")),
            "access token as assertion",
        ),
    ] {
        assert_eq!(
            error_of(&s.token(&req(&bad), now(1), &mut rng(2))),
            "invalid_grant",
            "{why}"
        );
    }
    // An issuer that is not trusted.
    let stranger = sign_jwt(
        &serde_json::json!({"iss": "https://evil.example", "sub": "alice", "aud": ISSUER, "jti": "5",
            "exp": now(60).as_secs()}),
        &key,
        None,
    )
    .unwrap();
    assert_eq!(
        error_of(&s.token(&req(&stranger), now(1), &mut rng(3))),
        "invalid_grant"
    );
}

#[test]
fn revocation_only_touches_the_clients_own_tokens() {
    // RFC 7009 §2.1.
    let mut s = server();
    let r = s.token(
        &basic(
            form(&[("grant_type", "client_credentials")]),
            "s6BhdRkqt3",
            "gX1fBat3bV",
        ),
        now(0),
        &mut rng(1),
    );
    let at = json(&r)["access_token"].as_str().unwrap().to_string();
    let by_other = s.revoke(
        &basic(form(&[("token", &at)]), "web-app", "web-secret"),
        now(1),
    );
    assert_eq!(by_other.status, 200);
    let active = |s: &mut oauth_core::server::memory::MemoryAuthorizationServer| {
        json(&s.introspect(
            &basic(form(&[("token", &at)]), "web-app", "web-secret"),
            now(2),
        ))["active"]
            == true
    };
    assert!(active(&mut s), "another client cannot revoke it");
    let by_owner = s.revoke(
        &basic(form(&[("token", &at)]), "s6BhdRkqt3", "gX1fBat3bV"),
        now(1),
    );
    assert_eq!(by_owner.status, 200);
    assert!(!active(&mut s));
}

#[test]
fn access_tokens_and_jwks_verify_with_an_independent_jwt_library() {
    // jsonwebtoken (a peer crate) reads our JWKS and verifies our RFC 9068 token.
    let mut s = server();
    let r = s.token(
        &basic(
            form(&[("grant_type", "client_credentials"), ("scope", "read")]),
            "s6BhdRkqt3",
            "gX1fBat3bV",
        ),
        now(0),
        &mut rng(1),
    );
    let at = json(&r)["access_token"].as_str().unwrap().to_string();
    let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_slice(&s.jwks(now(0)).body).unwrap();
    let header = jsonwebtoken::decode_header(&at).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap();
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    v.set_audience(&[RESOURCE]);
    v.set_issuer(&[ISSUER]);
    // The fixture's clock is in 2027; the peer reads the system clock, so only
    // check the signature and the claims it can compare.
    v.validate_exp = false;
    let data = jsonwebtoken::decode::<serde_json::Value>(&at, &key, &v).unwrap();
    assert_eq!(data.claims["client_id"], "s6BhdRkqt3");
    assert_eq!(data.claims["scope"], "read");
}
