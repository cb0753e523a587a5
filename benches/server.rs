//! Authorization-server benchmarks (`cargo bench --bench server`).
//!
//! - `server/code_grant/es256`: one `authorization_code` token request processed
//!   in process end to end: `parse_token_request` (form, no duplicates) →
//!   client credentials extracted and the public client authenticated →
//!   `redeem_code` (client, expiry, redirect URI, PKCE S256 in constant time,
//!   resource subset) → `issue_tokens` (an RFC 9068 access token signed with
//!   ES256) → the JSON response rendered. The store's take is a clone of a
//!   prepared record (the caller's I/O is not measured).
//! - `server/steps/<step>`: the same steps alone.
//!
//! Every benchmark checks its result once before timing.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_core::http::HttpRequest;
use oauth_core::pkce::{CodeChallenge, CodeVerifier};
use oauth_core::rand::RandomError;
use oauth_core::server::authorize::{
    AuthorizationCodeRecord, AuthorizationDecision, AuthorizePolicy, parse_authorization_request,
    validate_authorization_request,
};
use oauth_core::server::client::{
    AssertionAudience, RegisteredClient, authenticate_client, extract_client_credentials,
};
use oauth_core::server::issue::{TokenPolicy, issue_tokens};
use oauth_core::server::keys::{KeySet, RotationPolicy};
use oauth_core::server::token::authorization_code::{CodeLookup, redeem_code};
use oauth_core::server::token::{TokenClient, parse_token_request};
use oauth_core::time::UnixTime;

const ISSUER: &str = "https://as.example.com";
const TOKEN_ENDPOINT: &str = "https://as.example.com/token";
const RESOURCE: &str = "https://mcp.example.com/mcp";
const REDIRECT: &str = "https://client.example.com/cb";
/// RFC 7515 Appendix A.3 ES256 key.
const AS_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;

fn rng(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut x = seed | 1;
    move |d: &mut [u8]| {
        for b in d.iter_mut() {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            *b = (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
        }
        Ok(())
    }
}

struct Fixture {
    client: RegisteredClient,
    keys: KeySet,
    policy: TokenPolicy,
    record: AuthorizationCodeRecord,
    request: HttpRequest,
    now: UnixTime,
}

fn fixture() -> Fixture {
    let now = UnixTime::from_secs(1_800_000_000);
    let client = RegisteredClient::public("bench-app", vec![REDIRECT.into()])
        .with_scopes(&["read", "write"])
        .with_resources(&[RESOURCE]);
    let mut r = rng(7);
    let verifier = CodeVerifier::generate(&mut r).unwrap();
    let challenge = CodeChallenge::s256(&verifier);
    let url = oauth_core::encoding::form::append_query(
        "https://as.example.com/authorize",
        &[
            ("response_type", "code"),
            ("client_id", "bench-app"),
            ("redirect_uri", REDIRECT),
            ("scope", "read write"),
            ("resource", RESOURCE),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("state", "s"),
        ],
    )
    .unwrap();
    let params = parse_authorization_request(&HttpRequest::get(url)).unwrap();
    let approved =
        validate_authorization_request(&AuthorizePolicy::new(ISSUER), &client, params, None, now)
            .unwrap()
            .approve(AuthorizationDecision::new("alice"), now, &mut r)
            .unwrap();
    let location = approved.response.header("Location").unwrap().to_string();
    let code = oauth_core::encoding::form::query_pairs(location.split_once('?').unwrap().1)
        .unwrap()
        .get("code")
        .unwrap()
        .unwrap()
        .to_string();
    let request = HttpRequest::post_form(
        TOKEN_ENDPOINT,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "bench-app"),
            ("code_verifier", verifier.as_str()),
            ("resource", RESOURCE),
        ],
    );
    Fixture {
        client,
        keys: KeySet::with_initial_jwk(AS_KEY.as_bytes(), None, RotationPolicy::default(), now)
            .unwrap(),
        policy: TokenPolicy::new(ISSUER, TOKEN_ENDPOINT),
        record: approved.record,
        request,
        now,
    }
}

/// The whole token endpoint for one code; returns the response body length.
fn code_grant(f: &Fixture, rng: &mut impl oauth_core::rand::SecureRandom) -> usize {
    let req = parse_token_request(&f.request).unwrap();
    let creds = extract_client_credentials(&f.request, req.form()).unwrap();
    let audience = AssertionAudience::issuer(ISSUER);
    let authed = authenticate_client(&f.client, &creds, &audience, f.now).unwrap();
    let client = TokenClient::new(&f.client, &authed).unwrap();
    let lookup = CodeLookup::Taken(Box::new(f.record.clone()));
    let grant = redeem_code(&f.policy, &client, lookup, &req, None, f.now).unwrap();
    let (response, issued) = issue_tokens(&f.policy, &f.keys, &grant, f.now, rng).unwrap();
    black_box(issued);
    response.to_http_response().body.len()
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    let mut r = rng(11);
    assert!(
        code_grant(&f, &mut r) > 300,
        "the grant succeeds before it is timed"
    );

    let mut g = c.benchmark_group("server");
    g.bench_function("code_grant/es256", |b| {
        b.iter(|| black_box(code_grant(black_box(&f), &mut r)))
    });
    g.bench_function("steps/parse_token_request", |b| {
        b.iter(|| black_box(parse_token_request(black_box(&f.request)).unwrap()))
    });
    let req = parse_token_request(&f.request).unwrap();
    let creds = extract_client_credentials(&f.request, req.form()).unwrap();
    let authed =
        authenticate_client(&f.client, &creds, &AssertionAudience::issuer(ISSUER), f.now).unwrap();
    let client = TokenClient::new(&f.client, &authed).unwrap();
    g.bench_function("steps/redeem_code", |b| {
        b.iter(|| {
            let lookup = CodeLookup::Taken(Box::new(f.record.clone()));
            black_box(redeem_code(&f.policy, &client, lookup, &req, None, f.now).unwrap())
        })
    });
    let grant = redeem_code(
        &f.policy,
        &client,
        CodeLookup::Taken(Box::new(f.record.clone())),
        &req,
        None,
        f.now,
    )
    .unwrap();
    g.bench_function("steps/issue_tokens_es256", |b| {
        b.iter(|| black_box(issue_tokens(&f.policy, &f.keys, &grant, f.now, &mut r).unwrap()))
    });
    g.finish();
}

criterion_group! {
    name = server;
    config = Criterion::default().sample_size(50);
    targets = benches
}
criterion_main!(server);
