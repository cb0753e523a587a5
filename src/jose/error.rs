//! Errors of the JOSE layer. Each variant names the rule that was broken; none
//! carries a token, a key or any other secret.

use super::alg::Algorithm;
use crate::encoding::json::JsonError;
use core::fmt;

/// Which part of a compact JWS an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The JOSE header.
    Header,
    /// The payload (JWT claims).
    Payload,
    /// The signature.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Header => "header",
            Self::Payload => "payload",
            Self::Signature => "signature",
        })
    }
}

/// A key could not be built, or is unfit for the use asked of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The JWK or key document is not valid JSON or lacks a required member.
    Malformed,
    /// A key member is not valid base64url.
    Base64,
    /// `kty` is missing or not one this crate verifies with (RFC 7517 §4.1).
    UnsupportedKeyType,
    /// `crv` is missing, unknown, or does not match the algorithm (RFC 7518 §6.2.1.1).
    UnsupportedCurve,
    /// The key's `alg` is unknown or not a signature algorithm (RFC 7517 §4.4).
    UnsupportedAlgorithm,
    /// The algorithm asked for does not fit the key type.
    AlgorithmMismatch,
    /// The key has no `alg` member and none was supplied to pin it (RFC 8725 §3.1:
    /// the key, not the token, decides the algorithm).
    AlgorithmRequired,
    /// `use` is not `sig`, or `key_ops` lacks `verify`/`sign` (RFC 7517 §4.2, §4.3).
    WrongUse,
    /// `use` and `key_ops` are inconsistent, or `key_ops` repeats a value
    /// (RFC 7517 §4.3).
    InconsistentUse,
    /// An HMAC secret shorter than the hash output (RFC 7518 §3.2).
    HmacKeyTooShort,
    /// An RSA modulus outside 2048..=8192 bits, or an exponent that is even,
    /// below 3, or too large (RFC 7518 §3.3, RFC 8017 §3.1).
    RsaKeyRejected,
    /// An elliptic-curve point of the wrong length or encoding (SEC1 §2.3.3).
    InvalidPoint,
    /// The `kid` is longer than [`MAX_KID_LEN`](super::MAX_KID_LEN) bytes.
    KidTooLong,
    /// Two keys of a JWK Set with the same `kty` share a `kid`, so a lookup would be
    /// ambiguous (RFC 7517 §4.5 allows a shared `kid` only across key types).
    DuplicateKid,
    /// A JWK Set mixes symmetric (`oct`) and asymmetric keys: a published key set
    /// holding a secret is a leaked secret, and a mixed set invites algorithm
    /// confusion (RFC 8725 §2.1), so the whole set is refused.
    MixedKeySet,
    /// A fixed-capacity key set cannot hold every usable key of the document.
    SetTooLarge,
    /// A private key could not be parsed or does not match its public part.
    InvalidPrivateKey,
    /// The algorithm is not available in this build (e.g. ES512 with ring, RSA
    /// without `alloc`).
    NotSupportedByBackend,
    /// A DER or PEM public key could not be parsed (RFC 5280 §4.1.2.7).
    InvalidSpki,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "key: malformed key document (RFC 7517 §4)",
            Self::Base64 => "key: member is not base64url (RFC 7518 §6)",
            Self::UnsupportedKeyType => "key: unsupported kty (RFC 7517 §4.1)",
            Self::UnsupportedCurve => "key: unsupported or mismatched crv (RFC 7518 §6.2.1.1)",
            Self::UnsupportedAlgorithm => "key: unsupported alg (RFC 7517 §4.4)",
            Self::AlgorithmMismatch => "key: algorithm does not fit the key type",
            Self::AlgorithmRequired => "key: no alg to pin the key to (RFC 8725 §3.1)",
            Self::WrongUse => "key: not a signature key (use/key_ops, RFC 7517 §4.2-4.3)",
            Self::InconsistentUse => "key: use and key_ops disagree (RFC 7517 §4.3)",
            Self::HmacKeyTooShort => "key: hmac secret shorter than the hash (RFC 7518 §3.2)",
            Self::RsaKeyRejected => "key: rsa modulus or exponent out of range (RFC 7518 §3.3)",
            Self::InvalidPoint => "key: invalid elliptic-curve point (SEC1 §2.3.3)",
            Self::KidTooLong => "key: kid too long",
            Self::DuplicateKid => "key: duplicate kid in key set (RFC 7517 §4.5)",
            Self::SetTooLarge => "key: more usable keys than the key set can hold",
            Self::MixedKeySet => "key: key set mixes symmetric and asymmetric keys (RFC 8725 §2.1)",
            Self::InvalidPrivateKey => "key: invalid private key",
            Self::NotSupportedByBackend => "key: algorithm not supported by this build",
            Self::InvalidSpki => "key: invalid SubjectPublicKeyInfo (RFC 5280 §4.1.2.7)",
        })
    }
}

