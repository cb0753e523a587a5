//! Proof that access-token verification does not touch the heap.
//!
//! This test binary installs a counting global allocator (it only affects this
//! binary) and counts the allocations made by the current thread while
//! `Validation::verify` runs, after all setup. Accepting and rejecting paths are
//! both measured.
//!
//! RSA is the exception, and it is ring's: `ring::signature::RsaPublicKeyComponents::verify`
//! builds the public modulus on the heap on every call. For RS256/PS256 the test
//! counts a direct ring call on the same input and asserts that our verification
//! allocates no more than ring itself does.
//!
//! Runs in the `alloc` and `std` tiers, where the crate *could* allocate. In the
//! core tier the crate does not link `alloc` at all, so an allocation there is
//! impossible by construction (and token signing for the setup needs `alloc`).
#![cfg(feature = "alloc")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use oauth_core::jose::{
    Algorithm, JoseError, Jwk, JwkSet, JwkSetOptions, SigningKey, Validation, VerifyingKey,
    sign_jwt,
};
use oauth_core::time::UnixTime;
use ring::signature::{self, KeyPair as _};

// ---------------------------------------------------------------------------------------------
// Counting allocator
// ---------------------------------------------------------------------------------------------

/// Wraps the system allocator and counts, per thread, every allocation made while
/// counting is switched on for that thread. Per-thread so that the test harness's
/// other threads (tests run in parallel) do not disturb the count.
struct Counting;

thread_local! {
    // `const` initialisers of `Copy` types: no lazy init, no destructor
    // registration, so reading them never allocates (no re-entrancy).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: during thread teardown the slots may be gone; then count nothing.
    let _ = ACTIVE.try_with(|a| {
        if a.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: the crate itself forbids unsafe code (`#![forbid(unsafe_code)]` in
// src/lib.rs); this is a separate test binary, and a `GlobalAlloc` impl cannot be
// written without `unsafe`. Every method forwards to `System` with the caller's
// arguments unchanged, so `System`'s guarantees carry over; the only extra work is
// bumping a thread-local counter, which does not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: as above; `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations (`alloc`,
/// `alloc_zeroed`, `realloc`) the current thread made meanwhile.
fn count<R>(f: impl FnOnce() -> R) -> (R, usize) {
    COUNT.with(|c| c.set(0));
    ACTIVE.with(|a| a.set(true));
    let r = black_box(f());
    ACTIVE.with(|a| a.set(false));
    (r, COUNT.with(Cell::get))
}

#[test]
fn the_counter_sees_allocations() {
    let (v, n) = count(|| black_box(vec![1u8; 16]));
    assert_eq!(v.len(), 16);
    assert_eq!(n, 1, "the counting allocator must see a Vec allocation");
    let ((), n) = count(|| ());
    assert_eq!(n, 0);
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const ISSUER: &str = "https://as.example.com";
const AUDIENCE: &str = "https://mcp.example.com/mcp";
const NOW: u64 = 1_750_000_000;
const HMAC_SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const RUNS: usize = 5;

/// RFC 7520 §3.4 RSA-2048 private key (public test vector).
const RSA_JWK: &str = r#"{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig",
"n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
"e":"AQAB",
"d":"bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
"p":"3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
"q":"uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
"dp":"B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
"dq":"CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
"qi":"3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"}"#;

fn claims(exp: u64) -> serde_json::Value {
    serde_json::json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-5f2a9c41",
        "client_id": "mcp-client-7c1e",
        "scope": "mcp:tools mcp:resources",
        "iat": NOW - 10,
        "exp": exp,
        "jti": "6f1c2a7e-93b4-4d0e-8a55-0c9f3e2b7d14",
        "tenant": "acme-corp",
    })
}

/// A signer and its verifying key, both with kid `k1`.
struct Fixture {
    /// Read by the ring-only RSA test.
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    alg: Algorithm,
    signer: SigningKey,
    key: VerifyingKey,
}

impl Fixture {
    fn token(&self, exp: u64) -> String {
        sign_jwt(&claims(exp), &self.signer, Some("at+jwt")).expect("signs")
    }
}

fn fixture(alg: Algorithm) -> Fixture {
    let rng = ring::rand::SystemRandom::new();
    let signer = match alg {
        Algorithm::HS256 => SigningKey::hmac(alg, HMAC_SECRET).unwrap(),
        Algorithm::ES256 => {
            let pkcs8 = signature::EcdsaKeyPair::generate_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &rng,
            )
            .unwrap();
            SigningKey::from_pkcs8(alg, pkcs8.as_ref()).unwrap()
        }
        Algorithm::EdDSA => {
            let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
            SigningKey::from_pkcs8(alg, pkcs8.as_ref()).unwrap()
        }
        Algorithm::RS256 | Algorithm::PS256 => Jwk::parse(RSA_JWK.as_bytes())
            .unwrap()
            .to_signing_key(Some(alg))
            .unwrap(),
        other => panic!("no fixture for {other:?}"),
    };
    let signer = signer.with_kid("k1").unwrap();
    let key = match alg {
        Algorithm::HS256 => VerifyingKey::hmac(alg, HMAC_SECRET)
            .unwrap()
            .with_kid("k1")
            .unwrap(),
        _ => signer.verifying_key().unwrap(),
    };
    Fixture { alg, signer, key }
}

fn validation() -> Validation<'static> {
    Validation::access_token(ISSUER, AUDIENCE)
}

