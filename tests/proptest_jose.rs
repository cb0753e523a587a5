//! Property tests of JWS/JWT signing and verification (issue 3, item 3).
//!
//! For every algorithm this build supports (HS256/384/512, RS*/PS* with the RFC 7520
//! §3.4 RSA key pinned per algorithm when ring or `rustcrypto-rsa` verifies RSA,
//! ES256/ES384 from PKCS#8, EdDSA, and ES512 when the backend has P-521), over
//! arbitrary claim sets:
//! - what is signed verifies, and the verified claims equal what was signed (through
//!   `Claims::deserialize` and through every accessor);
//! - the time rules hold exactly as RFC 7519 §4.1.4-4.1.6 state them (a model computes
//!   the expected outcome: expired iff `now >= exp + leeway`, not yet valid iff
//!   `now + leeway < nbf`, issued in the future iff `iat > now + leeway`, too old iff
//!   `now > iat + max_age + leeway`), including fractional NumericDates (truncated);
//! - the same claims, re-encoded by hand in another member order, with other
//!   whitespace and gratuitous `\u` escapes (also in member names, so `"\u0065xp"` is
//!   `exp`), verify to the same claims and the same outcome;
//! - a token never verifies under another key of the same algorithm (a one-bit-different
//!   HMAC secret, another RSA/EC/Ed25519 key with the same `kid`), nor under a key pinned
//!   to any other algorithm (including the same RSA material or HMAC secret);
//! - changing any single byte of the token makes verification fail.
//!
//! Keys come from `vectors/` (RFC 7520 §3.4, RFC 7515 A.4, RFC 8037, and
//! `jwt_cases.json`'s independently generated keys) through oauth-core's own
//! constructors (`Jwk::to_signing_key`, `SigningKey::from_pkcs8` over PKCS#8 documents
//! assembled here), so nothing depends on which crypto backend is linked. The run is
//! deterministic: a fixed seed and a fixed number of cases per property.
#![cfg(feature = "alloc")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use oauth_core::encoding::base64url;
use oauth_core::jose::{
    Algorithm, HeaderPolicy, JoseError, Jwk, KeyError, SigningKey, Validation, VerifyingKey,
    sign_compact, sign_jwt, verify_compact,
};
use oauth_core::time::{Duration, Leeway, UnixTime};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Value, json};

/// Deterministic configuration: fixed seed, fixed case count, no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x0a07_c0de_7519),
        max_shrink_iters: 2048,
        max_shrink_time: 20_000,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

const RFC7520_RSA: &str = include_str!("../vectors/rfc7520/jwk/3_4.rsa_private_key.json");
const RFC7520_P521: &str = include_str!("../vectors/rfc7520/jwk/3_2.ec_private_key.json");
const RFC7515: &str = include_str!("../vectors/rfc7515.json");
const RFC8037: &str = include_str!("../vectors/rfc8037.json");
const JWT_CASES: &str = include_str!("../vectors/jwt_cases.json");

/// The algorithms, keys A and B (same algorithm) for each supported algorithm.
struct AlgKeys {
    alg: Algorithm,
    /// Key A, private.
    signer: Signer,
    /// Key A, for verification.
    verifier: VerifyingKey,
    /// Key B: same algorithm and `kid` as A, different key.
    other: VerifyingKey,
}

struct KeyRing {
    keys: Vec<AlgKeys>,
    /// Algorithms the backend refused (`NotSupportedByBackend`).
    unsupported: Vec<Algorithm>,
    /// Keys that failed to build for another reason: a bug, reported by every test
    /// (once built, never retried: a panicking initialiser would run again for every
    /// case and every shrink step).
    failures: Vec<String>,
}

impl KeyRing {
    fn get(&self, alg: Algorithm) -> Option<&AlgKeys> {
        self.keys.iter().find(|k| k.alg == alg)
    }
}

fn b64(s: &str) -> Vec<u8> {
    base64url::decode_secret_vec(s.as_bytes()).expect("vector base64url")
}

fn jwt_case_key(cases: &Value, name: &str) -> Map<String, Value> {
    cases["keys"][name].as_object().expect(name).clone()
}

/// A JWK object without `alg` and `kid`, so that it can be pinned to any algorithm of
/// its family.
fn unpinned(mut jwk: Map<String, Value>) -> Vec<u8> {
    jwk.remove("alg");
    jwk.remove("kid");
    serde_json::to_vec(&jwk).unwrap()
}

/// A DER TLV (X.690 §8.1), definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    match u8::try_from(len) {
        Ok(l) if l < 0x80 => out.push(l),
        Ok(l) => out.extend_from_slice(&[0x81, l]),
        Err(_) => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
}

fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// PKCS#8 v1 (RFC 5958) of an EC private key with its public key (SEC1 ECPrivateKey,
/// RFC 5915), for P-256 or P-384.
fn ec_pkcs8(alg: Algorithm, d: &[u8], x: &[u8], y: &[u8]) -> Vec<u8> {
    // id-ecPublicKey, then the named curve (RFC 5480 §2.1.1.1).
    let ec_public_key = tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
    let curve = match alg {
        Algorithm::ES256 => tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
        Algorithm::ES384 => tlv(0x06, &[0x2b, 0x81, 0x04, 0x00, 0x22]),
        _ => unreachable!(),
    };
    let public = tlv(0xa1, &tlv(0x03, &concat(&[&[0x00, 0x04], x, y])));
    let ec_private_key = tlv(
        0x30,
        &concat(&[&[0x02, 0x01, 0x01], &tlv(0x04, d), &public]),
    );
    tlv(
        0x30,
        &concat(&[
            &[0x02, 0x01, 0x00],
            &tlv(0x30, &concat(&[&ec_public_key, &curve])),
            &tlv(0x04, &ec_private_key),
        ]),
    )
}

/// PKCS#8 v1 of an Ed25519 seed (RFC 8410 §7).
fn ed25519_pkcs8(seed: &[u8]) -> Vec<u8> {
    tlv(
        0x30,
        &concat(&[
            &[0x02, 0x01, 0x00],
            &tlv(0x30, &tlv(0x06, &[0x2b, 0x65, 0x70])),
            &tlv(0x04, &tlv(0x04, seed)),
        ]),
    )
}

/// Who signs key A's tokens: oauth-core's signer, or, for RSA in a build whose
/// backend verifies RSA but does not sign with it, ring directly (a dev-dependency),
/// so that verification is still exercised.
enum Signer {
    Ours(SigningKey),
    RingRsa {
        alg: Algorithm,
        pair: ring::signature::RsaKeyPair,
        kid: String,
    },
}

impl Signer {
    fn kid(&self) -> Option<&str> {
        match self {
            Self::Ours(k) => k.kid(),
            Self::RingRsa { kid, .. } => Some(kid),
        }
    }

    /// A compact JWS over `payload`, header `alg`, `kid`, `typ`.
    fn sign_compact(&self, payload: &[u8], typ: Option<&str>) -> String {
        let (alg, pair, kid) = match self {
            Self::Ours(k) => return sign_compact(payload, k, typ, None).unwrap(),
            Self::RingRsa { alg, pair, kid } => (*alg, pair, kid),
        };
        let mut header = Map::new();
        header.insert("alg".into(), alg.name().into());
        header.insert("kid".into(), kid.as_str().into());
        if let Some(t) = typ {
            header.insert("typ".into(), t.into());
        }
        let mut out = base64url::encode_string(&serde_json::to_vec(&header).unwrap());
        out.push('.');
        out.push_str(&base64url::encode_string(payload));
        use ring::signature as s;
        let padding: &'static dyn s::RsaEncoding = match alg {
            Algorithm::RS256 => &s::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &s::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &s::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &s::RSA_PSS_SHA256,
            Algorithm::PS384 => &s::RSA_PSS_SHA384,
            Algorithm::PS512 => &s::RSA_PSS_SHA512,
            _ => unreachable!(),
        };
        let mut sig = vec![0u8; pair.public().modulus_len()];
        let rng = ring::rand::SystemRandom::new();
        pair.sign(padding, &rng, out.as_bytes(), &mut sig).unwrap();
        out.push('.');
        out.push_str(&base64url::encode_string(&sig));
        out
    }

    /// A JWT over `claims` (through `sign_jwt` when the signer is ours).
    fn sign_jwt(&self, claims: &Value, typ: Option<&str>) -> String {
        match self {
            Self::Ours(k) => sign_jwt(claims, k, typ).unwrap(),
            Self::RingRsa { .. } => self.sign_compact(&serde_json::to_vec(claims).unwrap(), typ),
        }
    }
}

/// ring's key pair for an RSA private JWK.
fn ring_rsa(jwk: &Value) -> ring::signature::RsaKeyPair {
    let m = |name: &str| b64(jwk[name].as_str().unwrap());
    let (n, e, d, p, q, dp, dq, qi) = (
        m("n"),
        m("e"),
        m("d"),
        m("p"),
        m("q"),
        m("dp"),
        m("dq"),
        m("qi"),
    );
    ring::signature::RsaKeyPair::from_components(&ring::rsa::KeyPairComponents {
        public_key: ring::rsa::PublicKeyComponents { n: &n, e: &e },
        d: &d,
        p: &p,
        q: &q,
        dP: &dp,
        dQ: &dq,
        qInv: &qi,
    })
    .unwrap()
}

