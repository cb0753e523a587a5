//! Scope hierarchies on the resource server (MCP 2026-07-28, server checklist:
//! "Servers MUST honour scope hierarchies"): exact matching by default, a
//! declared parent satisfies its child, transitively, never by string shape;
//! unrelated scopes get the exact 403 `insufficient_scope` naming the
//! operation's scopes (RFC 6750 §3.1; MCP: all of them in one challenge);
//! cycles are refused at build time; audience and issuer checks are untouched;
//! the JWKS path with per-operation scopes; the MCP preset.
#![cfg(feature = "std")]

mod resource_support;

use oauth_core::http::HttpResponse;
use oauth_core::mcp::resource::{
    McpResourceError, resource_server_with_jwks, with_scope_hierarchy,
};
use oauth_core::resource::{
    ChallengeError, JwksCache, Pending, ResourceServer, ScopeHierarchy, ScopeHierarchyError,
};
use oauth_core::time::UnixTime;
use resource_support::*;
use serde_json::json;

const PRM: &str = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp";
const JWKS_URI: &str = "https://as.example.com/jwks";

/// `files:write` implies `files:read`; `admin` implies `files:write`.
const EDGES: &[(&str, &str)] = &[("files:write", "files:read"), ("admin", "files:write")];

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

fn server(key: &EcKey, required: &[&str], edges: Option<&[(&str, &str)]>) -> ResourceServer {
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[key]))
        .with_required_scopes(required);
    match edges {
        Some(e) => rs.with_scope_hierarchy(ScopeHierarchy::new(e).unwrap()),
        None => rs,
    }
}

fn token_with(key: &EcKey, scope: &str) -> String {
    let mut c = claims();
    c["scope"] = json!(scope);
    key.token("at+jwt", &c)
}

fn bearer(token: &str) -> oauth_core::http::HttpRequest {
    get("/mcp", &format!("Bearer {token}"))
}

fn insufficient(scope: &str) -> String {
    format!(
        r#"Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="{scope}", resource_metadata="{PRM}""#
    )
}

#[test]
fn exact_match_still_works_with_and_without_a_hierarchy() {
    let key = EcKey::generate("k1");
    for edges in [None, Some(EDGES)] {
        let rs = server(&key, &["files:read"], edges);
        let p = rs
            .authenticate(&bearer(&token_with(&key, "files:read")), now())
            .unwrap();
        assert_eq!(p.scopes(), ["files:read"]);
    }
}

#[test]
fn no_hierarchy_means_no_implication() {
    // Today's behaviour: files:write does not cover files:read unless declared.
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read"], None);
    assert!(rs.scope_hierarchy().is_empty());
    let c = rs
        .authenticate(&bearer(&token_with(&key, "files:write admin")), now())
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::InsufficientScope);
    assert_eq!(c.status(), 403);
    assert_eq!(c.www_authenticate(), insufficient("files:read"));
}

#[test]
fn parent_satisfies_child_and_not_the_reverse() {
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read"], Some(EDGES));
    let p = rs
        .authenticate(&bearer(&token_with(&key, "files:write")), now())
        .unwrap();
    // The principal keeps the scopes as granted: nothing is added.
    assert_eq!(p.scopes(), ["files:write"]);
    assert!(!p.has_scope("files:read"));

    let rs = server(&key, &["files:write"], Some(EDGES));
    let c = rs
        .authenticate(&bearer(&token_with(&key, "files:read")), now())
        .unwrap_err();
    assert_eq!(c.www_authenticate(), insufficient("files:write"));
}

#[test]
fn transitive() {
    let key = EcKey::generate("k1");
    // admin -> files:write -> files:read, and both required at once.
    let rs = server(&key, &["files:read", "files:write"], Some(EDGES));
    assert!(
        rs.authenticate(&bearer(&token_with(&key, "admin")), now())
            .is_ok()
    );
    assert_eq!(
        rs.scope_hierarchy().implied_by("files:read"),
        ["admin", "files:write"]
    );
    // Per operation, too.
    let rs = server(&key, &[], Some(EDGES));
    assert!(
        rs.authenticate_with_scopes(&bearer(&token_with(&key, "admin")), "files:read", now())
            .is_ok()
    );
}

