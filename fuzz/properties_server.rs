//! Fuzz properties of the authorization server's front-channel parsers: the authorization
//! endpoint (`authorize_request`), PAR (`par_request`), and dynamic registration plus Client ID
//! Metadata Documents (`registration_request`). Shared by the cargo-fuzz targets and
//! `tests/fuzz_corpus_server.rs`.
//!
//! Input layouts: the first byte holds flags (per target, below); the rest is the query, form
//! body or JSON document.
//!
//! Properties (all targets): never panics; every refusal renders either a redirect to a
//! redirect URI the client registered (carrying `error` and `iss`) or a JSON body the strict
//! `ErrorResponse` parser accepts, with the status of its code; what is accepted satisfies the
//! rules it was checked against, and re-encoding it and parsing again gives the same result.

// Each fuzz binary uses one target of this file; the corpus tests use them all.
#![allow(dead_code)]

use std::collections::HashMap;

use oauth_core::encoding::form::{encode_form, query_pairs};
use oauth_core::error::{ErrorCode, ErrorResponse};
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::metadata::{ClientInformation, ClientMetadata};
use oauth_core::pkce::{PkcePolicy, check_challenge};
use oauth_core::rand::RandomError;
use oauth_core::server::HandleHash;
use oauth_core::server::authorize::{
    AuthorizationDecision, AuthorizationRequest, AuthorizePolicy, parse_authorization_request,
    redirect_uri_matches, validate_authorization_request,
};
use oauth_core::server::cimd::{CimdPolicy, process_client_metadata_response};
use oauth_core::server::error::AuthorizeError;
use oauth_core::server::par::{parse_par_request, process_par_request};
use oauth_core::server::registration::{
    RegistrationPolicy, check_redirect_uri, parse_registration_request, register_client,
};
use oauth_core::server::{
    ApplicationType, AssertionAudience, ClientSecret, RegisteredClient, TokenEndpointAuthMethod,
};
use oauth_core::time::UnixTime;

/// The targets of this file.
pub const TARGETS: &[&str] = &["authorize_request", "par_request", "registration_request"];

/// Runs `target` on `data`; `false` for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "authorize_request" => authorize_request(data),
        "par_request" => par_request(data),
        "registration_request" => registration_request(data),
        _ => return false,
    }
    true
}

const ISSUER: &str = "https://as.example.com";
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut n = 0u8;
    move |buf: &mut [u8]| {
        for b in buf.iter_mut() {
            n = n.wrapping_add(71);
            *b = n;
        }
        Ok(())
    }
}

fn client(native: bool) -> RegisteredClient {
    let mut c = RegisteredClient::public(
        "s6BhdRkqt3",
        vec![
            "https://client.example.com/cb".into(),
            "https://client.example.org/cb".into(),
            "http://127.0.0.1/cb".into(),
        ],
    )
    .with_scopes(&["openid", "read", "account-information"])
    .with_resources(&["https://api.example.com/", "urn:example:resource"]);
    if native {
        c.application_type = ApplicationType::Native;
    }
    c
}

/// A rendered refusal: a redirect to a registered URI with `error` and `iss`, or a strict JSON
/// error body with the status of its code and no `Location`.
fn check_refusal(resp: &HttpResponse, client: &RegisteredClient, error: &AuthorizeError) {
    let code = error.error_code();
    if let Some(loc) = resp.header("location") {
        assert!(resp.status == 302 || resp.status == 303);
        let (base, query) = loc.split_once('?').expect("redirect has a query");
        let params = query_pairs(query).expect("our query parses");
        let registered_base = client.redirect_uris.iter().any(|r| {
            let r_base = r.split('?').next().unwrap_or(r);
            redirect_uri_matches(client, base) || r_base == base || loopback_base(r_base, base)
        });
        assert!(registered_base, "redirected to an unregistered URI");
        assert_eq!(params.get("error").unwrap(), Some(code.as_str()));
        assert_eq!(params.get("iss").unwrap(), Some(ISSUER));
        assert_eq!(params.get("code").unwrap(), None);
    } else {
        assert_eq!(resp.status, error.http_status());
        let body = ErrorResponse::from_json(&resp.body).expect("strict error body");
        assert_eq!(body.code(), Some(code));
    }
}

