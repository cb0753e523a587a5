//! Live interop: our client against a real authorization server, oidc-provider (npm), on
//! loopback. `tests/data/interop/oidc_provider.mjs` runs three providers (see its header);
//! `.ci/interop` installs and starts it and passes the issuers in
//! `OAUTH_CORE_OIDC_PROVIDER` (client), `OAUTH_CORE_OIDC_PROVIDER_DPOP` and
//! `OAUTH_CORE_OIDC_PROVIDER_OIDC`; without them, the tests start it themselves on free
//! loopback ports from the peers `.ci/interop` installed (`$OAUTH_CORE_INTEROP_NODE_DIR`,
//! default `${OAUTH_CORE_CACHE:-$HOME/.cache/oauth-core}/interop/node`), and it exits with
//! the test process.
//!
//! Every request is built by `oauth_core::client` / `oauth_core::oidc`, sent over a plain
//! loopback TCP connection, and every response goes through the matching `process_*`
//! function; ID tokens are validated with `oauth_core::oidc`, JWT access tokens (RFC 9068)
//! with `jose::Validation::access_token` against the provider's JWKS.
//!
//! With `OAUTH_CORE_INTEROP_RECORD=1` the tests also rewrite the fixtures that
//! tests/client_interop.rs, tests/client_dpop.rs and tests/client_oidc.rs replay (those
//! expect the client provider at http://127.0.0.1:3999: `.ci/interop` uses ports 3999, 3998
//! and 3996 in that mode).
//!
//! Not part of plain `cargo test`: the target needs `--features interop`.
#![cfg(feature = "std")]

mod interop_support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use interop_support::cache_dir;
use oauth_core::client::dpop::{DpopExchange, DpopKey, DpopNonces, DpopStep, NonceRequest};
use oauth_core::client::{
    AuthorizationRequest, AuthorizationState, ClientAuth, ClientError, DeviceFlow, TokenResponse,
    TokenResponseOptions, TokenType, TokenTypeHint, authorization_code_request,
    client_credentials_request, device_authorization_request, discovery_requests,
    introspection_request, process_device_authorization_response, process_discovery_response,
    process_par_response, process_refresh_token_response, process_registration_response,
    process_revocation_response, process_token_response, refresh_token_request,
    registration_request, revocation_request,
};
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpRequest, HttpResponse};
use oauth_core::jose::{Algorithm, JwkSet, JwkSetOptions, SigningKey, Validation};
use oauth_core::metadata::{AuthorizationServerMetadata, ClientMetadata};
use oauth_core::oidc::{
    UserInfoError, UserInfoFormat, process_userinfo_response, userinfo_dpop_exchange,
    validate_refresh_id_token, validate_token_response_id_token,
};
use oauth_core::rand::SystemRandom;
use oauth_core::time::UnixTime;
use serde_json::{Value, json};

const CLIENT_ID: &str = "agent";
const CLIENT_SECRET: &str = "agent-secret-with-at-least-32-bytes!!";
const REDIRECT_URI: &str = "http://127.0.0.1:8765/cb";
const RESOURCE: &str = "http://127.0.0.1:9999/mcp";
const DPOP_CLIENT: &str = "dpop-agent";
const DPOP_SECRET: &str = "dpop-agent-secret-with-32-bytes-or-more";
const DPOP_JWT_CLIENT: &str = "dpop-jwt-agent";
const OIDC_CLIENT: &str = "oidc-agent";

// ------------------------------------------------------------------------------------------
// The peer, HTTP over loopback, recording
// ------------------------------------------------------------------------------------------

