//! Which crypto backend does what, seen through the public API, in every feature
//! combination: ring alone has no ES512; RustCrypto (no `ring` with `es512`, or
//! `ring` + `rustcrypto`) adds it, with deterministic (RFC 6979) signatures;
//! ES384 needs `es384` (implied by `ring` and `rustcrypto`); RustCrypto verifies
//! RSA (only with `rustcrypto-rsa`, implied by `rustcrypto`) but does not sign with
//! it; without ring and without `rustcrypto-rsa` RSA keys are refused as unsupported.
//!
//! The expected ES512 signature was made by an independent implementation
//! (python-ecdsa, `sign_deterministic` with SHA-512, which reproduces RFC 6979
//! A.2.7) with the RFC 7520 §3.2 key; the PKCS#8 document is that key as Python's
//! `cryptography` writes it.

use oauth_core::jose::{Algorithm, Jwk, KeyError, VerifyingKey};

/// ES512 verification and signing come from RustCrypto's P-521 (`es512`), which
/// runs when `ring` is off or when `rustcrypto` (which implies `es512`) is named
/// next to it.
const ES512: bool = cfg!(all(
    feature = "es512",
    any(not(feature = "ring"), feature = "rustcrypto")
));
/// P-384 is the `es384` feature (implied by `ring` and `rustcrypto`).
const ES384: bool = cfg!(feature = "es384");
/// RSA signing is ring's only.
#[cfg(feature = "alloc")]
const RSA_SIGNING: bool = cfg!(feature = "ring");
/// RSA verification: ring, or RustCrypto's `rsa` crate with `rustcrypto-rsa` (not part
/// of `alloc`, so that plain `alloc` builds do not compile it); both need `alloc`.
const RSA_VERIFYING: bool = cfg!(all(
    feature = "alloc",
    any(feature = "ring", feature = "rustcrypto-rsa")
));

