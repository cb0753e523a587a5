//! The RustCrypto backend: pure Rust, no allocator in the core tier, no C code.
//!
//! It is the backend whenever the `ring` feature is off (so `default-features =
//! false` is the bare-metal configuration), and next to ring it supplies ES512.
//!
//! - **HS256/384/512**: `hmac` + `sha2`. The keyed HMAC state (inner and outer
//!   hash blocks) is computed once when the key is built and cloned for each
//!   verification; tags are compared in constant time by `Mac::verify_slice`,
//!   which also refuses a tag of any length but the full one.
//! - **ES256/384/512**: `p256`, `p384` (feature `es384`), `p521` (feature
//!   `es512`), all through `ecdsa`, signatures in the fixed
//!   `r || s` form of RFC 7518 §3.4. `r` and `s` must be in `[1, n-1]`; high `s`
//!   is accepted, because JWS does not require low-S (neither does ring, and
//!   Wycheproof's P1363 sets expect such signatures to verify).
//! - **EdDSA**: `ed25519-dalek` 2, with `VerifyingKey::verify_strict`. All 151
//!   Wycheproof `ed25519_test` vectors pass with `verify_strict` and with plain
//!   `verify` alike (and under ring); both reject a non-canonical `S`.
//!   `verify_strict` also refuses small-order public keys and `R` points, under
//!   which a signature can be valid for every message (RFC 8032 §5.1.7 allows
//!   either check; ring does the plain one, so this is the one place where the
//!   backends differ, on keys that no honest signer produces).
//! - **RS\*/PS\*** (feature `rustcrypto-rsa`, implied by `rustcrypto`; without
//!   it they are unsupported): the `rsa` crate, **verification only**, with
//!   the same 2048..=8192-bit limits as ring (checked when the key is built).
//!   RUSTSEC-2023-0071 (the Marvin timing attack) is about the crate's
//!   non-constant-time private-key operations; verification only handles the
//!   public key, the message and the signature, so it does not apply. Signing is
//!   another matter, so this backend cannot sign RS\*/PS\*: such keys give
//!   `KeyError::NotSupportedByBackend` (use the `ring` feature to sign with RSA).
//!   The choice was checked against the Wycheproof RSA PKCS#1 v1.5 and PSS sets,
//!   which all pass.
//! - **Signing** (`alloc`): HMAC, ECDSA with RFC 6979 deterministic nonces (no
//!   RNG needed; for P-521 the nonce derivation is done here, see [`rfc6979_p521`]),
//!   Ed25519. PKCS#8 documents are read with the curve crates' `pkcs8` support.

use super::KeyMaterial;
use crate::jose::alg::Algorithm;
use hmac::digest::core_api::CoreWrapper;
use hmac::{Hmac, HmacCore, Mac as _};
// P-521's `PublicKey` has no inherent SEC1 encoder (p256's and p384's ECDSA keys do).
#[cfg(all(feature = "alloc", feature = "es512"))]
use p521::elliptic_curve::sec1::ToEncodedPoint as _;
use sha2::{Sha256, Sha384, Sha512};

/// A MAC key: the keyed HMAC state (the hash states after the inner and outer
/// key blocks), built once. Only the core is kept, without a block buffer, so a
/// key is about as small as an EC point (2 x 80 bytes at most, for SHA-512).
#[derive(Clone)]
pub(crate) enum HmacKey {
    Sha256(HmacCore<Sha256>),
    Sha384(HmacCore<Sha384>),
    Sha512(HmacCore<Sha512>),
}

/// Evaluates `$body` with `$mac` a fresh MAC computation started from the keyed
/// state of `$key` (one arm per hash, as the types differ).
macro_rules! with_mac {
    ($key:expr, |$mac:ident| $body:expr) => {
        match $key {
            HmacKey::Sha256(k) => {
                let $mac: Hmac<Sha256> = CoreWrapper::from_core(k.clone());
                $body
            }
            HmacKey::Sha384(k) => {
                let $mac: Hmac<Sha384> = CoreWrapper::from_core(k.clone());
                $body
            }
            HmacKey::Sha512(k) => {
                let $mac: Hmac<Sha512> = CoreWrapper::from_core(k.clone());
                $body
            }
        }
    };
}

