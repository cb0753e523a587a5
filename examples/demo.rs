//! The end-to-end demo: `cargo run --example demo`.
//!
//! On 127.0.0.1 (ephemeral ports, nothing beyond loopback) it starts, in this process, the
//! authorization server of `examples/authorization_server.rs` (auto-consent for the demo user
//! `alice`) and the MCP server of `examples/mcp_server.rs`, then runs:
//!
//! 1. an agent acting for a user: its first MCP request gets 401 → it reads `resource_metadata`
//!    → fetches the protected resource metadata → discovers the authorization server → registers
//!    (RFC 7591) → authorization code + PKCE + `resource` → calls a tool → is stepped up on 403
//!    `insufficient_scope` → calls again;
//! 2. an agent acting on its own behalf: client credentials with `private_key_jwt`, a DPoP-bound
//!    token, used with DPoP proofs (and refused when presented as a Bearer token);
//! 3. a token minted for another resource, refused by the MCP server (no token passthrough).
//!
//! Every step prints a numbered line with the HTTP status and the check that ran; the exit
//! status is 0 only if every step behaved as expected.

#[allow(dead_code)]
#[path = "common/server.rs"]
mod server_adapter;

#[allow(dead_code)]
#[path = "common/demo_as.rs"]
mod demo_as;

#[allow(dead_code)]
#[path = "common/demo_mcp.rs"]
mod demo_mcp;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use oauth_core::client::dpop::{DpopExchange, DpopKey, DpopNonces, DpopStep};
use oauth_core::client::{
    AuthorizationRequest, ClientAuth, TokenResponse, TokenResponseOptions, TokenType,
    authorization_code_request, client_credentials_request, process_registration_response,
    process_token_response, registration_request,
};
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::jose::Jwk;
use oauth_core::mcp::{AuthorizationPlan, McpAuthorization, McpStep};
use oauth_core::metadata::ClientMetadata;
use oauth_core::rand::SystemRandom;
use oauth_core::resource::JwksCachePolicy;
use oauth_core::time::{Duration, UnixTime};
use serde_json::{Value, json};

type Result<T> = std::result::Result<T, String>;

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).unwrap_or(UnixTime::EPOCH)
}

/// Prints the steps and stops at the first one that did not behave as expected.
struct Demo {
    agent: ureq::Agent,
    n: u32,
    rng: SystemRandom,
}

impl Demo {
    fn send(&self, req: &HttpRequest) -> Result<HttpResponse> {
        server_adapter::send(&self.agent, req)
    }

    /// One step: what was sent, the status received, the check and its outcome.
    fn step(&mut self, what: &str, status: u16, check: &str, ok: bool) -> Result<()> {
        self.n += 1;
        let verdict = if ok { "ok" } else { "FAILED" };
        println!(
            "{:>3}. {what}\n     -> HTTP {status}; check: {check}: {verdict}",
            self.n
        );
        if ok {
            Ok(())
        } else {
            Err(format!(
                "step {} did not behave as expected: {what}",
                self.n
            ))
        }
    }

    fn section(&self, title: &str) {
        println!("\n== {title}");
    }
}

/// The second agent's DPoP key and the nonces servers gave it.
struct Dpop {
    key: DpopKey,
    nonces: DpopNonces,
}

impl Dpop {
    /// Sends what `build` makes with a DPoP proof (and `Authorization: DPoP <token>` when
    /// `token` is given), retrying once on `use_dpop_nonce` with a rebuilt request (RFC 9449
    /// §8, §9: a client assertion is single use, so it is made anew).
    fn send(
        &mut self,
        demo: &mut Demo,
        build: &dyn Fn(&mut SystemRandom) -> Result<HttpRequest>,
        token: Option<&str>,
    ) -> Result<HttpResponse> {
        let mut exchange = DpopExchange::new(build(&mut demo.rng)?, token);
        loop {
            let signed = exchange
                .request(&self.key, &self.nonces, now(), &mut demo.rng)
                .map_err(|e| e.to_string())?;
            let resp = demo.send(&signed)?;
            match exchange
                .handle_response(&mut self.nonces, &resp)
                .map_err(|e| e.to_string())?
            {
                DpopStep::Retry => exchange.replace_request(build(&mut demo.rng)?),
                _ => return Ok(resp),
            }
        }
    }
}

