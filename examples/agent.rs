//! A command-line OAuth agent on oauth-core's sans-IO client, with `ureq` doing the I/O.
//!
//! - `login`: authorization code + PKCE S256 (RFC 7636, OAuth 2.1) through the browser,
//!   with a loopback redirect listener on 127.0.0.1 (RFC 8252 §7.3). Either against an
//!   issuer, or starting from an MCP server URL: the MCP discovery chain (401 →
//!   protected resource metadata → authorization server metadata) picks the issuer,
//!   the `resource` and the scopes. With `openid` in the scope, the ID token is
//!   validated against the issuer's JWKS.
//! - `client-credentials`: the client credentials grant with `private_key_jwt` client
//!   authentication (RFC 7523 §2.2).
//! - `--dpop`: DPoP-bound tokens (RFC 9449): proofs on the token request (and on the MCP
//!   request), `dpop_jkt` in the authorization request, one retry on `use_dpop_nonce`.
//!
//! It needs a real authorization server to run (`cargo run --example agent -- --help`).
//! Tokens are never printed unless `--print-token` is given.

#[path = "common/mod.rs"]
mod common;

use std::error::Error;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::time::{Duration, SystemTime};

use common::ureq_sender::{agent, send};
use oauth_core::client::dpop::{DpopExchange, DpopKey, DpopNonces, DpopStep};
use oauth_core::client::{
    AuthorizationRequest, ClientAuth, TokenResponse, TokenResponseOptions,
    authorization_code_request, client_credentials_request, discovery_requests,
    process_discovery_response, process_token_response,
};
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::jose::{Algorithm, JwkSet, JwkSetOptions, SigningKey};
use oauth_core::mcp::{McpAuthorization, McpStep};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::oidc::validate_token_response_id_token;
use oauth_core::rand::SystemRandom;
use oauth_core::time::UnixTime;

const HELP: &str = "\
agent: an OAuth 2.1 / OpenID Connect / MCP command-line client built on oauth-core

USAGE:
    agent login --issuer <URL> --client-id <ID> [--scope <S>] [--resource <URL>] [--port <N>] [--print-token]
    agent login --mcp <URL> --client-id <ID> [--port <N>] [--print-token]
    agent client-credentials --issuer <URL> --client-id <ID> --key <PKCS8.pem>
                             [--alg <ES256|RS256|EdDSA|...>] [--kid <KID>] [--scope <S>]
                             [--resource <URL>] [--print-token]
    agent --help

    Both commands take --dpop (a fresh ES256 key) or --dpop-key <PKCS8.pem> (a P-256 key)
    to get DPoP-bound tokens.

COMMANDS:
    login               Authorization code + PKCE S256 in the browser. The redirect URI is
                        http://127.0.0.1:<port>/callback (port 0, the default, picks a free
                        one: register a loopback redirect URI that allows any port).
    client-credentials  Client credentials grant, authenticating with private_key_jwt
                        (a JWT signed with --key, RFC 7523).

