//! Property tests of PKCE (RFC 7636) verifiers and challenges (issue 3, item 3). All
//! tiers: PKCE is core-tier code.
//!
//! - Verifiers generated from arbitrary RNG output (a closure fed by proptest bytes)
//!   are exactly what the RFC 7636 §4.1 construction and the documented rejection
//!   sampling give, always 43..=128 unreserved characters, and verify against their
//!   own S256 challenge; any other verifier does not.
//! - A failing RNG is reported, never papered over.
//! - `CodeVerifier::parse` (and `FromStr`, serde) accepts exactly the strings of 43 to
//!   128 characters from the unreserved set.
//! - `verify` and `check_challenge` never panic, and their result is exactly the
//!   RFC 7636 §4.6 model (with S256 computed independently: sha2 + the base64 crate);
//!   `plain` is refused unless the policy allows it (RFC 9700 §2.1.1).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::pkce::{
    CodeChallenge, CodeChallengeMethod, CodeVerifier, MAX_VERIFIER_LEN, MIN_VERIFIER_LEN,
    PkceError, PkcePolicy, S256_CHALLENGE_LEN, check_challenge, verify,
};
use oauth_core::rand::RandomError;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use sha2::Digest as _;

/// Deterministic configuration: fixed seed, fixed case count, no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x7636_7636),
        max_shrink_time: 20_000,
        ..ProptestConfig::default()
    }
}

const UNRESERVED: &[u8; 66] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

fn is_unreserved(b: u8) -> bool {
    UNRESERVED.contains(&b)
}

/// RFC 7636 §4.1: `code-verifier = 43*128unreserved`.
fn verifier_ok(s: &str) -> bool {
    (43..=128).contains(&s.len()) && s.bytes().all(is_unreserved)
}

/// RFC 7636 §4.2, computed independently of the crate.
fn s256(verifier: &str) -> String {
    B64.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// The RFC 7636 §4.6 check as the documentation of `verify` orders it.
fn model(
    verifier: &str,
    challenge: &str,
    method: CodeChallengeMethod,
    policy: PkcePolicy,
) -> Result<(), PkceError> {
    if method == CodeChallengeMethod::Plain && !policy.allow_plain {
        return Err(PkceError::PlainNotAllowed);
    }
    if !verifier_ok(verifier) {
        return Err(PkceError::InvalidVerifier);
    }
    model_challenge(challenge, method, policy)?;
    let transformed = match method {
        CodeChallengeMethod::S256 => s256(verifier),
        CodeChallengeMethod::Plain => verifier.to_owned(),
    };
    if transformed == challenge {
        Ok(())
    } else {
        Err(PkceError::Mismatch)
    }
}

fn model_challenge(
    challenge: &str,
    method: CodeChallengeMethod,
    policy: PkcePolicy,
) -> Result<(), PkceError> {
    if method == CodeChallengeMethod::Plain && !policy.allow_plain {
        return Err(PkceError::PlainNotAllowed);
    }
    let ok = match method {
        CodeChallengeMethod::S256 => {
            challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        CodeChallengeMethod::Plain => verifier_ok(challenge),
    };
    if ok {
        Ok(())
    } else {
        Err(PkceError::InvalidChallenge)
    }
}

/// A caller RNG that hands out `stream` cyclically, and fails from call number
/// `fail_at` on (counting from 0). Returns the RNG and a call counter.
fn stream_rng(
    stream: &[u8],
    fail_at: Option<usize>,
) -> impl FnMut(&mut [u8]) -> Result<(), RandomError> + '_ {
    let mut pos = 0usize;
    let mut calls = 0usize;
    move |dest: &mut [u8]| {
        if fail_at.is_some_and(|f| calls >= f) {
            return Err(RandomError);
        }
        calls += 1;
        for b in dest {
            *b = stream[pos % stream.len()];
            pos += 1;
        }
        Ok(())
    }
}

/// What `generate_with_len` must return for this byte stream: the first `len`
/// accepted bytes (`< 198`, 3 preimages per character) mapped with `% 66`, drawn in
/// batches of 64 bytes, at most 64 batches; a failing RNG fails the draw.
fn model_generate(stream: &[u8], fail_at: Option<usize>, len: usize) -> Result<String, PkceError> {
    if !(MIN_VERIFIER_LEN..=MAX_VERIFIER_LEN).contains(&len) {
        return Err(PkceError::InvalidLength);
    }
    let mut out = String::new();
    for batch in 0..64 {
        if fail_at.is_some_and(|f| batch >= f) {
            return Err(PkceError::Random(RandomError));
        }
        for i in 0..64 {
            let b = stream[(batch * 64 + i) % stream.len()];
            if b < 198 && out.len() < len {
                out.push(char::from(UNRESERVED[usize::from(b % 66)]));
            }
        }
        if out.len() == len {
            return Ok(out);
        }
    }
    Err(PkceError::Random(RandomError))
}

/// Byte streams: uniform, mostly rejected bytes, or only rejected bytes.
fn byte_stream() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => any::<u8>(),
        1 => 198u8..=255,
    ];
    prop_oneof![
        6 => proptest::collection::vec(byte, 1..400),
        1 => proptest::collection::vec(198u8..=255, 1..80),
        1 => proptest::collection::vec(prop_oneof![19 => 198u8..=255, 1 => any::<u8>()], 1..200),
    ]
}