/// Builds keys A and B for `alg`; `Err(NotSupportedByBackend)` when this build
/// cannot verify `alg`.
fn build(alg: Algorithm, cases: &Value) -> Result<AlgKeys, KeyError> {
    // One secret, one RSA key and so on per family: keys pinned to another algorithm
    // of the family are then the same material under another pin.
    let secret: Vec<u8> = (0u8..64)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect();
    let (signer, verifier, other) = match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            let mut b = secret.clone();
            b[63] ^= 1; // one bit away
            (
                Signer::Ours(SigningKey::hmac(alg, &secret)?),
                VerifyingKey::hmac(alg, &secret)?,
                VerifyingKey::hmac(alg, &b)?,
            )
        }
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => {
            // RFC 7520 §3.4 has no `alg`: pinned here. Key B: jwt_cases' RS256 key.
            let a = Jwk::parse(RFC7520_RSA.as_bytes()).unwrap();
            let verifier = a.to_verifying_key(Some(alg))?;
            let signer = match a.to_signing_key(Some(alg)) {
                Ok(k) => Signer::Ours(k),
                Err(KeyError::NotSupportedByBackend) => Signer::RingRsa {
                    alg,
                    pair: ring_rsa(&serde_json::from_str(RFC7520_RSA).unwrap()),
                    kid: verifier.kid().unwrap().to_owned(),
                },
                Err(e) => return Err(e),
            };
            let b = unpinned(jwt_case_key(cases, "rs256"));
            let other = Jwk::parse(&b).unwrap().to_verifying_key(Some(alg))?;
            (signer, verifier, other)
        }
        Algorithm::ES256 | Algorithm::ES384 => {
            let (a, b) = if alg == Algorithm::ES256 {
                ("es256", "attacker-es256")
            } else {
                ("es384", "p384-used-with-es256")
            };
            let a = jwt_case_key(cases, a);
            let s = |m: &str| b64(a[m].as_str().unwrap());
            let der = ec_pkcs8(alg, &s("d"), &s("x"), &s("y"));
            let signer = SigningKey::from_pkcs8(alg, &der)?;
            let verifier = signer.verifying_key()?;
            // The same key from its JWK must be the same key.
            let from_jwk = Jwk::parse(&unpinned(a.clone()))
                .unwrap()
                .to_signing_key(Some(alg))?;
            let sig = from_jwk.sign(b"x")?;
            verifier.verify_signature(b"x", &sig).unwrap();
            let b = unpinned(jwt_case_key(cases, b));
            let other = Jwk::parse(&b).unwrap().to_verifying_key(Some(alg))?;
            (Signer::Ours(signer), verifier, other)
        }
        Algorithm::EdDSA => {
            let a = jwt_case_key(cases, "eddsa");
            let seed = b64(a["d"].as_str().unwrap());
            let signer = SigningKey::from_pkcs8(alg, &ed25519_pkcs8(&seed))?;
            let verifier = signer.verifying_key()?;
            // Key B: RFC 8037 A.1's public key.
            let doc: Value = serde_json::from_str(RFC8037).unwrap();
            let x = find_key(&doc, "Ed25519").expect("RFC 8037 key")["x"]
                .as_str()
                .unwrap()
                .to_owned();
            assert_ne!(x, a["x"].as_str().unwrap());
            let other = VerifyingKey::ed25519(&b64(&x))?;
            (Signer::Ours(signer), verifier, other)
        }
        Algorithm::ES512 => {
            let a = Jwk::parse(RFC7520_P521.as_bytes()).unwrap();
            let signer = a.to_signing_key(Some(alg))?;
            let verifier = signer.verifying_key()?;
            // Key B: RFC 7515 A.4's public key.
            let doc: Value = serde_json::from_str(RFC7515).unwrap();
            let b = find_key(&doc, "P-521").expect("RFC 7515 A.4 key");
            let other = Jwk::parse(&serde_json::to_vec(b).unwrap())
                .unwrap()
                .to_verifying_key(Some(alg))?;
            (Signer::Ours(signer), verifier, other)
        }
        _ => unreachable!("{alg}"),
    };
    let other = match signer.kid() {
        Some(kid) => other.with_kid(kid)?,
        None => other,
    };
    Ok(AlgKeys {
        alg,
        signer,
        verifier,
        other,
    })
}

/// The first JWK in `doc` with this `crv`.
fn find_key<'v>(doc: &'v Value, crv: &str) -> Option<&'v Value> {
    match doc {
        Value::Object(m) if m.get("crv").and_then(Value::as_str) == Some(crv) => Some(doc),
        Value::Object(m) => m.values().find_map(|v| find_key(v, crv)),
        Value::Array(a) => a.iter().find_map(|v| find_key(v, crv)),
        _ => None,
    }
}