OPTIONS:
    --issuer <URL>      The authorization server's issuer identifier (its metadata is
                        discovered in the MCP order: RFC 8414, then OpenID Connect Discovery).
    --mcp <URL>         An MCP server endpoint: the agent follows its 401 challenge to find
                        the authorization server, resource and scopes.
    --client-id <ID>    The client identifier registered at the authorization server.
    --scope <S>         Space-separated scopes to request.
    --resource <URL>    RFC 8707 resource indicator (the MCP server's URI).
    --key <FILE>        PKCS#8 PEM private key for private_key_jwt.
    --alg <ALG>         The key's JWS algorithm (default ES256).
    --kid <KID>         The key id to put in the client assertion header.
    --dpop              Bind the tokens to a fresh ES256 DPoP key (RFC 9449).
    --dpop-key <FILE>   Bind them to this PKCS#8 PEM P-256 key instead.
    --port <N>          Loopback port for the redirect listener (default 0: any free port).
    --print-token       Print the access token (it is a secret: off by default).
    -h, --help          This text.
";

#[derive(Default)]
struct Args {
    command: String,
    issuer: Option<String>,
    mcp: Option<String>,
    client_id: Option<String>,
    scope: Option<String>,
    resource: Option<String>,
    key: Option<String>,
    alg: Option<String>,
    kid: Option<String>,
    port: u16,
    print_token: bool,
    dpop: bool,
    dpop_key: Option<String>,
}

fn parse_args() -> Result<Option<Args>, Box<dyn Error>> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--issuer" => args.issuer = Some(value("--issuer")?),
            "--mcp" => args.mcp = Some(value("--mcp")?),
            "--client-id" => args.client_id = Some(value("--client-id")?),
            "--scope" => args.scope = Some(value("--scope")?),
            "--resource" => args.resource = Some(value("--resource")?),
            "--key" => args.key = Some(value("--key")?),
            "--alg" => args.alg = Some(value("--alg")?),
            "--kid" => args.kid = Some(value("--kid")?),
            "--port" => args.port = value("--port")?.parse()?,
            "--print-token" => args.print_token = true,
            "--dpop" => args.dpop = true,
            "--dpop-key" => args.dpop_key = Some(value("--dpop-key")?),
            c if !c.starts_with('-') && args.command.is_empty() => args.command = c.into(),
            other => return Err(format!("unknown argument {other:?} (see --help)").into()),
        }
    }
    if args.command.is_empty() {
        return Ok(None);
    }
    Ok(Some(args))
}

/// The DPoP key and the nonces servers gave, when `--dpop` is on.
struct Dpop {
    key: DpopKey,
    nonces: DpopNonces,
}

fn dpop_from_args(args: &Args) -> Result<Option<Dpop>, Box<dyn Error>> {
    let key = match (&args.dpop_key, args.dpop) {
        (Some(path), _) => DpopKey::from_es256_pkcs8_pem(&std::fs::read_to_string(path)?)?,
        (None, true) => DpopKey::generate_es256(&mut SystemRandom::new())?,
        (None, false) => return Ok(None),
    };
    eprintln!("dpop: key thumbprint (dpop_jkt) {}", key.thumbprint());
    Ok(Some(Dpop {
        key,
        nonces: DpopNonces::new(),
    }))
}

/// Sends the request `build` makes, with a DPoP proof (and `Authorization: DPoP
/// <token>` when `token` is given) when DPoP is on, retrying once on `use_dpop_nonce`
/// (RFC 9449 §8, §9) with a rebuilt request: a client assertion is single use.
fn send_with_dpop(
    agent: &ureq::Agent,
    mut build: impl FnMut() -> Result<HttpRequest, Box<dyn Error>>,
    token: Option<&str>,
    dpop: Option<&mut Dpop>,
) -> Result<HttpResponse, Box<dyn Error>> {
    let Some(d) = dpop else {
        return send(agent, &build()?);
    };
    let mut exchange = DpopExchange::new(build()?, token);
    loop {
        let signed = exchange.request(&d.key, &d.nonces, now(), &mut SystemRandom::new())?;
        let resp = send(agent, &signed)?;
        if exchange.handle_response(&mut d.nonces, &resp)? != DpopStep::Retry {
            return Ok(resp);
        }
        eprintln!("dpop: server asked for a nonce, retrying once");
        exchange.replace_request(build()?);
    }
}

fn token_options(dpop: Option<&Dpop>) -> TokenResponseOptions {
    if dpop.is_some() {
        TokenResponseOptions::new().dpop()
    } else {
        TokenResponseOptions::new()
    }
}

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).unwrap_or(UnixTime::EPOCH)
}

/// RFC 8414 / OIDC Discovery in the MCP order; the first document that passes wins.
fn discover(
    agent: &ureq::Agent,
    issuer: &str,
) -> Result<AuthorizationServerMetadata, Box<dyn Error>> {
    let mut last = None;
    for req in discovery_requests(issuer)? {
        eprintln!("discovery: GET {}", req.url);
        match process_discovery_response(issuer, &send(agent, &req)?) {
            Ok(meta) => return Ok(meta),
            Err(e) => last = Some(e),
        }
    }
    Err(format!("no usable metadata for {issuer}: {last:?}").into())
}

/// What the MCP discovery chain decided.
struct Plan {
    meta: AuthorizationServerMetadata,
    resource: Option<String>,
    scope: Option<String>,
}

