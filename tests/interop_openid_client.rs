//! Live interop: `openid-client` (npm, 6.x) logs in against our authorization server example
//! (`examples/authorization_server.rs` with `--auto-consent` and the clients of
//! `tests/data/interop/openid_client_clients.json`), driven by
//! `tests/data/interop/openid_client_peer.mjs`.
//!
//! The AS example runs on a free loopback port; the script runs once and reports each step;
//! one test per step asserts its outcome:
//! - OIDC discovery; code + PKCE (S256) + `resource` with an ID token that openid-client
//!   validates (signature from our JWKS, `iss`, `aud`, `nonce`), a JWT access token for exactly
//!   the resource (RFC 8707, RFC 9068) and the RFC 9207 `iss` on the callback;
//! - refresh with rotation (the old refresh token then refused), client credentials;
//! - DPoP (RFC 9449) with openid-client's DPoP handle: code flow with `dpop_jkt`, bound access
//!   and refresh tokens (`cnf.jkt` = the key's thumbprint), the public client's refresh token
//!   refused without a proof and under another key; DPoP client credentials; DPoP nonces
//!   (RFC 9449 §8) against a second instance run with `--dpop-nonce`: the first proof is
//!   answered `use_dpop_nonce` with a `DPoP-Nonce` header, openid-client retries with the
//!   nonce, and its next grant reuses the nonce it cached;
//! - refusals: a tampered `state` (openid-client), a wrong PKCE verifier, a reused code, a
//!   wrong client secret, an unregistered resource (our AS), an unexpected ID token `nonce`
//!   (openid-client).
//!
//! Not part of plain `cargo test`: needs `--features interop`, node, and openid-client in
//! `$OAUTH_CORE_INTEROP_NODE_DIR` (default: the cache folder `.ci/interop` installs into), and
//! the example binary: `$OAUTH_CORE_INTEROP_BIN_DIR/authorization_server`, default
//! `target/debug/examples/` (build it first: `cargo build --example authorization_server`).
#![cfg(feature = "std")]

mod interop_support;

use std::sync::OnceLock;

use interop_support::{Running, data, issuer_from_banner, node_report, start};
use serde_json::Value;

const RESOURCE: &str = "https://rs.interop.example/mcp";

/// Starts the AS example on a free loopback port; returns it with its issuer.
fn start_authorization_server(extra: &[&str]) -> (Running, String) {
    let clients = data("openid_client_clients.json");
    let clients = clients.to_str().expect("utf-8 path");
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--auto-consent",
        "--clients",
        clients,
    ];
    args.extend_from_slice(extra);
    let (running, banner) = start("authorization_server", &args);
    (running, issuer_from_banner(&banner))
}

/// The script's report (run once for every test of this file).
fn report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        let (server, issuer) = start_authorization_server(&[]);
        // A second instance requiring DPoP nonces (RFC 9449 §8).
        let (nonce_server, nonce_issuer) = start_authorization_server(&["--dpop-nonce"]);
        let clients = data("openid_client_clients.json");
        let (report, wall) = node_report(
            "openid_client_peer.mjs",
            &[
                &issuer,
                clients.to_str().expect("utf-8 path"),
                RESOURCE,
                &nonce_issuer,
            ],
        );
        drop(server);
        drop(nonce_server);
        println!(
            "interop: openid-client {} script against {issuer}: {} ms wall",
            report["openid_client"].as_str().unwrap_or("?"),
            wall.as_millis()
        );
        report
    })
}

/// The step's report, asserted `ok`.
fn step(name: &str) -> &'static Value {
    let s = &report()["steps"][name];
    assert!(s.is_object(), "no step {name} in the report");
    assert_eq!(s["ok"], true, "step {name}: {s:#}");
    s
}

fn issuer_of_report() -> &'static str {
    report()["steps"]["discovery"]["issuer"]
        .as_str()
        .expect("issuer")
}

#[test]
fn discovery() {
    let s = step("discovery");
    let methods = s["code_challenge_methods_supported"]
        .as_array()
        .expect("code_challenge_methods_supported");
    assert!(methods.iter().any(|m| m == "S256"), "{s}");
}