/// The keys, or why they could not all be built (reported by every test, without a
/// panic, so that proptest does not print a panic per shrink step).
fn keyring() -> Result<&'static KeyRing, String> {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    let ring = RING.get_or_init(|| {
        let cases: Value = serde_json::from_str(JWT_CASES).unwrap();
        let mut ring = KeyRing {
            keys: Vec::new(),
            unsupported: Vec::new(),
            failures: Vec::new(),
        };
        for alg in Algorithm::ALL {
            // `to_signing_key`/`from_pkcs8` must report an algorithm the backend
            // lacks as `NotSupportedByBackend`, never as a bad key.
            match std::panic::catch_unwind(|| build(alg, &cases)) {
                Ok(Ok(k)) => ring.keys.push(k),
                Ok(Err(KeyError::NotSupportedByBackend)) => ring.unsupported.push(alg),
                Ok(Err(e)) => ring.failures.push(format!("{alg}: {e:?}")),
                Err(_) => ring.failures.push(format!("{alg}: panicked")),
            }
        }
        // The core-tier algorithms are always there; ES384 with P-384 (`es384`).
        for must in [
            Algorithm::HS256,
            Algorithm::HS384,
            Algorithm::HS512,
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::EdDSA,
        ] {
            if must == Algorithm::ES384 && !cfg!(feature = "es384") {
                continue;
            }
            if ring.unsupported.contains(&must) {
                ring.failures.push(format!("{must} unsupported"));
            }
        }
        // RS*/PS* exactly when the build has an RSA verifier: ring, or RustCrypto's
        // with `rustcrypto-rsa` (not part of `alloc`).
        let rsa = cfg!(any(feature = "ring", feature = "rustcrypto-rsa"));
        for alg in [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ] {
            if ring.unsupported.contains(&alg) == rsa {
                ring.failures
                    .push(format!("{alg}: supported is not {rsa} in this build"));
            }
        }
        ring
    });
    if ring.failures.is_empty() {
        Ok(ring)
    } else {
        Err(format!("key setup: {:?}", ring.failures))
    }
}

#[test]
fn supported_algorithms() {
    let ring = keyring().unwrap();
    let names: Vec<_> = ring
        .keys
        .iter()
        .map(|k| match k.signer {
            Signer::Ours(_) => k.alg.name().to_owned(),
            Signer::RingRsa { .. } => format!("{} (signed by ring)", k.alg),
        })
        .collect();
    println!(
        "supported: {names:?}; skipped (backend): {:?}",
        ring.unsupported
    );
}

// ---------------------------------------------------------------------------------------------
// Arbitrary claims
// ---------------------------------------------------------------------------------------------

/// Strings biased towards what needs escaping: quotes, backslashes, controls, DEL,
/// line separators, BOM, replacement character, astral characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    let special = proptest::sample::select(vec![
        '"',
        '\\',
        '/',
        '\u{0}',
        '\n',
        '\t',
        '\u{1f}',
        '\u{7f}',
        '\u{80}',
        '\u{2028}',
        '\u{feff}',
        '\u{fffd}',
        'é',
        '€',
        '😀',
        '\u{10ffff}',
        ' ',
        '.',
    ]);
    let ch = prop_oneof![
        3 => proptest::char::range('a', 'z'),
        2 => special,
        1 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..max).prop_map(|v| v.into_iter().collect())
}