impl HmacKey {
    /// Constant-time check of a full-length tag.
    fn verify(&self, msg: &[u8], tag: &[u8]) -> bool {
        with_mac!(self, |m| m.chain_update(msg).verify_slice(tag).is_ok())
    }

    fn alg(&self) -> Algorithm {
        match self {
            Self::Sha256(_) => Algorithm::HS256,
            Self::Sha384(_) => Algorithm::HS384,
            Self::Sha512(_) => Algorithm::HS512,
        }
    }

    #[cfg(feature = "alloc")]
    fn tag(&self, msg: &[u8]) -> alloc::vec::Vec<u8> {
        with_mac!(self, |m| m
            .chain_update(msg)
            .finalize()
            .into_bytes()
            .to_vec())
    }
}

pub(crate) const fn supports(alg: Algorithm) -> bool {
    match alg {
        // The `rsa` crate (it needs an allocator; `rustcrypto-rsa` implies `alloc`).
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => cfg!(feature = "rustcrypto-rsa"),
        // The curves of the `es384` and `es512` features.
        Algorithm::ES384 => cfg!(feature = "es384"),
        Algorithm::ES512 => cfg!(feature = "es512"),
        _ => true,
    }
}

/// Whether this backend can sign with `alg` (under `alloc`): everything it
/// verifies but RSA.
#[cfg(feature = "alloc")]
pub(crate) const fn supports_signing(alg: Algorithm) -> bool {
    supports(alg)
        && !matches!(
            alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
        )
}

pub(crate) fn hmac_key(alg: Algorithm, secret: &[u8]) -> Option<HmacKey> {
    use hmac::digest::KeyInit;
    // HMAC accepts keys of any length (RFC 2104 §3); the RFC 7518 minimum is
    // enforced by the caller.
    Some(match alg {
        Algorithm::HS256 => HmacKey::Sha256(KeyInit::new_from_slice(secret).ok()?),
        Algorithm::HS384 => HmacKey::Sha384(KeyInit::new_from_slice(secret).ok()?),
        Algorithm::HS512 => HmacKey::Sha512(KeyInit::new_from_slice(secret).ok()?),
        _ => return None,
    })
}

pub(crate) fn verify(alg: Algorithm, key: &KeyMaterial, msg: &[u8], sig: &[u8]) -> bool {
    match (alg, key) {
        // Next to ring, `KeyMaterial::Hmac` holds ring's key and only ES512 comes here.
        #[cfg(not(feature = "ring"))]
        (Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512, KeyMaterial::Hmac(k)) => {
            k.alg() == alg && k.verify(msg, sig)
        }
        (Algorithm::ES256, KeyMaterial::Ec(point)) => es256(point, msg, sig),
        #[cfg(feature = "es384")]
        (Algorithm::ES384, KeyMaterial::Ec(point)) => es384(point, msg, sig),
        #[cfg(feature = "es512")]
        (Algorithm::ES512, KeyMaterial::Ec(point)) => es512(point, msg, sig),
        (Algorithm::EdDSA, KeyMaterial::Ed25519(pk)) => ed25519(pk, msg, sig),
        #[cfg(feature = "rustcrypto-rsa")]
        (_, KeyMaterial::Rsa { n, e }) => rsa_verify::verify(alg, n, e, msg, sig),
        _ => false,
    }
}

fn es256(point: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::{Signature, VerifyingKey, signature::Verifier as _};
    let (Ok(key), Ok(sig)) = (
        VerifyingKey::from_sec1_bytes(point),
        Signature::from_slice(sig),
    ) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}

#[cfg(feature = "es384")]
fn es384(point: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use p384::ecdsa::{Signature, VerifyingKey, signature::Verifier as _};
    let (Ok(key), Ok(sig)) = (
        VerifyingKey::from_sec1_bytes(point),
        Signature::from_slice(sig),
    ) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}

