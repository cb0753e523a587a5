//! Server-issued DPoP nonces that rotate without storage (RFC 9449 §8, §9).
//!
//! A nonce is `base64url(HMAC-SHA256(secret, "dpop-nonce" || window))` where
//! `window = now / period`. The current and the previous window's nonces are
//! accepted, so a nonce lives between one and two periods; nothing is stored.

use crate::encoding::base64url;
use crate::time::{Duration, UnixTime};
use hmac::Mac as _;
use subtle::ConstantTimeEq as _;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Issues and checks rotating nonces from a secret.
#[derive(Clone)]
pub struct NonceIssuer {
    mac: HmacSha256,
    period: u64,
}

impl core::fmt::Debug for NonceIssuer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NonceIssuer")
            .field("secret", &"<redacted>")
            .field("period", &self.period)
            .finish()
    }
}

/// A nonce value: 43 base64url characters.
pub type Nonce = heapless::String<43>;

impl NonceIssuer {
    /// An issuer keyed by `secret` (at least 32 bytes of randomness, kept by the
    /// server; several instances sharing it accept each other's nonces) whose
    /// nonces rotate every `period` (at least 1 s; e.g. 5 minutes).
    ///
    /// # Errors
    /// `None` when `secret` is shorter than 32 bytes.
    #[must_use]
    pub fn new(secret: &[u8], period: Duration) -> Option<Self> {
        if secret.len() < 32 {
            return None;
        }
        let mac = HmacSha256::new_from_slice(secret).ok()?;
        Some(Self {
            mac,
            period: period.as_secs().max(1),
        })
    }

    fn nonce_for(&self, window: u64) -> Nonce {
        let mut m = self.mac.clone();
        m.update(b"dpop-nonce");
        m.update(&window.to_be_bytes());
        let tag = m.finalize().into_bytes();
        let mut buf = [0u8; 43];
        let mut out = Nonce::new();
        if let Ok(s) = base64url::encode(&tag, &mut buf) {
            let _ = out.push_str(s);
        }
        out
    }

    /// The nonce to hand out at `now` (in a `DPoP-Nonce` header).
    #[must_use]
    pub fn current(&self, now: UnixTime) -> Nonce {
        self.nonce_for(now.as_secs() / self.period)
    }

    /// Whether `nonce` is the current or the previous window's nonce, compared
    /// in constant time.
    #[must_use]
    pub fn is_valid(&self, nonce: &str, now: UnixTime) -> bool {
        let w = now.as_secs() / self.period;
        let cur = self.nonce_for(w);
        let mut ok = cur.as_bytes().ct_eq(nonce.as_bytes());
        if let Some(prev) = w.checked_sub(1) {
            ok |= self.nonce_for(prev).as_bytes().ct_eq(nonce.as_bytes());
        }
        ok.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_and_accepts_previous() {
        let n = NonceIssuer::new(&[9; 32], Duration::from_secs(300)).unwrap();
        let t0 = UnixTime::from_secs(3_000);
        let a = n.current(t0);
        assert_eq!(a.len(), 43);
        assert!(n.is_valid(&a, t0));
        assert!(n.is_valid(&a, UnixTime::from_secs(3_300)));
        // two windows later: stale
        assert!(!n.is_valid(&a, UnixTime::from_secs(3_600)));
        assert_ne!(n.current(UnixTime::from_secs(3_300)), a);
        assert!(!n.is_valid("x", t0));
        let other = NonceIssuer::new(&[8; 32], Duration::from_secs(300)).unwrap();
        assert!(!other.is_valid(&a, t0));
        assert!(NonceIssuer::new(&[1; 16], Duration::from_secs(1)).is_none());
    }
}
