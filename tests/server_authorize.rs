//! The authorization endpoint, PAR (RFC 9126) and JAR (RFC 9101): RFC examples and attacks.
#![cfg(feature = "std")]

use oauth_core::encoding::form::query_pairs;
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpRequest, HttpResponse, Method};
use oauth_core::pkce::PkcePolicy;
use oauth_core::rand::RandomError;
use oauth_core::server::HandleHash;
use oauth_core::server::authorize::{
    AuthorizationDecision, AuthorizePolicy, parse_authorization_request, redirect_uri_matches,
    validate_authorization_request,
};
use oauth_core::server::error::AuthorizeError;
use oauth_core::server::par::{PushedAuthorizationRecord, parse_par_request, process_par_request};
use oauth_core::server::{
    ApplicationType, AssertionAudience, ClientSecret, RegisteredClient, TokenEndpointAuthMethod,
};
use oauth_core::time::UnixTime;
use std::collections::HashMap;

const ISSUER: &str = "https://server.example.com";
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
// RFC 7636 Appendix B.
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut n = 0u8;
    move |buf: &mut [u8]| {
        for b in buf.iter_mut() {
            n = n.wrapping_add(37);
            *b = n;
        }
        Ok(())
    }
}

/// The RFC 6749 §4.1.1 client.
fn client() -> RegisteredClient {
    RegisteredClient::public("s6BhdRkqt3", vec!["https://client.example.com/cb".into()])
        .with_scopes(&["openid", "read", "account-information"])
        .with_resources(&["https://api.example.com/", "https://mcp.example.com/mcp"])
}

fn get(query: &str) -> HttpRequest {
    HttpRequest::get(format!("{ISSUER}/authorize?{query}"))
}

fn policy() -> AuthorizePolicy {
    AuthorizePolicy::new(ISSUER)
}

fn validate(
    client: &RegisteredClient,
    query: &str,
) -> Result<
    oauth_core::server::authorize::AuthorizationRequest,
    oauth_core::server::authorize::AuthorizeFailure,
> {
    let parsed = parse_authorization_request(&get(query)).expect("parses");
    validate_authorization_request(&policy(), client, parsed, None, NOW)
}

fn location(resp: &HttpResponse) -> (String, HashMap<String, String>) {
    let loc = resp.header("location").expect("a redirect").to_string();
    let (base, query) = loc.split_once('?').expect("a query");
    let params = query_pairs(query).unwrap();
    let map = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (base.to_string(), map)
}

// RFC 6749 §4.1.1's request, plus the PKCE challenge of RFC 7636 Appendix B.
const RFC6749_QUERY: &str = "response_type=code&client_id=s6BhdRkqt3&state=xyz&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb";

#[test]
fn rfc6749_example_with_pkce_is_approved_and_the_record_matches_the_code() {
    let q = format!("{RFC6749_QUERY}&code_challenge={CHALLENGE}&code_challenge_method=S256");
    let req = validate(&client(), &q).expect("valid");
    assert_eq!(req.redirect_uri(), "https://client.example.com/cb");
    assert_eq!(req.state(), Some("xyz"));
    let mut decision = AuthorizationDecision::new("alice");
    decision.auth_time = Some(NOW);
    let approved = req.approve(decision, NOW, &mut rng()).unwrap();
    assert_eq!(approved.response.status, 302);
    assert_eq!(approved.response.header("cache-control"), Some("no-store"));
    let (base, p) = location(&approved.response);
    assert_eq!(base, "https://client.example.com/cb");
    assert_eq!(p["state"], "xyz");
    // RFC 9207 §2: iss in the response.
    assert_eq!(p["iss"], ISSUER);
    let code = &p["code"];
    assert_eq!(code.len(), 43, "256-bit code, base64url");
    let rec = approved.record;
    assert_eq!(rec.code_hash, HandleHash::of(code));
    assert_ne!(rec.code_hash, HandleHash::of("another"));
    assert_eq!(rec.client_id, "s6BhdRkqt3");
    assert!(rec.redirect_uri_in_request);
    assert_eq!(rec.code_challenge, CHALLENGE);
    assert_eq!(rec.subject, "alice");
    assert_eq!(rec.auth_time, Some(NOW));
    assert_eq!(rec.expires_at, UnixTime::from_secs(NOW.as_secs() + 60));
    assert!(!rec.is_expired(NOW));
    // The verifier of RFC 7636 Appendix B matches the stored challenge.
    oauth_core::pkce::verify(
        VERIFIER,
        &rec.code_challenge,
        rec.code_challenge_method,
        PkcePolicy::S256_ONLY,
    )
    .unwrap();
}