/// Arbitrary JSON values whose numbers survive a serde_json round trip exactly
/// (integers, and multiples of 1/8).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-(1i64 << 40)..(1i64 << 40)).prop_map(|k| Value::from(k as f64 / 8.0)),
        text(12).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(text(8), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// A NumericDate: whole seconds, written as an integer or with a fraction of 1/2
/// (which RFC 7519 §2 allows and which is truncated).
#[derive(Clone, Copy, Debug)]
struct Date {
    secs: u64,
    half: bool,
}

impl Date {
    fn json(self) -> Value {
        if self.half && self.secs < (1 << 52) {
            Value::from(self.secs as f64 + 0.5)
        } else {
            Value::from(self.secs)
        }
    }
}

#[derive(Clone, Debug)]
struct ClaimSet {
    now: u64,
    iss: String,
    /// The audience the validation expects.
    audience: String,
    /// `None`: `aud` is the expected audience as a string; `Some(v)`: an array.
    aud_array: Option<Vec<String>>,
    sub: Option<String>,
    jti: Option<String>,
    exp: Option<Date>,
    nbf: Option<Date>,
    iat: Option<Date>,
    custom: BTreeMap<String, Value>,
    leeway: u64,
    exp_required: bool,
    max_age: Option<u64>,
    typ: Option<&'static str>,
    /// Drives member order, whitespace and optional escapes of the hand encoding.
    encoding_seed: u64,
}

impl ClaimSet {
    /// The members, in this (canonical) order.
    fn members(&self) -> Vec<(String, Value)> {
        let mut m = vec![
            ("iss".to_owned(), Value::from(self.iss.clone())),
            (
                "aud".to_owned(),
                match &self.aud_array {
                    None => Value::from(self.audience.clone()),
                    Some(a) => Value::from(a.clone()),
                },
            ),
        ];
        let mut opt = |name: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.push((name.to_owned(), v));
            }
        };
        opt("sub", self.sub.clone().map(Value::from));
        opt("jti", self.jti.clone().map(Value::from));
        opt("exp", self.exp.map(Date::json));
        opt("nbf", self.nbf.map(Date::json));
        opt("iat", self.iat.map(Date::json));
        m.extend(self.custom.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }

    fn value(&self) -> Value {
        Value::Object(self.members().into_iter().collect())
    }

    fn leeway(&self) -> u64 {
        self.leeway.min(Leeway::MAX.duration().as_secs())
    }

    fn validation(&self) -> Validation<'_> {
        let mut v = Validation::new(&self.iss, &self.audience)
            .leeway(Leeway::new(Duration::from_secs(self.leeway)))
            .max_token_len(1 << 20);
        if !self.exp_required {
            v = v.exp_optional();
        }
        if let Some(age) = self.max_age {
            v = v.max_age(Duration::from_secs(age));
        }
        if self.typ == Some("at+jwt") {
            // RFC 7515 §4.1.9: case-insensitive, optional "application/".
            v = v.typ("application/AT+JWT");
        }
        v
    }

    /// The outcome RFC 7519 prescribes, computed without saturation.
    fn expected(&self) -> Result<(), JoseError> {
        let (now, lw) = (u128::from(self.now), u128::from(self.leeway()));
        let secs = |d: Option<Date>| d.map(|d| u128::from(d.secs));
        match secs(self.exp) {
            Some(exp) if now >= exp + lw => return Err(JoseError::Expired),
            None if self.exp_required => return Err(JoseError::MissingClaim("exp")),
            _ => {}
        }
        if secs(self.nbf).is_some_and(|nbf| now + lw < nbf) {
            return Err(JoseError::NotYetValid);
        }
        if secs(self.iat).is_some_and(|iat| iat > now + lw) {
            return Err(JoseError::IssuedInFuture);
        }
        if let Some(age) = self.max_age {
            let iat = secs(self.iat).ok_or(JoseError::MissingClaim("iat"))?;
            if now > iat + u128::from(age) + lw {
                return Err(JoseError::TooOld);
            }
        }
        Ok(())
    }
}

/// A date near `now`, biased to the exact boundaries of the time rules (`now`,
/// `now ± leeway`, `now - max_age - leeway`, each ± 2 s), or an extreme one.
fn date(now: u64, leeway: u64, max_age: Option<u64>) -> impl Strategy<Value = Date> {
    let lw = leeway.min(Leeway::MAX.duration().as_secs());
    let anchors = vec![
        now,
        now.saturating_add(lw),
        now.saturating_sub(lw),
        now.saturating_sub(max_age.unwrap_or(0).saturating_add(lw)),
    ];
    let secs = prop_oneof![
        4 => (-700i64..=700).prop_map(move |d| now.saturating_add_signed(d)),
        4 => (proptest::sample::select(anchors), -2i64..=2)
            .prop_map(|(a, d)| a.saturating_add_signed(d)),
        1 => proptest::sample::select(vec![0, 1 << 53, (1 << 53) + 1, u64::MAX - 1, u64::MAX]),
    ];
    (secs, any::<bool>()).prop_map(|(secs, half)| Date { secs, half })
}