/// The issuers `.ci/interop` passed, or those of a server started here (once per process;
/// it exits when this process ends and its standard input closes).
fn issuers() -> &'static Value {
    static ISSUERS: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    ISSUERS.get_or_init(|| {
        let vars = [
            ("client", "OAUTH_CORE_OIDC_PROVIDER"),
            ("dpop", "OAUTH_CORE_OIDC_PROVIDER_DPOP"),
            ("oidc", "OAUTH_CORE_OIDC_PROVIDER_OIDC"),
        ];
        if let Ok(given) = vars
            .iter()
            .map(|(k, v)| std::env::var(v).map(|i| ((*k).to_owned(), Value::from(i))))
            .collect::<Result<serde_json::Map<_, _>, _>>()
        {
            return Value::Object(given);
        }
        assert!(
            !recording(),
            "recording needs the fixed ports: use .ci/interop"
        );
        let node_dir = std::env::var_os("OAUTH_CORE_INTEROP_NODE_DIR")
            .map_or_else(|| cache_dir().join("interop/node"), PathBuf::from);
        let node = std::env::var_os("OAUTH_CORE_INTEROP_NODE").unwrap_or("node".into());
        let mut child = std::process::Command::new(node)
            .arg(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/data/interop/oidc_provider.mjs"),
            )
            .arg("--exit-with-stdin")
            .env("OAUTH_CORE_INTEROP_NODE_DIR", node_dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("node: run .ci/interop first (it installs the peers)");
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        let issuers: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            panic!("oidc_provider.mjs did not start (peers not installed? run .ci/interop)")
        });
        // Drain its notices; keep its standard input open for as long as this process runs.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        std::mem::forget(child);
        issuers
    })
}

fn issuer(which: &str) -> String {
    issuers()[which].as_str().unwrap().to_owned()
}

fn recording() -> bool {
    std::env::var_os("OAUTH_CORE_INTEROP_RECORD").is_some_and(|v| v == "1")
}

fn now() -> UnixTime {
    UnixTime::from_system_time(std::time::SystemTime::now()).unwrap()
}

/// One HTTP/1.1 exchange on loopback (`http://127.0.0.1:port/...` only), with a cookie jar
/// (for the provider's development login, consent and device pages).
fn send(req: &HttpRequest, jar: &mut Vec<(String, String)>) -> HttpResponse {
    let rest = req.url.strip_prefix("http://").expect("loopback http");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    assert!(host.starts_with("127.0.0.1:"), "loopback only: {host}");
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(host).unwrap();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.method,
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
        if k.eq_ignore_ascii_case("transfer-encoding") {
            chunked = v.eq_ignore_ascii_case("chunked");
            continue;
        }
        if k.eq_ignore_ascii_case("set-cookie") {
            let (n, val) = v.split(';').next().unwrap().split_once('=').unwrap();
            jar.retain(|(x, _)| x != n);
            jar.push((n.to_owned(), val.to_owned()));
        }
        resp = resp.with_header(k, v).unwrap();
    }
    if chunked {
        let (mut out, mut rest) = (Vec::new(), &body[..]);
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

/// A response as the replay tests store it, without the named headers.
fn response_json(resp: &HttpResponse, drop: &[&str]) -> Value {
    let headers: Vec<Value> = resp
        .headers
        .iter()
        .filter(|(k, _)| !drop.iter().any(|d| k.eq_ignore_ascii_case(d)))
        .map(|(k, v)| json!([k, v]))
        .collect();
    json!({
        "status": resp.status,
        "headers": headers,
        "body": String::from_utf8_lossy(&resp.body),
    })
}

fn data_dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(sub)
        .join("oidc-provider")
}

/// Writes a fixture (only with `OAUTH_CORE_INTEROP_RECORD=1`).
fn save(sub: &str, name: &str, value: &Value) {
    if recording() {
        let path = data_dir(sub).join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(value).unwrap() + "\n").unwrap();
    }
}

/// Records a response of the client provider (tests/client_interop.rs's format).
fn record_client(name: &str, resp: &HttpResponse) {
    save(
        "client",
        name,
        &response_json(resp, &["set-cookie", "date"]),
    );
}

