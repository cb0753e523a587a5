//! Live interop: the MCP TypeScript SDK's client (`@modelcontextprotocol/sdk`, npm) completes
//! its OAuth flow against our examples, `examples/authorization_server.rs` (`--auto-consent`)
//! and `examples/mcp_server.rs` (trusting that issuer), then lists the tools and calls one.
//! Driven by `tests/data/interop/mcp_sdk_client.mjs` (an `OAuthClientProvider` with headless
//! redirect handling), once in each mode:
//! - `dcr`: the SDK starts with no client and registers (RFC 7591);
//! - `preregistered`: the client id and secret are known in advance (the clients file made from
//!   `tests/data/interop/mcp_sdk_clients.json`, with this run's MCP endpoint as its resource).
//!
//! Each mode checks: the unauthenticated 401 with `resource_metadata` (RFC 9728 §5.1); the
//! SDK's flow (PRM and AS discovery, registration in DCR mode, code + PKCE S256 with `resource`
//! = our MCP endpoint, RFC 9207 `iss` on the callback, token); the token's audience is exactly
//! the MCP endpoint (RFC 8707); connecting with it, `tools/list`, and `tools/call` of `echo`.
//! In DCR mode also: the SDK's registration of a web client (no `application_type`) with a
//! loopback http redirect URI is refused with `invalid_redirect_uri`, which the SDK surfaces.
//!
//! Not part of plain `cargo test`: needs `--features interop`, node, the SDK in
//! `$OAUTH_CORE_INTEROP_NODE_DIR` (default: the cache folder `.ci/interop` installs into) and
//! both example binaries in `$OAUTH_CORE_INTEROP_BIN_DIR` (default `target/debug/examples/`;
//! `cargo build --example authorization_server --example mcp_server`).
#![cfg(feature = "std")]

mod interop_support;

use std::sync::OnceLock;
use std::time::Duration;

use interop_support::{data, free_port, issuer_from_banner, node_report, start};
use serde_json::Value;

const CLIENT_ID: &str = "mcp-sdk-preregistered";

struct Reports {
    resource: String,
    issuer: String,
    dcr: Value,
    preregistered: Value,
}

fn run_script(args: &[&str]) -> Value {
    let (report, wall) = node_report("mcp_sdk_client.mjs", args);
    println!(
        "interop: MCP TypeScript SDK {} script ({}): {} ms wall",
        report["sdk"].as_str().unwrap_or("?"),
        args.get(1).unwrap_or(&"?"),
        wall.as_millis()
    );
    report
}

/// Both modes' reports (the servers run once for every test of this file).
fn reports() -> &'static Reports {
    static REPORTS: OnceLock<Reports> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let mcp_port = free_port();
        let resource = format!("http://127.0.0.1:{mcp_port}/mcp");
        // The pre-registered client may ask for this run's MCP endpoint.
        let template =
            std::fs::read_to_string(data("mcp_sdk_clients.json")).expect("clients template");
        let clients_json = template.replace("{MCP_RESOURCE}", &resource);
        let clients: Value = serde_json::from_str(&clients_json).expect("clients JSON");
        let client = &clients["clients"][0];
        assert_eq!(client["client_id"], CLIENT_ID);
        let dir = std::env::temp_dir().join(format!("oauth-core-mcp-sdk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let clients_path = dir.join("clients.json");
        std::fs::write(&clients_path, clients_json).expect("write clients");
        let clients_arg = clients_path.to_str().expect("utf-8 path");

        let (auth_server, banner) = start(
            "authorization_server",
            &[
                "--listen",
                "127.0.0.1:0",
                "--auto-consent",
                "--clients",
                clients_arg,
                "--resource",
                &resource,
            ],
        );
        let issuer = issuer_from_banner(&banner);
        let listen = format!("127.0.0.1:{mcp_port}");
        let (mcp_server, banner) = start(
            "mcp_server",
            &[
                "--issuer",
                &issuer,
                "--listen",
                &listen,
                "--resource",
                &resource,
            ],
        );
        assert!(banner.starts_with("MCP server"), "{banner:?}");
        // The server answers once it printed its banner (it binds before printing).
        std::thread::sleep(Duration::from_millis(50));

        let dcr = run_script(&[&resource, "dcr"]);
        let preregistered = run_script(&[
            &resource,
            "preregistered",
            CLIENT_ID,
            client["client_secret"].as_str().expect("client_secret"),
            client["redirect_uris"][0].as_str().expect("redirect_uri"),
        ]);
        drop(mcp_server);
        drop(auth_server);
        let _ = std::fs::remove_dir_all(&dir);
        Reports {
            resource,
            issuer,
            dcr,
            preregistered,
        }
    })
}

/// The step's report, asserted `ok`.
fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    let s = &report["steps"][name];
    assert!(s.is_object(), "no step {name} in the report: {report:#}");
    assert_eq!(s["ok"], true, "step {name}: {s:#}");
    s
}

fn check_mode(report: &Value, dcr: bool) {
    let r = reports();
    step(report, "unauthenticated_401");
    let auth = step(report, "auth_flow");
    if dcr {
        assert!(
            auth["registered"]["client_id"].is_string(),
            "RFC 7591: the SDK registered: {auth:#}"
        );
    } else {
        assert!(auth["registered"].is_null(), "no registration: {auth:#}");
    }
    assert_eq!(
        auth["authorization_request"]["code_challenge_method"],
        "S256"
    );
    assert_eq!(
        auth["authorization_request"]["resource"],
        r.resource.as_str()
    );
    assert_eq!(auth["callback_iss"], r.issuer.as_str(), "RFC 9207 iss");
    assert!(
        auth["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer")),
        "{auth:#}"
    );
    // RFC 8707: the token is for exactly our MCP endpoint (no passthrough).
    assert_eq!(auth["access_token"]["aud"], r.resource.as_str());
    assert_eq!(auth["access_token"]["iss"], r.issuer.as_str());
    assert_eq!(auth["access_token"]["sub"], "demo-user");
    let client_id = if dcr {
        auth["registered"]["client_id"].clone()
    } else {
        Value::from(CLIENT_ID)
    };
    assert_eq!(auth["access_token"]["client_id"], client_id);
    step(report, "connect_with_token");
    let tools = step(report, "list_tools");
    assert!(
        tools["tools"].as_array().is_some_and(|t| t.len() >= 2),
        "{tools}"
    );
    let call = step(report, "call_tool");
    assert!(
        call["text"]
            .as_str()
            .is_some_and(|t| t.contains("hello from the MCP SDK")),
        "{call}"
    );
}

#[test]
fn dcr_mode_auth_flow_list_and_call_tool() {
    check_mode(&reports().dcr, true);
}

#[test]
fn dcr_web_client_with_http_redirect_refused() {
    // Our AS answers invalid_redirect_uri (RFC 7591 §3.2.2); SDK 1.32 has no class for that
    // code and reports it as server_error with our error_description.
    let s = step(&reports().dcr, "dcr_web_client_with_http_redirect_refused");
    assert!(
        s["error"] == "invalid_redirect_uri" || s["error"] == "server_error",
        "{s}"
    );
    assert!(
        s["message"]
            .as_str()
            .is_some_and(|m| m.contains("web clients must use https")),
        "{s}"
    );
}

#[test]
fn preregistered_mode_auth_flow_list_and_call_tool() {
    check_mode(&reports().preregistered, false);
}
