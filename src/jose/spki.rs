//! Public keys from X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), parsed with
//! the `spki`/`der` crates (strict DER).

use super::alg::{Algorithm, KeyFamily};
use super::error::KeyError;
use super::keys::VerifyingKey;
use spki::ObjectIdentifier;
use spki::der::Decode as _;

/// rsaEncryption (RFC 8017 Appendix A.1).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-ecPublicKey (RFC 5480 §2.1.1).
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1 (RFC 5480 §2.1.1.1).
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1.
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// secp521r1.
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// id-Ed25519 (RFC 8410 §3).
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

pub(crate) fn verifying_key_from_spki(
    alg: Algorithm,
    der: &[u8],
) -> Result<VerifyingKey, KeyError> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::InvalidSpki)?;
    let key = info
        .subject_public_key
        .as_bytes()
        .ok_or(KeyError::InvalidSpki)?;
    let oid = info.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        if alg.family() != KeyFamily::Rsa {
            return Err(KeyError::AlgorithmMismatch);
        }
        rsa(alg, key)
    } else if oid == EC_PUBLIC_KEY {
        // RFC 5480 §2.1.1: parameters are the namedCurve OID.
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| KeyError::InvalidSpki)?;
        let expected = match alg {
            Algorithm::ES256 => SECP256R1,
            Algorithm::ES384 => SECP384R1,
            Algorithm::ES512 => SECP521R1,
            _ => return Err(KeyError::AlgorithmMismatch),
        };
        if curve != expected {
            return Err(KeyError::UnsupportedCurve);
        }
        VerifyingKey::ec(alg, key)
    } else if oid == ED25519 {
        // RFC 8410 §3: parameters MUST be absent.
        if info.algorithm.parameters.is_some() {
            return Err(KeyError::InvalidSpki);
        }
        if alg != Algorithm::EdDSA {
            return Err(KeyError::AlgorithmMismatch);
        }
        VerifyingKey::ed25519(key)
    } else {
        Err(KeyError::UnsupportedKeyType)
    }
}

#[cfg(feature = "alloc")]
fn rsa(alg: Algorithm, key: &[u8]) -> Result<VerifyingKey, KeyError> {
    use spki::der::{Reader as _, SliceReader, asn1::UintRef};
    // RFC 8017 Appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
    let mut r = SliceReader::new(key).map_err(|_| KeyError::InvalidSpki)?;
    let (n, e) = r
        .sequence(|r| Ok((UintRef::decode(r)?, UintRef::decode(r)?)))
        .map_err(|_| KeyError::InvalidSpki)?;
    if !r.is_finished() {
        return Err(KeyError::InvalidSpki);
    }
    VerifyingKey::rsa(alg, n.as_bytes(), e.as_bytes())
}

#[cfg(not(feature = "alloc"))]
fn rsa(_alg: Algorithm, _key: &[u8]) -> Result<VerifyingKey, KeyError> {
    Err(KeyError::NotSupportedByBackend)
}
