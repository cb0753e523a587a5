//! Caller-supplied randomness.
//!
//! ring's `SecureRandom` is sealed, so callers cannot implement it; this crate
//! takes randomness through [`SecureRandom`] instead, which any closure
//! `FnMut(&mut [u8]) -> Result<(), RandomError>` also implements. Under `std`,
//! `SystemRandom` reads the operating system's generator (through the `getrandom`
//! crate, whichever crypto backend is built).

use core::fmt;

/// The random source failed; nothing random was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RandomError;

impl fmt::Display for RandomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("random source failed")
    }
}

impl core::error::Error for RandomError {}

/// A cryptographically secure random source supplied by the caller.
///
/// # Security
/// Implementations must be cryptographically secure: PKCE verifiers, `state`,
/// `nonce` and `jti` values are drawn from it.
pub trait SecureRandom {
    /// Fills `dest` entirely with random bytes.
    ///
    /// # Errors
    /// [`RandomError`] when the source cannot produce randomness.
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError>;
}

impl<F> SecureRandom for F
where
    F: FnMut(&mut [u8]) -> Result<(), RandomError>,
{
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        self(dest)
    }
}

/// The operating system's random generator (`getrandom(2)`, `getentropy`,
/// `BCryptGenRandom`, ... through the `getrandom` crate; ring's own
/// `SystemRandom` is a wrapper around the same crate).
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct SystemRandom(());

#[cfg(feature = "std")]
impl SystemRandom {
    /// A handle to the system generator.
    #[must_use]
    pub fn new() -> Self {
        Self(())
    }
}

#[cfg(feature = "std")]
impl Default for SystemRandom {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "std")]
impl SecureRandom for SystemRandom {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        getrandom::getrandom(dest).map_err(|_| RandomError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closures_are_sources() {
        let mut counter = 0u8;
        let mut rng = |d: &mut [u8]| {
            for b in d.iter_mut() {
                counter = counter.wrapping_add(1);
                *b = counter;
            }
            Ok(())
        };
        let mut buf = [0u8; 3];
        rng.fill(&mut buf).unwrap();
        assert_eq!(buf, [1, 2, 3]);
        let mut failing = |_: &mut [u8]| Err(RandomError);
        assert_eq!(failing.fill(&mut buf), Err(RandomError));
    }

    #[cfg(feature = "std")]
    #[test]
    fn system_random_fills() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        let mut rng = SystemRandom::new();
        rng.fill(&mut a).unwrap();
        rng.fill(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