/// Counts the allocations of one `verify` call (scratch on the stack).
fn verify_count(
    v: &Validation<'_>,
    token: &str,
    keys: &(impl oauth_core::jose::KeyResolver + ?Sized),
) -> (Result<(), JoseError>, usize) {
    count(|| {
        let mut scratch = [0u8; 2048];
        v.verify(
            black_box(token),
            keys,
            UnixTime::from_secs(NOW),
            &mut scratch,
        )
        .map(|jwt| {
            // Read the claims inside the window: reading must not allocate either.
            assert!(
                jwt.claims()
                    .sub()
                    .is_some_and(|s| s.eq_str("user-5f2a9c41"))
            );
            assert!(jwt.claims().get_str("scope").unwrap().is_some());
        })
    })
}

/// Flips one character in the middle of the signature segment.
fn tamper_signature(token: &str) -> String {
    let dot = token.rfind('.').unwrap();
    let i = dot + 1 + (token.len() - dot - 1) / 2;
    let mut b = token.as_bytes().to_vec();
    b[i] = if b[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(b).unwrap()
}

/// Allocations of ring's own RSA verification of `token` (the floor for RS*/PS*).
#[cfg(feature = "ring")]
fn ring_rsa_count(alg: Algorithm, token: &str) -> usize {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let jwk: serde_json::Value = serde_json::from_str(RSA_JWK).unwrap();
    let n = b64.decode(jwk["n"].as_str().unwrap()).unwrap();
    let e = b64.decode(jwk["e"].as_str().unwrap()).unwrap();
    let (msg, sig_b64) = token.rsplit_once('.').unwrap();
    let sig = b64.decode(sig_b64).unwrap();
    let params = match alg {
        Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
        other => panic!("not RSA: {other:?}"),
    };
    let components = signature::RsaPublicKeyComponents {
        n: &n[..],
        e: &e[..],
    };
    let mut counts = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (r, n) = count(|| {
            components
                .verify(params, black_box(msg.as_bytes()), &sig)
                .is_ok()
        });
        assert!(r, "ring accepts the {alg:?} token");
        counts.push(n);
    }
    let max = counts.iter().copied().max().unwrap();
    assert!(
        counts.iter().all(|&c| c == max),
        "ring's count is stable: {counts:?}"
    );
    max
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn valid_tokens_verify_without_allocating() {
    let v = validation();
    for alg in [Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA] {
        let f = fixture(alg);
        let token = f.token(NOW + 300);
        for run in 0..RUNS {
            let (r, n) = verify_count(&v, &token, &f.key);
            assert_eq!(r, Ok(()), "{alg:?} token must verify");
            assert_eq!(
                n, 0,
                "{alg:?}: Validation::verify allocated {n} times (run {run})"
            );
        }
    }
}

#[test]
fn invalid_tokens_are_rejected_without_allocating() {
    for alg in [Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA] {
        let f = fixture(alg);
        let good = f.token(NOW + 300);
        let cases: [(&str, String, Validation<'_>, JoseError); 5] = [
            (
                "bad signature",
                tamper_signature(&good),
                validation(),
                JoseError::InvalidSignature,
            ),
            (
                "expired",
                f.token(NOW - 3600),
                validation(),
                JoseError::Expired,
            ),
            (
                "wrong aud",
                good.clone(),
                Validation::access_token(ISSUER, "https://other.example/api"),
                JoseError::InvalidAudience,
            ),
            (
                "wrong iss",
                good.clone(),
                Validation::access_token("https://evil.example", AUDIENCE),
                JoseError::InvalidIssuer,
            ),
            (
                "malformed",
                good.replacen('.', "..", 1),
                validation(),
                JoseError::Malformed,
            ),
        ];
        for (what, token, v, want) in &cases {
            for run in 0..RUNS {
                let (r, n) = verify_count(v, token, &f.key);
                assert_eq!(r.as_ref().unwrap_err(), want, "{alg:?} {what}");
                assert_eq!(
                    n, 0,
                    "{alg:?} {what}: rejection allocated {n} times (run {run})"
                );
            }
        }
    }
}

#[test]
fn jwk_set_resolved_verification_does_not_allocate() {
    // Built (allocating) in setup: a set of 64 Ed25519 keys, and a separate set of
    // 8 HS256 `oct` keys (a set may not mix symmetric and asymmetric keys).
    let rng = ring::rand::SystemRandom::new();
    let b64 = oauth_core::encoding::base64url::encode_string;
    let mut okp = Vec::new();
    let mut token = String::new();
    for i in 0..64 {
        let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let kp = signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let kid = format!("k-{i}");
        okp.push(serde_json::json!({
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid,
            "x": b64(kp.public_key().as_ref()),
        }));
        if i == 32 {
            let sk = SigningKey::from_pkcs8(Algorithm::EdDSA, pkcs8.as_ref())
                .unwrap()
                .with_kid(&kid)
                .unwrap();
            token = sign_jwt(&claims(NOW + 300), &sk, Some("at+jwt")).unwrap();
        }
    }
    let okp_set = JwkSet::parse(
        serde_json::json!({ "keys": okp }).to_string().as_bytes(),
        &JwkSetOptions::default(),
    )
    .unwrap();
    assert_eq!((okp_set.len(), okp_set.skipped().len()), (64, 0));

    let secret = |i: u8| [i; 32];
    let oct: Vec<_> = (0..8u8)
        .map(|i| serde_json::json!({ "kty": "oct", "alg": "HS256", "kid": format!("hmac-{i}"), "k": b64(&secret(i)) }))
        .collect();
    let oct_set = JwkSet::parse(
        serde_json::json!({ "keys": oct }).to_string().as_bytes(),
        &JwkSetOptions::default(),
    )
    .unwrap();
    assert_eq!((oct_set.len(), oct_set.skipped().len()), (8, 0));
    let hs = |kid: &str, i: u8| {
        let sk = SigningKey::hmac(Algorithm::HS256, &secret(i))
            .unwrap()
            .with_kid(kid)
            .unwrap();
        sign_jwt(&claims(NOW + 300), &sk, Some("at+jwt")).unwrap()
    };
    let hs_ok = hs("hmac-5", 5);
    let unknown_kid = hs("hmac-99", 5);
    let wrong_secret = hs("hmac-5", 6);
    let bad_sig = tamper_signature(&token);

    let v = validation();
    for run in 0..RUNS {
        let (r, n) = verify_count(&v, &token, &okp_set);
        assert_eq!(r, Ok(()), "EdDSA k-32 verifies through the JwkSet");
        assert_eq!(
            n, 0,
            "EdDSA via JwkSet: verify allocated {n} times (run {run})"
        );
        let (r, n) = verify_count(&v, &hs_ok, &oct_set);
        assert_eq!(r, Ok(()), "HS256 hmac-5 verifies through the JwkSet");
        assert_eq!(
            n, 0,
            "HS256 via JwkSet: verify allocated {n} times (run {run})"
        );
        let rejections: [(&str, &str, &JwkSet, JoseError); 3] = [
            (
                "unknown kid",
                &unknown_kid,
                &oct_set,
                JoseError::KeyNotFound,
            ),
            (
                "wrong secret",
                &wrong_secret,
                &oct_set,
                JoseError::InvalidSignature,
            ),
            (
                "bad signature",
                &bad_sig,
                &okp_set,
                JoseError::InvalidSignature,
            ),
        ];
        for (what, tok, set, want) in rejections {
            let (r, n) = verify_count(&v, tok, set);
            assert_eq!(r, Err(want), "{what}");
            assert_eq!(
                n, 0,
                "{what} via JwkSet: rejection allocated {n} times (run {run})"
            );
        }
    }
}

/// RSA: ring allocates inside `RsaPublicKeyComponents::verify` (it builds the
/// modulus per call). Our verification may allocate exactly that much and no more.
/// (The RustCrypto backend's RSA, the `rsa` crate, allocates its big integers: not
/// measured against ring.)
#[cfg(feature = "ring")]
#[test]
fn rsa_allocates_no_more_than_ring_itself() {
    for alg in [Algorithm::RS256, Algorithm::PS256] {
        let f = fixture(alg);
        assert_eq!(f.alg, alg);
        let token = f.token(NOW + 300);
        let ring_n = ring_rsa_count(alg, &token);
        assert!(
            ring_n <= 16,
            "{alg:?}: ring's own verify allocated {ring_n} times"
        );
        let v = validation();
        let mut ours = Vec::with_capacity(RUNS);
        for run in 0..RUNS {
            let (r, n) = verify_count(&v, &token, &f.key);
            assert_eq!(r, Ok(()), "{alg:?} token must verify");
            assert!(
                n <= ring_n,
                "{alg:?}: verify allocated {n} times, ring alone {ring_n} (run {run})"
            );
            ours.push(n);
        }
        println!(
            "{alg:?}: oauth-core verify allocations per call = {ours:?}; ring RsaPublicKeyComponents::verify alone = {ring_n}"
        );
        // Rejections before the signature check touch no heap at all; after it,
        // only ring's allocations remain.
        let (r, n) = verify_count(
            &Validation::access_token(ISSUER, "https://other.example/api"),
            &token,
            &f.key,
        );
        assert_eq!(r, Err(JoseError::InvalidAudience));
        assert!(n <= ring_n, "{alg:?} wrong aud: {n} > ring's {ring_n}");
        let wrong_aud = n;
        let (r, n) = verify_count(&v, &tamper_signature(&token), &f.key);
        assert_eq!(r, Err(JoseError::InvalidSignature));
        assert!(n <= ring_n, "{alg:?} bad signature: {n} > ring's {ring_n}");
        println!("{alg:?}: rejections: wrong aud {wrong_aud}, bad signature {n} allocations");
        let (r, n) = verify_count(&v, &token.replacen('.', "..", 1), &f.key);
        assert_eq!(r, Err(JoseError::Malformed));
        assert_eq!(
            n, 0,
            "{alg:?} malformed: allocated {n} times before any crypto"
        );
    }
}
