//! Fuzz properties for the client's `WWW-Authenticate` parser and ID token validation,
//! shared by the cargo-fuzz targets (`fuzz/fuzz_targets/{www_authenticate,id_token}.rs`)
//! and the corpus-regression test (`tests/fuzz_corpus_oidc.rs`).
//!
//! Each `pub fn <target>(data)` panics when a property fails. Uses only `oauth_core`,
//! `std` and `serde_json`.

#![allow(dead_code)]

use oauth_core::client::dpop::{DpopError, DpopExchange, DpopKey, DpopNonces, DpopStep};
use oauth_core::client::www_authenticate::{self, MAX_CHALLENGES, MAX_HEADER_LEN, MAX_PARAMS};
use oauth_core::http::{HttpRequest, HttpResponse};
use oauth_core::jose::{Algorithm, SigningKey, VerifyingKey, sign_compact};
use oauth_core::mcp::{DEFAULT_MAX_STEP_UPS, McpAuthorization, McpStep};
use oauth_core::oidc::{IdTokenError, IdTokenValidation};
use oauth_core::time::{Duration, UnixTime};
use serde_json::Value;

/// Every target of this file.
pub const TARGETS: &[&str] = &[
    "www_authenticate",
    "id_token",
    "mcp_discovery",
    "dpop_exchange",
];

/// Runs `target`'s properties on `data`; `false` for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "www_authenticate" => www_authenticate(data),
        "id_token" => id_token(data),
        "mcp_discovery" => mcp_discovery(data),
        "dpop_exchange" => dpop_exchange(data),
        _ => return false,
    }
    true
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `WWW-Authenticate`: never panics; accepted input respects the bounds, names are
/// tokens (parameter names lower-cased), Bearer/DPoP challenges carry no token68 and
/// valid RFC 6750 text; the rendering parses back to the same challenges; splitting
/// the input at a top-level challenge boundary into two header fields gives the same
/// result as one field.
pub fn www_authenticate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = www_authenticate::parse(text) else {
        return;
    };
    assert!(text.len() <= MAX_HEADER_LEN);
    assert!(parsed.len() <= MAX_CHALLENGES);
    for c in &parsed {
        assert!(!c.scheme().is_empty() && c.scheme().bytes().all(is_tchar));
        assert!(c.params().count() <= MAX_PARAMS);
        let mut names: Vec<&str> = c.params().map(|(k, _)| k).collect();
        for n in &names {
            assert!(n.bytes().all(is_tchar));
            assert_eq!(*n, n.to_ascii_lowercase());
        }
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate parameter accepted");
        if c.token68().is_some() {
            assert_eq!(c.params().count(), 0);
        }
        if c.is_scheme("bearer") || c.is_scheme("dpop") {
            assert!(c.token68().is_none());
            for v in [c.error(), c.error_uri()].into_iter().flatten() {
                assert!(!v.is_empty() && !v.contains([' ', '"', '\\']));
            }
            if let Some(s) = c.scope() {
                assert!(!s.is_empty() && !s.starts_with(' ') && !s.contains("  "));
            }
        }
    }
    let rendered = parsed.render();
    let again = www_authenticate::parse(&rendered).expect("rendered challenges parse");
    assert_eq!(again, parsed, "render/parse round trip");
    // Two header fields, one per challenge, read as one list (RFC 9110 §5.3).
    let mut resp = HttpResponse::new(401);
    for c in &parsed {
        resp = resp
            .with_header("WWW-Authenticate", c.render())
            .expect("rendered challenge is a valid field value");
    }
    let split = www_authenticate::parse_response(&resp).expect("split fields parse");
    assert_eq!(split, parsed, "one field == several fields");
}

const ISS: &str = "https://op.example";
const CLIENT: &str = "agent-1";
const NONCE: &str = "n-0S6_WzA2Mj";
/// OIDC Core A.3's access token and its SHA-256 `at_hash`.
const ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const AT_HASH: &str = "77QmUPtjPfzWtF2AnpK9RQ";
const NOW: u64 = 1_700_000_000;
const SECRET: [u8; 32] = [0x5a; 32];

fn validation() -> IdTokenValidation<'static> {
    IdTokenValidation::new(ISS, CLIENT, Some(NONCE))
        .access_token(ACCESS_TOKEN)
        .max_age(Duration::from_secs(3600))
}