#[test]
fn rfc6749_example_without_pkce_is_refused_by_redirect() {
    let f = validate(&client(), RFC6749_QUERY).unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::MissingCodeChallenge);
    let resp = f.to_response();
    assert_eq!(resp.status, 302);
    let (base, p) = location(&resp);
    assert_eq!(base, "https://client.example.com/cb");
    assert_eq!(p["error"], "invalid_request");
    assert_eq!(p["state"], "xyz");
    assert_eq!(p["iss"], ISSUER);
    assert!(!p.contains_key("code"));
}

#[test]
fn pkce_plain_and_downgrade_are_refused_unless_the_policy_opts_in() {
    let base = "response_type=code&client_id=s6BhdRkqt3&state=s";
    // plain explicitly
    let plain = format!("{base}&code_challenge={VERIFIER}&code_challenge_method=plain");
    let f = validate(&client(), &plain).unwrap_err();
    assert!(matches!(
        f.error(),
        AuthorizeError::Pkce(oauth_core::pkce::PkceError::PlainNotAllowed)
    ));
    assert!(f.redirect_uri().is_some());
    // method omitted means plain (RFC 7636 §4.3): a downgrade, refused the same way.
    let omitted = format!("{base}&code_challenge={CHALLENGE}");
    let f = validate(&client(), &omitted).unwrap_err();
    assert!(matches!(
        f.error(),
        AuthorizeError::Pkce(oauth_core::pkce::PkceError::PlainNotAllowed)
    ));
    // unknown method
    let unknown = format!("{base}&code_challenge={CHALLENGE}&code_challenge_method=S512");
    assert!(matches!(
        validate(&client(), &unknown).unwrap_err().error(),
        AuthorizeError::Pkce(oauth_core::pkce::PkceError::UnsupportedMethod)
    ));
    // malformed S256 challenge
    let short = format!("{base}&code_challenge=abc&code_challenge_method=S256");
    assert!(matches!(
        validate(&client(), &short).unwrap_err().error(),
        AuthorizeError::Pkce(oauth_core::pkce::PkceError::InvalidChallenge)
    ));
    // opted in: plain accepted
    let mut pol = policy();
    pol.pkce = PkcePolicy::ALLOW_PLAIN;
    let parsed = parse_authorization_request(&get(&plain)).unwrap();
    assert!(validate_authorization_request(&pol, &client(), parsed, None, NOW).is_ok());
}

fn assert_no_redirect(client: &RegisteredClient, redirect: &str) {
    let q = format!(
        "response_type=code&client_id={}&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256&redirect_uri={}",
        client.client_id,
        oauth_core::encoding::form::encode_form(&[("x", redirect)]).trim_start_matches("x=")
    );
    let f = validate(client, &q).expect_err(redirect);
    assert_eq!(
        f.error(),
        &AuthorizeError::RedirectUriMismatch,
        "{redirect}"
    );
    assert_eq!(f.redirect_uri(), None, "{redirect}");
    let resp = f.to_response();
    assert_eq!(resp.status, 400);
    assert_eq!(resp.header("location"), None);
}

#[test]
fn redirect_uri_mismatch_and_tricks_never_redirect() {
    let c = client();
    for evil in [
        "https://attacker.example/cb",
        "https://client.example.com/cb?x=1",
        "https://client.example.com/cb?",
        "https://client.example.com/cb#frag",
        "https://client.example.com/cb/",
        "https://client.example.com/cb/../cb",
        "https://client.example.com/cbx",
        "https://client.example.com/c",
        "https://client.example.com.attacker.example/cb",
        "https://client.example.com@attacker.example/cb",
        "https://CLIENT.example.com/cb",
        "https://client.example.com:443/cb",
        "http://client.example.com/cb",
        "https://client.example.com/CB",
        "https://client.example.com/cb%2F..",
    ] {
        assert_no_redirect(&c, evil);
    }
}

