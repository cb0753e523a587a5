//! The JWK Set of an authorization server, cached as a sans-IO state machine
//! (RFC 7517 §5, RFC 8414 `jwks_uri`; key rotation per RFC 7517 §8 and OIDC
//! Core §10.1.1).
//!
//! [`JwksCache::lookup`] answers a key, or [`JwksLookup::FetchFirst`] with the
//! request to send when the set is missing, stale, or lacks the token's `kid`
//! (a rotation) and the minimum refetch interval has passed; the caller sends it
//! and hands the answer to [`JwksCache::process_jwks_response`]. No clock is
//! read and no I/O is done here.

use crate::http::{HttpRequest, HttpResponse};
use crate::jose::{
    Algorithm, JoseError, JwkSet, JwkSetOptions, KeyError, KeyResolver, VerifyingKey,
};
use crate::time::{Duration, UnixTime};
use alloc::string::String;
use core::fmt;

/// Why a key could not be found or a JWKS response was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksError {
    /// No key set is installed yet and a fetch is already in flight (the
    /// minimum refetch interval has not passed).
    NotLoaded,
    /// The `kid` is not in the set and the set was fetched less than the
    /// minimum refetch interval ago (RFC 7517 §8 rotation, rate-limited).
    UnknownKid,
    /// The set has keys for the `kid` but none fits (ambiguous or wrong `alg`).
    Key(JoseError),
    /// The JWKS response is not a 200 (the old set is kept).
    HttpStatus(u16),
    /// The JWKS response is not JSON (`application/json` or `+json`).
    ContentType,
    /// The JWKS document was refused (the old set is kept).
    Document(KeyError),
    /// The JWKS document has no usable key (the old set is kept).
    Empty,
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLoaded => f.write_str("jwks: no key set yet, fetch pending"),
            Self::UnknownKid => {
                f.write_str("jwks: unknown kid, refetch rate-limited (RFC 7517 §8)")
            }
            Self::Key(e) => write!(f, "jwks: {e}"),
            Self::HttpStatus(s) => write!(f, "jwks: response status {s}"),
            Self::ContentType => f.write_str("jwks: response is not json (RFC 7517 §8.5)"),
            Self::Document(e) => write!(f, "jwks: {e}"),
            Self::Empty => f.write_str("jwks: no usable key in the set (RFC 7517 §5)"),
        }
    }
}

impl core::error::Error for JwksError {}

/// What [`JwksCache::lookup`] answers.
#[derive(Debug)]
pub enum JwksLookup<'c> {
    /// The key to verify with.
    Key(&'c VerifyingKey),
    /// Send this request, then call [`JwksCache::process_jwks_response`] and
    /// look up again.
    FetchFirst(HttpRequest),
}

/// How long sets are kept and how often they may be refetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JwksCachePolicy {
    /// The least time between two fetches (rotation lookups included): 60 s by
    /// default, so an attacker sending random `kid`s cannot make us hammer the AS.
    pub min_refetch_interval: Duration,
    /// How long a set is fresh when the response has no `Cache-Control:
    /// max-age` (default 1 hour).
    pub default_ttl: Duration,
    /// The longest a set is fresh, whatever `max-age` says (default 24 hours).
    pub max_ttl: Duration,
}

impl Default for JwksCachePolicy {
    fn default() -> Self {
        Self {
            min_refetch_interval: Duration::from_secs(60),
            default_ttl: Duration::from_secs(3600),
            max_ttl: Duration::from_secs(86_400),
        }
    }
}

/// One issuer's JWK Set, with the state of its refresh.
#[derive(Debug)]
pub struct JwksCache {
    issuer: String,
    jwks_uri: String,
    options: JwkSetOptions,
    policy: JwksCachePolicy,
    set: Option<JwkSet>,
    fresh_until: UnixTime,
    last_fetch: Option<UnixTime>,
}

