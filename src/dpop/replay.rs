//! The `jti` replay cache of RFC 9449 §11.1: a proof is accepted once.
//!
//! [`ReplayCache`] is a fixed-capacity table (no allocator) keyed by the SHA-256
//! of the proof's `jti`; entries expire when the proof would be refused anyway
//! for its `iat`. [`ReplayStore`] is the seam for shared or persistent stores;
//! it is implemented for `RefCell<ReplayCache<N>>` (single thread) and, under
//! `std`, for `Mutex<ReplayCache<N>>` and [`InMemoryReplayStore`].

use crate::time::UnixTime;
use core::fmt;

/// The store is full of live entries: the proof is refused rather than an
/// unexpired entry dropped (dropping one would reopen a replay window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayStoreFull;

impl fmt::Display for ReplayStoreFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("dpop: replay cache full (RFC 9449 §11.1)")
    }
}

impl core::error::Error for ReplayStoreFull {}

/// Where seen proof identifiers are remembered.
pub trait ReplayStore {
    /// Records `id` (a hash of the `jti`) until `expires`. `Ok(true)` when it
    /// was not seen before (the proof may be used), `Ok(false)` when it is a
    /// replay.
    ///
    /// # Errors
    /// [`ReplayStoreFull`] when the store cannot remember it.
    fn check_and_record(
        &self,
        id: &[u8; 32],
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<bool, ReplayStoreFull>;
}

/// A replay cache of at most `N` live entries, in a fixed array (core tier).
#[derive(Clone, Debug)]
pub struct ReplayCache<const N: usize> {
    entries: heapless::Vec<([u8; 32], UnixTime), N>,
}

impl<const N: usize> Default for ReplayCache<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> ReplayCache<N> {
    /// An empty cache.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: heapless::Vec::new(),
        }
    }

    /// The number of entries held (expired ones included until swept).
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when no entry is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// As [`ReplayStore::check_and_record`], through `&mut self`.
    ///
    /// # Errors
    /// [`ReplayStoreFull`] when `N` live entries are held.
    pub fn check_and_record_mut(
        &mut self,
        id: &[u8; 32],
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<bool, ReplayStoreFull> {
        if self.entries.iter().any(|(k, exp)| k == id && *exp > now) {
            return Ok(false);
        }
        self.entries.retain(|(_, exp)| *exp > now);
        self.entries
            .push((*id, expires))
            .map_err(|_| ReplayStoreFull)?;
        Ok(true)
    }
}

impl<const N: usize> ReplayStore for core::cell::RefCell<ReplayCache<N>> {
    fn check_and_record(
        &self,
        id: &[u8; 32],
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<bool, ReplayStoreFull> {
        self.try_borrow_mut()
            .map_err(|_| ReplayStoreFull)?
            .check_and_record_mut(id, expires, now)
    }
}

#[cfg(feature = "std")]
impl<const N: usize> ReplayStore for std::sync::Mutex<ReplayCache<N>> {
    fn check_and_record(
        &self,
        id: &[u8; 32],
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<bool, ReplayStoreFull> {
        // A poisoned lock still holds a consistent table (each operation is
        // complete before it can panic): keep using it rather than fail open.
        let mut g = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        g.check_and_record_mut(id, expires, now)
    }
}

/// The default in-memory store (`std`): a map bounded to `capacity` live
/// entries, behind a mutex.
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct InMemoryReplayStore {
    capacity: usize,
    map: std::sync::Mutex<std::collections::HashMap<[u8; 32], UnixTime>>,
}

#[cfg(feature = "std")]
impl InMemoryReplayStore {
    /// A store holding at most `capacity` live entries.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            map: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

#[cfg(feature = "std")]
impl Default for InMemoryReplayStore {
    /// 65,536 entries: a proof lives ~2 minutes, so ~500 proofs per second.
    fn default() -> Self {
        Self::new(1 << 16)
    }
}

#[cfg(feature = "std")]
impl ReplayStore for InMemoryReplayStore {
    fn check_and_record(
        &self,
        id: &[u8; 32],
        expires: UnixTime,
        now: UnixTime,
    ) -> Result<bool, ReplayStoreFull> {
        let mut map = self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.get(id).is_some_and(|exp| *exp > now) {
            return Ok(false);
        }
        if map.len() >= self.capacity {
            map.retain(|_, exp| *exp > now);
            if map.len() >= self.capacity {
                return Err(ReplayStoreFull);
            }
        }
        map.insert(*id, expires);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_cache_refuses_replays_and_expires() {
        let mut c = ReplayCache::<2>::new();
        let t = UnixTime::from_secs(100);
        let exp = UnixTime::from_secs(200);
        assert_eq!(c.check_and_record_mut(&[1; 32], exp, t), Ok(true));
        assert_eq!(c.check_and_record_mut(&[1; 32], exp, t), Ok(false));
        assert_eq!(c.check_and_record_mut(&[2; 32], exp, t), Ok(true));
        assert_eq!(
            c.check_and_record_mut(&[3; 32], exp, t),
            Err(ReplayStoreFull)
        );
        // after expiry the slots free up
        let later = UnixTime::from_secs(200);
        assert_eq!(
            c.check_and_record_mut(&[3; 32], UnixTime::from_secs(300), later),
            Ok(true)
        );
        assert_eq!(c.len(), 1);
    }

    #[cfg(feature = "std")]
    #[test]
    fn in_memory_store_is_bounded() {
        let s = InMemoryReplayStore::new(1);
        let t = UnixTime::from_secs(100);
        let exp = UnixTime::from_secs(200);
        assert_eq!(s.check_and_record(&[1; 32], exp, t), Ok(true));
        assert_eq!(s.check_and_record(&[1; 32], exp, t), Ok(false));
        assert_eq!(s.check_and_record(&[2; 32], exp, t), Err(ReplayStoreFull));
        assert_eq!(s.check_and_record(&[2; 32], exp, exp), Ok(true));
    }
}
