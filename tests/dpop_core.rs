//! DPoP proof verification in the core tier (no allocator in the crate):
//! RFC 9449's own proofs (Figures 2 and 13) and one recorded from joserfc, a
//! fixed-capacity `ReplayCache`, and every rule a resource server relies on.
//! Runs in every tier (`cargo test --no-default-features --test dpop_core` too);
//! in the alloc tiers it also checks that verification makes no heap allocation.

mod dpop_fixtures;

use core::cell::RefCell;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use dpop_fixtures::{FIG2, FIG12_TOKEN, FIG13, JKT};
use oauth_core::dpop::{
    DpopError, MAX_PROOF_LEN, NonceIssuer, NonceRule, NormalizedHtu, ProofCheck, ReplayCache,
    access_token_hash, htu_matches, verify_proof,
};
use oauth_core::jose::Algorithm;
use oauth_core::time::{Duration, Leeway, UnixTime};

/// Figure 2's `iat` (and Figure 13's, two seconds later).
const FIG2_IAT: u64 = 1_562_262_616;
const FIG13_IAT: u64 = 1_562_262_618;
const TOKEN_ENDPOINT: &str = "https://server.example.com/token";
const RESOURCE: &str = "https://resource.example.org/protectedresource";

fn cache<const N: usize>() -> RefCell<ReplayCache<N>> {
    RefCell::new(ReplayCache::new())
}

#[test]
fn figure_2_verifies_and_replay_is_refused() {
    let replay = cache::<8>();
    let check = ProofCheck::new("POST", TOKEN_ENDPOINT);
    let now = UnixTime::from_secs(FIG2_IAT);
    let p = verify_proof(FIG2, &check, now, &replay).unwrap();
    // RFC 9449 §6.1 Figure 8: the example key's thumbprint.
    assert_eq!(p.jkt(), JKT);
    assert_eq!(p.algorithm(), Algorithm::ES256);
    assert_eq!(p.issued_at(), UnixTime::from_secs(FIG2_IAT));
    assert!(p.check_binding(JKT).is_ok());
    assert_eq!(replay.borrow().len(), 1);
    // RFC 9449 §11.1: the same proof again is a replay, even a second later.
    assert_eq!(
        verify_proof(FIG2, &check, UnixTime::from_secs(FIG2_IAT + 1), &replay),
        Err(DpopError::Replayed)
    );
    assert_eq!(replay.borrow().len(), 1);
}

#[test]
fn figure_13_ath_binds_figure_12_token() {
    // RFC 9449 §7.1: Figure 13's ath is the hash of Figure 12's token.
    assert_eq!(
        access_token_hash(FIG12_TOKEN).as_str(),
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
    );
    let now = UnixTime::from_secs(FIG13_IAT);
    let check = ProofCheck::new("GET", RESOURCE).access_token(FIG12_TOKEN);
    assert_eq!(
        verify_proof(FIG13, &check, now, &cache::<8>())
            .unwrap()
            .jkt(),
        JKT
    );
    // RFC 9449 §4.3 check 12: another token's hash does not match.
    let other = ProofCheck::new("GET", RESOURCE).access_token("another-token");
    assert_eq!(
        verify_proof(FIG13, &other, now, &cache::<8>()),
        Err(DpopError::AccessTokenHashMismatch)
    );
    // Figure 2 has no ath: refused when a token is presented.
    let with_token = ProofCheck::new("POST", TOKEN_ENDPOINT).access_token(FIG12_TOKEN);
    assert_eq!(
        verify_proof(
            FIG2,
            &with_token,
            UnixTime::from_secs(FIG2_IAT),
            &cache::<8>()
        ),
        Err(DpopError::MissingClaim("ath"))
    );
}