/// A compact JWS or JWT was rejected. Each variant names the rule broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoseError {
    /// The token is longer than the configured maximum.
    TooLarge {
        /// The maximum in bytes.
        max: usize,
    },
    /// Not three non-empty-header segments separated by `.` (RFC 7515 §7.1).
    Malformed,
    /// A segment is not strict unpadded base64url (RFC 7515 §2).
    Base64(Segment),
    /// A segment is not the JSON object it must be (RFC 7515 §5.2 step 4,
    /// RFC 7519 §7.2 step 10), including duplicate members.
    Json(Segment, JsonError),
    /// The caller's scratch buffer is too small for the decoded header and payload.
    BufferTooSmall,
    /// The header has no `alg` (RFC 7515 §4.1.1).
    MissingAlgorithm,
    /// The header's `alg` is `none` (RFC 8725 §3.1: never accepted).
    AlgorithmNone,
    /// The header's `alg` is not a known signature algorithm, or not a string.
    UnsupportedAlgorithm,
    /// The header's `alg` differs from the algorithm the key is pinned to
    /// (RFC 8725 §3.1).
    AlgorithmMismatch {
        /// The key's algorithm.
        expected: Algorithm,
        /// The header's algorithm.
        found: Algorithm,
    },
    /// `crit` is malformed or names an extension this verifier does not
    /// understand (RFC 7515 §4.1.11).
    UnknownCritical,
    /// `b64: false` (RFC 7797) is not supported.
    UnencodedPayload,
    /// A header member has the wrong JSON type.
    HeaderType(&'static str),
    /// No key matches the header's `kid` and `alg`.
    KeyNotFound,
    /// More than one key could verify and the header does not say which.
    AmbiguousKey,
    /// The signature does not verify (RFC 7515 §5.2 step 8).
    InvalidSignature,
    /// `typ` is absent or not the one the profile requires (RFC 8725 §3.11).
    InvalidType,
    /// A claim the validation requires is absent.
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type (never treated as absent).
    ClaimType(&'static str),
    /// `exp` is in the past, beyond the leeway (RFC 7519 §4.1.4).
    Expired,
    /// `nbf` is in the future, beyond the leeway (RFC 7519 §4.1.5).
    NotYetValid,
    /// `iat` is in the future, beyond the leeway (RFC 7519 §4.1.6).
    IssuedInFuture,
    /// The token is older than the configured maximum age (from `iat`).
    TooOld,
    /// `iss` does not exactly equal the expected issuer (RFC 7519 §4.1.1).
    InvalidIssuer,
    /// `aud` does not contain the expected audience (RFC 7519 §4.1.3).
    InvalidAudience,
    /// An `aud` array has more members than the verifier accepts.
    TooManyAudiences,
}

impl fmt::Display for JoseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { max } => write!(f, "jws: token longer than {max} bytes"),
            Self::Malformed => f.write_str("jws: not a compact serialization (RFC 7515 §7.1)"),
            Self::Base64(s) => write!(f, "jws: {s} is not base64url (RFC 7515 §2)"),
            Self::Json(s, e) => write!(f, "jws: {s} is not a valid json object: {e}"),
            Self::BufferTooSmall => f.write_str("jws: scratch buffer too small"),
            Self::MissingAlgorithm => f.write_str("jws: header has no alg (RFC 7515 §4.1.1)"),
            Self::AlgorithmNone => f.write_str("jws: alg none is never accepted (RFC 8725 §3.1)"),
            Self::UnsupportedAlgorithm => f.write_str("jws: unsupported alg (RFC 7518 §3.1)"),
            Self::AlgorithmMismatch { expected, found } => write!(
                f,
                "jws: alg {found} does not match the key's {expected} (RFC 8725 §3.1)"
            ),
            Self::UnknownCritical => {
                f.write_str("jws: crit names an extension not understood (RFC 7515 §4.1.11)")
            }
            Self::UnencodedPayload => f.write_str("jws: b64=false is not supported (RFC 7797)"),
            Self::HeaderType(m) => write!(f, "jws: header member {m} has the wrong type"),
            Self::KeyNotFound => f.write_str("jws: no key for this kid and alg"),
            Self::AmbiguousKey => f.write_str("jws: more than one key could apply"),
            Self::InvalidSignature => f.write_str("jws: invalid signature (RFC 7515 §5.2)"),
            Self::InvalidType => f.write_str("jwt: typ not accepted (RFC 8725 §3.11)"),
            Self::MissingClaim(c) => write!(f, "jwt: required claim {c} is missing"),
            Self::ClaimType(c) => write!(f, "jwt: claim {c} has the wrong type"),
            Self::Expired => f.write_str("jwt: expired (RFC 7519 §4.1.4)"),
            Self::NotYetValid => f.write_str("jwt: not yet valid (RFC 7519 §4.1.5)"),
            Self::IssuedInFuture => f.write_str("jwt: issued in the future (RFC 7519 §4.1.6)"),
            Self::TooOld => f.write_str("jwt: issued too long ago"),
            Self::InvalidIssuer => {
                f.write_str("jwt: iss is not the expected issuer (RFC 7519 §4.1.1)")
            }
            Self::InvalidAudience => {
                f.write_str("jwt: aud does not contain the expected audience (RFC 7519 §4.1.3)")
            }
            Self::TooManyAudiences => f.write_str("jwt: too many audiences"),
        }
    }
}

impl core::error::Error for JoseError {}
impl core::error::Error for KeyError {}