/// The `kid` in a JWT's header (display only: nothing here is verified).
fn jwt_kid(jwt: &str) -> Option<String> {
    use base64::Engine as _;
    let header = jwt.split('.').next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v["kid"].as_str().map(String::from)
}

/// A JSON-RPC request to the MCP server./// A JSON-RPC request to the MCP server.
fn mcp_request(url: &str, id: Option<u64>, method: &str, params: Value) -> Result<HttpRequest> {
    let mut msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
    if let Some(id) = id {
        msg["id"] = json!(id);
    }
    let mut req = HttpRequest::new(Method::Post, url);
    for (k, v) in [
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
    ] {
        req = req.with_header(k, v).map_err(|e| e.to_string())?;
    }
    req.body = msg.to_string().into_bytes();
    Ok(req)
}

fn with_bearer(req: HttpRequest, token: &str) -> Result<HttpRequest> {
    req.with_header("Authorization", format!("Bearer {token}"))
        .map_err(|e| e.to_string())
}

fn body_json(resp: &HttpResponse) -> Value {
    serde_json::from_slice(&resp.body).unwrap_or(Value::Null)
}

fn www_authenticate(resp: &HttpResponse) -> String {
    resp.headers_all("www-authenticate")
        .collect::<Vec<_>>()
        .join(", ")
}

fn scopes_of(tokens: &TokenResponse) -> String {
    tokens.scope().map(|s| s.join(" ")).unwrap_or_default()
}

fn initialize_params() -> Value {
    json!({"protocolVersion": "2025-11-25", "capabilities": {},
           "clientInfo": {"name": "oauth-core-demo-agent", "version": "0.1.0"}})
}

/// Feeds responses to the MCP discovery chain until it has a plan, printing each fetch.
fn discover(
    demo: &mut Demo,
    machine: &mut McpAuthorization,
    first: &HttpResponse,
) -> Result<AuthorizationPlan> {
    let mut step = machine.handle_response(first).map_err(|e| e.to_string())?;
    loop {
        match step {
            McpStep::SendRequest => {
                let req = machine.poll_request().ok_or("no request to send")?;
                let resp = demo.send(&req)?;
                let prm = req.url.contains("oauth-protected-resource");
                let check = if prm {
                    "protected resource metadata: resource = the MCP server, an authorization server listed"
                } else {
                    "authorization server metadata: issuer echoed (RFC 8414 §3.3), S256 supported"
                };
                let what = format!("GET {}", req.url);
                step = machine.handle_response(&resp).map_err(|e| e.to_string())?;
                let ok = resp.status == 200;
                demo.step(&what, resp.status, check, ok)?;
            }
            McpStep::Authorize(plan) => return Ok(*plan),
            McpStep::Proceed => return Err("the MCP server did not ask for authorization".into()),
            _ => return Err("unexpected MCP step".into()),
        }
    }
}

