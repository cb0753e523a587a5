//! The examples' shared code (examples/common/): the clients file format of
//! `examples/authorization_server.rs`, the axum HTTP adapter (request and response conversion,
//! body limit), and the MCP server's answers that need no authorization server. The full flows run in `cargo run --example demo`.
#![cfg(feature = "std")]

#[allow(dead_code)]
#[path = "../examples/common/server.rs"]
mod server_adapter;

#[allow(dead_code)]
#[path = "../examples/common/demo_as.rs"]
mod demo_as;

#[allow(dead_code)]
#[path = "../examples/common/demo_mcp.rs"]
mod demo_mcp;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use axum::http;
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::server::client::{ApplicationType, TokenEndpointAuthMethod};

/// RFC 7515 Appendix A.3: the ES256 key's public part.
const PUBLIC_EC: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
/// RFC 7517 Appendix A.1: the first EC key, published for encryption (`use` `enc`).
const ENC_EC: &str = r#"{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}"#;

#[test]
fn clients_file_documented_format() {
    let text = format!(
        r#"{{"clients": [
            {{"client_id": "cli", "redirect_uris": ["http://127.0.0.1/callback"],
              "application_type": "native", "scope": "openid mcp:tools",
              "resources": ["http://127.0.0.1:8081/mcp"]}},
            {{"client_id": "web", "client_secret": "s3cret",
              "redirect_uris": ["https://app.example.com/cb"]}},
            {{"client_id": "post", "client_secret": "s3cret",
              "token_endpoint_auth_method": "client_secret_post",
              "grant_types": ["client_credentials"]}},
            {{"client_id": "keys", "jwks": {{"keys": [{PUBLIC_EC}]}},
              "grant_types": ["client_credentials"]}}
        ]}}"#
    );
    let clients = demo_as::parse_clients(text.as_bytes()).unwrap();
    assert_eq!(clients.len(), 4);
    let [cli, web, post, keys] = [&clients[0], &clients[1], &clients[2], &clients[3]];
    // Defaults: none without secret or jwks, client_secret_basic with a secret,
    // private_key_jwt with jwks.
    assert_eq!(
        cli.token_endpoint_auth_method,
        TokenEndpointAuthMethod::None
    );
    assert_eq!(cli.application_type, ApplicationType::Native);
    // Default grant types: authorization_code and refresh_token.
    assert!(cli.allows_grant_type("authorization_code") && cli.allows_grant_type("refresh_token"));
    assert!(!cli.allows_grant_type("client_credentials"));
    assert!(cli.allows_scope("mcp:tools") && !cli.allows_scope("mcp:write"));
    assert!(cli.allows_resource("http://127.0.0.1:8081/mcp"));
    assert_eq!(
        web.token_endpoint_auth_method,
        TokenEndpointAuthMethod::ClientSecretBasic
    );
    // The secret is kept as a verifier that accepts it and nothing else.
    let secret = web.secret.as_ref().unwrap();
    assert!(secret.verify("s3cret") && !secret.verify("s3cret2"));
    assert_eq!(
        post.token_endpoint_auth_method,
        TokenEndpointAuthMethod::ClientSecretPost
    );
    assert!(post.allows_grant_type("client_credentials"));
    assert!(!post.allows_grant_type("authorization_code"));
    assert_eq!(
        keys.token_endpoint_auth_method,
        TokenEndpointAuthMethod::PrivateKeyJwt
    );
    assert_eq!(keys.jwks.as_ref().unwrap().len(), 1);
}

#[test]
fn clients_file_errors() {
    let enc_only =
        format!(r#"{{"clients": [{{"client_id": "a", "jwks": {{"keys": [{ENC_EC}]}}}}]}}"#);
    for (bad, why) in [
        (enc_only.as_str(), "an encryption key only"),
        (
            r#"{"clients": [{"client_id": "a", "colour": "red"}]}"#,
            "unknown member",
        ),
        (r#"{"clients": [{"redirect_uris": []}]}"#, "no client_id"),
        (
            r#"{"clients": [{"client_id": "a", "token_endpoint_auth_method": "client_secret_basic"}]}"#,
            "secret method without a secret",
        ),
        (
            r#"{"clients": [{"client_id": "a", "token_endpoint_auth_method": "none", "client_secret": "x"}]}"#,
            "a secret for a public client",
        ),
        (
            r#"{"clients": [{"client_id": "a", "token_endpoint_auth_method": "private_key_jwt"}]}"#,
            "private_key_jwt without jwks",
        ),
        (
            r#"{"clients": [{"client_id": "a", "token_endpoint_auth_method": "magic"}]}"#,
            "unknown method",
        ),
        (
            r#"{"clients": [{"client_id": "a", "jwks": {"keys": [{"kty":"oct","k":"AAAA","alg":"HS256"}]}}]}"#,
            "a symmetric key in jwks",
        ),
        (
            r#"{"clients": [{"client_id": "a", "application_type": "tv"}]}"#,
            "unknown application_type",
        ),
    ] {
        assert!(demo_as::parse_clients(bad.as_bytes()).is_err(), "{why}");
    }
}

/// A server answering with what it received: method, URL and body.
fn echo_server() -> String {
    let (listener, base) = server_adapter::bind("127.0.0.1:0").unwrap();
    server_adapter::serve(
        listener,
        base.clone(),
        Arc::new(|req: &HttpRequest| {
            let mut body = format!("{} {}\n", req.method.as_str(), req.url).into_bytes();
            body.extend_from_slice(&req.body);
            HttpResponse::new(200)
                .with_header("X-Echo", "1")
                .unwrap()
                .with_body(body)
        }),
    );
    base
}

/// Writes `request` (from another thread: the server may answer before reading all of it) and
/// reads one response: up to the end of its head and `Content-Length` body (hyper may keep the
/// connection open after a refusal), or up to the close.
fn raw(base: &str, request: Vec<u8>) -> String {
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut w = s.try_clone().unwrap();
    // A write error (the server closed after answering) is not the test's concern.
    std::thread::spawn(move || w.write_all(&request));
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&out).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap())
            });
            if len.is_some_and(|len| body.len() >= len) {
                return text;
            }
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return text,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

