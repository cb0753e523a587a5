//! The properties every fuzz target asserts, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, nightly) and the corpus-regression test
//! (`tests/fuzz_corpus.rs`, stable), so both run exactly the same checks on an input.
//!
//! Each `pub fn <target>(data)` panics when a property fails and returns normally
//! otherwise. [`run`] dispatches by target name.
//!
//! Both crates include this file with `#[path]`, so it uses only what both have:
//! `oauth_core`, `ring`, `serde_json`, `std`, and (under `alloc`) `form_urlencoded`.
//! `feature = "alloc"` is oauth-core's feature in the test and the fuzz crate's own
//! (default-on) mirror of it in the targets: the core tier of `cargo test` runs
//! every target but `form`, which needs oauth-core's `alloc` API.
//!
//! Fixed material: the keys are the public test keys of `vectors/jwt_cases.json`
//! (and their "twin"/attacker keys), the clock, issuer and audience are those of
//! that file, so seeds taken from it exercise the accepting paths.

// Each fuzz binary uses one entry point of this module.
#![allow(dead_code)]

use std::string::String;
use std::sync::LazyLock;
use std::vec::Vec;

use oauth_core::encoding::base64url::{self, Base64Error};
use oauth_core::encoding::json::{
    self, JsonErrorKind, JsonNumber, JsonObject, JsonStr, JsonValue, Limits,
};
use oauth_core::jose::{
    Algorithm, Claims, CompactJws, DEFAULT_MAX_TOKEN_LEN, Header, HeaderPolicy, JoseError, Jwk,
    JwkSetOptions, KeyError, KeyResolver, Validation, VerifyingKey, parse_jwk_set_into,
    verify_compact,
};
use oauth_core::time::{Duration, Leeway, UnixTime};
use serde_json::Value;

/// Every target, in the order `.ci/fuzz` runs them.
pub const TARGETS: [&str; 8] = [
    "jwt_verify",
    "jws_multi_key",
    "json_scanner",
    "claims",
    "jwk",
    "base64url",
    "form",
    "pkce",
];

/// Runs the properties of `target` on `data`. `false` when the target does not
/// exist in this build (`form` without `alloc`).
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "jwt_verify" => jwt_verify(data),
        "jws_multi_key" => jws_multi_key(data),
        "json_scanner" => json_scanner(data),
        "claims" => claims(data),
        "jwk" => jwk(data),
        "base64url" => base64url(data),
        #[cfg(feature = "alloc")]
        "form" => form(data),
        "pkce" => pkce(data),
        _ => return false,
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Shared helpers and fixed material
// ---------------------------------------------------------------------------------------------

/// `vectors/jwt_cases.json`: clock, issuer, audience.
pub const NOW: u64 = 1_750_000_000;
pub const ISS: &str = "https://issuer.example.com";
pub const AUD: &str = "https://api.example.com";

/// The private test JWKs of `vectors/jwt_cases.json` ("keys"), public test keys.
const JWK_HS256: &str = r#"{"kty":"oct","kid":"hs256-2025","alg":"HS256","use":"sig","k":"qy888VVjPX5QxmA0jw7vdB6-U6ugzdjBlFkUyOwE9CY"}"#;
const JWK_ES256: &str = r#"{"kty":"EC","crv":"P-256","kid":"es256-2025","alg":"ES256","use":"sig","x":"RiNBcp8IWdvcbpVp9teYLwvDePE3Sg77IzNwoUc7-ic","y":"Ei4xQBnNUMkJjdVcVWt-Z0LWL-Zt5j7hEK54s8AcJ64","d":"qae5dGijbTT0x8cJHMHiTZwtHPpSI7UP_FXU2_KbYoo"}"#;
const JWK_ES384: &str = r#"{"kty":"EC","crv":"P-384","kid":"es384-2025","alg":"ES384","use":"sig","x":"ZsMvBMwX9U72f37eNN_Ny9ouoNoYqshtcoflddPP4xq424X44eDpoy-Pkm1Q6WXx","y":"qmJW4IbLn1NwyXxQE8FB6K7p73GAzLiKwbMaefxGfKr-0WpveHe38SEQ4y5JY9BY"}"#;
const JWK_EDDSA: &str = r#"{"kty":"OKP","crv":"Ed25519","kid":"eddsa-2025","alg":"EdDSA","use":"sig","x":"ilr-_5ppw04BF5yOgIwqalqseDundg2dyzrRMDSYhGU","d":"WASP_XObaGDcQuxrmYiIB1r7alCl-W31-EaKu71aTQI"}"#;
/// Twins: same `kid` and algorithm as the keys above, different material.
const TWIN_HS256_SECRET: [u8; 32] = [0x42; 32];
const JWK_ES256_TWIN: &str = r#"{"kty":"EC","crv":"P-256","kid":"es256-2025","alg":"ES256","use":"sig","x":"xY00nY1H-bJWdR72CbeTF5cD7m55sD7o1FGdtpT89R0","y":"gfVkNG2o8_VAzAMTWydUpgcRGiQ6WBLED-xrftVoTgo","d":"627A2EeAI9XQmV7xB1jzXV6E0tCzkEkroynHhg1kaws"}"#;
/// jwt_cases' "p384-used-with-es256" key, given ES384 and es384-2025's kid.
const JWK_ES384_TWIN: &str = r#"{"kty":"EC","crv":"P-384","kid":"es384-2025","alg":"ES384","x":"9zqm9AF9oX_32JnTPvtTzD7X5SYhYqVbDKvvmmVIQVKOmZ-u6_syLIgqasmNbStS","y":"YRoDJ1hwkj8AXOcLXhFe_z2NmfEyEu6ZPUsxNN3GIDJwHQrxqHy-TaSZZs9cP6Es"}"#;
/// RFC 8037 A.1's public key, given eddsa-2025's kid.
const JWK_EDDSA_TWIN: &str = r#"{"kty":"OKP","crv":"Ed25519","kid":"eddsa-2025","alg":"EdDSA","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

fn b64(data: &[u8]) -> String {
    let mut out = vec![0u8; base64url::encoded_len(data.len())];
    base64url::encode(data, &mut out)
        .expect("encode into an exact buffer")
        .to_owned()
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    let mut out = vec![0u8; base64url::decoded_len(s.len())?];
    let n = base64url::decode_public(s.as_bytes(), &mut out).ok()?.len();
    out.truncate(n);
    Some(out)
}

/// A member of a fixed JWK, decoded.
fn member(jwk: &str, name: &str) -> Vec<u8> {
    let v: Value = serde_json::from_str(jwk).expect("fixed JWK");
    unb64(v[name].as_str().expect("fixed JWK member")).expect("fixed JWK base64url")
}

fn verifying_key(jwk: &str) -> VerifyingKey {
    Jwk::parse(jwk.as_bytes())
        .and_then(|j| j.to_verifying_key(None))
        .expect("fixed JWK builds")
}

/// The decoded value of a scanner string.
fn text(s: &JsonStr<'_>) -> String {
    s.chars().collect()
}

fn scratch_for(token: &str) -> Vec<u8> {
    vec![0u8; token.len() + 16]
}

// ---------------------------------------------------------------------------------------------
// jwt_verify: compact JWT verification with a fixed key set and clock
// ---------------------------------------------------------------------------------------------

