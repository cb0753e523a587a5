//! An MCP client (Streamable HTTP, JSON-RPC) that follows the MCP authorization spec on
//! oauth-core's sans-IO client, with `ureq` doing the I/O.
//!
//! It calls the server's tools (`initialize`, `notifications/initialized`, `tools/list`,
//! `tools/call` of the first tool; from protocol version 2026-07-28 the stateless wire, with
//! the version and capabilities in every request's `_meta`) and, when the server answers 401,
//! runs the authorization: `WWW-Authenticate` → protected resource metadata (RFC 9728; the
//! header's URL or the well-known probes) → authorization server metadata (RFC 8414 / OIDC
//! Discovery, MCP order, issuer echo checked) → client registration (pre-registered, Client ID
//! Metadata Document, or dynamic registration, kept per issuer) → a grant → the request again.
//! 403 `insufficient_scope` steps up (union of scopes, bounded retries). Servers of MCP
//! 2025-03-26 without protected resource metadata are found at the server's origin.
//!
//! The grant follows what the context offers: authorization code + PKCE S256 + `resource`
//! (RFC 8707) + RFC 9207 `iss` check, with the authorization redirect followed headlessly
//! (for test authorization servers that approve at once); client credentials
//! (`private_key_jwt` or `client_secret_basic`); the JWT bearer grant with a workload
//! identity token; Enterprise-Managed Authorization (token exchange at the IdP for an ID-JAG,
//! then the JWT bearer grant). Tokens are DPoP-bound (RFC 9449, nonces included) when the
//! authorization server offers ES256 DPoP or `--dpop` is given.
//!
//! It satisfies the client contract of `@modelcontextprotocol/conformance`: the server URL is
//! the last argument; `MCP_CONFORMANCE_SCENARIO`, `MCP_CONFORMANCE_CONTEXT` (JSON) and
//! `MCP_CONFORMANCE_PROTOCOL_VERSION` are read from the environment. Exit status 0 only when
//! every call succeeded. Tokens are never printed.

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::error::Error;
use std::time::{Duration, SystemTime};

use common::ureq_sender::{agent, send};
use oauth_core::client::dpop::{DpopExchange, DpopKey, DpopNonces, DpopStep};
use oauth_core::client::{
    AuthorizationRequest, CimdAuth, ClientAuth, Secret, TokenExchange, TokenResponse,
    TokenResponseOptions, authorization_code_request, client_credentials_request,
    client_id_metadata_document, discovery_requests, jwt_bearer_request,
    process_discovery_response, process_id_jag_response, process_registration_response,
    process_registration_response_with, process_token_response, registration_request,
    token_exchange_request,
};
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::jose::{Algorithm, SigningKey};
use oauth_core::mcp::{McpAuthError, McpAuthorization, McpStep};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::metadata::well_known::canonical_resource_uri;
use oauth_core::metadata::{ClientInformation, ClientMetadata, RegistrationLeniency};
use oauth_core::rand::SystemRandom;
use oauth_core::time::UnixTime;
use serde_json::{Value, json};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const HELP: &str = "\
mcp_client: an MCP client (Streamable HTTP) with MCP authorization, built on oauth-core

USAGE:
    mcp_client [OPTIONS] <SERVER_URL>

