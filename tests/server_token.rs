//! Attack and failure cases at the token endpoint: each names the rule it checks.
#![cfg(feature = "std")]

mod server_token_support;

use oauth_core::jose::sign_jwt;
use oauth_core::server::memory::MemoryAuthorizationServer;
use oauth_core::server::token::token_exchange::ExchangePolicy;
use oauth_core::server::token::{DpopKey, TokenError};
use server_token_support::*;

fn public_code(s: &mut MemoryAuthorizationServer, extra: &[(&str, &str)]) -> (String, String) {
    let mut pairs = vec![
        ("redirect_uri", REDIRECT),
        ("scope", "read write"),
        ("resource", RESOURCE),
    ];
    pairs.extend_from_slice(extra);
    authorize(s, "public-app", &pairs, now(0))
}

fn ok_tokens(s: &mut MemoryAuthorizationServer) -> serde_json::Value {
    let (code, verifier) = public_code(s, &[]);
    let resp = s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(1),
        &mut rng(1),
    );
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    json(&resp)
}

fn refresh(
    s: &mut MemoryAuthorizationServer,
    client: &str,
    rt: &str,
    extra: &[(&str, &str)],
    t: u64,
) -> oauth_core::http::HttpResponse {
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", rt),
        ("client_id", client),
    ];
    pairs.extend_from_slice(extra);
    s.token(&form(&pairs), now(t), &mut rng(t))
}

fn active(s: &mut MemoryAuthorizationServer, token: &str, t: u64) -> bool {
    let r = basic(form(&[("token", token)]), "web-app", "web-secret");
    json(&s.introspect(&r, now(t)))["active"] == true
}

#[test]
fn code_replay_is_refused_and_revokes_what_the_code_issued() {
    // RFC 9700 §4.5, RFC 6749 §4.1.2.
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    let first = json(&s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(1),
        &mut rng(1),
    ));
    let at = first["access_token"].as_str().unwrap().to_string();
    let rt = first["refresh_token"].as_str().unwrap().to_string();
    assert!(active(&mut s, &at, 2));
    let replay = s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(3),
        &mut rng(2),
    );
    assert_eq!(replay.status, 400);
    assert_eq!(error_of(&replay), "invalid_grant");
    assert!(
        !active(&mut s, &at, 4),
        "the access token from the code is revoked"
    );
    assert_eq!(
        error_of(&refresh(&mut s, "public-app", &rt, &[], 5)),
        "invalid_grant"
    );
}

#[test]
fn pkce_missing_verifier_is_refused() {
    // RFC 7636 §4.6 / RFC 9700 §2.1.1.
    let mut s = server();
    let (code, _) = public_code(&mut s, &[]);
    let req = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
        ("client_id", "public-app"),
    ]);
    assert_eq!(
        error_of(&s.token(&req, now(1), &mut rng(1))),
        "invalid_grant"
    );
}

#[test]
fn pkce_wrong_verifier_is_refused_and_the_code_is_spent() {
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    let wrong = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assert_ne!(wrong, verifier);
    let r = s.token(
        &code_request("public-app", &code, wrong, &[]),
        now(1),
        &mut rng(1),
    );
    assert_eq!(error_of(&r), "invalid_grant");
    // The code was taken: trying the right verifier now is a replay.
    let r2 = s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(2),
        &mut rng(2),
    );
    assert_eq!(error_of(&r2), "invalid_grant");
}