#[cfg(feature = "es512")]
fn es512(point: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    use p521::ecdsa::{Signature, VerifyingKey, signature::Verifier as _};
    let (Ok(key), Ok(sig)) = (
        VerifyingKey::from_sec1_bytes(point),
        Signature::from_slice(sig),
    ) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}

fn ed25519(pk: &[u8; 32], msg: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = <&[u8; 64]>::try_from(sig) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(pk) else {
        return false;
    };
    key.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(sig))
        .is_ok()
}

#[cfg(feature = "rustcrypto-rsa")]
mod rsa_verify {
    use crate::jose::alg::Algorithm;
    use rsa::signature::Verifier as _;
    use rsa::{BigUint, RsaPublicKey, pkcs1v15, pss};
    use sha2::{Sha256, Sha384, Sha512};

    /// The largest modulus accepted, as ring's `*_2048_8192_*` parameters (the
    /// lower bound and the exponent rules are checked when the key is built).
    const MAX_MODULUS_BITS: usize = 8192;

    pub(super) fn verify(alg: Algorithm, n: &[u8], e: &[u8], msg: &[u8], sig: &[u8]) -> bool {
        let Ok(key) = RsaPublicKey::new_with_max_size(
            BigUint::from_bytes_be(n),
            BigUint::from_bytes_be(e),
            MAX_MODULUS_BITS,
        ) else {
            return false;
        };
        // Both schemes refuse a signature whose length is not the modulus length
        // or whose value is not below the modulus (RFC 8017 §8.1.2, §8.2.2).
        match alg {
            Algorithm::RS256 => pkcs1::<Sha256>(key, msg, sig),
            Algorithm::RS384 => pkcs1::<Sha384>(key, msg, sig),
            Algorithm::RS512 => pkcs1::<Sha512>(key, msg, sig),
            // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
            Algorithm::PS256 => pss::<Sha256>(key, msg, sig),
            Algorithm::PS384 => pss::<Sha384>(key, msg, sig),
            Algorithm::PS512 => pss::<Sha512>(key, msg, sig),
            _ => false,
        }
    }

    fn pkcs1<D>(key: RsaPublicKey, msg: &[u8], sig: &[u8]) -> bool
    where
        D: sha2::Digest + rsa::pkcs8::AssociatedOid,
    {
        let Ok(sig) = pkcs1v15::Signature::try_from(sig) else {
            return false;
        };
        pkcs1v15::VerifyingKey::<D>::new(key)
            .verify(msg, &sig)
            .is_ok()
    }

    fn pss<D>(key: RsaPublicKey, msg: &[u8], sig: &[u8]) -> bool
    where
        D: sha2::Digest + sha2::digest::FixedOutputReset,
    {
        let Ok(sig) = pss::Signature::try_from(sig) else {
            return false;
        };
        pss::VerifyingKey::<D>::new(key).verify(msg, &sig).is_ok()
    }
}