#[test]
fn redirect_uri_is_optional_only_with_exactly_one_registered() {
    let q = format!(
        "response_type=code&client_id=s6BhdRkqt3&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let req = validate(&client(), &q).unwrap();
    assert_eq!(req.redirect_uri(), "https://client.example.com/cb");
    let approved = req
        .approve(AuthorizationDecision::new("a"), NOW, &mut rng())
        .unwrap();
    assert!(!approved.record.redirect_uri_in_request);

    let mut two = client();
    two.redirect_uris
        .push("https://client.example.com/cb2".into());
    let f = validate(&two, &q).unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::MissingRedirectUri);
    assert_eq!(f.redirect_uri(), None);
}

#[test]
fn loopback_port_flexibility_only_for_native_clients_on_ip_literals() {
    let native = RegisteredClient::public(
        "cli",
        vec![
            "http://127.0.0.1/callback".into(),
            "http://[::1]:8080/cb?x=1".into(),
            "http://localhost/cb".into(),
        ],
    )
    .with_application_type(ApplicationType::Native);
    // RFC 8252 §7.3: any port on the loopback IP.
    assert!(redirect_uri_matches(
        &native,
        "http://127.0.0.1:51004/callback"
    ));
    assert!(redirect_uri_matches(&native, "http://127.0.0.1/callback"));
    assert!(redirect_uri_matches(&native, "http://[::1]:9/cb?x=1"));
    assert!(redirect_uri_matches(&native, "http://[::1]/cb?x=1"));
    // Everything else still exact.
    for bad in [
        "http://127.0.0.1:51004/callback/x",
        "http://127.0.0.1:51004/Callback",
        "http://127.0.0.1:99999/callback",
        "http://127.0.0.1:/callback",
        "http://127.0.0.1.attacker.example/callback",
        "http://127.0.0.1@attacker.example/callback",
        "http://127.0.0.2:5000/callback",
        "https://127.0.0.1:5000/callback",
        "http://[::1]:9/cb?x=2",
        "http://[::1]:9/cb",
        // localhost is not special (RFC 8252 §8.3): exact match only.
        "http://localhost:5000/cb",
    ] {
        assert!(!redirect_uri_matches(&native, bad), "{bad}");
    }
    assert!(redirect_uri_matches(&native, "http://localhost/cb"));
    // A web client gets no port flexibility.
    let web = RegisteredClient::public("web", vec!["http://127.0.0.1/callback".into()]);
    assert!(!redirect_uri_matches(
        &web,
        "http://127.0.0.1:51004/callback"
    ));
}

#[test]
fn unknown_client_and_missing_client_id_do_not_redirect() {
    // The caller's lookup fails: it renders UnknownClient, which has no redirect target.
    let parsed = parse_authorization_request(&get(&format!(
        "response_type=code&client_id=nobody&redirect_uri=https%3A%2F%2Fattacker.example%2F&code_challenge={CHALLENGE}&code_challenge_method=S256"
    )))
    .unwrap();
    assert_eq!(parsed.client_id(), "nobody");
    let resp = AuthorizeError::UnknownClient.to_response();
    // A page for the user: 400, no Basic challenge that would make the browser prompt.
    assert_eq!(resp.status, 400);
    assert_eq!(resp.header("www-authenticate"), None);
    assert_eq!(resp.header("location"), None);
    let body = oauth_core::error::ErrorResponse::from_json(&resp.body).unwrap();
    assert_eq!(body.code(), Some(ErrorCode::InvalidClient));
    // Passing another client than the one named is refused without redirect.
    let f = validate_authorization_request(&policy(), &client(), parsed, None, NOW).unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::ClientIdMismatch);
    assert_eq!(f.redirect_uri(), None);
    assert_eq!(
        parse_authorization_request(&get("response_type=code")).unwrap_err(),
        AuthorizeError::MissingClientId
    );
}