#[test]
fn pkce_downgrade_to_plain_is_refused_at_redemption() {
    // The authorization endpoint accepted `plain` under a lenient policy; the token
    // endpoint's default policy (S256 only, RFC 9700 §2.1.1) still refuses it.
    use oauth_core::server::authorize::{
        AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
        validate_authorization_request,
    };
    let mut s = server();
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let url = oauth_core::encoding::form::append_query(
        "https://as.example.com/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "public-app"),
            ("redirect_uri", REDIRECT),
            ("code_challenge", verifier),
            ("code_challenge_method", "plain"),
        ],
    )
    .unwrap();
    let mut lenient = AuthorizePolicy::new(ISSUER);
    lenient.pkce = oauth_core::pkce::PkcePolicy::ALLOW_PLAIN;
    let client = s.clients.get("public-app").unwrap().clone();
    let params = parse_authorization_request(&oauth_core::http::HttpRequest::get(url)).unwrap();
    let approved = validate_authorization_request(&lenient, &client, params, None, now(0))
        .unwrap()
        .approve(AuthorizationDecision::new("alice"), now(0), &mut rng(5))
        .unwrap();
    let loc = approved.response.header("Location").unwrap().to_string();
    let code = oauth_core::encoding::form::query_pairs(loc.split_once('?').unwrap().1)
        .unwrap()
        .get("code")
        .unwrap()
        .unwrap()
        .to_string();
    s.store.insert_code(approved.record);
    let r = s.token(
        &code_request("public-app", &code, verifier, &[]),
        now(1),
        &mut rng(1),
    );
    assert_eq!(error_of(&r), "invalid_grant");
    assert!(
        json(&r)["error_description"]
            .as_str()
            .unwrap()
            .contains("plain")
    );
}

#[test]
fn redirect_uri_mismatch_at_redemption_is_refused() {
    // RFC 6749 §4.1.3: identical to the authorization request's.
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    let req = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", "https://client.example.com/cb?extra=1"),
        ("client_id", "public-app"),
        ("code_verifier", &verifier),
    ]);
    assert_eq!(
        error_of(&s.token(&req, now(1), &mut rng(1))),
        "invalid_grant"
    );
    // Omitting it when the authorization request had it is refused too.
    let (code, verifier) = public_code(&mut s, &[]);
    let req = form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("client_id", "public-app"),
        ("code_verifier", &verifier),
    ]);
    assert_eq!(
        error_of(&s.token(&req, now(1), &mut rng(2))),
        "invalid_grant"
    );
}

#[test]
fn resource_not_authorized_is_invalid_target() {
    // RFC 8707 §2: the token request may only narrow the authorized resources.
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    let r = s.token(
        &code_request(
            "public-app",
            &code,
            &verifier,
            &[("resource", OTHER_RESOURCE)],
        ),
        now(1),
        &mut rng(1),
    );
    assert_eq!(r.status, 400);
    assert_eq!(error_of(&r), "invalid_target");
}

#[test]
fn code_of_another_client_is_refused() {
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
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
    assert_eq!(
        error_of(&s.token(&req, now(1), &mut rng(1))),
        "invalid_grant"
    );
}

#[test]
fn expired_code_is_refused() {
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    // Codes live 60 s by default.
    let r = s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(61),
        &mut rng(1),
    );
    assert_eq!(error_of(&r), "invalid_grant");
}

#[test]
fn refresh_reuse_revokes_the_family() {
    // RFC 9700 §4.14.2.
    let mut s = server();
    let t = ok_tokens(&mut s);
    let rt1 = t["refresh_token"].as_str().unwrap().to_string();
    let r2 = json(&refresh(&mut s, "public-app", &rt1, &[], 10));
    let rt2 = r2["refresh_token"].as_str().unwrap().to_string();
    let at2 = r2["access_token"].as_str().unwrap().to_string();
    assert!(active(&mut s, &at2, 11));
    // The attacker (or the client) presents the rotated token again.
    let reuse = refresh(&mut s, "public-app", &rt1, &[], 12);
    assert_eq!(error_of(&reuse), "invalid_grant");
    // Everything of the family is gone.
    assert!(!active(&mut s, &at2, 13));
    assert_eq!(
        error_of(&refresh(&mut s, "public-app", &rt2, &[], 14)),
        "invalid_grant"
    );
}