#[test]
fn wrong_method_and_uri_are_refused() {
    let now = UnixTime::from_secs(FIG2_IAT);
    // RFC 9449 §4.3 check 8: the method, case-sensitive.
    for method in ["GET", "post"] {
        let check = ProofCheck::new(method, TOKEN_ENDPOINT);
        assert_eq!(
            verify_proof(FIG2, &check, now, &cache::<8>()),
            Err(DpopError::MethodMismatch),
            "{method}"
        );
    }
    // RFC 9449 §4.3 check 9: the URI, after normalisation.
    for uri in [
        "https://server.example.com/token2",
        "https://server.example.com/token/",
        "http://server.example.com/token",
        "https://server.example.org/token",
        "https://server.example.com:8443/token",
        "https://server.example.com/Token",
        "/token",
    ] {
        let check = ProofCheck::new("POST", uri);
        assert_eq!(
            verify_proof(FIG2, &check, now, &cache::<8>()),
            Err(DpopError::UriMismatch),
            "{uri}"
        );
    }
    for uri in [
        "https://SERVER.example.com:443/token?x=1",
        "HTTPS://server.example.com/a/../%74oken#f",
    ] {
        let check = ProofCheck::new("POST", uri);
        assert!(
            verify_proof(FIG2, &check, now, &cache::<8>()).is_ok(),
            "{uri}"
        );
    }
}

#[test]
fn iat_outside_the_window_is_refused() {
    let check = ProofCheck::new("POST", TOKEN_ENDPOINT);
    // Default window 60 s each way, plus 5 s leeway (RFC 9449 §11.1).
    for (now, ok) in [
        (FIG2_IAT + 65, true),
        (FIG2_IAT + 66, false),
        (FIG2_IAT - 65, true),
        (FIG2_IAT - 66, false),
        (FIG2_IAT + 3600, false),
    ] {
        let got = verify_proof(FIG2, &check, UnixTime::from_secs(now), &cache::<8>());
        if ok {
            assert!(got.is_ok(), "{now}");
        } else {
            assert_eq!(got, Err(DpopError::IatOutOfWindow), "{now}");
        }
    }
    let tight = check.iat_window(Duration::from_secs(1), Leeway::new(Duration::from_secs(0)));
    assert_eq!(
        verify_proof(
            FIG2,
            &tight,
            UnixTime::from_secs(FIG2_IAT + 2),
            &cache::<8>()
        ),
        Err(DpopError::IatOutOfWindow)
    );
}

#[test]
fn a_full_cache_refuses_rather_than_forgets() {
    let replay = cache::<1>();
    let now = UnixTime::from_secs(FIG13_IAT);
    let fig2 = ProofCheck::new("POST", TOKEN_ENDPOINT);
    let fig13 = ProofCheck::new("GET", RESOURCE).access_token(FIG12_TOKEN);
    assert!(verify_proof(FIG2, &fig2, now, &replay).is_ok());
    assert_eq!(
        verify_proof(FIG13, &fig13, now, &replay),
        Err(DpopError::ReplayStoreFull)
    );
    // Once Figure 2's entry has expired (iat + 65 s), its slot is reused.
    let later = UnixTime::from_secs(FIG2_IAT + 66);
    assert!(verify_proof(FIG13, &fig13, later, &replay).is_ok());
    // A refused proof records nothing.
    let replay = cache::<8>();
    let wrong = ProofCheck::new("GET", TOKEN_ENDPOINT);
    assert!(verify_proof(FIG2, &wrong, now, &replay).is_err());
    assert!(replay.borrow().is_empty());
}

#[test]
fn tampered_and_malformed_proofs() {
    let check = ProofCheck::new("POST", TOKEN_ENDPOINT);
    let now = UnixTime::from_secs(FIG2_IAT);
    // One signature character changed: RFC 9449 §4.3 check 6.
    let (input, sig) = FIG2.rsplit_once('.').unwrap();
    let flipped = if sig.starts_with('2') { "3" } else { "2" };
    let tampered = format!("{input}.{flipped}{}", &sig[1..]);
    assert_eq!(
        verify_proof(&tampered, &check, now, &cache::<8>()),
        Err(DpopError::InvalidSignature)
    );
    // Figure 13's claims under Figure 2's signature.
    let fig2: Vec<&str> = FIG2.split('.').collect();
    let fig13: Vec<&str> = FIG13.split('.').collect();
    let spliced = format!("{}.{}.{}", fig2[0], fig13[1], fig2[2]);
    assert_eq!(
        verify_proof(&spliced, &check, now, &cache::<8>()),
        Err(DpopError::InvalidSignature)
    );
    assert!(matches!(
        verify_proof("not-a-jws", &check, now, &cache::<8>()),
        Err(DpopError::Malformed(_))
    ));
    assert!(matches!(
        verify_proof("a.b!.c", &check, now, &cache::<8>()),
        Err(DpopError::Malformed(_))
    ));
    let huge = "a".repeat(MAX_PROOF_LEN + 1);
    assert_eq!(
        verify_proof(&huge, &check, now, &cache::<8>()),
        Err(DpopError::TooLarge)
    );
    // Only asymmetric algorithms the check allows (RFC 9449 §4.3 check 5).
    let eddsa_only = check.algorithms(&[Algorithm::EdDSA]);
    assert_eq!(
        verify_proof(FIG2, &eddsa_only, now, &cache::<8>()),
        Err(DpopError::AlgorithmNotAllowed)
    );
}

