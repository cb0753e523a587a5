//! Pre-parsed verification keys (and, under `alloc`, signing keys).
//!
//! A [`VerifyingKey`] is built once — from a JWK, an SPKI public key, or raw
//! material — and pins exactly one algorithm (RFC 8725 §3.1): a token whose header
//! names another algorithm is rejected before any cryptography runs.

use super::alg::{Algorithm, KeyFamily};
use super::crypto::{self, KeyMaterial};
use super::error::{JoseError, KeyError};
use crate::encoding::json::JsonStr;

/// The longest `kid` a key may carry, in bytes.
pub const MAX_KID_LEN: usize = 128;

/// A key identifier (RFC 7517 §4.5), stored inline.
pub type Kid = heapless::String<MAX_KID_LEN>;

/// A public (or, for HMAC, secret) key ready to verify signatures with one
/// pinned algorithm.
#[derive(Debug)]
pub struct VerifyingKey {
    alg: Algorithm,
    kid: Option<Kid>,
    pub(crate) material: KeyMaterial,
}

fn kid_from(s: &str) -> Result<Kid, KeyError> {
    let mut k = Kid::new();
    k.push_str(s).map_err(|()| KeyError::KidTooLong)?;
    Ok(k)
}

#[cfg(feature = "alloc")]
fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or(&[])
}

