//! [`HandleHash`]: the SHA-256 of an opaque handle, stored and looked up instead of the handle.
//!
//! One type for both roles: the authorization server keys its authorization codes, refresh
//! tokens, opaque access tokens and device codes by it (a leaked store then holds no usable
//! credential, RFC 9700 §4.14, RFC 6749 §10.3/§10.5), and the resource server keys its
//! introspection cache by it (RFC 7662 §4: the token itself is not kept). It needs no heap, so
//! it lives here, in the module that builds in every tier.

use core::fmt;
use core::hash::{Hash, Hasher};

use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::encoding::base64url;

/// The SHA-256 of an opaque handle or token (authorization code, refresh token, opaque access
/// token, device code): what the caller stores and looks the handle up by, so a leaked store
/// holds no usable credential.
///
/// Equality (`==`, [`HandleHash::ct_eq`]) is constant-time. `Ord` and `Hash` (for map keys)
/// are not: they order digests, and the digest of a high-entropy handle reveals nothing of the
/// handle. `Debug` shows only the first 8 characters of the base64url digest.
#[derive(Clone, Copy, Eq, PartialOrd, Ord)]
pub struct HandleHash([u8; 32]);

impl HandleHash {
    /// The hash of `handle` (e.g. a code or token presented at an endpoint).
    #[must_use]
    pub fn of(handle: &str) -> Self {
        Self(Sha256::digest(handle.as_bytes()).into())
    }

    /// From stored digest bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw digest.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Constant-time comparison (what `==` does too; for stores that scan rather than index).
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }

    /// The digest as base64url (43 characters), e.g. as a database key or a grant identifier.
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn to_base64url(&self) -> alloc::string::String {
        base64url::encode_string(&self.0)
    }
}

impl PartialEq for HandleHash {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other)
    }
}

impl Hash for HandleHash {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for HandleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 43];
        let b = base64url::encode(&self.0, &mut buf).unwrap_or_default();
        write!(f, "HandleHash({}..)", b.get(..8).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::HandleHash;

    #[test]
    fn of_is_sha256() {
        // FIPS 180-2 Appendix B.1: SHA-256("abc").
        let abc = HandleHash::of("abc");
        assert_eq!(
            abc.as_bytes(),
            &[
                0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
                0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61,
                0xf2, 0x00, 0x15, 0xad
            ]
        );
        assert_eq!(HandleHash::from_bytes(*abc.as_bytes()), abc);
        assert!(abc.ct_eq(&HandleHash::of("abc")));
        assert_ne!(abc, HandleHash::of("abd"));
        assert!(!abc.ct_eq(&HandleHash::of("abd")));
    }

    #[test]
    fn debug_shows_a_prefix_only() {
        // base64url of SHA-256("abc") starts "ungWv48B".
        struct Out([u8; 64], usize);
        impl core::fmt::Write for Out {
            fn write_str(&mut self, s: &str) -> core::fmt::Result {
                let end = self.1 + s.len();
                self.0
                    .get_mut(self.1..end)
                    .ok_or(core::fmt::Error)?
                    .copy_from_slice(s.as_bytes());
                self.1 = end;
                Ok(())
            }
        }
        let mut out = Out([0; 64], 0);
        core::fmt::write(&mut out, format_args!("{:?}", HandleHash::of("abc"))).unwrap();
        assert_eq!(&out.0[..out.1], b"HandleHash(ungWv48B..)");
    }
}
