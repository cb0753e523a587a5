//! Requests recorded from a real client, openid-client 6.9.0 (Node), replayed against our
//! authorization endpoint, PAR endpoint and client authentication: a plain PKCE authorization
//! URL, PAR with `private_key_jwt`, PAR with `client_secret_basic` for an id and secret that need
//! RFC 6749 §2.3.1 form-encoding, and a JAR (RFC 9101) request object; and the other way, our
//! authorization response as openid-client's callback validation (state, RFC 9207 `iss`) took it.
//!
//! Recorded by `tests/data/server_authorize/record-openid-client.mjs` (the PAR endpoint's answer
//! was faked in the script's fetch, so its `request_uri` is `...:recorded`).
#![cfg(feature = "std")]

use oauth_core::encoding::form::query_pairs;
use oauth_core::http::{HttpRequest, Method};
use oauth_core::jose::{JwkSet, JwkSetOptions};
use oauth_core::pkce::PkcePolicy;
use oauth_core::rand::RandomError;
use oauth_core::server::HandleHash;
use oauth_core::server::authorize::{
    AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
    validate_authorization_request,
};
use oauth_core::server::par::{parse_par_request, process_par_request};
use oauth_core::server::{
    AssertionAudience, ClientAuthError, ClientSecret, RegisteredClient, TokenEndpointAuthMethod,
};
use oauth_core::time::UnixTime;
use serde_json::Value;

fn fixture() -> Value {
    let text = include_str!("data/server_authorize/openid-client-6.9.0.json");
    serde_json::from_str(text).unwrap()
}

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    |buf: &mut [u8]| {
        buf.fill(9);
        Ok(())
    }
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str().unwrap_or_else(|| panic!("{path:?}"))
}

fn registered(id: &str, method: TokenEndpointAuthMethod) -> RegisteredClient {
    RegisteredClient::confidential(id, method, vec!["https://client.example.org/cb".into()])
        .with_scopes(&["openid", "read"])
        .with_resources(&["https://mcp.example.com/mcp"])
}

fn keys(f: &Value) -> JwkSet {
    let text = serde_json::to_vec(&f["public_jwks"]).unwrap();
    JwkSet::parse(&text, &JwkSetOptions::default()).unwrap()
}

fn post(request: &Value) -> HttpRequest {
    let mut r = HttpRequest::new(Method::Post, s(request, &["url"]));
    for (k, v) in request["headers"].as_object().unwrap() {
        r.headers.append(k.as_str(), v.as_str().unwrap()).unwrap();
    }
    r.body = s(request, &["body"]).as_bytes().to_vec();
    r
}

#[test]
fn openid_client_authorization_url_with_pkce() {
    let f = fixture();
    let policy = AuthorizePolicy::new(s(&f, &["issuer"]));
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let client =
        RegisteredClient::public("public-app", vec!["https://client.example.org/cb".into()])
            .with_scopes(&["openid", "read"])
            .with_resources(&["https://mcp.example.com/mcp"]);
    let parsed =
        parse_authorization_request(&HttpRequest::get(s(&f, &["authorization_url"]))).unwrap();
    let req = validate_authorization_request(&policy, &client, parsed, None, now).unwrap();
    assert_eq!(req.state(), Some(s(&f, &["params", "state"])));
    assert_eq!(req.nonce(), Some(s(&f, &["params", "nonce"])));
    assert_eq!(req.scopes(), ["openid", "read"]);
    assert_eq!(req.resources(), ["https://mcp.example.com/mcp"]);
    let approved = req
        .approve(AuthorizationDecision::new("alice"), now, &mut rng())
        .unwrap();
    // The client's verifier matches what we stored.
    oauth_core::pkce::verify(
        s(&f, &["code_verifier"]),
        &approved.record.code_challenge,
        approved.record.code_challenge_method,
        PkcePolicy::S256_ONLY,
    )
    .unwrap();
    let loc = approved.response.header("location").unwrap();
    let p = query_pairs(loc.split_once('?').unwrap().1).unwrap();
    assert_eq!(p.get("iss").unwrap(), Some(s(&f, &["issuer"])));
    assert_eq!(p.get("state").unwrap(), Some(s(&f, &["params", "state"])));

    // openid-client's authorizationCodeGrant was fed exactly this redirect (recorded by
    // `tests/data/server_authorize/callback-openid-client.mjs`): it checked state and the
    // RFC 9207 iss, accepted it, and sent our code with its verifier; with another iss it refused.
    let cb: Value = serde_json::from_str(include_str!(
        "data/server_authorize/openid-client-6.9.0-callback.json"
    ))
    .unwrap();
    assert_eq!(loc, s(&cb, &["location"]));
    assert_eq!(cb["ours"]["accepted"], true);
    assert_eq!(cb["wrong_iss"]["accepted"], false);
    let sent =
        oauth_core::encoding::form::parse_form(s(&cb, &["ours", "token_request"]).as_bytes())
            .unwrap();
    let code = sent.get("code").unwrap().unwrap();
    assert_eq!(HandleHash::of(code), approved.record.code_hash);
    assert_eq!(
        sent.get("code_verifier").unwrap(),
        Some(s(&f, &["code_verifier"]))
    );
}