fn loopback_base(registered: &str, got: &str) -> bool {
    // A native client's loopback redirect may carry any port (RFC 8252 §7.3).
    registered == "http://127.0.0.1/cb"
        && got.starts_with("http://127.0.0.1:")
        && got.ends_with("/cb")
}

fn same(a: &AuthorizationRequest, b: &AuthorizationRequest) {
    assert_eq!(a.client_id(), b.client_id());
    assert_eq!(a.redirect_uri(), b.redirect_uri());
    assert_eq!(a.state(), b.state());
    assert_eq!(a.scopes(), b.scopes());
    assert_eq!(a.resources(), b.resources());
    assert_eq!(a.code_challenge(), b.code_challenge());
    assert_eq!(a.nonce(), b.nonce());
    assert_eq!(a.max_age(), b.max_age());
    assert_eq!(a.dpop_jkt(), b.dpop_jkt());
}

fn accepted_rules(req: &AuthorizationRequest, client: &RegisteredClient, policy: &AuthorizePolicy) {
    assert!(
        redirect_uri_matches(client, req.redirect_uri())
            || client.redirect_uris.iter().any(|r| r == req.redirect_uri())
    );
    let (challenge, method) = req.code_challenge();
    check_challenge(challenge, method, policy.pkce).expect("accepted challenge is valid");
    assert!(req.scopes().iter().all(|s| client.allows_scope(s)));
    assert!(req.resources().iter().all(|r| client.allows_resource(r)));
    let mut seen = req.resources().to_vec();
    seen.dedup();
    assert_eq!(seen.len(), req.resources().len());
}

fn authorize_pairs(req: &AuthorizationRequest) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("response_type".to_string(), "code".to_string()),
        ("client_id".into(), req.client_id().into()),
        ("redirect_uri".into(), req.redirect_uri().into()),
    ];
    let (c, m) = req.code_challenge();
    pairs.push(("code_challenge".into(), c.into()));
    pairs.push(("code_challenge_method".into(), m.as_str().into()));
    if let Some(s) = req.state() {
        pairs.push(("state".into(), s.into()));
    }
    if !req.scopes().is_empty() {
        pairs.push(("scope".into(), req.scopes().join(" ")));
    }
    for r in req.resources() {
        pairs.push(("resource".into(), r.clone()));
    }
    if let Some(n) = req.nonce() {
        pairs.push(("nonce".into(), n.into()));
    }
    if let Some(m) = req.max_age() {
        pairs.push(("max_age".into(), m.to_string()));
    }
    if let Some(j) = req.dpop_jkt() {
        pairs.push(("dpop_jkt".into(), j.into()));
    }
    pairs
}

fn encode(pairs: &[(String, String)]) -> String {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    encode_form(&refs)
}

