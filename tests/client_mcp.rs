//! The MCP client's discovery chain and the `WWW-Authenticate` parser it starts from:
//! RFC 6750 §3, RFC 9728 §5.1 and RFC 9449 §7.1 examples, headers shaped like real
//! servers', and the chain (401 → protected resource metadata → authorization server
//! metadata → plan; 403 step-up) driven by canned responses.

#![cfg(feature = "alloc")]

use oauth_core::client::ClientError;
use oauth_core::client::www_authenticate::{self, WwwAuthenticateError};
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpResponse, Method};
use oauth_core::mcp::{AuthorizationPlan, McpAuthError, McpAuthorization, McpStep};

// ---- WWW-Authenticate ----

#[test]
fn rfc6750_3_examples() {
    // RFC 6750 §3.
    let c = www_authenticate::parse(r#"Bearer realm="example""#).unwrap();
    assert_eq!(c.bearer().unwrap().realm(), Some("example"));
    // RFC 6750 §3 (expired token).
    let c = www_authenticate::parse(
        r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
    )
    .unwrap();
    let b = c.bearer().unwrap();
    assert_eq!(b.error_code(), Some(ErrorCode::InvalidToken));
    assert_eq!(b.error_description(), Some("The access token expired"));
    assert_eq!(c.len(), 1);
}

#[test]
fn rfc9728_5_1_example() {
    // RFC 9728 §5.1 (the header folded onto one line).
    let resp = HttpResponse::new(401)
        .with_header(
            "WWW-Authenticate",
            r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#,
        )
        .unwrap();
    let c = www_authenticate::parse_response(&resp).unwrap();
    assert_eq!(
        c.bearer().unwrap().resource_metadata(),
        Some("https://resource.example.com/.well-known/oauth-protected-resource")
    );
}

#[test]
fn rfc9449_7_1_dpop_challenges() {
    // RFC 9449 §7.1.
    let c = www_authenticate::parse(r#"DPoP algs="ES256 PS256""#).unwrap();
    assert_eq!(
        c.dpop().unwrap().algs().collect::<Vec<_>>(),
        ["ES256", "PS256"]
    );
    let c = www_authenticate::parse(
        r#"DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256""#,
    )
    .unwrap();
    let d = c.dpop().unwrap();
    assert_eq!(d.error(), Some("invalid_token"));
    assert_eq!(d.algs().collect::<Vec<_>>(), ["ES256"]);
}

#[test]
fn several_challenges_across_and_within_headers() {
    // Bearer and DPoP offered together (RFC 9449 §7.2), in two fields, plus a
    // Basic challenge with a token68-free realm, and names in odd case.
    let resp = HttpResponse::new(401)
        .with_header(
            "WWW-Authenticate",
            r#"Basic realm="legacy", BEARER Realm="api", SCOPE="a b""#,
        )
        .unwrap()
        .with_header(
            "www-authenticate",
            r#"DPoP algs="ES256", error="use_dpop_nonce""#,
        )
        .unwrap();
    let c = www_authenticate::parse_response(&resp).unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!(c.as_slice()[0].realm(), Some("legacy"));
    let b = c.bearer().unwrap();
    assert_eq!(b.scheme(), "BEARER");
    assert_eq!(b.realm(), Some("api"));
    assert_eq!(b.scopes().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(c.dpop().unwrap().error(), Some("use_dpop_nonce"));
    // Rendering and parsing again gives the same challenges.
    assert_eq!(www_authenticate::parse(&c.render()).unwrap(), c);
}

#[test]
fn headers_shaped_like_real_servers() {
    // Modeled on an MCP server's 401 (resource_metadata with a trailing slash path).
    let c = www_authenticate::parse(
        r#"Bearer error="invalid_request", error_description="No access token was provided in this request", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp/""#,
    )
    .unwrap();
    assert_eq!(
        c.bearer().unwrap().resource_metadata(),
        Some("https://api.example.com/.well-known/oauth-protected-resource/mcp/")
    );
    // Modeled on Azure AD style challenges: empty realm, extension params, token values.
    let c = www_authenticate::parse(
        r#"Bearer realm="", authorization_uri="https://login.example.com/common/oauth2/authorize", client_id=00000003-0000-0000-c000-000000000000"#,
    )
    .unwrap();
    let b = c.bearer().unwrap();
    assert_eq!(b.realm(), Some(""));
    assert_eq!(
        b.param("client_id"),
        Some("00000003-0000-0000-c000-000000000000")
    );
    // No space after commas, tabs around '=', a trailing comma, quoted-pair escapes.
    let c = www_authenticate::parse(
        "Bearer realm=\"a\\\"b\\\\c\",error=invalid_token ,scope\t=\t\"x y\",",
    )
    .unwrap();
    let b = c.bearer().unwrap();
    assert_eq!(b.realm(), Some("a\"b\\c"));
    assert_eq!(b.error(), Some("invalid_token"));
    assert_eq!(b.scope(), Some("x y"));
    // Negotiate with a token68 next to Bearer.
    let c =
        www_authenticate::parse("Negotiate YIIJvwYGKwYBBQUCoIIJszCCCa+gMDAu==, Bearer").unwrap();
    assert_eq!(
        c.as_slice()[0].token68(),
        Some("YIIJvwYGKwYBBQUCoIIJszCCCa+gMDAu==")
    );
    assert!(c.bearer().is_some());
}

#[test]
fn malformed_and_hostile_headers() {
    assert_eq!(
        www_authenticate::parse(r#"Bearer error="a", error="b""#),
        Err(WwwAuthenticateError::DuplicateParam)
    );
    assert!(matches!(
        www_authenticate::parse(r#"Bearer realm="unterminated"#),
        Err(WwwAuthenticateError::Syntax { .. })
    ));
    let long = format!("Bearer realm=\"{}\"", "a".repeat(20_000));
    assert_eq!(
        www_authenticate::parse(&long),
        Err(WwwAuthenticateError::TooLong)
    );
    let many = "A, ".repeat(40);
    assert_eq!(
        www_authenticate::parse(&many),
        Err(WwwAuthenticateError::TooMany)
    );
    let params: Vec<String> = (0..40).map(|i| format!("p{i}=v")).collect();
    assert_eq!(
        www_authenticate::parse(&format!("X {}", params.join(", "))),
        Err(WwwAuthenticateError::TooMany)
    );
    // RFC 6750 §3: error_description without '"' or '\'.
    assert_eq!(
        www_authenticate::parse(r#"Bearer error_description="say \"hi\"""#),
        Err(WwwAuthenticateError::InvalidErrorText)
    );
}

// ---- The MCP discovery chain ----

const SERVER: &str = "https://mcp.example.com/mcp";

fn challenge(status: u16, value: &str) -> HttpResponse {
    HttpResponse::new(status)
        .with_header("WWW-Authenticate", value)
        .unwrap()
}

fn json(body: &str) -> HttpResponse {
    HttpResponse::json(200, body.as_bytes().to_vec())
}

fn prm(resource: &str) -> HttpResponse {
    json(&format!(
        r#"{{"resource":"{resource}","authorization_servers":["https://auth.example.com/tenant1","https://as2.example.net"],"scopes_supported":["tools:read","tools:write"]}}"#
    ))
}

fn as_meta(issuer: &str, pkce: &str) -> HttpResponse {
    json(&format!(
        r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}/authorize","token_endpoint":"{issuer}/token","response_types_supported":["code"]{pkce}}}"#
    ))
}

const S256: &str = r#","code_challenge_methods_supported":["S256"]"#;

fn expect_request(m: &mut McpAuthorization, step: McpStep, url: &str) {
    assert_eq!(step, McpStep::SendRequest);
    let req = m.poll_request().expect("a request to send");
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.url, url);
    assert_eq!(req.header("accept"), Some("application/json"));
    assert!(m.poll_request().is_none());
}

fn expect_plan(step: McpStep) -> Box<AuthorizationPlan> {
    match step {
        McpStep::Authorize(plan) => plan,
        other => panic!("expected a plan, got {other:?}"),
    }
}

/// 401 with resource_metadata and scope → PRM → AS metadata (first URL 404s) → plan.
fn discovered(m: &mut McpAuthorization) -> Box<AuthorizationPlan> {
    let step = m
        .handle_response(&challenge(
            401,
            r#"Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="tools:read""#,
        ))
        .unwrap();
    expect_request(
        m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
    );
    let step = m.handle_response(&prm(SERVER)).unwrap();
    expect_request(
        m,
        step,
        "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
    );
    let step = m.handle_response(&HttpResponse::new(404)).unwrap();
    expect_request(
        m,
        step,
        "https://auth.example.com/.well-known/openid-configuration/tenant1",
    );
    expect_plan(
        m.handle_response(&as_meta("https://auth.example.com/tenant1", S256))
            .unwrap(),
    )
}

#[test]
fn header_path_to_a_plan_with_the_challenge_scope() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let plan = discovered(&mut m);
    assert_eq!(plan.metadata.issuer, "https://auth.example.com/tenant1");
    assert_eq!(plan.resource, SERVER);
    // MCP: the challenge's scope is authoritative (not scopes_supported).
    assert_eq!(plan.scopes, ["tools:read"]);
    assert_eq!(plan.scope().as_deref(), Some("tools:read"));
    // The token works: nothing more to do.
    assert_eq!(
        m.handle_response(&HttpResponse::new(200)).unwrap(),
        McpStep::Proceed
    );
}

#[test]
fn well_known_fallback_path_inserted_then_root_and_scopes_supported() {
    // Upper-case host and default port: the canonical resource is compared.
    let mut m = McpAuthorization::new("https://MCP.example.com:443/mcp").unwrap();
    assert_eq!(m.resource(), SERVER);
    let step = m.handle_response(&challenge(401, "Bearer")).unwrap();
    expect_request(
        &mut m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
    );
    let step = m.handle_response(&HttpResponse::new(404)).unwrap();
    expect_request(
        &mut m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource",
    );
    let step = m.handle_response(&prm(SERVER)).unwrap();
    expect_request(
        &mut m,
        step,
        "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
    );
    let plan = expect_plan(
        m.handle_response(&as_meta("https://auth.example.com/tenant1", S256))
            .unwrap(),
    );
    // No challenge scope: PRM scopes_supported.
    assert_eq!(plan.scopes, ["tools:read", "tools:write"]);
}

#[test]
fn no_scope_anywhere_means_no_scope_parameter() {
    let mut m = McpAuthorization::new("https://resource.example.com").unwrap();
    let step = m
        .handle_response(&challenge(401, r#"Bearer realm="x""#))
        .unwrap();
    expect_request(
        &mut m,
        step,
        "https://resource.example.com/.well-known/oauth-protected-resource",
    );
    // RFC 9728 §3.2's example document, without scopes_supported.
    let step = m
        .handle_response(&json(
            r#"{"resource":"https://resource.example.com","authorization_servers":["https://as1.example.com","https://as2.example.net"],"bearer_methods_supported":["header","body"],"resource_documentation":"https://resource.example.com/resource_documentation.html"}"#,
        ))
        .unwrap();
    expect_request(
        &mut m,
        step,
        "https://as1.example.com/.well-known/oauth-authorization-server",
    );
    let plan = expect_plan(
        m.handle_response(&as_meta("https://as1.example.com", S256))
            .unwrap(),
    );
    assert!(plan.scopes.is_empty());
    assert_eq!(plan.scope(), None);
}

#[test]
fn prm_resource_mismatch_is_refused() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let step = m.handle_response(&challenge(401, "Bearer")).unwrap();
    expect_request(
        &mut m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
    );
    assert_eq!(
        m.handle_response(&prm("https://evil.example.com/mcp"))
            .unwrap_err(),
        McpAuthError::ResourceMismatch {
            expected: SERVER.into(),
            actual: "https://evil.example.com/mcp".into()
        }
    );
    // The root document of another path is not this resource either.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let _ = m.poll_request();
    assert!(matches!(
        m.handle_response(&prm("https://mcp.example.com"))
            .unwrap_err(),
        McpAuthError::ResourceMismatch { .. }
    ));
}

#[test]
fn missing_s256_is_refused() {
    for pkce in ["", r#","code_challenge_methods_supported":["plain"]"#] {
        let mut m = McpAuthorization::new(SERVER).unwrap();
        let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
        let _ = m.handle_response(&prm(SERVER)).unwrap();
        assert_eq!(
            m.handle_response(&as_meta("https://auth.example.com/tenant1", pkce))
                .unwrap_err(),
            McpAuthError::PkceS256NotSupported,
            "{pkce:?}"
        );
    }
}

#[test]
fn step_up_takes_the_union_and_stops_at_the_limit() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let plan = discovered(&mut m);
    assert_eq!(plan.scopes, ["tools:read"]);
    let insufficient = |scope: &str| {
        challenge(
            403,
            &format!(
                r#"Bearer error="insufficient_scope", scope="{scope}", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp""#
            ),
        )
    };
    // No new discovery round: the plan comes at once, with the union.
    let plan = expect_plan(m.handle_response(&insufficient("tools:write")).unwrap());
    assert_eq!(plan.scopes, ["tools:read", "tools:write"]);
    assert!(m.poll_request().is_none());
    let plan = expect_plan(
        m.handle_response(&insufficient("tools:read admin"))
            .unwrap(),
    );
    assert_eq!(plan.scopes, ["tools:read", "tools:write", "admin"]);
    // The default limit is 2.
    assert_eq!(
        m.handle_response(&insufficient("more")).unwrap_err(),
        McpAuthError::StepUpLimit { attempts: 2 }
    );
    // A configurable limit; 0 means no step-up at all.
    let mut m = McpAuthorization::new(SERVER).unwrap().max_step_ups(0);
    let _ = discovered(&mut m);
    assert_eq!(
        m.handle_response(&insufficient("tools:write")).unwrap_err(),
        McpAuthError::StepUpLimit { attempts: 0 }
    );
    // A 403 for another reason is not a step-up.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = discovered(&mut m);
    assert_eq!(
        m.handle_response(&challenge(403, r#"Bearer error="invalid_token""#))
            .unwrap_err(),
        McpAuthError::Forbidden
    );
}

#[test]
fn issuer_mismatch_in_every_document_stops_the_chain() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let _ = m.handle_response(&prm(SERVER)).unwrap();
    // RFC 8414 §3.3: a document for another issuer is never used; each URL is tried.
    for _ in 0..2 {
        let step = m
            .handle_response(&as_meta("https://auth.example.com", S256))
            .unwrap();
        assert_eq!(step, McpStep::SendRequest);
        let _ = m.poll_request();
    }
    assert!(matches!(
        m.handle_response(&as_meta("https://auth.example.com", S256))
            .unwrap_err(),
        McpAuthError::AuthorizationServerMetadata(ClientError::IssuerMismatch { .. })
    ));
}

#[test]
fn caller_chooses_the_authorization_server() {
    let mut m = McpAuthorization::new(SERVER)
        .unwrap()
        .authorization_server("https://as2.example.net");
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let step = m.handle_response(&prm(SERVER)).unwrap();
    expect_request(
        &mut m,
        step,
        "https://as2.example.net/.well-known/oauth-authorization-server",
    );
    let mut m = McpAuthorization::new(SERVER)
        .unwrap()
        .authorization_server("https://as3.example.org");
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    assert_eq!(
        m.handle_response(&prm(SERVER)).unwrap_err(),
        McpAuthError::AuthorizationServerNotListed
    );
}

#[test]
fn other_refusals() {
    // PRM without authorization servers.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    assert_eq!(
        m.handle_response(&json(&format!(r#"{{"resource":"{SERVER}"}}"#)))
            .unwrap_err(),
        McpAuthError::NoAuthorizationServers
    );
    // A resource_metadata URL that is not https.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    assert!(matches!(
        m.handle_response(&challenge(
            401,
            r#"Bearer resource_metadata="http://mcp.example.com/prm""#
        ))
        .unwrap_err(),
        McpAuthError::InvalidResourceMetadataUrl(_)
    ));
    // A header URL is sent as parsed (found by the mcp_discovery fuzz target).
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let step = m
        .handle_response(&challenge(
            401,
            r#"Bearer resource_metadata="https:/mcp.example.com/prm""#,
        ))
        .unwrap();
    expect_request(&mut m, step, "https://mcp.example.com/prm");
    // Every well-known URL 404s.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let _ = m.handle_response(&HttpResponse::new(404)).unwrap();
    assert_eq!(
        m.handle_response(&HttpResponse::new(404)).unwrap_err(),
        McpAuthError::NoProtectedResourceMetadata { last_status: 404 }
    );
    // A malformed challenge.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    assert!(matches!(
        m.handle_response(&challenge(401, r#"Bearer realm="x"#))
            .unwrap_err(),
        McpAuthError::Challenge(_)
    ));
    // A server URL with a fragment.
    assert!(matches!(
        McpAuthorization::new("https://mcp.example.com/mcp#x").unwrap_err(),
        McpAuthError::InvalidServerUrl(_)
    ));
    // Success without authorization.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    assert_eq!(
        m.handle_response(&HttpResponse::new(200)).unwrap(),
        McpStep::Proceed
    );
}

/// RFC 9728 §3.3 with the MCP root probe (SEP-985): a document fetched from the root
/// well-known URL describes the origin, so `resource` = the origin is accepted there (and
/// sent verbatim as the plan's `resource`), but not from the path-inserted URL or from a
/// header URL elsewhere, and never another origin.
#[test]
fn root_document_may_name_the_origin_only_when_fetched_from_the_root() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let step = m.handle_response(&challenge(401, "Bearer")).unwrap();
    expect_request(
        &mut m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
    );
    let step = m.handle_response(&HttpResponse::new(404)).unwrap();
    expect_request(
        &mut m,
        step,
        "https://mcp.example.com/.well-known/oauth-protected-resource",
    );
    let step = m.handle_response(&prm("https://mcp.example.com")).unwrap();
    expect_request(
        &mut m,
        step,
        "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
    );
    let plan = expect_plan(
        m.handle_response(&as_meta("https://auth.example.com/tenant1", S256))
            .unwrap(),
    );
    assert_eq!(plan.resource, "https://mcp.example.com");

    // Root document naming another origin: refused.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let _ = m.poll_request();
    let _ = m.handle_response(&HttpResponse::new(404)).unwrap();
    let _ = m.poll_request();
    assert!(matches!(
        m.handle_response(&prm("https://evil.example.com"))
            .unwrap_err(),
        McpAuthError::ResourceMismatch { .. }
    ));

    // A header URL that is not the root well-known URL: the origin is not accepted.
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let resp = HttpResponse::new(401)
        .with_header(
            "WWW-Authenticate",
            r#"Bearer resource_metadata="https://mcp.example.com/custom/prm.json""#,
        )
        .unwrap();
    let step = m.handle_response(&resp).unwrap();
    expect_request(&mut m, step, "https://mcp.example.com/custom/prm.json");
    assert!(matches!(
        m.handle_response(&prm("https://mcp.example.com"))
            .unwrap_err(),
        McpAuthError::ResourceMismatch { .. }
    ));
}

/// A refused document (wrong issuer, RFC 8414 §3.3) is what the chain reports at the end,
/// not the 404s of the URLs tried after it (the conformance metadata-issuer-mismatch case).
#[test]
fn refused_document_is_reported_over_later_404s() {
    let mut m = McpAuthorization::new(SERVER).unwrap();
    let _ = m.handle_response(&challenge(401, "Bearer")).unwrap();
    let _ = m.handle_response(&prm(SERVER)).unwrap();
    let _ = m.poll_request();
    let step = m
        .handle_response(&as_meta("https://attacker.example.com", S256))
        .unwrap();
    assert_eq!(step, McpStep::SendRequest);
    let _ = m.poll_request();
    let step = m.handle_response(&HttpResponse::new(404)).unwrap();
    assert_eq!(step, McpStep::SendRequest);
    let _ = m.poll_request();
    assert!(matches!(
        m.handle_response(&HttpResponse::new(404)).unwrap_err(),
        McpAuthError::AuthorizationServerMetadata(ClientError::IssuerMismatch { .. })
    ));
}