#[test]
fn openid_client_par_with_private_key_jwt_then_authorize() {
    let f = fixture();
    let issuer = s(&f, &["issuer"]);
    let policy = AuthorizePolicy::new(issuer);
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let client =
        registered("pkjwt-app", TokenEndpointAuthMethod::PrivateKeyJwt).with_jwks(keys(&f));
    let http = post(&f["par_private_key_jwt"]["request"]);
    let par = parse_par_request(&http).unwrap();
    assert_eq!(par.client_id(), "pkjwt-app");
    let pushed = process_par_request(
        &policy,
        &client,
        par,
        &AssertionAudience::issuer(issuer),
        now,
        &mut rng(),
    )
    .unwrap();
    let replay = pushed.client.replay_record().expect("the assertion's jti");
    assert_eq!(replay.client_id, "pkjwt-app");
    assert!(!replay.jti.is_empty());
    assert!(
        pushed
            .record
            .params
            .iter()
            .all(|(k, _)| !k.starts_with("client_assertion"))
    );

    // The same assertion two minutes later: expired (its lifetime is 60 s).
    let later = UnixTime::from_secs(now.as_secs() + 121);
    let err = process_par_request(
        &policy,
        &client,
        parse_par_request(&http).unwrap(),
        &AssertionAudience::issuer(issuer),
        later,
        &mut rng(),
    )
    .unwrap_err();
    assert_eq!(
        err.error_code(),
        oauth_core::error::ErrorCode::InvalidClient
    );

    // The client then follows the authorize URL it built from the PAR answer (which the recording
    // faked as `...:recorded`): store our record under that handle, as if we had issued it.
    let mut record = pushed.record;
    let authorize = HttpRequest::get(s(&f, &["par_private_key_jwt", "authorize_url"]));
    let parsed = parse_authorization_request(&authorize).unwrap();
    record.request_uri = parsed.request_uri().unwrap().to_string();
    let req = validate_authorization_request(&policy, &client, parsed, Some(record), now).unwrap();
    assert!(req.is_pushed());
    assert_eq!(req.state(), Some(s(&f, &["params", "state"])));
    assert_eq!(req.resources(), ["https://mcp.example.com/mcp"]);
}

#[test]
fn openid_client_basic_credentials_are_form_decoded() {
    let f = fixture();
    let rec = &f["par_client_secret_basic"];
    let issuer = s(&f, &["issuer"]);
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let client = registered("my app:1", TokenEndpointAuthMethod::ClientSecretBasic)
        .with_secret(ClientSecret::sha256_verifier(s(rec, &["client_secret"])));
    let par = parse_par_request(&post(&rec["request"])).unwrap();
    // openid-client form-encodes id and secret before base64 (RFC 6749 §2.3.1).
    assert_eq!(par.client_id(), "my app:1");
    let pushed = process_par_request(
        &AuthorizePolicy::new(issuer),
        &client,
        par,
        &AssertionAudience::issuer(issuer),
        now,
        &mut rng(),
    )
    .unwrap();
    assert_eq!(pushed.client.client_id(), "my app:1");
    assert_eq!(pushed.response.status, 201);
    // A different secret fails.
    let wrong = client
        .clone()
        .with_secret(ClientSecret::sha256_verifier("p@ss word/+"));
    let err = process_par_request(
        &AuthorizePolicy::new(issuer),
        &wrong,
        parse_par_request(&post(&rec["request"])).unwrap(),
        &AssertionAudience::issuer(issuer),
        now,
        &mut rng(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        oauth_core::server::AuthorizeError::ClientAuth(ClientAuthError::SecretMismatch)
    );
}

#[test]
fn openid_client_request_object() {
    let f = fixture();
    let issuer = s(&f, &["issuer"]);
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let client =
        registered("pkjwt-app", TokenEndpointAuthMethod::PrivateKeyJwt).with_jwks(keys(&f));
    let parsed =
        parse_authorization_request(&HttpRequest::get(s(&f, &["jar_authorize_url"]))).unwrap();
    let req =
        validate_authorization_request(&AuthorizePolicy::new(issuer), &client, parsed, None, now)
            .unwrap();
    assert_eq!(req.state(), Some(s(&f, &["params", "state"])));
    assert_eq!(req.code_challenge().0, s(&f, &["params", "code_challenge"]));
    // Another client's keys do not verify it.
    let other = registered("pkjwt-app", TokenEndpointAuthMethod::PrivateKeyJwt);
    let parsed =
        parse_authorization_request(&HttpRequest::get(s(&f, &["jar_authorize_url"]))).unwrap();
    assert!(
        validate_authorization_request(&AuthorizePolicy::new(issuer), &other, parsed, None, now)
            .is_err()
    );
}
