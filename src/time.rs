//! Time values. Nothing in this crate reads a clock: every check that depends on
//! time takes `now: UnixTime` from the caller (as rustls-webpki does).

use core::fmt;

/// A point in time, as whole seconds since the Unix epoch (1970-01-01T00:00:00Z).
///
/// JWT `NumericDate` values (RFC 7519 §2) are read into this type; fractional
/// seconds are truncated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The Unix epoch.
    pub const EPOCH: Self = Self(0);

    /// A time `secs` seconds after the Unix epoch.
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// `self + d`, saturating at the largest representable time.
    #[must_use]
    pub const fn saturating_add(self, d: Duration) -> Self {
        Self(self.0.saturating_add(d.0))
    }

    /// `self - d`, saturating at the epoch.
    #[must_use]
    pub const fn saturating_sub(self, d: Duration) -> Self {
        Self(self.0.saturating_sub(d.0))
    }

    /// `self + d`, or `None` on overflow.
    #[must_use]
    pub const fn checked_add(self, d: Duration) -> Option<Self> {
        match self.0.checked_add(d.0) {
            Some(s) => Some(Self(s)),
            None => None,
        }
    }

    /// The duration from `earlier` to `self`, or zero when `earlier` is later.
    #[must_use]
    pub const fn duration_since(self, earlier: Self) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }

    /// Converts a [`std::time::SystemTime`] the caller has read. Times before the
    /// epoch give `None`. This reads no clock itself.
    #[cfg(feature = "std")]
    #[must_use]
    pub fn from_system_time(t: std::time::SystemTime) -> Option<Self> {
        t.duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| Self(d.as_secs()))
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A span of time in whole seconds (token lifetimes, leeway, cache ages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(u64);

impl Duration {
    /// No time at all.
    pub const ZERO: Self = Self(0);

    /// `secs` seconds.
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// `mins` minutes, saturating.
    #[must_use]
    pub const fn from_mins(mins: u64) -> Self {
        Self(mins.saturating_mul(60))
    }

    /// The number of seconds.
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0)
    }
}

/// Clock-skew allowance applied to `exp`, `nbf` and `iat` checks (RFC 7519 §4.1.4:
/// "implementers MAY provide for some small leeway, usually no more than a few
/// minutes, to account for clock skew").
///
/// The default is 60 seconds; [`Leeway::MAX`] caps what can be configured at five
/// minutes so a misconfiguration cannot turn expiry off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Leeway(Duration);

impl Leeway {
    /// No leeway.
    pub const NONE: Self = Self(Duration::ZERO);
    /// The largest leeway accepted: five minutes.
    pub const MAX: Self = Self(Duration::from_secs(300));

    /// A leeway of `d`, capped at [`Leeway::MAX`].
    #[must_use]
    pub const fn new(d: Duration) -> Self {
        if d.0 > Self::MAX.0.0 {
            Self::MAX
        } else {
            Self(d)
        }
    }

    /// The leeway as a duration.
    #[must_use]
    pub const fn duration(self) -> Duration {
        self.0
    }
}

impl Default for Leeway {
    fn default() -> Self {
        Self(Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = UnixTime::from_secs(u64::MAX - 1);
        assert_eq!(t.saturating_add(Duration::from_secs(5)).as_secs(), u64::MAX);
        assert_eq!(t.checked_add(Duration::from_secs(5)), None);
        assert_eq!(
            UnixTime::EPOCH.saturating_sub(Duration::from_secs(5)),
            UnixTime::EPOCH
        );
        assert_eq!(
            UnixTime::from_secs(10).duration_since(UnixTime::from_secs(20)),
            Duration::ZERO
        );
        assert_eq!(
            UnixTime::from_secs(20)
                .duration_since(UnixTime::from_secs(5))
                .as_secs(),
            15
        );
    }

    #[test]
    fn leeway_is_capped() {
        assert_eq!(Leeway::new(Duration::from_secs(86_400)), Leeway::MAX);
        assert_eq!(
            Leeway::new(Duration::from_secs(30)).duration().as_secs(),
            30
        );
        assert_eq!(Leeway::default().duration().as_secs(), 60);
    }
}
