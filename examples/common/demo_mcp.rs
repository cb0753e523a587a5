//! An MCP server (Streamable HTTP transport, JSON responses) protected as an OAuth resource
//! server with oauth-core's `mcp::resource` preset. Shared by `examples/mcp_server.rs` and
//! `examples/demo.rs`; it needs `server.rs` beside it as `server_adapter`.
//!
//! - `POST <resource path>`: JSON-RPC 2.0: `initialize`, `notifications/initialized`, `ping`,
//!   `tools/list`, `tools/call` (`echo` needs `mcp:tools`; `write_note` also needs
//!   `mcp:write`: a token without it gets 403 `insufficient_scope` naming both, the MCP
//!   step-up). Every request needs a token (MCP authorization: on every request).
//! - `GET /.well-known/oauth-protected-resource<path>`: the protected resource metadata
//!   (RFC 9728 §3.1), naming the trusted issuer.
//! - Tokens: RFC 9068 JWTs from the one trusted issuer, audience = this server's canonical
//!   URI (RFC 8707; no passthrough), Bearer or DPoP-bound (RFC 9449). The issuer's keys come
//!   from its metadata's `jwks_uri` (RFC 8414, discovered at the first authenticated request)
//!   through the `JwksCache` state machine, which refetches on an unknown `kid` (rotation).
//! - Challenges: 401/403 with `resource_metadata` and `scope` (RFC 9728 §5.1, RFC 6750 §3).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use oauth_core::client::{discovery_requests, process_discovery_response};
use oauth_core::dpop::InMemoryReplayStore;
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::resource::{
    DpopConfig, DpopMode, JwksCache, JwksCachePolicy, Pending, Principal, ResourceServer,
};
use oauth_core::time::UnixTime;
use serde_json::{Value, json};

use super::server_adapter;

/// The scope every MCP request needs.
pub const BASE_SCOPE: &str = "mcp:tools";
/// The extra scope of the `write_note` tool.
pub const WRITE_SCOPE: &str = "mcp:write";
/// What `write_note` needs, as challenged (MCP: all scopes needed, in one challenge).
const WRITE_SCOPES: &str = "mcp:tools mcp:write";
/// MCP protocol versions this server speaks.
const PROTOCOL_VERSIONS: &[&str] = &["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"];
/// The version answered to a client asking for one this server does not speak.
const DEFAULT_PROTOCOL_VERSION: &str = "2025-11-25";

/// The MCP server's state.
pub struct McpServer {
    rs: ResourceServer,
    issuer: String,
    /// The issuer's keys (created at the first discovery).
    jwks: Mutex<Option<JwksCache>>,
    jwks_policy: JwksCachePolicy,
    /// JWKS fetches so far (to show the refresh on rotation).
    jwks_fetches: AtomicU32,
    agent: ureq::Agent,
    notes: Mutex<Vec<String>>,
}

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).unwrap_or(UnixTime::EPOCH)
}

impl McpServer {
    /// An MCP server at `resource` (its endpoint URL, e.g. `http://127.0.0.1:8081/mcp`),
    /// trusting tokens from `issuer`.
    pub fn new(issuer: &str, resource: &str) -> Result<Self, String> {
        let rs =
            oauth_core::mcp::resource::resource_server_with_jwks(resource, issuer, &[BASE_SCOPE])
                .map_err(|e| e.to_string())?
                .with_scopes_supported(&[BASE_SCOPE, WRITE_SCOPE])
                .with_dpop(DpopConfig::new(
                    DpopMode::Allowed,
                    Arc::new(InMemoryReplayStore::default()),
                ));
        Ok(Self {
            rs,
            issuer: issuer.to_owned(),
            jwks: Mutex::new(None),
            jwks_policy: JwksCachePolicy::default(),
            jwks_fetches: AtomicU32::new(0),
            agent: server_adapter::agent(),
            notes: Mutex::new(Vec::new()),
        })
    }

    /// The canonical resource URI (the audience tokens must name).
    pub fn resource(&self) -> &str {
        self.rs.resource()
    }

    /// Sets the JWKS refresh policy (default: at most one fetch a minute, so that tokens with
    /// random `kid`s cannot make this server hammer the issuer).
    pub fn with_jwks_policy(mut self, policy: JwksCachePolicy) -> Self {
        self.jwks_policy = policy;
        self
    }

