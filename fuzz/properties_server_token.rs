//! Fuzz properties of the token-side request parsers, shared by the cargo-fuzz
//! targets and `tests/fuzz_corpus_server_token.rs`:
//! - `token_request`: `server::token::parse_token_request`;
//! - `device_authorization_request`: `server::token::device_code::parse_device_authorization_request`;
//! - `token_query_request`: `server::introspection::parse_token_query_request`
//!   (introspection and revocation requests).
//!
//! Input layout: the first byte selects request shape (bit 0: one `DPoP`
//! header; bit 1: a second `DPoP` header; bit 2: `application/json` instead of
//! the form type; bit 3: `GET` instead of `POST`); the rest is the body.
//!
//! Properties:
//! - never panics;
//! - a GET or a non-form body is always refused, before the body is read;
//! - an accepted request has a supported `grant_type`, no repeated parameter but
//!   `resource`/`audience`, valid scope tokens, absolute fragment-free
//!   resources without repeats, and a `DPoP` proof exactly when one header came;
//! - re-encoding the accepted parameters and parsing again gives the same
//!   request (grant type, scope, resources, code hash);
//! - a refusal renders an RFC 6749 §5.2 error body that the strict
//!   `ErrorResponse` parser accepts, with `Cache-Control: no-store`.

// Each fuzz binary uses one target of this file; the corpus tests use them all.
#![allow(dead_code)]

use oauth_core::encoding::form;
use oauth_core::error::ErrorResponse;
use oauth_core::http::{HttpRequest, Method};
use oauth_core::server::token::{TokenError, grant_type, parse_token_request};

/// The targets of this file.
pub const TARGETS: &[&str] = &[
    "token_request",
    "device_authorization_request",
    "token_query_request",
];

/// Runs `target` on `data`; `false` for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "token_request" => token_request(data),
        "device_authorization_request" => device_authorization_request(data),
        "token_query_request" => token_query_request(data),
        _ => return false,
    }
    true
}

const GRANTS: [&str; 6] = [
    grant_type::AUTHORIZATION_CODE,
    grant_type::REFRESH_TOKEN,
    grant_type::CLIENT_CREDENTIALS,
    grant_type::DEVICE_CODE,
    grant_type::TOKEN_EXCHANGE,
    grant_type::JWT_BEARER,
];

fn build(flags: u8, body: &[u8]) -> HttpRequest {
    let method = if flags & 8 != 0 {
        Method::Get
    } else {
        Method::Post
    };
    let mut req = HttpRequest::new(method, "/token");
    let ct = if flags & 4 != 0 {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    req.headers.insert("Content-Type", ct).unwrap();
    if flags & 1 != 0 {
        req.headers.append("DPoP", "h.p.s").unwrap();
    }
    if flags & 2 != 0 {
        req.headers.append("DPoP", "h2.p2.s2").unwrap();
    }
    req.body = body.to_vec();
    req
}

/// The `token_request` target.
pub fn token_request(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let req = build(flags, body);
    let parsed = parse_token_request(&req);
    if flags & 8 != 0 {
        assert_eq!(parsed.as_ref().err(), Some(&TokenError::MethodNotAllowed));
    } else if flags & 4 != 0 {
        assert_eq!(
            parsed.as_ref().err(),
            Some(&TokenError::UnsupportedContentType)
        );
    }
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            let resp = e.to_http_response();
            assert_eq!(resp.header("Cache-Control"), Some("no-store"));
            let er = ErrorResponse::from_json(&resp.body).expect("error body parses strictly");
            assert_eq!(er.error, e.code().as_str());
            assert!(resp.status == 400 || resp.status == 401 || resp.status == 500);
            return;
        }
    };
    assert!(GRANTS.contains(&parsed.grant_type()));
    // Exactly one DPoP header gives a proof; two were refused above.
    assert!(flags & 2 == 0 || flags & 1 == 0);
    assert_eq!(parsed.dpop_proof().is_some(), flags & 3 != 0);
    // No repeated parameter except the repeatable ones.
    let f = form::parse_form(body).expect("accepted body is a form");
    let names: Vec<&str> = f.iter().map(|(k, _)| k).collect();
    for (i, n) in names.iter().enumerate() {
        if *n != "resource" && *n != "audience" {
            assert!(!names[..i].contains(n), "repeated {n}");
        }
    }
    for s in parsed.scope().unwrap_or_default() {
        assert!(!s.is_empty() && !s.contains(' ') && !s.contains('"') && !s.contains('\\'));
    }
    let rs = parsed.resources();
    for (i, r) in rs.iter().enumerate() {
        assert!(!r.contains('#'));
        assert!(!rs[..i].contains(r));
    }
    // Re-encode what was accepted and parse again: the same request.
    let pairs: Vec<(&str, &str)> = f.iter().collect();
    let again = parse_token_request(&build(flags & 3, form::encode_form(&pairs).as_bytes()))
        .expect("re-encoded request parses");
    assert_eq!(again.grant_type(), parsed.grant_type());
    assert_eq!(again.scope(), parsed.scope());
    assert_eq!(again.resources(), parsed.resources());
    assert_eq!(again.code_hash(), parsed.code_hash());
    assert_eq!(again.refresh_token_hash(), parsed.refresh_token_hash());
    assert_eq!(again.dpop_proof(), parsed.dpop_proof());
}