/// Authorization code + PKCE + resource with auto-consent: the redirect comes straight back.
fn authorize(
    demo: &mut Demo,
    plan: &AuthorizationPlan,
    client_id: &str,
    redirect_uri: &str,
) -> Result<TokenResponse> {
    let scope = plan.scope().unwrap_or_default();
    let (url, state) = AuthorizationRequest::new(&plan.metadata, client_id, redirect_uri)
        .scope(scope.clone())
        .resource(plan.resource.clone())
        .map_err(|e| e.to_string())?
        .build(&mut demo.rng)
        .map_err(|e| e.to_string())?;
    let resp = demo.send(&HttpRequest::get(url))?;
    let location = resp.header("location").unwrap_or_default().to_owned();
    let code = state.process_callback(&location);
    demo.step(
        &format!("GET /authorize (code, PKCE S256, scope \"{scope}\", resource, auto-consent)"),
        resp.status,
        "302 to the redirect URI; state and iss (RFC 9207) match, code present",
        resp.status == 302 && code.is_ok(),
    )?;
    let code = code.map_err(|e| e.to_string())?;
    let auth = ClientAuth::none(client_id);
    let req =
        authorization_code_request(&plan.metadata, &auth, &state, &code, now(), &mut demo.rng)
            .map_err(|e| e.to_string())?;
    let resp = demo.send(&req)?;
    let tokens = process_token_response(&resp, TokenResponseOptions::new());
    let granted = tokens.as_ref().map(scopes_of).unwrap_or_default();
    demo.step(
        "POST /token (authorization_code + code_verifier)",
        resp.status,
        &format!("token response valid (RFC 6749 §5.1), scope \"{granted}\""),
        tokens.is_ok() && granted.split(' ').all(|s| scope.split(' ').any(|w| w == s)),
    )?;
    tokens.map_err(|e| e.to_string())
}

