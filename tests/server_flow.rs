//! Full flows through the token side of the authorization server, in process:
//! authorization code + PKCE → tokens → refresh → introspection → revocation;
//! client credentials (RFC 6749 §4.4.2 example); device flow (RFC 8628); token
//! exchange (RFC 8693); ID-JAG (RFC 7523). Client requests are hand-built.
#![cfg(feature = "std")]

mod server_token_support;

use oauth_core::jose::{Validation, sign_jwt};
use oauth_core::server::token::device_code::normalize_user_code;
use oauth_core::server::token::jwt_bearer::{AssertionKind, JwtBearerPolicy, TrustedIssuer};
use oauth_core::server::token::token_exchange::ExchangePolicy;
use server_token_support::*;
use std::sync::Arc;

#[test]
fn authorization_code_flow_with_refresh_introspection_and_revocation() {
    let mut s = server();
    let (code, verifier) = authorize(
        &mut s,
        "public-app",
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "openid read"),
            ("resource", RESOURCE),
            ("nonce", "n-0S6_WzA2Mj"),
        ],
        now(0),
    );
    let resp = s.token(
        &code_request("public-app", &code, &verifier, &[("resource", RESOURCE)]),
        now(5),
        &mut rng(1),
    );
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    // RFC 6749 §5.1: no-store, Bearer, expires_in, scope.
    assert_eq!(resp.header("Cache-Control"), Some("no-store"));
    assert_eq!(resp.header("Pragma"), Some("no-cache"));
    let body = json(&resp);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["scope"], "openid read");
    let at = body["access_token"].as_str().unwrap();
    // The resource server's view: RFC 9068 claims.
    let claims = verify_at(&s, at, RESOURCE, now(6));
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], RESOURCE);
    assert_eq!(claims["client_id"], "public-app");
    assert_eq!(claims["scope"], "openid read");
    assert_eq!(claims["iat"], now(5).as_secs());
    assert_eq!(claims["exp"], now(605).as_secs());
    assert_eq!(claims["auth_time"], now(0).as_secs());
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    assert!(claims.get("cnf").is_none());
    // The ID token (OIDC Core §2): aud = azp = client, nonce, at_hash.
    let id_token = body["id_token"].as_str().unwrap();
    let jwks = oauth_core::jose::JwkSet::parse(&s.jwks(now(6)).body, &Default::default()).unwrap();
    let mut scratch = vec![0u8; id_token.len()];
    let idt = Validation::new(ISSUER, "public-app")
        .verify(id_token, &jwks, now(6), &mut scratch)
        .unwrap();
    let idc: serde_json::Value = idt.claims().deserialize().unwrap();
    assert_eq!(idc["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(idc["azp"], "public-app");
    assert_eq!(idc["sub"], "alice");
    let mut at_hash = [0u8; 43];
    let expected = oauth_core::jose::oidc_hash_claim(
        oauth_core::jose::Algorithm::ES256,
        at.as_bytes(),
        &mut at_hash,
    )
    .unwrap();
    assert_eq!(idc["at_hash"], expected);

    // Refresh (public client: rotation), narrowing scope.
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    assert!(rt.len() >= 43);
    let refreshed = s.token(
        &form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "public-app"),
            ("scope", "read"),
        ]),
        now(100),
        &mut rng(2),
    );
    assert_eq!(
        refreshed.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&refreshed.body)
    );
    let rb = json(&refreshed);
    assert_eq!(rb["scope"], "read");
    let rt2 = rb["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt, rt2, "public clients rotate refresh tokens");
    let at2 = rb["access_token"].as_str().unwrap().to_string();
    assert_eq!(verify_at(&s, &at2, RESOURCE, now(101))["scope"], "read");

    // Introspection by a confidential client (RFC 7662).
    let intro = |s: &mut oauth_core::server::memory::MemoryAuthorizationServer, token: &str, t| {
        let r = basic(
            form(&[("token", token), ("token_type_hint", "access_token")]),
            "web-app",
            "web-secret",
        );
        json(&s.introspect(&r, t))
    };
    let i = intro(&mut s, &at2, now(102));
    assert_eq!(i["active"], true);
    assert_eq!(i["client_id"], "public-app");
    assert_eq!(i["sub"], "alice");
    assert_eq!(i["scope"], "read");
    assert_eq!(i["iss"], ISSUER);
    assert_eq!(i["token_type"], "Bearer");
    assert_eq!(i["aud"][0], RESOURCE);
    // Unknown and expired tokens: {"active":false} and nothing else.
    assert_eq!(
        intro(&mut s, "no-such-token", now(102)),
        serde_json::json!({"active": false})
    );
    assert_eq!(
        intro(&mut s, &at2, now(100 + 600)),
        serde_json::json!({"active": false})
    );
    // Another client's refresh token is not shown to web-app.
    assert_eq!(
        intro(&mut s, &rt2, now(102)),
        serde_json::json!({"active": false})
    );

    // Revocation of the refresh token revokes the family (RFC 7009 §2.1).
    let rev = s.revoke(
        &form(&[("token", &rt2), ("client_id", "public-app")]),
        now(103),
    );
    assert_eq!(rev.status, 200);
    assert_eq!(
        intro(&mut s, &at2, now(104)),
        serde_json::json!({"active": false})
    );
    let again = s.token(
        &form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt2),
            ("client_id", "public-app"),
        ]),
        now(105),
        &mut rng(3),
    );
    assert_eq!(error_of(&again), "invalid_grant");
    // Unknown tokens: 200 all the same (RFC 7009 §2.2).
    let unknown = s.revoke(
        &form(&[("token", "nope"), ("client_id", "public-app")]),
        now(106),
    );
    assert_eq!(unknown.status, 200);
}

