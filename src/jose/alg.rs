//! JWS algorithms (RFC 7518 §3, RFC 8037 §3.1).

use core::fmt;

/// A JWS signature or MAC algorithm this crate can verify.
///
/// `none` (RFC 7518 §3.6) is deliberately not a variant: an unsecured JWS can never
/// be represented, so it can never be accepted (RFC 8725 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC using SHA-256 (RFC 7518 §3.2).
    HS256,
    /// HMAC using SHA-384.
    HS384,
    /// HMAC using SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 using SHA-256 (RFC 7518 §3.3).
    RS256,
    /// RSASSA-PKCS1-v1_5 using SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 using SHA-512.
    RS512,
    /// RSASSA-PSS using SHA-256 and MGF1 with SHA-256 (RFC 7518 §3.5).
    PS256,
    /// RSASSA-PSS using SHA-384 and MGF1 with SHA-384.
    PS384,
    /// RSASSA-PSS using SHA-512 and MGF1 with SHA-512.
    PS512,
    /// ECDSA using P-256 and SHA-256 (RFC 7518 §3.4).
    ES256,
    /// ECDSA using P-384 and SHA-384.
    ES384,
    /// ECDSA using P-521 and SHA-512 (needs a backend with P-521; ring has none).
    ES512,
    /// EdDSA with the Ed25519 curve (RFC 8037 §3.1).
    EdDSA,
}

/// The hash function behind an algorithm, used for OIDC `at_hash`/`c_hash`
/// (left-most half of the hash) and RFC 7638 thumbprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// Digest length in bytes.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// The kind of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// A symmetric secret (`kty` `oct`).
    Hmac,
    /// An RSA key (`kty` `RSA`).
    Rsa,
    /// An elliptic-curve key (`kty` `EC`).
    Ec,
    /// An Octet Key Pair (`kty` `OKP`, RFC 8037).
    Okp,
}

impl Algorithm {
    /// Every algorithm, in RFC order.
    pub const ALL: [Self; 13] = [
        Self::HS256,
        Self::HS384,
        Self::HS512,
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::ES256,
        Self::ES384,
        Self::ES512,
        Self::EdDSA,
    ];

    /// Whether this build's crypto backend verifies `self`: ES384 needs the `es384`
    /// feature, ES512 needs `es512` (and, next to `ring`, `rustcrypto`: ring has no
    /// P-521), RS\*/PS\* need `ring` or `rustcrypto-rsa`. Keys and tokens of an
    /// algorithm this build does not support are refused with
    /// [`KeyError::NotSupportedByBackend`](super::KeyError::NotSupportedByBackend); use
    /// this to advertise only what is accepted.
    #[must_use]
    pub const fn is_supported(self) -> bool {
        super::crypto::supports(self)
    }

    /// The registered `alg` name (RFC 7518 §3.1).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::HS384 => "HS384",
            Self::HS512 => "HS512",
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::ES512 => "ES512",
            Self::EdDSA => "EdDSA",
        }
    }

    /// Looks up an `alg` name. Names are case-sensitive (RFC 7515 §4.1.1); `none`
    /// and unknown names give `None`. `Ed25519` (RFC 9864 §2, the fully-specified
    /// name) gives [`Algorithm::EdDSA`], as `EdDSA` (RFC 8037 §3.1, deprecated by
    /// RFC 9864) does.
    #[must_use]
    pub fn from_name(name: &[u8]) -> Option<Self> {
        // RFC 9864 §2: `Ed25519` is EdDSA with the Ed25519 parameter set.
        // Q: a key whose JWK says `alg: Ed25519` then also accepts tokens labelled
        // `EdDSA` (and vice versa): is that the algorithm confusion RFC 8725 §3.1
        // forbids? A: no. Keys of this crate pinned to `EdDSA` are OKP keys on
        // Ed25519 only (Ed448 is refused with `UnsupportedCurve`), so both labels
        // name the same computation over the same key: one algorithm, two names.
        // The key still pins one algorithm; signing keeps writing `EdDSA`, which
        // every deployed verifier knows.
        if name == b"Ed25519" {
            return Some(Self::EdDSA);
        }
        Self::ALL.into_iter().find(|a| a.name().as_bytes() == name)
    }

    /// The hash function the algorithm uses.
    #[must_use]
    pub const fn hash(self) -> HashAlg {
        match self {
            Self::HS256 | Self::RS256 | Self::PS256 | Self::ES256 => HashAlg::Sha256,
            Self::HS384 | Self::RS384 | Self::PS384 | Self::ES384 => HashAlg::Sha384,
            // RFC 8037 §3.1 does not define a hash for EdDSA; OIDC uses SHA-512 for
            // at_hash with Ed25519 (OpenID Connect Core errata set 2).
            Self::HS512 | Self::RS512 | Self::PS512 | Self::ES512 | Self::EdDSA => HashAlg::Sha512,
        }
    }

    /// The key family the algorithm needs.
    #[must_use]
    pub const fn family(self) -> KeyFamily {
        match self {
            Self::HS256 | Self::HS384 | Self::HS512 => KeyFamily::Hmac,
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => {
                KeyFamily::Rsa
            }
            Self::ES256 | Self::ES384 | Self::ES512 => KeyFamily::Ec,
            Self::EdDSA => KeyFamily::Okp,
        }
    }

    /// Whether the algorithm is symmetric (a MAC).
    #[must_use]
    pub const fn is_symmetric(self) -> bool {
        matches!(self.family(), KeyFamily::Hmac)
    }

    /// The exact signature length for fixed-size algorithms (HMAC, ECDSA in
    /// IEEE P1363 `r || s` form per RFC 7518 §3.4, Ed25519); `None` for RSA, whose
    /// length is the modulus length.
    #[must_use]
    pub const fn fixed_signature_len(self) -> Option<usize> {
        match self {
            Self::HS256 => Some(32),
            Self::HS384 => Some(48),
            Self::HS512 => Some(64),
            Self::ES256 => Some(64),
            Self::ES384 => Some(96),
            Self::ES512 => Some(132),
            Self::EdDSA => Some(64),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9864_ed25519_name_is_eddsa_with_ed25519() {
        // RFC 9864 §2 registers `Ed25519` and deprecates `EdDSA`.
        assert_eq!(Algorithm::from_name(b"Ed25519"), Some(Algorithm::EdDSA));
        assert_eq!(Algorithm::from_name(b"EdDSA"), Some(Algorithm::EdDSA));
    }

    #[test]
    fn names_round_trip_and_none_is_absent() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.name().as_bytes()), Some(a));
        }
        for bad in [
            "none", "None", "NONE", "hs256", "HS256 ", "", "ES521", "RS1", "ed25519", "Ed448",
            "Ed25519 ",
        ] {
            assert_eq!(Algorithm::from_name(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn families_and_lengths() {
        assert_eq!(Algorithm::PS384.family(), KeyFamily::Rsa);
        assert_eq!(Algorithm::ES384.fixed_signature_len(), Some(96));
        assert_eq!(Algorithm::RS256.fixed_signature_len(), None);
        assert!(Algorithm::HS512.is_symmetric());
        assert_eq!(Algorithm::ES512.hash().output_len(), 64);
    }
}