#[cfg(feature = "alloc")]
/// Bit length of a big-endian unsigned integer without leading zeros.
fn bit_len(b: &[u8]) -> usize {
    match b.first() {
        None => 0,
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

impl VerifyingKey {
    fn new(alg: Algorithm, material: KeyMaterial) -> Result<Self, KeyError> {
        if !crypto::supports(alg) {
            return Err(KeyError::NotSupportedByBackend);
        }
        Ok(Self {
            alg,
            kid: None,
            material,
        })
    }

    fn new_ec(
        alg: Algorithm,
        point: heapless::Vec<u8, { crypto::MAX_EC_POINT }>,
    ) -> Result<Self, KeyError> {
        if !crypto::supports(alg) {
            return Err(KeyError::NotSupportedByBackend);
        }
        // SEC1 §3.2.2.1: refuse points off the curve when the key is built
        // (invalid-curve attacks are moot for ECDSA verification, but such a key
        // is a broken or hostile document and must not be installed).
        if !crypto::ec_point_is_valid(alg, &point) {
            return Err(KeyError::InvalidPoint);
        }
        Self::new(alg, KeyMaterial::Ec(point))
    }

    /// An HMAC key (`HS256`/`HS384`/`HS512`) from a raw secret.
    ///
    /// # Errors
    /// [`KeyError::AlgorithmMismatch`] for a non-HMAC `alg`;
    /// [`KeyError::HmacKeyTooShort`] when the secret is shorter than the hash
    /// output (RFC 7518 §3.2: "A key of the same size as the hash output ... or
    /// larger MUST be used").
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        if alg.family() != KeyFamily::Hmac {
            return Err(KeyError::AlgorithmMismatch);
        }
        // RFC 7518 §3.2: the key must be at least as long as the hash output.
        if secret.len() < alg.hash().output_len() {
            return Err(KeyError::HmacKeyTooShort);
        }
        let k = crypto::hmac_key(alg, secret).ok_or(KeyError::AlgorithmMismatch)?;
        Self::new(alg, KeyMaterial::Hmac(k))
    }

    /// An ECDSA key from an uncompressed SEC1 point (`04 || x || y`).
    ///
    /// The point must be on the curve (SEC1 §3.2.2.1).
    ///
    /// # Errors
    /// [`KeyError::AlgorithmMismatch`] for a non-ECDSA `alg`;
    /// [`KeyError::InvalidPoint`] for a wrong length or prefix;
    /// [`KeyError::NotSupportedByBackend`] for ES512 under ring.
    pub fn ec(alg: Algorithm, sec1_point: &[u8]) -> Result<Self, KeyError> {
        let coord = ec_coordinate_len(alg)?;
        // SEC1 §2.3.3: uncompressed form only (0x04 || X || Y).
        if sec1_point.len() != 1 + 2 * coord || sec1_point.first() != Some(&0x04) {
            return Err(KeyError::InvalidPoint);
        }
        let point = heapless::Vec::from_slice(sec1_point).map_err(|()| KeyError::InvalidPoint)?;
        Self::new_ec(alg, point)
    }

    /// An ECDSA key from its affine coordinates, each exactly the curve's
    /// coordinate size (RFC 7518 §6.2.1.2-3: "MUST be the full size").
    ///
    /// # Errors
    /// As [`VerifyingKey::ec`].
    pub fn ec_from_coordinates(alg: Algorithm, x: &[u8], y: &[u8]) -> Result<Self, KeyError> {
        let coord = ec_coordinate_len(alg)?;
        if x.len() != coord || y.len() != coord {
            return Err(KeyError::InvalidPoint);
        }
        let mut point = heapless::Vec::<u8, { crypto::MAX_EC_POINT }>::new();
        let ok = point.push(0x04).is_ok()
            && point.extend_from_slice(x).is_ok()
            && point.extend_from_slice(y).is_ok();
        if !ok {
            return Err(KeyError::InvalidPoint);
        }
        Self::new_ec(alg, point)
    }

    /// An Ed25519 key (`EdDSA`, RFC 8037) from its 32-byte public key.
    ///
    /// # Errors
    /// [`KeyError::InvalidPoint`] when `public` is not 32 bytes.
    pub fn ed25519(public: &[u8]) -> Result<Self, KeyError> {
        let pk: [u8; 32] = public.try_into().map_err(|_| KeyError::InvalidPoint)?;
        Self::new(Algorithm::EdDSA, KeyMaterial::Ed25519(pk))
    }

    /// An RSA key from its modulus and public exponent (big-endian).
    ///
    /// # Errors
    /// [`KeyError::AlgorithmMismatch`] for a non-RSA `alg`;
    /// [`KeyError::RsaKeyRejected`] for a modulus outside 2048..=8192 bits
    /// (RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used") or an
    /// exponent that is even, below 3 or wider than 33 bits;
    /// [`KeyError::NotSupportedByBackend`] when this build has no RSA verifier
    /// (neither `ring` nor `rustcrypto-rsa`).
    #[cfg(feature = "alloc")]
    pub fn rsa(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Self, KeyError> {
        if alg.family() != KeyFamily::Rsa {
            return Err(KeyError::AlgorithmMismatch);
        }
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let n_bits = bit_len(n);
        if !(2048..=8192).contains(&n_bits) {
            return Err(KeyError::RsaKeyRejected);
        }
        // RFC 8017 §3.1: e in [3, n-1], odd. Like ring, cap it at 33 bits.
        let e_odd = e.last().is_some_and(|b| b & 1 == 1);
        if !e_odd || bit_len(e) > 33 || (e.len() == 1 && e.first().is_some_and(|&b| b < 3)) {
            return Err(KeyError::RsaKeyRejected);
        }
        // As for the curves: the encoding is checked first, then whether this build
        // verifies RSA at all (`ring` or `rustcrypto-rsa`), then the costlier checks.
        if !crypto::supports(alg) {
            return Err(KeyError::NotSupportedByBackend);
        }
        if has_roca_fingerprint(n) {
            return Err(KeyError::RsaKeyRejected);
        }
        Self::new(
            alg,
            KeyMaterial::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            },
        )
    }

    /// A key from a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), pinned to
    /// `alg`, which must fit the key's type (RSA needs `ring` or `rustcrypto-rsa`).
    ///
    /// # Errors
    /// [`KeyError::InvalidSpki`] for bad DER or an unknown key algorithm;
    /// [`KeyError::AlgorithmMismatch`] when `alg` does not fit; the checks of the
    /// per-type constructors.
    pub fn from_spki_der(alg: Algorithm, der: &[u8]) -> Result<Self, KeyError> {
        super::spki::verifying_key_from_spki(alg, der)
    }

    /// A key from a PEM `PUBLIC KEY` block (RFC 7468 §13), pinned to `alg`.
    ///
    /// # Errors
    /// [`KeyError::InvalidSpki`] for bad PEM or a different label; as
    /// [`VerifyingKey::from_spki_der`].
    pub fn from_spki_pem(alg: Algorithm, pem: &str) -> Result<Self, KeyError> {
        let mut buf = [0u8; 2048];
        let (label, der) =
            pem_rfc7468::decode(pem.as_bytes(), &mut buf).map_err(|_| KeyError::InvalidSpki)?;
        if label != "PUBLIC KEY" {
            return Err(KeyError::InvalidSpki);
        }
        Self::from_spki_der(alg, der)
    }

    /// Sets the key's `kid`.
    ///
    /// # Errors
    /// [`KeyError::KidTooLong`] beyond [`MAX_KID_LEN`] bytes.
    pub fn with_kid(mut self, kid: &str) -> Result<Self, KeyError> {
        self.kid = Some(kid_from(kid)?);
        Ok(self)
    }

    pub(crate) fn set_kid(&mut self, kid: Kid) {
        self.kid = Some(kid);
    }

    /// The one algorithm this key verifies.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The key's `kid`, if it has one.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Verifies a raw signature over `msg` with this key's pinned algorithm.
    /// The JWS and JWT verifiers call this after all header checks; it is public
    /// for profiles that sign other structures.
    ///
    /// # Errors
    /// [`JoseError::InvalidSignature`] when it does not verify.
    pub fn verify_signature(&self, msg: &[u8], signature: &[u8]) -> Result<(), JoseError> {
        if let Some(len) = self.alg.fixed_signature_len()
            && signature.len() != len
        {
            return Err(JoseError::InvalidSignature);
        }
        if crypto::verify(self.alg, &self.material, msg, signature) {
            Ok(())
        } else {
            Err(JoseError::InvalidSignature)
        }
    }

    pub(crate) fn kid_matches(&self, kid: &JsonStr<'_>) -> bool {
        self.kid.as_deref().is_some_and(|k| kid.eq_str(k))
    }
}

/// The ROCA fingerprint (CVE-2017-15361; Nemec et al., "The Return of
/// Coppersmith's Attack", CCS 2017, §2.3): moduli generated by the vulnerable
/// Infineon library satisfy, for each small prime `p` below, that `n mod p` lies in
/// the multiplicative subgroup generated by 65537. A random modulus passes all 38
/// tests with negligible probability, so such keys are refused.
#[cfg(feature = "alloc")]
fn has_roca_fingerprint(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let r = n
            .iter()
            .fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % p);
        let g = 65_537 % p;
        let mut x = 1u32;
        loop {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                return false;
            }
        }
    })
}