#[test]
fn nonce_rules() {
    let now = UnixTime::from_secs(FIG2_IAT);
    // Figure 2 carries no nonce: a server that requires one answers
    // use_dpop_nonce (RFC 9449 §8).
    let issuer = NonceIssuer::new(&[7u8; 32], Duration::from_secs(300)).unwrap();
    let check = ProofCheck::new("POST", TOKEN_ENDPOINT).nonce(NonceRule::Rotating(&issuer));
    assert_eq!(
        verify_proof(FIG2, &check, now, &cache::<8>()),
        Err(DpopError::UseNonce)
    );
    let exact = ProofCheck::new("POST", TOKEN_ENDPOINT).nonce(NonceRule::Exact("n"));
    assert_eq!(
        verify_proof(FIG2, &exact, now, &cache::<8>()),
        Err(DpopError::UseNonce)
    );
    let n = issuer.current(now);
    assert_eq!(n.len(), 43);
    assert!(issuer.is_valid(&n, now));
}

/// A proof made by joserfc (a real peer; tests/resource_fixtures/joserfc.json,
/// recorded by record_joserfc.py), checked in the core tier.
#[test]
fn joserfc_proof_verifies() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/resource_fixtures/joserfc.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    let s = |k: &str| f[k].as_str().unwrap();
    let now = UnixTime::from_secs(f["now"].as_u64().unwrap());
    let check = ProofCheck::new("POST", s("resource")).access_token(s("access_token"));
    assert_eq!(access_token_hash(s("access_token")).as_str(), s("ath"));
    let replay = cache::<8>();
    assert_eq!(
        verify_proof(s("dpop_proof"), &check, now, &replay)
            .unwrap()
            .jkt(),
        s("jkt")
    );
    assert_eq!(
        verify_proof(s("dpop_proof"), &check, now, &replay),
        Err(DpopError::Replayed)
    );
}

#[test]
fn htu_normal_form_without_an_allocator() {
    // RFC 3986 §6.2.2 and §6.2.3 examples, with the http scheme.
    assert!(htu_matches(
        "http://a/b/c/%7Bfoo%7D",
        "HTTP://A/./b/../b/%63/%7bfoo%7d"
    ));
    assert!(htu_matches("http://example.com", "http://example.com:80/"));
    assert!(htu_matches(
        "http://[::1]:8080/x",
        "http://[0:0::1]:8080/x?q"
    ));
    let n = NormalizedHtu::parse("HTTPS://Server.Example.COM:443/a/./b/../%7etoken?x#y").unwrap();
    let mut out = heapless::String::<64>::new();
    core::fmt::Write::write_fmt(&mut out, format_args!("{n}")).unwrap();
    assert_eq!(out, "https://server.example.com/a/~token");
}

// -------------------------------------------------------------------------------
// No heap use, in any tier: a counting allocator for this test binary.
// -------------------------------------------------------------------------------

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn verification_makes_no_heap_allocation() {
    let replay = cache::<8>();
    let now = UnixTime::from_secs(FIG13_IAT);
    let fig13 = ProofCheck::new("GET", RESOURCE).access_token(FIG12_TOKEN);
    let fig2 = ProofCheck::new("POST", TOKEN_ENDPOINT);
    let wrong = ProofCheck::new("POST", "https://server.example.com/other");
    let n = allocations_in(|| {
        assert!(verify_proof(FIG13, &fig13, now, &replay).is_ok());
        assert_eq!(
            verify_proof(FIG13, &fig13, now, &replay),
            Err(DpopError::Replayed)
        );
        assert_eq!(
            verify_proof(FIG2, &wrong, now, &replay),
            Err(DpopError::UriMismatch)
        );
        assert!(verify_proof(FIG2, &fig2, now, &replay).is_ok());
    });
    assert_eq!(n, 0);
}