OPTIONS:
    --protocol-version <V>     MCP protocol version (default: $MCP_CONFORMANCE_PROTOCOL_VERSION,
                               else 2025-11-25). 2026-07-28 and later use the stateless wire.
    --client-metadata-url <U>  The https URL of this client's Client ID Metadata Document, used
                               as client_id where the authorization server supports it
                               (default under the conformance harness: its test URL).
    --redirect-uri <U>         Redirect URI to register and use
                               (default http://localhost:3000/callback).
    --dpop                     Ask for DPoP-bound tokens even if the server does not advertise them.
    --max-step-ups <N>         Re-authorizations allowed after the first (default 2).
    -h, --help                 This text.

ENVIRONMENT (the conformance harness's client contract):
    MCP_CONFORMANCE_SCENARIO   The scenario name (informational).
    MCP_CONFORMANCE_CONTEXT    JSON: pre-registered client_id / client_secret (and issuer),
                               private_key_pem + signing_algorithm (client credentials with
                               private_key_jwt), valid_jwt (workload identity JWT bearer),
                               idp_id_token / idp_issuer / idp_client_id (Enterprise-Managed
                               Authorization).

The authorization redirect is followed without a browser: the authorization endpoint must
answer with a redirect to the redirect URI at once (a test or auto-approving server).
";

/// The conformance suite's Client ID Metadata Document URL (scenario `auth/basic-cimd`).
const CONFORMANCE_CIMD_URL: &str = "https://conformance-test.local/client-metadata.json";
/// Versions up to this one use the stateful lifecycle (initialize handshake).
const LAST_STATEFUL_VERSION: &str = "2025-11-25";
/// Authorizations in one run before giving up (a server that never accepts a token).
const MAX_AUTHORIZATIONS: u32 = 5;

struct Config {
    server_url: String,
    protocol_version: String,
    client_metadata_url: Option<String>,
    redirect_uri: String,
    force_dpop: bool,
    max_step_ups: u32,
    context: Value,
}

fn parse_args() -> Result<Option<Config>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let in_harness = std::env::var_os("MCP_CONFORMANCE_SCENARIO").is_some();
    let mut cfg = Config {
        server_url: String::new(),
        protocol_version: std::env::var("MCP_CONFORMANCE_PROTOCOL_VERSION")
            .unwrap_or_else(|_| LAST_STATEFUL_VERSION.into()),
        client_metadata_url: in_harness.then(|| CONFORMANCE_CIMD_URL.into()),
        redirect_uri: "http://localhost:3000/callback".into(),
        force_dpop: false,
        max_step_ups: oauth_core::mcp::DEFAULT_MAX_STEP_UPS,
        context: match std::env::var("MCP_CONFORMANCE_CONTEXT") {
            Ok(s) => serde_json::from_str(&s)
                .map_err(|e| format!("MCP_CONFORMANCE_CONTEXT is not JSON: {e}"))?,
            Err(_) => json!({}),
        },
    };
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--protocol-version" => cfg.protocol_version = value(&a)?,
            "--client-metadata-url" => cfg.client_metadata_url = Some(value(&a)?),
            "--redirect-uri" => cfg.redirect_uri = value(&a)?,
            "--dpop" => cfg.force_dpop = true,
            "--max-step-ups" => cfg.max_step_ups = value(&a)?.parse()?,
            s if !s.starts_with('-') => cfg.server_url = s.into(),
            other => return Err(format!("unknown argument {other:?} (see --help)").into()),
        }
    }
    if cfg.server_url.is_empty() {
        return Err("the MCP server URL is missing (see --help)".into());
    }
    Ok(Some(cfg))
}

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).unwrap_or(UnixTime::EPOCH)
}

fn ctx_str<'a>(ctx: &'a Value, key: &str) -> Option<&'a str> {
    ctx.get(key).and_then(Value::as_str)
}

/// What discovery decided: the server's metadata, the `resource` and the scopes.
struct Plan {
    meta: AuthorizationServerMetadata,
    resource: String,
    scopes: Vec<String>,
}

/// A client registration, valid at one authorization server only (MCP 2026-07-28:
/// credentials are keyed by issuer and never reused at another).
#[derive(Clone)]
struct Registration {
    client_id: String,
    client_secret: Option<String>,
    method: Option<String>,
}

struct Dpop {
    key: DpopKey,
    nonces: DpopNonces,
}

struct AccessToken {
    value: Secret,
    dpop: bool,
}

struct Client {
    cfg: Config,
    http: ureq::Agent,
    rng: SystemRandom,
    auth: McpAuthorization,
    registrations: HashMap<String, Registration>,
    token: Option<AccessToken>,
    dpop: Option<Dpop>,
    session_id: Option<String>,
    negotiated_version: Option<String>,
    next_id: u64,
    authorizations: u32,
}

impl Client {
    fn new(cfg: Config) -> Result<Self> {
        let auth = McpAuthorization::new(&cfg.server_url)?.max_step_ups(cfg.max_step_ups);
        Ok(Self {
            http: agent(Duration::from_secs(20)),
            rng: SystemRandom::new(),
            auth,
            registrations: HashMap::new(),
            token: None,
            dpop: None,
            session_id: None,
            negotiated_version: None,
            next_id: 1,
            authorizations: 0,
            cfg,
        })
    }

    fn stateless(&self) -> bool {
        self.cfg.protocol_version.as_str() > LAST_STATEFUL_VERSION
    }

    // ---- MCP over Streamable HTTP -------------------------------------------------------

    fn mcp_http_request(&self, body: &Value) -> Result<HttpRequest> {
        let mut req = HttpRequest::new(Method::Post, self.cfg.server_url.as_str())
            .with_header("Content-Type", "application/json")?
            .with_header("Accept", "application/json, text/event-stream")?;
        let version = if self.stateless() {
            Some(self.cfg.protocol_version.as_str())
        } else {
            self.negotiated_version.as_deref()
        };
        if let Some(v) = version {
            req = req.with_header("MCP-Protocol-Version", v)?;
        }
        if let Some(id) = &self.session_id {
            req = req.with_header("Mcp-Session-Id", id.as_str())?;
        }
        if let Some(t) = self.token.as_ref().filter(|t| !t.dpop) {
            // MCP: the token in the Authorization header on every request, never in the URL.
            req = req.with_header("Authorization", format!("Bearer {}", t.value.expose()))?;
        }
        req.body = serde_json::to_vec(body)?;
        Ok(req)
    }

