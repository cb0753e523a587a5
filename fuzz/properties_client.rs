//! Fuzz properties of the client role's parsers: the token endpoint response, the authorization
//! response (callback query), and the authorization server metadata (discovery) response.
//!
//! Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/{token_response,authorization_response,
//! as_metadata}.rs`) and the stable corpus test (`tests/fuzz_corpus_client.rs`). Each target
//! panics when a property fails. Uses only `oauth_core`, `std` and `serde_json`.

// Each fuzz binary uses one entry point of this module.
#![allow(dead_code)]

use oauth_core::client::{
    AuthorizationState, ClientError, TokenLeniency, TokenResponseOptions, TokenType,
    process_discovery_response, process_token_response,
};
use oauth_core::encoding::form;
use oauth_core::http::HttpResponse;
use oauth_core::metadata::AuthorizationServerMetadata;
use serde_json::{Map, Value};

/// The targets of this file.
pub const TARGETS: &[&str] = &["token_response", "authorization_response", "as_metadata"];

/// Runs `target` on `data`; `false` for a target this file does not have.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "token_response" => token_response(data),
        "authorization_response" => authorization_response(data),
        "as_metadata" => as_metadata(data),
        _ => return false,
    }
    true
}

/// `process_token_response` on `data` as a 200 JSON body:
/// - accepted implies serde_json accepts the body as an object, and every typed member equals
///   the JSON member it came from (`access_token` non-empty, `token_type` Bearer/DPoP
///   case-insensitively, `expires_in` the integer, `scope` the space-joined tokens);
/// - what is accepted re-renders to a body that is accepted with the same values;
/// - the lenient mode accepts everything the strict mode does, with the same values;
/// - a DPoP expectation accepts exactly the DPoP answers of the non-DPoP parse's rejects;
/// - the same body with status 400 is never a token response.
pub fn token_response(data: &[u8]) {
    let resp = HttpResponse::json(200, data.to_vec());
    let strict = process_token_response(&resp, TokenResponseOptions::new());
    let lenient = process_token_response(
        &resp,
        TokenResponseOptions::new().leniency(TokenLeniency::ExpiresInAsString),
    );
    let dpop = process_token_response(&resp, TokenResponseOptions::new().dpop());
    assert!(
        process_token_response(
            &HttpResponse::json(400, data.to_vec()),
            TokenResponseOptions::new()
        )
        .is_err()
    );
    if let Ok(t) = &dpop {
        assert_eq!(t.token_type(), TokenType::DPoP);
        assert!(strict.is_err());
    }
    let Ok(t) = strict else {
        return;
    };
    let l = lenient.expect("lenient accepts what strict accepts");
    assert_eq!(l.access_token(), t.access_token());
    assert_eq!(l.expires_in(), t.expires_in());
    assert_eq!(l.scope(), t.scope());
    assert_eq!(t.token_type(), TokenType::Bearer);
    assert_eq!(
        dpop.err(),
        Some(ClientError::DpopTokenTypeRequired),
        "a Bearer answer to a DPoP request is refused"
    );

    let obj: Map<String, Value> =
        serde_json::from_slice(data).expect("accepted implies JSON object");
    assert!(!t.access_token().expose().is_empty());
    assert_eq!(
        obj["access_token"].as_str(),
        Some(t.access_token().expose())
    );
    assert!(
        obj["token_type"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("bearer")
    );
    assert_eq!(
        obj.get("expires_in").and_then(Value::as_u64),
        t.expires_in()
    );
    match t.scope() {
        Some(s) => assert_eq!(obj["scope"].as_str(), Some(s.join(" ").as_str())),
        None => assert!(!obj.contains_key("scope")),
    }
    assert_eq!(
        obj.get("refresh_token").and_then(Value::as_str),
        t.refresh_token().map(|r| r.expose())
    );
    assert_eq!(
        obj.get("id_token").and_then(Value::as_str),
        t.id_token().map(|r| r.expose())
    );

    // Re-render from the typed value and parse again.
    let mut out = t.additional().clone();
    out.insert("access_token".into(), t.access_token().expose().into());
    out.insert("token_type".into(), t.token_type().as_str().into());
    if let Some(e) = t.expires_in() {
        out.insert("expires_in".into(), e.into());
    }
    if let Some(s) = t.scope() {
        out.insert("scope".into(), s.join(" ").into());
    }
    if let Some(r) = t.refresh_token() {
        out.insert("refresh_token".into(), r.expose().into());
    }
    if let Some(r) = t.id_token() {
        out.insert("id_token".into(), r.expose().into());
    }
    if let Some(r) = t.issued_token_type() {
        out.insert("issued_token_type".into(), r.into());
    }
    let body = serde_json::to_vec(&out).unwrap();
    let again = process_token_response(&HttpResponse::json(200, body), TokenResponseOptions::new())
        .expect("re-rendered response is accepted");
    assert_eq!(again.access_token(), t.access_token());
    assert_eq!(again.token_type(), t.token_type());
    assert_eq!(again.expires_in(), t.expires_in());
    assert_eq!(again.scope(), t.scope());
    assert_eq!(again.refresh_token(), t.refresh_token());
    assert_eq!(again.id_token(), t.id_token());
    assert!(json_close(
        &Value::Object(again.additional().clone()),
        &Value::Object(t.additional().clone())
    ));
}

/// JSON equality where numbers that are not exact integers compare within a relative
/// 1e-12: serde_json's float parsing is not correctly rounded, so a re-rendered float can
/// come back one ulp away (found by the token_response and as_metadata targets).
fn json_close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_close(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_close(v, w)))
        }
        _ => a == b,
    }
}