/// Strings near the verifier grammar: unreserved characters only, or with one
/// character just outside the set (`+ / = % ! * ' space`, controls, non-ASCII, any),
/// with lengths around 43 and 128.
fn near_verifier() -> impl Strategy<Value = String> {
    let unreserved = proptest::sample::select(UNRESERVED.to_vec()).prop_map(char::from);
    let outside = prop_oneof![
        3 => proptest::sample::select(vec![
            '+', '/', '=', '%', '!', '*', '\'', ' ', '\0', '\n', '\u{7f}', 'é', 'ß', '\u{2010}',
            '\u{ff21}', '😀',
        ]),
        1 => any::<char>(),
    ];
    let len = prop_oneof![
        1 => 0usize..=42,
        2 => 41usize..=45,
        2 => 126usize..=130,
        3 => 43usize..=128,
        1 => 129usize..=300,
    ];
    let valid = len.prop_flat_map(move |n| proptest::collection::vec(unreserved.clone(), n));
    let one_off = (valid.clone(), any::<usize>(), outside).prop_map(|(mut v, at, c)| {
        if !v.is_empty() {
            let at = at % v.len();
            v[at] = c;
        }
        v
    });
    prop_oneof![valid, one_off].prop_map(|v| v.into_iter().collect())
}

fn method() -> impl Strategy<Value = CodeChallengeMethod> {
    prop_oneof![
        Just(CodeChallengeMethod::S256),
        Just(CodeChallengeMethod::Plain)
    ]
}

fn policy() -> impl Strategy<Value = PkcePolicy> {
    prop_oneof![Just(PkcePolicy::S256_ONLY), Just(PkcePolicy::ALLOW_PLAIN)]
}

