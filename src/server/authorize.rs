//! The authorization endpoint (RFC 6749 §4.1.1, §4.1.2; OAuth 2.1 §4.1): parse and validate the
//! request, let the caller log the user in and decide, then render the redirect and hand back
//! the [`AuthorizationCodeRecord`] to persist.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::pkce::CodeChallengeMethod;
use crate::time::UnixTime;

/// The SHA-256 of an authorization code: what the server stores and looks the code up by, so a
/// leak of the store does not leak usable codes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeHash([u8; 32]);

impl CodeHash {
    /// The hash of a presented code (at the token endpoint).
    #[must_use]
    pub fn of(code: &str) -> Self {
        Self(Sha256::digest(code.as_bytes()).into())
    }

    /// From stored bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The digest bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Constant-time comparison (for stores that scan rather than index).
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }

    /// Base64url of the digest, as a store key.
    #[must_use]
    pub fn to_base64url(&self) -> String {
        crate::encoding::base64url::encode_string(&self.0)
    }
}

impl fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeHash({})", self.to_base64url())
    }
}

/// What the server persists for an issued authorization code, keyed by [`CodeHash`]; the token
/// endpoint's `authorization_code` grant redeems it (once: the store must take it atomically).
///
/// The code itself is never stored (only its hash).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizationCodeRecord {
    /// SHA-256 of the code.
    pub code_hash: CodeHash,
    /// The client the code was issued to (RFC 6749 §4.1.3: the token request must be from it).
    pub client_id: String,
    /// The redirect URI the code was delivered to (the registered one when the request omitted it).
    pub redirect_uri: String,
    /// Whether the authorization request carried `redirect_uri`: then the token request must carry
    /// the identical value (RFC 6749 §4.1.3).
    pub redirect_uri_in_request: bool,
    /// The PKCE challenge (RFC 7636 §4.4).
    pub code_challenge: String,
    /// Its method (`S256`, or `plain` where the policy allowed it).
    pub code_challenge_method: CodeChallengeMethod,
    /// The scope values granted (space-free tokens, in order).
    pub scopes: Vec<String>,
    /// The resource indicators granted (RFC 8707); tokens are audience-restricted to these.
    pub resources: Vec<String>,
    /// The authenticated end-user.
    pub subject: String,
    /// OIDC `nonce`, to put in the ID token.
    pub nonce: Option<String>,
    /// When the end-user authenticated (OIDC `auth_time`).
    pub auth_time: Option<UnixTime>,
    /// The authentication context class reached (OIDC `acr`).
    pub acr: Option<String>,
    /// RFC 9449 §10: the access token must be bound to this JWK thumbprint.
    pub dpop_jkt: Option<String>,
    /// When the code was issued.
    pub issued_at: UnixTime,
    /// When it stops being redeemable.
    pub expires_at: UnixTime,
}

impl AuthorizationCodeRecord {
    /// Whether the code has expired at `now`.
    #[must_use]
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now >= self.expires_at
    }
}