#[test]
fn duplicate_parameters() {
    // A repeated client_id is refused at parse time (no client, no redirect).
    assert!(matches!(
        parse_authorization_request(&get("client_id=a&client_id=b")).unwrap_err(),
        AuthorizeError::Form(_)
    ));
    // A repeated redirect_uri: not redirected.
    let q = format!(
        "response_type=code&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb&redirect_uri=https%3A%2F%2Fattacker.example%2F&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let f = validate(&client(), &q).unwrap_err();
    assert!(matches!(f.error(), AuthorizeError::Form(_)));
    assert_eq!(f.redirect_uri(), None);
    // A repeated scope, code_challenge or response_type: redirected with invalid_request.
    for dup in [
        "scope=read&scope=openid",
        "code_challenge=",
        "response_type=code",
    ] {
        let q = format!(
            "response_type=code&client_id=s6BhdRkqt3&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256&{dup}"
        );
        let f = validate(&client(), &q).unwrap_err();
        assert!(matches!(f.error(), AuthorizeError::Form(_)), "{dup}");
        assert_eq!(location(&f.to_response()).1["error"], "invalid_request");
    }
    // resource may repeat (RFC 8707 §2).
    let q = format!(
        "response_type=code&client_id=s6BhdRkqt3&code_challenge={CHALLENGE}&code_challenge_method=S256&resource=https%3A%2F%2Fapi.example.com%2F&resource=https%3A%2F%2Fmcp.example.com%2Fmcp"
    );
    assert_eq!(validate(&client(), &q).unwrap().resources().len(), 2);
}

#[test]
fn response_type_scope_resource_and_other_parameters() {
    let base = format!(
        "client_id=s6BhdRkqt3&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let err = |extra: &str| {
        let f = validate(&client(), &format!("{base}&{extra}")).unwrap_err();
        assert!(f.redirect_uri().is_some(), "{extra}");
        let code = location(&f.to_response()).1["error"].clone();
        (f.into_error(), code)
    };
    assert_eq!(err("response_type=token").1, "unsupported_response_type");
    assert_eq!(
        err("response_type=code%20id_token").1,
        "unsupported_response_type"
    );
    assert_eq!(err("scope=read").0, AuthorizeError::MissingResponseType);
    let rt = "response_type=code";
    assert_eq!(err(&format!("{rt}&scope=admin")).1, "invalid_scope");
    assert_eq!(
        err(&format!("{rt}&scope=read%20%20openid")).1,
        "invalid_scope"
    );
    assert_eq!(
        err(&format!("{rt}&resource=https%3A%2F%2Fother.example%2F")).1,
        "invalid_target"
    );
    assert_eq!(
        err(&format!(
            "{rt}&resource=https%3A%2F%2Fapi.example.com%2F%23f"
        ))
        .1,
        "invalid_target"
    );
    assert_eq!(err(&format!("{rt}&resource=api")).1, "invalid_target");
    assert_eq!(
        err(&format!("{rt}&prompt=none%20login")).1,
        "invalid_request"
    );
    assert_eq!(err(&format!("{rt}&prompt=bogus")).1, "invalid_request");
    assert_eq!(err(&format!("{rt}&max_age=-1")).1, "invalid_request");
    assert_eq!(err(&format!("{rt}&dpop_jkt=short")).1, "invalid_request");
    assert_eq!(
        err(&format!("{rt}&response_mode=fragment")).1,
        "invalid_request"
    );

    let ok = validate(
        &client(),
        &format!("{base}&{rt}&scope=openid%20read&nonce=n-0S6_WzA2Mj&prompt=login%20consent&max_age=3600&dpop_jkt=NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs&login_hint=alice"),
    )
    .unwrap();
    assert_eq!(ok.scopes(), ["openid", "read"]);
    assert_eq!(ok.nonce(), Some("n-0S6_WzA2Mj"));
    assert!(ok.prompt().login && ok.prompt().consent && !ok.prompt().none);
    assert_eq!(ok.max_age(), Some(3600));
    assert_eq!(ok.parameter("login_hint"), Some("alice"));
    let rec = ok
        .approve(AuthorizationDecision::new("alice"), NOW, &mut rng())
        .unwrap()
        .record;
    assert_eq!(rec.nonce.as_deref(), Some("n-0S6_WzA2Mj"));
    assert_eq!(
        rec.dpop_jkt.as_deref(),
        Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    );

    // A client without the code grant: unauthorized_client.
    let cc = client().with_grant_types(&["client_credentials"]);
    let f = validate(&cc, &format!("{base}&{rt}")).unwrap_err();
    assert_eq!(f.error().error_code(), ErrorCode::UnauthorizedClient);
}

#[test]
fn decision_is_checked_and_deny_redirects_with_state_and_iss() {
    let q = format!(
        "response_type=code&client_id=s6BhdRkqt3&state=st&scope=read&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let req = validate(&client(), &q).unwrap();
    let mut d = AuthorizationDecision::new("alice");
    d.scopes = Some(vec!["openid".into()]);
    assert!(matches!(
        req.clone().approve(d, NOW, &mut rng()),
        Err(AuthorizeError::Decision(_))
    ));
    assert!(matches!(
        req.clone()
            .approve(AuthorizationDecision::new(""), NOW, &mut rng()),
        Err(AuthorizeError::Decision(_))
    ));
    let resp = req.deny(ErrorCode::AccessDenied, "the user said no");
    let (base, p) = location(&resp);
    assert_eq!(base, "https://client.example.com/cb");
    assert_eq!(p["error"], "access_denied");
    assert_eq!(p["state"], "st");
    assert_eq!(p["iss"], ISSUER);
}

#[test]
fn post_requests_redirect_with_303_and_registered_query_is_kept() {
    let mut c = client();
    c.redirect_uris = vec!["https://client.example.com/cb?tenant=7".into()];
    let body = format!(
        "response_type=code&client_id=s6BhdRkqt3&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    let req = HttpRequest::post_form(
        format!("{ISSUER}/authorize"),
        &query_pairs(&body).unwrap().iter().collect::<Vec<_>>(),
    );
    let parsed = parse_authorization_request(&req).unwrap();
    let ok = validate_authorization_request(&policy(), &c, parsed, None, NOW).unwrap();
    let resp = ok
        .approve(AuthorizationDecision::new("a"), NOW, &mut rng())
        .unwrap()
        .response;
    assert_eq!(resp.status, 303);
    let (base, p) = location(&resp);
    assert_eq!(base, "https://client.example.com/cb");
    assert_eq!(p["tenant"], "7");
    // Other methods are refused.
    let put = HttpRequest::new(Method::Put, format!("{ISSUER}/authorize"));
    assert_eq!(
        parse_authorization_request(&put).unwrap_err(),
        AuthorizeError::Method
    );
}

// ---- PAR (RFC 9126) ----

/// RFC 9126 §2.1's client: `s6BhdRkqt3` with the RFC 6749 example secret (the Basic header of
/// RFC 9126 §2.1 decodes to `s6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw`).
fn par_client() -> RegisteredClient {
    RegisteredClient::confidential(
        "s6BhdRkqt3",
        TokenEndpointAuthMethod::ClientSecretBasic,
        vec!["https://client.example.org/cb".into()],
    )
    .with_secret(ClientSecret::sha256_verifier("7Fjfp0ZBr1KtDRbnfVdmIw"))
    .with_scopes(&["account-information"])
}

fn rfc9126_request(basic: &str) -> HttpRequest {
    // RFC 9126 §2.1, transcribed.
    let body = "response_type=code\
        &client_id=s6BhdRkqt3&state=af0ifjsldkj\
        &redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb\
        &code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U\
        &code_challenge_method=S256&scope=account-information";
    let mut r = HttpRequest::new(Method::Post, "https://as.example.com/as/par");
    r.headers
        .insert("Content-Type", "application/x-www-form-urlencoded")
        .unwrap();
    r.headers.insert("Authorization", basic).unwrap();
    r.body = body.as_bytes().to_vec();
    r
}

const RFC9126_BASIC: &str = "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3";

fn push(
    client: &RegisteredClient,
    req: HttpRequest,
) -> Result<oauth_core::server::par::PushedAuthorization, AuthorizeError> {
    let par = parse_par_request(&req)?;
    process_par_request(
        &AuthorizePolicy::new("https://as.example.com"),
        client,
        par,
        &AssertionAudience::issuer("https://as.example.com"),
        NOW,
        &mut rng(),
    )
}

fn authorize_with(
    client: &RegisteredClient,
    request_uri: &str,
    store: &mut HashMap<String, PushedAuthorizationRecord>,
    now: UnixTime,
) -> Result<
    oauth_core::server::authorize::AuthorizationRequest,
    oauth_core::server::authorize::AuthorizeFailure,
> {
    // RFC 9126 §4: GET /authorize?client_id=s6BhdRkqt3&request_uri=...
    let q = oauth_core::encoding::form::encode_form(&[
        ("client_id", client.client_id.as_str()),
        ("request_uri", request_uri),
    ]);
    let parsed = parse_authorization_request(&HttpRequest::get(format!(
        "https://as.example.com/authorize?{q}"
    )))
    .unwrap();
    // Single use: the caller takes the record.
    let pushed = parsed.request_uri().and_then(|u| store.remove(u));
    validate_authorization_request(
        &AuthorizePolicy::new("https://as.example.com"),
        client,
        parsed,
        pushed,
        now,
    )
}

#[test]
fn rfc9126_push_then_authorize_once() {
    let pushed = push(&par_client(), rfc9126_request(RFC9126_BASIC)).unwrap();
    // RFC 9126 §2.2: 201, JSON with request_uri and expires_in, no-store.
    assert_eq!(pushed.response.status, 201);
    assert_eq!(pushed.response.header("cache-control"), Some("no-store"));
    let body: serde_json::Value = serde_json::from_slice(&pushed.response.body).unwrap();
    let uri = body["request_uri"].as_str().unwrap().to_string();
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(body["expires_in"], 60);
    assert_eq!(pushed.record.request_uri, uri);
    assert!(
        pushed
            .record
            .params
            .iter()
            .all(|(k, _)| k != "client_secret")
    );
    let mut store = HashMap::new();
    store.insert(uri.clone(), pushed.record);

    let req = authorize_with(&par_client(), &uri, &mut store, NOW).unwrap();
    assert!(req.is_pushed());
    assert_eq!(req.state(), Some("af0ifjsldkj"));
    assert_eq!(req.redirect_uri(), "https://client.example.org/cb");
    assert_eq!(req.scopes(), ["account-information"]);

    // Reuse: the record was taken, so the second use fails, without redirect.
    let f = authorize_with(&par_client(), &uri, &mut store, NOW).unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::InvalidRequestUri);
    assert_eq!(f.redirect_uri(), None);
    assert_eq!(f.to_response().status, 400);
}

#[test]
fn expired_par_and_par_of_another_client_are_refused() {
    let pushed = push(&par_client(), rfc9126_request(RFC9126_BASIC)).unwrap();
    let uri = pushed.record.request_uri.clone();
    let mut store = HashMap::new();
    store.insert(uri.clone(), pushed.record.clone());
    let later = UnixTime::from_secs(NOW.as_secs() + 60);
    assert_eq!(
        authorize_with(&par_client(), &uri, &mut store, later)
            .unwrap_err()
            .error(),
        &AuthorizeError::InvalidRequestUri
    );
    // Another client presenting the handle.
    store.insert(uri.clone(), pushed.record);
    let mut other = par_client();
    other.client_id = "other".into();
    assert_eq!(
        authorize_with(&other, &uri, &mut store, NOW)
            .unwrap_err()
            .error(),
        &AuthorizeError::InvalidRequestUri
    );
    // A request_uri this server did not issue by PAR.
    let f = authorize_with(
        &par_client(),
        "https://attacker.example/req.jwt",
        &mut store,
        NOW,
    )
    .unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::RequestUriNotSupported);
}