fn claim_set() -> impl Strategy<Value = ClaimSet> {
    let now = prop_oneof![
        3 => Just(1_700_000_000u64),
        1 => 0u64..(1 << 40),
    ];
    let clock = (now, 0u64..=400, proptest::option::weighted(0.4, 0u64..900));
    clock
        .prop_flat_map(|(now, leeway, max_age)| {
            let aud = (
                text(16),
                proptest::option::of((proptest::collection::vec(text(10), 0..4), any::<usize>())),
            );
            let custom =
                proptest::collection::btree_map(text(10), json_value(), 0..5).prop_map(|m| {
                    m.into_iter()
                        .filter(|(k, _)| !REGISTERED.contains(&k.as_str()))
                        .collect()
                });
            let opts = (
                Just((now, leeway, max_age)),
                prop_oneof![4 => Just(true), 1 => Just(false)],
                proptest::sample::select(vec![None, Some("JWT"), Some("at+jwt")]),
                any::<u64>(),
            );
            let date = move || date(now, leeway, max_age);
            // `iat` against `max_age`: often right at `now - max_age - leeway`.
            let lw = leeway.min(Leeway::MAX.duration().as_secs());
            let oldest = now.saturating_sub(max_age.unwrap_or(0).saturating_add(lw));
            let iat = prop_oneof![
                date(),
                (-2i64..=2).prop_map(move |d| Date {
                    secs: oldest.saturating_add_signed(d),
                    half: false,
                }),
            ];
            (
                text(16),
                aud,
                proptest::option::of(text(16)),
                proptest::option::of(text(16)),
                proptest::option::weighted(0.9, date()),
                proptest::option::weighted(0.4, date()),
                proptest::option::weighted(0.6, iat),
                custom,
                opts,
            )
        })
        .prop_map(
            |(iss, (audience, aud), sub, jti, exp, nbf, iat, custom, opts)| {
                let ((now, leeway, max_age), exp_required, typ, encoding_seed) = opts;
                let aud_array = aud.map(|(mut others, pos)| {
                    let at = pos % (others.len() + 1);
                    others.insert(at, audience.clone());
                    others
                });
                ClaimSet {
                    now,
                    iss,
                    audience,
                    aud_array,
                    sub,
                    jti,
                    exp,
                    nbf,
                    iat,
                    custom,
                    leeway,
                    exp_required,
                    max_age,
                    typ,
                    encoding_seed,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// A second, independent JSON encoder: shuffled members, random whitespace, optional escapes
// ---------------------------------------------------------------------------------------------

/// xorshift64*, for encoding choices derived from one generated seed.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
    fn ws(&mut self, out: &mut String) {
        out.push_str(["", "", "", " ", "\n", "\t", "\r\n  "][(self.next() % 7) as usize]);
    }
}

fn write_str(s: &str, out: &mut String, c: &mut Choices) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if c.one_in(2) => out.push_str("\\n"),
            '/' if c.one_in(2) => out.push_str("\\/"),
            ch if (ch as u32) < 0x20 || c.one_in(5) => {
                let mut units = [0u16; 2];
                for u in ch.encode_utf16(&mut units) {
                    if c.one_in(2) {
                        write!(out, "\\u{u:04x}").unwrap();
                    } else {
                        write!(out, "\\u{u:04X}").unwrap();
                    }
                }
            }
            ch => out.push(ch),
        }
    }
    out.push('"');
}

fn write_value(v: &Value, out: &mut String, c: &mut Choices) {
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&v.to_string()),
        Value::String(s) => write_str(s, out, c),
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                c.ws(out);
                write_value(e, out, c);
                c.ws(out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let members: Vec<_> = m.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            write_object(members, out, c);
        }
    }
}

/// Writes the members in a shuffled order.
fn write_object(mut members: Vec<(String, Value)>, out: &mut String, c: &mut Choices) {
    for i in (1..members.len()).rev() {
        let j = (c.next() % (i as u64 + 1)) as usize;
        members.swap(i, j);
    }
    c.ws(out);
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        c.ws(out);
        write_str(k, out, c);
        c.ws(out);
        out.push(':');
        c.ws(out);
        write_value(v, out, c);
        c.ws(out);
    }
    out.push('}');
    c.ws(out);
}

// ---------------------------------------------------------------------------------------------
// The round-trip property
// ---------------------------------------------------------------------------------------------

fn decoded(s: oauth_core::encoding::json::JsonStr<'_>) -> String {
    s.chars().collect()
}