/// A refresh token family has an absolute end (`TokenPolicy::refresh_family_lifetime`): each
/// rotation grants `refresh_token_lifetime` again (the idle timeout of RFC 9700 §4.14.2) but
/// never past the family's end, so rotating cannot keep a stolen family alive.
#[test]
fn rotation_never_extends_a_refresh_family_past_its_absolute_lifetime() {
    const DAY: u64 = 86_400;
    let mut p = policy();
    p.refresh_token_lifetime = oauth_core::time::Duration::from_secs(10 * DAY);
    p.refresh_family_lifetime = Some(oauth_core::time::Duration::from_secs(15 * DAY));
    let mut s = server_with(p.clone());
    // The family starts at the code redemption, t = 1 s.
    let t = ok_tokens(&mut s);
    let rt1 = t["refresh_token"].as_str().unwrap().to_string();
    // Day 9: rotation; the new token would live to day 19, the family ends at day 15 + 1 s.
    let r2 = json(&refresh(&mut s, "public-app", &rt1, &[], 9 * DAY));
    let rt2 = r2["refresh_token"].as_str().unwrap().to_string();
    // Day 15: still inside the family's life, rotation works.
    let r3 = json(&refresh(&mut s, "public-app", &rt2, &[], 15 * DAY));
    let rt3 = r3["refresh_token"].as_str().unwrap().to_string();
    // Day 15 + 1 s: the family is over, although the last token was issued a second ago.
    assert_eq!(
        error_of(&refresh(&mut s, "public-app", &rt3, &[], 15 * DAY + 1)),
        "invalid_grant"
    );

    // Without the absolute bound, the same sequence keeps rotating: day 24 is within ten days
    // of the day-15 rotation.
    p.refresh_family_lifetime = None;
    let mut s = server_with(p);
    let t = ok_tokens(&mut s);
    let rt1 = t["refresh_token"].as_str().unwrap().to_string();
    let r2 = json(&refresh(&mut s, "public-app", &rt1, &[], 9 * DAY));
    let rt2 = r2["refresh_token"].as_str().unwrap().to_string();
    let r3 = json(&refresh(&mut s, "public-app", &rt2, &[], 15 * DAY));
    let rt3 = r3["refresh_token"].as_str().unwrap().to_string();
    let r4 = refresh(&mut s, "public-app", &rt3, &[], 24 * DAY);
    assert_eq!(r4.status, 200);
    let rt4 = json(&r4)["refresh_token"].as_str().unwrap().to_string();
    // The idle timeout still applies: ten days without use end the token.
    assert_eq!(
        error_of(&refresh(&mut s, "public-app", &rt4, &[], 34 * DAY)),
        "invalid_grant"
    );
}

#[test]
fn refresh_token_of_another_client_is_refused() {
    // RFC 6749 §6: bound to the client it was issued to.
    let mut s = server();
    let t = ok_tokens(&mut s);
    let rt = t["refresh_token"].as_str().unwrap();
    let req = basic(
        form(&[("grant_type", "refresh_token"), ("refresh_token", rt)]),
        "web-app",
        "web-secret",
    );
    assert_eq!(
        error_of(&s.token(&req, now(5), &mut rng(5))),
        "invalid_grant"
    );
    // The rightful client still can.
    assert_eq!(refresh(&mut s, "public-app", rt, &[], 6).status, 200);
}

#[test]
fn scope_widening_on_refresh_is_refused() {
    // RFC 6749 §6: no scope not originally granted.
    let mut s = server();
    let (code, verifier) = authorize(
        &mut s,
        "public-app",
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "read"),
            ("resource", RESOURCE),
        ],
        now(0),
    );
    let t = json(&s.token(
        &code_request("public-app", &code, &verifier, &[]),
        now(1),
        &mut rng(1),
    ));
    let rt = t["refresh_token"].as_str().unwrap();
    let r = refresh(&mut s, "public-app", rt, &[("scope", "read write")], 5);
    assert_eq!(error_of(&r), "invalid_scope");
}

