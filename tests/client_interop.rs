//! Interop with a real authorization server: responses recorded from oidc-provider 9.13.3 (npm)
//! on loopback, answering requests this crate built, replayed through the `process_*` functions.
//!
//! `record` (ignored) re-records them against a running server (see
//! `tests/data/client/oidc-provider/server.mjs`): it builds every request with `oauth_core::client`,
//! sends it over a plain loopback TCP connection, drives oidc-provider's development login and
//! consent pages, processes each response, and writes `tests/data/client/oidc-provider/*.json`.
//! The other tests replay those files.
// Needs `std` (TCP for recording, the system RNG).
#![cfg(feature = "std")]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;

use oauth_core::client::{
    AuthorizationRequest, AuthorizationState, ClientAuth, ClientError, DeviceFlow, DevicePoll,
    TokenResponseOptions, TokenType, TokenTypeHint, authorization_code_request,
    client_credentials_request, device_authorization_request, discovery_requests,
    introspection_request, process_device_authorization_response, process_discovery_response,
    process_par_response, process_refresh_token_response, process_registration_response,
    process_revocation_response, process_token_response, refresh_token_request,
    registration_request, revocation_request,
};
use oauth_core::encoding::form;
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpRequest, HttpResponse};
use oauth_core::metadata::{AuthorizationServerMetadata, ClientMetadata};
use oauth_core::rand::SystemRandom;
use oauth_core::time::UnixTime;

const ISSUER: &str = "http://127.0.0.1:3999";
const CLIENT_ID: &str = "agent";
const CLIENT_SECRET: &str = "agent-secret-with-at-least-32-bytes!!";
const REDIRECT_URI: &str = "http://127.0.0.1:8765/cb";
const RESOURCE: &str = "http://127.0.0.1:9999/mcp";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/client/oidc-provider")
}

fn auth() -> ClientAuth {
    ClientAuth::client_secret_basic(CLIENT_ID, CLIENT_SECRET)
}

// ------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------

fn to_json(resp: &HttpResponse) -> serde_json::Value {
    serde_json::json!({
        "status": resp.status,
        "headers": resp.headers.iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("set-cookie") && !k.eq_ignore_ascii_case("date"))
            .map(|(k, v)| [k, v]).collect::<Vec<_>>(),
        "body": String::from_utf8_lossy(&resp.body),
    })
}

fn load(name: &str) -> HttpResponse {
    let path = dir().join(format!("{name}.json"));
    let v: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap();
    let mut resp = HttpResponse::new(v["status"].as_u64().unwrap() as u16)
        .with_body(v["body"].as_str().unwrap().as_bytes().to_vec());
    for h in v["headers"].as_array().unwrap() {
        resp = resp
            .with_header(h[0].as_str().unwrap(), h[1].as_str().unwrap())
            .unwrap();
    }
    resp
}

fn load_value(name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join(format!("{name}.json"))).unwrap()).unwrap()
}

/// The claims of a JWT, decoded without verification (to inspect what the server issued).
fn payload(jwt: &str) -> serde_json::Value {
    use base64::Engine as _;
    let seg = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(seg)
            .unwrap(),
    )
    .unwrap()
}

fn meta() -> AuthorizationServerMetadata {
    process_discovery_response(ISSUER, &load("discovery")).unwrap()
}

// ------------------------------------------------------------------------------------------
// Replay
// ------------------------------------------------------------------------------------------

#[test]
fn discovery_from_oidc_provider() {
    // oidc-provider answers at the RFC 8414 URL (tried first) and the OIDC one, with the same
    // document.
    let rfc8414 = process_discovery_response(ISSUER, &load("discovery_rfc8414")).unwrap();
    assert_eq!(rfc8414, meta());
    let m = meta();
    assert_eq!(m.issuer, ISSUER);
    assert!(m.supports_pkce_method("S256"));
    assert_eq!(m.authorization_response_iss_parameter_supported, Some(true));
    assert!(m.pushed_authorization_request_endpoint.is_some());
    // The same document is refused for another issuer string.
    assert!(matches!(
        process_discovery_response("http://localhost:3999", &load("discovery")),
        Err(ClientError::IssuerMismatch { .. })
    ));
}