    /// How many times the issuer's JWKS was fetched.
    pub fn jwks_fetches(&self) -> u32 {
        self.jwks_fetches.load(Ordering::Relaxed)
    }

    /// Where the protected resource metadata is served.
    pub fn metadata_url(&self) -> &str {
        self.rs.metadata_url()
    }

    /// Answers one HTTP request.
    pub fn handle(&self, req: &HttpRequest) -> HttpResponse {
        if let Some(resp) = self.rs.handle_metadata_request(req) {
            return resp;
        }
        if server_adapter::path_of(&req.url) != server_adapter::path_of(self.rs.resource()) {
            return HttpResponse::new(404);
        }
        // MCP Streamable HTTP: servers MUST validate Origin (DNS rebinding).
        if let Some(origin) = req.header("origin")
            && !is_loopback_origin(origin)
        {
            return HttpResponse::new(403);
        }
        match req.method {
            Method::Post => {}
            // No server-initiated SSE stream and no sessions to delete.
            _ => {
                return HttpResponse::new(405)
                    .with_header("Allow", "POST")
                    .unwrap_or_else(|_| HttpResponse::new(405));
            }
        }
        // MCP Streamable HTTP: an unsupported MCP-Protocol-Version is a 400.
        if let Some(v) = req.header("mcp-protocol-version")
            && !PROTOCOL_VERSIONS.contains(&v)
        {
            return rpc_error(Value::Null, -32600, "Unsupported MCP-Protocol-Version");
        }
        let principal = match self.authenticate(req, required_scopes(req)) {
            Ok(p) => p,
            Err(resp) => return resp,
        };
        self.json_rpc(req, &principal)
    }

    /// The resource server's checks for an operation needing `scopes`, with the issuer's keys
    /// from the JWKS cache: a token lacking one of them gets the library's 403
    /// `insufficient_scope` naming all of `scopes` (RFC 6750 §3.1; MCP step-up).
    fn authenticate(&self, req: &HttpRequest, scopes: &str) -> Result<Principal, HttpResponse> {
        // No (or malformed) credentials: the challenge, without touching the network.
        if let Err(challenge) = self.rs.credentials(req) {
            return Err(challenge.with_scope(scopes).to_http_response());
        }
        let mut guard = self.jwks.lock().map_err(|_| HttpResponse::new(500))?;
        if guard.is_none() {
            *guard = Some(self.discover_jwks().map_err(|e| {
                eprintln!("mcp_server: issuer discovery failed: {e}");
                HttpResponse::new(503)
            })?);
        }
        let cache = guard.as_mut().ok_or_else(|| HttpResponse::new(500))?;
        // At most one fetch per request (the cache also rate-limits refetches).
        for _ in 0..2 {
            let t = now();
            match self
                .rs
                .authenticate_with_jwks_and_scopes(req, cache, scopes, t)
            {
                Ok(p) => return Ok(p),
                Err(Pending::Challenge(c)) => return Err(c.to_http_response()),
                Err(Pending::FetchJwks(fetch)) => {
                    self.jwks_fetches.fetch_add(1, Ordering::Relaxed);
                    let resp = server_adapter::send(&self.agent, &fetch).map_err(|e| {
                        eprintln!("mcp_server: JWKS fetch failed: {e}");
                        HttpResponse::new(503)
                    })?;
                    if let Err(e) = cache.process_jwks_response(&resp, t) {
                        eprintln!("mcp_server: JWKS response refused: {e}");
                    }
                }
            }
        }
        Err(HttpResponse::new(503))
    }

    /// RFC 8414 discovery of the trusted issuer (issuer echo checked), then a cache for
    /// its `jwks_uri`.
    fn discover_jwks(&self) -> Result<JwksCache, String> {
        let mut last = String::from("no discovery URL");
        for req in discovery_requests(&self.issuer).map_err(|e| e.to_string())? {
            let resp = server_adapter::send(&self.agent, &req)?;
            match process_discovery_response(&self.issuer, &resp) {
                Ok(meta) => {
                    let uri = meta
                        .jwks_uri
                        .ok_or("the issuer's metadata has no jwks_uri")?;
                    return Ok(
                        JwksCache::new(self.issuer.clone(), uri).with_policy(self.jwks_policy)
                    );
                }
                Err(e) => last = e.to_string(),
            }
        }
        Err(last)
    }