    /// Sends one MCP message, with a DPoP proof (and its one nonce retry) when the token is
    /// DPoP-bound.
    fn send_mcp(&mut self, body: &Value) -> Result<HttpResponse> {
        let req = self.mcp_http_request(body)?;
        let (Some(token), Some(d)) = (self.token.as_ref().filter(|t| t.dpop), self.dpop.as_mut())
        else {
            return send(&self.http, &req);
        };
        let mut exchange = DpopExchange::new(req, Some(token.value.expose()));
        loop {
            let signed = exchange.request(&d.key, &d.nonces, now(), &mut self.rng)?;
            let resp = send(&self.http, &signed)?;
            if exchange.handle_response(&mut d.nonces, &resp)? != DpopStep::Retry {
                return Ok(resp);
            }
            eprintln!("dpop: the MCP server asked for a nonce; retrying once");
        }
    }

    /// A JSON-RPC request (or notification when `notification`), authorizing as the server
    /// demands; returns the `result`.
    fn call(&mut self, method: &str, mut params: Value, notification: bool) -> Result<Value> {
        if self.stateless() {
            // MCP 2026-07-28 (stateless): every request carries the version and capabilities.
            if let Some(obj) = params.as_object_mut() {
                obj.insert(
                    "_meta".into(),
                    json!({
                        "io.modelcontextprotocol/protocolVersion": self.cfg.protocol_version,
                        "io.modelcontextprotocol/clientCapabilities": {},
                    }),
                );
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        let body = if notification {
            json!({"jsonrpc": "2.0", "method": method, "params": params})
        } else {
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        };
        loop {
            eprintln!("mcp: {method}");
            let resp = self.send_mcp(&body)?;
            match resp.status {
                401 | 403 => self.authorize(&resp)?,
                200..=299 => {
                    if let Some(sid) = resp.header("mcp-session-id") {
                        self.session_id = Some(sid.into());
                    }
                    if notification {
                        return Ok(Value::Null);
                    }
                    return jsonrpc_result(&resp, id);
                }
                other => {
                    return Err(format!(
                        "{method}: HTTP {other}: {}",
                        String::from_utf8_lossy(&resp.body)
                    )
                    .into());
                }
            }
        }
    }

    fn run(&mut self) -> Result<()> {
        if !self.stateless() {
            let result = self.call(
                "initialize",
                json!({
                    "protocolVersion": self.cfg.protocol_version,
                    "capabilities": {},
                    "clientInfo": {"name": "oauth-core-mcp-client", "version": env!("CARGO_PKG_VERSION")},
                }),
                false,
            )?;
            let version = result
                .get("protocolVersion")
                .and_then(Value::as_str)
                .ok_or("initialize result without protocolVersion")?;
            eprintln!("mcp: negotiated protocol version {version}");
            self.negotiated_version = Some(version.into());
            self.call("notifications/initialized", json!({}), true)?;
        }
        let list = self.call("tools/list", json!({}), false)?;
        let tools = list.get("tools").and_then(Value::as_array).cloned();
        let names: Vec<&str> = tools
            .iter()
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .collect();
        println!("tools: {}", names.join(", "));
        if let Some(name) = names.first() {
            let result = self.call("tools/call", json!({"name": name, "arguments": {}}), false)?;
            if result.get("isError").and_then(Value::as_bool) == Some(true) {
                return Err(format!("tool {name} reported an error: {result}").into());
            }
            println!("tools/call {name}: ok");
        }
        Ok(())
    }

    // ---- Authorization -----------------------------------------------------------------

    /// The server refused the request (401/403): discover, get a token, so that the caller
    /// sends the request again.
    fn authorize(&mut self, resp: &HttpResponse) -> Result<()> {
        self.authorizations += 1;
        if self.authorizations > MAX_AUTHORIZATIONS {
            return Err("the MCP server keeps refusing new tokens (retry limit)".into());
        }
        eprintln!(
            "auth: HTTP {} ({})",
            resp.status,
            resp.header("www-authenticate").unwrap_or("no challenge")
        );
        let plan = match self.discover(resp) {
            Ok(plan) => plan,
            Err(McpAuthError::NoProtectedResourceMetadata { .. }) if resp.status == 401 => {
                self.legacy_discovery()?
            }
            Err(e) => return Err(e.into()),
        };
        let token = self.obtain_token(&plan)?;
        self.token = Some(token);
        Ok(())
    }

    /// Drives oauth-core's MCP discovery state machine to a plan.
    fn discover(&mut self, resp: &HttpResponse) -> Result<Plan, McpAuthError> {
        let mut step = self.auth.handle_response(resp)?;
        loop {
            match step {
                McpStep::SendRequest => {
                    let Some(req) = self.auth.poll_request() else {
                        return Err(McpAuthError::NoRequestPending);
                    };
                    eprintln!("discovery: GET {}", req.url);
                    let resp = match send(&self.http, &req) {
                        Ok(r) => r,
                        Err(e) => {
                            eprintln!("discovery: {e}");
                            HttpResponse::new(599)
                        }
                    };
                    step = self.auth.handle_response(&resp)?;
                }
                McpStep::Authorize(plan) => {
                    eprintln!(
                        "discovery: issuer {}, resource {}, scope {:?}",
                        plan.metadata.issuer,
                        plan.resource,
                        plan.scope()
                    );
                    return Ok(Plan {
                        meta: plan.metadata,
                        resource: plan.resource,
                        scopes: plan.scopes,
                    });
                }
                _ => return Err(McpAuthError::Forbidden),
            }
        }
    }

    /// MCP 2025-03-26: no protected resource metadata; the authorization server is the MCP
    /// server's origin, its metadata at `{origin}/.well-known/oauth-authorization-server`, else
    /// the default endpoints `/authorize`, `/token`, `/register`.
    fn legacy_discovery(&mut self) -> Result<Plan> {
        let url = url::Url::parse(&self.cfg.server_url)?;
        let origin = url.origin().ascii_serialization();
        let well_known = format!("{origin}/.well-known/oauth-authorization-server");
        eprintln!("discovery: no protected resource metadata; MCP 2025-03-26 GET {well_known}");
        let req = HttpRequest::get(well_known)
            .with_accept_json()
            .with_header("MCP-Protocol-Version", self.cfg.protocol_version.as_str())?;
        let meta = match process_discovery_response(&origin, &send(&self.http, &req)?) {
            Ok(meta) => {
                if !meta.supports_pkce_method("S256") {
                    return Err(McpAuthError::PkceS256NotSupported.into());
                }
                meta
            }
            Err(e) => {
                eprintln!("discovery: {e}; using the default endpoints");
                let mut meta = AuthorizationServerMetadata::new(origin.as_str());
                meta.authorization_endpoint = Some(format!("{origin}/authorize"));
                meta.token_endpoint = Some(format!("{origin}/token"));
                meta.registration_endpoint = Some(format!("{origin}/register"));
                // MCP 2025-03-26: PKCE is REQUIRED of every client and server; with no
                // metadata there is nothing to verify, S256 is what is sent.
                meta.code_challenge_methods_supported = Some(vec!["S256".into()]);
                meta
            }
        };
        Ok(Plan {
            meta,
            resource: canonical_resource_uri(&self.cfg.server_url)?,
            scopes: Vec::new(),
        })
    }

    fn obtain_token(&mut self, plan: &Plan) -> Result<AccessToken> {
        let meta = &plan.meta;
        let ctx = self.cfg.context.clone();
        let use_dpop = self.cfg.force_dpop
            || meta
                .dpop_signing_alg_values_supported
                .as_ref()
                .is_some_and(|algs| algs.iter().any(|a| a == "ES256"));
        if use_dpop && self.dpop.is_none() {
            let key = DpopKey::generate_es256(&mut self.rng)?;
            eprintln!("dpop: key thumbprint {}", key.thumbprint());
            self.dpop = Some(Dpop {
                key,
                nonces: DpopNonces::new(),
            });
        }
        let scope = (!plan.scopes.is_empty()).then(|| plan.scopes.join(" "));
        let resources = [plan.resource.as_str()];
        let tokens = if let Some(id_token) = ctx_str(&ctx, "idp_id_token") {
            self.enterprise_managed(plan, &ctx, id_token, scope.as_deref(), use_dpop)?
        } else if let Some(jwt) = ctx_str(&ctx, "valid_jwt") {
            // Workload identity federation: the workload's JWT as an RFC 7523 grant.
            let client_id = ctx_str(&ctx, "client_id").unwrap_or("mcp-client");
            eprintln!("token: JWT bearer grant (workload identity) as {client_id}");
            let auth = ClientAuth::none(client_id);
            let assertion = Secret::new(jwt);
            self.token_call(
                || {
                    Ok(jwt_bearer_request(
                        meta,
                        &auth,
                        &assertion,
                        scope.as_deref(),
                        &resources,
                        now(),
                        &mut SystemRandom::new(),
                    )?)
                },
                use_dpop,
            )?
        } else if let Some(pem) = ctx_str(&ctx, "private_key_pem") {
            let client_id = ctx_str(&ctx, "client_id").ok_or("context: client_id")?;
            let alg_name = ctx_str(&ctx, "signing_algorithm").unwrap_or("ES256");
            let alg =
                Algorithm::from_name(alg_name.as_bytes()).ok_or("unknown signing_algorithm")?;
            let key = SigningKey::from_pkcs8_pem(alg, pem)?;
            eprintln!("token: client credentials, private_key_jwt as {client_id}");
            let auth = ClientAuth::private_key_jwt(client_id, key);
            self.token_call(
                || {
                    Ok(client_credentials_request(
                        meta,
                        &auth,
                        scope.as_deref(),
                        &resources,
                        now(),
                        &mut SystemRandom::new(),
                    )?)
                },
                use_dpop,
            )?
        } else if ctx_str(&ctx, "client_secret").is_some()
            && meta.supports_grant_type("client_credentials")
            && !meta.supports_grant_type("authorization_code")
        {
            let reg = self.registration(meta)?;
            let auth = client_auth(meta, &reg);
            eprintln!(
                "token: client credentials, {} as {}",
                auth.method_name(),
                reg.client_id
            );
            self.token_call(
                || {
                    Ok(client_credentials_request(
                        meta,
                        &auth,
                        scope.as_deref(),
                        &resources,
                        now(),
                        &mut SystemRandom::new(),
                    )?)
                },
                use_dpop,
            )?
        } else {
            self.authorization_code(plan, use_dpop)?
        };
        eprintln!(
            "token: {:?} token, scope {:?}, refresh token {}",
            tokens.token_type(),
            tokens.scope().map(|s| s.join(" ")),
            if tokens.refresh_token().is_some() {
                "issued"
            } else {
                "none"
            }
        );
        Ok(AccessToken {
            value: tokens.access_token().clone(),
            dpop: use_dpop,
        })
    }

    /// Sends a token request (built afresh for a DPoP nonce retry: client assertions are
    /// single use) and processes the answer.
    fn token_call(
        &mut self,
        mut build: impl FnMut() -> Result<HttpRequest>,
        use_dpop: bool,
    ) -> Result<TokenResponse> {
        let resp = match self.dpop.as_mut().filter(|_| use_dpop) {
            None => send(&self.http, &build()?)?,
            Some(d) => {
                let mut exchange = DpopExchange::new(build()?, None);
                loop {
                    let signed = exchange.request(&d.key, &d.nonces, now(), &mut self.rng)?;
                    let resp = send(&self.http, &signed)?;
                    if exchange.handle_response(&mut d.nonces, &resp)? != DpopStep::Retry {
                        break resp;
                    }
                    eprintln!("dpop: the authorization server asked for a nonce; retrying once");
                    exchange.replace_request(build()?);
                }
            }
        };
        let options = if use_dpop {
            TokenResponseOptions::new().dpop()
        } else {
            TokenResponseOptions::new()
        };
        Ok(process_token_response(&resp, options)?)
    }

    /// Authorization code + PKCE S256 + `resource`, the redirect followed headlessly.
    fn authorization_code(&mut self, plan: &Plan, use_dpop: bool) -> Result<TokenResponse> {
        let meta = &plan.meta;
        let reg = self.registration(meta)?;
        let mut scopes = plan.scopes.clone();
        // MCP 2026-07-28 (SEP-2207): offline_access only when the server lists it.
        let offers_offline = meta
            .scopes_supported
            .as_ref()
            .is_some_and(|s| s.iter().any(|s| s == "offline_access"));
        if offers_offline && !scopes.iter().any(|s| s == "offline_access") {
            scopes.push("offline_access".into());
        }
        let mut request =
            AuthorizationRequest::new(meta, reg.client_id.as_str(), self.cfg.redirect_uri.as_str())
                .resource(plan.resource.as_str())?;
        if !scopes.is_empty() {
            request = request.scope(scopes.join(" "));
        }
        if let Some(d) = self.dpop.as_ref().filter(|_| use_dpop) {
            // RFC 9449 §10: bind the code to the DPoP key.
            request = request.param("dpop_jkt", d.key.thumbprint())?;
        }
        let (url, state) = request.build(&mut self.rng)?;
        eprintln!(
            "authorize: GET {}",
            url.split('?').next().unwrap_or_default()
        );
        let resp = send(&self.http, &HttpRequest::get(url))?;
        if !(300..400).contains(&resp.status) {
            return Err(format!(
                "authorization endpoint answered HTTP {} (no redirect)",
                resp.status
            )
            .into());
        }
        let location = resp
            .header("location")
            .ok_or("authorization redirect without Location")?;
        // RFC 6749 §4.1.2, RFC 9207 §2.4: state, iss, error, code, checked before any use.
        let code = state.process_callback(location)?;
        eprintln!("authorize: code received, state and iss checked");
        let auth = client_auth(meta, &reg);
        eprintln!(
            "token: authorization code, {} as {}",
            auth.method_name(),
            reg.client_id
        );
        self.token_call(
            || {
                Ok(authorization_code_request(
                    meta,
                    &auth,
                    &state,
                    &code,
                    now(),
                    &mut SystemRandom::new(),
                )?)
            },
            use_dpop,
        )
    }

    /// Enterprise-Managed Authorization (SEP-990): the ID token → ID-JAG at the IdP
    /// (RFC 8693), then the ID-JAG → access token at the MCP server's AS (RFC 7523).
    fn enterprise_managed(
        &mut self,
        plan: &Plan,
        ctx: &Value,
        id_token: &str,
        scope: Option<&str>,
        use_dpop: bool,
    ) -> Result<TokenResponse> {
        let idp_issuer = ctx_str(ctx, "idp_issuer").ok_or("context: idp_issuer")?;
        let idp_client = ctx_str(ctx, "idp_client_id").ok_or("context: idp_client_id")?;
        let mut idp_meta = None;
        for req in discovery_requests(idp_issuer)? {
            eprintln!("idp discovery: GET {}", req.url);
            if let Ok(m) = process_discovery_response(idp_issuer, &send(&self.http, &req)?) {
                idp_meta = Some(m);
                break;
            }
        }
        let idp_meta = match idp_meta {
            Some(m) => m,
            None => {
                let mut m = AuthorizationServerMetadata::new(idp_issuer);
                m.token_endpoint = Some(
                    ctx_str(ctx, "idp_token_endpoint")
                        .ok_or("no IdP metadata and no idp_token_endpoint")?
                        .into(),
                );
                m
            }
        };
        let mut exchange =
            TokenExchange::id_jag(id_token, &plan.meta.issuer).resource(plan.resource.as_str());
        if let Some(s) = scope {
            exchange = exchange.scope(s);
        }
        eprintln!("token: exchanging the ID token for an ID-JAG at {idp_issuer}");
        let idp_auth = ClientAuth::none(idp_client);
        let req = token_exchange_request(&idp_meta, &idp_auth, &exchange, now(), &mut self.rng)?;
        let jag = process_id_jag_response(&send(&self.http, &req)?)?;
        let reg = self.registration(&plan.meta)?;
        let auth = client_auth(&plan.meta, &reg);
        eprintln!(
            "token: JWT bearer grant with the ID-JAG, {} as {}",
            auth.method_name(),
            reg.client_id
        );
        let resources = [plan.resource.as_str()];
        let meta = &plan.meta;
        self.token_call(
            || {
                Ok(jwt_bearer_request(
                    meta,
                    &auth,
                    jag.assertion(),
                    scope,
                    &resources,
                    now(),
                    &mut SystemRandom::new(),
                )?)
            },
            use_dpop,
        )
    }

    /// The client's registration at this issuer: pre-registered (from the context), else one
    /// made earlier at this same issuer, else a Client ID Metadata Document, else dynamic
    /// registration (MCP client registration priority).
    fn registration(&mut self, meta: &AuthorizationServerMetadata) -> Result<Registration> {
        let ctx = &self.cfg.context;
        if let Some(client_id) = ctx_str(ctx, "client_id") {
            // MCP 2026-07-28: pre-registered credentials belong to one issuer.
            match ctx_str(ctx, "issuer") {
                Some(iss) if iss != meta.issuer => {
                    return Err(format!(
                        "pre-registered credentials are for {iss}, not {}",
                        meta.issuer
                    )
                    .into());
                }
                _ => {
                    return Ok(Registration {
                        client_id: client_id.into(),
                        client_secret: ctx_str(ctx, "client_secret").map(String::from),
                        method: None,
                    });
                }
            }
        }
        if let Some(reg) = self.registrations.get(&meta.issuer) {
            return Ok(reg.clone());
        }
        let reg = if let Some(url) = self
            .cfg
            .client_metadata_url
            .clone()
            .filter(|_| meta.client_id_metadata_document_supported == Some(true))
        {
            let doc = client_id_metadata_document(
                &url,
                "oauth-core mcp_client",
                &[self.cfg.redirect_uri.as_str()],
                CimdAuth::None,
            )?;
            let id = doc.client_id.clone().ok_or("CIMD without client_id")?;
            eprintln!("registration: Client ID Metadata Document {id}");
            Registration {
                client_id: id,
                client_secret: None,
                method: Some("none".into()),
            }
        } else if meta.registration_endpoint.is_some() {
            let mut wanted = ClientMetadata::default();
            wanted.client_name = Some("oauth-core mcp_client".into());
            wanted.redirect_uris = Some(vec![self.cfg.redirect_uri.clone()]);
            wanted.grant_types = Some(vec!["authorization_code".into(), "refresh_token".into()]);
            wanted.response_types = Some(vec!["code".into()]);
            wanted.token_endpoint_auth_method = Some(preferred_auth_method(meta).into());
            // MCP 2026-07-28 (SEP-837): a loopback redirect makes a native client.
            wanted.application_type = Some("native".into());
            let req = registration_request(meta, &wanted, None)?;
            eprintln!("registration: POST {}", req.url);
            let resp = send(&self.http, &req)?;
            let info = registration_info(&wanted, &resp)?;
            eprintln!("registration: client_id {}", info.client_id);
            Registration {
                client_id: info.client_id,
                client_secret: info.client_secret,
                method: info.metadata.token_endpoint_auth_method,
            }
        } else {
            return Err(format!(
                "no way to register at {}: no pre-registered client, no Client ID Metadata Document support, no registration_endpoint",
                meta.issuer
            )
            .into());
        };
        self.registrations.insert(meta.issuer.clone(), reg.clone());
        Ok(reg)
    }
}

/// RFC 7591 §3.2.1 makes `client_secret_expires_at` REQUIRED with a `client_secret`, and
/// oauth-core enforces it; some servers (the conformance suite's among them) leave it out.
/// Strict first; when that fails and the named leniency (the omission read as 0, "does
/// not expire") succeeds, say so. Every other check runs either way.
fn registration_info(
    wanted: &ClientMetadata,
    resp: &HttpResponse,
) -> Result<ClientInformation, oauth_core::client::ClientError> {
    match process_registration_response(wanted, resp) {
        Ok(info) => Ok(info),
        Err(strict) => {
            let info = process_registration_response_with(
                wanted,
                resp,
                RegistrationLeniency::MissingSecretExpiry,
            )
            .map_err(|_| strict)?;
            eprintln!(
                "registration: no client_secret_expires_at (RFC 7591 §3.2.1); reading it as 0"
            );
            Ok(info)
        }
    }
}

/// The client authentication a fresh registration asks for: a secret method the server
/// lists, else none (public client).
fn preferred_auth_method(meta: &AuthorizationServerMetadata) -> &'static str {
    ["client_secret_basic", "client_secret_post", "none"]
        .into_iter()
        .find(|m| meta.supports_token_endpoint_auth_method(m))
        .unwrap_or("none")
}

/// The token endpoint authentication for `reg`: the registered method, else the first
/// secret method the server lists, else none.
fn client_auth(meta: &AuthorizationServerMetadata, reg: &Registration) -> ClientAuth {
    let id = reg.client_id.as_str();
    let Some(secret) = reg.client_secret.as_deref() else {
        return ClientAuth::none(id);
    };
    let method = reg.method.clone().unwrap_or_else(|| {
        ["client_secret_basic", "client_secret_post"]
            .into_iter()
            .find(|m| meta.supports_token_endpoint_auth_method(m))
            .unwrap_or("none")
            .into()
    });
    match method.as_str() {
        "client_secret_basic" => ClientAuth::client_secret_basic(id, secret),
        "client_secret_post" => ClientAuth::client_secret_post(id, secret),
        _ => ClientAuth::none(id),
    }
}

/// The JSON-RPC response with `id` from a JSON or `text/event-stream` body (Streamable HTTP).
fn jsonrpc_result(resp: &HttpResponse, id: u64) -> Result<Value> {
    let content_type = resp.header("content-type").unwrap_or_default();
    let messages: Vec<Value> = if content_type.starts_with("text/event-stream") {
        sse_data(&resp.body)
            .iter()
            .filter_map(|d| serde_json::from_str(d).ok())
            .collect()
    } else {
        match serde_json::from_slice::<Value>(&resp.body)? {
            Value::Array(batch) => batch,
            one => vec![one],
        }
    };
    let msg = messages
        .into_iter()
        .find(|m| m.get("id").and_then(Value::as_u64) == Some(id))
        .ok_or("no JSON-RPC response with the request's id")?;
    if let Some(err) = msg.get("error") {
        return Err(format!("JSON-RPC error: {err}").into());
    }
    msg.get("result")
        .cloned()
        .ok_or_else(|| "JSON-RPC response without result".into())
}

/// The `data` of each event of a `text/event-stream` body (lines joined with `\n`).
fn sse_data(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
    text.split("\n\n")
        .filter_map(|event| {
            let data: Vec<&str> = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(|d| d.strip_prefix(' ').unwrap_or(d))
                .collect();
            (!data.is_empty()).then(|| data.join("\n"))
        })
        .collect()
}

fn main() {
    let cfg = match parse_args() {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            print!("{HELP}");
            return;
        }
        Err(e) => {
            eprintln!("mcp_client: {e}");
            std::process::exit(2);
        }
    };
    if let Ok(s) = std::env::var("MCP_CONFORMANCE_SCENARIO") {
        eprintln!("scenario: {s}, protocol version {}", cfg.protocol_version);
    }
    let result = Client::new(cfg).and_then(|mut c| c.run());
    match result {
        Ok(()) => println!("mcp_client: done"),
        Err(e) => {
            eprintln!("mcp_client: error: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/data/conformance/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn response(content_type: &str, body: Vec<u8>) -> HttpResponse {
        HttpResponse::new(200)
            .with_header("Content-Type", content_type)
            .unwrap()
            .with_body(body)
    }

    #[test]
    fn sse_framed_response_recorded_from_the_sdk_server() {
        let resp = response("text/event-stream", recorded("sse-tools-list.txt"));
        let result = jsonrpc_result(&resp, 3).unwrap();
        assert_eq!(result["tools"][0]["name"], "test-tool");
        // Another request's id is not this answer.
        assert!(jsonrpc_result(&resp, 4).is_err());
    }

    #[test]
    fn json_response_recorded_from_the_stateless_mock() {
        let resp = response(
            "application/json; charset=utf-8",
            recorded("stateless-tools-list.json"),
        );
        let result = jsonrpc_result(&resp, 1).unwrap();
        assert_eq!(result["tools"][0]["name"], "test-tool");
        assert_eq!(result["resultType"], "complete");
    }

    #[test]
    fn jsonrpc_error_is_an_error() {
        let resp = response(
            "application/json",
            br#"{"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found"}}"#
                .to_vec(),
        );
        let err = jsonrpc_result(&resp, 7).unwrap_err().to_string();
        assert!(err.contains("-32601"), "{err}");
    }

    /// WHATWG HTML "Server-sent events" §9.2.6: `data` lines of one event join with a line
    /// feed, one leading space is dropped, CRLF ends lines too, other fields are ignored.
    #[test]
    fn sse_events_and_multiline_data() {
        let body =
            b"event: message\r\ndata: {\"a\":\r\ndata:1}\r\n\r\n: comment\nid: 9\ndata: second\n\n";
        assert_eq!(sse_data(body), ["{\"a\":\n1}", "second"]);
        assert!(sse_data(b": only a comment\n\n").is_empty());
    }

    #[test]
    fn registration_without_secret_expiry_reads_as_zero() {
        let raw = recorded("dcr-response-no-expiry.json");
        let resp = HttpResponse::json(201, raw);
        let mut wanted = ClientMetadata::default();
        wanted.redirect_uris = Some(vec!["http://localhost:3000/callback".into()]);
        // oauth-core refuses the document as it is (RFC 7591 §3.2.1) ...
        assert!(process_registration_response(&wanted, &resp).is_err());
        // ... and the adapter accepts it with the omission read as "does not expire".
        let info = registration_info(&wanted, &resp).unwrap();
        assert_eq!(info.client_id, "test-client-id");
        assert_eq!(info.client_secret_expires_at, Some(0));
        // A document with the member keeps its value.
        let complete = br#"{"client_id":"a","client_secret":"s","client_secret_expires_at":5}"#;
        let resp = HttpResponse::json(201, complete.to_vec());
        let mut wanted = ClientMetadata::default();
        wanted.redirect_uris = None;
        assert_eq!(
            registration_info(&wanted, &resp)
                .unwrap()
                .client_secret_expires_at,
            Some(5)
        );
    }

    #[test]
    fn client_authentication_choice() {
        let mut meta = AuthorizationServerMetadata::new("https://as.example.com");
        meta.token_endpoint_auth_methods_supported = Some(vec!["client_secret_post".into()]);
        let reg = |secret: Option<&str>, method: Option<&str>| Registration {
            client_id: "c".into(),
            client_secret: secret.map(String::from),
            method: method.map(String::from),
        };
        // No secret: a public client, whatever the server lists.
        assert_eq!(client_auth(&meta, &reg(None, None)).method_name(), "none");
        // The method the registration answer names wins.
        assert_eq!(
            client_auth(&meta, &reg(Some("s"), Some("client_secret_basic"))).method_name(),
            "client_secret_basic"
        );
        // Else the secret method the server lists.
        assert_eq!(
            client_auth(&meta, &reg(Some("s"), None)).method_name(),
            "client_secret_post"
        );
        assert_eq!(preferred_auth_method(&meta), "client_secret_post");
        meta.token_endpoint_auth_methods_supported = Some(vec!["none".into()]);
        assert_eq!(preferred_auth_method(&meta), "none");
    }
}
