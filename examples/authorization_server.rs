//! An OAuth 2.1 / OpenID Connect authorization server on oauth-core's server role: see
//! `--help`.

#[allow(dead_code)]
#[path = "common/server.rs"]
mod server_adapter;

#[allow(dead_code)]
#[path = "common/demo_as.rs"]
mod demo_as;

use std::sync::Arc;

const HELP: &str = "\
authorization_server: an OAuth 2.1 / OpenID Connect authorization server built on oauth-core

USAGE:
    authorization_server [--listen <ADDR>] [--issuer <URL>] [--clients <FILE>] [--key <FILE>]
                         [--auto-consent] [--user <SUB>] [--scope <S>] [--resource <URL>]...
                         [--cimd-allow-private] [--dpop-nonce]
    authorization_server --help

ENDPOINTS (under the issuer URL):
    /.well-known/oauth-authorization-server   RFC 8414 metadata
    /.well-known/openid-configuration         OpenID Connect Discovery
    /jwks                 the signing keys (RFC 7517)
    /authorize            authorization code + PKCE S256 (+ resource, dpop_jkt, request objects)
    /par                  pushed authorization requests (RFC 9126)
    /token                authorization_code, refresh_token, client_credentials, device_code,
                          token exchange; DPoP-bound tokens (RFC 9449); client authentication
                          none, client_secret_basic/post, private_key_jwt
    /register             dynamic client registration (RFC 7591)
    /introspect           token introspection (RFC 7662)
    /revoke               token revocation (RFC 7009)
    /device_authorization and /device?user_code=...   device flow (RFC 8628)
    A client_id that is an https URL is a Client ID Metadata Document, fetched on first use.

OPTIONS:
    --listen <ADDR>       Address to listen on (default 127.0.0.1:8080).
    --issuer <URL>        The issuer identifier (default http://<listen address>).
    --clients <FILE>      Pre-registered clients, a JSON file:
                            {\"clients\": [{\"client_id\": \"app\",
                              \"token_endpoint_auth_method\": \"none\",
                              \"client_secret\": \"...\",  \"jwks\": {\"keys\": [...]},
                              \"redirect_uris\": [\"http://127.0.0.1/callback\"],
                              \"application_type\": \"native\",
                              \"grant_types\": [\"authorization_code\", \"refresh_token\"],
                              \"scope\": \"openid mcp:tools\",
                              \"resources\": [\"http://127.0.0.1:8081/mcp\"]}]}
                          Only client_id is required. The method defaults to client_secret_basic
                          with a client_secret, private_key_jwt with jwks, none otherwise;
                          native clients may use any port on a loopback redirect URI.
    --key <FILE>          A private JWK (EC, OKP or RSA) to sign tokens with (default: a fresh
                          P-256 key, ES256, generated at start).
    --auto-consent        DEVELOPMENT ONLY: approve every valid authorization request at once for
                          --user (the example has no login page; without this switch
                          authorization requests are answered access_denied).
    --user <SUB>          The subject approved by --auto-consent (default demo-user).
    --scope <S>           Space-separated scopes registered and CIMD clients may request (default
                          \"openid offline_access mcp:tools mcp:write\").
    --resource <URL>      A resource (RFC 8707) registered and CIMD clients may request tokens
                          for; repeat for more.
    --cimd-allow-private  Fetch client metadata documents from private and loopback addresses
                          too (local testing only: this opens the server to SSRF).
    --dpop-nonce          Require server-provided nonces in DPoP proofs at the token endpoint
                          (RFC 9449 §8: use_dpop_nonce with a DPoP-Nonce header).
    -h, --help            This text.
";

fn main() {
    if let Err(e) = run() {
        eprintln!("authorization_server: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut listen = String::from("127.0.0.1:8080");
    let mut issuer = None;
    let mut clients = Vec::new();
    let mut key_jwk = None;
    let mut auto_consent = false;
    let mut user = String::from("demo-user");
    let mut scope = String::from("openid offline_access mcp:tools mcp:write");
    let mut resources = Vec::new();
    let mut cimd_allow_private = false;
    let mut dpop_nonce = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(());
            }
            "--listen" => listen = value("--listen")?,
            "--issuer" => issuer = Some(value("--issuer")?),
            "--clients" => {
                let path = value("--clients")?;
                let text = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
                clients = demo_as::parse_clients(&text).map_err(|e| format!("{path}: {e}"))?;
            }
            "--key" => {
                let path = value("--key")?;
                key_jwk = Some(std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?);
            }
            "--auto-consent" => auto_consent = true,
            "--user" => user = value("--user")?,
            "--scope" => scope = value("--scope")?,
            "--resource" => resources.push(value("--resource")?),
            "--cimd-allow-private" => cimd_allow_private = true,
            "--dpop-nonce" => dpop_nonce = true,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    let (listener, base) = server_adapter::bind(&listen).map_err(|e| format!("{listen}: {e}"))?;
    let issuer = issuer.unwrap_or_else(|| base.clone());
    let ids = demo_as::client_ids(&clients);
    let server = Arc::new(demo_as::AuthorizationServer::new(demo_as::AsConfig {
        issuer,
        key_jwk,
        clients,
        auto_consent,
        demo_user: user,
        scopes: scope
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        resources,
        cimd_allow_private,
    })?);
    if dpop_nonce {
        server.require_dpop_nonces()?;
    }
    println!(
        "authorization server {} listening on {base}",
        server.issuer()
    );
    println!(
        "metadata: {}/.well-known/oauth-authorization-server",
        server.issuer()
    );
    if !ids.is_empty() {
        println!("pre-registered clients: {}", ids.join(", "));
    }
    if auto_consent {
        println!(
            "auto-consent is ON: every valid authorization request is approved (development only)"
        );
    }
    server_adapter::serve_logged_forever(listener, base, move |req| server.handle(req))
}