/// Refusals render a strict RFC 6749 §5.2 body with `no-store`.
fn check_error(e: &TokenError) {
    let resp = e.to_http_response();
    assert_eq!(resp.header("Cache-Control"), Some("no-store"));
    let er = ErrorResponse::from_json(&resp.body).expect("error body parses strictly");
    assert_eq!(er.error, e.code().as_str());
}

/// The `device_authorization_request` target (same input layout; DPoP bits
/// unused): accepted requests have valid scope tokens, fragment-free resources
/// without repeats, no repeated parameter but `resource`, and re-encode to the
/// same request.
pub fn device_authorization_request(data: &[u8]) {
    use oauth_core::server::token::device_code::parse_device_authorization_request;
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let parsed = match parse_device_authorization_request(&build(flags & !3, body)) {
        Ok(p) => p,
        Err(e) => return check_error(&e),
    };
    assert!(flags & 12 == 0, "GET or JSON accepted");
    for s in parsed.scope() {
        assert!(!s.is_empty() && !s.contains(' '));
    }
    let f = form::parse_form(body).expect("accepted body is a form");
    let names: Vec<&str> = f.iter().map(|(k, _)| k).collect();
    for (i, n) in names.iter().enumerate() {
        assert!(*n == "resource" || !names[..i].contains(n), "repeated {n}");
    }
    let pairs: Vec<(&str, &str)> = f.iter().collect();
    let again = parse_device_authorization_request(&build(0, form::encode_form(&pairs).as_bytes()))
        .expect("re-encoded request parses");
    assert_eq!(again.scope(), parsed.scope());
    assert_eq!(again.resources(), parsed.resources());
}

/// The `token_query_request` target (introspection, revocation): an accepted
/// request has a non-empty `token` whose hash is that of the form value, no
/// repeated parameter, and re-encodes to the same request.
pub fn token_query_request(data: &[u8]) {
    use oauth_core::server::introspection::parse_token_query_request;
    use oauth_core::server::issue::HandleHash;
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let parsed = match parse_token_query_request(&build(flags & !3, body)) {
        Ok(p) => p,
        Err(e) => return check_error(&e),
    };
    assert!(flags & 12 == 0, "GET or JSON accepted");
    assert!(!parsed.token().is_empty());
    assert_eq!(parsed.token_hash(), HandleHash::of(parsed.token()));
    let f = form::parse_form(body).expect("accepted body is a form");
    assert_eq!(f.get("token").unwrap(), Some(parsed.token()));
    let pairs: Vec<(&str, &str)> = f.iter().collect();
    let again = parse_token_query_request(&build(0, form::encode_form(&pairs).as_bytes()))
        .expect("re-encoded request parses");
    assert_eq!(again.token(), parsed.token());
    assert_eq!(again.token_type_hint(), parsed.token_type_hint());
}