proptest! {
    #![proptest_config(config(256))]

    /// RFC 7636 §4.1's recommended construction: 32 octets, base64url-encoded.
    #[test]
    fn generate_is_base64url_of_32_octets(stream in byte_stream()) {
        let v = CodeVerifier::generate(&mut stream_rng(&stream, None)).unwrap();
        let octets: Vec<u8> = (0..32).map(|i| stream[i % stream.len()]).collect();
        prop_assert_eq!(v.as_str(), B64.encode(&octets));
        prop_assert_eq!(v.as_str().len(), 43);
        prop_assert!(verifier_ok(v.as_str()));
        let c = CodeChallenge::s256(&v);
        prop_assert_eq!(c.as_str(), s256(v.as_str()));
        prop_assert_eq!(c.as_str().len(), S256_CHALLENGE_LEN);
        prop_assert_eq!(c.method(), CodeChallengeMethod::S256);
        prop_assert_eq!(
            verify(v.as_str(), c.as_str(), CodeChallengeMethod::S256, PkcePolicy::S256_ONLY),
            Ok(())
        );
        prop_assert_eq!(format!("{v:?}"), "CodeVerifier(..)");
        // A failing RNG is an error.
        prop_assert_eq!(
            CodeVerifier::generate(&mut stream_rng(&stream, Some(0))).unwrap_err(),
            RandomError
        );
    }

    /// `generate_with_len` is exactly the documented rejection sampling, for every
    /// length (valid or not) and any byte stream, including failing and hostile ones;
    /// what it returns is a valid verifier matching its own S256 challenge.
    #[test]
    fn generate_with_len_follows_the_model(
        stream in byte_stream(),
        len in prop_oneof![3 => 43usize..=128, 1 => 0usize..=200],
        fail_at in proptest::option::weighted(0.2, 0usize..4),
    ) {
        let got = CodeVerifier::generate_with_len(&mut stream_rng(&stream, fail_at), len);
        let want = model_generate(&stream, fail_at, len);
        match (&got, &want) {
            (Ok(v), Ok(w)) => {
                prop_assert_eq!(v.as_str(), w.as_str());
                prop_assert_eq!(v.as_str().len(), len);
                prop_assert!(verifier_ok(v.as_str()));
                let c = CodeChallenge::s256(v);
                prop_assert_eq!(
                    verify(v.as_str(), c.as_str(), CodeChallengeMethod::S256, PkcePolicy::S256_ONLY),
                    Ok(())
                );
                let parsed = CodeVerifier::parse(v.as_str()).unwrap();
                prop_assert_eq!(parsed.as_str(), v.as_str());
            }
            (Err(e), Err(w)) => prop_assert_eq!(e, w),
            _ => prop_assert!(false, "got {:?}, want {:?}", got.map(|v| v.as_str().to_owned()), want),
        }
    }

    /// A verifier matches its own S256 challenge and no other verifier does: not a
    /// one-character edit, not a prefix or extension, not an arbitrary other one.
    #[test]
    fn only_the_verifier_matches_its_challenge(
        stream in byte_stream(),
        len in 43usize..=128,
        other in near_verifier(),
        edit in (any::<usize>(), proptest::sample::select(UNRESERVED.to_vec())),
        policy in policy(),
    ) {
        let Ok(v) = CodeVerifier::generate_with_len(&mut stream_rng(&stream, None), len) else {
            return Ok(()); // a hostile stream: covered above
        };
        let v = v.as_str();
        let c = CodeChallenge::s256(&CodeVerifier::parse(v).unwrap());
        let c = c.as_str();
        let s = CodeChallengeMethod::S256;
        prop_assert_eq!(verify(v, c, s, policy), Ok(()));

        let mut edited = v.as_bytes().to_vec();
        let (at, ch) = edit;
        let at = at % edited.len();
        if edited[at] != ch {
            edited[at] = ch;
            let edited = String::from_utf8(edited).unwrap();
            prop_assert_eq!(verify(&edited, c, s, policy), Err(PkceError::Mismatch));
        }
        let shorter = &v[..v.len() - 1];
        let longer = format!("{v}~");
        for w in [shorter, longer.as_str(), other.as_str()] {
            let want = if !verifier_ok(w) {
                Err(PkceError::InvalidVerifier)
            } else if w == v {
                Ok(())
            } else {
                Err(PkceError::Mismatch)
            };
            prop_assert_eq!(verify(w, c, s, policy), want, "{:?}", w);
        }
    }

    /// `CodeVerifier::parse` accepts exactly 43..=128 unreserved characters, and
    /// `FromStr`, serde and `check_challenge(.., plain, ..)` agree with it.
    #[test]
    fn parse_accepts_exactly_the_grammar(s in near_verifier()) {
        let ok = verifier_ok(&s);
        match CodeVerifier::parse(&s) {
            Ok(v) => {
                prop_assert!(ok, "accepted {:?}", s);
                prop_assert_eq!(v.as_str(), s.as_str());
            }
            Err(e) => {
                prop_assert!(!ok, "refused {:?}", s);
                prop_assert_eq!(e, PkceError::InvalidVerifier);
            }
        }
        prop_assert_eq!(s.parse::<CodeVerifier>().is_ok(), ok);
        let de = serde_json::from_value::<CodeVerifier>(serde_json::Value::String(s.clone()));
        prop_assert_eq!(de.map(|v| v.as_str().to_owned()).ok(), ok.then(|| s.clone()));
        prop_assert_eq!(
            check_challenge(&s, CodeChallengeMethod::Plain, PkcePolicy::ALLOW_PLAIN).is_ok(),
            ok
        );
    }

    /// `verify` and `check_challenge` never panic, and their result is exactly the
    /// RFC 7636 §4.6 model, for verifiers and challenges that are near-valid,
    /// arbitrary, matching, or each other.
    #[test]
    fn verify_is_the_model(
        verifier in prop_oneof![4 => near_verifier(), 1 => any::<String>()],
        challenge in prop_oneof![near_verifier(), any::<String>(), "[A-Za-z0-9_-]{43}"],
        which in 0u8..4,
        method in method(),
        policy in policy(),
    ) {
        // Sometimes the challenge is derived from the verifier.
        let challenge = match which {
            0 => s256(&verifier),
            1 => verifier.clone(),
            _ => challenge,
        };
        prop_assert_eq!(
            verify(&verifier, &challenge, method, policy),
            model(&verifier, &challenge, method, policy)
        );
        prop_assert_eq!(
            check_challenge(&challenge, method, policy),
            model_challenge(&challenge, method, policy)
        );
    }

    /// `plain` (RFC 7636 §4.2) is refused unless the policy allows it, also when it
    /// is implied by an absent method (RFC 7636 §4.3); the method parameter is parsed
    /// case-sensitively.
    #[test]
    fn plain_only_when_allowed(v in near_verifier(), param in proptest::option::of(
        prop_oneof![
            proptest::sample::select(vec!["S256", "plain", "s256", "PLAIN", "Plain", "S256 ", "", "S512"])
                .prop_map(str::to_owned),
            any::<String>(),
        ]
    )) {
        prop_assert_eq!(PkcePolicy::default(), PkcePolicy::S256_ONLY);
        let plain = CodeChallengeMethod::Plain;
        for policy in [PkcePolicy::default(), PkcePolicy::S256_ONLY] {
            prop_assert_eq!(verify(&v, &v, plain, policy), Err(PkceError::PlainNotAllowed));
            prop_assert_eq!(check_challenge(&v, plain, policy), Err(PkceError::PlainNotAllowed));
        }
        let allowed = verify(&v, &v, plain, PkcePolicy::ALLOW_PLAIN);
        prop_assert_eq!(allowed, if verifier_ok(&v) { Ok(()) } else { Err(PkceError::InvalidVerifier) });

        let m = CodeChallengeMethod::from_param(param.as_deref());
        let want = match param.as_deref() {
            None | Some("plain") => Ok(plain),
            Some("S256") => Ok(CodeChallengeMethod::S256),
            Some(_) => Err(PkceError::UnsupportedMethod),
        };
        prop_assert_eq!(m, want);
        if let Ok(m) = m {
            prop_assert_eq!(m.as_str().parse::<CodeChallengeMethod>(), Ok(m));
            if m == plain {
                prop_assert_eq!(verify(&v, &v, m, PkcePolicy::default()), Err(PkceError::PlainNotAllowed));
            }
        }
    }
}