#[test]
fn code_pkce_resource_id_token() {
    let s = step("code_pkce_resource_id_token");
    let issuer = issuer_of_report();
    // RFC 9207 §2: the authorization response names the issuer.
    assert_eq!(s["callback_has_iss"], true);
    assert!(
        s["token_type"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("bearer"),
        "{s}"
    );
    // openid-client validated the ID token (it would have thrown otherwise); its claims:
    assert_eq!(s["id_token"]["iss"], issuer);
    assert_eq!(s["id_token"]["aud"], "oc-confidential");
    assert_eq!(s["id_token"]["sub"], "demo-user");
    assert_eq!(s["id_token"]["nonce_matches"], true);
    // RFC 8707 / RFC 9068: the access token is for exactly the requested resource.
    assert_eq!(s["access_token"]["aud"], RESOURCE);
    assert_eq!(s["access_token"]["iss"], issuer);
    assert_eq!(s["access_token"]["sub"], "demo-user");
    assert_eq!(s["access_token"]["client_id"], "oc-confidential");
    assert_eq!(s["has_refresh_token"], true);
}

#[test]
fn refresh_rotation() {
    let s = step("refresh_rotation");
    assert_eq!(s["rotated"], true);
    assert_eq!(s["access_token"]["aud"], RESOURCE);
    assert_eq!(s["access_token"]["sub"], "demo-user");
    // RFC 9700 §4.14.2: the rotated-out refresh token is refused.
    assert_eq!(
        s["old_refresh_token_refused"]["refused"]["error"],
        "invalid_grant"
    );
}

#[test]
fn client_credentials() {
    let s = step("client_credentials");
    assert!(
        s["token_type"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("bearer"),
        "{s}"
    );
    assert_eq!(s["access_token"]["aud"], RESOURCE);
    assert_eq!(s["access_token"]["client_id"], "oc-confidential");
    assert_eq!(s["access_token"]["scope"], "mcp:tools");
    // RFC 6749 §4.4.3: no refresh token for client credentials.
    assert_eq!(s["has_refresh_token"], false);
}

#[test]
fn dpop_code_flow_and_bound_refresh() {
    let s = step("dpop_code_refresh");
    // openid-client lower-cases token_type.
    assert_eq!(s["token_type"], "dpop", "{s}");
    assert_eq!(s["cnf_matches"], true, "RFC 9449 §6.1 cnf.jkt: {s}");
    assert_eq!(s["refreshed_token_type"], "dpop");
    assert_eq!(s["refreshed_cnf_matches"], true);
    assert_eq!(s["id_token_sub"], "demo-user");
    assert_eq!(s["refresh_without_proof_refused"]["ok"], true);
    assert_eq!(s["refresh_under_other_key_refused"]["ok"], true);
}

#[test]
fn dpop_client_credentials() {
    let s = step("dpop_client_credentials");
    assert_eq!(s["token_type"], "dpop", "{s}");
    assert_eq!(s["cnf_matches"], true);
    assert_eq!(s["aud"], RESOURCE);
}

/// One token endpoint exchange recorded by the script: (status, error, the proof's nonce, the
/// response's DPoP-Nonce).
type Exchange<'a> = (u64, Option<&'a str>, Option<&'a str>, Option<&'a str>);

fn exchanges(v: &Value) -> Vec<Exchange<'_>> {
    v.as_array()
        .expect("exchanges")
        .iter()
        .map(|e| {
            (
                e["status"].as_u64().expect("status"),
                e["error"].as_str(),
                e["proof_nonce"].as_str(),
                e["dpop_nonce_header"].as_str(),
            )
        })
        .collect()
}

/// RFC 9449 §8: the proof without a nonce is refused with `use_dpop_nonce` and a
/// `DPoP-Nonce`; openid-client retries with exactly that nonce, and succeeds.
fn assert_nonce_retry(ex: &[Exchange<'_>]) {
    assert_eq!(ex.len(), 2, "{ex:?}");
    let (status, error, proof_nonce, header) = ex[0];
    assert_eq!(
        (status, error, proof_nonce),
        (400, Some("use_dpop_nonce"), None)
    );
    let nonce = header.expect("DPoP-Nonce on use_dpop_nonce");
    assert_eq!(ex[1].0, 200, "{ex:?}");
    assert_eq!(ex[1].2, Some(nonce), "the retry carries the server's nonce");
}

#[test]
fn dpop_nonce_code_flow_retry_and_cached_nonce() {
    let s = step("dpop_nonce_code_flow");
    assert_eq!(s["cnf_matches"], true);
    assert_nonce_retry(&exchanges(&s["code_exchanges"]));
    // §8.2: the success carried a nonce too; the refresh proof uses the cached one at once.
    let refresh = exchanges(&s["refresh_exchanges"]);
    assert_eq!(refresh.len(), 1, "{refresh:?}");
    assert_eq!(refresh[0].0, 200);
    assert!(refresh[0].2.is_some(), "{refresh:?}");
}

#[test]
fn dpop_nonce_client_credentials_retry() {
    let s = step("dpop_nonce_client_credentials");
    // A fresh DPoP key pair: openid-client's nonce cache is per handle, so it starts over.
    assert_nonce_retry(&exchanges(&s["exchanges"]));
}

#[test]
fn tampered_state_refused_by_openid_client() {
    let s = step("tampered_state_refused_by_openid_client");
    assert!(s["refused"].is_object(), "{s}");
}

#[test]
fn wrong_pkce_verifier_refused_by_our_as() {
    let s = step("wrong_pkce_verifier_refused_by_as");
    assert_eq!(s["refused"]["error"], "invalid_grant", "{s}");
}

#[test]
fn code_reuse_refused_by_our_as() {
    let s = step("code_reuse_refused_by_as");
    assert_eq!(s["refused"]["error"], "invalid_grant", "{s}");
}

#[test]
fn wrong_nonce_refused_by_openid_client() {
    let s = step("wrong_nonce_refused_by_openid_client");
    assert!(s["refused"].is_object(), "{s}");
}

#[test]
fn wrong_client_secret_refused_by_our_as() {
    let s = step("wrong_client_secret_refused_by_as");
    assert_eq!(s["refused"]["error"], "invalid_client", "{s}");
    // RFC 6749 §5.2: 401 with a Basic challenge after Basic authentication.
    assert_eq!(s["refused"]["status"], 401, "{s}");
    assert!(
        s["refused"]["challenge_scheme"]
            .as_str()
            .is_some_and(|c| c.eq_ignore_ascii_case("basic")),
        "{s}"
    );
}

#[test]
fn unregistered_resource_refused_by_our_as() {
    let s = step("unregistered_resource_refused_by_as");
    assert_eq!(s["refused"]["error"], "invalid_target", "{s}");
}