#[test]
fn par_authenticates_the_client_and_answers_errors_as_json() {
    // Wrong secret.
    let wrong = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "s6BhdRkqt3:wrong"
        )
    );
    let err = push(&par_client(), rfc9126_request(&wrong)).unwrap_err();
    assert_eq!(err.error_code(), ErrorCode::InvalidClient);
    assert_eq!(err.to_response().status, 401);
    assert_eq!(
        err.to_response().header("www-authenticate"),
        Some("Basic realm=\"oauth\"")
    );
    // A request_uri inside a pushed request (RFC 9126 §2.1).
    let mut r = rfc9126_request(RFC9126_BASIC);
    r.body
        .extend_from_slice(b"&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax");
    assert_eq!(
        push(&par_client(), r).unwrap_err(),
        AuthorizeError::RequestAndRequestUri
    );
    // Validation errors are JSON, not redirects (RFC 9126 §2.3).
    let mut r = rfc9126_request(RFC9126_BASIC);
    r.body = r
        .body
        .split(|&b| b == b'&')
        .filter(|p| !p.starts_with(b"code_challenge"))
        .collect::<Vec<_>>()
        .join(&b'&');
    let err = push(&par_client(), r).unwrap_err();
    assert_eq!(err, AuthorizeError::MissingCodeChallenge);
    assert_eq!(err.to_response().status, 400);
    assert_eq!(err.to_response().header("location"), None);
    // Mismatched redirect URI.
    let mut r = rfc9126_request(RFC9126_BASIC);
    let body = String::from_utf8(r.body.clone())
        .unwrap()
        .replace("client.example.org%2Fcb", "attacker.example%2Fcb");
    r.body = body.into_bytes();
    assert_eq!(
        push(&par_client(), r).unwrap_err(),
        AuthorizeError::RedirectUriMismatch
    );
}