fn parts(builder: http::request::Builder) -> http::request::Parts {
    builder.body(()).unwrap().into_parts().0
}

#[test]
fn conversion_builds_absolute_urls_from_host() {
    let p = parts(
        http::Request::builder()
            .method("POST")
            .uri("/token?x=1")
            .header("Host", "localhost:8080")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Multi", "1")
            .header("x-multi", "2"),
    );
    let req = server_adapter::to_http_request(&p, b"a=b", "127.0.0.1:9").unwrap();
    assert_eq!(req.method, Method::Post);
    // RFC 9112 §3.3: the target URI's authority is the Host field, not the bound address.
    assert_eq!(req.url, "http://localhost:8080/token?x=1");
    assert_eq!(req.query(), Some("x=1"));
    assert!(req.content_type_is_form());
    assert_eq!(req.headers_all("x-multi").collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(req.body, b"a=b");
    // HTTP/1.0 may omit Host: the bound address stands in.
    let p = parts(
        http::Request::builder()
            .uri("/mcp")
            .version(http::Version::HTTP_10),
    );
    let req = server_adapter::to_http_request(&p, b"", "127.0.0.1:9").unwrap();
    assert_eq!(
        (req.method, req.url.as_str()),
        (Method::Get, "http://127.0.0.1:9/mcp")
    );
}

#[test]
fn conversion_refuses_what_it_cannot_represent() {
    let bad_request = http::StatusCode::BAD_REQUEST;
    for (p, status, why) in [
        (
            parts(http::Request::builder().uri("/")),
            bad_request,
            "HTTP/1.1 without Host (RFC 9112 §3.2)",
        ),
        (
            parts(
                http::Request::builder()
                    .uri("/")
                    .header("Host", "a.example")
                    .header("Host", "b.example"),
            ),
            bad_request,
            "two Host fields",
        ),
        (
            parts(
                http::Request::builder()
                    .uri("/")
                    .header("Host", "evil@a.example"),
            ),
            bad_request,
            "userinfo in Host",
        ),
        (
            parts(
                http::Request::builder()
                    .uri("/")
                    .header("Host", "a example"),
            ),
            bad_request,
            "Host that is no authority",
        ),
        (
            parts(
                http::Request::builder()
                    .uri("http://evil.example/")
                    .header("Host", "evil.example"),
            ),
            bad_request,
            "absolute-form target (a proxy request): the URL is always this server's",
        ),
        (
            parts(
                http::Request::builder()
                    .method("OPTIONS")
                    .uri("*")
                    .header("Host", "a.example"),
            ),
            bad_request,
            "asterisk-form target",
        ),
        (
            parts(
                http::Request::builder()
                    .uri("/")
                    .header("Host", "a.example")
                    .header("X-Bin", http::HeaderValue::from_bytes(b"\xff").unwrap()),
            ),
            bad_request,
            "a field value that is not UTF-8",
        ),
        (
            parts(
                http::Request::builder()
                    .method("BREW")
                    .uri("/")
                    .header("Host", "a.example"),
            ),
            http::StatusCode::NOT_IMPLEMENTED,
            "a method oauth-core does not know",
        ),
    ] {
        assert_eq!(
            server_adapter::to_http_request(&p, b"", "127.0.0.1:9").map(|r| r.url),
            Err(status),
            "{why}"
        );
    }
}

#[test]
fn conversion_back_to_axum() {
    let resp = HttpResponse::json(401, b"{}".to_vec())
        .with_header("WWW-Authenticate", r#"Bearer error="invalid_token""#)
        .unwrap()
        .with_header("WWW-Authenticate", r#"DPoP algs="ES256""#)
        .unwrap()
        .with_header("Content-Length", "999")
        .unwrap();
    let out = server_adapter::to_axum_response(resp);
    assert_eq!(out.status(), http::StatusCode::UNAUTHORIZED);
    assert_eq!(out.headers()["content-type"], "application/json");
    assert_eq!(out.headers().get_all("www-authenticate").iter().count(), 2);
    // Framing is hyper's: the handler's Content-Length is not passed on.
    assert!(out.headers().get("content-length").is_none());
    // A status hyper cannot send is a 500, not a panic.
    let out = server_adapter::to_axum_response(HttpResponse::new(1000));
    assert_eq!(out.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn adapter_serves_requests_with_absolute_urls() {
    let base = echo_server();
    let agent = server_adapter::agent();
    let req = HttpRequest::post_form(format!("{base}/token?x=1"), &[("a", "b")]);
    let resp = server_adapter::send(&agent, &req).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("x-echo"), Some("1"));
    assert_eq!(
        String::from_utf8(resp.body).unwrap(),
        format!("POST {base}/token?x=1\na=b")
    );
    // A HEAD answer has no body.
    let resp = server_adapter::send(&agent, &HttpRequest::new(Method::Head, &base)).unwrap();
    assert_eq!((resp.status, resp.body.len()), (200, 0));
    // RFC 9112 §7.1 chunked body.
    let host = base.trim_start_matches("http://");
    let out = raw(
        &base,
        format!("POST /mcp HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n").into_bytes(),
    );
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.ends_with(&format!("POST {base}/mcp\nabcde")), "{out}");
}

#[test]
fn adapter_refuses_bodies_over_1_mib() {
    let base = echo_server();
    // Declared too long: refused before the body is read.
    let out = raw(
        &base,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n".to_vec(),
    );
    assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
    // Chunked, so the length shows only while reading.
    let mut req = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..17 {
        req.extend_from_slice(b"10000\r\n");
        req.extend_from_slice(&chunk);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    let out = raw(&base, req);
    assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
    // Exactly 1 MiB is read.
    let mut req = HttpRequest::new(Method::Post, format!("{base}/"));
    req.body = vec![b'a'; 1 << 20];
    let resp = server_adapter::send(&server_adapter::agent(), &req).unwrap();
    assert_eq!(resp.status, 200);
}

#[test]
fn mcp_server_answers_without_an_authorization_server() {
    // The issuer is never contacted: no request below carries a token.
    let mcp = demo_mcp::McpServer::new("http://127.0.0.1:9", "http://127.0.0.1:8081/mcp").unwrap();
    let post = |body: &str| {
        let mut r = HttpRequest::new(Method::Post, "http://127.0.0.1:8081/mcp")
            .with_header("Content-Type", "application/json")
            .unwrap();
        r.body = body.as_bytes().to_vec();
        r
    };
    // RFC 9728 §5.1 + MCP: 401 with resource_metadata and scope.
    let resp = mcp.handle(&post(r#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#));
    assert_eq!(resp.status, 401);
    let challenge = resp.header("www-authenticate").unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains(
        r#"resource_metadata="http://127.0.0.1:8081/.well-known/oauth-protected-resource/mcp""#
    ));
    assert!(challenge.contains(r#"scope="mcp:tools""#));
    // RFC 9728 §3.1: the metadata at the path-inserted well-known URL.
    let prm = mcp.handle(&HttpRequest::get(
        "http://127.0.0.1:8081/.well-known/oauth-protected-resource/mcp",
    ));
    assert_eq!(prm.status, 200);
    let doc: serde_json::Value = serde_json::from_slice(&prm.body).unwrap();
    assert_eq!(doc["resource"], "http://127.0.0.1:8081/mcp");
    assert_eq!(doc["authorization_servers"][0], "http://127.0.0.1:9");
    assert_eq!(doc["scopes_supported"][1], "mcp:write");
    // A token in the query is not a token (MCP: header only).
    let q = mcp.handle(&HttpRequest::new(
        Method::Post,
        "http://127.0.0.1:8081/mcp?access_token=abc",
    ));
    assert_eq!(q.status, 401);
    // No SSE stream: GET is 405; other paths 404; a foreign Origin 403 (DNS rebinding).
    assert_eq!(
        mcp.handle(&HttpRequest::get("http://127.0.0.1:8081/mcp"))
            .status,
        405
    );
    assert_eq!(
        mcp.handle(&HttpRequest::get("http://127.0.0.1:8081/other"))
            .status,
        404
    );
    let evil = post("{}")
        .with_header("Origin", "https://evil.example")
        .unwrap();
    assert_eq!(mcp.handle(&evil).status, 403);
    let old = post("{}")
        .with_header("MCP-Protocol-Version", "1999-01-01")
        .unwrap();
    assert_eq!(mcp.handle(&old).status, 400);
}