#[test]
fn code_flow_from_oidc_provider() {
    let m = meta();
    let cb = load_value("callback");
    let state: AuthorizationState = serde_json::from_value(cb["state"].clone()).unwrap();
    let url = cb["url"].as_str().unwrap();
    let code = state.process_callback(url).unwrap();
    let q = form::query_pairs(url.split_once('?').unwrap().1).unwrap();
    assert_eq!(q.get("code").unwrap(), Some(code.code().expose()));
    // oidc-provider sends RFC 9207 iss; a tampered one is refused.
    assert_eq!(q.get("iss").unwrap(), Some(ISSUER));
    let tampered = url.replace(
        "iss=http%3A%2F%2F127.0.0.1%3A3999",
        "iss=http%3A%2F%2F127.0.0.1%3A3998",
    );
    assert_ne!(tampered, url);
    assert_eq!(
        state.process_callback(&tampered).unwrap_err(),
        ClientError::AuthorizationIssuerMismatch
    );
    let without_iss = url.replace("&iss=http%3A%2F%2F127.0.0.1%3A3999", "");
    assert_eq!(
        state.process_callback(&without_iss).unwrap_err(),
        ClientError::MissingIssuer
    );
    // The token request this crate builds, and oidc-provider's answer.
    let req = authorization_code_request(
        &m,
        &auth(),
        &state,
        &code,
        UnixTime::from_secs(0),
        &mut SystemRandom::new(),
    )
    .unwrap();
    assert_eq!(Some(req.url.as_str()), m.token_endpoint.as_deref());
    let tokens = process_token_response(&load("token_code"), TokenResponseOptions::new()).unwrap();
    assert_eq!(tokens.token_type(), TokenType::Bearer);
    assert!(tokens.id_token().is_some());
    assert!(tokens.refresh_token().is_some());
    assert!(tokens.expires_in().is_some());
    // The ID token carries the nonce this crate sent (checked here by decoding only; the oidc
    // module validates ID tokens), and the access token is for the resource indicated.
    let id = payload(tokens.id_token().unwrap().expose());
    assert_eq!(id["nonce"].as_str(), state.nonce().map(|n| n.expose()));
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["iss"], ISSUER);
    assert_eq!(payload(tokens.access_token().expose())["aud"], RESOURCE);
    // With a resource indicator, oidc-provider reports the resource's scope.
    assert_eq!(tokens.scope().unwrap(), ["api:read"]);
    // The refresh (oidc-provider rotates refresh tokens of this client or keeps them: both are
    // handled).
    let refreshed = process_refresh_token_response(
        &load("token_refresh"),
        tokens.refresh_token().unwrap(),
        TokenResponseOptions::new(),
    )
    .unwrap();
    assert!(refreshed.refresh_token().is_some());
    // A redeemed code again: invalid_grant.
    let err = process_token_response(&load("token_code_reused"), TokenResponseOptions::new())
        .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidGrant)
    );
}

#[test]
fn client_credentials_with_resource_from_oidc_provider() {
    let t = process_token_response(
        &load("token_client_credentials"),
        TokenResponseOptions::new(),
    )
    .unwrap();
    assert_eq!(t.token_type(), TokenType::Bearer);
    assert_eq!(t.scope().unwrap(), ["api:read"]);
    // A JWT access token for the resource named in the request (RFC 8707 §2).
    let at = payload(t.access_token().expose());
    assert_eq!(at["aud"], RESOURCE);
    assert_eq!(at["client_id"], CLIENT_ID);
    let err = process_token_response(
        &load("token_client_credentials_bad_secret"),
        TokenResponseOptions::new(),
    )
    .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidClient)
    );
    assert!(matches!(
        err,
        ClientError::ErrorResponse {
            status: Some(401),
            ..
        }
    ));
}

