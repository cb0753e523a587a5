//! An MCP server protected by OAuth, on oauth-core's resource-server role: see `--help`.

#[allow(dead_code)]
#[path = "common/server.rs"]
mod server_adapter;

#[allow(dead_code)]
#[path = "common/demo_mcp.rs"]
mod demo_mcp;

use std::sync::Arc;

const HELP: &str = "\
mcp_server: an MCP server (Streamable HTTP, JSON-RPC) protected as an OAuth 2.1 resource server

USAGE:
    mcp_server --issuer <URL> [--listen <ADDR>] [--resource <URL>]
    mcp_server --help

It serves:
    POST <resource path>   MCP JSON-RPC: initialize, notifications/initialized, ping, tools/list,
                           tools/call (tools: echo, needing scope mcp:tools; write_note, needing
                           mcp:tools and mcp:write: a token without mcp:write gets 403
                           insufficient_scope, the MCP step-up). Every request needs a token.
    GET /.well-known/oauth-protected-resource<resource path>
                           Protected resource metadata (RFC 9728), naming --issuer.

Tokens are RFC 9068 JWT access tokens from --issuer for exactly --resource (RFC 8707: tokens
for other resources are refused), Bearer or DPoP-bound (RFC 9449). The issuer's keys are found
through its RFC 8414 metadata (jwks_uri) at the first authenticated request and refreshed when
a token names an unknown key id. 401 and 403 answers carry resource_metadata and scope.

OPTIONS:
    --issuer <URL>      The trusted authorization server's issuer identifier (required).
    --listen <ADDR>     Address to listen on (default 127.0.0.1:8081).
    --resource <URL>    This server's MCP endpoint URL (default http://<listen>/mcp).
    -h, --help          This text.
";

fn main() {
    if let Err(e) = run() {
        eprintln!("mcp_server: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut issuer = None;
    let mut listen = String::from("127.0.0.1:8081");
    let mut resource = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(());
            }
            "--issuer" => issuer = Some(value("--issuer")?),
            "--listen" => listen = value("--listen")?,
            "--resource" => resource = Some(value("--resource")?),
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    let issuer = issuer.ok_or("--issuer is required (see --help)")?;
    let (listener, base) = server_adapter::bind(&listen).map_err(|e| format!("{listen}: {e}"))?;
    let resource = resource.unwrap_or_else(|| format!("{base}/mcp"));
    let server = Arc::new(demo_mcp::McpServer::new(&issuer, &resource)?);
    println!("MCP server for {} on {base}", server.resource());
    println!("protected resource metadata: {}", server.metadata_url());
    println!("trusting tokens from {issuer}");
    server_adapter::serve_logged_forever(listener, base, move |req| server.handle(req))
}