#[test]
fn rfc6749_4_4_2_client_credentials() {
    let mut s = server();
    // RFC 6749 §4.4.2: Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW, grant_type=client_credentials.
    let req = form(&[("grant_type", "client_credentials")])
        .with_header("Authorization", "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
        .unwrap();
    let resp = s.token(&req, now(0), &mut rng(9));
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let body = json(&resp);
    assert!(
        body.get("refresh_token").is_none(),
        "RFC 6749 §4.4.3: no refresh token"
    );
    let claims = verify_at(&s, body["access_token"].as_str().unwrap(), RESOURCE, now(1));
    // RFC 9068 §2.2: sub is the client for client credentials.
    assert_eq!(claims["sub"], "s6BhdRkqt3");
    assert_eq!(claims["client_id"], "s6BhdRkqt3");
}

#[test]
fn client_credentials_with_private_key_jwt() {
    let mut s = server();
    let key = signing_key(CLIENT_KEY);
    let assertion = sign_jwt(
        &serde_json::json!({"iss": "key-app", "sub": "key-app", "aud": ISSUER,
            "jti": "a-1", "iat": now(0).as_secs(), "exp": now(60).as_secs()}),
        &key,
        None,
    )
    .unwrap();
    let req = form(&[
        ("grant_type", "client_credentials"),
        ("scope", "read"),
        ("resource", RESOURCE),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", &assertion),
    ]);
    let ok = s.token(&req, now(1), &mut rng(4));
    assert_eq!(ok.status, 200, "{:?}", String::from_utf8_lossy(&ok.body));
    // RFC 7523 §3 item 7: the same assertion again is a replay.
    let replay = s.token(&req, now(2), &mut rng(5));
    assert_eq!(replay.status, 401);
    assert_eq!(error_of(&replay), "invalid_client");
}

#[test]
fn device_flow_rfc8628() {
    let mut s = server();
    // RFC 8628 §3.1: POST /device_authorization with client_id and scope.
    let start = s.device_authorization(
        &form(&[
            ("client_id", "tv"),
            ("scope", "read"),
            ("resource", RESOURCE),
        ]),
        now(0),
        &mut rng(11),
    );
    assert_eq!(
        start.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&start.body)
    );
    let d = json(&start);
    // RFC 8628 §3.2 members.
    for m in [
        "device_code",
        "user_code",
        "verification_uri",
        "verification_uri_complete",
    ] {
        assert!(d[m].is_string(), "{m}");
    }
    assert_eq!(d["expires_in"], 600);
    assert_eq!(d["interval"], 5);
    let user_code = d["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(user_code.as_bytes()[4], b'-');
    let complete = d["verification_uri_complete"].as_str().unwrap();
    assert!(complete.starts_with("https://as.example.com/device?user_code="));
    let device_code = d["device_code"].as_str().unwrap().to_string();
    // RFC 8628 §3.4 polling request.
    let poll = |s: &mut oauth_core::server::memory::MemoryAuthorizationServer, t| {
        s.token(
            &form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", &device_code),
                ("client_id", "tv"),
            ]),
            now(t),
            &mut rng(t),
        )
    };
    assert_eq!(error_of(&poll(&mut s, 5)), "authorization_pending");
    // The user types the code in lower case without the dash (RFC 8628 §6.1).
    let typed = user_code.replace('-', "").to_lowercase();
    let normalized = normalize_user_code(&typed).unwrap();
    s.store.device_by_user_code(&normalized).unwrap().approve(
        "alice",
        &["read".to_string()],
        Some(now(20)),
    );
    // Polling faster than the interval: slow_down (RFC 8628 §3.5).
    assert_eq!(error_of(&poll(&mut s, 7)), "slow_down");
    // The interval is now 10 s: 15 s after the last poll is fine.
    let ok = poll(&mut s, 22);
    assert_eq!(ok.status, 200, "{:?}", String::from_utf8_lossy(&ok.body));
    let body = json(&ok);
    assert!(body["refresh_token"].is_string());
    let claims = verify_at(
        &s,
        body["access_token"].as_str().unwrap(),
        RESOURCE,
        now(23),
    );
    assert_eq!(claims["sub"], "alice");
    // The device code is spent.
    assert_eq!(error_of(&poll(&mut s, 40)), "invalid_grant");
}