    fn json_rpc(&self, req: &HttpRequest, principal: &Principal) -> HttpResponse {
        let Ok(msg) = serde_json::from_slice::<Value>(&req.body) else {
            return rpc_error(Value::Null, -32700, "Parse error");
        };
        let Some(method) = msg.get("method").and_then(Value::as_str) else {
            // A response or a batch: nothing this server asked for.
            return rpc_error(Value::Null, -32600, "Invalid Request");
        };
        let Some(id) = msg.get("id").cloned() else {
            // A notification (e.g. notifications/initialized): accepted, no body.
            return HttpResponse::new(202);
        };
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        match method {
            "initialize" => {
                let asked = params.get("protocolVersion").and_then(Value::as_str);
                let version = PROTOCOL_VERSIONS
                    .iter()
                    .copied()
                    .find(|v| Some(*v) == asked)
                    .unwrap_or(DEFAULT_PROTOCOL_VERSION);
                rpc_result(
                    id,
                    json!({
                        "protocolVersion": version,
                        "capabilities": {"tools": {"listChanged": false}},
                        "serverInfo": {"name": "oauth-core-mcp-example", "version": "0.1.0"},
                    }),
                )
            }
            "ping" => rpc_result(id, json!({})),
            "tools/list" => rpc_result(id, json!({"tools": tools()})),
            "tools/call" => self.call_tool(id, &params, principal),
            _ => rpc_error(id, -32601, "Method not found"),
        }
    }

    fn call_tool(&self, id: Value, params: &Value, principal: &Principal) -> HttpResponse {
        let name = params.get("name").and_then(Value::as_str).unwrap_or("");
        let args = params.get("arguments").cloned().unwrap_or(Value::Null);
        let text = |key: &str| {
            args.get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        match name {
            "echo" => rpc_result(id, tool_text(&text("text"))),
            "write_note" => {
                // Its scopes (WRITE_SCOPES, see `required_scopes`) were checked by authenticate.
                let note = text("note");
                let count = self.notes.lock().map_or(0, |mut n| {
                    n.push(note.clone());
                    n.len()
                });
                let who = principal.subject().unwrap_or("someone");
                rpc_result(id, tool_text(&format!("note {count} saved for {who}")))
            }
            _ => rpc_error(id, -32602, "Unknown tool"),
        }
    }
}

/// The scopes a JSON-RPC request needs, read before authentication so that the 401/403
/// challenge names all of them (MCP: all scopes for the operation in one challenge). A body
/// that does not parse needs the base scope (it is answered 400 after authentication).
fn required_scopes(req: &HttpRequest) -> &'static str {
    let Ok(msg) = serde_json::from_slice::<Value>(&req.body) else {
        return BASE_SCOPE;
    };
    let method = msg.get("method").and_then(Value::as_str);
    let tool = msg
        .get("params")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str);
    match (method, tool) {
        (Some("tools/call"), Some("write_note")) => WRITE_SCOPES,
        _ => BASE_SCOPE,
    }
}

fn is_loopback_origin(origin: &str) -> bool {
    let host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn tools() -> Value {
    json!([
        {
            "name": "echo",
            "description": "Echoes the text back (scope mcp:tools).",
            "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        },
        {
            "name": "write_note",
            "description": "Saves a note (scopes mcp:tools and mcp:write).",
            "inputSchema": {"type": "object", "properties": {"note": {"type": "string"}}, "required": ["note"]},
        },
    ])
}

fn tool_text(text: &str) -> Value {
    json!({"content": [{"type": "text", "text": text}], "isError": false})
}

fn rpc_result(id: Value, result: Value) -> HttpResponse {
    let body = json!({"jsonrpc": "2.0", "id": id, "result": result});
    HttpResponse::json(200, body.to_string().into_bytes())
}

fn rpc_error(id: Value, code: i64, message: &str) -> HttpResponse {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    let status = if code == -32700 || code == -32600 {
        400
    } else {
        200
    };
    HttpResponse::json(status, body.to_string().into_bytes())
}
