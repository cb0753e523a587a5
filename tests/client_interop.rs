//! Interop with a real authorization server: responses recorded from oidc-provider 9.13.3 (npm)
//! on loopback, answering requests this crate built, replayed through the `process_*` functions.
//!
//! The live twin, `tests/interop_oidc_provider.rs` (`--features interop`, run by `.ci/interop`
//! against `tests/data/interop/oidc_provider.mjs`), drives the same flows against the running
//! server and re-records these files when `OAUTH_CORE_INTEROP_RECORD=1`.
// Needs `std` (the system RNG).
#![cfg(feature = "std")]

use std::path::PathBuf;

use oauth_core::client::{
    AuthorizationState, ClientAuth, ClientError, DeviceFlow, DevicePoll, TokenResponseOptions,
    TokenType, authorization_code_request, process_device_authorization_response,
    process_discovery_response, process_par_response, process_refresh_token_response,
    process_registration_response, process_revocation_response, process_token_response,
};
use oauth_core::encoding::form;
use oauth_core::error::ErrorCode;
use oauth_core::http::HttpResponse;
use oauth_core::metadata::{AuthorizationServerMetadata, ClientMetadata};
use oauth_core::rand::SystemRandom;
use oauth_core::time::UnixTime;

const ISSUER: &str = "http://127.0.0.1:3999";
const CLIENT_ID: &str = "agent";
const CLIENT_SECRET: &str = "agent-secret-with-at-least-32-bytes!!";
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