fn run() -> Result<()> {
    let started = Instant::now();
    let mut demo = Demo {
        agent: server_adapter::agent(),
        n: 0,
        rng: SystemRandom::new(),
    };

    // --- Servers ---------------------------------------------------------------------
    let (as_listener, as_base) = server_adapter::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let (mcp_listener, mcp_base) =
        server_adapter::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let mcp_url = format!("{mcp_base}/mcp");
    // Another resource the AS serves (not running: its tokens are only shown to the MCP server).
    let other_resource = "http://127.0.0.1:9/other-api";
    // The second agent's private_key_jwt key, pre-registered through the clients JSON format.
    let ops_jwk = demo_as::generate_es256_jwk(&mut demo.rng)?;
    let mut ops_public: Value = serde_json::from_str(&ops_jwk).map_err(|e| e.to_string())?;
    if let Some(o) = ops_public.as_object_mut() {
        o.remove("d");
    }
    let clients_json = json!({"clients": [{
        "client_id": "ops-agent",
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [ops_public]},
        "grant_types": ["client_credentials"],
        "scope": "mcp:tools",
        "resources": [mcp_url, other_resource],
    }]});
    let clients = demo_as::parse_clients(clients_json.to_string().as_bytes())?;
    let auth_server = Arc::new(demo_as::AuthorizationServer::new(demo_as::AsConfig {
        issuer: as_base.clone(),
        key_jwk: None,
        clients,
        auto_consent: true,
        demo_user: "alice".into(),
        scopes: ["openid", "offline_access", "mcp:tools", "mcp:write"]
            .map(String::from)
            .to_vec(),
        resources: vec![mcp_url.clone(), other_resource.to_owned()],
        cimd_allow_private: false,
    })?);
    let h = Arc::clone(&auth_server);
    server_adapter::serve(as_listener, as_base.clone(), Arc::new(move |r| h.handle(r)));
    // The demo rotates keys within the second: allow a JWKS refetch at any time (the default,
    // one a minute, keeps tokens with random kids from making the MCP server hammer the AS).
    let jwks_policy = JwksCachePolicy {
        min_refetch_interval: Duration::ZERO,
        ..JwksCachePolicy::default()
    };
    let mcp_server =
        Arc::new(demo_mcp::McpServer::new(&as_base, &mcp_url)?.with_jwks_policy(jwks_policy));
    let h = Arc::clone(&mcp_server);
    server_adapter::serve(mcp_listener, mcp_base, Arc::new(move |r| h.handle(r)));
    println!("oauth-core demo");
    println!("  authorization server  {as_base}  (auto-consent for user \"alice\")");
    println!(
        "  MCP server            {mcp_url}  (tools: echo [mcp:tools], write_note [+mcp:write])"
    );

    // --- 1. An agent acting for a user -------------------------------------------------
    demo.section("Agent 1: acts for the user alice (authorization code + PKCE, MCP discovery)");
    let mut machine = McpAuthorization::new(&mcp_url).map_err(|e| e.to_string())?;
    let resp = demo.send(&mcp_request(
        &mcp_url,
        Some(1),
        "initialize",
        initialize_params(),
    )?)?;
    let challenge = www_authenticate(&resp);
    demo.step(
        "POST /mcp initialize, no token",
        resp.status,
        &format!("401 with WWW-Authenticate resource_metadata and scope [{challenge}]"),
        resp.status == 401
            && challenge.contains("resource_metadata=")
            && challenge.contains("scope=\"mcp:tools\""),
    )?;
    let plan = discover(&mut demo, &mut machine, &resp)?;
    println!(
        "     discovery done: issuer {}, resource {}, scope \"{}\"",
        plan.metadata.issuer,
        plan.resource,
        plan.scope().unwrap_or_default()
    );

    // Dynamic client registration (RFC 7591), a native public client.
    let redirect_uri = "http://127.0.0.1:53682/callback";
    let mut metadata = ClientMetadata::default();
    metadata.client_name = Some("oauth-core demo agent".into());
    metadata.redirect_uris = Some(vec![redirect_uri.into()]);
    metadata.token_endpoint_auth_method = Some("none".into());
    metadata.grant_types = Some(vec!["authorization_code".into(), "refresh_token".into()]);
    metadata.response_types = Some(vec!["code".into()]);
    metadata.application_type = Some("native".into());
    let req = registration_request(&plan.metadata, &metadata, None).map_err(|e| e.to_string())?;
    let resp = demo.send(&req)?;
    let info = process_registration_response(&metadata, &resp);
    demo.step(
        "POST /register (RFC 7591: native public client, loopback redirect URI)",
        resp.status,
        "201 with a client_id, the redirect URI registered unchanged",
        info.is_ok(),
    )?;
    let client_id = info.map_err(|e| e.to_string())?.client_id;
    println!("     client_id {client_id}");

    let tokens = authorize(&mut demo, &plan, &client_id, redirect_uri)?;
    let token = tokens.access_token().expose().to_owned();

    let resp = demo.send(&with_bearer(
        mcp_request(&mcp_url, Some(1), "initialize", initialize_params())?,
        &token,
    )?)?;
    let step = machine.handle_response(&resp).map_err(|e| e.to_string())?;
    let version = body_json(&resp)["result"]["protocolVersion"].clone();
    demo.step(
        "POST /mcp initialize with the token",
        resp.status,
        &format!("200 with a JSON-RPC result (protocolVersion {version})"),
        resp.status == 200 && step == McpStep::Proceed && version.is_string(),
    )?;
    let resp = demo.send(&with_bearer(
        mcp_request(&mcp_url, None, "notifications/initialized", json!({}))?,
        &token,
    )?)?;
    demo.step(
        "POST /mcp notifications/initialized",
        resp.status,
        "202 Accepted",
        resp.status == 202,
    )?;
    let resp = demo.send(&with_bearer(
        mcp_request(&mcp_url, Some(2), "tools/list", json!({}))?,
        &token,
    )?)?;
    let names: Vec<String> = body_json(&resp)["result"]["tools"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|x| x["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    demo.step(
        "POST /mcp tools/list",
        resp.status,
        &format!("200 listing the tools {names:?}"),
        resp.status == 200 && names.len() == 2,
    )?;
    let resp = demo.send(&with_bearer(
        mcp_request(
            &mcp_url,
            Some(3),
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "hello from agent 1"}}),
        )?,
        &token,
    )?)?;
    let text = body_json(&resp)["result"]["content"][0]["text"].clone();
    demo.step(
        "POST /mcp tools/call echo",
        resp.status,
        &format!("200 with the tool's answer {text}"),
        resp.status == 200 && text == "hello from agent 1",
    )?;

    let write_note = |id: u64| {
        mcp_request(
            &mcp_url,
            Some(id),
            "tools/call",
            json!({"name": "write_note", "arguments": {"note": "buy milk"}}),
        )
    };
    let resp = demo.send(&with_bearer(write_note(4)?, &token)?)?;
    let challenge = www_authenticate(&resp);
    let step = machine.handle_response(&resp).map_err(|e| e.to_string())?;
    let McpStep::Authorize(plan) = step else {
        return Err("the 403 did not lead to a step-up".into());
    };
    demo.step(
        "POST /mcp tools/call write_note (token has mcp:tools only)",
        resp.status,
        &format!("403 insufficient_scope naming every scope needed [{challenge}]"),
        resp.status == 403
            && challenge.contains("error=\"insufficient_scope\"")
            && challenge.contains("scope=\"mcp:tools mcp:write\"")
            && plan.scope().as_deref() == Some("mcp:tools mcp:write"),
    )?;
    println!(
        "     step-up: requesting scope \"{}\" (union of requested and challenged)",
        plan.scope().unwrap_or_default()
    );
    let tokens = authorize(&mut demo, &plan, &client_id, redirect_uri)?;
    let token = tokens.access_token().expose().to_owned();
    let resp = demo.send(&with_bearer(write_note(5)?, &token)?)?;
    let text = body_json(&resp)["result"]["content"][0]["text"].clone();
    demo.step(
        "POST /mcp tools/call write_note with the stepped-up token",
        resp.status,
        &format!("200 with the tool's answer {text}"),
        resp.status == 200 && text.as_str().is_some_and(|t| t.contains("alice")),
    )?;

    // --- 2. An agent acting on its own behalf ------------------------------------------
    demo.section("Agent 2: acts on its own behalf (client credentials + private_key_jwt + DPoP)");
    let meta = plan.metadata.clone();
    let key = Jwk::parse(ops_jwk.as_bytes())
        .and_then(|j| j.to_signing_key(None))
        .map_err(|e| e.to_string())?;
    let auth = ClientAuth::private_key_jwt("ops-agent", key);
    let mut dpop = Dpop {
        key: DpopKey::generate_es256(&mut demo.rng).map_err(|e| e.to_string())?,
        nonces: DpopNonces::new(),
    };
    let mcp_resource = [mcp_url.as_str()];
    let build = |rng: &mut SystemRandom| {
        client_credentials_request(&meta, &auth, Some("mcp:tools"), &mcp_resource, now(), rng)
            .map_err(|e| e.to_string())
    };
    let resp = dpop.send(&mut demo, &build, None)?;
    let tokens = process_token_response(&resp, TokenResponseOptions::new().dpop());
    demo.step(
        "POST /token (client_credentials, private_key_jwt assertion, DPoP proof)",
        resp.status,
        "token_type DPoP (RFC 9449 §5), scope \"mcp:tools\"",
        tokens
            .as_ref()
            .is_ok_and(|t| t.token_type() == TokenType::DPoP && scopes_of(t) == "mcp:tools"),
    )?;
    let tokens = tokens.map_err(|e| e.to_string())?;
    let dpop_token = tokens.access_token().expose().to_owned();
    let call = mcp_request(
        &mcp_url,
        Some(1),
        "tools/call",
        json!({"name": "echo", "arguments": {"text": "hello from agent 2"}}),
    )?;
    let resp = dpop.send(
        &mut demo,
        &|_: &mut SystemRandom| Ok(call.clone()),
        Some(&dpop_token),
    )?;
    let text = body_json(&resp)["result"]["content"][0]["text"].clone();
    demo.step(
        "POST /mcp tools/call echo with Authorization: DPoP + a DPoP proof (ath, htm, htu)",
        resp.status,
        &format!("200 with the tool's answer {text}"),
        resp.status == 200 && text == "hello from agent 2",
    )?;
    let resp = demo.send(&with_bearer(call.clone(), &dpop_token)?)?;
    let challenge = www_authenticate(&resp);
    demo.step(
        "POST /mcp with the same DPoP-bound token as a Bearer token (stolen-token replay)",
        resp.status,
        "401 invalid_token (RFC 9449 §7.2: a bound token needs its proof)",
        resp.status == 401 && challenge.contains("invalid_token"),
    )?;

    // --- Key rotation: the MCP server refreshes the issuer's keys ------------------------
    demo.section("Key rotation: the authorization server signs with a new key");
    let fetches_before = mcp_server.jwks_fetches();
    let new_kid = auth_server.rotate_key_now()?;
    let resp = demo.send(&HttpRequest::get(format!("{as_base}/jwks")).with_accept_json())?;
    let kids: Vec<String> = body_json(&resp)["keys"]
        .as_array()
        .map(|k| {
            k.iter()
                .filter_map(|x| x["kid"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    demo.step(
        "GET /jwks after the rotation",
        resp.status,
        &format!("the old and the new key ({new_kid}) are both published {kids:?}"),
        resp.status == 200 && kids.len() == 2 && kids.contains(&new_kid),
    )?;
    let resp = dpop.send(&mut demo, &build, None)?;
    let tokens = process_token_response(&resp, TokenResponseOptions::new().dpop());
    let kid = tokens
        .as_ref()
        .ok()
        .and_then(|t| jwt_kid(t.access_token().expose()));
    demo.step(
        "POST /token (client_credentials + DPoP again)",
        resp.status,
        &format!(
            "the new token is signed with the new key (kid {})",
            kid.as_deref().unwrap_or("none")
        ),
        kid.as_deref() == Some(new_kid.as_str()),
    )?;
    let rotated_token = tokens
        .map_err(|e| e.to_string())?
        .access_token()
        .expose()
        .to_owned();
    let resp = dpop.send(
        &mut demo,
        &|_: &mut SystemRandom| Ok(call.clone()),
        Some(&rotated_token),
    )?;
    let fetches = mcp_server.jwks_fetches();
    demo.step(
        "POST /mcp tools/call echo with the new token",
        resp.status,
        &format!(
            "200: the MCP server met an unknown kid and refetched the JWKS (JwksCache; fetches {fetches_before} -> {fetches})"
        ),
        resp.status == 200 && fetches == fetches_before + 1,
    )?;

    // --- 3. No token passthrough -------------------------------------------------------
    demo.section("No passthrough: a token minted for another resource");
    let other = [other_resource];
    let req = client_credentials_request(
        &meta,
        &auth,
        Some("mcp:tools"),
        &other,
        now(),
        &mut demo.rng,
    )
    .map_err(|e| e.to_string())?;
    let resp = demo.send(&req)?;
    let tokens = process_token_response(&resp, TokenResponseOptions::new());
    demo.step(
        &format!("POST /token (client_credentials, resource {other_resource})"),
        resp.status,
        "a Bearer token for the other resource",
        tokens
            .as_ref()
            .is_ok_and(|t| t.token_type() == TokenType::Bearer),
    )?;
    let other_token = tokens
        .map_err(|e| e.to_string())?
        .access_token()
        .expose()
        .to_owned();
    let resp = demo.send(&with_bearer(
        mcp_request(
            &mcp_url,
            Some(1),
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "passthrough?"}}),
        )?,
        &other_token,
    )?)?;
    let challenge = www_authenticate(&resp);
    demo.step(
        "POST /mcp tools/call with the other resource's token",
        resp.status,
        "401 invalid_token: the audience is not this MCP server (RFC 8707, RFC 9068 §4)",
        resp.status == 401
            && challenge.contains("invalid_token")
            && challenge.contains("not for this resource"),
    )?;

    println!(
        "\nAll {} steps behaved as expected ({} ms).",
        demo.n,
        started.elapsed().as_millis()
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("\ndemo failed: {e}");
        std::process::exit(1);
    }
}