#[test]
fn client_auth_with_another_clients_assertion_is_refused() {
    // key-app's assertion presented with client_id=s6BhdRkqt3 (RFC 7521 §4.2),
    // and an assertion signed by key-app's key but naming s6BhdRkqt3.
    let mut s = server();
    let key = signing_key(CLIENT_KEY);
    let sign = |who: &str, jti: &str| {
        sign_jwt(
            &serde_json::json!({"iss": who, "sub": who, "aud": ISSUER, "jti": jti,
                "iat": now(0).as_secs(), "exp": now(60).as_secs()}),
            &key,
            None,
        )
        .unwrap()
    };
    let ty = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    let theirs = sign("key-app", "x-1");
    let r = s.token(
        &form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "s6BhdRkqt3"),
            ("client_assertion_type", ty),
            ("client_assertion", &theirs),
        ]),
        now(1),
        &mut rng(1),
    );
    assert!(r.status == 400 || r.status == 401, "{}", r.status);
    assert!(["invalid_client", "invalid_request"].contains(&error_of(&r).as_str()));
    let forged = sign("s6BhdRkqt3", "x-2");
    let r = s.token(
        &form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", ty),
            ("client_assertion", &forged),
        ]),
        now(1),
        &mut rng(2),
    );
    assert_eq!(r.status, 401);
    assert_eq!(error_of(&r), "invalid_client");
}

#[test]
fn wrong_basic_secret_gets_www_authenticate() {
    // RFC 6749 §5.2: 401 with WWW-Authenticate for Basic.
    let mut s = server();
    let r = s.token(
        &basic(
            form(&[("grant_type", "client_credentials")]),
            "s6BhdRkqt3",
            "nope",
        ),
        now(0),
        &mut rng(1),
    );
    assert_eq!(r.status, 401);
    assert!(r.header("WWW-Authenticate").unwrap().starts_with("Basic"));
}

#[test]
fn public_client_cannot_use_client_credentials() {
    // RFC 6749 §4.4: confidential clients only.
    let mut s = server();
    let r = s.token(
        &form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "public-app"),
        ]),
        now(0),
        &mut rng(1),
    );
    assert_eq!(error_of(&r), "unauthorized_client");
}

#[test]
fn client_credentials_scope_and_resource_policy() {
    let mut s = server();
    let req = |extra: &[(&str, &str)]| {
        let mut p = vec![("grant_type", "client_credentials")];
        p.extend_from_slice(extra);
        basic(form(&p), "s6BhdRkqt3", "gX1fBat3bV")
    };
    assert_eq!(
        error_of(&s.token(&req(&[("scope", "write")]), now(0), &mut rng(1))),
        "invalid_scope"
    );
    assert_eq!(
        error_of(&s.token(&req(&[("resource", OTHER_RESOURCE)]), now(0), &mut rng(2))),
        "invalid_target"
    );
}

fn start_device(s: &mut MemoryAuthorizationServer) -> String {
    let d = json(&s.device_authorization(
        &form(&[("client_id", "tv"), ("scope", "read")]),
        now(0),
        &mut rng(7),
    ));
    d["device_code"].as_str().unwrap().to_string()
}

fn poll(s: &mut MemoryAuthorizationServer, dc: &str, t: u64) -> oauth_core::http::HttpResponse {
    s.token(
        &form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", dc),
            ("client_id", "tv"),
        ]),
        now(t),
        &mut rng(t),
    )
}

#[test]
fn expired_device_code_is_expired_token() {
    // RFC 8628 §3.5.
    let mut s = server();
    let dc = start_device(&mut s);
    assert_eq!(error_of(&poll(&mut s, &dc, 600)), "expired_token");
}

#[test]
fn polling_too_fast_is_slow_down_and_the_interval_grows() {
    // RFC 8628 §3.5: +5 s for this and all later requests.
    let mut s = server();
    let dc = start_device(&mut s);
    assert_eq!(error_of(&poll(&mut s, &dc, 1)), "authorization_pending");
    assert_eq!(error_of(&poll(&mut s, &dc, 4)), "slow_down");
    // 9 s after the last poll is too fast for the new 10 s interval.
    assert_eq!(error_of(&poll(&mut s, &dc, 13)), "slow_down");
    assert_eq!(error_of(&poll(&mut s, &dc, 28)), "authorization_pending");
}