/// RFC 6979 §3.2 nonce for P-521 with SHA-512 (qlen = 521, hlen = 512).
///
/// `x` is the private key and `h1` the message hash. `bits2octets(h1)` is `h1`
/// left-padded to 66 bytes (a 512-bit value is already below q), and each
/// candidate `k = bits2int(T)` takes the leftmost 521 bits of two HMAC outputs,
/// i.e. their first 66 bytes shifted right by 7 bits. (RustCrypto's `rfc6979`
/// crate takes whole bytes, which is why `p521` 0.13 ships no deterministic
/// signer.) `accept` sees each candidate in turn and returns `Some` to stop.
#[cfg(all(feature = "alloc", feature = "es512"))]
pub(crate) fn rfc6979_p521<T>(
    x: &[u8; 66],
    h1: &[u8; 64],
    mut accept: impl FnMut(&[u8; 66]) -> Option<T>,
) -> T {
    type HmacSha512 = Hmac<Sha512>;
    let mac = |key: &[u8; 64], parts: &[&[u8]]| -> [u8; 64] {
        // RFC 2104 §2: a key shorter than the block (128 bytes for SHA-512) is
        // padded with zeros, so the block-sized constructor (which cannot fail)
        // on the zero-padded key is HMAC with `key`.
        let mut block = [0u8; 128];
        block[..64].copy_from_slice(key);
        let mut m = <HmacSha512 as hmac::digest::KeyInit>::new(&block.into());
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    };
    let mut z = [0u8; 66];
    z[2..].copy_from_slice(h1);
    let mut v = [0x01u8; 64];
    let mut k = [0x00u8; 64];
    k = mac(&k, &[&v, &[0x00], x, &z]);
    v = mac(&k, &[&v]);
    k = mac(&k, &[&v, &[0x01], x, &z]);
    v = mac(&k, &[&v]);
    loop {
        let mut t = [0u8; 128];
        v = mac(&k, &[&v]);
        t[..64].copy_from_slice(&v);
        v = mac(&k, &[&v]);
        t[64..].copy_from_slice(&v);
        let mut cand = [0u8; 66];
        let mut prev = 0u8;
        for (c, &b) in cand.iter_mut().zip(&t[..66]) {
            *c = (prev << 1) | (b >> 7);
            prev = b;
        }
        if let Some(done) = accept(&cand) {
            return done;
        }
        k = mac(&k, &[&v, &[0x00]]);
        v = mac(&k, &[&v]);
    }
}

/// Private key material for signing (`alloc`).
#[cfg(feature = "alloc")]
pub(crate) enum SigningMaterial {
    Hmac(HmacKey),
    P256(p256::ecdsa::SigningKey),
    #[cfg(feature = "es384")]
    P384(p384::ecdsa::SigningKey),
    #[cfg(feature = "es512")]
    P521(p521::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
}

#[cfg(feature = "alloc")]
impl SigningMaterial {
    /// Parses a PKCS#8 (RFC 5208/5958) private key for `alg`. The curve crates
    /// check the algorithm and curve OIDs and, when the document carries the
    /// public key, that it matches the private key.
    pub(crate) fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Option<Self> {
        use p256::pkcs8::DecodePrivateKey as _;
        match alg {
            Algorithm::ES256 => p256::SecretKey::from_pkcs8_der(der)
                .ok()
                .map(|k| Self::P256(k.into())),
            #[cfg(feature = "es384")]
            Algorithm::ES384 => p384::SecretKey::from_pkcs8_der(der)
                .ok()
                .map(|k| Self::P384(k.into())),
            #[cfg(feature = "es512")]
            Algorithm::ES512 => p521::SecretKey::from_pkcs8_der(der).ok().map(Self::P521),
            Algorithm::EdDSA => ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .ok()
                .map(Self::Ed25519),
            _ => None,
        }
    }

    pub(crate) fn hmac(alg: Algorithm, secret: &[u8]) -> Option<Self> {
        hmac_key(alg, secret).map(Self::Hmac)
    }

    /// An ECDSA key from the private scalar `d` (exactly the curve's size, RFC
    /// 7518 §6.2.2.1) and the uncompressed public point it must match.
    pub(crate) fn ec(alg: Algorithm, d: &[u8], point: &[u8]) -> Option<Self> {
        let (m, public) = match alg {
            Algorithm::ES256 if d.len() == 32 => {
                let k = p256::ecdsa::SigningKey::from_slice(d).ok()?;
                let p = k.verifying_key().to_encoded_point(false);
                (Self::P256(k), heapless::Vec::from_slice(p.as_bytes()))
            }
            #[cfg(feature = "es384")]
            Algorithm::ES384 if d.len() == 48 => {
                let k = p384::ecdsa::SigningKey::from_slice(d).ok()?;
                let p = k.verifying_key().to_encoded_point(false);
                (Self::P384(k), heapless::Vec::from_slice(p.as_bytes()))
            }
            #[cfg(feature = "es512")]
            Algorithm::ES512 if d.len() == 66 => {
                let k = p521::SecretKey::from_slice(d).ok()?;
                let p = k.public_key().to_encoded_point(false);
                (Self::P521(k), heapless::Vec::from_slice(p.as_bytes()))
            }
            _ => return None,
        };
        let public: heapless::Vec<u8, { super::MAX_EC_POINT }> = public.ok()?;
        (public.as_slice() == point).then_some(m)
    }

