//! Runs the language-neutral vectors of `vectors/` (see `vectors/README.md`) against the
//! library: our own files (`vectors/*.json`), Wycheproof (`vectors/wycheproof/`) and the
//! RFC 7520 JOSE Cookbook (`vectors/rfc7520/`).
//!
//! One test per vector source. Each prints, per set, `set <name>: N passed, M failed,
//! K not applicable`, the not-applicable reasons grouped (with the ids), informational
//! notes, and every failure with the error that was seen. The test that finishes last
//! prints the grand total as `vectors: N passed, M failed`. Run with
//! `cargo test --test vectors -- --nocapture` to see the summaries of passing tests.
//!
//! A case is "not applicable" only when this build lacks the capability (ES384 without the
//! `es384` feature, ES512 without a P-521 backend; RSA without an RSA verifier, i.e. without
//! `alloc` or with neither `ring` nor `rustcrypto-rsa`; signing or JWK Sets without
//! `alloc`), when the kind belongs to a
//! later issue (DPoP proofs), or when a Wycheproof test exercises something that is not a
//! JWS algorithm or not a compact JWS. Wycheproof `acceptable` results are recorded, never
//! judged.

use oauth_core::encoding::base64url;
use oauth_core::encoding::json::{JsonErrorKind, JsonStr, JsonValue};
#[cfg(feature = "alloc")]
use oauth_core::jose::JwkSet;
use oauth_core::jose::{
    self, Algorithm, Claims, HeaderPolicy, JoseError, Jwk, JwkSetOptions, KeyError, KeyFamily,
    KeyResolver, Validation, VerifyingKey,
};
use oauth_core::time::{Duration, Leeway, UnixTime};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/// The number of `#[test]` functions below; the last one to finish prints the grand total.
const TESTS: usize = 21;
static FINISHED: AtomicUsize = AtomicUsize::new(0);
/// (passed, failed, not applicable) over every set run so far.
static TOTALS: Mutex<(usize, usize, usize)> = Mutex::new((0, 0, 0));

/// Counts a finished test (also when it panics) and prints the grand total after the last.
struct Finish;

impl Drop for Finish {
    fn drop(&mut self) {
        if FINISHED.fetch_add(1, Ordering::SeqCst) + 1 == TESTS {
            let (p, f, n) = *TOTALS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            println!("\nvectors: {p} passed, {f} failed\n({n} not applicable)");
        }
    }
}

/// The outcome of one set.
struct Report {
    name: String,
    passed: usize,
    failed: Vec<(String, String)>,
    /// reason -> ids
    na: BTreeMap<String, Vec<String>>,
    /// informational note -> ids
    notes: BTreeMap<String, Vec<String>>,
    /// For Wycheproof: the classes invalid tests were rejected with.
    rejections: BTreeMap<&'static str, usize>,
    /// Documented deviations from an upstream expectation (reason -> ids).
    deviations: BTreeMap<String, Vec<String>>,
}

impl Report {
    fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            passed: 0,
            failed: Vec::new(),
            na: BTreeMap::new(),
            notes: BTreeMap::new(),
            rejections: BTreeMap::new(),
            deviations: BTreeMap::new(),
        }
    }

    fn deviation(&mut self, id: &str, why: &str) {
        self.deviations
            .entry(why.to_owned())
            .or_default()
            .push(id.to_owned());
    }

    fn deviation_count(&self) -> usize {
        self.deviations.values().map(Vec::len).sum()
    }

    fn pass(&mut self) {
        self.passed += 1;
    }

    fn fail(&mut self, id: &str, why: impl Into<String>) {
        self.failed.push((id.to_owned(), why.into()));
    }

    fn na(&mut self, id: &str, reason: &str) {
        self.na
            .entry(reason.to_owned())
            .or_default()
            .push(id.to_owned());
    }

    fn note(&mut self, id: &str, note: impl Into<String>) {
        self.notes
            .entry(note.into())
            .or_default()
            .push(id.to_owned());
    }

    fn na_count(&self) -> usize {
        self.na.values().map(Vec::len).sum()
    }

    fn render(&self) -> String {
        fn ids(v: &[String]) -> String {
            const SHOWN: usize = 6;
            let mut s = v.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
            if v.len() > SHOWN {
                let _ = write!(s, ", ... (+{})", v.len() - SHOWN);
            }
            s
        }
        let mut out = format!(
            "set {}: {} passed, {} failed, {} not applicable{}\n",
            self.name,
            self.passed,
            self.failed.len(),
            self.na_count(),
            match self.deviation_count() {
                0 => String::new(),
                n => format!(", {n} documented deviations"),
            }
        );
        for (why, v) in &self.deviations {
            let _ = writeln!(out, "    deviation ({}): {why} [{}]", v.len(), ids(v));
        }
        for (reason, v) in &self.na {
            let _ = writeln!(out, "    n/a ({}): {reason} [{}]", v.len(), ids(v));
        }
        for (note, v) in &self.notes {
            let _ = writeln!(out, "    note ({}): {note} [{}]", v.len(), ids(v));
        }
        if !self.rejections.is_empty() {
            let r = self
                .rejections
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "    invalid tests rejected as: {r}");
        }
        for (id, why) in &self.failed {
            let _ = writeln!(out, "    FAIL {id}: {why}");
        }
        out
    }
}

/// Prints the reports of one test, adds them to the grand total, and fails the test if any
/// case failed.
fn finish(reports: &[Report]) {
    let mut text = String::new();
    let (mut p, mut f, mut n) = (0, 0, 0);
    for r in reports {
        text.push_str(&r.render());
        p += r.passed;
        f += r.failed.len();
        n += r.na_count();
    }
    // Leading newline: under --nocapture the harness has printed "test name ... " already.
    println!("\n{text}");
    {
        let mut t = TOTALS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        t.0 += p;
        t.1 += f;
        t.2 += n;
    }
    let names: Vec<&str> = reports
        .iter()
        .filter(|r| !r.failed.is_empty())
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        f == 0,
        "{f} vector(s) failed in {}: see the FAIL lines above",
        names.join(", ")
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn load(rel: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = vec![0u8; base64url::decoded_len(s.len())?];
    base64url::decode_public(s.as_bytes(), &mut out)
        .ok()
        .map(<[u8]>::to_vec)
}

fn b64_encode(b: &[u8]) -> String {
    let mut out = vec![0u8; base64url::encoded_len(b.len())];
    base64url::encode(b, &mut out).expect("buffer").to_owned()
}

fn s<'v>(v: &'v Value, name: &str) -> &'v str {
    v.get(name).and_then(Value::as_str).unwrap_or("")
}

fn case_id(case: &Value) -> String {
    s(case, "id").to_owned()
}

fn alg_named(name: &str) -> Option<Algorithm> {
    Algorithm::from_name(name.as_bytes())
}

/// Whether this build can verify the ECDSA algorithm `alg`: ES384 needs P-384 (the
/// `es384` feature), ES512 needs P-521 (`es512`, and `rustcrypto` next to ring, which has
/// no P-521).
fn ec_supported(alg: Algorithm) -> bool {
    let mut point = [0u8; 133];
    point[0] = 4;
    let len = match alg {
        Algorithm::ES256 => 65,
        Algorithm::ES384 => 97,
        _ => 133,
    };
    !matches!(
        VerifyingKey::ec(alg, &point[..len]),
        Err(KeyError::NotSupportedByBackend)
    )
}

/// Why the ECDSA algorithm `alg` is outside this build, if it is.
fn ec_na(alg: Algorithm) -> Option<&'static str> {
    match alg {
        Algorithm::ES384 if !ec_supported(alg) => Some(NA_ES384),
        Algorithm::ES512 if !ec_supported(alg) => Some(NA_ES512),
        _ => None,
    }
}

/// Whether this build verifies RS*/PS*: ring does, and without ring RustCrypto's `rsa`
/// crate does when the `rustcrypto-rsa` feature (implied by `rustcrypto`) is on; both need
/// `alloc`. [`rsa_refused_as_unsupported`] checks that the library agrees.
const RSA_SUPPORTED: bool = cfg!(all(
    feature = "alloc",
    any(feature = "ring", feature = "rustcrypto-rsa")
));