/// Flags: bit 0 POST form instead of GET query; bit 1 native client; bit 2 the policy allows
/// PKCE `plain`.
pub fn authorize_request(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let client = client(flags & 2 != 0);
    let mut policy = AuthorizePolicy::new(ISSUER);
    if flags & 4 != 0 {
        policy.pkce = PkcePolicy::ALLOW_PLAIN;
    }
    let http = if flags & 1 != 0 {
        let mut r = HttpRequest::new(Method::Post, format!("{ISSUER}/authorize"));
        r.headers
            .insert("Content-Type", "application/x-www-form-urlencoded")
            .unwrap();
        r.body = rest.to_vec();
        r
    } else {
        let Ok(q) = std::str::from_utf8(rest) else {
            return;
        };
        HttpRequest::get(format!("{ISSUER}/authorize?{q}"))
    };
    let parsed = match parse_authorization_request(&http) {
        Ok(p) => p,
        Err(e) => {
            // Nothing is known about the client: never a redirect.
            let resp = e.to_response();
            assert!(resp.header("location").is_none());
            ErrorResponse::from_json(&resp.body).expect("strict error body");
            return;
        }
    };
    assert!(!parsed.client_id().is_empty());
    if parsed.client_id() != client.client_id {
        let f = validate_authorization_request(&policy, &client, parsed, None, NOW).unwrap_err();
        assert_eq!(f.error(), &AuthorizeError::ClientIdMismatch);
        assert!(f.to_response().header("location").is_none());
        return;
    }
    let result = validate_authorization_request(&policy, &client, parsed, None, NOW);
    let req = match result {
        Ok(r) => r,
        Err(f) => {
            if let Some(uri) = f.redirect_uri() {
                assert!(
                    redirect_uri_matches(&client, uri)
                        || client.redirect_uris.iter().any(|r| r == uri)
                );
            }
            check_refusal(&f.to_response(), &client, f.error());
            return;
        }
    };
    accepted_rules(&req, &client, &policy);
    // Re-encoding the accepted request and validating again gives the same request.
    let again = HttpRequest::get(format!(
        "{ISSUER}/authorize?{}",
        encode(&authorize_pairs(&req))
    ));
    let reparsed = parse_authorization_request(&again).expect("re-encoded request parses");
    let req2 = validate_authorization_request(&policy, &client, reparsed, None, NOW)
        .expect("re-encoded request validates");
    same(&req, &req2);
    // Approving renders code, state and iss on the redirect URI, and the record hashes the code.
    let redirect = req.redirect_uri().to_string();
    let state = req.state().map(String::from);
    match req.approve(AuthorizationDecision::new("alice"), NOW, &mut rng()) {
        Ok(approved) => {
            let loc = approved.response.header("location").expect("redirect");
            assert!(loc.starts_with(redirect.split('?').next().unwrap_or(&redirect)));
            let query = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
            let p = query_pairs(query).expect("our query parses");
            let code = p.get("code").unwrap().expect("code");
            assert_eq!(approved.record.code_hash, HandleHash::of(code));
            assert_eq!(p.get("iss").unwrap(), Some(ISSUER));
            assert_eq!(p.get("state").unwrap(), state.as_deref());
            assert_eq!(approved.record.redirect_uri, redirect);
        }
        // Only a registered redirect URI whose query already holds code/state/iss.
        Err(e) => assert_eq!(e, AuthorizeError::InvalidParameter("redirect_uri")),
    }
}

/// Flags (bits 0-1): 0 HTTP Basic with the right secret, 1 `client_secret` in the body, 2 a
/// public client with only `client_id`, 3 Basic and a body secret (always refused).
pub fn par_request(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mode = flags & 3;
    let mut client = client(false);
    if mode != 2 {
        client.token_endpoint_auth_method = if mode == 1 {
            TokenEndpointAuthMethod::ClientSecretPost
        } else {
            TokenEndpointAuthMethod::ClientSecretBasic
        };
        client.secret = Some(ClientSecret::sha256_verifier("7Fjfp0ZBr1KtDRbnfVdmIw"));
    }
    let mut body = rest.to_vec();
    match mode {
        1 => body.extend_from_slice(b"&client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw"),
        2 => body.extend_from_slice(b"&client_id=s6BhdRkqt3"),
        3 => body.extend_from_slice(b"&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw"),
        _ => {}
    }
    let mut http = HttpRequest::new(Method::Post, format!("{ISSUER}/par"));
    http.headers
        .insert("Content-Type", "application/x-www-form-urlencoded")
        .unwrap();
    if mode == 0 || mode == 3 {
        http.headers
            .insert(
                "Authorization",
                "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3",
            )
            .unwrap();
    }
    http.body = body;
    let policy = AuthorizePolicy::new(ISSUER);
    let outcome = parse_par_request(&http).and_then(|par| {
        if par.client_id() != client.client_id {
            return Err(AuthorizeError::UnknownClient);
        }
        process_par_request(
            &policy,
            &client,
            par,
            &AssertionAudience::issuer(ISSUER),
            NOW,
            &mut rng(),
        )
    });
    let pushed = match outcome {
        Ok(p) => p,
        Err(e) => {
            // PAR errors are JSON, never redirects (RFC 9126 §2.3).
            let resp = e.to_response();
            assert!(resp.header("location").is_none());
            assert_eq!(resp.status, e.http_status());
            let body = ErrorResponse::from_json(&resp.body).expect("strict error body");
            assert_eq!(body.code(), Some(e.error_code()));
            return;
        }
    };
    assert_ne!(mode, 3, "two authentication methods must be refused");
    assert_eq!(pushed.response.status, 201);
    let v: serde_json::Value = serde_json::from_slice(&pushed.response.body).expect("JSON");
    let uri = v["request_uri"].as_str().expect("request_uri");
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(uri, pushed.record.request_uri);
    assert_eq!(v["expires_in"], 60);
    assert!(
        pushed
            .record
            .params
            .iter()
            .all(|(k, _)| k != "client_secret")
    );
    // The pushed request is usable once at the authorization endpoint, then not again.
    let mut store = HashMap::new();
    store.insert(uri.to_string(), pushed.record.clone());
    let q = encode_form(&[("client_id", "s6BhdRkqt3"), ("request_uri", uri)]);
    for attempt in 0..2 {
        let parsed =
            parse_authorization_request(&HttpRequest::get(format!("{ISSUER}/authorize?{q}")))
                .expect("parses");
        let taken = parsed.request_uri().and_then(|u| store.remove(u));
        let r = validate_authorization_request(&policy, &client, parsed, taken, NOW);
        if attempt == 0 {
            let req = r.expect("a pushed request validates at the authorization endpoint");
            accepted_rules(&req, &client, &policy);
        } else {
            assert_eq!(r.unwrap_err().error(), &AuthorizeError::InvalidRequestUri);
        }
    }
}