impl JwksCache {
    /// An empty cache for `issuer`'s set at `jwks_uri` (from the issuer's
    /// metadata). The issuer is part of the cache: keys of one issuer must never
    /// verify tokens claiming another (RFC 8725 §3.8).
    #[must_use]
    pub fn new(issuer: impl Into<String>, jwks_uri: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            jwks_uri: jwks_uri.into(),
            options: JwkSetOptions::default(),
            policy: JwksCachePolicy::default(),
            set: None,
            fresh_until: UnixTime::EPOCH,
            last_fetch: None,
        }
    }

    /// Sets how keys without `alg` are pinned (see [`JwkSetOptions`]).
    #[must_use]
    pub fn with_options(mut self, options: JwkSetOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the refresh policy.
    #[must_use]
    pub fn with_policy(mut self, policy: JwksCachePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The issuer whose keys these are.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The installed set, if any.
    #[must_use]
    pub fn keys(&self) -> Option<&JwkSet> {
        self.set.as_ref()
    }

    /// Until when the installed set is fresh.
    #[must_use]
    pub fn fresh_until(&self) -> UnixTime {
        self.fresh_until
    }

    /// Whether a fetch may start at `now` (never fetched, or the minimum
    /// interval since the last one has passed).
    fn may_fetch(&self, now: UnixTime) -> bool {
        self.last_fetch
            .is_none_or(|t| now >= t.saturating_add(self.policy.min_refetch_interval))
    }

    fn fetch(&mut self, now: UnixTime) -> JwksLookup<'_> {
        self.last_fetch = Some(now);
        JwksLookup::FetchFirst(HttpRequest::get(self.jwks_uri.clone()).with_accept_json())
    }

    /// The key for a token's `kid` and `alg` at `now`, or the request to send
    /// first.
    ///
    /// - no set yet: fetch (or [`JwksError::NotLoaded`] while rate-limited);
    /// - a set past its freshness: fetch when allowed, else keep using it;
    /// - a `kid` the set lacks: refetch when allowed (a rotation), else
    ///   [`JwksError::UnknownKid`].
    ///
    /// # Errors
    /// As above, or [`JwksError::Key`] when the set cannot pick one key.
    pub fn lookup(
        &mut self,
        kid: Option<&str>,
        alg: Algorithm,
        now: UnixTime,
    ) -> Result<JwksLookup<'_>, JwksError> {
        let Some(set) = &self.set else {
            return if self.may_fetch(now) {
                Ok(self.fetch(now))
            } else {
                Err(JwksError::NotLoaded)
            };
        };
        let stale = now >= self.fresh_until;
        let known = match kid {
            Some(k) => set.keys().iter().any(|key| key.kid() == Some(k)),
            None => true,
        };
        if (stale || !known) && self.may_fetch(now) {
            return Ok(self.fetch(now));
        }
        if !known {
            return Err(JwksError::UnknownKid);
        }
        let set = self.set.as_ref().ok_or(JwksError::NotLoaded)?;
        resolve_by_str(set, kid, alg)
            .map(JwksLookup::Key)
            .map_err(JwksError::Key)
    }

    /// Installs the set of a JWKS response received at `now`: a 200 with a JSON
    /// body holding at least one usable key. Its freshness is `Cache-Control:
    /// max-age` (RFC 9111 §5.2.2.1) capped by the policy's maximum, or the
    /// default; `no-store`/`no-cache` make it stale at once (still used until a
    /// refetch is allowed). On any error the old set is kept.
    ///
    /// # Errors
    /// [`JwksError::HttpStatus`], [`JwksError::ContentType`],
    /// [`JwksError::Document`], [`JwksError::Empty`].
    pub fn process_jwks_response(
        &mut self,
        response: &HttpResponse,
        now: UnixTime,
    ) -> Result<(), JwksError> {
        if response.status != 200 {
            return Err(JwksError::HttpStatus(response.status));
        }
        if !response.content_type_is_json_or_suffix() {
            return Err(JwksError::ContentType);
        }
        let set = JwkSet::parse(&response.body, &self.options).map_err(JwksError::Document)?;
        if set.is_empty() {
            return Err(JwksError::Empty);
        }
        let ttl = cache_lifetime(response, &self.policy);
        self.set = Some(set);
        self.fresh_until = now.saturating_add(ttl);
        if self.last_fetch.is_none() {
            self.last_fetch = Some(now);
        }
        Ok(())
    }
}

/// Resolves `kid` given as text (the `KeyResolver` takes the JSON form).
fn resolve_by_str<'s>(
    set: &'s JwkSet,
    kid: Option<&str>,
    alg: Algorithm,
) -> Result<&'s VerifyingKey, JoseError> {
    match kid {
        None => set.resolve(None, alg),
        Some(k) => {
            let mut named = set.keys().iter().filter(|key| key.kid() == Some(k));
            let first = named.next().ok_or(JoseError::KeyNotFound)?;
            match named.next() {
                None => Ok(first),
                Some(_) => {
                    let mut same = set
                        .keys()
                        .iter()
                        .filter(|key| key.kid() == Some(k) && key.algorithm() == alg);
                    let one = same.next().ok_or(JoseError::KeyNotFound)?;
                    if same.next().is_some() {
                        return Err(JoseError::AmbiguousKey);
                    }
                    Ok(one)
                }
            }
        }
    }
}

/// RFC 9111 §5.2.2.1 `max-age`, capped; `no-store`/`no-cache` → zero.
fn cache_lifetime(response: &HttpResponse, policy: &JwksCachePolicy) -> Duration {
    let mut max_age = None;
    for value in response.headers_all("cache-control") {
        for directive in value.split(',') {
            let d = directive.trim_matches([' ', '\t']);
            let (name, arg) = d.split_once('=').unwrap_or((d, ""));
            if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
                return Duration::ZERO;
            }
            if name.eq_ignore_ascii_case("max-age") {
                // RFC 9111 §1.2.2: delta-seconds; a malformed value is ignored.
                if let Ok(secs) = arg.trim_matches('"').parse::<u64>() {
                    max_age = Some(max_age.map_or(secs, |m: u64| m.min(secs)));
                }
            }
        }
    }
    let ttl = max_age.map_or(policy.default_ttl, Duration::from_secs);
    ttl.min(policy.max_ttl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_capped_and_no_store_is_zero() {
        let p = JwksCachePolicy::default();
        let r = |v: &str| {
            HttpResponse::new(200)
                .with_header("Cache-Control", v)
                .unwrap()
        };
        assert_eq!(
            cache_lifetime(&r("public, max-age=600"), &p),
            Duration::from_secs(600)
        );
        assert_eq!(cache_lifetime(&r("max-age=99999999"), &p), p.max_ttl);
        assert_eq!(cache_lifetime(&r("no-store"), &p), Duration::ZERO);
        assert_eq!(cache_lifetime(&r("max-age=abc"), &p), p.default_ttl);
        assert_eq!(cache_lifetime(&HttpResponse::new(200), &p), p.default_ttl);
    }
}