/// In a build without RSA, an RSA key must be refused as `NotSupportedByBackend` (not
/// accepted, not refused for another reason): the check behind every RSA "not applicable".
/// `Err` carries what was seen instead.
fn rsa_refused_as_unsupported(spki_der: &[u8], alg: Algorithm) -> Result<(), String> {
    match VerifyingKey::from_spki_der(alg, spki_der) {
        Err(KeyError::NotSupportedByBackend) => Ok(()),
        other => Err(format!(
            "RSA is not in this build, yet the key gave {:?} instead of NotSupportedByBackend",
            other.map(|_| "a key")
        )),
    }
}

/// Whether this build can sign with RSA (the RustCrypto backend verifies RS*/PS* but does
/// not sign with them).
#[cfg(feature = "alloc")]
fn rsa_signing_supported() -> bool {
    !matches!(
        jose::SigningKey::from_pkcs8(Algorithm::RS256, &[]),
        Err(KeyError::NotSupportedByBackend)
    )
}

#[cfg(feature = "alloc")]
const NA_RSA_SIGN: &str = "RS*/PS* signing: the RustCrypto backend verifies RSA but does not sign";

const NA_ES512: &str =
    "ES512: needs a P-521 backend (the es512 feature; next to ring, which has none, rustcrypto)";
const NA_ES384: &str = "ES384: needs P-384 (the es384 feature, implied by ring and rustcrypto)";
const NA_RSA: &str =
    "RS*/PS*: RSA verification needs ring or the rustcrypto-rsa feature (both with alloc)";
#[cfg(not(feature = "alloc"))]
const NA_SIGN: &str = "jws_sign: signing needs the alloc feature";
#[cfg(not(feature = "alloc"))]
const NA_JWKSET: &str = "jwks_parse: JwkSet needs the alloc feature";
const NA_DPOP: &str = "dpop_proof: DPoP is issue D";
const NA_JWE: &str = "JWE: a signature-only core has no JWE";

/// The `alg` and `kid` of a compact JWS header, read best-effort (for applicability only).
fn peek_header(jws: &str) -> (Option<String>, Option<String>) {
    let Some(h) = jws.split('.').next().and_then(b64_decode) else {
        return (None, None);
    };
    let Ok(v) = serde_json::from_slice::<Value>(&h) else {
        return (None, None);
    };
    let get = |n| v.get(n).and_then(Value::as_str).map(str::to_owned);
    (get("alg"), get("kid"))
}

/// Why a JWK is outside this build, if it is.
fn jwk_na(jwk: &Value) -> Option<&'static str> {
    if s(jwk, "kty") == "RSA" && !RSA_SUPPORTED {
        return Some(NA_RSA);
    }
    match s(jwk, "crv") {
        "P-384" => ec_na(Algorithm::ES384),
        "P-521" => ec_na(Algorithm::ES512),
        _ => None,
    }
}

/// Why a JWS case is outside this build: its header alg, its single key, or the key of the
/// set that its `kid` selects.
fn jws_na(jws: &str, key: Option<&Value>, jwks: Option<&Value>) -> Option<&'static str> {
    let (alg, kid) = peek_header(jws);
    if let Some(alg) = alg.as_deref().and_then(alg_named) {
        if alg.family() == KeyFamily::Rsa && !RSA_SUPPORTED {
            return Some(NA_RSA);
        }
        if let Some(r) = ec_na(alg) {
            return Some(r);
        }
    }
    if let Some(r) = key.and_then(jwk_na) {
        return Some(r);
    }
    if let (Some(set), Some(kid)) = (jwks, kid) {
        let keys = set.get("keys").and_then(Value::as_array);
        for k in keys.into_iter().flatten() {
            if s(k, "kid") == kid
                && let Some(r) = jwk_na(k)
            {
                return Some(r);
            }
        }
    }
    None
}

/// The README's error class of a JOSE error.
fn class(e: &JoseError) -> &'static str {
    match e {
        JoseError::TooLarge { .. } => "too_large",
        JoseError::Malformed | JoseError::MissingAlgorithm => "malformed",
        JoseError::Base64(_) => "base64",
        JoseError::Json(_, j) if j.kind == JsonErrorKind::DuplicateMember => "duplicate_member",
        JoseError::Json(..) => "json",
        JoseError::BufferTooSmall => "runner:buffer_too_small",
        JoseError::AlgorithmNone => "alg_none",
        JoseError::UnsupportedAlgorithm | JoseError::HeaderType("alg") => "alg_unsupported",
        JoseError::AlgorithmMismatch { .. } => "alg_mismatch",
        JoseError::UnknownCritical => "crit",
        JoseError::UnencodedPayload | JoseError::HeaderType("b64") => "b64",
        JoseError::HeaderType(_) => "json",
        JoseError::KeyNotFound => "key_not_found",
        JoseError::AmbiguousKey => "key_ambiguous",
        JoseError::InvalidSignature => "signature",
        JoseError::InvalidType => "typ",
        JoseError::MissingClaim(_) => "missing_claim",
        JoseError::ClaimType(_) => "claim_type",
        JoseError::Expired | JoseError::TooOld => "expired",
        JoseError::NotYetValid => "not_yet_valid",
        JoseError::IssuedInFuture => "iat_future",
        JoseError::InvalidIssuer => "issuer",
        JoseError::InvalidAudience | JoseError::TooManyAudiences => "audience",
        _ => "unmapped",
    }
}