    /// An Ed25519 key from its 32-byte seed and the public key it must match.
    pub(crate) fn ed25519(seed: &[u8], public: &[u8]) -> Option<Self> {
        let k = ed25519_dalek::SigningKey::from_bytes(seed.try_into().ok()?);
        (k.verifying_key().as_bytes().as_slice() == public).then_some(Self::Ed25519(k))
    }

    /// RSA signing is not offered by this backend (see the module docs).
    #[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
    pub(crate) fn rsa(
        _n: &[u8],
        _e: &[u8],
        _d: &[u8],
        _p: &[u8],
        _q: &[u8],
        _dp: &[u8],
        _dq: &[u8],
        _qi: &[u8],
    ) -> Option<Self> {
        None
    }

    /// The public half as verification material.
    pub(crate) fn public(&self) -> Option<KeyMaterial> {
        let point = match self {
            Self::Hmac(_) => return None,
            Self::Ed25519(k) => return Some(KeyMaterial::Ed25519(k.verifying_key().to_bytes())),
            Self::P256(k) => {
                heapless::Vec::from_slice(k.verifying_key().to_encoded_point(false).as_bytes())
            }
            #[cfg(feature = "es384")]
            Self::P384(k) => {
                heapless::Vec::from_slice(k.verifying_key().to_encoded_point(false).as_bytes())
            }
            #[cfg(feature = "es512")]
            Self::P521(k) => {
                heapless::Vec::from_slice(k.public_key().to_encoded_point(false).as_bytes())
            }
        };
        point.ok().map(KeyMaterial::Ec)
    }

