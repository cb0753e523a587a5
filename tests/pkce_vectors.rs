//! RFC 7636 vectors (`vectors/rfc7636.json`) through the public PKCE API, in every
//! feature tier (the PKCE module needs no allocator).

use oauth_core::pkce::{
    CodeChallenge, CodeChallengeMethod, CodeVerifier, PkceError, PkcePolicy, check_challenge,
    verify,
};
use oauth_core::rand::RandomError;

const APPENDIX_B_OCTETS: [u8; 32] = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77,
    105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
];

#[test]
fn rfc7636_appendix_b_from_octets() {
    let mut rng = |d: &mut [u8]| -> Result<(), RandomError> {
        d.copy_from_slice(&APPENDIX_B_OCTETS);
        Ok(())
    };
    let verifier = CodeVerifier::generate(&mut rng).unwrap();
    assert_eq!(
        verifier.as_str(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    let challenge = CodeChallenge::s256(&verifier);
    assert_eq!(
        challenge.as_str(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(challenge.method().as_str(), "S256");
    check_challenge(
        challenge.as_str(),
        challenge.method(),
        PkcePolicy::default(),
    )
    .unwrap();
    verify(
        verifier.as_str(),
        challenge.as_str(),
        CodeChallengeMethod::S256,
        PkcePolicy::default(),
    )
    .unwrap();
    assert_eq!(format!("{verifier:?}"), "CodeVerifier(..)");
}

#[test]
fn shared_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/rfc7636.json");
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let id = case["id"].as_str().unwrap();
        assert_eq!(case["kind"], "pkce", "{id}");
        let verifier = case["code_verifier"].as_str().unwrap();
        let challenge = case["code_challenge"].as_str().unwrap();
        let method: CodeChallengeMethod = case["method"].as_str().unwrap().parse().unwrap();

        // plain is refused under the default policy whatever the values (RFC 9700 §2.1.1).
        if method == CodeChallengeMethod::Plain {
            assert_eq!(
                verify(verifier, challenge, method, PkcePolicy::default()),
                Err(PkceError::PlainNotAllowed),
                "{id}"
            );
        }
        let got = verify(verifier, challenge, method, PkcePolicy::ALLOW_PLAIN);
        match (case["expect"].as_str().unwrap(), case["error"].as_str()) {
            ("valid", _) => {
                assert_eq!(got, Ok(()), "{id}");
                if method == CodeChallengeMethod::S256 {
                    let v = CodeVerifier::parse(verifier).unwrap();
                    assert_eq!(CodeChallenge::s256(&v).as_str(), challenge, "{id}");
                    assert_eq!(
                        verify(verifier, challenge, method, PkcePolicy::default()),
                        Ok(())
                    );
                }
            }
            ("invalid", Some("pkce_syntax")) => {
                assert_eq!(got, Err(PkceError::InvalidVerifier), "{id}");
                assert!(CodeVerifier::parse(verifier).is_err(), "{id}");
            }
            // Q: a padded (44-character) S256 challenge is labelled a mismatch in the
            // vectors; we refuse it one step earlier, on syntax. A: both reject; the
            // challenge check (RFC 7636 §4.2: 43 base64url characters) runs before
            // the comparison, so either error is accepted here.
            ("invalid", Some("pkce_mismatch")) => {
                assert!(
                    matches!(got, Err(PkceError::Mismatch | PkceError::InvalidChallenge)),
                    "{id}: {got:?}"
                );
            }
            (expect, error) => panic!("{id}: unknown expectation {expect} / {error:?}"),
        }
        if let Some(octets_b64) = case["verifier_octets_b64"].as_str() {
            let mut octets = [0u8; 32];
            let n =
                oauth_core::encoding::base64url::decode_secret(octets_b64.as_bytes(), &mut octets)
                    .unwrap()
                    .len();
            assert_eq!(n, 32, "{id}");
            let mut rng = |d: &mut [u8]| -> Result<(), RandomError> {
                d.copy_from_slice(&octets);
                Ok(())
            };
            assert_eq!(
                CodeVerifier::generate(&mut rng).unwrap().as_str(),
                verifier,
                "{id}"
            );
        }
    }
}

#[test]
fn generated_verifiers_verify() {
    // A deterministic byte stream stands in for a CSPRNG.
    let mut state = 0x1234_5678_9abc_def0_u64;
    let mut rng = |d: &mut [u8]| -> Result<(), RandomError> {
        for b in d.iter_mut() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            *b = (state >> 56) as u8;
        }
        Ok(())
    };
    for len in [43, 44, 64, 100, 127, 128] {
        let v = CodeVerifier::generate_with_len(&mut rng, len).unwrap();
        assert_eq!(v.as_str().len(), len);
        let c = CodeChallenge::s256(&v);
        verify(v.as_str(), c.as_str(), c.method(), PkcePolicy::default()).unwrap();
        let reparsed: CodeVerifier = v.as_str().parse().unwrap();
        assert_eq!(reparsed.as_str(), v.as_str());
    }
    assert_eq!(
        CodeVerifier::generate_with_len(&mut rng, 42).map(|_| ()),
        Err(PkceError::InvalidLength)
    );
}

#[test]
fn verifier_serde_round_trip_validates() {
    let v = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(json, "\"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\"");
    let back: CodeVerifier = serde_json::from_str(&json).unwrap();
    assert_eq!(back.as_str(), v.as_str());
    assert!(serde_json::from_str::<CodeVerifier>("\"too-short\"").is_err());
}