fn ec_coordinate_len(alg: Algorithm) -> Result<usize, KeyError> {
    match alg {
        Algorithm::ES256 => Ok(32),
        Algorithm::ES384 => Ok(48),
        Algorithm::ES512 => Ok(66),
        _ => Err(KeyError::AlgorithmMismatch),
    }
}

/// Finds the key for a token: the policy of a key set.
///
/// Implemented for a single [`VerifyingKey`], for slices of them (core tier, linear
/// scan) and for `JwkSet` (`alloc`, indexed by `kid`).
///
/// The `jku`, `x5u` and `jwk` header members are never used to find a key
/// (RFC 8725 §3.10): only the caller's keys are consulted.
pub trait KeyResolver {
    /// The key for a header's `kid` (if any) and `alg`.
    ///
    /// Rules: with a `kid`, the keys with that `kid` are candidates, or, when no key
    /// has it, the keys that have no `kid` at all; without a `kid`, keys pinned to
    /// `alg` are. One candidate is returned even if its algorithm
    /// differs (the caller then reports the mismatch); several candidates are
    /// narrowed by `alg`, and if more than one remains the answer is
    /// [`JoseError::AmbiguousKey`].
    ///
    /// # Errors
    /// [`JoseError::KeyNotFound`] or [`JoseError::AmbiguousKey`].
    fn resolve(&self, kid: Option<JsonStr<'_>>, alg: Algorithm)
    -> Result<&VerifyingKey, JoseError>;
}

impl KeyResolver for VerifyingKey {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        _alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        match (kid, self.kid()) {
            (Some(t), Some(_)) if !self.kid_matches(&t) => Err(JoseError::KeyNotFound),
            _ => Ok(self),
        }
    }
}

