//! The examples' shared code (examples/common/): the clients file format of
//! `examples/authorization_server.rs`, the std::net HTTP adapter, and the MCP server's answers
//! that need no authorization server. The full flows run in `cargo run --example demo`.
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
            HttpResponse::new(200).with_body(body)
        }),
    );
    base
}

fn raw(base: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    s.write_all(request).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn adapter_reads_requests_into_absolute_urls() {
    let base = echo_server();
    let agent = server_adapter::agent();
    let req = HttpRequest::post_form(format!("{base}/token?x=1"), &[("a", "b")]);
    let resp = server_adapter::send(&agent, &req).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(
        String::from_utf8(resp.body).unwrap(),
        format!("POST {base}/token?x=1\na=b")
    );
    // RFC 9112 §7.1 chunked body.
    let out = raw(
        &base,
        b"POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.ends_with(&format!("POST {base}/mcp\nabcde")), "{out}");
}

#[test]
fn adapter_refuses_malformed_requests() {
    let base = echo_server();
    // Absolute-form target (a proxy request): refused, the URL is always this server's.
    let out = raw(&base, b"GET http://evil.example/ HTTP/1.1\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
    // A body over 1 MiB.
    let out = raw(&base, b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
    let out = raw(&base, b"BREW / HTTP/1.1\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 501 "), "{out}");
    let out = raw(&base, b"GET / HTTP/2.0\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 505 "), "{out}");
    let out = raw(&base, b"GET / HTTP/1.1\r\nno colon here\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
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