/// What the library did with one input.
#[derive(Debug)]
enum Outcome {
    Valid,
    Invalid { class: &'static str, detail: String },
}

fn rejected(class: &'static str, detail: impl std::fmt::Debug) -> Outcome {
    Outcome::Invalid {
        class,
        detail: format!("{detail:?}"),
    }
}

fn from_jose(e: &JoseError) -> Outcome {
    rejected(class(e), e)
}

/// A key (or key set) that could not be built is a rejection of class
/// `key_invalid`, except a set refused for a shared kid: `key_ambiguous`.
fn from_key(e: KeyError) -> Outcome {
    match e {
        KeyError::DuplicateKid => rejected("key_ambiguous", e),
        _ => rejected("key_invalid", e),
    }
}

/// Compares an outcome with a case of our schema (`expect`, `error`, `error_also`).
fn judge(rep: &mut Report, case: &Value, got: Outcome) {
    let id = case_id(case);
    let mut classes: Vec<&str> = vec![s(case, "error")];
    if let Some(also) = case.get("error_also").and_then(Value::as_array) {
        classes.extend(also.iter().filter_map(Value::as_str));
    }
    match (s(case, "expect"), got) {
        ("valid", Outcome::Valid) => rep.pass(),
        ("valid", Outcome::Invalid { class, detail }) => {
            rep.fail(&id, format!("expected valid, got {class} ({detail})"));
        }
        ("invalid", Outcome::Valid) => {
            rep.fail(
                &id,
                format!("expected invalid ({}), got valid", classes.join(" | ")),
            );
        }
        ("invalid", Outcome::Invalid { class, detail }) => {
            if classes.contains(&class) {
                rep.pass();
            } else {
                rep.fail(
                    &id,
                    format!("expected {}, got {class} ({detail})", classes.join(" | ")),
                );
            }
        }
        (other, _) => rep.fail(&id, format!("runner: unknown expect {other:?}")),
    }
}

/// Compares a value read by the library's JSON scanner with the expected JSON value.
fn json_eq(got: JsonValue<'_>, want: &Value) -> bool {
    match (got, want) {
        (JsonValue::Null, Value::Null) => true,
        (JsonValue::Bool(a), Value::Bool(b)) => a == *b,
        (JsonValue::Number(n), Value::Number(w)) => {
            if let Some(u) = w.as_u64() {
                n.as_u64() == Some(u)
            } else if let Some(i) = w.as_i64() {
                n.as_i64() == Some(i)
            } else {
                n.as_f64() == w.as_f64()
            }
        }
        (JsonValue::String(s), Value::String(w)) => s.chars().eq(w.chars()),
        (JsonValue::Array(a), Value::Array(w)) => {
            a.len() == w.len() && a.iter().zip(w).all(|(g, w)| json_eq(g, w))
        }
        (JsonValue::Object(o), Value::Object(w)) => {
            o.len() == w.len()
                && w.iter()
                    .all(|(k, wv)| o.get(k).is_some_and(|g| json_eq(g, wv)))
        }
        _ => false,
    }
}

fn str_eq(got: Option<JsonStr<'_>>, want: &Value) -> bool {
    match (got, want.as_str()) {
        (Some(g), Some(w)) => g.chars().eq(w.chars()),
        _ => false,
    }
}

/// `expected_claims`: each listed claim must come back with exactly that JSON value. The
/// registered string claims are also checked through their typed accessors.
fn check_claims(claims: &Claims<'_>, expected: Option<&Value>) -> Result<(), String> {
    let Some(expected) = expected.and_then(Value::as_object) else {
        return Ok(());
    };
    for (name, want) in expected {
        let Some(got) = claims.get(name) else {
            return Err(format!("claim {name} is missing"));
        };
        if !json_eq(got, want) {
            return Err(format!("claim {name} differs from {want}"));
        }
        let typed = match name.as_str() {
            "iss" => str_eq(claims.iss(), want),
            "sub" => str_eq(claims.sub(), want),
            "jti" => str_eq(claims.jti(), want),
            "aud" => claims.aud().is_some_and(|a| {
                let got: Vec<String> = a.iter().map(|s| s.chars().collect()).collect();
                let want: Vec<String> = match want {
                    Value::String(w) => vec![w.clone()],
                    Value::Array(w) => w
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    _ => return false,
                };
                got == want
            }),
            _ => true,
        };
        if !typed {
            return Err(format!("typed accessor for {name} differs from {want}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// The verification keys of a case: one key, a JWK Set (`alloc`), or (core tier) the usable
/// keys of a set, each built with [`Jwk`].
enum Keys {
    One(Box<VerifyingKey>),
    #[cfg_attr(feature = "alloc", allow(dead_code))]
    Many(Vec<VerifyingKey>),
    #[cfg(feature = "alloc")]
    Set(JwkSet),
}

impl KeyResolver for Keys {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        match self {
            Self::One(k) => (**k).resolve(kid, alg),
            Self::Many(v) => v.as_slice().resolve(kid, alg),
            #[cfg(feature = "alloc")]
            Self::Set(s) => s.resolve(kid, alg),
        }
    }
}

/// The README pins `alg` only for a JWK without an `alg` member.
fn pin_for(jwk: &Value, pin: Option<Algorithm>) -> Option<Algorithm> {
    if jwk.get("alg").is_some() { None } else { pin }
}

fn key_from_jwk(jwk: &Value, pin: Option<Algorithm>) -> Result<VerifyingKey, KeyError> {
    let text = serde_json::to_vec(jwk).expect("serialize");
    Jwk::parse(&text)?.to_verifying_key(pin_for(jwk, pin))
}

/// A JWK Set: [`JwkSet::parse`] under `alloc` (RSA/oct keys without `alg` pinned to `pin` when
/// it is of their family); in the core tier every key is built with [`Jwk`] and the unusable
/// ones are left out, as `JwkSet` does.
fn keys_from_set(jwks: &Value, pin: Option<Algorithm>) -> Result<Keys, KeyError> {
    let text = serde_json::to_vec(jwks).expect("serialize");
    let of = |fam: KeyFamily| pin.filter(|a| a.family() == fam);
    #[cfg(feature = "alloc")]
    {
        let options = JwkSetOptions {
            rsa_alg_when_absent: of(KeyFamily::Rsa),
            hmac_alg_when_absent: of(KeyFamily::Hmac),
        };
        JwkSet::parse(&text, &options).map(Keys::Set)
    }
    #[cfg(not(feature = "alloc"))]
    {
        // Core tier: the fixed-capacity set parser, with the same set-level rules.
        let options = JwkSetOptions {
            rsa_alg_when_absent: of(KeyFamily::Rsa),
            hmac_alg_when_absent: of(KeyFamily::Hmac),
        };
        let mut keys = heapless::Vec::<VerifyingKey, 16>::new();
        oauth_core::jose::parse_jwk_set_into(&text, &options, &mut keys)?;
        Ok(Keys::Many(keys.into_iter().collect()))
    }
}

fn case_keys(case: &Value, pin: Option<Algorithm>) -> Result<Keys, KeyError> {
    if let Some(jwks) = case.get("jwks") {
        keys_from_set(jwks, pin)
    } else {
        key_from_jwk(&case["key"], pin).map(|k| Keys::One(Box::new(k)))
    }
}

fn case_pin(case: &Value) -> Option<Algorithm> {
    case.get("alg").and_then(Value::as_str).and_then(alg_named)
}

// ---------------------------------------------------------------------------------------------
// Our schema: one runner per kind
// ---------------------------------------------------------------------------------------------

fn run_our_file(rel: &str) -> Report {
    let doc = load(rel);
    let mut rep = Report::new(s(&doc, "set"));
    let cases = doc["cases"].as_array().expect("cases");
    for case in cases {
        match s(case, "kind") {
            "jws_verify" => run_jws_verify(&mut rep, case),
            "jwt_validate" => run_jwt_validate(&mut rep, case),
            "jws_sign" => run_jws_sign(&mut rep, case),
            "jwks_parse" => run_jwks_parse(&mut rep, case),
            "jwk_thumbprint" => run_thumbprint(&mut rep, case),
            "oidc_hash" => run_oidc_hash(&mut rep, case),
            "dpop_ath" => run_dpop_ath(&mut rep, case),
            "dpop_proof" => rep.na(&case_id(case), NA_DPOP),
            "pkce" => run_pkce(&mut rep, case),
            other => rep.fail(&case_id(case), format!("runner: unknown kind {other:?}")),
        }
    }
    rep
}

fn expected_payload(case: &Value) -> Option<Vec<u8>> {
    if let Some(p) = case.get("payload").and_then(Value::as_str) {
        return Some(p.as_bytes().to_vec());
    }
    case.get("payload_b64")
        .and_then(Value::as_str)
        .map(|p| b64_decode(p).expect("payload_b64"))
}

fn verify_jws(jws: &str, keys: &Keys, want_payload: Option<&[u8]>) -> Outcome {
    let mut scratch = vec![0u8; jws.len() + 16];
    match jose::verify_compact(jws, keys, &HeaderPolicy::default(), &mut scratch) {
        Ok(v) => match want_payload {
            Some(p) if v.payload() != p => rejected("runner:payload_mismatch", v.payload()),
            _ => Outcome::Valid,
        },
        Err(e) => from_jose(&e),
    }
}

fn run_jws_verify(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    let jws = s(case, "jws");
    if let Some(r) = jws_na(jws, case.get("key"), case.get("jwks")) {
        rep.na(&id, r);
        return;
    }
    let got = match case_keys(case, case_pin(case)) {
        Ok(keys) => verify_jws(jws, &keys, expected_payload(case).as_deref()),
        Err(e) => from_key(e),
    };
    judge(rep, case, got);
}

/// `Validation` wants `&'static str` claim names.
fn leak_names(v: Option<&Value>) -> &'static [&'static str] {
    let names: Vec<&'static str> = v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|n| &*Box::leak(n.to_owned().into_boxed_str()))
        .collect();
    Box::leak(names.into_boxed_slice())
}

/// The audience used when a case configures none (`audience: null`); see `run_jwt_validate`.
const AUDIENCE_NOT_CONFIGURED: &str = "urn:oauth-core:vectors:audience-not-configured";
const NOTE_NO_AUDIENCE: &str = "audience: null: validated with an unconfigured-audience sentinel; \
     MissingClaim(\"aud\") on a token without aud means every earlier check passed \
     (aud is checked after time and iss; these cases have no typ/required_claims), \
     then expected_claims read via verify_compact + Claims::parse";

fn run_jwt_validate(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    let jws = s(case, "jws");
    if let Some(r) = jws_na(jws, case.get("key"), case.get("jwks")) {
        rep.na(&id, r);
        return;
    }
    let keys = match case_keys(case, case_pin(case)) {
        Ok(k) => k,
        Err(e) => return judge(rep, case, from_key(e)),
    };
    let Some(issuer) = case.get("issuer").and_then(Value::as_str) else {
        return rep.fail(
            &id,
            "runner: issuer: null cannot be expressed with Validation (issuer is required)",
        );
    };
    let audience = case.get("audience").and_then(Value::as_str);
    let leeway = case.get("leeway").and_then(Value::as_u64).unwrap_or(0);
    let mut v = Validation::new(issuer, audience.unwrap_or(AUDIENCE_NOT_CONFIGURED))
        .leeway(Leeway::new(Duration::from_secs(leeway)))
        .require_claims(leak_names(case.get("required_claims")))
        // Absent max_token_len means no limit in the vectors' semantics.
        .max_token_len(
            case.get("max_token_len")
                .and_then(Value::as_u64)
                .map_or(usize::MAX, |n| usize::try_from(n).expect("usize")),
        );
    if let Some(t) = case.get("typ").and_then(Value::as_str) {
        v = v.typ(t);
    }
    let now = UnixTime::from_secs(case["now"].as_u64().expect("now"));
    let mut scratch = vec![0u8; jws.len() + 16];
    let got = match v.verify(jws, &keys, now, &mut scratch) {
        Ok(jwt) => match check_claims(jwt.claims(), case.get("expected_claims")) {
            Ok(()) => Outcome::Valid,
            Err(e) => rejected("runner:claims_mismatch", e),
        },
        Err(JoseError::MissingClaim("aud")) if audience.is_none() => {
            rep.note(&id, NOTE_NO_AUDIENCE);
            if case.get("typ").is_some() || case.get("required_claims").is_some() {
                return rep.fail(
                    &id,
                    "runner: audience: null with typ/required_claims cannot be expressed",
                );
            }
            let mut scratch = vec![0u8; jws.len() + 16];
            match jose::verify_compact(jws, &keys, &HeaderPolicy::default(), &mut scratch) {
                Ok(j) => match Claims::parse(j.payload()) {
                    Ok(c) => match check_claims(&c, case.get("expected_claims")) {
                        Ok(()) => Outcome::Valid,
                        Err(e) => rejected("runner:claims_mismatch", e),
                    },
                    Err(e) => from_jose(&e),
                },
                Err(e) => from_jose(&e),
            }
        }
        Err(e) => from_jose(&e),
    };
    judge(rep, case, got);
}

#[cfg(feature = "alloc")]
fn run_jws_sign(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    let key = &case["key"];
    if let Some(r) = jwk_na(key)
        .or_else(|| case_pin(case).and_then(ec_na))
        .or_else(|| (s(key, "kty") == "RSA" && !rsa_signing_supported()).then_some(NA_RSA_SIGN))
    {
        return rep.na(&id, r);
    }
    let text = serde_json::to_vec(key).expect("serialize");
    let signer = Jwk::parse(&text).and_then(|j| j.to_signing_key(pin_for(key, case_pin(case))));
    let input = format!("{}.{}", s(case, "protected_b64"), s(case, "payload_b64"));
    let got = match signer.and_then(|k| k.sign(input.as_bytes())) {
        Ok(sig) => {
            let jws = format!("{input}.{}", b64_encode(&sig));
            if jws == s(case, "jws") {
                Outcome::Valid
            } else {
                rejected("runner:signature_differs", jws)
            }
        }
        Err(e) => from_key(e),
    };
    judge(rep, case, got);
}

#[cfg(not(feature = "alloc"))]
fn run_jws_sign(rep: &mut Report, case: &Value) {
    rep.na(&case_id(case), NA_SIGN);
}

/// The options a relying party takes from the issuer's metadata for keys without `alg`
/// (the vectors' `jwks_parse` has no `alg` input; a key without one is still "usable").
#[cfg(feature = "alloc")]
const JWKS_PARSE_PINS: JwkSetOptions = JwkSetOptions {
    rsa_alg_when_absent: Some(Algorithm::RS256),
    hmac_alg_when_absent: Some(Algorithm::HS256),
};

#[cfg(feature = "alloc")]
fn kty_of(alg: Algorithm) -> &'static str {
    match alg.family() {
        KeyFamily::Hmac => "oct",
        KeyFamily::Rsa => "RSA",
        KeyFamily::Ec => "EC",
        KeyFamily::Okp => "OKP",
    }
}

#[cfg(feature = "alloc")]
fn run_jwks_parse(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    let jwks = &case["jwks"];
    // A usable key this build cannot hold (ES512 under ring, ES384 without P-384) makes
    // the expected list unreachable: not applicable.
    let expected = case.get("keys").and_then(Value::as_array);
    for k in expected.into_iter().flatten() {
        if let Some(r) = alg_named(s(k, "alg")).and_then(ec_na) {
            return rep.na(&id, r);
        }
    }
    let text = serde_json::to_vec(jwks).expect("serialize");
    // Likewise a usable RSA key without an RSA verifier; the set must have skipped it
    // as unsupported, which is checked before the case is marked not applicable.
    let rsa_kids: Vec<Option<&str>> = expected
        .into_iter()
        .flatten()
        .filter(|k| s(k, "kty") == "RSA")
        .map(|k| k["kid"].as_str())
        .collect();
    if !RSA_SUPPORTED && !rsa_kids.is_empty() {
        let skipped_as_unsupported = |set: &JwkSet| {
            rsa_kids.iter().all(|kid| {
                set.skipped().iter().any(|k| {
                    k.kid.as_deref() == *kid && k.reason == KeyError::NotSupportedByBackend
                })
            })
        };
        return match JwkSet::parse(&text, &JWKS_PARSE_PINS) {
            Ok(set) if skipped_as_unsupported(&set) => rep.na(&id, NA_RSA),
            other => rep.fail(
                &id,
                format!(
                    "RSA is not in this build, yet its RSA keys {rsa_kids:?} were not skipped \
                     as NotSupportedByBackend: {:?}",
                    other.map(|set| set
                        .skipped()
                        .iter()
                        .map(|k| (k.kid.clone(), k.reason))
                        .collect::<Vec<_>>())
                ),
            ),
        };
    }
    let set = match JwkSet::parse(&text, &JWKS_PARSE_PINS) {
        Ok(set) => set,
        // A document that is not a JWK Set is class `json`; a set refused by a
        // set-level rule (shared kid, mixed key types) is a key-class rejection.
        Err(e @ KeyError::Malformed) => return judge(rep, case, rejected("json", e)),
        Err(e) => return judge(rep, case, from_key(e)),
    };
    if expected.is_some_and(|e| {
        e.iter()
            .any(|k| k["alg"].is_null() && matches!(s(k, "kty"), "RSA" | "oct"))
    }) {
        rep.note(
            &id,
            "jwks_parse: keys without alg pinned like issuer metadata would \
             (RSA -> RS256, oct -> HS256); compared by kid and kty only",
        );
    }
    let total = jwks
        .get("keys")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut got: Vec<(Option<String>, &str)> = set
        .keys()
        .iter()
        .map(|k| (k.kid().map(str::to_owned), kty_of(k.algorithm())))
        .collect();
    let mut want: Vec<(Option<String>, &str)> = Vec::new();
    let mut alg_errors = Vec::new();
    for k in expected.into_iter().flatten() {
        let kid = k["kid"].as_str().map(str::to_owned);
        // Only the algs the vector states are compared.
        if let Some(alg) = k["alg"].as_str()
            && let Some(key) = set.keys().iter().find(|v| v.kid() == kid.as_deref())
            && key.algorithm().name() != alg
        {
            alg_errors.push(format!("{kid:?}: {} instead of {alg}", key.algorithm()));
        }
        want.push((kid, s(k, "kty")));
    }
    got.sort_unstable();
    want.sort_unstable();
    let outcome = if got != want {
        rejected(
            "runner:usable_keys_differ",
            format!(
                "usable {:?}, expected {:?}; skipped {:?}",
                got,
                want,
                set.skipped()
                    .iter()
                    .map(|k| (k.kid.clone(), k.reason))
                    .collect::<Vec<_>>()
            ),
        )
    } else if !alg_errors.is_empty() {
        rejected("runner:alg_differs", alg_errors)
    } else if set.len() + set.skipped().len() != total {
        rejected(
            "runner:key_count",
            format!("{} + {} != {total}", set.len(), set.skipped().len()),
        )
    } else {
        Outcome::Valid
    };
    judge(rep, case, outcome);
}

#[cfg(not(feature = "alloc"))]
fn run_jwks_parse(rep: &mut Report, case: &Value) {
    rep.na(&case_id(case), NA_JWKSET);
}

fn run_thumbprint(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    if s(case, "hash") != "SHA-256" {
        return rep.fail(&id, "runner: only SHA-256 thumbprints are defined");
    }
    let text = serde_json::to_vec(&case["jwk"]).expect("serialize");
    let got = match Jwk::parse(&text).and_then(|j| j.thumbprint()) {
        Ok(t) if t.as_str() == s(case, "thumbprint") => Outcome::Valid,
        Ok(t) => rejected("runner:thumbprint_differs", t.as_str()),
        Err(e) => from_key(e),
    };
    judge(rep, case, got);
}

fn run_oidc_hash(rep: &mut Report, case: &Value) {
    let id = case_id(case);
    let Some(alg) = alg_named(s(case, "alg")) else {
        return rep.fail(&id, "runner: unknown alg");
    };
    let mut out = [0u8; 43];
    let got = match jose::oidc_hash_claim(alg, s(case, "input").as_bytes(), &mut out) {
        Ok(v) if v == s(case, "value") => Outcome::Valid,
        Ok(v) => rejected("hash_mismatch", v),
        Err(e) => from_key(e),
    };
    judge(rep, case, got);
}

/// `pkce`: the server-side check, [`pkce::verify`]. The README's classes: `pkce_syntax` for
/// the verifier's length or characters, `pkce_mismatch` otherwise (a challenge of the
/// wrong syntax, such as a padded one, cannot match). For valid `S256` cases the client
/// side ([`pkce::CodeChallenge::s256`]) must derive the same challenge.
fn run_pkce(rep: &mut Report, case: &Value) {
    use oauth_core::pkce::{self, CodeChallenge, CodeChallengeMethod, CodeVerifier, PkceError};
    let id = case_id(case);
    let (verifier, challenge) = (s(case, "code_verifier"), s(case, "code_challenge"));
    let method = match s(case, "method").parse::<CodeChallengeMethod>() {
        Ok(m) => m,
        Err(e) => return judge(rep, case, rejected("runner:method", e)),
    };
    // The default policy refuses `plain` (RFC 9700 §2.1.1); the vectors define its
    // semantics, so those cases run under the opt-in policy.
    let policy = if method == CodeChallengeMethod::Plain {
        rep.note(
            &id,
            "plain: run under PkcePolicy::ALLOW_PLAIN (the default refuses it)",
        );
        pkce::PkcePolicy::ALLOW_PLAIN
    } else {
        pkce::PkcePolicy::S256_ONLY
    };
    let got = match pkce::verify(verifier, challenge, method, policy) {
        Ok(()) if method == CodeChallengeMethod::S256 => {
            match CodeVerifier::parse(verifier).map(|v| CodeChallenge::s256(&v)) {
                Ok(c) if c.as_str() == challenge => Outcome::Valid,
                Ok(c) => rejected("runner:client_challenge_differs", c),
                Err(e) => rejected("runner:client_verifier_refused", e),
            }
        }
        Ok(()) => Outcome::Valid,
        Err(e @ PkceError::InvalidVerifier) => rejected("pkce_syntax", e),
        Err(e @ (PkceError::Mismatch | PkceError::InvalidChallenge)) => {
            rejected("pkce_mismatch", e)
        }
        Err(e) => rejected("unmapped", e),
    };
    judge(rep, case, got);
}

/// `ath` = base64url(SHA-256(access token)) (RFC 9449 §4.2): SHA-256 from `sha2`, the
/// encoding from the library.
fn run_dpop_ath(rep: &mut Report, case: &Value) {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(s(case, "access_token").as_bytes());
    let ath = b64_encode(&digest);
    let got = if ath == s(case, "ath") {
        Outcome::Valid
    } else {
        rejected("dpop_binding", ath)
    };
    judge(rep, case, got);
}

// ---------------------------------------------------------------------------------------------
// Wycheproof
// ---------------------------------------------------------------------------------------------

/// Compares an outcome with a Wycheproof `result`. `acceptable` is recorded, never failed.
fn judge_wycheproof(rep: &mut Report, id: &str, result: &str, got: Outcome) {
    match (result, got) {
        ("valid", Outcome::Valid) => rep.pass(),
        ("valid", Outcome::Invalid { class, detail }) => {
            rep.fail(id, format!("expected valid, got {class} ({detail})"));
        }
        ("invalid", Outcome::Valid) => rep.fail(id, "expected invalid, got valid"),
        ("invalid", Outcome::Invalid { class, .. }) => {
            *rep.rejections.entry(class).or_default() += 1;
            rep.pass();
        }
        ("acceptable", Outcome::Valid) => {
            rep.note(id, "acceptable (recorded, not judged): accepted");
            rep.pass();
        }
        ("acceptable", Outcome::Invalid { class, .. }) => {
            rep.note(
                id,
                format!("acceptable (recorded, not judged): rejected as {class}"),
            );
            rep.pass();
        }
        (other, _) => rep.fail(id, format!("runner: unknown result {other:?}")),
    }
}

fn tests_of(group: &Value) -> &Vec<Value> {
    group["tests"].as_array().expect("tests")
}

fn tc(t: &Value) -> String {
    format!("tc{}", t["tcId"])
}

/// The JOSE files (`json_web_signature`, `json_web_key`, `json_web_crypto`): verify each
/// compact JWS with the group's public key (or the public part of `private`).
fn run_wycheproof_jose(rel: &str, name: &str) -> Report {
    let doc = load(rel);
    let mut rep = Report::new(name);
    for g in doc["testGroups"].as_array().expect("groups") {
        let comment = s(g, "comment");
        let jwk = g.get("public").or_else(|| g.get("private"));
        for t in tests_of(g) {
            let id = tc(t);
            if t.get("jwe").is_some() {
                rep.na(&id, NA_JWE);
                continue;
            }
            // JWS JSON serialization (RFC 7515 §7.2): this verifier is compact-only, so
            // it must reject it; Wycheproof expects exactly that (result invalid).
            let json_ser = match &t["jws"] {
                Value::Object(_) => Some(t["jws"].to_string()),
                Value::String(j) if j.starts_with('{') => Some(j.clone()),
                _ => None,
            };
            if let Some(text) = json_ser {
                let got = match jose::CompactJws::parse(&text) {
                    Ok(_) => Outcome::Valid,
                    Err(e) => from_jose(&e),
                };
                judge_wycheproof(&mut rep, &id, s(t, "result"), got);
                continue;
            }
            let jws = s(t, "jws");
            let jwk = jwk.expect("group key");
            let is_set = jwk.get("keys").is_some();
            let (single, set) = if is_set {
                (None, Some(jwk))
            } else {
                (Some(jwk), None)
            };
            if let Some(r) = jws_na(jws, single, set) {
                rep.na(&id, r);
                continue;
            }
            // Wycheproof RSA/oct JWKs without `alg` would need a pin; take it from the
            // group comment when that names an algorithm, and say so.
            let pin = alg_named(&comment.to_ascii_uppercase());
            let members: Vec<&Value> = if is_set {
                jwk["keys"].as_array().into_iter().flatten().collect()
            } else {
                vec![jwk]
            };
            for k in members {
                if k.get("alg").is_none() && matches!(s(k, "kty"), "RSA" | "oct") {
                    match pin {
                        Some(p) => rep.note(
                            &id,
                            format!("JWK without alg pinned to {p} from the group comment"),
                        ),
                        None => rep.note(
                            &id,
                            format!(
                                "JWK without alg and group comment {comment:?} names no \
                                 algorithm: no pin"
                            ),
                        ),
                    }
                }
            }
            let keys = if is_set {
                keys_from_set(jwk, pin)
            } else {
                key_from_jwk(jwk, pin).map(|k| Keys::One(Box::new(k)))
            };
            #[cfg(feature = "alloc")]
            if let Ok(Keys::Set(set)) = &keys {
                for k in set.skipped() {
                    rep.note(&id, format!("JwkSet left out a key: {:?}", k.reason));
                }
            }
            let got = match keys {
                Ok(keys) => verify_jws(jws, &keys, None),
                Err(e) => from_key(e),
            };
            if let Some(dev) = DEVIATIONS
                .iter()
                .find(|d| d.file == rel && d.tc == t["tcId"])
            {
                judge_deviation(&mut rep, &id, dev, &got);
                continue;
            }
            judge_wycheproof(&mut rep, &id, s(t, "result"), got);
        }
    }
    rep
}

/// A Wycheproof test whose expected result we deliberately do not follow. Each entry says
/// why, and the outcome we produce instead is asserted (a deviation is not a skip: if our
/// behaviour changes, the test fails).
struct Deviation {
    file: &'static str,
    tc: u64,
    /// `None`: we accept; `Some(class)`: we reject with this class.
    ours: Option<&'static str>,
    why: &'static str,
}

const DEVIATIONS: &[Deviation] = &[
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 346,
        ours: Some("alg_mismatch"),
        why: "the JWK says alg PS256 but the token (RFC 7520 §4.2) is PS384: the key pins the \
              algorithm (RFC 8725 §3.1), so we reject where Wycheproof expects valid",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 350,
        ours: Some("alg_mismatch"),
        why: "the JWK says alg PS256 but the token (RFC 7520 §4.2) is PS384: the key pins the \
              algorithm (RFC 8725 §3.1), so we reject where Wycheproof expects valid",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 347,
        ours: Some("key_invalid"),
        why: "the JWK says alg ES521, which is not a registered JWS algorithm (RFC 7518 §3.1 \
              names P-521 ES512): we refuse the key where Wycheproof expects the RFC 7520 §4.3 \
              token to verify",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 351,
        ours: Some("key_invalid"),
        why: "the JWK says alg ES521, which is not a registered JWS algorithm (RFC 7518 §3.1 \
              names P-521 ES512): we refuse the key where Wycheproof expects the RFC 7520 §4.3 \
              token to verify",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 367,
        ours: None,
        why: "the token is byte-identical to tc357 (valid) yet labelled invalid \
              (invalidBase64Padding): no verifier can satisfy both; we follow tc357",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 370,
        ours: None,
        why: "the token is byte-identical to tc357 (valid) yet labelled invalid \
              (invalidBase64PaddingInPayload): no verifier can satisfy both; we follow tc357",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 372,
        ours: Some("base64"),
        why: "a '?' inserted into the header segment is labelled valid; RFC 7515 §2/§7.1 \
              segments are strict base64url, so we reject (as Wycheproof itself does for the \
              same insertion in the MAC, tc361/tc362)",
    },
    Deviation {
        file: "vectors/wycheproof/json_web_signature_test.json",
        tc: 373,
        ours: Some("signature"),
        why: "a '?' inserted into the payload segment is labelled valid; the MAC is over the \
              segments as received (RFC 7515 §5.2 step 8), so the inserted byte breaks it, and \
              the segment is not base64url either (as Wycheproof itself rejects tc369/tc371)",
    },
];

fn judge_deviation(rep: &mut Report, id: &str, dev: &Deviation, got: &Outcome) {
    let matches = match (dev.ours, got) {
        (None, Outcome::Valid) => true,
        (Some(want), Outcome::Invalid { class, .. }) => *class == want,
        _ => false,
    };
    if matches {
        rep.deviation(id, dev.why);
    } else {
        rep.fail(
            id,
            format!("documented deviation expects {:?}, got {got:?}", dev.ours),
        );
    }
}

/// A raw-primitive test: verify with the key built from raw material and with the key built
/// from the group's SubjectPublicKeyInfo DER; both must agree.
fn primitive_outcome(
    raw: &Result<VerifyingKey, KeyError>,
    spki: &Result<VerifyingKey, KeyError>,
    msg: &[u8],
    sig: &[u8],
) -> Outcome {
    let one = |k: &Result<VerifyingKey, KeyError>| match k {
        Ok(k) => match k.verify_signature(msg, sig) {
            Ok(()) => Outcome::Valid,
            Err(e) => from_jose(&e),
        },
        Err(e) => from_key(*e),
    };
    match (one(raw), one(spki)) {
        (Outcome::Valid, Outcome::Valid) => Outcome::Valid,
        (Outcome::Invalid { class, detail }, Outcome::Invalid { .. }) => {
            Outcome::Invalid { class, detail }
        }
        (Outcome::Valid, Outcome::Invalid { class, detail }) => Outcome::Invalid {
            class: "runner:raw_and_spki_keys_disagree",
            detail: format!("raw key accepts, SPKI key: {class} ({detail})"),
        },
        (Outcome::Invalid { class, detail }, Outcome::Valid) => Outcome::Invalid {
            class: "runner:raw_and_spki_keys_disagree",
            detail: format!("SPKI key accepts, raw key: {class} ({detail})"),
        },
    }
}

/// `ecdsa_*_p1363_test.json`: `alg` is the JWS algorithm of the curve+hash pair, or `None`
/// when the pair is not one (P-256 or P-384 with SHA-512).
fn run_wycheproof_ecdsa(file: &str, alg: Option<Algorithm>) -> Report {
    let doc = load(&format!("vectors/wycheproof/{file}"));
    let mut rep = Report::new(format!("wycheproof/{}", file.trim_end_matches(".json")));
    for g in doc["testGroups"].as_array().expect("groups") {
        let Some(alg) = alg else {
            for t in tests_of(g) {
                rep.na(
                    &tc(t),
                    &format!(
                        "not a JWS algorithm ({} with {})",
                        s(&g["publicKey"], "curve"),
                        s(g, "sha")
                    ),
                );
            }
            continue;
        };
        let raw = VerifyingKey::ec(alg, &hex(s(&g["publicKey"], "uncompressed")));
        if matches!(raw, Err(KeyError::NotSupportedByBackend)) {
            let reason = ec_na(alg).expect("only ES384 and ES512 can be missing");
            for t in tests_of(g) {
                rep.na(&tc(t), reason);
            }
            continue;
        }
        let spki = VerifyingKey::from_spki_der(alg, &hex(s(g, "publicKeyDer")));
        for t in tests_of(g) {
            let got = primitive_outcome(&raw, &spki, &hex(s(t, "msg")), &hex(s(t, "sig")));
            judge_wycheproof(&mut rep, &tc(t), s(t, "result"), got);
        }
    }
    rep
}

fn run_wycheproof_ed25519() -> Report {
    let doc = load("vectors/wycheproof/ed25519_test.json");
    let mut rep = Report::new("wycheproof/ed25519_test");
    for g in doc["testGroups"].as_array().expect("groups") {
        let raw = VerifyingKey::ed25519(&hex(s(&g["publicKey"], "pk")));
        let spki = VerifyingKey::from_spki_der(Algorithm::EdDSA, &hex(s(g, "publicKeyDer")));
        for t in tests_of(g) {
            let got = primitive_outcome(&raw, &spki, &hex(s(t, "msg")), &hex(s(t, "sig")));
            judge_wycheproof(&mut rep, &tc(t), s(t, "result"), got);
        }
    }
    rep
}

/// `rsa_signature_*` (PKCS#1 v1.5) and `rsa_pss_*` files.
fn run_wycheproof_rsa(file: &str, pss: bool) -> Report {
    let doc = load(&format!("vectors/wycheproof/{file}"));
    let mut rep = Report::new(format!("wycheproof/{}", file.trim_end_matches(".json")));
    for g in doc["testGroups"].as_array().expect("groups") {
        let sha = s(g, "sha");
        let (alg, hash_len) = match (pss, sha) {
            (false, "SHA-256") => (Algorithm::RS256, 32),
            (false, "SHA-384") => (Algorithm::RS384, 48),
            (false, "SHA-512") => (Algorithm::RS512, 64),
            (true, "SHA-256") => (Algorithm::PS256, 32),
            (true, "SHA-384") => (Algorithm::PS384, 48),
            (true, "SHA-512") => (Algorithm::PS512, 64),
            _ => {
                for t in tests_of(g) {
                    rep.na(&tc(t), &format!("hash {sha} is not a JWS RSA algorithm"));
                }
                continue;
            }
        };
        if pss
            && (s(g, "mgf") != "MGF1"
                || s(g, "mgfSha") != sha
                || g["sLen"].as_u64() != Some(hash_len))
        {
            for t in tests_of(g) {
                rep.na(&tc(t), "PSS parameters not a JWS algorithm");
            }
            continue;
        }
        if !RSA_SUPPORTED {
            // Not applicable, but only once the library has refused the group's key as
            // unsupported.
            let refused = rsa_refused_as_unsupported(&hex(s(g, "publicKeyDer")), alg);
            for t in tests_of(g) {
                match &refused {
                    Ok(()) => rep.na(&tc(t), NA_RSA),
                    Err(why) => rep.fail(&tc(t), why.clone()),
                }
            }
            continue;
        }
        run_rsa_group(&mut rep, g, alg);
    }
    rep
}

#[cfg(all(feature = "alloc", any(feature = "ring", feature = "rustcrypto-rsa")))]
fn run_rsa_group(rep: &mut Report, g: &Value, alg: Algorithm) {
    let pk = &g["publicKey"];
    let raw = VerifyingKey::rsa(alg, &hex(s(pk, "modulus")), &hex(s(pk, "publicExponent")));
    let spki = VerifyingKey::from_spki_der(alg, &hex(s(g, "publicKeyDer")));
    for t in tests_of(g) {
        let got = primitive_outcome(&raw, &spki, &hex(s(t, "msg")), &hex(s(t, "sig")));
        judge_wycheproof(rep, &tc(t), s(t, "result"), got);
    }
}

#[cfg(not(all(feature = "alloc", any(feature = "ring", feature = "rustcrypto-rsa"))))]
fn run_rsa_group(_: &mut Report, _: &Value, _: Algorithm) {
    unreachable!("RSA groups are not applicable without an RSA verifier");
}

fn run_wycheproof_hmac(file: &str, alg: Algorithm) -> Report {
    let doc = load(&format!("vectors/wycheproof/{file}"));
    let mut rep = Report::new(format!("wycheproof/{}", file.trim_end_matches(".json")));
    let full_bits = alg.hash().output_len() as u64 * 8;
    for g in doc["testGroups"].as_array().expect("groups") {
        let truncated = g["tagSize"].as_u64() != Some(full_bits);
        for t in tests_of(g) {
            let id = tc(t);
            let result = s(t, "result");
            if truncated && result == "valid" {
                rep.na(&id, "truncated tag: JWS uses the full tag");
                continue;
            }
            let got = match VerifyingKey::hmac(alg, &hex(s(t, "key"))) {
                // A documented deviation, asserted: RFC 7518 §3.2 requires an HMAC key at
                // least as long as the hash output, so we refuse the key where
                // Wycheproof (testing the bare primitive) expects a valid tag.
                Err(KeyError::HmacKeyTooShort) if result == "valid" => {
                    rep.deviation(
                        &id,
                        "valid tag under a key shorter than the hash output: RFC 7518 §3.2 \
                         (\"A key of the same size as the hash output ... or larger MUST be \
                         used\") makes us refuse the key",
                    );
                    continue;
                }
                Ok(k) => match k.verify_signature(&hex(s(t, "msg")), &hex(s(t, "tag"))) {
                    Ok(()) => Outcome::Valid,
                    Err(e) => from_jose(&e),
                },
                Err(e) => from_key(e),
            };
            judge_wycheproof(&mut rep, &id, result, got);
        }
    }
    rep
}

// ---------------------------------------------------------------------------------------------
// RFC 7520 (JOSE Cookbook)
// ---------------------------------------------------------------------------------------------

/// RSA keys of the cookbook carry no `alg`; §4.1 uses them with RS256.
const RFC7520_RSA_PIN: Algorithm = Algorithm::RS256;

fn rfc7520_jwks() -> Report {
    let mut rep = Report::new("rfc7520/jwk");
    let dir = "vectors/rfc7520/jwk";
    let files = [
        ("3_1.ec_public_key.json", true),
        ("3_2.ec_private_key.json", true),
        ("3_3.rsa_public_key.json", true),
        ("3_4.rsa_private_key.json", true),
        ("3_5.symmetric_key_mac_computation.json", true),
        // `use: enc`, `alg: A256GCM`: not a signature-verification key.
        ("3_6.symmetric_key_encryption.json", false),
    ];
    for (file, usable) in files {
        let id = file.split('.').next().unwrap_or(file);
        let jwk = load(&format!("{dir}/{file}"));
        if let Some(r) = jwk_na(&jwk) {
            rep.na(id, r);
            continue;
        }
        // The pin is for the RSA keys only (§4.1); the P-521 key's curve names ES512.
        let pin = (s(&jwk, "kty") == "RSA").then_some(RFC7520_RSA_PIN);
        let got = match key_from_jwk(&jwk, pin) {
            Ok(_) => Outcome::Valid,
            Err(e) => from_key(e),
        };
        let case = if usable {
            serde_json::json!({"id": id, "expect": "valid"})
        } else {
            serde_json::json!({"id": id, "expect": "invalid", "error": "key_invalid"})
        };
        judge(&mut rep, &case, got);
    }
    rfc7520_private_matches_public(&mut rep);
    rep
}

/// The private RSA key (§3.4) signs and the public key (§3.3) verifies; likewise the HMAC key.
#[cfg(feature = "alloc")]
fn rfc7520_private_matches_public(rep: &mut Report) {
    let dir = "vectors/rfc7520/jwk";
    for (id, private, public) in [
        (
            "3_4-signs/3_3-verifies",
            "3_4.rsa_private_key.json",
            "3_3.rsa_public_key.json",
        ),
        (
            "3_5-signs/3_5-verifies",
            "3_5.symmetric_key_mac_computation.json",
            "3_5.symmetric_key_mac_computation.json",
        ),
    ] {
        let private = load(&format!("{dir}/{private}"));
        if s(&private, "kty") == "RSA" && !rsa_signing_supported() {
            rep.na(id, NA_RSA_SIGN);
            continue;
        }
        let public = load(&format!("{dir}/{public}"));
        let text = serde_json::to_vec(&private).expect("serialize");
        let msg = b"oauth-core rfc7520 key check";
        let got = Jwk::parse(&text)
            .and_then(|j| j.to_signing_key(pin_for(&private, Some(RFC7520_RSA_PIN))))
            .and_then(|k| k.sign(msg))
            .and_then(|sig| Ok((sig, key_from_jwk(&public, Some(RFC7520_RSA_PIN))?)));
        let got = match got {
            Ok((sig, key)) => match key.verify_signature(msg, &sig) {
                Ok(()) => Outcome::Valid,
                Err(e) => from_jose(&e),
            },
            Err(e) => from_key(e),
        };
        judge(rep, &serde_json::json!({"id": id, "expect": "valid"}), got);
    }
}

#[cfg(not(feature = "alloc"))]
fn rfc7520_private_matches_public(rep: &mut Report) {
    rep.na("3_4-signs/3_3-verifies", NA_SIGN);
    rep.na("3_5-signs/3_5-verifies", NA_SIGN);
}

fn rfc7520_jws() -> Report {
    let mut rep = Report::new("rfc7520/jws");
    let dir = "vectors/rfc7520/jws";
    for file in [
        "4_1.rsa_v15_signature.json",
        "4_2.rsa-pss_signature.json",
        "4_3.ecdsa_signature.json",
        "4_4.hmac-sha2_integrity_protection.json",
        "4_5.signature_with_detached_content.json",
        "4_6.protecting_specific_header_fields.json",
        "4_7.protecting_content_only.json",
        "4_8.multiple_signatures.json",
    ] {
        let ex = file.split('.').next().unwrap_or(file);
        let doc = load(&format!("{dir}/{file}"));
        let Some(compact) = doc["output"].get("compact").and_then(Value::as_str) else {
            let reason = if doc["signing"].is_array() {
                "JSON serialization with multiple signatures (no compact form)"
            } else {
                "JSON serialization only: unprotected header (no compact form)"
            };
            rep.na(&format!("{ex}/verify"), reason);
            continue;
        };
        let input = &doc["input"];
        let key = &input["key"];
        let pin = alg_named(s(input, "alg"));
        let payload = s(input, "payload").as_bytes();
        let verify_id = format!("{ex}/verify");
        if let Some(r) = jws_na(compact, Some(key), None) {
            rep.na(&verify_id, r);
            if doc["reproducible"] == true {
                rep.na(&format!("{ex}/sign"), r);
            }
            continue;
        }
        // §4.5 detaches the payload (RFC 7515 App. F): the recipient re-attaches it.
        let parts: Vec<&str> = compact.split('.').collect();
        let token = if parts.len() == 3 && parts[1].is_empty() {
            rep.note(
                &verify_id,
                "detached content: payload re-attached before verifying (RFC 7515 App. F)",
            );
            format!("{}.{}.{}", parts[0], b64_encode(payload), parts[2])
        } else {
            compact.to_owned()
        };
        let got = match key_from_jwk(key, pin) {
            Ok(k) => verify_jws(&token, &Keys::One(Box::new(k)), Some(payload)),
            Err(e) => from_key(e),
        };
        judge(
            &mut rep,
            &serde_json::json!({"id": verify_id, "expect": "valid"}),
            got,
        );
        if doc["reproducible"] == true {
            rfc7520_sign(&mut rep, ex, &doc, pin);
        }
    }
    rep
}

/// Re-makes a deterministic signature byte for byte over the cookbook's signing input.
#[cfg(feature = "alloc")]
fn rfc7520_sign(rep: &mut Report, ex: &str, doc: &Value, pin: Option<Algorithm>) {
    let key = &doc["input"]["key"];
    if s(key, "kty") == "RSA" && !rsa_signing_supported() {
        return rep.na(&format!("{ex}/sign"), NA_RSA_SIGN);
    }
    let signing = &doc["signing"];
    let text = serde_json::to_vec(key).expect("serialize");
    let got = match Jwk::parse(&text)
        .and_then(|j| j.to_signing_key(pin_for(key, pin)))
        .and_then(|k| k.sign(s(signing, "sig-input").as_bytes()))
    {
        Ok(sig) if b64_encode(&sig) == s(signing, "sig") => Outcome::Valid,
        Ok(sig) => rejected("runner:signature_differs", b64_encode(&sig)),
        Err(e) => from_key(e),
    };
    judge(
        rep,
        &serde_json::json!({"id": format!("{ex}/sign"), "expect": "valid"}),
        got,
    );
}

#[cfg(not(feature = "alloc"))]
fn rfc7520_sign(rep: &mut Report, ex: &str, _: &Value, _: Option<Algorithm>) {
    rep.na(&format!("{ex}/sign"), NA_SIGN);
}

// ---------------------------------------------------------------------------------------------
// Tests: one per vector source
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc7515() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc7515.json")]);
}

#[test]
fn rfc7517() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc7517.json")]);
}