/// A fixed ES384 key, or nothing when this build has no P-384 (oauth-core's
/// `es384` feature is off): ES384 tokens then verify under no key, as they must.
fn es384_key(jwk: &str) -> Option<VerifyingKey> {
    match Jwk::parse(jwk.as_bytes()).and_then(|j| j.to_verifying_key(None)) {
        Err(KeyError::NotSupportedByBackend) => None,
        k => Some(k.expect("fixed JWK builds")),
    }
}

/// The verification keys of `jwt_cases.json` (HS256, ES256, ES384 when the build
/// has P-384, EdDSA, with kids).
static KEYS: LazyLock<Vec<VerifyingKey>> = LazyLock::new(|| {
    [
        Some(verifying_key(JWK_HS256)),
        Some(verifying_key(JWK_ES256)),
        es384_key(JWK_ES384),
        Some(verifying_key(JWK_EDDSA)),
    ]
    .into_iter()
    .flatten()
    .collect()
});

/// The same kids and algorithms with different material.
static TWINS: LazyLock<Vec<VerifyingKey>> = LazyLock::new(|| {
    [
        Some(
            VerifyingKey::hmac(Algorithm::HS256, &TWIN_HS256_SECRET)
                .and_then(|k| k.with_kid("hs256-2025"))
                .expect("twin HS256"),
        ),
        Some(verifying_key(JWK_ES256_TWIN)),
        es384_key(JWK_ES384_TWIN),
        Some(verifying_key(JWK_EDDSA_TWIN)),
    ]
    .into_iter()
    .flatten()
    .collect()
});

static HS256_SECRET: LazyLock<ring::hmac::Key> =
    LazyLock::new(|| ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &member(JWK_HS256, "k")));

/// A validation profile and, for the oracle, what it requires.
struct Profile {
    typ: Option<&'static str>,
    required: &'static [&'static str],
    exp_required: bool,
    max_age: Option<u64>,
    leeway: u64,
}

const PROFILES: [Profile; 3] = [
    // Validation::access_token (RFC 9068): typ at+jwt; sub, client_id, iat, jti.
    Profile {
        typ: Some("at+jwt"),
        required: &["sub", "client_id", "iat", "jti"],
        exp_required: true,
        max_age: None,
        leeway: 60,
    },
    // Validation::new without leeway: the time checks at their exact edges.
    Profile {
        typ: None,
        required: &[],
        exp_required: true,
        max_age: None,
        leeway: 0,
    },
    // exp optional, iat bounded, custom claims required.
    Profile {
        typ: None,
        required: &["scope", "client_id"],
        exp_required: false,
        max_age: Some(300),
        leeway: 5,
    },
];

impl Profile {
    fn validation(&self) -> Validation<'static> {
        let mut v = match self.typ {
            Some("at+jwt") => Validation::access_token(ISS, AUD),
            _ => Validation::new(ISS, AUD).require_claims(self.required),
        };
        if !self.exp_required {
            v = v.exp_optional();
        }
        if let Some(age) = self.max_age {
            v = v.max_age(Duration::from_secs(age));
        }
        v.leeway(Leeway::new(Duration::from_secs(self.leeway)))
    }

    /// The expected verdict on claims that parsed (`c`, and `claims` as serde_json
    /// sees them) under a header that passed (`header` as serde_json sees it):
    /// RFC 7519 §4.1 and RFC 9068 §4, written independently of `Validation::check`.
    fn accepts(
        &self,
        header: &Value,
        claims: &serde_json::Map<String, Value>,
        c: &Claims<'_>,
    ) -> bool {
        let (now, leeway) = (NOW, self.leeway);
        let time_ok = match c.exp() {
            Some(exp) => now < exp.as_secs().saturating_add(leeway),
            None => !self.exp_required,
        } && c
            .nbf()
            .is_none_or(|nbf| now.saturating_add(leeway) >= nbf.as_secs())
            && c.iat()
                .is_none_or(|iat| iat.as_secs() <= now.saturating_add(leeway))
            && self.max_age.is_none_or(|age| {
                c.iat().is_some_and(|iat| {
                    now <= iat.as_secs().saturating_add(age).saturating_add(leeway)
                })
            });
        let iss_ok = claims.get("iss").and_then(Value::as_str) == Some(ISS);
        let aud_ok = match claims.get("aud") {
            Some(Value::String(s)) => s == AUD,
            Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(AUD)),
            _ => false,
        };
        let typ_ok = self.typ.is_none_or(|want| {
            header
                .get("typ")
                .and_then(Value::as_str)
                .is_some_and(|t| media_type_eq(t, want))
        });
        let required_ok = self.required.iter().all(|n| claims.contains_key(*n));
        time_ok && iss_ok && aud_ok && typ_ok && required_ok
    }
}

/// RFC 7515 §4.1.9: case-insensitive, `application/` optional.
fn media_type_eq(a: &str, b: &str) -> bool {
    fn strip(s: &[u8]) -> &[u8] {
        if s.len() >= 12 && s[..12].eq_ignore_ascii_case(b"application/") {
            &s[12..]
        } else {
            s
        }
    }
    strip(a.as_bytes()).eq_ignore_ascii_case(strip(b.as_bytes()))
}

/// `!` HEADER NUL PAYLOAD: the token over exactly these bytes, MAC'd with the
/// HS256 key of the set, so header and claims rules are fuzzed behind a valid
/// signature. JSON never contains a raw NUL, so the split is unambiguous.
fn resign(rest: &[u8]) -> (Vec<u8>, String) {
    let (header, payload) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let input = format!("{}.{}", b64(header), b64(payload));
    let tag = ring::hmac::sign(&HS256_SECRET, input.as_bytes());
    (header.to_vec(), format!("{input}.{}", b64(tag.as_ref())))
}

/// A verified JWT, owned, for comparisons.
type Verdict = Result<(Algorithm, Vec<u8>, Option<u64>, Option<String>), JoseError>;

fn validate<K: KeyResolver + ?Sized>(p: &Profile, token: &str, keys: &K) -> Verdict {
    let mut scratch = scratch_for(token);
    p.validation()
        .verify(token, keys, UnixTime::from_secs(NOW), &mut scratch)
        .map(|j| {
            (
                j.header().alg(),
                j.claims().object().raw().to_vec(),
                j.claims().exp().map(UnixTime::as_secs),
                j.claims().iss().map(|s| text(&s)),
            )
        })
}

fn jws<K: KeyResolver + ?Sized>(token: &str, keys: &K) -> Result<(Algorithm, Vec<u8>), JoseError> {
    let mut scratch = scratch_for(token);
    verify_compact(token, keys, &HeaderPolicy::default(), &mut scratch)
        .map(|v| (v.header().alg(), v.payload().to_vec()))
}

