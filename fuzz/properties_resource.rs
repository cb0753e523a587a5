//! Fuzz properties of the resource-server parsers, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/{bearer,dpop_proof,introspection_response}.rs`)
//! and the corpus-regression test (`tests/fuzz_corpus_resource.rs`).
//!
//! Each `pub fn <target>(data)` panics when a property fails. Uses only
//! `oauth_core`, `std` and `serde_json`. `dpop_proof` and
//! `introspection_response` need oauth-core's `alloc` API (`feature = "alloc"`
//! is oauth-core's in the test and the fuzz crate's mirror of it in targets).

#![allow(dead_code)]

use oauth_core::resource::{
    Challenge, ChallengeError, ExtractOptions, TokenScheme, extract_credentials, is_token68,
};

/// Every target.
pub const TARGETS: &[&str] = &["bearer", "dpop_proof", "introspection_response"];

/// Runs the properties of `target` on `data`; `false` when the target is not in
/// this build.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "bearer" => bearer(data),
        #[cfg(feature = "alloc")]
        "dpop_proof" => dpop_proof(data),
        #[cfg(feature = "alloc")]
        "introspection_response" => introspection_response(data),
        _ => return false,
    }
    true
}

/// Unquotes an RFC 9110 §5.6.4 quoted-string written by `write_quoted`.
fn unquote(s: &str) -> Option<std::string::String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = std::string::String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Bearer/DPoP extraction: input is `authorization [\n dpop]`.
///
/// - never panics;
/// - accepted credentials: the token is a token68 and a substring of the
///   header; re-rendering `Scheme SP token` re-parses to the same credentials;
///   a DPoP proof has exactly two dots;
/// - the header used as a challenge realm renders with no CR/LF/controls, and
///   unquoting gives back the input with controls replaced by `?`.
pub fn bearer(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let (auth, dpop) = match text.split_once('\n') {
        Some((a, d)) => (a, Some(d)),
        None => (text, None),
    };
    let opts = ExtractOptions::default();
    if let Ok(c) = extract_credentials([auth], dpop, &opts) {
        assert!(is_token68(c.token()));
        assert!(auth.contains(c.token()));
        let rendered = std::format!("{} {}", c.scheme().as_str(), c.token());
        let again = extract_credentials([rendered.as_str()], c.dpop_proof(), &opts)
            .expect("rendered credentials re-parse");
        assert_eq!(again, c);
        if c.scheme() == TokenScheme::DPoP {
            let p = c.dpop_proof().expect("dpop scheme has a proof");
            assert_eq!(p.bytes().filter(|&b| b == b'.').count(), 2);
        }
    }
    // Two Authorization values are always refused.
    assert!(extract_credentials([auth, auth], None, &opts).is_err());
    let ch = Challenge::new(ChallengeError::InvalidToken).with_realm(auth);
    let mut buf = std::vec![0u8; auth.len() * 2 + 64];
    let v = ch.render_into(&mut buf).expect("buffer large enough");
    assert!(!v.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f));
    let realm = v
        .strip_prefix("Bearer realm=")
        .and_then(|r| r.strip_suffix(r#", error="invalid_token""#))
        .expect("shape");
    let expected: std::string::String = auth
        .chars()
        .map(|c| {
            if (c as u32) < 0x20 && c != '\t' || c as u32 == 0x7f {
                '?'
            } else {
                c
            }
        })
        .collect();
    assert_eq!(unquote(realm).as_deref(), Some(expected.as_str()));
}

/// DPoP proof validation, with RFC 9449 Figure 2's method, URI and time.
///
/// - never panics;
/// - accepted: the parts are strict JSON for serde_json, `typ` is dpop+jwt,
///   `jwk` has no private member, the jkt is 43 base64url characters; the same
///   proof again is a replay;
/// - `normalize_htu` is idempotent on the input taken as a URI.
#[cfg(feature = "alloc")]
pub fn dpop_proof(data: &[u8]) {
    use oauth_core::dpop::{DpopError, ProofCheck, ReplayCache, normalize_htu, verify_proof};
    use oauth_core::time::UnixTime;
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = normalize_htu(text) {
        assert_eq!(
            normalize_htu(&n).as_deref(),
            Ok(n.as_str()),
            "htu normalisation is idempotent"
        );
    }
    let replay = core::cell::RefCell::new(ReplayCache::<4>::new());
    let check = ProofCheck::new("POST", "https://server.example.com/token");
    let now = UnixTime::from_secs(1_562_262_616);
    if let Ok(p) = verify_proof(text, &check, now, &replay) {
        assert_eq!(p.jkt().len(), 43);
        assert!(
            p.jkt()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let mut parts = text.split('.');
        let header = parts.next().expect("header");
        let payload = parts.next().expect("payload");
        let h: serde_json::Value = serde_json::from_slice(&unb64(header).expect("b64"))
            .expect("serde_json accepts the header");
        let typ = h["typ"].as_str().expect("typ").to_ascii_lowercase();
        assert!(typ == "dpop+jwt" || typ == "application/dpop+jwt");
        assert!(h["jwk"].get("d").is_none() && h["jwk"].get("k").is_none());
        let c: serde_json::Value = serde_json::from_slice(&unb64(payload).expect("b64"))
            .expect("serde_json accepts the claims");
        assert_eq!(c["htm"], "POST");
        assert_eq!(
            verify_proof(text, &check, now, &replay),
            Err(DpopError::Replayed)
        );
    }
}

#[cfg(feature = "alloc")]
fn unb64(s: &str) -> Option<std::vec::Vec<u8>> {
    oauth_core::encoding::base64url::decode_public_vec(s.as_bytes()).ok()
}

/// Introspection responses (RFC 7662 §2.2) for a fixed issuer and resource.
///
/// - never panics;
/// - accepted implies serde_json accepts the body as an object with
///   `active: true`, an `aud` naming the resource (required by default, MCP /
///   RFC 8707 §2), `iss` (if any) the issuer,
///   and an `exp` (if any) after now;
/// - the cache returns what was inserted, by token, until expiry.
#[cfg(feature = "alloc")]
pub fn introspection_response(data: &[u8]) {
    use oauth_core::http::HttpResponse;
    use oauth_core::resource::{
        IntrospectionCache, IntrospectionCheck, process_introspection_response,
    };
    use oauth_core::time::{Duration, UnixTime};
    let now = UnixTime::from_secs(1_562_262_618);
    let check = IntrospectionCheck::new(
        "https://server.example.com",
        "https://resource.example.org/protectedresource",
    );
    let resp = HttpResponse::json(200, data.to_vec());
    if let Ok(t) = process_introspection_response(&resp, "tok", &check, now) {
        let v: serde_json::Value =
            serde_json::from_slice(data).expect("serde_json accepts an accepted body");
        assert_eq!(v["active"], serde_json::Value::Bool(true));
        if let Some(iss) = v.get("iss") {
            assert_eq!(iss, "https://server.example.com");
        }
        match v.get("aud") {
            None => panic!("accepted a response without aud"),
            Some(serde_json::Value::String(a)) => {
                assert_eq!(a, "https://resource.example.org/protectedresource")
            }
            Some(serde_json::Value::Array(a)) => {
                assert!(
                    a.iter()
                        .any(|x| x == "https://resource.example.org/protectedresource")
                );
            }
            Some(other) => panic!("accepted aud {other}"),
        }
        if let Some(exp) = t.expires_at() {
            assert!(exp > now);
        }
        let mut cache = IntrospectionCache::new(4, Duration::from_secs(60));
        cache.insert("tok", t.clone(), now);
        assert_eq!(cache.get("tok", now), Some(&t));
        assert!(cache.get("other", now).is_none());
    }
}