#[test]
fn unrelated_scope_gets_the_exact_403() {
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read", "files:write"], Some(EDGES));
    let c = rs
        .authenticate(&bearer(&token_with(&key, "calendar:read")), now())
        .unwrap_err();
    assert_eq!(c.error(), ChallengeError::InsufficientScope);
    // MCP: every scope the operation needs, in one challenge (not the
    // scopes that would imply them).
    let resp = c.to_http_response();
    assert_eq!(resp.status, 403);
    assert_eq!(
        resp.header("www-authenticate").unwrap(),
        insufficient("files:read files:write")
    );
    // Half the operation's scopes: still one challenge naming all of them.
    let c = rs
        .authenticate(&bearer(&token_with(&key, "files:read")), now())
        .unwrap_err();
    assert_eq!(c.www_authenticate(), insufficient("files:read files:write"));
}

#[test]
fn no_inference_from_scope_strings() {
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read"], Some(EDGES));
    for granted in [
        "files",
        "files:read:all",
        "files:*",
        "FILES:READ",
        "files:read2",
    ] {
        let c = rs
            .authenticate(&bearer(&token_with(&key, granted)), now())
            .unwrap_err();
        assert_eq!(c.error(), ChallengeError::InsufficientScope, "{granted}");
    }
}

#[test]
fn cycles_are_refused_at_build_time() {
    assert_eq!(
        ScopeHierarchy::new(&[("a", "b"), ("b", "a")]),
        Err(ScopeHierarchyError::Cycle("a".into()))
    );
    assert_eq!(
        ScopeHierarchy::new(&[("admin", "admin")]),
        Err(ScopeHierarchyError::Cycle("admin".into()))
    );
    let e = ScopeHierarchy::new(&[("a", "b"), ("b", "c"), ("c", "d"), ("d", "b")]).unwrap_err();
    assert!(matches!(e, ScopeHierarchyError::Cycle(_)));
    assert!(e.to_string().contains("cycle"));
    assert_eq!(
        ScopeHierarchy::new(&[("files write", "files:read")]),
        Err(ScopeHierarchyError::InvalidScope("files write".into()))
    );
    // A diamond is not a cycle.
    let h = ScopeHierarchy::new(&[("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]).unwrap();
    assert_eq!(h.implied_by("d"), ["a", "b", "c"]);
    // The MCP preset surfaces the same error.
    let rs = resource_server_with_jwks(RESOURCE, ISSUER, &["files:read"]).unwrap();
    assert_eq!(
        with_scope_hierarchy(rs, &[("x", "y"), ("y", "x")]).unwrap_err(),
        McpResourceError::ScopeHierarchy(ScopeHierarchyError::Cycle("x".into()))
    );
}

#[test]
fn a_hierarchy_does_not_widen_audience_or_issuer() {
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read"], Some(EDGES));
    let invalid = |d: &str| {
        format!(
            r#"Bearer error="invalid_token", error_description="{d}", scope="files:read", resource_metadata="{PRM}""#
        )
    };
    let mut c = claims();
    c["scope"] = json!("admin");
    c["aud"] = json!("https://other.example.com/mcp");
    let ch = rs
        .authenticate(&bearer(&key.token("at+jwt", &c)), now())
        .unwrap_err();
    assert_eq!(ch.status(), 401);
    assert_eq!(
        ch.www_authenticate(),
        invalid("The access token is not for this resource")
    );

    let mut c = claims();
    c["scope"] = json!("admin");
    c["iss"] = json!("https://evil.example.com");
    let ch = rs
        .authenticate(&bearer(&key.token("at+jwt", &c)), now())
        .unwrap_err();
    assert_eq!(ch.status(), 401);
    assert_eq!(ch.error(), ChallengeError::InvalidToken);
}

fn jwks_cache(key: &EcKey) -> JwksCache {
    let mut cache = JwksCache::new(ISSUER, JWKS_URI);
    cache
        .process_jwks_response(
            &HttpResponse::json(200, jwks_json(&[key]).into_bytes()),
            now(),
        )
        .unwrap();
    cache
}

#[test]
fn jwks_with_operation_scopes_renders_the_403() {
    let key = EcKey::generate("k1");
    let rs = resource_server_with_jwks(RESOURCE, ISSUER, &["mcp:tools"]).unwrap();
    let rs = with_scope_hierarchy(rs, &[("mcp:admin", "mcp:write")]).unwrap();
    let mut cache = jwks_cache(&key);
    let op = "mcp:tools mcp:write";

    let req = bearer(&token_with(&key, "mcp:tools"));
    match rs.authenticate_with_jwks_and_scopes(&req, &mut cache, op, now()) {
        Err(Pending::Challenge(c)) => {
            let resp = c.to_http_response();
            assert_eq!(resp.status, 403);
            assert_eq!(
                resp.header("www-authenticate").unwrap(),
                insufficient("mcp:tools mcp:write")
            );
        }
        other => panic!("expected a 403, got {other:?}"),
    }
    // The default operation (mcp:tools) is fine with that token.
    assert!(rs.authenticate_with_jwks(&req, &mut cache, now()).is_ok());
    // Exactly, or through the hierarchy.
    for granted in ["mcp:tools mcp:write", "mcp:tools mcp:admin"] {
        let req = bearer(&token_with(&key, granted));
        assert!(
            rs.authenticate_with_jwks_and_scopes(&req, &mut cache, op, now())
                .is_ok(),
            "{granted}"
        );
    }
    // No credentials: the 401 names the operation's scopes too.
    match rs.authenticate_with_jwks_and_scopes(
        &oauth_core::http::HttpRequest::get("/mcp"),
        &mut cache,
        op,
        now(),
    ) {
        Err(Pending::Challenge(c)) => assert_eq!(
            c.www_authenticate(),
            format!(r#"Bearer scope="mcp:tools mcp:write", resource_metadata="{PRM}""#)
        ),
        other => panic!("expected a 401, got {other:?}"),
    }
    // An unknown kid still asks for a fetch first.
    let other = EcKey::generate("k2");
    let req = bearer(&token_with(&other, "mcp:tools mcp:write"));
    assert!(matches!(
        rs.authenticate_with_jwks_and_scopes(&req, &mut cache, op, UnixTime::from_secs(NOW + 600)),
        Err(Pending::FetchJwks(_))
    ));
}

#[test]
fn check_scopes_after_authentication() {
    // For servers that learn the operation after authenticating.
    let key = EcKey::generate("k1");
    let rs = server(&key, &["files:read"], Some(EDGES));
    let p = rs
        .authenticate(&bearer(&token_with(&key, "files:write")), now())
        .unwrap();
    assert!(rs.check_scopes(&p, "files:read").is_ok());
    assert!(rs.check_scopes(&p, "files:write files:read").is_ok());
    let c = rs.check_scopes(&p, "files:read admin").unwrap_err();
    assert_eq!(c.status(), 403);
    assert_eq!(c.www_authenticate(), insufficient("files:read admin"));
}

/// MCP: every challenge names the operation's scopes, whichever check refused: also
/// when the token's issuer is not one of several trusted ones (the issuer is chosen
/// before the signature is checked), and for an introspected token from an untrusted
/// issuer. These two paths once kept the server's default scopes.
#[test]
fn every_refusal_names_the_operations_scopes() {
    let key = EcKey::generate("k1");
    let other = EcKey::generate("k2");
    let rs = server(&key, &["mcp:tools"], None)
        .with_issuer("https://other-as.example.com", jwk_set(&[&other]));
    let mut c = claims();
    c["iss"] = json!("https://unknown.example.com");
    let unknown_issuer = key.token("at+jwt", &c);
    let refused = rs
        .authenticate_with_scopes(&bearer(&unknown_issuer), "files:write", now())
        .unwrap_err();
    assert_eq!(refused.error(), ChallengeError::InvalidToken);
    assert!(
        refused
            .www_authenticate()
            .contains(r#"scope="files:write""#),
        "{}",
        refused.www_authenticate()
    );
    // No credentials at all: the 401 names the operation's scopes too.
    let none = rs
        .authenticate_with_scopes(
            &oauth_core::http::HttpRequest::get("https://mcp.example.com/mcp"),
            "files:write",
            now(),
        )
        .unwrap_err();
    assert_eq!(none.error(), ChallengeError::NoCredentials);
    assert!(none.www_authenticate().contains(r#"scope="files:write""#));
}