#[test]
fn rfc7638() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc7638.json")]);
}

#[test]
fn rfc7636() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc7636.json")]);
}

#[test]
fn rfc8037() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc8037.json")]);
}

#[test]
fn rfc9864() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc9864.json")]);
}

#[test]
fn oidc() {
    let _done = Finish;
    finish(&[run_our_file("vectors/oidc.json")]);
}

#[test]
fn rfc9449() {
    let _done = Finish;
    finish(&[run_our_file("vectors/rfc9449.json")]);
}

#[test]
fn jwt_cases() {
    let _done = Finish;
    finish(&[run_our_file("vectors/jwt_cases.json")]);
}

#[test]
fn rfc7520() {
    let _done = Finish;
    finish(&[rfc7520_jwks(), rfc7520_jws()]);
}

#[test]
fn wycheproof_jws() {
    let _done = Finish;
    finish(&[run_wycheproof_jose(
        "vectors/wycheproof/json_web_signature_test.json",
        "wycheproof/json_web_signature_test",
    )]);
}

#[test]
fn wycheproof_jwk() {
    let _done = Finish;
    finish(&[run_wycheproof_jose(
        "vectors/wycheproof/json_web_key_test.json",
        "wycheproof/json_web_key_test",
    )]);
}

#[test]
fn wycheproof_jose_crypto() {
    let _done = Finish;
    finish(&[run_wycheproof_jose(
        "vectors/wycheproof/json_web_crypto_test.json",
        "wycheproof/json_web_crypto_test",
    )]);
}