    /// Signs `msg` (deterministically for every algorithm here).
    pub(crate) fn sign(&self, alg: Algorithm, msg: &[u8]) -> Option<alloc::vec::Vec<u8>> {
        use p256::ecdsa::signature::Signer as _;
        match (alg, self) {
            (_, Self::Hmac(k)) if k.alg() == alg => Some(k.tag(msg)),
            // `Signer` on p256/p384 keys is RFC 6979 with the curve's hash.
            (Algorithm::ES256, Self::P256(k)) => {
                let sig: p256::ecdsa::Signature = k.try_sign(msg).ok()?;
                Some(sig.to_bytes().to_vec())
            }
            #[cfg(feature = "es384")]
            (Algorithm::ES384, Self::P384(k)) => {
                let sig: p384::ecdsa::Signature = k.try_sign(msg).ok()?;
                Some(sig.to_bytes().to_vec())
            }
            #[cfg(feature = "es512")]
            (Algorithm::ES512, Self::P521(k)) => sign_p521(k, msg),
            (Algorithm::EdDSA, Self::Ed25519(k)) => Some(k.sign(msg).to_bytes().to_vec()),
            _ => None,
        }
    }
}

/// ECDSA P-521 / SHA-512 with the RFC 6979 nonce of [`rfc6979_p521`].
#[cfg(all(feature = "alloc", feature = "es512"))]
fn sign_p521(key: &p521::SecretKey, msg: &[u8]) -> Option<alloc::vec::Vec<u8>> {
    use p521::elliptic_curve::PrimeField as _;
    use sha2::Digest as _;
    let d: p521::Scalar = *key.to_nonzero_scalar();
    let mut x = [0u8; 66];
    x.copy_from_slice(&d.to_repr());
    let h1: [u8; 64] = Sha512::digest(msg).into();
    // `sign_prehashed` reduces z = bits2int(h1) mod n itself (h1 < n already).
    let z = ecdsa::hazmat::bits2field::<p521::NistP521>(&h1).ok()?;
    let sig = rfc6979_p521(&x, &h1, |cand| {
        // k must be in [1, n-1]; a candidate giving r = 0 or s = 0 is also
        // skipped (RFC 6979 §3.4). Both happen with negligible probability.
        let k: Option<p521::Scalar> =
            p521::Scalar::from_repr(p521::FieldBytes::clone_from_slice(cand)).into();
        let k = k.filter(|k| !bool::from(k.is_zero()))?;
        ecdsa::hazmat::sign_prehashed::<p521::NistP521, _>(&d, k, &z)
            .ok()
            .map(|(sig, _)| sig)
    });
    Some(sig.to_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6979 Appendix A.2.5 (P-256/SHA-256), A.2.6 (P-384/SHA-384) and A.2.7
    // (P-521/SHA-512): the private keys and the deterministic signatures of the
    // messages "sample" and "test", as `r || s`. The signatures were re-made with an
    // independent implementation (python-ecdsa's `sign_deterministic`), which gives
    // the RFC's printed r and s; the public points come from it as well.
    #[cfg(feature = "alloc")]
    const P256_D: &str = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
    const P256_PUB: &str = "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
    const P256_SAMPLE: &str = "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
    const P256_TEST: &str = "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083";
    #[cfg(feature = "alloc")]
    const P384_D: &str = "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5";
    const P384_PUB: &str = "04ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc138015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720";
    const P384_SAMPLE: &str = "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe4699ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8";
    const P384_TEST: &str = "8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023dbddd0760448d42d8a43af45af836fce4de8be06b485e9b61b827c2f13173923e06a739f040649a667bf3b828246baa5a5";
    #[cfg(feature = "alloc")]
    const P521_D: &str = "00fad06daa62ba3b25d2fb40133da757205de67f5bb0018fee8c86e1b68c7e75caa896eb32f1f47c70855836a6d16fcc1466f6d8fbec67db89ec0c08b0e996b83538";
    const P521_PUB: &str = "0401894550d0785932e00eaa23b694f213f8c3121f86dc97a04e5a7167db4e5bcd371123d46e45db6b5d5370a7f20fb633155d38ffa16d2bd761dcac474b9a2f5023a400493101c962cd4d2fddf782285e64584139c2f91b47f87ff82354d6630f746a28a0db25741b5b34a828008b22acc23f924faafbd4d33f81ea66956dfeaa2bfdfcf5";
    const P521_SAMPLE: &str = "00c328fafcbd79dd77850370c46325d987cb525569fb63c5d3bc53950e6d4c5f174e25a1ee9017b5d450606add152b534931d7d4e8455cc91f9b15bf05ec36e377fa00617cce7cf5064806c467f678d3b4080d6f1cc50af26ca209417308281b68af282623eaa63e5b5c0723d8b8c37ff0777b1a20f8ccb1dccc43997f1ee0e44da4a67a";
    const P521_TEST: &str = "013e99020abf5cee7525d16b69b229652ab6bdf2affcaef38773b4b7d08725f10cdb93482fdcc54edcee91eca4166b2a7c6265ef0ce2bd7051b7cef945babd47ee6d01fbd0013c674aa79cb39849527916ce301c66ea7ce8b80682786ad60f98f7e78a19ca69eff5c57400e3b3a0ad66ce0978214d13baf4e9ac60752f7b155e2de4dce3";

    fn hex<const N: usize>(s: &str) -> [u8; N] {
        assert_eq!(s.len(), 2 * N, "hex length");
        let mut out = [0u8; N];
        for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks(2)) {
            let digit = |c: u8| match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => panic!("not hex"),
            };
            *o = digit(pair[0]) << 4 | digit(pair[1]);
        }
        out
    }

