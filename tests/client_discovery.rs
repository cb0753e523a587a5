//! Client discovery (RFC 8414 §3, OIDC Discovery §4) against the RFC 8414 §3.2 example response.
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    AuthorizationRequest, ClientError, discovery_request, discovery_requests,
    process_discovery_response,
};
use oauth_core::http::{HttpResponse, Method};
use oauth_core::rand::RandomError;

/// RFC 8414 §3.2, the example response body (transcribed).
const RFC8414_EXAMPLE: &str = r#"{
 "issuer":
   "https://server.example.com",
 "authorization_endpoint":
   "https://server.example.com/authorize",
 "token_endpoint":
   "https://server.example.com/token",
 "token_endpoint_auth_methods_supported":
   ["client_secret_basic", "private_key_jwt"],
 "token_endpoint_auth_signing_alg_values_supported":
   ["RS256", "ES256"],
 "userinfo_endpoint":
   "https://server.example.com/userinfo",
 "jwks_uri":
   "https://server.example.com/jwks.json",
 "registration_endpoint":
   "https://server.example.com/register",
 "scopes_supported":
   ["openid", "profile", "email", "address",
    "phone", "offline_access"],
 "response_types_supported":
   ["code", "code token"],
 "service_documentation":
   "http://server.example.com/service_documentation.html",
 "ui_locales_supported":
   ["en-US", "en-GB", "en-CA", "fr-FR", "fr-CA"]
}"#;

fn ok(body: &str) -> HttpResponse {
    HttpResponse::json(200, body.as_bytes().to_vec())
}

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut n = 0u8;
    move |b: &mut [u8]| {
        for x in b.iter_mut() {
            n = n.wrapping_add(1);
            *x = n;
        }
        Ok(())
    }
}

#[test]
fn request_urls_follow_the_mcp_order() {
    let req = discovery_request("https://server.example.com").unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        "https://server.example.com/.well-known/oauth-authorization-server"
    );
    assert_eq!(req.header("accept"), Some("application/json"));
    let urls: Vec<String> = discovery_requests("https://auth.example.com/tenant1")
        .unwrap()
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert_eq!(
        urls,
        [
            "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
            "https://auth.example.com/.well-known/openid-configuration/tenant1",
            "https://auth.example.com/tenant1/.well-known/openid-configuration",
        ]
    );
    let urls: Vec<String> = discovery_requests("https://auth.example.com")
        .unwrap()
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert_eq!(
        urls,
        [
            "https://auth.example.com/.well-known/oauth-authorization-server",
            "https://auth.example.com/.well-known/openid-configuration",
        ]
    );
    for bad in [
        "http://as.example",
        "https://as.example?x=1",
        "https://as.example#f",
        "as.example",
    ] {
        assert!(
            matches!(discovery_requests(bad), Err(ClientError::InvalidUrl(_))),
            "{bad}"
        );
    }
}

#[test]
fn rfc8414_example_is_accepted_for_its_issuer() {
    let meta =
        process_discovery_response("https://server.example.com", &ok(RFC8414_EXAMPLE)).unwrap();
    assert_eq!(meta.issuer, "https://server.example.com");
    assert_eq!(
        meta.token_endpoint.as_deref(),
        Some("https://server.example.com/token")
    );
    assert_eq!(
        meta.registration_endpoint.as_deref(),
        Some("https://server.example.com/register")
    );
}

#[test]
fn wrong_issuer_in_metadata_is_refused() {
    // RFC 8414 §3.3: identical, with no normalisation of a trailing slash, case, or port.
    for expected in [
        "https://server.example.com/",
        "https://SERVER.example.com",
        "https://server.example.com:443",
        "https://attacker.example.com",
        "https://server.example.com/tenant",
    ] {
        let err = process_discovery_response(expected, &ok(RFC8414_EXAMPLE)).unwrap_err();
        assert_eq!(
            err,
            ClientError::IssuerMismatch {
                expected: expected.into(),
                actual: "https://server.example.com".into()
            },
            "{expected}"
        );
    }
}

#[test]
fn status_content_type_and_strict_json() {
    let issuer = "https://server.example.com";
    let not_found = HttpResponse::new(404);
    assert_eq!(
        process_discovery_response(issuer, &not_found).unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 200,
            actual: 404
        }
    );
    let html = HttpResponse::new(200)
        .with_header("Content-Type", "text/html")
        .unwrap()
        .with_body(RFC8414_EXAMPLE.as_bytes().to_vec());
    assert_eq!(
        process_discovery_response(issuer, &html).unwrap_err(),
        ClientError::NotJson
    );
    // A duplicate `issuer` must not be resolved by "last one wins".
    let dup = r#"{"issuer":"https://evil.example","issuer":"https://server.example.com"}"#;
    assert!(matches!(
        process_discovery_response(issuer, &ok(dup)),
        Err(ClientError::Document(_))
    ));
    assert!(matches!(
        process_discovery_response(issuer, &ok("not json")),
        Err(ClientError::Document(_))
    ));
    let wrong_type =
        r#"{"issuer":"https://server.example.com","code_challenge_methods_supported":"S256"}"#;
    assert!(matches!(
        process_discovery_response(issuer, &ok(wrong_type)),
        Err(ClientError::Document(_))
    ));
}

#[test]
fn missing_pkce_support_refuses_to_proceed() {
    // The RFC 8414 example advertises no code_challenge_methods_supported: the MCP client must
    // refuse to start the authorization code flow.
    let meta =
        process_discovery_response("https://server.example.com", &ok(RFC8414_EXAMPLE)).unwrap();
    let err = AuthorizationRequest::new(&meta, "s6BhdRkqt3", "https://client.example.com/cb")
        .build(&mut rng())
        .unwrap_err();
    assert_eq!(err, ClientError::PkceS256NotSupported);
    // `plain` alone is not S256 either.
    let plain_only = RFC8414_EXAMPLE.replacen(
        "\"issuer\":",
        "\"code_challenge_methods_supported\":[\"plain\"],\n \"issuer\":",
        1,
    );
    let meta = process_discovery_response("https://server.example.com", &ok(&plain_only)).unwrap();
    let err = AuthorizationRequest::new(&meta, "s6BhdRkqt3", "https://client.example.com/cb")
        .build(&mut rng())
        .unwrap_err();
    assert_eq!(err, ClientError::PkceS256NotSupported);
}