/// Compact JWS/JWT verification with `jwt_cases.json`'s key set and clock.
///
/// Input: a token, or `!` HEADER NUL PAYLOAD (see [`resign`]).
///
/// Properties: never panics; verification is deterministic; nothing verifies both
/// under the key set and under its twin set (same kids and algorithms, other
/// material); a validated JWT is a verified JWS with the same payload; a header
/// that parses, names HS256 and our kid (or none) verifies when correctly MAC'd;
/// and, for every token whose signature verified, `Validation::verify` accepts
/// exactly when an independent oracle over serde_json's view of header and
/// claims does (two profiles).
pub fn jwt_verify(data: &[u8]) {
    let (resigned_header, token) = if let Some(rest) = data.strip_prefix(b"!") {
        let (h, t) = resign(rest);
        (Some(h), t)
    } else {
        match std::str::from_utf8(data) {
            Ok(t) => (None, t.to_owned()),
            Err(_) => return,
        }
    };
    let token = token.as_str();
    let ours = jws(token, KEYS.as_slice());
    let twin = jws(token, TWINS.as_slice());
    assert!(
        !(ours.is_ok() && twin.is_ok()),
        "a token verified under two different keys with the same kid"
    );
    assert_eq!(
        ours,
        jws(token, KEYS.as_slice()),
        "verification is not deterministic"
    );
    if let Ok((alg, _)) = &ours {
        // The key that verified it, alone, verifies it too; no other key does.
        let by_alg: Vec<_> = KEYS.iter().filter(|k| k.algorithm() == *alg).collect();
        assert_eq!(by_alg.len(), 1);
        for k in KEYS.iter() {
            let alone = jws(token, std::slice::from_ref(k));
            assert_eq!(
                alone.is_ok(),
                k.algorithm() == *alg,
                "single-key verification differs"
            );
        }
    }

    // A correctly MAC'd token with a good header verifies (no false rejection).
    if let Some(h) = &resigned_header
        && let Ok(header) = Header::parse(h, &HeaderPolicy::default())
        && header.alg() == Algorithm::HS256
        && header.kid().is_none_or(|k| k.eq_str("hs256-2025"))
    {
        let payload_ok = CompactJws::parse(token).is_ok_and(|c| unb64(c.payload_b64()).is_some());
        assert!(
            !payload_ok || ours.is_ok(),
            "a correctly MAC'd HS256 token was rejected: {ours:?}"
        );
    }

    for p in &PROFILES {
        let v = validate(p, token, KEYS.as_slice());
        assert_eq!(
            v,
            validate(p, token, KEYS.as_slice()),
            "validation is not deterministic"
        );
        assert!(
            !(v.is_ok() && validate(p, token, TWINS.as_slice()).is_ok()),
            "a JWT validated under two different keys"
        );
        let Ok((_, payload)) = &ours else {
            assert!(v.is_err(), "validated a JWT whose JWS does not verify");
            continue;
        };
        if token.len() > DEFAULT_MAX_TOKEN_LEN {
            assert_eq!(
                v.err(),
                Some(JoseError::TooLarge {
                    max: DEFAULT_MAX_TOKEN_LEN
                })
            );
            continue;
        }
        let claims = match Claims::parse(payload) {
            Ok(c) => c,
            Err(e) => {
                assert_eq!(v.err(), Some(e), "claims error differs from Claims::parse");
                continue;
            }
        };
        if let Ok((_, raw, exp, iss)) = &v {
            assert_eq!(raw.as_slice(), claims.object().raw());
            assert_eq!(*exp, claims.exp().map(UnixTime::as_secs));
            assert_eq!(*iss, claims.iss().map(|s| text(&s)));
        }
        let compact = CompactJws::parse(token).expect("verified token splits");
        let header_bytes = unb64(compact.header_b64()).expect("verified header decodes");
        let header: Value =
            serde_json::from_slice(&header_bytes).expect("serde_json rejects a header we accepted");
        let doc: Value =
            serde_json::from_slice(payload).expect("serde_json rejects claims we accepted");
        let map = doc
            .as_object()
            .expect("claims we accepted are not an object");
        let expected = p.accepts(&header, map, &claims);
        assert_eq!(
            v.is_ok(),
            expected,
            "Validation::verify says {v:?}, the oracle says {expected} (typ {:?})",
            p.typ
        );
    }
}

// ---------------------------------------------------------------------------------------------
// jws_multi_key: a token verifies under key A of a mixed set only while A is in it
// ---------------------------------------------------------------------------------------------

const MULTI_ALGS: [&str; 3] = ["HS256", "ES256", "EdDSA"];
const MULTI_KIDS: [&str; 3] = ["hs256-2025", "es256-2025", "eddsa-2025"];

enum Signer {
    Hmac(ring::hmac::Key),
    Ecdsa(ring::signature::EcdsaKeyPair),
    Ed25519(ring::signature::Ed25519KeyPair),
}

struct Signers {
    rng: ring::rand::SystemRandom,
    /// HS256, ES256, EdDSA (the set's keys), then the HS256 and ES256 twins.
    keys: [Signer; 5],
}

impl Signers {
    fn sign(&self, i: usize, msg: &[u8]) -> Vec<u8> {
        match &self.keys[i] {
            Signer::Hmac(k) => ring::hmac::sign(k, msg).as_ref().to_vec(),
            Signer::Ecdsa(k) => k
                .sign(&self.rng, msg)
                .expect("ECDSA sign")
                .as_ref()
                .to_vec(),
            Signer::Ed25519(k) => k.sign(msg).as_ref().to_vec(),
        }
    }
}

fn ecdsa_signer(jwk: &str, rng: &ring::rand::SystemRandom) -> Signer {
    let mut point = vec![4u8];
    point.extend(member(jwk, "x"));
    point.extend(member(jwk, "y"));
    let alg = &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING;
    Signer::Ecdsa(
        ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
            alg,
            &member(jwk, "d"),
            &point,
            rng,
        )
        .expect("fixed P-256 key"),
    )
}

static SIGNERS: LazyLock<Signers> = LazyLock::new(|| {
    let rng = ring::rand::SystemRandom::new();
    let hs = |secret: &[u8]| Signer::Hmac(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret));
    let keys = [
        hs(&member(JWK_HS256, "k")),
        ecdsa_signer(JWK_ES256, &rng),
        Signer::Ed25519(
            ring::signature::Ed25519KeyPair::from_seed_and_public_key(
                &member(JWK_EDDSA, "d"),
                &member(JWK_EDDSA, "x"),
            )
            .expect("fixed Ed25519 key"),
        ),
        hs(&TWIN_HS256_SECRET),
        ecdsa_signer(JWK_ES256_TWIN, &rng),
    ];
    Signers { rng, keys }
});

/// Key `i` (0 HS256, 1 ES256, 2 EdDSA) of the mixed set, with or without its kid.
fn multi_key(i: usize, with_kid: bool) -> VerifyingKey {
    let k = match i {
        0 => VerifyingKey::hmac(Algorithm::HS256, &member(JWK_HS256, "k")),
        1 => VerifyingKey::ec_from_coordinates(
            Algorithm::ES256,
            &member(JWK_ES256, "x"),
            &member(JWK_ES256, "y"),
        ),
        _ => VerifyingKey::ed25519(&member(JWK_EDDSA, "x")),
    }
    .expect("fixed key");
    if with_kid {
        k.with_kid(MULTI_KIDS[i]).expect("kid")
    } else {
        k
    }
}

/// Every subset (bit `i` = key `i`) of the set, with kids (`[0]`) and without (`[1]`).
static SUBSETS: LazyLock<[Vec<Vec<VerifyingKey>>; 2]> = LazyLock::new(|| {
    let build = |with_kid: bool| -> Vec<Vec<VerifyingKey>> {
        (0..8usize)
            .map(|mask| {
                (0..3)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| multi_key(i, with_kid))
                    .collect()
            })
            .collect()
    };
    [build(true), build(false)]
});