/// Runs the MCP discovery chain from an unauthenticated `initialize` request.
fn discover_from_mcp(agent: &ureq::Agent, mcp: &str) -> Result<Plan, Box<dyn Error>> {
    let mut machine = McpAuthorization::new(mcp)?;
    let mut resp = send(agent, &mcp_initialize(mcp, None)?)?;
    loop {
        match machine.handle_response(&resp)? {
            McpStep::SendRequest => {
                let req = machine.poll_request().ok_or("no request to send")?;
                eprintln!("mcp discovery: GET {}", req.url);
                resp = send(agent, &req)?;
            }
            McpStep::Authorize(plan) => {
                return Ok(Plan {
                    scope: plan.scope(),
                    resource: Some(plan.resource.clone()),
                    meta: plan.metadata,
                });
            }
            McpStep::Proceed => return Err("the MCP server did not ask for authorization".into()),
            _ => return Err("unexpected step".into()),
        }
    }
}

fn mcp_initialize(mcp: &str, token: Option<&str>) -> Result<HttpRequest, Box<dyn Error>> {
    let mut req = HttpRequest::new(Method::Post, mcp)
        .with_header("Content-Type", "application/json")?
        .with_header("Accept", "application/json, text/event-stream")?;
    if let Some(t) = token {
        req = req.with_header("Authorization", format!("Bearer {t}"))?;
    }
    req.body = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"oauth-core-agent","version":"0.1"}}}"#.to_vec();
    Ok(req)
}

/// Waits for the browser's redirect to the loopback listener and returns the full
/// callback URL (for `AuthorizationState::process_callback`).
fn wait_for_callback(listener: &TcpListener, port: u16) -> Result<String, Box<dyn Error>> {
    loop {
        let (mut stream, _) = listener.accept()?;
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next(), parts.next());
        if method != Some("GET") || !target.is_some_and(|t| t.starts_with("/callback")) {
            stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            continue;
        }
        let body = "Authorization received: you can close this window.";
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        return Ok(format!(
            "http://127.0.0.1:{port}{}",
            target.unwrap_or_default()
        ));
    }
}

/// The issuer's JWKS, with RSA keys lacking `alg` pinned to the first RSA algorithm the
/// metadata lists for ID tokens (never chosen from a token).
fn fetch_jwks(
    agent: &ureq::Agent,
    meta: &AuthorizationServerMetadata,
) -> Result<JwkSet, Box<dyn Error>> {
    let uri = meta.jwks_uri.as_deref().ok_or("metadata has no jwks_uri")?;
    let resp = send(agent, &HttpRequest::get(uri).with_accept_json())?;
    if resp.status != 200 {
        return Err(format!("jwks_uri answered {}", resp.status).into());
    }
    let rsa = meta
        .id_token_signing_alg_values_supported
        .iter()
        .flatten()
        .filter_map(|a| Algorithm::from_name(a.as_bytes()))
        .find(|a| a.name().starts_with("RS") || a.name().starts_with("PS"));
    let options = JwkSetOptions {
        rsa_alg_when_absent: rsa.or(Some(Algorithm::RS256)),
        ..JwkSetOptions::default()
    };
    Ok(JwkSet::parse(&resp.body, &options)?)
}

fn report(tokens: &TokenResponse, print_token: bool) {
    println!("token_type: {:?}", tokens.token_type());
    if let Some(e) = tokens.expires_in() {
        println!("expires_in: {e} s");
    }
    if let Some(s) = tokens.scope() {
        println!("scope: {}", s.join(" "));
    }
    println!(
        "refresh_token: {}",
        if tokens.refresh_token().is_some() {
            "issued"
        } else {
            "none"
        }
    );
    if print_token {
        println!("access_token: {}", tokens.access_token().expose());
    }
}