#[test]
fn wycheproof_jwe() {
    let _done = Finish;
    // Counted so the summary covers every file; a signature-only core has no JWE.
    let doc = load("vectors/wycheproof/json_web_encryption_test.json");
    let mut rep = Report::new("wycheproof/json_web_encryption_test");
    for g in doc["testGroups"].as_array().expect("groups") {
        for t in tests_of(g) {
            rep.na(&tc(t), NA_JWE);
        }
    }
    finish(&[rep]);
}

#[test]
fn wycheproof_ecdsa_p256() {
    let _done = Finish;
    finish(&[
        run_wycheproof_ecdsa(
            "ecdsa_secp256r1_sha256_p1363_test.json",
            Some(Algorithm::ES256),
        ),
        run_wycheproof_ecdsa("ecdsa_secp256r1_sha512_p1363_test.json", None),
    ]);
}

#[test]
fn wycheproof_ecdsa_p384() {
    let _done = Finish;
    finish(&[
        run_wycheproof_ecdsa(
            "ecdsa_secp384r1_sha384_p1363_test.json",
            Some(Algorithm::ES384),
        ),
        run_wycheproof_ecdsa("ecdsa_secp384r1_sha512_p1363_test.json", None),
    ]);
}

#[test]
fn wycheproof_ecdsa_p521() {
    let _done = Finish;
    finish(&[run_wycheproof_ecdsa(
        "ecdsa_secp521r1_sha512_p1363_test.json",
        Some(Algorithm::ES512),
    )]);
}