/// Verifies `token` (signed by `k` over `cs`) and checks every property: key B
/// only when `key_b` (each verification costs a signature check, and the debug-build
/// RustCrypto curves are slow).
fn check_token(
    k: &AlgKeys,
    cs: &ClaimSet,
    token: &str,
    flips: &[(usize, u8)],
    key_b: bool,
) -> Result<(), TestCaseError> {
    let ring = keyring().map_err(TestCaseError::fail)?;
    let v = cs.validation();
    let now = UnixTime::from_secs(cs.now);
    let mut scratch = vec![0u8; token.len()];
    let expected = cs.expected();
    match v.verify(token, &k.verifier, now, &mut scratch) {
        Ok(jwt) => {
            prop_assert_eq!(expected, Ok(()), "accepted");
            let c = jwt.claims();
            prop_assert_eq!(c.deserialize::<Value>().unwrap(), cs.value());
            prop_assert_eq!(jwt.header().alg(), k.alg);
            let kid = jwt.header().kid().map(decoded);
            prop_assert_eq!(kid.as_deref(), k.signer.kid());
            prop_assert_eq!(c.iss().map(decoded), Some(cs.iss.clone()));
            prop_assert_eq!(c.sub().map(decoded), cs.sub.clone());
            prop_assert_eq!(c.jti().map(decoded), cs.jti.clone());
            let aud: Vec<String> = c.aud().unwrap().iter().map(decoded).collect();
            let want = cs
                .aud_array
                .clone()
                .unwrap_or_else(|| vec![cs.audience.clone()]);
            prop_assert_eq!(aud, want);
            prop_assert!(c.aud().unwrap().contains(&cs.audience));
            let secs = |d: Option<Date>| d.map(|d| UnixTime::from_secs(d.secs));
            prop_assert_eq!(c.exp(), secs(cs.exp));
            prop_assert_eq!(c.nbf(), secs(cs.nbf));
            prop_assert_eq!(c.iat(), secs(cs.iat));
            for (name, value) in &cs.custom {
                prop_assert!(c.contains(name), "{:?}", name);
                let got = c.get(name).map(|v| v.type_name());
                prop_assert!(got.is_some());
                if let Value::String(s) = value {
                    let got = c.get_str(name).unwrap().map(decoded);
                    prop_assert_eq!(got.as_ref(), Some(s));
                }
            }
        }
        Err(e) => prop_assert_eq!(Err(e), expected),
    }

    // Key B (same algorithm, same kid): the signature does not verify.
    if key_b {
        let r = v.verify(token, &k.other, now, &mut scratch).map(|_| ());
        prop_assert_eq!(r, Err(JoseError::InvalidSignature));
    }

    // Keys pinned to every other algorithm (same material within a family).
    for o in ring.keys.iter().filter(|o| o.alg != k.alg) {
        let r = v.verify(token, &o.verifier, now, &mut scratch).map(|_| ());
        let want = JoseError::AlgorithmMismatch {
            expected: o.alg,
            found: k.alg,
        };
        prop_assert_eq!(r, Err(want));
    }

    // Any single changed byte.
    for &(pos, mask) in flips {
        let mut t = token.as_bytes().to_vec();
        let i = pos % t.len();
        t[i] ^= mask; // mask in 1..=127 keeps the token ASCII
        let t = String::from_utf8(t).unwrap();
        let r = v.verify(&t, &k.verifier, now, &mut scratch).map(|_| ());
        prop_assert!(r.is_err(), "byte {} ^ {:#x} accepted", i, mask);
    }
    Ok(())
}

fn round_trip(alg: Algorithm, cs: &ClaimSet, flips: &[(usize, u8)]) -> Result<(), TestCaseError> {
    let Some(k) = keyring().map_err(TestCaseError::fail)?.get(alg) else {
        return Ok(()); // not in this build (ES512 under ring, ES384/ES512 without their features)
    };
    // serde_json's encoding, through sign_jwt.
    let token = k.signer.sign_jwt(&cs.value(), cs.typ);
    check_token(k, cs, &token, flips, true)?;
    // The same claims in another member order, whitespace and escaping.
    let mut payload = String::new();
    let mut c = Choices(cs.encoding_seed);
    write_object(cs.members(), &mut payload, &mut c);
    let token2 = k.signer.sign_compact(payload.as_bytes(), cs.typ);
    check_token(k, cs, &token2, &flips[..1], false)
}

fn flips() -> impl Strategy<Value = Vec<(usize, u8)>> {
    proptest::collection::vec((any::<usize>(), 1u8..=127), 3)
}

macro_rules! round_trip_tests {
    ($cases:expr; $($name:ident => $alg:ident),* $(,)?) => {
        proptest! {
            #![proptest_config(config($cases))]
            $(
                #[test]
                fn $name(cs in claim_set(), f in flips()) {
                    round_trip(Algorithm::$alg, &cs, &f)?;
                }
            )*
        }
    };
}

round_trip_tests! { 256;
    round_trip_hs256 => HS256,
    round_trip_hs384 => HS384,
    round_trip_hs512 => HS512,
}

// Signatures are the slow part of a debug build (RustCrypto's P-384, P-521 and
// Ed25519 take ~10 ms per operation unoptimised; ring's RSA signing): fewer cases.
// The claim-set and time-rule logic does not depend on the algorithm and gets its
// 3 x 256 cases above; every case here still signs twice and runs seven signature
// verifications.
round_trip_tests! { 128;
    round_trip_es256 => ES256,
}

round_trip_tests! { 64;
    round_trip_es384 => ES384,
    round_trip_es512 => ES512,
    round_trip_eddsa => EdDSA,
    round_trip_rs256 => RS256,
    round_trip_rs384 => RS384,
    round_trip_rs512 => RS512,
    round_trip_ps256 => PS256,
    round_trip_ps384 => PS384,
    round_trip_ps512 => PS512,
}