fn login(agent: &ureq::Agent, args: &Args) -> Result<(), Box<dyn Error>> {
    let client_id = args.client_id.as_deref().ok_or("--client-id is required")?;
    let plan = match (&args.mcp, &args.issuer) {
        (Some(mcp), _) => discover_from_mcp(agent, mcp)?,
        (None, Some(issuer)) => Plan {
            meta: discover(agent, issuer)?,
            resource: args.resource.clone(),
            scope: args.scope.clone(),
        },
        (None, None) => return Err("--issuer or --mcp is required".into()),
    };
    let listener = TcpListener::bind(("127.0.0.1", args.port))?;
    let port = listener.local_addr()?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let mut rng = SystemRandom::new();
    let mut dpop = dpop_from_args(args)?;
    let mut request = AuthorizationRequest::new(&plan.meta, client_id, &redirect_uri);
    if let Some(d) = &dpop {
        // RFC 9449 §10: bind the authorization code to the DPoP key.
        request = request.param("dpop_jkt", d.key.thumbprint())?;
    }
    if let Some(s) = &plan.scope {
        request = request.scope(s.clone());
    }
    if let Some(r) = &plan.resource {
        request = request.resource(r.clone())?;
    }
    let (url, state) = request.build(&mut rng)?;
    println!("Open this URL in a browser to log in:\n\n  {url}\n");
    let callback = wait_for_callback(&listener, port)?;
    let code = state.process_callback(&callback)?;
    let auth = ClientAuth::none(client_id);
    let build = || -> Result<HttpRequest, Box<dyn Error>> {
        let mut rng = SystemRandom::new();
        Ok(authorization_code_request(
            &plan.meta,
            &auth,
            &state,
            &code,
            now(),
            &mut rng,
        )?)
    };
    let resp = send_with_dpop(agent, build, None, dpop.as_mut())?;
    let tokens = process_token_response(&resp, token_options(dpop.as_ref()))?;
    // OIDC Core §3.1.3.3: with openid requested (a nonce was recorded), the ID token is
    // required and validated; the wrapper reports a missing one.
    if state.nonce().is_some() || tokens.id_token().is_some() {
        let keys = fetch_jwks(agent, &plan.meta)?;
        if let Some(id) = validate_token_response_id_token(&tokens, &state, &keys, now())? {
            println!("id_token: valid, sub {}", id.sub());
        }
    }
    report(&tokens, args.print_token);
    if let Some(mcp) = &args.mcp {
        let token = tokens.access_token().expose();
        let resp = if dpop.is_some() {
            send_with_dpop(
                agent,
                || mcp_initialize(mcp, None),
                Some(token),
                dpop.as_mut(),
            )?
        } else {
            send(agent, &mcp_initialize(mcp, Some(token))?)?
        };
        println!("MCP initialize with the token: HTTP {}", resp.status);
    }
    Ok(())
}

fn client_credentials(agent: &ureq::Agent, args: &Args) -> Result<(), Box<dyn Error>> {
    let client_id = args.client_id.as_deref().ok_or("--client-id is required")?;
    let issuer = args.issuer.as_deref().ok_or("--issuer is required")?;
    let key_path = args.key.as_deref().ok_or("--key is required")?;
    let alg_name = args.alg.as_deref().unwrap_or("ES256");
    let alg = Algorithm::from_name(alg_name.as_bytes()).ok_or("unknown --alg")?;
    let mut key = SigningKey::from_pkcs8_pem(alg, &std::fs::read_to_string(key_path)?)?;
    if let Some(kid) = &args.kid {
        key = key.with_kid(kid)?;
    }
    let meta = discover(agent, issuer)?;
    let auth = ClientAuth::private_key_jwt(client_id, key);
    let resources: Vec<&str> = args.resource.as_deref().into_iter().collect();
    let mut dpop = dpop_from_args(args)?;
    let build = || -> Result<HttpRequest, Box<dyn Error>> {
        let mut rng = SystemRandom::new();
        Ok(client_credentials_request(
            &meta,
            &auth,
            args.scope.as_deref(),
            &resources,
            now(),
            &mut rng,
        )?)
    };
    let resp = send_with_dpop(agent, build, None, dpop.as_mut())?;
    let tokens = process_token_response(&resp, token_options(dpop.as_ref()))?;
    report(&tokens, args.print_token);
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let Some(args) = parse_args()? else {
        print!("{HELP}");
        return Ok(());
    };
    let agent = agent(Duration::from_secs(30));
    match args.command.as_str() {
        "login" => login(&agent, &args),
        "client-credentials" => client_credentials(&agent, &args),
        other => Err(format!("unknown command {other:?} (see --help)").into()),
    }
}