#[test]
fn denied_device_authorization_is_access_denied() {
    let mut s = server();
    let d = json(&s.device_authorization(
        &form(&[("client_id", "tv"), ("scope", "read")]),
        now(0),
        &mut rng(7),
    ));
    let uc = oauth_core::server::token::device_code::normalize_user_code(
        d["user_code"].as_str().unwrap(),
    )
    .unwrap();
    s.store.device_by_user_code(&uc).unwrap().deny();
    let r = poll(&mut s, d["device_code"].as_str().unwrap(), 5);
    // RFC 8628 §3.5 errors are RFC 6749 §5.2 token errors: 400.
    assert_eq!(r.status, 400);
    assert_eq!(error_of(&r), "access_denied");
}

#[test]
fn token_exchange_without_may_act_permission_is_refused() {
    // RFC 8693 §4.4: the subject token does not name the actor in may_act.
    let mut s = server();
    let mut ex = ExchangePolicy::default();
    ex.subject_audiences = vec![RESOURCE.into()];
    s.exchange = Some(ex);
    let kid = json(&s.jwks(now(0)))["keys"][0]["kid"]
        .as_str()
        .unwrap()
        .to_string();
    let key = signing_key(AS_KEY).with_kid(&kid).unwrap();
    let token = |sub: &str, may_act: serde_json::Value| {
        sign_jwt(
            &serde_json::json!({"iss": ISSUER, "sub": sub, "aud": RESOURCE, "client_id": "web-app",
                "scope": "read", "jti": sub, "iat": now(0).as_secs(), "exp": now(600).as_secs(),
                "may_act": may_act}),
            &key,
            Some("at+jwt"),
        )
        .unwrap()
    };
    let subject = token("alice", serde_json::json!({"sub": "someone-else"}));
    let actor = token("agent-7", serde_json::Value::Null);
    let req = basic(
        form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
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
        ]),
        "web-app",
        "web-secret",
    );
    let r = s.token(&req, now(1), &mut rng(1));
    assert_eq!(error_of(&r), "invalid_request");
    assert!(
        json(&r)["error_description"]
            .as_str()
            .unwrap()
            .contains("may_act")
    );
}

#[test]
fn token_exchange_rejects_foreign_and_unsupported_subject_tokens() {
    let mut s = server();
    let mut ex = ExchangePolicy::default();
    ex.allow_impersonation = true; // refused for the token, not for the missing actor
    s.exchange = Some(ex);
    // RFC 8693 §2.3's opaque example subject token is not one of our JWTs.
    let req = |ty: &str| {
        basic(
            form(&[
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                ),
                ("resource", RESOURCE),
                (
                    "subject_token",
                    "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC",
                ),
                ("subject_token_type", ty),
            ]),
            "web-app",
            "web-secret",
        )
    };
    assert_eq!(
        error_of(&s.token(
            &req("urn:ietf:params:oauth:token-type:access_token"),
            now(1),
            &mut rng(1)
        )),
        "invalid_grant"
    );
    assert_eq!(
        error_of(&s.token(
            &req("urn:ietf:params:oauth:token-type:saml2"),
            now(1),
            &mut rng(2)
        )),
        "unsupported_token_type"
    );
}

#[test]
fn request_shape_errors() {
    let mut s = server();
    let dup = form(&[
        ("grant_type", "client_credentials"),
        ("grant_type", "client_credentials"),
    ]);
    assert_eq!(
        error_of(&s.token(&dup, now(0), &mut rng(1))),
        "invalid_request"
    );
    let unknown = form(&[
        ("grant_type", "password"),
        ("username", "a"),
        ("password", "b"),
    ]);
    assert_eq!(
        error_of(&s.token(&unknown, now(0), &mut rng(1))),
        "unsupported_grant_type"
    );
    let mut get = form(&[("grant_type", "client_credentials")]);
    get.method = oauth_core::http::Method::Get;
    assert_eq!(
        error_of(&s.token(&get, now(0), &mut rng(1))),
        "invalid_request"
    );
}

#[test]
fn malformed_dpop_proof_is_refused_not_ignored() {
    let mut s = server();
    let (code, verifier) = public_code(&mut s, &[]);
    let req = code_request("public-app", &code, &verifier, &[])
        .with_header("DPoP", "a.b.c")
        .unwrap();
    assert_eq!(
        error_of(&s.token(&req, now(1), &mut rng(1))),
        "invalid_dpop_proof"
    );
}