// ---------------------------------------------------------------------------------------------
// JWS over arbitrary payloads and extra header members; HMAC over arbitrary secrets
// ---------------------------------------------------------------------------------------------

/// Header members of RFC 7515 that `Header::parse` type-checks or refuses.
const HEADER_REGISTERED: [&str; 15] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "b64",
];

proptest! {
    #![proptest_config(config(256))]

    /// Any payload bytes (not only JSON) and any extra header members sign and verify
    /// as a JWS under every supported algorithm but RSA (covered above); the header
    /// read back is the one written.
    #[test]
    fn jws_round_trip(
        payload in proptest::collection::vec(any::<u8>(), 0..300),
        extra in proptest::collection::btree_map(text(10), json_value(), 0..4),
        typ in proptest::option::of(text(12)),
        alg in proptest::sample::select(vec![
            Algorithm::HS256, Algorithm::HS512, Algorithm::ES256,
            Algorithm::ES384, Algorithm::ES512, Algorithm::EdDSA,
        ]),
    ) {
        let ring = keyring().map_err(TestCaseError::fail)?;
        let Some(k @ AlgKeys { signer: Signer::Ours(signer), .. }) = ring.get(alg) else {
            return Ok(());
        };
        let extra: Map<String, Value> = extra
            .into_iter()
            .filter(|(n, _)| !HEADER_REGISTERED.contains(&n.as_str()))
            .collect();
        let token = sign_compact(&payload, signer, typ.as_deref(), Some(&extra)).unwrap();
        let mut scratch = vec![0u8; token.len()];
        let jws = verify_compact(&token, &k.verifier, &HeaderPolicy::default(), &mut scratch)
            .unwrap();
        prop_assert_eq!(jws.payload(), &payload[..]);
        prop_assert_eq!(jws.header().alg(), alg);
        prop_assert_eq!(jws.header().typ().map(decoded), typ.clone());
        let header: Value = serde_json::from_slice(jws.header().object().raw()).unwrap();
        let mut want = extra.clone();
        want.insert("alg".into(), alg.name().into());
        if let Some(kid) = signer.kid() {
            want.insert("kid".into(), kid.into());
        }
        if let Some(t) = &typ {
            want.insert("typ".into(), t.clone().into());
        }
        prop_assert_eq!(header, Value::Object(want));
        let mut scratch = vec![0u8; token.len()];
        let r = verify_compact(&token, &k.other, &HeaderPolicy::default(), &mut scratch);
        prop_assert_eq!(r.map(|_| ()).unwrap_err(), JoseError::InvalidSignature);
    }

    /// HMAC over arbitrary secrets: a secret of at least the hash length signs and
    /// verifies; one changed bit, or the same secret under another HS algorithm, does
    /// not; shorter secrets are refused by both constructors (RFC 7518 §3.2).
    #[test]
    fn hmac_arbitrary_secrets(
        alg in proptest::sample::select(vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]),
        secret in proptest::collection::vec(any::<u8>(), 0..160),
        bit in any::<usize>(),
        claims in json_value(),
    ) {
        let min = alg.hash().output_len();
        if secret.len() < min {
            prop_assert_eq!(SigningKey::hmac(alg, &secret).unwrap_err(), KeyError::HmacKeyTooShort);
            prop_assert_eq!(VerifyingKey::hmac(alg, &secret).unwrap_err(), KeyError::HmacKeyTooShort);
            return Ok(());
        }
        let claims = json!({ "iss": "i", "aud": "a", "exp": 2_000_000_000u64, "x": claims });
        let token = sign_jwt(&claims, &SigningKey::hmac(alg, &secret).unwrap(), None).unwrap();
        let v = Validation::new("i", "a").max_token_len(1 << 20);
        let now = UnixTime::from_secs(1_700_000_000);
        let mut scratch = vec![0u8; token.len()];
        let key = VerifyingKey::hmac(alg, &secret).unwrap();
        let jwt = v.verify(&token, &key, now, &mut scratch).unwrap();
        prop_assert_eq!(jwt.claims().deserialize::<Value>().unwrap(), claims);
        let mut flipped = secret.clone();
        let bit = bit % (secret.len() * 8);
        flipped[bit / 8] ^= 1 << (bit % 8);
        let key = VerifyingKey::hmac(alg, &flipped).unwrap();
        let r = v.verify(&token, &key, now, &mut scratch).map(|_| ());
        prop_assert_eq!(r, Err(JoseError::InvalidSignature));
        for o in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            if o != alg && secret.len() >= o.hash().output_len() {
                let key = VerifyingKey::hmac(o, &secret).unwrap();
                let r = v.verify(&token, &key, now, &mut scratch).map(|_| ());
                prop_assert_eq!(r, Err(JoseError::AlgorithmMismatch { expected: o, found: alg }));
            }
        }
    }
}