/// Flags: bit 0 the body is a Client ID Metadata Document instead of a registration request;
/// bit 1 the registration policy requires `application_type`.
pub fn registration_request(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if flags & 1 != 0 {
        const URL: &str = "https://app.example.com/oauth/client-metadata.json";
        let resp = HttpResponse::json(200, rest.to_vec());
        if let Ok(client) = process_client_metadata_response(URL, &resp, &CimdPolicy::new()) {
            // Accepted implies: strict JSON, the right client_id, no shared secret.
            assert!(serde_json::from_slice::<serde_json::Value>(rest).is_ok());
            let meta = ClientMetadata::from_json(rest).expect("strict metadata");
            assert_eq!(meta.client_id.as_deref(), Some(URL));
            assert_eq!(client.client_id, URL);
            assert!(matches!(
                client.token_endpoint_auth_method,
                TokenEndpointAuthMethod::None | TokenEndpointAuthMethod::PrivateKeyJwt
            ));
            assert!(client.secret.is_none());
            assert!(!client.redirect_uris.is_empty());
        }
        return;
    }
    let mut policy = RegistrationPolicy::new();
    policy.scopes = vec!["openid".into(), "read".into()];
    policy.require_application_type = flags & 2 != 0;
    let mut http = HttpRequest::new(Method::Post, format!("{ISSUER}/register"));
    http.headers
        .insert("Content-Type", "application/json")
        .unwrap();
    http.body = rest.to_vec();
    let result = parse_registration_request(&http)
        .and_then(|meta| register_client(&policy, meta, NOW, &mut rng()));
    let reg = match result {
        Ok(r) => r,
        Err(e) => {
            let resp = e.to_response();
            assert_eq!(resp.status, 400);
            let body = ErrorResponse::from_json(&resp.body).expect("strict error body");
            assert!(matches!(
                body.code(),
                Some(
                    ErrorCode::InvalidRequest
                        | ErrorCode::InvalidClientMetadata
                        | ErrorCode::InvalidRedirectUri
                        | ErrorCode::InvalidSoftwareStatement
                )
            ));
            return;
        }
    };
    // Accepted implies serde_json accepts the request, and the response round-trips.
    assert!(serde_json::from_slice::<serde_json::Value>(rest).is_ok());
    assert_eq!(reg.response.status, 201);
    let info = ClientInformation::from_json(&reg.response.body).expect("strict response");
    assert_eq!(info, reg.information);
    let method = reg.client.token_endpoint_auth_method;
    assert_eq!(info.client_secret.is_some(), method.uses_secret());
    if let Some(secret) = &info.client_secret {
        assert!(reg.client.secret.as_ref().expect("stored").verify(secret));
        assert!(!format!("{:?}", reg.client).contains(secret.as_str()));
    }
    for uri in &reg.client.redirect_uris {
        check_redirect_uri(uri, reg.client.application_type, &policy)
            .expect("registered URI valid");
    }
    assert!(
        reg.client
            .allowed_scopes
            .iter()
            .all(|s| policy.scopes.contains(s))
    );
    assert!(
        reg.client
            .grant_types
            .iter()
            .all(|g| policy.grant_types.contains(g))
    );
}
