//! JOSE: JWS (RFC 7515), JWK (RFC 7517), JWA (RFC 7518), JWT (RFC 7519), EdDSA
//! (RFC 8037), thumbprints (RFC 7638), under the JWT BCP (RFC 8725).
//!
//! The verification path — [`Validation::verify`] — is the crate's hot path: it
//! splits the token by index, decodes into a caller buffer, looks the key up in a
//! pre-parsed set, checks the algorithm pin before any cryptography, verifies the
//! signature before reading claims, and reads claims in one zero-copy pass.
//!
//! ```
//! use oauth_core::jose::{Algorithm, Validation, VerifyingKey};
//! use oauth_core::time::UnixTime;
//!
//! // RFC 7515 Appendix A.1 (HS256); its `exp` is 1300819380.
//! let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
//! let secret = [3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240, 84, 201, 40, 169, 15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138, 180, 195, 119, 98, 61, 34, 61, 46, 33, 114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128, 163];
//! let key = VerifyingKey::hmac(Algorithm::HS256, &secret)?;
//! let mut scratch = [0u8; 512];
//! // The example token has no `aud`, so an audience-checking validation refuses it:
//! let v = Validation::new("joe", "https://api.example");
//! let err = v.verify(token, &key, UnixTime::from_secs(1_300_819_000), &mut scratch).unwrap_err();
//! assert_eq!(err, oauth_core::jose::JoseError::MissingClaim("aud"));
//! # Ok::<(), oauth_core::jose::KeyError>(())
//! ```

use crate::encoding::json::JsonStr;

mod alg;
mod crypto;
mod error;
mod jwk;
mod jws;
mod jwt;
mod keys;
mod spki;

pub use alg::{Algorithm, HashAlg, KeyFamily};
pub use error::{JoseError, KeyError, Segment};
pub use jwk::{Jwk, JwkSetOptions, parse_jwk_set_into};
#[cfg(feature = "alloc")]
pub use jwk::{JwkSet, SkippedKey};
#[cfg(feature = "alloc")]
pub use jws::sign_compact;
pub use jws::{CompactJws, Header, HeaderPolicy, VerifiedJws, verify_compact};
#[cfg(feature = "alloc")]
pub use jwt::sign as sign_jwt;
pub use jwt::{Audience, Claims, DEFAULT_MAX_TOKEN_LEN, Validation, VerifiedJwt};
#[cfg(feature = "alloc")]
pub use keys::SigningKey;
pub use keys::{KeyResolver, Kid, MAX_KID_LEN, VerifyingKey};

/// Calls `f` with a member name's bytes: borrowed when it has no escapes, else
/// unescaped into a stack buffer (zeroed only on that rare path). Names longer
/// than 32 bytes are none that this crate interprets: `None`, and the member is
/// ignored as unknown. Bytes, not `&str`: the scanner has validated UTF-8, and
/// matching bytes skips a re-validation per name on the hot path.
///
/// Q: why not compare raw bytes always? A: `"\u0061ud"` *is* `"aud"` (RFC 8259
/// §7); a raw comparison would let an escaped `exp`, `nbf` or `crit` slip past its
/// check.
pub(crate) fn with_member_name<R>(name: &JsonStr<'_>, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    if !name.has_escapes() {
        return Some(f(name.raw()));
    }
    let mut buf = [0u8; 32];
    name.unescape_into(&mut buf).ok().map(|n| f(n.as_bytes()))
}

/// [`with_member_name`] for callers that need the bytes after the call (JWK
/// members), or that assign to captured slots (the JOSE header: see
/// `Header::parse`).
pub(crate) fn member_name<'r>(name: &JsonStr<'r>, buf: &'r mut [u8; 32]) -> Option<&'r [u8]> {
    if name.has_escapes() {
        name.unescape_into(buf).ok().map(str::as_bytes)
    } else {
        Some(name.raw())
    }
}

/// The OpenID Connect `at_hash` / `c_hash` value (OIDC Core §3.1.3.6, §3.3.2.11):
/// base64url of the left-most half of the hash of `value`, with the hash of the
/// ID token's `alg`. Returns the encoded text in `out`.
///
/// # Errors
/// Never in practice; [`KeyError::Malformed`] if `out` were too small.
pub fn oidc_hash_claim<'o>(
    alg: Algorithm,
    value: &[u8],
    out: &'o mut [u8; 43],
) -> Result<&'o str, KeyError> {
    let mut digest = [0u8; 64];
    let d = crypto::digest(alg.hash(), value, &mut digest);
    let half = d.get(..d.len() / 2).ok_or(KeyError::Malformed)?;
    crate::encoding::base64url::encode(half, out).map_err(|_| KeyError::Malformed)
}