/// The same subsets as indexed JWK Sets (`kid` lookup by binary search).
#[cfg(feature = "alloc")]
static SUBSET_SETS: LazyLock<[Vec<oauth_core::jose::JwkSet>; 2]> = LazyLock::new(|| {
    let build = |with_kid: bool| -> Vec<oauth_core::jose::JwkSet> {
        (0..8usize)
            .map(|mask| {
                oauth_core::jose::JwkSet::from_keys(
                    (0..3)
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| multi_key(i, with_kid))
                        .collect(),
                )
            })
            .collect()
    };
    [build(true), build(false)]
});

/// A mixed key set: HS256 + ES256 + EdDSA (fixed material), every subset of it.
///
/// Input: `signer flags tamper rest`. `signer % 5`: 0 HS256, 1 ES256, 2 EdDSA (keys
/// of the set), 3 HS256 twin, 4 ES256 twin (same kid, other material). `flags`:
/// bit 0 header `kid`, bit 1 the header is raw (`rest` = HEADER NUL PAYLOAD),
/// bit 2 flip a signature byte (at `tamper`), bit 3 `typ`, bit 4 claim the algorithm
/// of another key of the set. Otherwise `rest` is the payload.
///
/// Properties: at most one key alone verifies the token; the token verifies under
/// a subset exactly when that key is in it (so removing it makes verification fail,
/// and adding others never does); twins and tampered signatures never verify; an
/// honestly built token verifies under the full set with its payload; the slice
/// resolver and the indexed `JwkSet` agree on every subset (`alloc`).
pub fn jws_multi_key(data: &[u8]) {
    let [signer, flags, tamper, rest @ ..] = data else {
        return;
    };
    let signer = usize::from(*signer) % 5;
    let family = signer % 3; // twins sign as HS256 / ES256
    let (kid, raw, tampered, typ, wrong_alg) = (
        flags & 1 != 0,
        flags & 2 != 0,
        flags & 4 != 0,
        flags & 8 != 0,
        flags & 16 != 0,
    );
    let (header, payload): (Vec<u8>, &[u8]) = if raw {
        match rest.iter().position(|&b| b == 0) {
            Some(i) => (rest[..i].to_vec(), &rest[i + 1..]),
            None => (rest.to_vec(), &[]),
        }
    } else {
        let alg = MULTI_ALGS[if wrong_alg { (family + 1) % 3 } else { family }];
        let mut h = format!(r#"{{"alg":"{alg}""#);
        if kid {
            h.push_str(&format!(r#","kid":"{}""#, MULTI_KIDS[family]));
        }
        if typ {
            h.push_str(r#","typ":"JWT""#);
        }
        h.push('}');
        (h.into_bytes(), rest)
    };
    let input = format!("{}.{}", b64(&header), b64(payload));
    let mut sig = SIGNERS.sign(signer, input.as_bytes());
    if tampered {
        let i = usize::from(*tamper) % sig.len();
        sig[i] ^= 1 << (tamper % 8);
    }
    let token = format!("{input}.{}", b64(&sig));

    for (variant, with_kid) in [(0, true), (1, false)] {
        let subsets = &SUBSETS[variant];
        let results: Vec<_> = subsets.iter().map(|s| jws(&token, s.as_slice())).collect();
        // Which single keys verify it.
        let alone: Vec<usize> = (0..3).filter(|i| results[1 << i].is_ok()).collect();
        assert!(
            alone.len() <= 1,
            "verified under several single keys: {alone:?}"
        );
        for (mask, r) in results.iter().enumerate() {
            match alone.first() {
                Some(&a) => {
                    let member = mask & (1 << a) != 0;
                    assert_eq!(
                        r.is_ok(),
                        member,
                        "subset {mask:03b} (kids: {with_kid}): key {a} verifies alone, here {r:?}"
                    );
                    if let Ok((alg, p)) = r {
                        assert_eq!(
                            alg.name(),
                            MULTI_ALGS[a],
                            "verified under another algorithm"
                        );
                        assert_eq!(p.as_slice(), payload, "payload differs");
                        assert_eq!(results[1 << a], *r);
                    }
                }
                None => assert!(
                    r.is_err(),
                    "subset {mask:03b} verifies what no single key of it does"
                ),
            }
            #[cfg(feature = "alloc")]
            assert_eq!(
                jws(&token, &SUBSET_SETS[variant][mask]),
                *r,
                "JwkSet and slice resolution differ on subset {mask:03b} (kids: {with_kid})"
            );
        }
        if signer >= 3 || tampered || (wrong_alg && !raw) {
            assert!(
                alone.is_empty(),
                "a twin key's, tampered or mislabelled (alg) token verified"
            );
        }
        let honest = !raw && !tampered && !wrong_alg && signer < 3 && (with_kid || !kid);
        if honest {
            assert_eq!(
                alone.as_slice(),
                &[signer],
                "an honest token did not verify (kids: {with_kid}): {:?}",
                results[7]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// json_scanner: differential with serde_json, value by value
// ---------------------------------------------------------------------------------------------

const WIDE: Limits = Limits {
    max_depth: json::MAX_DEPTH,
    max_open_members: json::MAX_OPEN_MEMBERS,
};

fn is_serde_depth_error(e: &serde_json::Error) -> bool {
    e.to_string().contains("recursion limit")
}

/// Every decoding path of a scanner string gives serde_json's string.
fn check_string(s: &JsonStr<'_>, theirs: &str) {
    assert_eq!(text(s), theirs, "chars() differs from serde_json");
    assert_eq!(s.unescaped_len(), theirs.len(), "unescaped_len differs");
    let mut buf = vec![0u8; theirs.len()];
    assert_eq!(
        s.unescape_into(&mut buf).ok(),
        Some(theirs),
        "unescape_into differs"
    );
    if let Some(short) = theirs.len().checked_sub(1) {
        let mut buf = vec![0u8; short];
        assert_eq!(
            s.unescape_into(&mut buf).map_err(|e| e.kind),
            Err(JsonErrorKind::BufferTooSmall)
        );
    }
    assert!(s.eq_str(theirs), "eq_str differs");
    assert_eq!(
        s.cmp_str(theirs),
        std::cmp::Ordering::Equal,
        "cmp_str differs"
    );
    assert!(s.same_value(s));
    if !s.has_escapes() {
        assert_eq!(s.as_str(), Some(theirs));
    } else {
        assert_eq!(s.as_str(), None);
    }
}

fn close(a: f64, b: f64) -> bool {
    // serde_json's default float parsing is best-effort (not always correctly rounded).
    a == b
        || (a - b).abs() <= 1e-14 * a.abs().max(b.abs())
        || (a.abs() < 1e-300 && b.abs() < 1e-300)
}

fn check_number(n: &JsonNumber<'_>, theirs: &serde_json::Number) {
    if n.is_integer() && n.raw() != "-0" {
        assert_eq!(n.as_u64(), theirs.as_u64(), "as_u64 differs on {}", n.raw());
        assert_eq!(n.as_i64(), theirs.as_i64(), "as_i64 differs on {}", n.raw());
    }
    let ours = n.as_f64().expect("a validated number is finite");
    let theirs = theirs.as_f64().expect("serde_json number as f64");
    assert!(
        close(ours, theirs),
        "{} is {ours} here, {theirs} in serde_json",
        n.raw()
    );
}

fn check_value(ours: &JsonValue<'_>, theirs: &Value) {
    match (ours, theirs) {
        (JsonValue::Null, Value::Null) => {}
        (JsonValue::Bool(a), Value::Bool(b)) => assert_eq!(a, b),
        (JsonValue::Number(n), Value::Number(t)) => check_number(n, t),
        (JsonValue::String(s), Value::String(t)) => check_string(s, t),
        (JsonValue::Array(a), Value::Array(t)) => {
            assert_eq!(a.len(), t.len(), "array lengths differ");
            assert_eq!(a.is_empty(), t.is_empty());
            for (x, y) in a.iter().zip(t) {
                check_value(&x, y);
            }
        }
        (JsonValue::Object(o), Value::Object(t)) => check_object(o, t),
        _ => panic!(
            "value types differ: {} here, {theirs} in serde_json",
            ours.type_name()
        ),
    }
}

fn check_object(ours: &JsonObject<'_>, theirs: &serde_json::Map<String, Value>) {
    assert_eq!(ours.len(), theirs.len(), "member counts differ");
    assert_eq!(ours.is_empty(), theirs.is_empty());
    for (name, value) in ours.members() {
        let key = text(&name);
        check_string(&name, &key);
        let their = theirs.get(&key).expect("a member missing in serde_json");
        check_value(&value, their);
        assert!(ours.get(&key).is_some(), "get() misses a member");
    }
}

/// The JSON scanner against serde_json.
///
/// Properties: what the scanner accepts (default or widest limits), serde_json
/// accepts, with the same members, values, strings (through every decoding path)
/// and numbers; the default limits accept a subset of what the widest accept; the
/// callback of `parse_object_with` sees the top-level members in order; and what
/// serde_json accepts is rejected only for a reason serde_json does not check
/// (duplicate names, a non-object top level, the nesting and member limits).
pub fn json_scanner(data: &[u8]) {
    let ours = json::parse_object(data, &Limits::default());
    let wide = json::parse_object(data, &WIDE);
    if let Ok(o) = &ours {
        let w = wide
            .as_ref()
            .expect("the widest limits reject what the default accept");
        assert_eq!(o.raw(), w.raw());
    }
    let theirs = serde_json::from_slice::<Value>(data);
    match (&wide, &theirs) {
        (Ok(o), Ok(v)) => check_object(o, v.as_object().expect("we accepted a non-object")),
        (Ok(_), Err(e)) if is_serde_depth_error(e) => {}
        (Ok(_), Err(e)) => panic!("we accepted what serde_json rejects: {e}"),
        (Err(e), Ok(v)) => {
            use JsonErrorKind as K;
            assert!(
                matches!(e.kind, K::DuplicateMember | K::TooDeep | K::TooManyMembers)
                    || (e.kind == K::NotAnObject && !v.is_object()),
                "serde_json accepts what we reject with {e:?}"
            );
        }
        (Err(_), Err(_)) => {}
    }
    if let Ok(o) = ours {
        let mut seen = Vec::new();
        let again = json::parse_object_with(data, &Limits::default(), |name, value| {
            seen.push((name, value.type_name()));
            Ok::<(), json::JsonError>(())
        })
        .expect("parse_object_with rejects what parse_object accepts");
        assert_eq!(again.raw(), o.raw());
        let members: Vec<_> = o.members().map(|(n, v)| (n, v.type_name())).collect();
        assert_eq!(seen, members, "the callback saw other members");
    }
}

// ---------------------------------------------------------------------------------------------
// claims: Claims::parse against serde_json on the registered claims
// ---------------------------------------------------------------------------------------------

/// A NumericDate as oauth-core reads it, from serde_json's number; `None` when not one.
fn serde_date(v: &Value) -> Option<f64> {
    let n = v.as_number()?;
    if let Some(u) = n.as_u64() {
        #[allow(clippy::cast_precision_loss)]
        return Some(u as f64);
    }
    n.as_f64()
        .filter(|f| (0.0..=9_007_199_254_740_992.0).contains(f))
}

/// Whether serde_json's value has the type RFC 7519 §4.1 gives claim `name`.
fn well_typed(name: &str, v: &Value) -> bool {
    match name {
        "iss" | "sub" | "jti" => v.is_string(),
        "aud" => v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        _ => serde_date(v).is_some(),
    }
}

fn check_date(ours: Option<UnixTime>, theirs: Option<&Value>, name: &str) {
    match (ours, theirs) {
        (None, None) => {}
        (Some(t), Some(v)) => {
            let n = v.as_number().expect("a date that is not a number");
            match n.as_u64() {
                Some(u) => assert_eq!(t.as_secs(), u, "{name} differs"),
                None => {
                    let f = serde_date(v).expect("a date serde_json reads out of range");
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let trunc = f as u64;
                    assert!(
                        t.as_secs().abs_diff(trunc) <= 1,
                        "{name}: {t} here, {f} in serde_json"
                    );
                }
            }
        }
        _ => panic!("{name} present on one side only: {ours:?} / {theirs:?}"),
    }
}

fn check_text(ours: Option<JsonStr<'_>>, theirs: Option<&Value>, name: &str) {
    assert_eq!(
        ours.map(|s| text(&s)).as_deref(),
        theirs.map(|v| v.as_str().expect("a string claim")),
        "{name} differs"
    );
}

/// Claims parsing against serde_json.
///
/// Properties: what `Claims::parse` accepts serde_json accepts, and both read the
/// same `iss`, `sub`, `jti`, `aud` (one or many, in order) and `exp`, `nbf`, `iat`
/// (numbers within one second of serde_json's); every member is found; a
/// `ClaimType` error names a claim whose value really has the wrong type; and under
/// `alloc` `Claims::deserialize` gives serde_json's document.
pub fn claims(data: &[u8]) {
    let ours = Claims::parse(data);
    let theirs = serde_json::from_slice::<Value>(data);
    match (&ours, &theirs) {
        (Ok(c), Ok(v)) => {
            let map = v.as_object().expect("Claims::parse accepted a non-object");
            check_text(c.iss(), map.get("iss"), "iss");
            check_text(c.sub(), map.get("sub"), "sub");
            check_text(c.jti(), map.get("jti"), "jti");
            let aud: Option<Vec<String>> = c.aud().map(|a| a.iter().map(|s| text(&s)).collect());
            let their_aud: Option<Vec<String>> = map.get("aud").map(|v| match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().expect("aud element").to_owned())
                    .collect(),
                _ => panic!("aud accepted with type {v}"),
            });
            assert_eq!(aud, their_aud, "aud differs");
            if let Some(a) = c.aud() {
                let all = their_aud.unwrap_or_default();
                for s in &all {
                    assert!(a.contains(s));
                }
                assert!(all.iter().any(|s| s == AUD) == a.contains(AUD));
            }
            check_date(c.exp(), map.get("exp"), "exp");
            check_date(c.nbf(), map.get("nbf"), "nbf");
            check_date(c.iat(), map.get("iat"), "iat");
            assert_eq!(c.object().len(), map.len());
            for (k, val) in map {
                assert!(c.contains(k), "contains({k:?}) is false");
                let got = c.get(k).expect("get() misses a member");
                check_value(&got, val);
                match (c.get_str(k), val) {
                    (Ok(Some(s)), Value::String(t)) => assert_eq!(&text(&s), t),
                    (Err(JoseError::ClaimType(_)), v) => assert!(!v.is_string()),
                    (r, v) => panic!("get_str({k:?}) = {r:?} for {v}"),
                }
            }
            #[cfg(feature = "alloc")]
            assert_eq!(
                c.deserialize::<Value>().expect("Claims::deserialize"),
                *v,
                "deserialize differs from serde_json"
            );
        }
        (Ok(_), Err(e)) => panic!("Claims::parse accepted what serde_json rejects: {e}"),
        (Err(JoseError::ClaimType(name)), Ok(v)) => {
            // Without duplicates (serde_json keeps the last), the claim is ill-typed.
            if json::parse_object(data, &Limits::default()).is_ok() {
                let value = v.get(*name).expect("ClaimType for an absent claim");
                let near_limit = serde_date(value).is_none()
                    && value
                        .as_f64()
                        .is_some_and(|f| (f - 9_007_199_254_740_992.0).abs() <= 2.0);
                assert!(
                    !well_typed(name, value) || near_limit,
                    "ClaimType({name}) for {value}"
                );
            }
        }
        (Err(e), _) => assert!(
            matches!(e, JoseError::Json(..) | JoseError::ClaimType(_)),
            "Claims::parse: unexpected error {e:?}"
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// jwk: JWK and JWK Set parsing
// ---------------------------------------------------------------------------------------------

/// RFC 7638 thumbprint input, built independently from serde_json's view; `None`
/// when a required member is absent, not a string, or needs escaping (RFC 7638 §3.3
/// leaves those undefined).
fn thumbprint_input(obj: &serde_json::Map<String, Value>) -> Option<String> {
    let names: &[&str] = match obj.get("kty")?.as_str()? {
        "EC" => &["crv", "kty", "x", "y"],
        "RSA" => &["e", "kty", "n"],
        "oct" => &["k", "kty"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    let mut out = String::from("{");
    for (i, n) in names.iter().enumerate() {
        let v = obj.get(*n)?.as_str()?;
        if v.chars()
            .any(|c| c == '"' || c == '\\' || u32::from(c) < 0x20)
        {
            return None;
        }
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#""{n}":"{v}""#));
    }
    out.push('}');
    Some(out)
}

/// JWK and JWK Set parsing.
///
/// Properties: never panics; what `Jwk::parse` accepts serde_json accepts; the
/// thumbprint is stable, is the base64url of `thumbprint_sha256`, and equals an
/// independent RFC 7638 computation; a key that builds fits its `kty`, carries the
/// document's `alg` and `kid`, and fits exactly one algorithm (every other pin is
/// refused); a JWK Set accounts for every entry (installed or skipped, in order,
/// with the entries' `alg` and `kid`); and the core-tier `parse_jwk_set_into`
/// agrees with `JwkSet::parse` (`alloc`) on the outcome, the keys and the count of
/// skipped entries.
pub fn jwk(data: &[u8]) {
    if let Ok(jwk) = Jwk::parse(data) {
        let doc: Value = serde_json::from_slice(data).expect("Jwk::parse accepted invalid JSON");
        let obj = doc.as_object().expect("Jwk::parse accepted a non-object");
        let t1 = jwk.thumbprint();
        assert_eq!(t1, jwk.thumbprint(), "thumbprint is not stable");
        match jwk.thumbprint_sha256() {
            Ok(d) => {
                assert_eq!(t1.as_ref().map(|t| t.as_str()), Ok(b64(&d).as_str()));
                if let Some(input) = thumbprint_input(obj) {
                    let expected = ring::digest::digest(&ring::digest::SHA256, input.as_bytes());
                    assert_eq!(&d[..], expected.as_ref(), "thumbprint differs from {input}");
                }
            }
            Err(e) => assert_eq!(t1.map(|_| ()), Err(e)),
        }
        assert_eq!(
            jwk.kid().map(|k| text(&k)).as_deref(),
            obj.get("kid")
                .map(|k| k.as_str().expect("kid accepted as a non-string")),
        );
        if let Ok(key) = jwk.to_verifying_key(None) {
            assert_eq!(Ok(key.algorithm().family()), jwk.family());
            if let Some(alg) = obj.get("alg") {
                // RFC 9864: `Ed25519` is the fully-specified name of EdDSA over Ed25519,
                // which the key reports as `EdDSA`; every other name must match exactly.
                let alg = alg
                    .as_str()
                    .map(|a| if a == "Ed25519" { "EdDSA" } else { a });
                assert_eq!(Some(key.algorithm().name()), alg, "alg differs");
            }
            assert_eq!(
                key.kid(),
                obj.get("kid").and_then(Value::as_str),
                "kid differs"
            );
            if let Some(u) = obj.get("use") {
                assert_eq!(u.as_str(), Some("sig"), "a key with use {u} was built");
            }
            for alg in Algorithm::ALL {
                let pinned = jwk.to_verifying_key(Some(alg));
                assert_eq!(
                    pinned.is_ok(),
                    alg == key.algorithm(),
                    "key for {:?} also pinned to {alg:?}: {:?}",
                    key.algorithm(),
                    pinned.err()
                );
            }
        }
        for alg in Algorithm::ALL {
            if let Ok(k) = jwk.to_verifying_key(Some(alg)) {
                assert_eq!(k.algorithm(), alg, "pin ignored");
            }
        }
    }

    jwk_set(data);
}

/// Capacity of the core-tier set parser in the `jwk` target.
const SET_CAPACITY: usize = 16;

/// The installed keys of a set, as (algorithm, kid) in order.
fn key_ids(keys: &[VerifyingKey]) -> Vec<(Algorithm, Option<String>)> {
    keys.iter()
        .map(|k| (k.algorithm(), k.kid().map(str::to_owned)))
        .collect()
}

fn jwk_set(data: &[u8]) {
    let options = JwkSetOptions::default();
    let mut out = heapless::Vec::<VerifyingKey, SET_CAPACITY>::new();
    let core = parse_jwk_set_into(data, &options, &mut out);
    if let Ok(skipped) = core {
        let doc: Value = serde_json::from_slice(data).expect("accepted invalid JSON");
        let entries = doc["keys"]
            .as_array()
            .expect("accepted a set without a keys array");
        assert_eq!(
            out.len() + skipped,
            entries.len(),
            "entries unaccounted for"
        );
        // Installed keys follow the document's order and are the entries that build
        // alone (read from the same bytes: `with_unescaped` limits depend on them).
        let set = json::parse_object(data, &Limits::default()).expect("accepted set parses");
        let array = set
            .get("keys")
            .and_then(|k| k.as_array())
            .expect("keys array");
        let mut keys = out.iter();
        for e in array.iter() {
            let raw = e.as_object().expect("accepted a non-object entry").raw();
            if let Ok(alone) = Jwk::parse(raw).and_then(|j| j.to_verifying_key(None)) {
                let k = keys.next().expect("an entry that builds alone was skipped");
                assert_eq!(k.algorithm(), alone.algorithm());
                assert_eq!(k.kid(), alone.kid());
            }
        }
        assert!(
            keys.next().is_none(),
            "more keys installed than entries build"
        );
    }
    #[cfg(feature = "alloc")]
    {
        let set = oauth_core::jose::JwkSet::parse(data, &options);
        match (&set, &core) {
            (Ok(set), Ok(skipped)) => {
                assert_eq!(
                    key_ids(set.keys()),
                    key_ids(&out),
                    "the two set parsers differ"
                );
                assert_eq!(set.skipped().len(), *skipped);
                assert_eq!(set.len(), out.len());
                assert_eq!(set.is_empty(), out.is_empty());
                let doc: Value = serde_json::from_slice(data).expect("accepted invalid JSON");
                let entries = doc["keys"].as_array().expect("keys array");
                let mut last = None;
                for s in set.skipped() {
                    assert!(
                        last.is_none_or(|l| s.index > l),
                        "skipped entries out of order"
                    );
                    last = Some(s.index);
                    let e = entries.get(s.index).expect("skipped index out of range");
                    assert_eq!(s.kid.as_deref(), e.get("kid").and_then(Value::as_str));
                }
            }
            (Ok(set), Err(oauth_core::jose::KeyError::SetTooLarge)) => {
                assert!(set.len() > SET_CAPACITY)
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "the two set parsers fail differently"),
            (a, b) => panic!(
                "JwkSet::parse {:?}, parse_jwk_set_into {b:?}",
                a.as_ref().map(|s| s.len())
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// base64url
// ---------------------------------------------------------------------------------------------

/// Strict base64url: both decoders, canonical encoding, buffer handling.
///
/// Properties: `decode_public` (SIMD) and `decode_secret` (constant time) agree on
/// every input, with any buffer size: same bytes or the same error; what decodes has
/// `decoded_len` bytes and re-encodes to the identical input (one encoding per byte
/// string); encoding any input gives `encoded_len` characters of the URL-safe
/// alphabet that both decoders take back; too-small buffers are errors, never
/// panics; the `alloc` helpers agree with the slice functions.
pub fn base64url(data: &[u8]) {
    let need = base64url::decoded_len(data.len());
    let decode_with = |size: usize| {
        let (mut a, mut b) = (vec![0u8; size], vec![0u8; size]);
        let public = base64url::decode_public(data, &mut a).map(<[u8]>::to_vec);
        let secret = base64url::decode_secret(data, &mut b).map(<[u8]>::to_vec);
        assert_eq!(public, secret, "decoders disagree (buffer {size})");
        public
    };
    let exact = decode_with(need.unwrap_or(0));
    assert_eq!(
        exact,
        decode_with(need.unwrap_or(0) + 3),
        "a larger buffer changes the result"
    );
    match &exact {
        Ok(bytes) => {
            assert_eq!(Some(bytes.len()), need);
            assert_eq!(
                b64(bytes).as_bytes(),
                data,
                "decoded input is not canonical"
            );
        }
        Err(e) => assert_eq!(*e, Base64Error::InvalidEncoding, "exact buffer: {e:?}"),
    }
    match need {
        None => assert_eq!(exact, Err(Base64Error::InvalidEncoding)),
        Some(n) if n > 0 => {
            assert_eq!(decode_with(n - 1), Err(Base64Error::BufferTooSmall));
        }
        Some(_) => {}
    }

    // Encoding side: any bytes.
    let enc = b64(data);
    assert_eq!(enc.len(), base64url::encoded_len(data.len()));
    assert!(
        enc.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    );
    let mut out = vec![0u8; data.len()];
    assert_eq!(base64url::decode_secret(enc.as_bytes(), &mut out), Ok(data));
    assert_eq!(base64url::decode_public(enc.as_bytes(), &mut out), Ok(data));
    if !enc.is_empty() {
        let mut short = vec![0u8; enc.len() - 1];
        assert_eq!(
            base64url::encode(data, &mut short),
            Err(Base64Error::BufferTooSmall)
        );
    }
    #[cfg(feature = "alloc")]
    {
        assert_eq!(base64url::encode_string(data), enc);
        let mut s = String::from("x");
        base64url::encode_into_string(data, &mut s);
        assert_eq!(s[1..], enc);
        assert_eq!(base64url::decode_public_vec(data), exact);
        assert_eq!(base64url::decode_secret_vec(data), exact);
    }
}

// ---------------------------------------------------------------------------------------------
// form (alloc)
// ---------------------------------------------------------------------------------------------

/// `application/x-www-form-urlencoded` parsing, encoding and Basic credentials.
///
/// Properties: never panics; on input it accepts, `parse_form` gives exactly the
/// pairs of `form_urlencoded::parse` (the WHATWG algorithm); when it refuses a pair
/// as invalid UTF-8, `form_urlencoded` had to patch that pair with U+FFFD; lookups
/// (`get`, `get_all`, `contains`, `ensure_no_duplicates`) agree with the pair list;
/// what parses without duplicates round-trips through `encode_form`,
/// `FormBuilder` and `append_query` to the same pairs; `query_pairs` is
/// `parse_form`; Basic credentials that parse round-trip.
#[cfg(feature = "alloc")]
pub fn form(data: &[u8]) {
    use oauth_core::encoding::form::{self, FormError};
    let parsed = form::parse_form(data);
    let theirs: Vec<(String, String)> = form_urlencoded::parse(data)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match &parsed {
        Ok(p) => {
            let ours: Vec<(String, String)> = p
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            assert_eq!(ours, theirs, "parse_form and form_urlencoded disagree");
            assert_eq!(p.len(), ours.len());
            assert_eq!(p.is_empty(), ours.is_empty());
            let mut has_duplicates = false;
            for (k, v) in &ours {
                let values: Vec<&str> = ours
                    .iter()
                    .filter(|(n, _)| n == k)
                    .map(|(_, v)| v.as_str())
                    .collect();
                assert!(p.contains(k));
                assert_eq!(p.get_all(k).collect::<Vec<_>>(), values);
                match p.get(k) {
                    Ok(Some(x)) => assert!(values.len() == 1 && x == v),
                    Err(FormError::DuplicateParameter(n)) => {
                        assert!(values.len() > 1 && n == *k);
                        has_duplicates = true;
                    }
                    other => panic!("get({k:?}) = {other:?}"),
                }
                if values.len() == 1 {
                    assert_eq!(
                        p.get_non_empty(k),
                        Ok(Some(v.as_str()).filter(|v| !v.is_empty()))
                    );
                }
            }
            assert_eq!(p.ensure_no_duplicates(&[]).is_err(), has_duplicates);
            let names: Vec<&str> = ours.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(p.ensure_no_duplicates(&names), Ok(()));
            if !has_duplicates {
                let pairs: Vec<(&str, &str)> = p.iter().collect();
                let enc = form::encode_form(&pairs);
                let again = form::parse_form(enc.as_bytes()).expect("an encoded form parses");
                assert!(again.iter().eq(p.iter()), "encode_form does not round-trip");
                let mut b = form::FormBuilder::new();
                for (k, v) in &pairs {
                    b.append(k, v);
                }
                assert_eq!(b.finish(), enc);
                let url = form::append_query("https://client.example/cb", &pairs)
                    .expect("append_query with distinct names");
                let query = url.split_once('?').map_or("", |(_, q)| q);
                let back = form::query_pairs(query).expect("append_query output parses");
                assert!(back.iter().eq(p.iter()), "append_query does not round-trip");
            }
        }
        Err(FormError::InvalidUtf8 { pair }) => {
            let (k, v) = theirs
                .get(*pair)
                .expect("error names a pair that does not exist");
            assert!(
                k.contains('\u{FFFD}') || v.contains('\u{FFFD}'),
                "pair {pair} refused as invalid UTF-8, but it decodes"
            );
        }
        Err(e) => panic!("parse_form: unexpected error {e:?}"),
    }
    if let Ok(s) = std::str::from_utf8(data) {
        assert_eq!(form::query_pairs(s), parsed);
        if let Ok(c) = form::parse_basic_auth_credentials(s) {
            let h = form::basic_auth_credentials(&c.client_id, &c.client_secret);
            assert_eq!(form::parse_basic_auth_credentials(&h), Ok(c));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// pkce
// ---------------------------------------------------------------------------------------------

/// PKCE verification (RFC 7636).
///
/// Input: `verifier SP challenge` (UTF-8), and the bytes as a random stream.
///
/// Properties: `verify` never panics under any method and policy; `plain` is refused
/// unless allowed; a verifier that does not parse is refused before anything else; a
/// verifier that parses verifies against its own S256 challenge (which is the
/// base64url SHA-256 computed independently) and fails against any other challenge,
/// a one-character change, and itself (no downgrade); `plain` matches exactly the
/// verifier; serde round-trips the verifier; verifiers generated from the input as a
/// random stream parse and verify.
pub fn pkce(data: &[u8]) {
    use oauth_core::pkce::{
        self, CodeChallenge, CodeChallengeMethod as M, CodeVerifier, PkceError, PkcePolicy,
    };
    pkce_generate(data);
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (v, c) = input.split_once(' ').unwrap_or((input, ""));
    let parsed = CodeVerifier::parse(v);
    let s256 = parsed.as_ref().ok().map(CodeChallenge::s256);
    for m in [M::S256, M::Plain] {
        for policy in [PkcePolicy::S256_ONLY, PkcePolicy::ALLOW_PLAIN] {
            let r = pkce::verify(v, c, m, policy);
            let cc = pkce::check_challenge(c, m, policy);
            if m == M::Plain && !policy.allow_plain {
                assert_eq!(r, Err(PkceError::PlainNotAllowed));
                assert_eq!(cc, Err(PkceError::PlainNotAllowed));
                continue;
            }
            let Some(ch) = &s256 else {
                assert_eq!(r, Err(PkceError::InvalidVerifier));
                continue;
            };
            if let Err(e) = cc {
                assert_eq!(r, Err(e));
                continue;
            }
            let expected = match m {
                M::S256 => ch.as_str() == c,
                M::Plain => v == c,
            };
            assert_eq!(r.is_ok(), expected, "verify({m:?}) = {r:?}");
            if !expected {
                assert_eq!(r, Err(PkceError::Mismatch));
            }
        }
    }
    if let (Ok(ver), Some(ch)) = (&parsed, &s256) {
        assert_eq!(ver.as_str(), v);
        assert_eq!(ch.method(), M::S256);
        let digest = ring::digest::digest(&ring::digest::SHA256, v.as_bytes());
        assert_eq!(ch.as_str(), b64(digest.as_ref()), "S256 challenge differs");
        assert_eq!(ch.as_str().len(), pkce::S256_CHALLENGE_LEN);
        assert_eq!(
            pkce::check_challenge(ch.as_str(), M::S256, PkcePolicy::S256_ONLY),
            Ok(())
        );
        assert_eq!(
            pkce::verify(v, ch.as_str(), M::S256, PkcePolicy::S256_ONLY),
            Ok(())
        );
        // Any other challenge fails: each character changed, and the verifier itself.
        for i in 0..ch.as_str().len() {
            let mut other: Vec<u8> = ch.as_str().bytes().collect();
            other[i] = if other[i] == b'A' { b'B' } else { b'A' };
            let other = String::from_utf8(other).expect("ASCII");
            assert_eq!(
                pkce::verify(v, &other, M::S256, PkcePolicy::S256_ONLY),
                Err(PkceError::Mismatch),
                "a challenge differing at {i} verified"
            );
        }
        assert!(
            pkce::verify(v, v, M::S256, PkcePolicy::ALLOW_PLAIN).is_err(),
            "downgrade"
        );
        assert_eq!(
            pkce::verify(v, v, M::Plain, PkcePolicy::ALLOW_PLAIN),
            Ok(())
        );
        let json = serde_json::to_string(ver).expect("serialize");
        assert_eq!(json, serde_json::to_string(v).expect("serialize str"));
        let back: CodeVerifier = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back.as_str(), v);
        assert_eq!(
            v.parse::<CodeVerifier>().map(|x| x.as_str().to_owned()),
            Ok(v.to_owned())
        );
    } else {
        let json = serde_json::to_string(v).expect("serialize str");
        assert!(serde_json::from_str::<CodeVerifier>(&json).is_err());
        assert!(v.parse::<CodeVerifier>().is_err());
    }
    assert_eq!(M::from_param(Some(c)).is_ok(), c == "S256" || c == "plain");
}

/// Verifiers drawn from the input used as a (cycled) random stream.
fn pkce_generate(data: &[u8]) {
    use oauth_core::pkce::{
        self, CodeChallenge, CodeChallengeMethod as M, CodeVerifier, PkcePolicy,
    };
    use oauth_core::rand::RandomError;
    if data.is_empty() {
        return;
    }
    let stream = |pos: &mut usize, buf: &mut [u8]| {
        for b in buf {
            *b = data[*pos % data.len()];
            *pos += 1;
        }
    };
    let check = |v: &CodeVerifier| {
        assert!(
            CodeVerifier::parse(v.as_str()).is_ok(),
            "a generated verifier does not parse"
        );
        let ch = CodeChallenge::s256(v);
        assert_eq!(
            pkce::verify(v.as_str(), ch.as_str(), M::S256, PkcePolicy::S256_ONLY),
            Ok(())
        );
    };
    let len = 43 + data.len() % 86;
    let mut pos = 0;
    let mut rng = |buf: &mut [u8]| -> Result<(), RandomError> {
        stream(&mut pos, buf);
        Ok(())
    };
    match CodeVerifier::generate_with_len(&mut rng, len) {
        Ok(v) => {
            assert_eq!(v.as_str().len(), len);
            check(&v);
        }
        Err(e) => {
            // Only a stream with too few usable bytes (< 198) may run out.
            let usable = (0..64 * 64).filter(|i| data[i % data.len()] < 198).count();
            assert!(
                usable < len,
                "generate_with_len failed ({e:?}) on a usable stream"
            );
        }
    }
    let mut pos = 0;
    let mut rng = |buf: &mut [u8]| -> Result<(), RandomError> {
        stream(&mut pos, buf);
        Ok(())
    };
    let v = CodeVerifier::generate(&mut rng).expect("generate with a working source");
    assert_eq!(v.as_str().len(), 43);
    check(&v);
}