fn rfc7520_jwk(name: &str) -> Vec<u8> {
    let path = format!("{}/vectors/rfc7520/jwk/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn es512_is_there_exactly_when_rustcrypto_is() {
    let public = rfc7520_jwk("3_1.ec_public_key.json");
    let got = Jwk::parse(&public).unwrap().to_verifying_key(None);
    if ES512 {
        assert_eq!(got.unwrap().algorithm(), Algorithm::ES512);
    } else {
        assert_eq!(got.unwrap_err(), KeyError::NotSupportedByBackend);
    }
    // Off-curve P-521 points are refused when the key is built.
    let mut point = [0u8; 133];
    point[0] = 4;
    point[132] = 1;
    let got = VerifyingKey::ec(Algorithm::ES512, &point).unwrap_err();
    let want = if ES512 {
        KeyError::InvalidPoint
    } else {
        KeyError::NotSupportedByBackend
    };
    assert_eq!(got, want);
}

#[test]
fn es384_is_there_exactly_when_es384_is() {
    // RFC 6979 A.2.6's P-384 public key, as a JWK without `alg` (the curve decides).
    let jwk = br#"{"kty":"EC","crv":"P-384","x":"7DpOQVtOGaRWhhgCn0J_pdqai8SukuAuBqrlKGswDGTe-PDqkFWGYGSiVFFUgLwT","y":"gBXZty19VyROqO-awMYhiWcIpZNn-d-59UyoSz8cnbEoiyMcOuDU_nNE_SUzJkcg"}"#;
    let got = Jwk::parse(jwk).unwrap().to_verifying_key(None);
    if ES384 {
        assert_eq!(got.unwrap().algorithm(), Algorithm::ES384);
    } else {
        assert_eq!(got.unwrap_err(), KeyError::NotSupportedByBackend);
    }
    let mut point = [0u8; 97];
    point[0] = 4;
    let got = VerifyingKey::ec(Algorithm::ES384, &point).unwrap_err();
    let want = if ES384 {
        KeyError::InvalidPoint
    } else {
        KeyError::NotSupportedByBackend
    };
    assert_eq!(got, want);
}

#[test]
fn rsa_is_there_exactly_when_ring_or_rustcrypto_rsa_is() {
    // RFC 7520 §3.3 (a 2048-bit key, no `alg`: pinned to RS256, as in §4.1).
    let public = rfc7520_jwk("3_3.rsa_public_key.json");
    let spki_pem = std::fs::read_to_string(format!(
        "{}/tests/data/pem/rs256_public.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    for alg in [Algorithm::RS256, Algorithm::PS512] {
        let from_jwk = Jwk::parse(&public).unwrap().to_verifying_key(Some(alg));
        let from_spki = VerifyingKey::from_spki_pem(alg, &spki_pem);
        if RSA_VERIFYING {
            assert_eq!(from_jwk.unwrap().algorithm(), alg);
            assert_eq!(from_spki.unwrap().algorithm(), alg);
        } else {
            assert_eq!(
                from_jwk.unwrap_err(),
                KeyError::NotSupportedByBackend,
                "{alg}"
            );
            assert_eq!(
                from_spki.unwrap_err(),
                KeyError::NotSupportedByBackend,
                "{alg}"
            );
        }
    }
    // A malformed RSA key is still refused for what it is, not as unsupported: the
    // encoding is checked before the backend (as for ES384's points).
    #[cfg(feature = "alloc")]
    assert_eq!(
        VerifyingKey::rsa(Algorithm::RS256, &[0xff; 128], &[1, 0, 1]).unwrap_err(),
        KeyError::RsaKeyRejected
    );
}

#[cfg(feature = "alloc")]
mod signing {
    use super::*;
    use base64::Engine as _;
    use oauth_core::jose::SigningKey;

    const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    const INPUT: &[u8] = b"eyJhbGciOiJFUzUxMiJ9.b2F1dGgtY29yZQ";
    /// python-ecdsa's RFC 6979 signature of `INPUT` under the RFC 7520 §3.2 key.
    const SIG: &str = "ACqls_57y1CbYrnrleyaooiBAKXHU8koHrjaw_AIc8oy7RTOUYLPc9_H1v0Hr9gnTMyWSHQWA1RfT-NEuZgm8dsQAUI3T6Kh9mKoJTRCrtwzloq7RBwABXc1aHBrmi8zuWRxQz_O4j2hn-BGf-nMMQj1nOYxn2IWi9d7SMH-XSJfeICo";
    /// The RFC 7520 §3.2 key as PKCS#8 v1 (RFC 5208; the ECPrivateKey carries
    /// the public key), as Python's `cryptography` writes it.
    const PKCS8: &str = "3081ee020100301006072a8648ce3d020106052b810400230481d63081d3020101044200085138ddabf5ca975f5860f91a08e91d6d5f9a76ad4018766a476680b55cd339e8ab6c72b5facdb2a2a50ac25bd086647dd3e2e6e99e84ca2c3609fdf177feb26da1818903818600040072992cb3ac08ecf3e5c63dedec0d51a8c1f79ef2f82f94f3c737bf5de7986671eac625fe8257bbd0394644caaa3aaf8f27a4585fbbcad0f2457620085e5c8f42ad01dca6947bce88bc5790485ac97427342bc35f887d86d65a089377e247e60baa55e4e8501e2ada5724ac51d6909008033ebc10ac999b9d7f5cc2519f3fe1ea1d9475";

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn es512_signatures_are_deterministic_and_verify() {
        let private = rfc7520_jwk("3_2.ec_private_key.json");
        let from_jwk = Jwk::parse(&private).unwrap().to_signing_key(None);
        let from_pkcs8 = SigningKey::from_pkcs8(Algorithm::ES512, &unhex(PKCS8));
        if !ES512 {
            assert_eq!(from_jwk.unwrap_err(), KeyError::NotSupportedByBackend);
            assert_eq!(from_pkcs8.unwrap_err(), KeyError::NotSupportedByBackend);
            return;
        }
        let public = rfc7520_jwk("3_1.ec_public_key.json");
        let verifier = Jwk::parse(&public).unwrap().to_verifying_key(None).unwrap();
        for signer in [from_jwk.unwrap(), from_pkcs8.unwrap()] {
            let sig = signer.sign(INPUT).unwrap();
            assert_eq!(B64.encode(&sig), SIG);
            verifier.verify_signature(INPUT, &sig).unwrap();
            signer
                .verifying_key()
                .unwrap()
                .verify_signature(INPUT, &sig)
                .unwrap();
            assert!(verifier.verify_signature(b"other", &sig).is_err());
        }
        // The PKCS#8 curve must be the algorithm's.
        assert_eq!(
            SigningKey::from_pkcs8(Algorithm::ES384, &unhex(PKCS8)).unwrap_err(),
            if ES384 {
                KeyError::InvalidPrivateKey
            } else {
                KeyError::NotSupportedByBackend
            }
        );
    }

    #[test]
    fn rsa_signing_needs_ring_but_rsa_verification_does_not() {
        let private = rfc7520_jwk("3_4.rsa_private_key.json");
        let jwk = Jwk::parse(&private).unwrap();
        let verifier = jwk.to_verifying_key(Some(Algorithm::RS256));
        let signer = jwk.to_signing_key(Some(Algorithm::RS256));
        if RSA_SIGNING {
            let sig = signer.unwrap().sign(INPUT).unwrap();
            verifier.unwrap().verify_signature(INPUT, &sig).unwrap();
        } else {
            assert_eq!(signer.unwrap_err(), KeyError::NotSupportedByBackend);
            // RustCrypto verifies RSA with `rustcrypto-rsa` only.
            assert_eq!(verifier.is_ok(), RSA_VERIFYING);
        }
        // A PKCS#8 RSA key is refused before it is parsed.
        if !RSA_SIGNING {
            assert_eq!(
                SigningKey::from_pkcs8(Algorithm::PS256, b"not even DER").unwrap_err(),
                KeyError::NotSupportedByBackend
            );
        }
    }
}

#[cfg(feature = "std")]
#[test]
fn system_random_works_without_ring_too() {
    use oauth_core::rand::{SecureRandom as _, SystemRandom};
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    let mut rng = SystemRandom::new();
    rng.fill(&mut a).unwrap();
    rng.fill(&mut b).unwrap();
    assert_ne!(a, b);
    rng.fill(&mut []).unwrap();
}

/// `Algorithm::is_supported` says exactly what this build verifies (the same rules the
/// tests above check through keys).
#[test]
fn is_supported_matches_the_build() {
    use Algorithm::*;
    for alg in [HS256, HS384, HS512, ES256, EdDSA] {
        assert!(alg.is_supported(), "{alg:?}");
    }
    assert_eq!(ES384.is_supported(), self::ES384, "ES384");
    assert_eq!(ES512.is_supported(), self::ES512, "ES512");
    for alg in [RS256, RS384, RS512, PS256, PS384, PS512] {
        assert_eq!(alg.is_supported(), RSA_VERIFYING, "{alg:?}");
    }
}