#[test]
fn wycheproof_ed25519() {
    let _done = Finish;
    finish(&[run_wycheproof_ed25519()]);
}

#[test]
fn wycheproof_rsa_pkcs1() {
    let _done = Finish;
    let reports: Vec<Report> = [
        "rsa_signature_2048_sha256_test.json",
        "rsa_signature_2048_sha384_test.json",
        "rsa_signature_2048_sha512_test.json",
        "rsa_signature_3072_sha256_test.json",
        "rsa_signature_3072_sha384_test.json",
        "rsa_signature_3072_sha512_test.json",
        "rsa_signature_4096_sha256_test.json",
        "rsa_signature_4096_sha384_test.json",
        "rsa_signature_4096_sha512_test.json",
    ]
    .into_iter()
    .map(|f| run_wycheproof_rsa(f, false))
    .collect();
    finish(&reports);
}

#[test]
fn wycheproof_rsa_pss() {
    let _done = Finish;
    let reports: Vec<Report> = [
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha384_mgf1_48_test.json",
        "rsa_pss_4096_sha512_mgf1_64_test.json",
    ]
    .into_iter()
    .map(|f| run_wycheproof_rsa(f, true))
    .collect();
    finish(&reports);
}

#[test]
fn wycheproof_hmac() {
    let _done = Finish;
    finish(&[
        run_wycheproof_hmac("hmac_sha256_test.json", Algorithm::HS256),
        run_wycheproof_hmac("hmac_sha384_test.json", Algorithm::HS384),
        run_wycheproof_hmac("hmac_sha512_test.json", Algorithm::HS512),
    ]);
}