fn web_app_code_tokens(
    s: &mut oauth_core::server::memory::MemoryAuthorizationServer,
) -> serde_json::Value {
    let (code, verifier) = authorize(
        s,
        "web-app",
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "read write"),
            ("resource", RESOURCE),
        ],
        now(0),
    );
    let req = basic(
        form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ]),
        "web-app",
        "web-secret",
    );
    let resp = s.token(&req, now(1), &mut rng(21));
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    json(&resp)
}

#[test]
fn token_exchange_rfc8693_with_delegation_chain() {
    let mut s = server();
    let mut ex = ExchangePolicy::default();
    ex.allow_impersonation = true; // the second exchange below has no actor token
    ex.subject_audiences = vec![RESOURCE.into()];
    s.exchange = Some(ex);
    // A subject token that allows "agent-7" to act for alice (RFC 8693 §4.4
    // may_act), itself already delegated once (act = service-1).
    let key = signing_key(AS_KEY);
    let kid = key.kid().map(str::to_string);
    let published: serde_json::Value = json(&s.jwks(now(0)));
    let as_kid = published["keys"][0]["kid"].as_str().unwrap().to_string();
    let key = key.with_kid(&as_kid).unwrap();
    assert!(kid.is_none());
    let subject = sign_jwt(
        &serde_json::json!({"iss": ISSUER, "sub": "alice", "aud": RESOURCE, "client_id": "web-app",
            "scope": "read write", "jti": "s-1", "iat": now(0).as_secs(), "exp": now(600).as_secs(),
            "may_act": {"sub": "agent-7"}, "act": {"sub": "service-1"}}),
        &key,
        Some("at+jwt"),
    )
    .unwrap();
    let actor = sign_jwt(
        &serde_json::json!({"iss": ISSUER, "sub": "agent-7", "aud": RESOURCE, "client_id": "web-app",
            "jti": "a-1", "iat": now(0).as_secs(), "exp": now(600).as_secs()}),
        &key,
        Some("at+jwt"),
    )
    .unwrap();
    // RFC 8693 §2.3-shaped request (resource + subject_token + type), plus an actor.
    let req = basic(
        form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("resource", OTHER_RESOURCE),
            ("subject_token", &subject),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
            ("actor_token", &actor),
            (
                "actor_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
            ("scope", "read"),
        ]),
        "web-app",
        "web-secret",
    );
    let resp = s.token(&req, now(10), &mut rng(31));
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let body = json(&resp);
    // RFC 8693 §2.3 example response members.
    assert_eq!(
        body["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(body["token_type"], "Bearer");
    assert!(body.get("refresh_token").is_none());
    let claims = verify_at(
        &s,
        body["access_token"].as_str().unwrap(),
        OTHER_RESOURCE,
        now(11),
    );
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["scope"], "read");
    // RFC 8693 §4.1: the current actor outermost, the earlier one nested.
    assert_eq!(
        claims["act"],
        serde_json::json!({"sub": "agent-7", "act": {"sub": "service-1"}})
    );

    // Our own refresh flow's access token can be exchanged too (impersonation).
    let tokens = web_app_code_tokens(&mut s);
    let at = tokens["access_token"].as_str().unwrap();
    let req = basic(
        form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("audience", OTHER_RESOURCE),
            ("subject_token", at),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
        ]),
        "web-app",
        "web-secret",
    );
    let resp = s.token(&req, now(20), &mut rng(32));
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let c = verify_at(
        &s,
        json(&resp)["access_token"].as_str().unwrap(),
        OTHER_RESOURCE,
        now(21),
    );
    assert_eq!(c["scope"], "read write");
    assert!(c.get("act").is_none());
}

