//! The crypto seam: the one place that names a backend.
//!
//! Everything above this module works with [`KeyMaterial`] and the functions
//! below. Which backend runs (DESIGN §3):
//!
//! | features | HS\*, ES256, EdDSA | ES384 | RS\*/PS\* (`alloc`) | ES512 | signing (`alloc`) |
//! |---|---|---|---|---|---|
//! | `ring` | ring | ring | ring | not supported | ring |
//! | `ring` + `rustcrypto` | ring | ring | ring | RustCrypto | ring; ES512 RustCrypto |
//! | no `ring` | RustCrypto | RustCrypto with `es384` | RustCrypto with `rustcrypto-rsa` (verify only) | RustCrypto with `es512` | RustCrypto; no RSA |
//!
//! RustCrypto's crates for HMAC, P-256 and Ed25519 are always built, so that
//! `default-features = false` has a backend: the core tier without an allocator
//! and without C code. P-384 and P-521 are the `es384` and `es512` features
//! (`ring` implies `es384`: its ES384 keys are point-checked with p384;
//! `rustcrypto` implies both), and RustCrypto's RSA (the `rsa` crate) is the
//! `rustcrypto-rsa` feature (implied by `rustcrypto`; not by `alloc`, so that no
//! default or plain `alloc` build carries the crate and its RUSTSEC-2023-0071
//! advisory). Without them those algorithms are reported unsupported
//! ([`supports`] is false, keys give `NotSupportedByBackend`). Next to ring,
//! `rustcrypto-rsa` is compiled but unused: ring verifies RS\*/PS\*.

use super::alg::{Algorithm, HashAlg};

#[cfg(feature = "ring")]
mod ring_backend;
// Next to ring only ES512 is used.
#[cfg(any(not(feature = "ring"), feature = "rustcrypto"))]
#[cfg_attr(feature = "ring", allow(dead_code))]
mod rustcrypto_backend;

#[cfg(feature = "ring")]
use ring_backend as backend;
#[cfg(not(feature = "ring"))]
use rustcrypto_backend as backend;

/// ES512 goes to RustCrypto while ring does the rest.
#[cfg(all(feature = "ring", feature = "rustcrypto"))]
const fn es512_from_rustcrypto(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::ES512)
}

#[cfg(feature = "alloc")]
pub(crate) use signing::SigningMaterial;

/// The largest uncompressed SEC1 point we hold (P-521: 1 + 2 * 66 bytes).
pub(crate) const MAX_EC_POINT: usize = 133;

/// Pre-parsed public key material, built once when a key is installed.
pub(crate) enum KeyMaterial {
    /// A MAC key, expanded once (the backend builds the HMAC inner/outer state here).
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
        #[cfg(feature = "es384")]
        Algorithm::ES384 => p384::PublicKey::from_sec1_bytes(point).is_ok(),
        #[cfg(feature = "es512")]
        Algorithm::ES512 => p521::PublicKey::from_sec1_bytes(point).is_ok(),
        _ => false,
    }
}

/// Whether the backend can verify `alg` at all in this build.
pub(crate) const fn supports(alg: Algorithm) -> bool {
    #[cfg(all(feature = "ring", feature = "rustcrypto"))]
    if es512_from_rustcrypto(alg) {
        return rustcrypto_backend::supports(alg);
    }
    backend::supports(alg)
}

/// Whether this build can sign with `alg` (a subset of [`supports`]: the
/// RustCrypto backend verifies RSA but does not sign with it).
#[cfg(feature = "alloc")]
pub(crate) const fn supports_signing(alg: Algorithm) -> bool {
    #[cfg(all(feature = "ring", feature = "rustcrypto"))]
    if es512_from_rustcrypto(alg) {
        return rustcrypto_backend::supports_signing(alg);
    }
    backend::supports_signing(alg)
}

/// Verifies `sig` over `msg` with `key` for `alg`. Constant time where the
/// algorithm needs it (HMAC tag comparison).
pub(crate) fn verify(alg: Algorithm, key: &KeyMaterial, msg: &[u8], sig: &[u8]) -> bool {
    #[cfg(all(feature = "ring", feature = "rustcrypto"))]
    if es512_from_rustcrypto(alg) {
        return rustcrypto_backend::verify(alg, key, msg, sig);
    }
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

/// Signing keys: the backend's own type, or, with ring and `rustcrypto` both on,
/// ring's keys plus RustCrypto's for ES512.
#[cfg(feature = "alloc")]
mod signing {
    #[cfg(not(all(feature = "ring", feature = "rustcrypto")))]
    pub(crate) use super::backend::SigningMaterial;

    #[cfg(all(feature = "ring", feature = "rustcrypto"))]
    pub(crate) use both::SigningMaterial;

    #[cfg(all(feature = "ring", feature = "rustcrypto"))]
    mod both {
        use super::super::{KeyMaterial, es512_from_rustcrypto, ring_backend, rustcrypto_backend};
        use crate::jose::alg::Algorithm;

        pub(crate) enum SigningMaterial {
            Ring(ring_backend::SigningMaterial),
            RustCrypto(rustcrypto_backend::SigningMaterial),
        }

        impl SigningMaterial {
            pub(crate) fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Option<Self> {
                if es512_from_rustcrypto(alg) {
                    rustcrypto_backend::SigningMaterial::from_pkcs8(alg, der).map(Self::RustCrypto)
                } else {
                    ring_backend::SigningMaterial::from_pkcs8(alg, der).map(Self::Ring)
                }
            }

            pub(crate) fn hmac(alg: Algorithm, secret: &[u8]) -> Option<Self> {
                ring_backend::SigningMaterial::hmac(alg, secret).map(Self::Ring)
            }

            pub(crate) fn ec(alg: Algorithm, d: &[u8], point: &[u8]) -> Option<Self> {
                if es512_from_rustcrypto(alg) {
                    rustcrypto_backend::SigningMaterial::ec(alg, d, point).map(Self::RustCrypto)
                } else {
                    ring_backend::SigningMaterial::ec(alg, d, point).map(Self::Ring)
                }
            }

            pub(crate) fn ed25519(seed: &[u8], public: &[u8]) -> Option<Self> {
                ring_backend::SigningMaterial::ed25519(seed, public).map(Self::Ring)
            }

            #[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
            pub(crate) fn rsa(
                n: &[u8],
                e: &[u8],
                d: &[u8],
                p: &[u8],
                q: &[u8],
                dp: &[u8],
                dq: &[u8],
                qi: &[u8],
            ) -> Option<Self> {
                ring_backend::SigningMaterial::rsa(n, e, d, p, q, dp, dq, qi).map(Self::Ring)
            }

            pub(crate) fn public(&self) -> Option<KeyMaterial> {
                match self {
                    Self::Ring(m) => m.public(),
                    Self::RustCrypto(m) => m.public(),
                }
            }

            pub(crate) fn sign(&self, alg: Algorithm, msg: &[u8]) -> Option<alloc::vec::Vec<u8>> {
                match self {
                    Self::Ring(m) => m.sign(alg, msg),
                    Self::RustCrypto(m) => m.sign(alg, msg),
                }
            }
        }
    }
}