/// Picks from candidates yielded by `iter` (already filtered by kid if any).
pub(crate) fn pick<'k>(
    mut candidates: impl Iterator<Item = &'k VerifyingKey> + Clone,
    alg: Algorithm,
) -> Result<&'k VerifyingKey, JoseError> {
    let all = candidates.clone();
    let first = candidates.next().ok_or(JoseError::KeyNotFound)?;
    if candidates.next().is_none() {
        return Ok(first);
    }
    let mut same_alg = all.filter(|k| k.algorithm() == alg);
    let one = same_alg.next().ok_or(JoseError::KeyNotFound)?;
    if same_alg.next().is_some() {
        return Err(JoseError::AmbiguousKey);
    }
    Ok(one)
}

impl KeyResolver for [VerifyingKey] {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        match kid {
            Some(k) => {
                let named = self.iter().filter(move |key| key.kid_matches(&k));
                if named.clone().next().is_some() {
                    pick(named, alg)
                } else {
                    // No key carries this kid: keys without a kid are candidates,
                    // as a single kid-less key is (see the `VerifyingKey` impl).
                    pick(self.iter().filter(|key| key.kid().is_none()), alg)
                }
            }
            None => {
                if let [only] = self {
                    return Ok(only);
                }
                pick(self.iter().filter(move |key| key.algorithm() == alg), alg)
            }
        }
    }
}

impl<const N: usize> KeyResolver for [VerifyingKey; N] {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        self.as_slice().resolve(kid, alg)
    }
}

impl<const N: usize> KeyResolver for heapless::Vec<VerifyingKey, N> {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        self.as_slice().resolve(kid, alg)
    }
}

#[cfg(feature = "alloc")]
impl KeyResolver for alloc::vec::Vec<VerifyingKey> {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        self.as_slice().resolve(kid, alg)
    }
}

impl<T: KeyResolver + ?Sized> KeyResolver for &T {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        (**self).resolve(kid, alg)
    }
}

/// A private key that signs with one pinned algorithm (`alloc`).
#[cfg(feature = "alloc")]
pub struct SigningKey {
    alg: Algorithm,
    kid: Option<Kid>,
    material: crypto::SigningMaterial,
}

#[cfg(feature = "alloc")]
impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "alloc")]
impl SigningKey {
    pub(crate) fn from_material(alg: Algorithm, material: crypto::SigningMaterial) -> Self {
        Self {
            alg,
            kid: None,
            material,
        }
    }

    /// A signing key from a PKCS#8 v1/v2 DER document (RFC 5958).
    ///
    /// # Errors
    /// [`KeyError::InvalidPrivateKey`] when the document does not parse as a key
    /// for `alg`; [`KeyError::NotSupportedByBackend`] for ES512 under ring alone
    /// and for RS\*/PS\* under the RustCrypto backend (which verifies RSA but
    /// does not sign with it).
    pub fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Result<Self, KeyError> {
        if !crypto::supports_signing(alg) {
            return Err(KeyError::NotSupportedByBackend);
        }
        crypto::SigningMaterial::from_pkcs8(alg, der)
            .map(|m| Self::from_material(alg, m))
            .ok_or(KeyError::InvalidPrivateKey)
    }