#[test]
fn id_jag_jwt_bearer() {
    let mut s = server();
    let idp = "https://idp.example.com";
    s.jwt_bearer = Some(JwtBearerPolicy::new(vec![TrustedIssuer::new(
        idp,
        Arc::new(public_set(IDP_KEY)),
        AssertionKind::IdJag,
    )]));
    let key = signing_key(IDP_KEY);
    let jag = |client_id: &str, jti: &str| {
        sign_jwt(
            &serde_json::json!({"iss": idp, "sub": "alice@corp", "aud": ISSUER, "client_id": client_id,
                "resource": RESOURCE, "scope": "read write", "jti": jti,
                "iat": now(0).as_secs(), "exp": now(120).as_secs()}),
            &key,
            Some("oauth-id-jag+jwt"),
        )
        .unwrap()
    };
    let req = |assertion: &str| {
        form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion),
            ("scope", "read"),
            ("client_id", "agent"),
            ("client_secret", "agent-secret"),
        ])
    };
    let ok = s.token(&req(&jag("agent", "j-1")), now(1), &mut rng(41));
    assert_eq!(ok.status, 200, "{:?}", String::from_utf8_lossy(&ok.body));
    let c = verify_at(
        &s,
        json(&ok)["access_token"].as_str().unwrap(),
        RESOURCE,
        now(2),
    );
    assert_eq!(c["sub"], "alice@corp");
    assert_eq!(c["scope"], "read");
    assert_eq!(c["client_id"], "agent");
    // Replayed jti (RFC 7523 §3 item 7).
    assert_eq!(
        error_of(&s.token(&req(&jag("agent", "j-1")), now(3), &mut rng(42))),
        "invalid_grant"
    );
    // An ID-JAG issued for another client (MCP: client_id must match).
    assert_eq!(
        error_of(&s.token(&req(&jag("someone-else", "j-2")), now(3), &mut rng(43))),
        "invalid_grant"
    );
    // Untyped assertion from the IdP: explicit typing is required for ID-JAG.
    let untyped = sign_jwt(
        &serde_json::json!({"iss": idp, "sub": "alice@corp", "aud": ISSUER, "client_id": "agent",
            "resource": RESOURCE, "jti": "j-3", "iat": now(0).as_secs(), "exp": now(120).as_secs()}),
        &key,
        None,
    )
    .unwrap();
    assert_eq!(
        error_of(&s.token(&req(&untyped), now(3), &mut rng(44))),
        "invalid_grant"
    );
}

/// The client side is team C's `client` module: it builds the requests and
/// checks our responses with its own rules.
#[test]
fn client_module_against_the_token_endpoint() {
    use oauth_core::client::{
        ClientAuth, TokenExchange, TokenResponseOptions, client_credentials_request,
        process_token_exchange_response, process_token_response, token_exchange_request,
    };
    use oauth_core::metadata::AuthorizationServerMetadata;
    let mut s = server();
    let mut meta = AuthorizationServerMetadata::new(ISSUER);
    meta.token_endpoint = Some(TOKEN_ENDPOINT.into());
    // private_key_jwt client credentials (RFC 7523 §2.2 client authentication).
    let auth = ClientAuth::private_key_jwt("key-app", signing_key(CLIENT_KEY));
    let req = client_credentials_request(
        &meta,
        &auth,
        Some("read"),
        &[RESOURCE],
        now(0),
        &mut rng(61),
    )
    .unwrap();
    let resp = s.token(&req, now(0), &mut rng(62));
    let tokens = process_token_response(&resp, TokenResponseOptions::new()).unwrap();
    assert_eq!(tokens.scope().unwrap(), ["read"]);
    assert_eq!(tokens.expires_in(), Some(600));
    let at = tokens.access_token().expose().to_string();
    assert_eq!(verify_at(&s, &at, RESOURCE, now(1))["sub"], "key-app");

    // Token exchange (RFC 8693) by web-app of a token issued for it.
    let mut ex = ExchangePolicy::default();
    ex.subject_audiences = vec![RESOURCE.into()];
    s.exchange = Some(ex);
    let web = web_app_code_tokens(&mut s);
    let subject = web["access_token"].as_str().unwrap().to_string();
    let auth = ClientAuth::client_secret_basic("web-app", "web-secret");
    let exchange = TokenExchange::new(subject, "urn:ietf:params:oauth:token-type:access_token")
        .resource(OTHER_RESOURCE)
        .scope("read");
    // Without an actor token this is impersonation, which the default policy refuses.
    let req = token_exchange_request(&meta, &auth, &exchange, now(5), &mut rng(65)).unwrap();
    let resp = s.token(&req, now(5), &mut rng(66));
    assert_eq!(resp.status, 400, "impersonation refused by default");
    if let Some(ex) = s.exchange.as_mut() {
        ex.allow_impersonation = true;
    }
    let req = token_exchange_request(&meta, &auth, &exchange, now(5), &mut rng(63)).unwrap();
    let resp = s.token(&req, now(5), &mut rng(64));
    let issued = process_token_exchange_response(
        &resp,
        exchange.expected_issued_token_type(),
        TokenResponseOptions::new(),
    )
    .unwrap();
    assert_eq!(
        issued.issued_token_type(),
        Some("urn:ietf:params:oauth:token-type:access_token")
    );
    let c = verify_at(&s, issued.access_token().expose(), OTHER_RESOURCE, now(6));
    assert_eq!(c["sub"], "alice");
    assert_eq!(c["scope"], "read");
}