#[test]
fn par_duplicate_parameters_are_refused() {
    for dup in [
        "&state=again",
        "&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U",
        "&client_id=s6BhdRkqt3",
    ] {
        let mut r = rfc9126_request(RFC9126_BASIC);
        r.body.extend_from_slice(dup.as_bytes());
        let err = push(&par_client(), r).unwrap_err();
        assert!(
            matches!(err, AuthorizeError::Form(_) | AuthorizeError::ClientAuth(_)),
            "{dup}: {err:?}"
        );
        assert_eq!(err.error_code(), ErrorCode::InvalidRequest, "{dup}");
    }
}

#[test]
fn par_with_dpop_binds_the_code_to_the_proof_key() {
    use oauth_core::server::token::DpopKey;
    const JKT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    let with_header = |extra: &str| {
        let mut r = rfc9126_request(RFC9126_BASIC);
        r.headers.append("DPoP", "eyJ.proof.sig").unwrap();
        r.body.extend_from_slice(extra.as_bytes());
        r
    };
    let run = |r: HttpRequest, validated: bool| {
        let mut par = parse_par_request(&r)?;
        assert_eq!(par.dpop_proof(), Some("eyJ.proof.sig"));
        if validated {
            par = par.with_validated_dpop(&DpopKey::from_validated_thumbprint(JKT));
        }
        process_par_request(
            &AuthorizePolicy::new("https://as.example.com"),
            &par_client(),
            par,
            &AssertionAudience::issuer("https://as.example.com"),
            NOW,
            &mut rng(),
        )
    };
    // RFC 9449 §10.1: the proof's key becomes dpop_jkt.
    let pushed = run(with_header(""), true).unwrap();
    let uri = pushed.record.request_uri.clone();
    let mut store = HashMap::new();
    store.insert(uri.clone(), pushed.record);
    let req = authorize_with(&par_client(), &uri, &mut store, NOW).unwrap();
    assert_eq!(req.dpop_jkt(), Some(JKT));
    // Equal dpop_jkt is fine, a different one is refused.
    assert!(run(with_header(&format!("&dpop_jkt={JKT}")), true).is_ok());
    let err = run(
        with_header("&dpop_jkt=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        true,
    )
    .unwrap_err();
    assert_eq!(err.error_code(), ErrorCode::InvalidDpopProof);
    // A proof the caller did not validate is never ignored.
    assert_eq!(
        run(with_header(""), false).unwrap_err().error_code(),
        ErrorCode::InvalidDpopProof
    );
    // Two DPoP headers.
    let mut two = with_header("");
    two.headers.append("DPoP", "eyJ.other.sig").unwrap();
    assert_eq!(
        parse_par_request(&two).unwrap_err().error_code(),
        ErrorCode::InvalidDpopProof
    );
}

#[test]
fn par_required_policy() {
    let mut pol = policy();
    pol.require_pushed_authorization_requests = true;
    let q = format!("{RFC6749_QUERY}&code_challenge={CHALLENGE}&code_challenge_method=S256");
    let parsed = parse_authorization_request(&get(&q)).unwrap();
    let f = validate_authorization_request(&pol, &client(), parsed, None, NOW).unwrap_err();
    assert_eq!(f.error(), &AuthorizeError::ParRequired);
    assert_eq!(location(&f.to_response()).1["error"], "invalid_request");
}
