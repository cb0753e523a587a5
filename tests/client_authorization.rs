//! The authorization code flow's front channel: the request (PKCE S256, state, nonce, RFC 8707
//! resource), PAR (RFC 9126 §2), and the callback (RFC 6749 §4.1.2, RFC 9207).
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    AuthorizationLeniency, AuthorizationRequest, AuthorizationState, ClientAuth, ClientError,
    process_par_response, should_push,
};
use oauth_core::encoding::form;
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpResponse, Method};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::pkce::{CodeChallenge, CodeVerifier};
use oauth_core::rand::RandomError;
use oauth_core::time::UnixTime;

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

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn meta(iss_supported: Option<bool>) -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new("https://server.example.com");
    m.authorization_endpoint = Some("https://server.example.com/authorize".into());
    m.token_endpoint = Some("https://server.example.com/token".into());
    m.code_challenge_methods_supported = Some(vec!["S256".into()]);
    m.authorization_response_iss_parameter_supported = iss_supported;
    m
}

/// A state as restored from storage, with the RFC 6749 §4.1.1 example `state=xyz` and the RFC
/// 7636 Appendix B verifier, so the RFC's callback examples apply as written.
fn restored_state(iss_supported: bool) -> AuthorizationState {
    serde_json::from_value(serde_json::json!({
        "issuer": "https://server.example.com",
        "iss_parameter_supported": iss_supported,
        "client_id": "s6BhdRkqt3",
        "redirect_uri": "https://client.example.com/cb",
        "state": "xyz",
        "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    }))
    .unwrap()
}

fn query_of(url: &str) -> form::FormParams {
    form::query_pairs(url.split_once('?').unwrap().1).unwrap()
}

#[test]
fn request_carries_pkce_s256_state_nonce_and_resources() {
    let m = meta(Some(true));
    let (url, state) = AuthorizationRequest::new(&m, "s6BhdRkqt3", "https://client.example.com/cb")
        .scope("openid tools:read")
        .resource("https://mcp.example.com/mcp")
        .unwrap()
        .resource("https://api.example.com")
        .unwrap()
        .prompt("consent")
        .max_age(300)
        .param("ui_locales", "fr")
        .unwrap()
        .build(&mut rng())
        .unwrap();
    assert!(url.starts_with("https://server.example.com/authorize?"));
    let q = query_of(&url);
    q.ensure_no_duplicates(&["resource"]).unwrap();
    assert_eq!(q.get("response_type").unwrap(), Some("code"));
    assert_eq!(q.get("client_id").unwrap(), Some("s6BhdRkqt3"));
    assert_eq!(
        q.get("redirect_uri").unwrap(),
        Some("https://client.example.com/cb")
    );
    assert_eq!(q.get("scope").unwrap(), Some("openid tools:read"));
    assert_eq!(q.get("state").unwrap(), Some(state.state().expose()));
    assert_eq!(q.get("nonce").unwrap(), state.nonce().map(|n| n.expose()));
    assert!(state.nonce().is_some());
    assert_eq!(q.get("code_challenge_method").unwrap(), Some("S256"));
    // The challenge is S256 of the verifier kept in the state (RFC 7636 §4.2).
    let expected = CodeChallenge::s256(state.code_verifier());
    assert_eq!(q.get("code_challenge").unwrap(), Some(expected.as_str()));
    assert_eq!(
        q.get_all("resource").collect::<Vec<_>>(),
        ["https://mcp.example.com/mcp", "https://api.example.com"]
    );
    assert_eq!(q.get("prompt").unwrap(), Some("consent"));
    assert_eq!(q.get("max_age").unwrap(), Some("300"));
    assert_eq!(q.get("ui_locales").unwrap(), Some("fr"));
    // The state records what the callback and the token request need.
    assert_eq!(state.issuer(), "https://server.example.com");
    assert!(state.iss_parameter_supported());
    assert_eq!(
        state.resources(),
        ["https://mcp.example.com/mcp", "https://api.example.com"]
    );
    assert_eq!(state.max_age(), Some(300));
    assert_eq!(state.state().expose().len(), 43);
    assert_ne!(state.state(), state.nonce().unwrap());
}

#[test]
fn no_nonce_without_openid_and_builder_refuses_bad_input() {
    let m = meta(None);
    let (url, state) = AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
        .scope("openidish")
        .build(&mut rng())
        .unwrap();
    assert!(state.nonce().is_none());
    assert_eq!(query_of(&url).get("nonce").unwrap(), None);
    assert!(
        AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
            .param("state", "mine")
            .is_err()
    );
    assert!(
        AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
            .resource("https://mcp.example.com/mcp#frag")
            .is_err()
    );
    for bad_redirect in [
        "http://client.example.com/cb",
        "https://client.example.com/cb#x",
        "/cb",
    ] {
        assert!(
            matches!(
                AuthorizationRequest::new(&m, "c", bad_redirect).build(&mut rng()),
                Err(ClientError::InvalidUrl(_))
            ),
            "{bad_redirect}"
        );
    }
    // A private-use scheme redirect (RFC 8252 §7.1) is fine.
    assert!(
        AuthorizationRequest::new(&m, "c", "com.example.app:/oauth2redirect")
            .build(&mut rng())
            .is_ok()
    );
    let failing = |_: &mut [u8]| Err(RandomError);
    let mut failing = failing;
    assert_eq!(
        AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
            .build(&mut failing)
            .unwrap_err(),
        ClientError::Random(RandomError)
    );
    // An explicit, named leniency lets a server that does not advertise S256 through.
    let mut quiet = meta(None);
    quiet.code_challenge_methods_supported = None;
    assert_eq!(
        AuthorizationRequest::new(&quiet, "c", "http://127.0.0.1:9/cb")
            .build(&mut rng())
            .unwrap_err(),
        ClientError::PkceS256NotSupported
    );
    assert!(
        AuthorizationRequest::new(&quiet, "c", "http://127.0.0.1:9/cb")
            .leniency(AuthorizationLeniency::AssumePkceS256)
            .build(&mut rng())
            .is_ok()
    );
}

#[test]
fn authorization_endpoint_must_be_a_web_url() {
    // MCP security best practices: never javascript:, data:, file: ... authorization URLs.
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "http://server.example.com/authorize",
    ] {
        let mut m = meta(None);
        m.authorization_endpoint = Some(bad.into());
        assert!(
            matches!(
                AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb").build(&mut rng()),
                Err(ClientError::InvalidUrl(_))
            ),
            "{bad}"
        );
    }
}

#[test]
fn endpoint_query_is_kept() {
    let mut m = meta(None);
    m.authorization_endpoint = Some("https://server.example.com/authorize?tenant=t1".into());
    let (url, _) = AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
        .build(&mut rng())
        .unwrap();
    assert!(url.starts_with("https://server.example.com/authorize?tenant=t1&response_type=code"));
}

#[test]
fn rfc6749_callback_example_yields_the_code() {
    // RFC 6749 §4.1.2: Location: https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz
    let state = restored_state(false);
    let code = state
        .process_callback("https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz")
        .unwrap();
    assert_eq!(code.code().expose(), "SplxlOBeZQQYbYS6WxSbIA");
    assert!(!format!("{code:?}").contains("Splx"));
    // The query-only variant for callers that matched the path themselves.
    let code = state
        .process_callback_query("code=SplxlOBeZQQYbYS6WxSbIA&state=xyz")
        .unwrap();
    assert_eq!(code.code().expose(), "SplxlOBeZQQYbYS6WxSbIA");
}

#[test]
fn state_mismatch_and_missing_state() {
    let state = restored_state(false);
    for cb in [
        "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyZ",
        "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xy",
        "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyzz",
        "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=",
    ] {
        assert_eq!(
            state.process_callback(cb).unwrap_err(),
            ClientError::StateMismatch,
            "{cb}"
        );
    }
    assert_eq!(
        state
            .process_callback("https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA")
            .unwrap_err(),
        ClientError::MissingState
    );
}

#[test]
fn rfc9207_iss_checks() {
    // RFC 9207 §2's example response, with this test's state and issuer.
    let supported = restored_state(true);
    let cb = "https://client.example.com/cb?code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58&state=xyz&iss=https%3A%2F%2Fserver.example.com";
    assert_eq!(
        supported.process_callback(cb).unwrap().code().expose(),
        "x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58"
    );
    // Mismatch: simple string comparison, no normalisation.
    for iss in [
        "https%3A%2F%2Fhonest.as.example",
        "https%3A%2F%2Fserver.example.com%2F",
        "https%3A%2F%2FSERVER.example.com",
        "https%3A%2F%2Fserver.example.com%3A443",
    ] {
        let cb = format!("https://client.example.com/cb?code=c&state=xyz&iss={iss}");
        assert_eq!(
            supported.process_callback(&cb).unwrap_err(),
            ClientError::AuthorizationIssuerMismatch,
            "{iss}"
        );
        // ...also when the server never advertised iss support.
        assert_eq!(
            restored_state(false).process_callback(&cb).unwrap_err(),
            ClientError::AuthorizationIssuerMismatch
        );
    }
    // Missing: rejected when advertised, accepted when not (RFC 9207 §2.4 table).
    let cb = "https://client.example.com/cb?code=c&state=xyz";
    assert_eq!(
        supported.process_callback(cb).unwrap_err(),
        ClientError::MissingIssuer
    );
    assert!(restored_state(false).process_callback(cb).is_ok());
}

#[test]
fn error_responses_are_typed_after_state_and_iss() {
    // RFC 6749 §4.1.2.1: Location: https://client.example.com/cb?error=access_denied&state=xyz
    let state = restored_state(false);
    let err = state
        .process_callback("https://client.example.com/cb?error=access_denied&state=xyz")
        .unwrap_err();
    let resp = err.error_response().unwrap();
    assert_eq!(resp.code(), Some(ErrorCode::AccessDenied));
    assert!(matches!(
        err,
        ClientError::ErrorResponse { status: None, .. }
    ));
    let err = state
        .process_callback("https://client.example.com/cb?error=invalid_scope&error_description=Unknown+scope&state=xyz")
        .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().error_description.as_deref(),
        Some("Unknown scope")
    );
    // An error with a wrong state or a wrong iss is not acted upon (MCP: do not display it).
    assert_eq!(
        state
            .process_callback("https://client.example.com/cb?error=access_denied&state=other")
            .unwrap_err(),
        ClientError::StateMismatch
    );
    assert_eq!(
        state
            .process_callback("https://client.example.com/cb?error=access_denied")
            .unwrap_err(),
        ClientError::MissingState
    );
    assert_eq!(
        restored_state(true)
            .process_callback("https://client.example.com/cb?error=access_denied&state=xyz&iss=https%3A%2F%2Fevil.example")
            .unwrap_err(),
        ClientError::AuthorizationIssuerMismatch
    );
    assert_eq!(
        restored_state(true)
            .process_callback("https://client.example.com/cb?error=access_denied&state=xyz")
            .unwrap_err(),
        ClientError::MissingIssuer
    );
    // An `error` outside the RFC 6749 §4.1.2.1 character set is refused, not echoed.
    assert!(matches!(
        state.process_callback("https://client.example.com/cb?error=a+b&state=xyz"),
        Err(ClientError::InvalidResponse(_))
    ));
}

#[test]
fn missing_code_and_duplicate_parameters() {
    let state = restored_state(false);
    assert_eq!(
        state
            .process_callback("https://client.example.com/cb?state=xyz")
            .unwrap_err(),
        ClientError::MissingCode
    );
    assert_eq!(
        state
            .process_callback("https://client.example.com/cb?code=&state=xyz")
            .unwrap_err(),
        ClientError::MissingCode
    );
    for cb in [
        "https://client.example.com/cb?code=a&code=b&state=xyz",
        "https://client.example.com/cb?code=a&state=xyz&state=xyz",
        "https://client.example.com/cb?code=a&state=xyz&iss=x&iss=y",
        "https://client.example.com/cb?code=a&state=xyz&error=x&error=y",
    ] {
        assert!(
            matches!(
                state.process_callback(cb),
                Err(ClientError::Form(form::FormError::DuplicateParameter(_)))
            ),
            "{cb}"
        );
    }
}

#[test]
fn redirect_uri_must_match_exactly() {
    let state = restored_state(false);
    for cb in [
        "https://client.example.com/cb/?code=a&state=xyz",
        "https://client.example.com/CB?code=a&state=xyz",
        "https://client.example.com:8443/cb?code=a&state=xyz",
        "http://client.example.com/cb?code=a&state=xyz",
        "https://evil.example.com/cb?code=a&state=xyz",
        "/cb?code=a&state=xyz",
    ] {
        assert_eq!(
            state.process_callback(cb).unwrap_err(),
            ClientError::RedirectUriMismatch,
            "{cb}"
        );
    }
    // A redirect URI with its own query: those parameters must come back unchanged.
    let with_query: AuthorizationState = serde_json::from_value(serde_json::json!({
        "issuer": "https://server.example.com",
        "iss_parameter_supported": false,
        "client_id": "c",
        "redirect_uri": "https://client.example.com/cb?app=1",
        "state": "xyz",
        "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    }))
    .unwrap();
    assert!(
        with_query
            .process_callback("https://client.example.com/cb?app=1&code=a&state=xyz")
            .is_ok()
    );
    assert_eq!(
        with_query
            .process_callback("https://client.example.com/cb?app=2&code=a&state=xyz")
            .unwrap_err(),
        ClientError::RedirectUriMismatch
    );
    assert_eq!(
        with_query
            .process_callback("https://client.example.com/cb?code=a&state=xyz")
            .unwrap_err(),
        ClientError::RedirectUriMismatch
    );
}

#[test]
fn state_survives_persistence_and_debug_redacts_secrets() {
    let m = meta(Some(true));
    let (_, state) = AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
        .scope("openid")
        .build(&mut rng())
        .unwrap();
    let stored = serde_json::to_string(&state).unwrap();
    let back: AuthorizationState = serde_json::from_str(&stored).unwrap();
    assert_eq!(back.state(), state.state());
    assert_eq!(
        back.code_verifier().as_str(),
        state.code_verifier().as_str()
    );
    assert_eq!(back.nonce(), state.nonce());
    let debug = format!("{state:?}");
    assert!(!debug.contains(state.state().expose()), "{debug}");
    assert!(!debug.contains(state.nonce().unwrap().expose()), "{debug}");
    assert!(!debug.contains(state.code_verifier().as_str()), "{debug}");
    // A tampered verifier does not restore.
    let bad = stored.replace(state.code_verifier().as_str(), "short");
    assert!(serde_json::from_str::<AuthorizationState>(&bad).is_err());
}

fn par_meta(required: bool) -> AuthorizationServerMetadata {
    let mut m = meta(None);
    m.issuer = "https://as.example.com".into();
    m.authorization_endpoint = Some("https://as.example.com/authorize".into());
    m.pushed_authorization_request_endpoint = Some("https://as.example.com/as/par".into());
    m.require_pushed_authorization_requests = Some(required);
    m
}

#[test]
fn par_request_response_and_redirect() {
    let m = par_meta(true);
    assert!(should_push(&m));
    assert!(!should_push(&meta(None)));
    // RFC 9126 §5: when required, the front-channel build is refused.
    assert_eq!(
        AuthorizationRequest::new(&m, "s6BhdRkqt3", "https://client.example.org/cb")
            .build(&mut rng())
            .unwrap_err(),
        ClientError::ParRequired
    );
    // RFC 9126 §2.1: the example's client and secret (Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3).
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw");
    let (req, state) = AuthorizationRequest::new(&m, "s6BhdRkqt3", "https://client.example.org/cb")
        .scope("account-information")
        .build_pushed(&auth, NOW, &mut rng())
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://as.example.com/as/par");
    assert_eq!(
        req.header("authorization"),
        Some("Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3")
    );
    let body = form::parse_form(&req.body).unwrap();
    body.ensure_no_duplicates(&[]).unwrap();
    assert_eq!(body.get("response_type").unwrap(), Some("code"));
    // RFC 9126 §2.1's example: client_id in the body, next to HTTP Basic.
    assert_eq!(body.get("client_id").unwrap(), Some("s6BhdRkqt3"));
    assert_eq!(
        body.get("redirect_uri").unwrap(),
        Some("https://client.example.org/cb")
    );
    assert_eq!(body.get("state").unwrap(), Some(state.state().expose()));
    assert_eq!(body.get("code_challenge_method").unwrap(), Some("S256"));
    assert_eq!(body.get("scope").unwrap(), Some("account-information"));

    // RFC 9126 §2.2 example response.
    let resp = HttpResponse::json(
        201,
        br#"{
  "request_uri": "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c",
  "expires_in": 60
}"#
        .to_vec(),
    )
    .with_header("Cache-Control", "no-cache, no-store")
    .unwrap();
    let pushed = process_par_response(&state, &resp).unwrap();
    assert_eq!(pushed.expires_in(), 60);
    // RFC 9126 §4 example: GET /authorize?client_id=s6BhdRkqt3&request_uri=urn%3Aietf%3A...
    assert_eq!(
        pushed.authorization_url(&m).unwrap(),
        "https://as.example.com/authorize?client_id=s6BhdRkqt3&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A6esc_11ACC5bwc014ltc14eY22c"
    );
}

#[test]
fn par_failures() {
    let m = par_meta(false);
    let auth = ClientAuth::none("c");
    let (req, state) = AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb")
        .build_pushed(&auth, NOW, &mut rng())
        .unwrap();
    // A public client sends its client_id in the body.
    assert_eq!(
        form::parse_form(&req.body)
            .unwrap()
            .get("client_id")
            .unwrap(),
        Some("c")
    );
    // Client authentication for another client is refused.
    assert!(matches!(
        AuthorizationRequest::new(&m, "c", "http://127.0.0.1:9/cb").build_pushed(
            &ClientAuth::none("other"),
            NOW,
            &mut rng()
        ),
        Err(ClientError::InvalidRequest(_))
    ));
    // RFC 9126 §2.3: errors are OAuth error responses.
    let resp = HttpResponse::json(
        400,
        br#"{"error":"invalid_request","error_description":"The redirect_uri is not valid for the given client"}"#.to_vec(),
    );
    let err = process_par_response(&state, &resp).unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidRequest)
    );
    for bad in [
        &br#"{"request_uri":"","expires_in":60}"#[..],
        br#"{"request_uri":"urn:x","expires_in":0}"#,
        br#"{"request_uri":"urn:x","expires_in":"60"}"#,
        br#"{"request_uri":5,"expires_in":60}"#,
        br#"{"expires_in":60}"#,
    ] {
        assert!(process_par_response(&state, &HttpResponse::json(201, bad.to_vec())).is_err());
    }
    // 200 instead of 201.
    assert_eq!(
        process_par_response(
            &state,
            &HttpResponse::json(200, br#"{"request_uri":"urn:x","expires_in":60}"#.to_vec())
        )
        .unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 201,
            actual: 200
        }
    );
    // No PAR endpoint.
    assert_eq!(
        AuthorizationRequest::new(&meta(None), "c", "http://127.0.0.1:9/cb")
            .build_pushed(&auth, NOW, &mut rng())
            .unwrap_err(),
        ClientError::MissingEndpoint("pushed_authorization_request_endpoint")
    );
    let _ = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
}