#[test]
fn par_device_registration_revocation_from_oidc_provider() {
    let m = meta();
    let cb = load_value("callback");
    let state: AuthorizationState = serde_json::from_value(cb["state"].clone()).unwrap();
    let pushed = process_par_response(&state, &load("par")).unwrap();
    assert!(
        pushed
            .request_uri()
            .starts_with("urn:ietf:params:oauth:request_uri:")
    );
    assert!(
        pushed
            .authorization_url(&m)
            .unwrap()
            .starts_with("http://127.0.0.1:3999/auth?client_id=agent&request_uri=")
    );
    let device = process_device_authorization_response(&load("device_authorization")).unwrap();
    assert!(device.verification_uri().starts_with(ISSUER));
    let t0 = UnixTime::from_secs(1_700_000_000);
    let mut flow = DeviceFlow::new(&device, t0);
    let next = t0.saturating_add(device.interval());
    assert_eq!(flow.poll(t0).unwrap(), DevicePoll::WaitUntil(next));
    flow.token_request(&m, &auth(), next, &mut SystemRandom::new())
        .unwrap();
    assert!(
        flow.handle_response(&load("device_pending"), next, TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    let later = next.saturating_add(device.interval());
    flow.token_request(&m, &auth(), later, &mut SystemRandom::new())
        .unwrap();
    assert!(
        flow.handle_response(
            &load("device_pending_again"),
            later,
            TokenResponseOptions::new()
        )
        .unwrap()
        .is_none()
    );
    assert_eq!(flow.interval(), device.interval());
    // After the user approved (on oidc-provider's device pages), the next poll has the tokens.
    let last = later.saturating_add(device.interval());
    flow.token_request(&m, &auth(), last, &mut SystemRandom::new())
        .unwrap();
    let tokens = flow
        .handle_response(&load("device_tokens"), last, TokenResponseOptions::new())
        .unwrap()
        .unwrap();
    assert_eq!(tokens.token_type(), TokenType::Bearer);
    assert!(tokens.id_token().is_some());
    assert_eq!(
        flow.poll(last).unwrap_err(),
        ClientError::DeviceFlowFinished
    );
    let requested =
        ClientMetadata::from_json(load_value("registration_request").to_string().as_bytes())
            .unwrap();
    let info = process_registration_response(&requested, &load("registration")).unwrap();
    assert!(!info.client_id.is_empty());
    assert_eq!(info.metadata.application_type.as_deref(), Some("native"));
    process_revocation_response(&load("revocation")).unwrap();
}

// ------------------------------------------------------------------------------------------
// Recording (needs the server; run with --ignored)
// ------------------------------------------------------------------------------------------

/// One HTTP/1.1 exchange on loopback (`http://127.0.0.1:port/...` only), with a cookie jar.
fn send(req: &HttpRequest, jar: &mut Vec<(String, String)>) -> HttpResponse {
    let rest = req.url.strip_prefix("http://").expect("loopback http");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(host).unwrap();
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.method,
        path,
        req.body.len()
    );
    for (k, v) in req.headers.iter() {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !jar.is_empty() {
        let c: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        head.push_str(&format!("Cookie: {}\r\n", c.join("; ")));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&req.body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut resp = HttpResponse::new(status);
    let mut chunked = false;
    for line in lines {
        let (k, v) = line.split_once(':').unwrap();
        let v = v.trim();
        if k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked") {
            chunked = true;
            continue;
        }
        if k.eq_ignore_ascii_case("set-cookie") {
            let pair = v.split(';').next().unwrap();
            let (n, val) = pair.split_once('=').unwrap();
            jar.retain(|(x, _)| x != n);
            jar.push((n.to_owned(), val.to_owned()));
        }
        resp = resp.with_header(k, v).unwrap();
    }
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    resp.with_body(body)
}

fn save(name: &str, value: &serde_json::Value) {
    let path = dir().join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap() + "\n").unwrap();
}

fn record_resp(name: &str, resp: &HttpResponse) {
    save(name, &to_json(resp));
}

fn absolute(location: &str) -> String {
    if location.starts_with("http") {
        location.to_owned()
    } else {
        format!("{ISSUER}{location}")
    }
}

/// The `xsrf` hidden input of an oidc-provider device page.
fn xsrf_of(page: &HttpResponse) -> String {
    let html = String::from_utf8_lossy(&page.body).into_owned();
    html.split(r#"name="xsrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

/// Follows redirects from `resp`, submitting oidc-provider's development login (as `alice`) and
/// consent pages, until a redirect to `stop_at` (returned) or a final 200 page (left in `resp`).
fn drive_interactions(
    resp: &mut HttpResponse,
    jar: &mut Vec<(String, String)>,
    stop_at: Option<&str>,
) -> Option<String> {
    loop {
        match resp.status {
            302 | 303 => {
                let loc = absolute(resp.header("location").unwrap());
                if stop_at.is_some_and(|s| loc.starts_with(s)) {
                    return Some(loc);
                }
                *resp = send(&HttpRequest::get(loc.clone()), jar);
                if resp.status == 200 && loc.contains("/interaction/") {
                    let html = String::from_utf8_lossy(&resp.body).into_owned();
                    let prompt: &[(&str, &str)] = if html.contains(r#"name="login""#) {
                        &[("prompt", "login"), ("login", "alice"), ("password", "x")]
                    } else {
                        &[("prompt", "consent")]
                    };
                    *resp = send(&HttpRequest::post_form(loc, prompt), jar);
                }
            }
            200 if stop_at.is_none() => return None,
            s => panic!(
                "unexpected status {s}: {}",
                String::from_utf8_lossy(&resp.body)
            ),
        }
    }
}

#[test]
#[ignore = "needs oidc-provider on 127.0.0.1:3999 (tests/data/client/oidc-provider/server.mjs)"]
fn record() {
    assert_eq!(
        std::env::var("OAUTH_CORE_OIDC_PROVIDER").as_deref(),
        Ok(ISSUER)
    );
    let rng = &mut SystemRandom::new();
    let now = UnixTime::from_system_time(std::time::SystemTime::now()).unwrap();
    let mut jar = Vec::new();

    // Discovery, in the MCP order.
    let reqs = discovery_requests(ISSUER).unwrap();
    let first = send(&reqs[0], &mut jar);
    record_resp("discovery_rfc8414", &first);
    let second = send(&reqs[1], &mut jar);
    record_resp("discovery", &second);
    let m = process_discovery_response(ISSUER, &second).unwrap();
    // The signing keys, so the recorded ID token can be verified (by the oidc module's tests).
    let jwks = send(
        &HttpRequest::get(m.jwks_uri.clone().unwrap()).with_accept_json(),
        &mut jar,
    );
    record_resp("jwks", &jwks);

    // Authorization code + PKCE + resource, through the development login and consent pages.
    let (url, state) = AuthorizationRequest::new(&m, CLIENT_ID, REDIRECT_URI)
        .scope("openid offline_access api:read")
        .resource(RESOURCE)
        .unwrap()
        .prompt("consent")
        .build(rng)
        .unwrap();
    let mut resp = send(&HttpRequest::get(url), &mut jar);
    let callback = drive_interactions(&mut resp, &mut jar, Some(REDIRECT_URI)).unwrap();
    save(
        "callback",
        &serde_json::json!({ "url": callback, "state": state }),
    );
    let code = state.process_callback(&callback).unwrap();
    let req = authorization_code_request(&m, &auth(), &state, &code, now, rng).unwrap();
    let token_resp = send(&req, &mut jar);
    record_resp("token_code", &token_resp);
    let tokens = process_token_response(&token_resp, TokenResponseOptions::new()).unwrap();
    let code_req = req;

    let refresh = tokens.refresh_token().unwrap().clone();
    let req = refresh_token_request(&m, &auth(), &refresh, None, &[], now, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("token_refresh", &r);
    let refreshed =
        process_refresh_token_response(&r, &refresh, TokenResponseOptions::new()).unwrap();

    let req =
        client_credentials_request(&m, &auth(), Some("api:read"), &[RESOURCE], now, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("token_client_credentials", &r);
    process_token_response(&r, TokenResponseOptions::new()).unwrap();
    let bad = ClientAuth::client_secret_basic(CLIENT_ID, "wrong-secret");
    let req =
        client_credentials_request(&m, &bad, Some("api:read"), &[RESOURCE], now, rng).unwrap();
    record_resp("token_client_credentials_bad_secret", &send(&req, &mut jar));

    // PAR.
    let (req, par_state) = AuthorizationRequest::new(&m, CLIENT_ID, REDIRECT_URI)
        .scope("openid")
        .build_pushed(&auth(), now, rng)
        .unwrap();
    let r = send(&req, &mut jar);
    record_resp("par", &r);
    process_par_response(&par_state, &r).unwrap();

    // Device authorization, then two polls, both pending (the user never logs in).
    let req = device_authorization_request(&m, &auth(), Some("openid"), &[], now, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("device_authorization", &r);
    let device = process_device_authorization_response(&r).unwrap();
    let mut flow = DeviceFlow::new(&device, now);
    let t1 = now.saturating_add(device.interval());
    let req = flow.token_request(&m, &auth(), t1, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("device_pending", &r);
    assert!(
        flow.handle_response(&r, t1, TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    let t2 = t1.saturating_add(flow.interval());
    let req = flow.token_request(&m, &auth(), t2, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("device_pending_again", &r);
    assert!(
        flow.handle_response(&r, t2, TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    // The user enters the code at the verification URI, logs in and consents...
    let page = send(&HttpRequest::get(device.verification_uri()), &mut jar);
    let confirm = send(
        &HttpRequest::post_form(
            device.verification_uri(),
            &[("xsrf", &xsrf_of(&page)), ("user_code", device.user_code())],
        ),
        &mut jar,
    );
    let mut resp = send(
        &HttpRequest::post_form(
            device.verification_uri(),
            &[
                ("xsrf", &xsrf_of(&confirm)),
                ("user_code", device.user_code()),
                ("confirm", "yes"),
            ],
        ),
        &mut jar,
    );
    drive_interactions(&mut resp, &mut jar, None);
    // ...and the next poll yields the tokens.
    let t3 = t2.saturating_add(flow.interval());
    let req = flow.token_request(&m, &auth(), t3, rng).unwrap();
    let r = send(&req, &mut jar);
    record_resp("device_tokens", &r);
    assert!(
        flow.handle_response(&r, t3, TokenResponseOptions::new())
            .unwrap()
            .is_some()
    );

    // Dynamic registration of a native client.
    let mut md = ClientMetadata::default();
    md.redirect_uris = Some(vec!["http://127.0.0.1:8766/cb".into()]);
    md.application_type = Some("native".into());
    md.token_endpoint_auth_method = Some("none".into());
    md.grant_types = Some(vec!["authorization_code".into()]);
    md.response_types = Some(vec!["code".into()]);
    md.client_name = Some("oauth-core interop".into());
    save(
        "registration_request",
        &serde_json::from_slice(&md.to_json()).unwrap(),
    );
    let r = send(&registration_request(&m, &md, None).unwrap(), &mut jar);
    record_resp("registration", &r);
    process_registration_response(&md, &r).unwrap();

    // Introspection of the (opaque) refresh token is accepted (200); then its revocation.
    let token = refreshed.refresh_token().unwrap();
    let r = send(
        &introspection_request(
            &m,
            &auth(),
            token,
            Some(TokenTypeHint::RefreshToken),
            now,
            rng,
        )
        .unwrap(),
        &mut jar,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.content_type_is_json());
    let r = send(
        &revocation_request(
            &m,
            &auth(),
            token,
            Some(TokenTypeHint::RefreshToken),
            now,
            rng,
        )
        .unwrap(),
        &mut jar,
    );
    record_resp("revocation", &r);
    process_revocation_response(&r).unwrap();
    // Last: a redeemed code sent again (oidc-provider then revokes the grant, RFC 6749 §4.1.2).
    record_resp("token_code_reused", &send(&code_req, &mut jar));
}