    /// A signing key from a PEM `PRIVATE KEY` block (PKCS#8, RFC 7468 §10).
    ///
    /// # Errors
    /// [`KeyError::InvalidPrivateKey`] for bad PEM, another label, or as
    /// [`SigningKey::from_pkcs8`].
    pub fn from_pkcs8_pem(alg: Algorithm, pem: &str) -> Result<Self, KeyError> {
        let (label, der) =
            pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|_| KeyError::InvalidPrivateKey)?;
        if label != "PRIVATE KEY" {
            return Err(KeyError::InvalidPrivateKey);
        }
        Self::from_pkcs8(alg, &der)
    }

    /// An HMAC signing key from a raw secret.
    ///
    /// # Errors
    /// As [`VerifyingKey::hmac`].
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self, KeyError> {
        if alg.family() != KeyFamily::Hmac {
            return Err(KeyError::AlgorithmMismatch);
        }
        if secret.len() < alg.hash().output_len() {
            return Err(KeyError::HmacKeyTooShort);
        }
        crypto::SigningMaterial::hmac(alg, secret)
            .map(|m| Self::from_material(alg, m))
            .ok_or(KeyError::AlgorithmMismatch)
    }

    /// Sets the key's `kid` (copied into headers it signs).
    ///
    /// # Errors
    /// [`KeyError::KidTooLong`].
    pub fn with_kid(mut self, kid: &str) -> Result<Self, KeyError> {
        self.kid = Some(kid_from(kid)?);
        Ok(self)
    }

    pub(crate) fn set_kid(&mut self, kid: Kid) {
        self.kid = Some(kid);
    }

    /// The algorithm this key signs with.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The key's `kid`, if any.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The matching verification key (for asymmetric keys), with the same `kid`.
    ///
    /// # Errors
    /// [`KeyError::WrongUse`] for HMAC keys, whose secret is not public.
    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        let m = self.material.public().ok_or(KeyError::WrongUse)?;
        let mut k = VerifyingKey::new(self.alg, m)?;
        k.kid = self.kid.clone();
        Ok(k)
    }

    /// The public JWK of this key (RFC 7517 §4), as a JSON object: `kty` and the
    /// public members of its type (`crv`/`x`/`y` for EC, RFC 7518 §6.2.1; `crv`/`x`
    /// for OKP, RFC 8037 §2; `n`/`e` for RSA, RFC 7518 §6.3.1), `alg` (the pinned
    /// algorithm) and `kid` when set. Never a private member. A caller publishing
    /// it in a JWK Set may add `use: "sig"`.
    ///
    /// # Errors
    /// [`KeyError::WrongUse`] for HMAC keys, whose secret is not public (RFC 7517
    /// §4.1); [`KeyError::UnsupportedCurve`] if the backend's point does not fit
    /// the algorithm's curve.
    pub fn public_jwk(&self) -> Result<serde_json::Value, KeyError> {
        use crate::encoding::base64url::encode_string as b64;
        use alloc::string::String;
        use serde_json::Value;
        let m = self.material.public().ok_or(KeyError::WrongUse)?;
        let mut o = serde_json::Map::new();
        let mut put = |k: &str, v: String| {
            o.insert(k.into(), Value::String(v));
        };
        match m {
            KeyMaterial::Hmac(_) => return Err(KeyError::WrongUse),
            KeyMaterial::Ec(point) => {
                let (crv, coord) = match self.alg {
                    Algorithm::ES256 => ("P-256", 32),
                    Algorithm::ES384 => ("P-384", 48),
                    Algorithm::ES512 => ("P-521", 66),
                    _ => return Err(KeyError::UnsupportedCurve),
                };
                // SEC1 §2.3.3: 04 || x || y, each coordinate full size (RFC 7518 §6.2.1.2).
                let (x, y) = match point.split_first() {
                    Some((4, xy)) if xy.len() == 2 * coord => xy.split_at(coord),
                    _ => return Err(KeyError::InvalidPoint),
                };
                put("kty", "EC".into());
                put("crv", crv.into());
                put("x", b64(x));
                put("y", b64(y));
            }
            KeyMaterial::Ed25519(pk) => {
                put("kty", "OKP".into());
                put("crv", "Ed25519".into());
                put("x", b64(&pk));
            }
            KeyMaterial::Rsa { n, e } => {
                put("kty", "RSA".into());
                // RFC 7518 §6.3.1.1: n and e without leading zero octets.
                put("n", b64(strip_leading_zeros(&n)));
                put("e", b64(strip_leading_zeros(&e)));
            }
        }
        put("alg", self.alg.name().into());
        if let Some(kid) = &self.kid {
            put("kid", kid.as_str().into());
        }
        Ok(Value::Object(o))
    }

    /// Signs `msg`, returning the raw JWS signature.
    ///
    /// # Errors
    /// [`KeyError::InvalidPrivateKey`] if the backend fails.
    pub fn sign(&self, msg: &[u8]) -> Result<alloc::vec::Vec<u8>, KeyError> {
        self.material
            .sign(self.alg, msg)
            .ok_or(KeyError::InvalidPrivateKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_key_length_follows_rfc7518_3_2() {
        assert_eq!(
            VerifyingKey::hmac(Algorithm::HS256, &[7; 31]).unwrap_err(),
            KeyError::HmacKeyTooShort
        );
        assert!(VerifyingKey::hmac(Algorithm::HS256, &[7; 32]).is_ok());
        assert_eq!(
            VerifyingKey::hmac(Algorithm::HS512, &[7; 63]).unwrap_err(),
            KeyError::HmacKeyTooShort
        );
        assert_eq!(
            VerifyingKey::hmac(Algorithm::ES256, &[7; 64]).unwrap_err(),
            KeyError::AlgorithmMismatch
        );
        assert_eq!(
            VerifyingKey::hmac(Algorithm::HS256, &[]).unwrap_err(),
            KeyError::HmacKeyTooShort
        );
    }

    #[test]
    fn ec_point_encoding_is_checked() {
        // RFC 7515 A.3's P-256 public key.
        let x = [
            127, 205, 206, 39, 112, 246, 196, 93, 65, 131, 203, 238, 111, 219, 75, 123, 88, 7, 51,
            53, 123, 233, 239, 19, 186, 207, 110, 60, 123, 209, 84, 69,
        ];
        let y = [
            199, 241, 68, 205, 27, 189, 155, 126, 135, 44, 223, 237, 185, 238, 185, 244, 179, 105,
            93, 110, 169, 11, 36, 173, 138, 70, 35, 40, 133, 136, 229, 173,
        ];
        let mut p = [4u8; 65];
        p[1..33].copy_from_slice(&x);
        p[33..].copy_from_slice(&y);
        assert!(VerifyingKey::ec(Algorithm::ES256, &p).is_ok());
        p[0] = 2;
        assert_eq!(
            VerifyingKey::ec(Algorithm::ES256, &p).unwrap_err(),
            KeyError::InvalidPoint
        );
        assert_eq!(
            VerifyingKey::ec(Algorithm::ES384, &[4; 65]).unwrap_err(),
            KeyError::InvalidPoint
        );
        assert_eq!(
            VerifyingKey::ec(Algorithm::RS256, &[4; 65]).unwrap_err(),
            KeyError::AlgorithmMismatch
        );
        assert_eq!(
            VerifyingKey::ec_from_coordinates(Algorithm::ES256, &[1; 31], &[1; 32]).unwrap_err(),
            KeyError::InvalidPoint
        );
        assert_eq!(
            VerifyingKey::ed25519(&[1; 31]).unwrap_err(),
            KeyError::InvalidPoint
        );
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn rsa_limits() {
        let mut n = [0xffu8; 256];
        n[255] = 0xfd;
        // A well-formed key is built where this build verifies RSA (ring or
        // `rustcrypto-rsa`) and refused as unsupported elsewhere; the encoding checks
        // below come first either way.
        let built = VerifyingKey::rsa(Algorithm::RS256, &n, &[1, 0, 1]);
        if cfg!(any(feature = "ring", feature = "rustcrypto-rsa")) {
            assert!(built.is_ok());
        } else {
            assert_eq!(built.unwrap_err(), KeyError::NotSupportedByBackend);
        }
        assert_eq!(
            VerifyingKey::rsa(Algorithm::RS256, &n[..128], &[1, 0, 1]).unwrap_err(),
            KeyError::RsaKeyRejected
        );
        assert_eq!(
            VerifyingKey::rsa(Algorithm::RS256, &n, &[1]).unwrap_err(),
            KeyError::RsaKeyRejected
        );
        assert_eq!(
            VerifyingKey::rsa(Algorithm::RS256, &n, &[0, 0, 1]).unwrap_err(),
            KeyError::RsaKeyRejected
        );
        assert_eq!(
            VerifyingKey::rsa(Algorithm::RS256, &n, &[4]).unwrap_err(),
            KeyError::RsaKeyRejected
        );
        assert_eq!(
            VerifyingKey::rsa(Algorithm::ES256, &n, &[3]).unwrap_err(),
            KeyError::AlgorithmMismatch
        );
        // leading zeros do not count towards the size
        let mut padded = [0u8; 300];
        padded[300 - 128..].copy_from_slice(&n[..128]);
        assert_eq!(
            VerifyingKey::rsa(Algorithm::RS256, &padded, &[3]).unwrap_err(),
            KeyError::RsaKeyRejected
        );
    }

    #[test]
    fn off_curve_points_are_refused() {
        // RFC 7515 A.3's P-256 key, then the same with y changed by one bit.
        let x = [
            127, 205, 206, 39, 112, 246, 196, 93, 65, 131, 203, 238, 111, 219, 75, 123, 88, 7, 51,
            53, 123, 233, 239, 19, 186, 207, 110, 60, 123, 209, 84, 69,
        ];
        let mut y = [
            199, 241, 68, 205, 27, 189, 155, 126, 135, 44, 223, 237, 185, 238, 185, 244, 179, 105,
            93, 110, 169, 11, 36, 173, 138, 70, 35, 40, 133, 136, 229, 173,
        ];
        assert!(VerifyingKey::ec_from_coordinates(Algorithm::ES256, &x, &y).is_ok());
        y[31] ^= 1;
        assert_eq!(
            VerifyingKey::ec_from_coordinates(Algorithm::ES256, &x, &y).unwrap_err(),
            KeyError::InvalidPoint
        );
        assert_eq!(
            VerifyingKey::ec(Algorithm::ES256, &[4; 65]).unwrap_err(),
            KeyError::InvalidPoint
        );
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn roca_fingerprint_is_detected_only_on_roca_moduli() {
        // A modulus congruent to 65537^k mod every test prime: 65537 itself passes
        // every subgroup test (k = 1), so it carries the fingerprint.
        assert!(has_roca_fingerprint(&[1, 0, 1]));
        // 2^2048 - 1 fails the test for p = 3 (it is 0 mod 3).
        assert!(!has_roca_fingerprint(&[0xff; 256]));
    }

    #[test]
    fn kid_limits() {
        let k = VerifyingKey::ed25519(&[1; 32]).unwrap();
        let long = [b'a'; MAX_KID_LEN + 1];
        let long = core::str::from_utf8(&long).unwrap();
        assert_eq!(k.with_kid(long).unwrap_err(), KeyError::KidTooLong);
    }
}