/// Whether a claims payload (mode byte stripped) signed with the fixed key is
/// accepted: lets the corpus test show its seeds reach the accepting path.
pub fn id_token_claims_accepted(claims: &[u8]) -> bool {
    let signer = SigningKey::hmac(Algorithm::HS256, &SECRET).expect("key");
    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).expect("key");
    sign_compact(claims, &signer, None, None).is_ok_and(|t| {
        validation()
            .verify(&t, &key, UnixTime::from_secs(NOW))
            .is_ok()
    })
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// ID tokens. The first byte picks the mode: even, the rest is a token string
/// verified as is (never panics; no signature means no acceptance); odd, the rest is
/// a claims payload signed with the fixed HS256 key, and acceptance must imply every
/// OIDC Core §3.1.3.7 rule, checked here independently on the JSON with serde_json.
pub fn id_token(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).expect("key");
    let now = UnixTime::from_secs(NOW);
    if mode % 2 == 0 {
        let Ok(token) = std::str::from_utf8(rest) else {
            return;
        };
        if let Ok(t) = validation().verify(token, &key, now) {
            // Only a token signed with SECRET can verify: the fuzzer found one.
            panic!("unsigned input accepted: sub {}", t.sub());
        }
        return;
    }
    let signer = SigningKey::hmac(Algorithm::HS256, &SECRET).expect("key");
    let Ok(token) = sign_compact(rest, &signer, None, None) else {
        return;
    };
    let result = validation().verify(&token, &key, now);
    let Ok(verified) = result else {
        // A refusal is fine; it must be a typed error (no panic got here).
        let _: IdTokenError = result.unwrap_err();
        return;
    };
    let claims: Value = serde_json::from_slice(rest).expect("accepted claims are JSON");
    let obj = claims.as_object().expect("accepted claims are an object");
    assert_eq!(obj.get("iss").and_then(Value::as_str), Some(ISS));
    let sub = obj.get("sub").and_then(Value::as_str).expect("sub present");
    assert_eq!(sub, verified.sub());
    let auds: Vec<&str> = match obj.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().map(|v| v.as_str().expect("aud string")).collect(),
        _ => panic!("accepted without aud"),
    };
    assert!(auds.contains(&CLIENT));
    let azp = obj.get("azp").and_then(Value::as_str);
    if auds.len() > 1 {
        assert_eq!(azp, Some(CLIENT), "several audiences need azp = client");
    }
    if obj.contains_key("azp") {
        assert_eq!(azp, Some(CLIENT));
    }
    assert_eq!(obj.get("nonce").and_then(Value::as_str), Some(NONCE));
    let exp = obj.get("exp").and_then(number).expect("exp");
    assert!(exp + 60.0 > NOW as f64, "expired token accepted");
    let iat = obj.get("iat").and_then(number).expect("iat");
    assert!(iat <= (NOW + 60) as f64, "future iat accepted");
    assert!(iat + 600.0 + 60.0 >= NOW as f64, "too old iat accepted");
    let auth_time = obj.get("auth_time").and_then(number).expect("auth_time");
    assert!(
        auth_time + 3600.0 + 60.0 >= NOW as f64,
        "max_age not enforced"
    );
    if let Some(h) = obj.get("at_hash") {
        assert_eq!(h.as_str(), Some(AT_HASH), "at_hash not checked");
    }
    if let Some(amr) = obj.get("amr") {
        assert!(amr.is_array());
    }
}

const MCP_SERVER: &str = "https://mcp.example.com/mcp";
const MCP_PRM: &str = r#"{"resource":"https://mcp.example.com/mcp","authorization_servers":["https://as.example"],"scopes_supported":["a","b"]}"#;
const MCP_AS: &str = r#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/authorize","token_endpoint":"https://as.example/token","code_challenge_methods_supported":["S256"]}"#;

/// Takes a length-prefixed chunk (one length byte) from `data`.
fn chunk<'d>(data: &mut &'d [u8]) -> &'d [u8] {
    let Some((&len, rest)) = data.split_first() else {
        return &[];
    };
    let (c, rest) = rest.split_at(usize::from(len).min(rest.len()));
    *data = rest;
    c
}