const ISSUER: &str = "https://as.example";
const REDIRECT: &str = "https://client.example/cb";
const STATE: &str = "xyz";

fn state(iss_supported: bool) -> AuthorizationState {
    serde_json::from_value(serde_json::json!({
        "issuer": ISSUER,
        "iss_parameter_supported": iss_supported,
        "client_id": "c",
        "redirect_uri": REDIRECT,
        "state": STATE,
        "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    }))
    .expect("fixed state")
}

/// `process_callback` on `REDIRECT?<data>`:
/// - accepted implies the query has no repeated parameter, `state` equals the one sent, no
///   `error`, `code` non-empty and equal to the returned code, and `iss` absent or equal to the
///   issuer (present when the server advertised it);
/// - what the advertising state accepts, the non-advertising one accepts with the same code;
/// - the query-only entry point agrees with the URL one;
/// - a different base URL is always refused.
pub fn authorization_response(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let url = format!("{REDIRECT}?{query}");
    let lax = state(false).process_callback(&url);
    let strict = state(true).process_callback(&url);
    if let Ok(code) = &strict {
        let other = lax
            .as_ref()
            .expect("advertising accepts => non-advertising accepts");
        assert_eq!(other.code(), code.code());
    }
    if !query.contains('#') {
        let q = state(false).process_callback_query(query);
        assert_eq!(q.is_ok(), lax.is_ok());
        if let (Ok(a), Ok(b)) = (&q, &lax) {
            assert_eq!(a.code(), b.code());
        }
    }
    assert!(
        state(false)
            .process_callback(&format!("https://client.example/cb2?{query}"))
            .is_err()
    );
    let Ok(code) = lax else {
        return;
    };
    let params = form::query_pairs(query.split('#').next().unwrap())
        .expect("accepted implies a valid query");
    params
        .ensure_no_duplicates(&[])
        .expect("accepted implies no duplicates");
    assert_eq!(params.get("state").unwrap(), Some(STATE));
    assert_eq!(params.get("error").unwrap(), None);
    assert_eq!(params.get("code").unwrap(), Some(code.code().expose()));
    assert!(!code.code().expose().is_empty());
    if let Some(iss) = params.get("iss").unwrap() {
        assert_eq!(iss, ISSUER);
    }
    if strict.is_ok() {
        assert_eq!(params.get("iss").unwrap(), Some(ISSUER));
    }
}

/// `process_discovery_response` on `data` as a 200 JSON body, expecting the document's own
/// `issuer` (when it has a string one):
/// - accepted implies serde_json accepts it, and the metadata's issuer is the expected one;
/// - the accepted metadata re-renders to a document accepted with an equal value;
/// - any other expected issuer (one byte more) is refused with `IssuerMismatch`;
/// - the same body without a JSON content type is refused.
pub fn as_metadata(data: &[u8]) {
    let issuer = serde_json::from_slice::<Value>(data)
        .ok()
        .and_then(|v| v.get("issuer").and_then(Value::as_str).map(String::from))
        .unwrap_or_else(|| String::from(ISSUER));
    let resp = HttpResponse::json(200, data.to_vec());
    let result = process_discovery_response(&issuer, &resp);
    let text = HttpResponse::new(200)
        .with_header("Content-Type", "text/plain")
        .unwrap()
        .with_body(data.to_vec());
    assert_eq!(
        process_discovery_response(&issuer, &text).err(),
        Some(ClientError::NotJson)
    );
    let Ok(meta) = result else {
        return;
    };
    assert!(serde_json::from_slice::<Value>(data).is_ok());
    assert_eq!(meta.issuer, issuer);
    let again = process_discovery_response(&issuer, &HttpResponse::json(200, meta.to_json()))
        .expect("re-rendered metadata is accepted");
    let close = |a: &AuthorizationServerMetadata, b: &AuthorizationServerMetadata| {
        json_close(
            &serde_json::to_value(a).expect("metadata serializes"),
            &serde_json::to_value(b).expect("metadata serializes"),
        )
    };
    assert!(close(&again, &meta));
    assert!(close(
        &AuthorizationServerMetadata::from_json(&meta.to_json()).expect("round trip"),
        &meta
    ));
    let other = format!("{issuer}/");
    assert!(matches!(
        process_discovery_response(&other, &resp),
        Err(ClientError::IssuerMismatch { .. })
    ));
}