    /// Algorithm, public point, signature, message.
    type VerifyCase<'a> = (Algorithm, &'a [u8], &'a [u8], &'a [u8]);
    /// Algorithm, private scalar, public point, signatures of "sample" and "test".
    #[cfg(feature = "alloc")]
    type SignCase<'a> = (Algorithm, &'a [u8], &'a [u8], &'a [u8], &'a [u8]);

    fn ec(point: &[u8]) -> KeyMaterial {
        KeyMaterial::Ec(heapless::Vec::from_slice(point).unwrap())
    }

    #[test]
    fn ecdsa_verifies_the_rfc6979_signatures_and_nothing_else() {
        let cases: [VerifyCase<'_>; 6] = [
            (
                Algorithm::ES256,
                &hex::<65>(P256_PUB),
                &hex::<64>(P256_SAMPLE),
                b"sample",
            ),
            (
                Algorithm::ES256,
                &hex::<65>(P256_PUB),
                &hex::<64>(P256_TEST),
                b"test",
            ),
            (
                Algorithm::ES384,
                &hex::<97>(P384_PUB),
                &hex::<96>(P384_SAMPLE),
                b"sample",
            ),
            (
                Algorithm::ES384,
                &hex::<97>(P384_PUB),
                &hex::<96>(P384_TEST),
                b"test",
            ),
            (
                Algorithm::ES512,
                &hex::<133>(P521_PUB),
                &hex::<132>(P521_SAMPLE),
                b"sample",
            ),
            (
                Algorithm::ES512,
                &hex::<133>(P521_PUB),
                &hex::<132>(P521_TEST),
                b"test",
            ),
        ];
        for (alg, point, sig, msg) in cases {
            if !supports(alg) {
                // ES384 without `es384`, ES512 without `es512`: refused.
                assert!(!verify(alg, &ec(point), msg, sig), "{alg:?}");
                continue;
            }
            let key = ec(point);
            assert!(verify(alg, &key, msg, sig), "{alg:?} {msg:?}");
            assert!(!verify(alg, &key, b"other", sig), "{alg:?}: other message");
            let mut bad = [0u8; 132];
            let bad = &mut bad[..sig.len()];
            bad.copy_from_slice(sig);
            bad[sig.len() / 2] ^= 1;
            assert!(!verify(alg, &key, msg, bad), "{alg:?}: flipped bit in s");
            assert!(!verify(alg, &key, msg, &sig[1..]), "{alg:?}: short");
            // r = 0 and s = 0 are out of range, not merely wrong.
            let zero = [0u8; 132];
            assert!(!verify(alg, &key, msg, &zero[..sig.len()]), "{alg:?}: zero");
        }
    }

    /// JWS does not ask for low-S: (r, n - s) verifies like (r, s), as under ring.
    #[test]
    fn high_s_is_accepted() {
        use p256::ecdsa::Signature;
        let sig = Signature::from_slice(&hex::<64>(P256_SAMPLE)).unwrap();
        let (r, s) = sig.split_scalars();
        let flipped = Signature::from_scalars(r, -*s).unwrap();
        let key = ec(&hex::<65>(P256_PUB));
        assert!(verify(Algorithm::ES256, &key, b"sample", &sig.to_bytes()));
        assert!(verify(
            Algorithm::ES256,
            &key,
            b"sample",
            &flipped.to_bytes()
        ));
    }

    #[test]
    fn ed25519_refuses_small_order_keys() {
        // The identity point as the public key, R = identity and S = 0: the
        // cofactorless equation [S]B = R + [k]A holds for every message, so plain
        // `verify` (and ring) accept it; `verify_strict` refuses the weak key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let key = KeyMaterial::Ed25519(identity);
        let mut sig = [0u8; 64];
        sig[0] = 1;
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&identity).unwrap();
        let forged = ed25519_dalek::Signature::from_bytes(&sig);
        assert!(ed25519_dalek::Verifier::verify(&vk, b"any message", &forged).is_ok());
        assert!(!verify(Algorithm::EdDSA, &key, b"any message", &sig));
        assert!(!verify(Algorithm::EdDSA, &key, b"any message", &sig[..63]));
    }

    #[cfg(not(feature = "ring"))]
    #[test]
    fn hmac_keys_are_bound_to_their_hash() {
        let k = hmac_key(Algorithm::HS256, &[7; 32]).unwrap();
        // A MAC keyed from scratch: the precomputed state must agree with it.
        let fresh = <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(&[7; 32]).unwrap();
        let tag: [u8; 32] = fresh.chain_update(b"m").finalize().into_bytes().into();
        let key = KeyMaterial::Hmac(k);
        assert!(verify(Algorithm::HS256, &key, b"m", &tag));
        assert!(!verify(Algorithm::HS384, &key, b"m", &tag));
        assert!(!verify(Algorithm::HS256, &key, b"n", &tag));
        assert!(!verify(Algorithm::HS256, &key, b"m", &tag[..31]));
        assert!(hmac_key(Algorithm::ES256, &[7; 32]).is_none());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn ecdsa_signing_is_rfc6979() {
        let cases: [SignCase<'_>; 3] = [
            (
                Algorithm::ES256,
                &hex::<32>(P256_D),
                &hex::<65>(P256_PUB),
                &hex::<64>(P256_SAMPLE),
                &hex::<64>(P256_TEST),
            ),
            (
                Algorithm::ES384,
                &hex::<48>(P384_D),
                &hex::<97>(P384_PUB),
                &hex::<96>(P384_SAMPLE),
                &hex::<96>(P384_TEST),
            ),
            (
                Algorithm::ES512,
                &hex::<66>(P521_D),
                &hex::<133>(P521_PUB),
                &hex::<132>(P521_SAMPLE),
                &hex::<132>(P521_TEST),
            ),
        ];
        for (alg, d, point, sample, test) in cases {
            if !supports_signing(alg) {
                assert!(SigningMaterial::ec(alg, d, point).is_none(), "{alg:?}");
                continue;
            }
            let key = SigningMaterial::ec(alg, d, point).expect("key");
            assert_eq!(key.sign(alg, b"sample").as_deref(), Some(sample), "{alg:?}");
            assert_eq!(key.sign(alg, b"test").as_deref(), Some(test), "{alg:?}");
            let public = key.public().expect("public");
            assert!(verify(alg, &public, b"sample", sample));
            // Another algorithm than the key's curve signs nothing.
            assert_eq!(key.sign(Algorithm::EdDSA, b"sample"), None);
        }
    }

    #[cfg(all(feature = "alloc", feature = "es512"))]
    #[test]
    fn ec_signing_keys_are_checked() {
        let d = hex::<66>(P521_D);
        let point = hex::<133>(P521_PUB);
        // `d` must be the full size (RFC 7518 §6.2.2.1) and match the point.
        assert!(SigningMaterial::ec(Algorithm::ES512, &d[1..], &point).is_none());
        let mut other = point;
        other[100] ^= 1;
        assert!(SigningMaterial::ec(Algorithm::ES512, &d, &other).is_none());
        assert!(SigningMaterial::ec(Algorithm::ES256, &d, &point).is_none());
        assert!(SigningMaterial::ec(Algorithm::ES512, &[0u8; 66], &point).is_none());
        assert!(SigningMaterial::ed25519(&[1; 32], &[2; 32]).is_none());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn rsa_is_verify_only() {
        for alg in [Algorithm::RS256, Algorithm::PS512] {
            // Verification only with `rustcrypto-rsa`, nothing without it.
            assert_eq!(supports(alg), cfg!(feature = "rustcrypto-rsa"), "{alg:?}");
            assert!(!supports_signing(alg));
        }
        assert_eq!(supports_signing(Algorithm::ES512), cfg!(feature = "es512"));
        assert_eq!(supports_signing(Algorithm::ES384), cfg!(feature = "es384"));
        assert!(SigningMaterial::rsa(&[1], &[1], &[1], &[1], &[1], &[1], &[1], &[1]).is_none());
    }
}