/// The MCP discovery state machine fed a script of responses: never panics; a request
/// is handed out exactly when `SendRequest` says so; every plan is for the canonical
/// resource, from an authorization server its metadata lists, with S256, without
/// duplicate scopes; and there are at most 1 + `DEFAULT_MAX_STEP_UPS` plans.
pub fn mcp_discovery(mut data: &[u8]) {
    let Ok(mut m) = McpAuthorization::new(MCP_SERVER) else {
        panic!("fixed server URL refused");
    };
    let mut plans = 0u32;
    for _ in 0..64 {
        let Some((&kind, rest)) = data.split_first() else {
            return;
        };
        data = rest;
        let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
        let resp = match kind % 8 {
            0 => HttpResponse::new(401).with_header("WWW-Authenticate", text(chunk(&mut data))),
            1 => HttpResponse::new(403).with_header("WWW-Authenticate", text(chunk(&mut data))),
            2 => Ok(HttpResponse::json(200, chunk(&mut data).to_vec())),
            3 => Ok(HttpResponse::new(404)),
            4 => Ok(HttpResponse::json(200, MCP_PRM.as_bytes().to_vec())),
            5 => Ok(HttpResponse::json(200, MCP_AS.as_bytes().to_vec())),
            6 => HttpResponse::new(401).with_header(
                "WWW-Authenticate",
                r#"Bearer error="insufficient_scope", scope="c""#,
            ),
            _ => Ok(HttpResponse::new(200)),
        };
        let Ok(resp) = resp else {
            continue; // a header value the HTTP type refuses never reaches the machine
        };
        let step = match m.handle_response(&resp) {
            Ok(step) => step,
            Err(_) => return, // the machine is dropped after an error
        };
        match step {
            McpStep::SendRequest => {
                let req = m.poll_request().expect("SendRequest hands out a request");
                assert!(req.url.starts_with("https://"), "{}", req.url);
                assert!(m.poll_request().is_none());
            }
            McpStep::Authorize(plan) => {
                assert!(m.poll_request().is_none());
                plans += 1;
                assert!(
                    plans <= 1 + DEFAULT_MAX_STEP_UPS,
                    "step-up limit not enforced"
                );
                assert_eq!(plan.resource, MCP_SERVER);
                assert!(plan.metadata.supports_pkce_method("S256"));
                let listed = plan.resource_metadata.authorization_servers.as_deref();
                assert!(listed.unwrap_or_default().contains(&plan.metadata.issuer));
                let mut scopes = plan.scopes.clone();
                scopes.sort();
                scopes.dedup();
                assert_eq!(scopes.len(), plan.scopes.len(), "duplicate scopes");
            }
            _ => assert!(m.poll_request().is_none()),
        }
    }
}

/// RFC 7515 A.3's P-256 key pair, as a private JWK.
const DPOP_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;

/// The nonce claim of a proof, read with serde_json.
fn proof_nonce(proof: &str) -> Option<String> {
    let payload = proof.split('.').nth(1)?;
    let bytes = oauth_core::encoding::base64url::decode_public_vec(payload.as_bytes()).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("nonce")?.as_str().map(String::from)
}

/// DPoP exchanges fed a script of responses (status, `DPoP-Nonce`, body or challenge
/// from the input): never panics; at most one retry per exchange, a second nonce request
/// is `NonceRetryExhausted`; each proof carries the latest valid nonce the origin sent.
pub fn dpop_exchange(mut data: &[u8]) {
    let key = DpopKey::from_private_jwk(DPOP_JWK, None).expect("key");
    let mut nonces = DpopNonces::new();
    let mut counter = 0u8;
    let mut rng = move |b: &mut [u8]| -> Result<(), oauth_core::rand::RandomError> {
        for x in b.iter_mut() {
            counter = counter.wrapping_add(1);
            *x = counter;
        }
        Ok(())
    };
    let url = "https://rs.example/api";
    let mut ex = DpopExchange::new(HttpRequest::get(url), Some("token"));
    let mut retries = 0;
    let mut latest: Option<String> = None;
    for _ in 0..32 {
        let Some((&kind, rest)) = data.split_first() else {
            return;
        };
        data = rest;
        let req = ex
            .request(&key, &nonces, UnixTime::from_secs(NOW), &mut rng)
            .expect("proof");
        let proof = req.header("dpop").expect("DPoP header");
        assert_eq!(proof_nonce(proof), latest, "proof nonce is the latest one");
        let nonce = String::from_utf8_lossy(chunk(&mut data)).into_owned();
        let mut resp = match kind % 4 {
            0 => HttpResponse::json(400, br#"{"error":"use_dpop_nonce"}"#.to_vec()),
            1 => HttpResponse::new(401)
                .with_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce""#)
                .expect("header"),
            2 => HttpResponse::json(400, chunk(&mut data).to_vec()),
            _ => HttpResponse::new(200),
        };
        if kind & 4 != 0 {
            match resp.clone().with_header("DPoP-Nonce", nonce.clone()) {
                Ok(r) => resp = r,
                Err(_) => continue,
            }
        }
        match ex.handle_response(&mut nonces, &resp) {
            Ok(DpopStep::Retry) => {
                retries += 1;
                assert_eq!(retries, 1, "more than one retry");
            }
            Ok(_) => {}
            Err(DpopError::NonceRetryExhausted) => assert_eq!(retries, 1),
            Err(DpopError::InvalidNonce) => continue,
            Err(e) => panic!("unexpected {e:?}"),
        }
        if kind & 4 != 0 {
            latest = Some(nonce);
        }
        assert_eq!(nonces.get(url), latest.as_deref());
    }
}