#[test]
fn dpop_bound_code_needs_the_same_key_and_tokens_carry_cnf() {
    // RFC 9449 §10 (dpop_jkt at authorization) and §6.1 (cnf.jkt).
    let jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    let mut s = server();
    // A stand-in validator: the proof's "value" is the thumbprint of its key.
    s.dpop = Some(Box::new(|proof, _req, _now| {
        Ok(DpopKey::from_validated_thumbprint(proof))
    }));
    let (code, verifier) = public_code(&mut s, &[("dpop_jkt", jkt)]);
    let other = code_request("public-app", &code, &verifier, &[])
        .with_header("DPoP", "another-key-thumbprint")
        .unwrap();
    assert_eq!(
        error_of(&s.token(&other, now(1), &mut rng(1))),
        "invalid_grant"
    );

    let (code, verifier) = public_code(&mut s, &[("dpop_jkt", jkt)]);
    let none = code_request("public-app", &code, &verifier, &[]);
    assert_eq!(
        error_of(&s.token(&none, now(1), &mut rng(2))),
        "invalid_grant"
    );

    let (code, verifier) = public_code(&mut s, &[("dpop_jkt", jkt)]);
    let good = code_request("public-app", &code, &verifier, &[])
        .with_header("DPoP", jkt)
        .unwrap();
    let r = s.token(&good, now(1), &mut rng(3));
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    let body = json(&r);
    assert_eq!(body["token_type"], "DPoP");
    let claims = verify_at(&s, body["access_token"].as_str().unwrap(), RESOURCE, now(2));
    assert_eq!(claims["cnf"]["jkt"], jkt);
    // The public client's refresh token is bound too (RFC 9449 §5).
    let rt = body["refresh_token"].as_str().unwrap();
    assert_eq!(
        error_of(&refresh(&mut s, "public-app", rt, &[], 3)),
        "invalid_grant"
    );
}

#[test]
fn use_dpop_nonce_renders_the_nonce() {
    let r = TokenError::UseDpopNonce {
        nonce: "eyJ7S_zG.eyJH0-Z.HX4w-7v".into(),
    }
    .to_http_response();
    assert_eq!(r.status, 400);
    assert_eq!(r.header("DPoP-Nonce"), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
    assert_eq!(error_of(&r), "use_dpop_nonce");
}

#[test]
fn token_exchange_of_a_revoked_token_or_an_unsupported_requested_type_is_refused() {
    let mut s = server();
    let mut ex = ExchangePolicy::default();
    ex.allow_impersonation = true; // refused for the token, not for the missing actor
    ex.subject_audiences = vec![RESOURCE.into()];
    s.exchange = Some(ex);
    let (code, verifier) = authorize(
        &mut s,
        "web-app",
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "read"),
            ("resource", RESOURCE),
        ],
        now(0),
    );
    let t = json(&s.token(
        &basic(
            form(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &verifier),
            ]),
            "web-app",
            "web-secret",
        ),
        now(1),
        &mut rng(1),
    ));
    let at = t["access_token"].as_str().unwrap().to_string();
    let exchange = |s: &mut MemoryAuthorizationServer, extra: &[(&str, &str)], seed| {
        let mut p = vec![
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("subject_token", at.as_str()),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
            ("resource", OTHER_RESOURCE),
        ];
        p.extend_from_slice(extra);
        s.token(
            &basic(form(&p), "web-app", "web-secret"),
            now(2),
            &mut rng(seed),
        )
    };
    let wrong_type = exchange(
        &mut s,
        &[(
            "requested_token_type",
            "urn:ietf:params:oauth:token-type:id_token",
        )],
        2,
    );
    assert_eq!(error_of(&wrong_type), "invalid_request");
    assert_eq!(exchange(&mut s, &[], 3).status, 200);
    // Revoked (RFC 7009) subject tokens cannot be exchanged.
    s.revoke(
        &basic(form(&[("token", &at)]), "web-app", "web-secret"),
        now(2),
    );
    assert_eq!(error_of(&exchange(&mut s, &[], 4)), "invalid_grant");
}