/// The claims of a JWT, decoded without verification (to inspect what the server issued).
fn payload(jwt: &str) -> Value {
    serde_json::from_slice(&B64.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

fn json_body(resp: &HttpResponse) -> Value {
    assert!(
        resp.content_type_is_json(),
        "{}",
        String::from_utf8_lossy(&resp.body)
    );
    serde_json::from_slice(&resp.body).unwrap()
}

/// Follows redirects from `resp`, submitting oidc-provider's development login (as `alice`)
/// and consent pages, until a redirect to `stop_at` (returned) or a final 200 page.
fn drive_interactions(
    issuer: &str,
    resp: &mut HttpResponse,
    jar: &mut Vec<(String, String)>,
    stop_at: Option<&str>,
) -> Option<String> {
    loop {
        match resp.status {
            302 | 303 => {
                let loc = resp.header("location").unwrap();
                let loc = if loc.starts_with('/') {
                    format!("{issuer}{loc}")
                } else {
                    loc.to_owned()
                };
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

/// The `xsrf` hidden input of an oidc-provider device page.
fn xsrf_of(page: &HttpResponse) -> String {
    let html = String::from_utf8_lossy(&page.body).into_owned();
    html.split(r#"name="xsrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

/// Discovery in the MCP order (RFC 8414 URL first, then OpenID Connect's) and the JWKS.
fn discover(
    issuer: &str,
    jar: &mut Vec<(String, String)>,
    record: bool,
) -> (AuthorizationServerMetadata, JwkSet, HttpResponse) {
    let reqs = discovery_requests(issuer).unwrap();
    let rfc8414 = send(&reqs[0], jar);
    let oidc = send(&reqs[1], jar);
    let m = process_discovery_response(issuer, &oidc).unwrap();
    // Both URLs answer with the same document.
    assert_eq!(process_discovery_response(issuer, &rfc8414).unwrap(), m);
    assert_eq!(m.issuer, issuer);
    assert!(m.supports_pkce_method("S256"));
    let jwks = send(
        &HttpRequest::get(m.jwks_uri.clone().unwrap()).with_accept_json(),
        jar,
    );
    let keys = JwkSet::parse(&jwks.body, &JwkSetOptions::default()).unwrap();
    assert!(!keys.is_empty());
    if record {
        record_client("discovery_rfc8414", &rfc8414);
        record_client("discovery", &oidc);
        record_client("jwks", &jwks);
    }
    (m, keys, jwks)
}

/// Validates an RFC 9068 JWT access token for [`RESOURCE`] with our verifier; returns its
/// claims.
fn validate_access_token(token: &str, issuer: &str, keys: &JwkSet) -> Value {
    let mut scratch = vec![0u8; token.len()];
    let v = Validation::access_token(issuer, RESOURCE)
        .verify(token, keys, now(), &mut scratch)
        .unwrap_or_else(|e| panic!("JWT access token: {e}"));
    assert_eq!(v.header().alg(), Algorithm::RS256);
    // The same token is refused for another resource (RFC 8707, RFC 9068 §4).
    let mut scratch = vec![0u8; token.len()];
    assert!(
        Validation::access_token(issuer, "http://127.0.0.1:9999/other")
            .verify(token, keys, now(), &mut scratch)
            .is_err()
    );
    payload(token)
}

fn introspect(
    m: &AuthorizationServerMetadata,
    token: &oauth_core::client::Secret,
    hint: TokenTypeHint,
    jar: &mut Vec<(String, String)>,
) -> Value {
    let rng = &mut SystemRandom::new();
    let req = introspection_request(m, &auth(), token, Some(hint), now(), rng).unwrap();
    let r = send(&req, jar);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    json_body(&r)
}

fn auth() -> ClientAuth {
    ClientAuth::client_secret_basic(CLIENT_ID, CLIENT_SECRET)
}

fn invalid_grant(err: &ClientError) -> bool {
    err.error_response().and_then(|e| e.code()) == Some(ErrorCode::InvalidGrant)
}

// ------------------------------------------------------------------------------------------
// Client provider: code + PKCE + resource, refresh with rotation, introspection, revocation
// ------------------------------------------------------------------------------------------

#[test]
fn code_flow_refresh_rotation_introspection_revocation() {
    let iss = issuer("client");
    let rng = &mut SystemRandom::new();
    let mut jar = Vec::new();
    let (m, keys, _) = discover(&iss, &mut jar, true);
    assert_eq!(m.authorization_response_iss_parameter_supported, Some(true));

    // Authorization code + PKCE (S256) + resource, through the login and consent pages.
    let (url, state) = AuthorizationRequest::new(&m, CLIENT_ID, REDIRECT_URI)
        .scope("openid offline_access api:read")
        .resource(RESOURCE)
        .unwrap()
        .prompt("consent")
        .build(rng)
        .unwrap();
    assert!(url.contains("code_challenge_method=S256"));
    let mut resp = send(&HttpRequest::get(url), &mut jar);
    let callback = drive_interactions(&iss, &mut resp, &mut jar, Some(REDIRECT_URI)).unwrap();
    save(
        "client",
        "callback",
        &json!({ "url": callback, "state": state }),
    );
    let code = state.process_callback(&callback).unwrap();
    // RFC 9207: the callback's iss is checked; another issuer's callback is refused.
    let iss_param = oauth_core::encoding::form::encode_form(&[("iss", &iss)]);
    let forged = callback.replace(&iss_param, "iss=http%3A%2F%2F127.0.0.1%3A1");
    assert_ne!(forged, callback);
    assert_eq!(
        state.process_callback(&forged).unwrap_err(),
        ClientError::AuthorizationIssuerMismatch
    );
    let code_req = authorization_code_request(&m, &auth(), &state, &code, now(), rng).unwrap();
    let r = send(&code_req, &mut jar);
    record_client("token_code", &r);
    let tokens = process_token_response(&r, TokenResponseOptions::new()).unwrap();
    assert_eq!(tokens.token_type(), TokenType::Bearer);
    assert_eq!(tokens.scope().unwrap(), ["api:read"]);

    // The ID token, validated by oauth_core::oidc (signature, iss, aud, nonce, times).
    let id = validate_token_response_id_token(&tokens, &state, &keys, now())
        .unwrap()
        .expect("openid was requested");
    assert_eq!(id.sub(), "alice");
    assert_eq!(id.claims().iss, iss);
    // The access token: a JWT for the resource indicated (RFC 8707), validated as RFC 9068.
    let at = validate_access_token(tokens.access_token().expose(), &iss, &keys);
    assert_eq!(at["client_id"], CLIENT_ID);
    assert_eq!(at["sub"], "alice");
    assert_eq!(at["scope"], "api:read");

    // Refresh with rotation: a new refresh token, a new ID token with the same claims
    // (OIDC Core §12.2), and a new access token that validates.
    let rt1 = tokens.refresh_token().unwrap().clone();
    let req = refresh_token_request(&m, &auth(), &rt1, None, &[], now(), rng).unwrap();
    let r = send(&req, &mut jar);
    record_client("token_refresh", &r);
    let refreshed = process_refresh_token_response(&r, &rt1, TokenResponseOptions::new()).unwrap();
    assert!(refreshed.refresh_token_is_new());
    let rt2 = refreshed.refresh_token().unwrap().clone();
    assert_ne!(rt2.expose(), rt1.expose());
    let new_id = validate_refresh_id_token(&refreshed, &id, &keys, now())
        .unwrap()
        .expect("oidc-provider sends an id_token on refresh");
    assert_eq!(new_id.sub(), id.sub());
    validate_access_token(refreshed.access_token().expose(), &iss, &keys);

    // Introspection (RFC 7662): the new refresh token is active, the rotated one is not.
    let active = introspect(&m, &rt2, TokenTypeHint::RefreshToken, &mut jar);
    assert_eq!(active["active"], true, "{active}");
    assert_eq!(active["client_id"], CLIENT_ID);
    assert_eq!(active["sub"], "alice");
    let rotated = introspect(&m, &rt1, TokenTypeHint::RefreshToken, &mut jar);
    assert_eq!(rotated, json!({ "active": false }));

    // Revocation (RFC 7009), then introspection says inactive and the token cannot refresh.
    let req = revocation_request(
        &m,
        &auth(),
        &rt2,
        Some(TokenTypeHint::RefreshToken),
        now(),
        rng,
    )
    .unwrap();
    let r = send(&req, &mut jar);
    record_client("revocation", &r);
    process_revocation_response(&r).unwrap();
    let revoked = introspect(&m, &rt2, TokenTypeHint::RefreshToken, &mut jar);
    assert_eq!(revoked, json!({ "active": false }));
    let req = refresh_token_request(&m, &auth(), &rt2, None, &[], now(), rng).unwrap();
    let err =
        process_refresh_token_response(&send(&req, &mut jar), &rt2, TokenResponseOptions::new())
            .unwrap_err();
    assert!(invalid_grant(&err), "{err:?}");

    // A redeemed code sent again: invalid_grant (RFC 6749 §4.1.2).
    let r = send(&code_req, &mut jar);
    record_client("token_code_reused", &r);
    let err = process_token_response(&r, TokenResponseOptions::new()).unwrap_err();
    assert!(invalid_grant(&err), "{err:?}");
}

// ------------------------------------------------------------------------------------------
// Client provider: client credentials, PAR, device flow, registration
// ------------------------------------------------------------------------------------------

#[test]
fn client_credentials_with_resource() {
    let iss = issuer("client");
    let rng = &mut SystemRandom::new();
    let mut jar = Vec::new();
    let (m, keys, _) = discover(&iss, &mut jar, false);
    let req =
        client_credentials_request(&m, &auth(), Some("api:read"), &[RESOURCE], now(), rng).unwrap();
    let r = send(&req, &mut jar);
    record_client("token_client_credentials", &r);
    let t = process_token_response(&r, TokenResponseOptions::new()).unwrap();
    assert_eq!(t.token_type(), TokenType::Bearer);
    assert_eq!(t.scope().unwrap(), ["api:read"]);
    let at = validate_access_token(t.access_token().expose(), &iss, &keys);
    assert_eq!(at["client_id"], CLIENT_ID);
    // A wrong secret: invalid_client with 401 (RFC 6749 §5.2).
    let bad = ClientAuth::client_secret_basic(CLIENT_ID, "wrong-secret");
    let req =
        client_credentials_request(&m, &bad, Some("api:read"), &[RESOURCE], now(), rng).unwrap();
    let r = send(&req, &mut jar);
    record_client("token_client_credentials_bad_secret", &r);
    let err = process_token_response(&r, TokenResponseOptions::new()).unwrap_err();
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
fn pushed_authorization_and_device_flow() {
    let iss = issuer("client");
    let rng = &mut SystemRandom::new();
    let mut jar = Vec::new();
    let (m, keys, _) = discover(&iss, &mut jar, false);

    // PAR (RFC 9126): the request URI, then the front channel with it reaches the callback.
    let (req, par_state) = AuthorizationRequest::new(&m, CLIENT_ID, REDIRECT_URI)
        .scope("openid")
        .prompt("consent")
        .build_pushed(&auth(), now(), rng)
        .unwrap();
    let r = send(&req, &mut jar);
    record_client("par", &r);
    let pushed = process_par_response(&par_state, &r).unwrap();
    assert!(
        pushed
            .request_uri()
            .starts_with("urn:ietf:params:oauth:request_uri:")
    );
    let mut resp = send(
        &HttpRequest::get(pushed.authorization_url(&m).unwrap()),
        &mut jar,
    );
    let callback = drive_interactions(&iss, &mut resp, &mut jar, Some(REDIRECT_URI)).unwrap();
    let code = par_state.process_callback(&callback).unwrap();
    let req = authorization_code_request(&m, &auth(), &par_state, &code, now(), rng).unwrap();
    let tokens =
        process_token_response(&send(&req, &mut jar), TokenResponseOptions::new()).unwrap();
    validate_token_response_id_token(&tokens, &par_state, &keys, now())
        .unwrap()
        .unwrap();
    // Without a resource this access token is opaque (for UserInfo): introspection says
    // active (RFC 7662 §2.2), and after its revocation (RFC 7009 §2.1) inactive. (JWT access
    // tokens are validated locally above: oidc-provider does not introspect them.)
    let at = tokens.access_token();
    let info = introspect(&m, at, TokenTypeHint::AccessToken, &mut jar);
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["client_id"], CLIENT_ID);
    assert_eq!(info["scope"], "openid");
    assert_eq!(info["sub"], "alice");
    let req = revocation_request(
        &m,
        &auth(),
        at,
        Some(TokenTypeHint::AccessToken),
        now(),
        rng,
    )
    .unwrap();
    process_revocation_response(&send(&req, &mut jar)).unwrap();
    let info = introspect(&m, at, TokenTypeHint::AccessToken, &mut jar);
    assert_eq!(info, json!({ "active": false }));

    // Device authorization (RFC 8628): two polls pending, the user approves, tokens.
    let t0 = now();
    let req = device_authorization_request(&m, &auth(), Some("openid"), &[], t0, rng).unwrap();
    let r = send(&req, &mut jar);
    record_client("device_authorization", &r);
    let device = process_device_authorization_response(&r).unwrap();
    assert!(device.verification_uri().starts_with(&iss));
    let mut flow = DeviceFlow::new(&device, t0);
    let t1 = t0.saturating_add(device.interval());
    let r = send(&flow.token_request(&m, &auth(), t1, rng).unwrap(), &mut jar);
    record_client("device_pending", &r);
    assert!(
        flow.handle_response(&r, t1, TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    let t2 = t1.saturating_add(flow.interval());
    let r = send(&flow.token_request(&m, &auth(), t2, rng).unwrap(), &mut jar);
    record_client("device_pending_again", &r);
    assert!(
        flow.handle_response(&r, t2, TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    // The user enters the code, confirms, logs in and consents on the provider's pages.
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
    drive_interactions(&iss, &mut resp, &mut jar, None);
    let t3 = t2.saturating_add(flow.interval());
    let r = send(&flow.token_request(&m, &auth(), t3, rng).unwrap(), &mut jar);
    record_client("device_tokens", &r);
    let tokens: TokenResponse = flow
        .handle_response(&r, t3, TokenResponseOptions::new())
        .unwrap()
        .expect("approved: tokens");
    assert_eq!(tokens.token_type(), TokenType::Bearer);
    let id = payload(tokens.id_token().unwrap().expose());
    assert_eq!(id["sub"], "alice");
    assert_eq!(id["aud"], CLIENT_ID);
}

#[test]
fn dynamic_client_registration() {
    let iss = issuer("client");
    let mut jar = Vec::new();
    let (m, _, _) = discover(&iss, &mut jar, false);
    let mut md = ClientMetadata::default();
    md.redirect_uris = Some(vec!["http://127.0.0.1:8766/cb".into()]);
    md.application_type = Some("native".into());
    md.token_endpoint_auth_method = Some("none".into());
    md.grant_types = Some(vec!["authorization_code".into()]);
    md.response_types = Some(vec!["code".into()]);
    md.client_name = Some("oauth-core interop".into());
    save(
        "client",
        "registration_request",
        &serde_json::from_slice(&md.to_json()).unwrap(),
    );
    let r = send(&registration_request(&m, &md, None).unwrap(), &mut jar);
    record_client("registration", &r);
    let info = process_registration_response(&md, &r).unwrap();
    assert!(!info.client_id.is_empty());
    assert_eq!(info.metadata.application_type.as_deref(), Some("native"));
    assert_eq!(
        info.metadata.redirect_uris.as_deref(),
        Some(&["http://127.0.0.1:8766/cb".to_owned()][..])
    );
}

// ------------------------------------------------------------------------------------------
// DPoP provider: nonces required
// ------------------------------------------------------------------------------------------

/// Client credentials with DPoP: the nonce challenge, one retry (with a request rebuilt by
/// `rebuild`, for single-use client assertions), a DPoP-bound JWT access token.
fn dpop_client_credentials(
    iss: &str,
    auth: &ClientAuth,
    key: &DpopKey,
) -> (Value, TokenResponse, [(HttpRequest, HttpResponse); 2]) {
    let rng = &mut SystemRandom::new();
    let mut jar = Vec::new();
    let m = process_discovery_response(iss, &send(&discovery_requests(iss).unwrap()[0], &mut jar))
        .unwrap();
    assert!(auth.is_advertised_by(&m), "{}", auth.method_name());
    let keys = JwkSet::parse(
        &send(&HttpRequest::get(m.jwks_uri.clone().unwrap()), &mut jar).body,
        &JwkSetOptions::default(),
    )
    .unwrap();
    let build = |rng: &mut SystemRandom| {
        client_credentials_request(&m, auth, Some("api:read"), &[], now(), rng).unwrap()
    };
    let mut nonces = DpopNonces::new();
    let mut ex = DpopExchange::new(build(rng), None);
    let first = ex.request(key, &nonces, now(), rng).unwrap();
    let first_resp = send(&first, &mut jar);
    assert_eq!(first_resp.status, 400);
    assert_eq!(
        oauth_core::client::dpop::nonce_request(&first_resp),
        NonceRequest::AuthorizationServer
    );
    assert_eq!(
        ex.handle_response(&mut nonces, &first_resp).unwrap(),
        DpopStep::Retry
    );
    ex.replace_request(build(rng));
    let second = ex.request(key, &nonces, now(), rng).unwrap();
    let second_resp = send(&second, &mut jar);
    assert_eq!(
        ex.handle_response(&mut nonces, &second_resp).unwrap(),
        DpopStep::Done,
        "{}",
        String::from_utf8_lossy(&second_resp.body)
    );
    let tokens = process_token_response(&second_resp, TokenResponseOptions::new().dpop()).unwrap();
    assert_eq!(tokens.token_type(), TokenType::DPoP);
    // RFC 9449 §6.1: the token is bound to our key's RFC 7638 thumbprint.
    let at = validate_access_token(tokens.access_token().expose(), iss, &keys);
    assert_eq!(at["cnf"]["jkt"], key.thumbprint());
    assert_eq!(at["client_id"], auth.client_id());
    let endpoint = m.token_endpoint.clone().unwrap();
    (
        json!(endpoint),
        tokens,
        [(first, first_resp), (second, second_resp)],
    )
}

#[test]
fn dpop_client_credentials_with_nonce_retry() {
    let iss = issuer("dpop");
    let key = DpopKey::generate_es256(&mut SystemRandom::new()).unwrap();
    let auth = ClientAuth::client_secret_basic(DPOP_CLIENT, DPOP_SECRET);
    let (endpoint, _, [(first, first_resp), (second, second_resp)]) =
        dpop_client_credentials(&iss, &auth, &key);
    save(
        "dpop",
        "nonce_retry",
        &json!({
            "token_endpoint": endpoint,
            "public_jwk": serde_json::from_str::<Value>(key.public_jwk()).unwrap(),
            "first_proof": first.header("dpop"),
            "first_response": response_json(&first_resp, &[]),
            "second_proof": second.header("dpop"),
            "second_response": response_json(&second_resp, &[]),
        }),
    );
}

#[test]
fn dpop_with_private_key_jwt() {
    let iss = issuer("dpop");
    let pem = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/pem/es256_private_pkcs8.pem"),
    )
    .unwrap();
    let signing = SigningKey::from_pkcs8_pem(Algorithm::ES256, &pem).unwrap();
    let auth = ClientAuth::private_key_jwt(DPOP_JWT_CLIENT, signing);
    let key = DpopKey::generate_es256(&mut SystemRandom::new()).unwrap();
    let (_, tokens, [(first, _), (second, _)]) = dpop_client_credentials(&iss, &auth, &key);
    // Each try carried its own client assertion (RFC 7523 §3: single use).
    let assertion = |r: &HttpRequest| {
        oauth_core::encoding::form::parse_form(&r.body)
            .unwrap()
            .get("client_assertion")
            .unwrap()
            .unwrap()
            .to_owned()
    };
    assert_ne!(assertion(&first), assertion(&second));
    assert_eq!(tokens.scope().unwrap(), ["api:read"]);
}

// ------------------------------------------------------------------------------------------
// OIDC provider: code flow with DPoP, signed UserInfo
// ------------------------------------------------------------------------------------------

#[test]
fn oidc_code_flow_with_dpop_and_signed_userinfo() {
    let iss = issuer("oidc");
    let rng = &mut SystemRandom::new();
    let mut jar = Vec::new();
    let disco = discovery_requests(&iss).unwrap();
    let meta = process_discovery_response(&iss, &send(&disco[1], &mut jar)).unwrap();
    let jwks = send(
        &HttpRequest::get(meta.jwks_uri.clone().unwrap()).with_accept_json(),
        &mut jar,
    );
    let keys = JwkSet::parse(&jwks.body, &JwkSetOptions::default()).unwrap();
    let key = DpopKey::generate_es256(rng).unwrap();
    let (url, state): (String, AuthorizationState) =
        AuthorizationRequest::new(&meta, OIDC_CLIENT, REDIRECT_URI)
            .scope("openid email profile")
            .param("dpop_jkt", key.thumbprint())
            .unwrap()
            .prompt("consent")
            .build(rng)
            .unwrap();
    let mut resp = send(&HttpRequest::get(url), &mut jar);
    let callback = drive_interactions(&iss, &mut resp, &mut jar, Some(REDIRECT_URI)).unwrap();
    let code = state.process_callback(&callback).unwrap();
    let auth = ClientAuth::none(OIDC_CLIENT);
    // The token request with DPoP: the server wants a nonce first (RFC 9449 §8).
    let mut nonces = DpopNonces::new();
    let req = authorization_code_request(&meta, &auth, &state, &code, now(), rng).unwrap();
    let mut ex = DpopExchange::new(req, None);
    let mut token_responses = Vec::new();
    let last = loop {
        let r = send(&ex.request(&key, &nonces, now(), rng).unwrap(), &mut jar);
        token_responses.push(response_json(&r, &["set-cookie"]));
        if ex.handle_response(&mut nonces, &r).unwrap() == DpopStep::Done {
            break r;
        }
    };
    assert_eq!(token_responses.len(), 2);
    let tokens = process_token_response(&last, TokenResponseOptions::new().dpop()).unwrap();
    assert_eq!(tokens.token_type(), TokenType::DPoP);
    let id = validate_token_response_id_token(&tokens, &state, &keys, now())
        .unwrap()
        .unwrap();
    assert_eq!(id.sub(), "alice");
    let at = tokens.access_token().expose().to_owned();
    let userinfo = meta.userinfo_endpoint.clone().unwrap();

    // The DPoP-bound token presented as Bearer: refused with a DPoP challenge.
    let bearer = send(
        &HttpRequest::get(userinfo.clone())
            .with_header("Authorization", format!("Bearer {at}"))
            .unwrap(),
        &mut jar,
    );
    let json_format: UserInfoFormat<'_, JwkSet> = UserInfoFormat::Json;
    assert!(matches!(
        process_userinfo_response(&bearer, &id, &json_format, now()).unwrap_err(),
        UserInfoError::Challenge { status: 401, .. }
    ));
    // With DPoP from a store without this server's nonce: use_dpop_nonce (RFC 9449 §9),
    // then the retry gets the signed UserInfo.
    let mut fresh = DpopNonces::new();
    let mut ex = userinfo_dpop_exchange(&meta, &at).unwrap();
    let first = send(&ex.request(&key, &fresh, now(), rng).unwrap(), &mut jar);
    assert_eq!(
        ex.handle_response(&mut fresh, &first).unwrap(),
        DpopStep::Retry
    );
    let second = send(&ex.request(&key, &fresh, now(), rng).unwrap(), &mut jar);
    assert_eq!(
        ex.handle_response(&mut fresh, &second).unwrap(),
        DpopStep::Done
    );
    let signed = UserInfoFormat::Signed {
        issuer: &iss,
        client_id: OIDC_CLIENT,
        keys: &keys,
        algorithms: Some(&[Algorithm::RS256]),
    };
    let info = process_userinfo_response(&second, &id, &signed, now()).unwrap();
    assert_eq!(info.sub(), "alice");
    assert_eq!(info.get_str("email"), Some("alice@example.com"));
    assert_eq!(info.get_str("name"), Some("Alice"));
    save(
        "oidc",
        "dpop_userinfo",
        &json!({
            "issuer": iss,
            "jwks": response_json(&jwks, &["set-cookie"]),
            "state": state,
            "public_jwk": serde_json::from_str::<Value>(key.public_jwk()).unwrap(),
            "token_responses": token_responses,
            "userinfo_bearer": response_json(&bearer, &["set-cookie"]),
            "userinfo_dpop_first": response_json(&first, &["set-cookie"]),
            "userinfo_dpop_retry": response_json(&second, &["set-cookie"]),
        }),
    );
}
