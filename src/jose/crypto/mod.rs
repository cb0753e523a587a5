//! The crypto seam: the one place that names a backend.
//!
//! Everything above this module works with [`KeyMaterial`] and the functions
//! below; a second backend (issue B: RustCrypto, for bare metal and ES512) adds a
//! sibling of `ring_backend` and a `cfg` switch here, without touching callers.

use super::alg::{Algorithm, HashAlg};

mod ring_backend;
use ring_backend as backend;

#[cfg(feature = "alloc")]
pub(crate) use backend::SigningMaterial;

/// The largest uncompressed SEC1 point we hold (P-521: 1 + 2 * 66 bytes).
pub(crate) const MAX_EC_POINT: usize = 133;

/// Pre-parsed public key material, built once when a key is installed.
pub(crate) enum KeyMaterial {
    /// A MAC key, expanded once (ring builds the HMAC inner/outer state here).
    Hmac(backend::HmacKey),
    /// An uncompressed SEC1 point (`04 || x || y`), checked for length and prefix.
    Ec(heapless::Vec<u8, MAX_EC_POINT>),
    /// A raw Ed25519 public key.
    Ed25519([u8; 32]),
    /// RSA modulus and public exponent, big-endian, no leading zero bytes.
    #[cfg(feature = "alloc")]
    Rsa {
        /// The modulus.
        n: alloc::vec::Vec<u8>,
        /// The public exponent.
        e: alloc::vec::Vec<u8>,
    },
}

impl core::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print secret material.
        f.write_str(match self {
            Self::Hmac(_) => "Hmac(..)",
            Self::Ec(_) => "Ec(..)",
            Self::Ed25519(_) => "Ed25519(..)",
            #[cfg(feature = "alloc")]
            Self::Rsa { .. } => "Rsa(..)",
        })
    }
}

/// Builds an HMAC key for `alg` from `secret`.
pub(crate) fn hmac_key(alg: Algorithm, secret: &[u8]) -> Option<backend::HmacKey> {
    backend::hmac_key(alg, secret)
}

/// Whether `point` (uncompressed SEC1) is a valid public point of `alg`'s curve:
/// on the curve, not the identity, coordinates reduced (SEC1 §3.2.2.1 partial
/// public-key validation).
pub(crate) fn ec_point_is_valid(alg: Algorithm, point: &[u8]) -> bool {
    match alg {
        Algorithm::ES256 => p256::PublicKey::from_sec1_bytes(point).is_ok(),
        Algorithm::ES384 => p384::PublicKey::from_sec1_bytes(point).is_ok(),
        _ => false,
    }
}

/// Whether the backend can verify `alg` at all in this build.
pub(crate) const fn supports(alg: Algorithm) -> bool {
    backend::supports(alg)
}

/// Verifies `sig` over `msg` with `key` for `alg`. Constant time where the
/// algorithm needs it (HMAC tag comparison).
pub(crate) fn verify(alg: Algorithm, key: &KeyMaterial, msg: &[u8], sig: &[u8]) -> bool {
    backend::verify(alg, key, msg, sig)
}

/// Hashes `data` with `hash` into `out`, returning the digest slice.
///
/// Backend-neutral (the `sha2` crate), so thumbprints, PKCE and OIDC hash claims
/// are computed the same way whichever signature backend is built.
pub(crate) fn digest<'o>(hash: HashAlg, data: &[u8], out: &'o mut [u8; 64]) -> &'o [u8] {
    use sha2::Digest as _;
    match hash {
        HashAlg::Sha256 => {
            out[..32].copy_from_slice(&sha2::Sha256::digest(data));
            &out[..32]
        }
        HashAlg::Sha384 => {
            out[..48].copy_from_slice(&sha2::Sha384::digest(data));
            &out[..48]
        }
        HashAlg::Sha512 => {
            out.copy_from_slice(&sha2::Sha512::digest(data));
            &out[..]
        }
    }
}
