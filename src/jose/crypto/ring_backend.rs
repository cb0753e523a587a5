//! The `ring` backend.

use super::KeyMaterial;
use crate::jose::alg::Algorithm;
use ring::{hmac, signature};

pub(crate) type HmacKey = hmac::Key;

pub(crate) const fn supports(alg: Algorithm) -> bool {
    match alg {
        // ring has no P-521.
        Algorithm::ES512 => false,
        // `ring` implies `es384` (its ES384 keys are point-checked with p384).
        Algorithm::ES384 => cfg!(feature = "es384"),
        // ring's RSA needs an allocator.
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => cfg!(feature = "alloc"),
        _ => true,
    }
}

/// ring signs everything it verifies.
#[cfg(feature = "alloc")]
pub(crate) const fn supports_signing(alg: Algorithm) -> bool {
    supports(alg)
}

pub(crate) fn hmac_key(alg: Algorithm, secret: &[u8]) -> Option<HmacKey> {
    let a = match alg {
        Algorithm::HS256 => hmac::HMAC_SHA256,
        Algorithm::HS384 => hmac::HMAC_SHA384,
        Algorithm::HS512 => hmac::HMAC_SHA512,
        _ => return None,
    };
    Some(hmac::Key::new(a, secret))
}

pub(crate) fn verify(alg: Algorithm, key: &KeyMaterial, msg: &[u8], sig: &[u8]) -> bool {
    match (alg, key) {
        (Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512, KeyMaterial::Hmac(k)) => {
            // ring compares the tag in constant time.
            hmac::verify(k, msg, sig).is_ok()
        }
        (Algorithm::ES256, KeyMaterial::Ec(point)) => {
            signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                .verify(msg, sig)
                .is_ok()
        }
        (Algorithm::ES384, KeyMaterial::Ec(point)) => {
            signature::UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, point)
                .verify(msg, sig)
                .is_ok()
        }
        (Algorithm::EdDSA, KeyMaterial::Ed25519(pk)) => {
            signature::UnparsedPublicKey::new(&signature::ED25519, pk)
                .verify(msg, sig)
                .is_ok()
        }
        #[cfg(feature = "alloc")]
        (_, KeyMaterial::Rsa { n, e }) => {
            let params: &signature::RsaParameters = match alg {
                Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
                Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
                _ => return false,
            };
            signature::RsaPublicKeyComponents { n, e }
                .verify(params, msg, sig)
                .is_ok()
        }
        _ => false,
    }
}

/// Private key material for signing (alloc tier).
#[cfg(feature = "alloc")]
pub(crate) enum SigningMaterial {
    Hmac(hmac::Key),
    Rsa(signature::RsaKeyPair),
    Ec(signature::EcdsaKeyPair),
    Ed25519(signature::Ed25519KeyPair),
}

#[cfg(feature = "alloc")]
impl SigningMaterial {
    fn ecdsa_alg(alg: Algorithm) -> Option<&'static signature::EcdsaSigningAlgorithm> {
        match alg {
            Algorithm::ES256 => Some(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
            Algorithm::ES384 => Some(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
            _ => None,
        }
    }

    fn rsa_padding(alg: Algorithm) -> Option<&'static dyn signature::RsaEncoding> {
        Some(match alg {
            Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
            Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
            Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
            Algorithm::PS256 => &signature::RSA_PSS_SHA256,
            Algorithm::PS384 => &signature::RSA_PSS_SHA384,
            Algorithm::PS512 => &signature::RSA_PSS_SHA512,
            _ => return None,
        })
    }

    /// Parses a PKCS#8 (RFC 5208/5958) private key for `alg`.
    pub(crate) fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Option<Self> {
        use crate::jose::alg::KeyFamily;
        let rng = ring::rand::SystemRandom::new();
        match alg.family() {
            KeyFamily::Rsa => signature::RsaKeyPair::from_pkcs8(der).ok().map(Self::Rsa),
            KeyFamily::Ec => signature::EcdsaKeyPair::from_pkcs8(Self::ecdsa_alg(alg)?, der, &rng)
                .ok()
                .map(Self::Ec),
            KeyFamily::Okp => signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .ok()
                .map(Self::Ed25519),
            KeyFamily::Hmac => None,
        }
    }

    pub(crate) fn hmac(alg: Algorithm, secret: &[u8]) -> Option<Self> {
        hmac_key(alg, secret).map(Self::Hmac)
    }

    pub(crate) fn ec(alg: Algorithm, d: &[u8], point: &[u8]) -> Option<Self> {
        let rng = ring::rand::SystemRandom::new();
        signature::EcdsaKeyPair::from_private_key_and_public_key(
            Self::ecdsa_alg(alg)?,
            d,
            point,
            &rng,
        )
        .ok()
        .map(Self::Ec)
    }

    pub(crate) fn ed25519(seed: &[u8], public: &[u8]) -> Option<Self> {
        signature::Ed25519KeyPair::from_seed_and_public_key(seed, public)
            .ok()
            .map(Self::Ed25519)
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
        let c = ring::rsa::KeyPairComponents {
            public_key: ring::rsa::PublicKeyComponents { n, e },
            d,
            p,
            q,
            dP: dp,
            dQ: dq,
            qInv: qi,
        };
        signature::RsaKeyPair::from_components(&c)
            .ok()
            .map(Self::Rsa)
    }

    /// The public half as verification material.
    pub(crate) fn public(&self) -> Option<KeyMaterial> {
        use signature::KeyPair as _;
        match self {
            Self::Hmac(_) => None,
            Self::Rsa(k) => {
                let c: ring::rsa::PublicKeyComponents<alloc::vec::Vec<u8>> = k.public().into();
                Some(KeyMaterial::Rsa { n: c.n, e: c.e })
            }
            Self::Ec(k) => heapless::Vec::from_slice(k.public_key().as_ref())
                .ok()
                .map(KeyMaterial::Ec),
            Self::Ed25519(k) => k
                .public_key()
                .as_ref()
                .try_into()
                .ok()
                .map(KeyMaterial::Ed25519),
        }
    }

    /// Signs `msg`. ECDSA and RSASSA-PSS draw their randomness from ring's system
    /// generator: ring's `SecureRandom` is sealed, so a caller source cannot be
    /// passed through (the RustCrypto backend uses RFC 6979 nonces instead).
    pub(crate) fn sign(&self, alg: Algorithm, msg: &[u8]) -> Option<alloc::vec::Vec<u8>> {
        let rng = ring::rand::SystemRandom::new();
        match self {
            Self::Hmac(k) => Some(hmac::sign(k, msg).as_ref().to_vec()),
            Self::Rsa(k) => {
                let mut sig = alloc::vec![0u8; k.public().modulus_len()];
                k.sign(Self::rsa_padding(alg)?, &rng, msg, &mut sig).ok()?;
                Some(sig)
            }
            Self::Ec(k) => k.sign(&rng, msg).ok().map(|s| s.as_ref().to_vec()),
            Self::Ed25519(k) => Some(k.sign(msg).as_ref().to_vec()),
        }
    }
}
