//! The authorization server's signing keys: a key set with `kid`s, rotation that
//! publishes the next key before it signs, retirement after a grace period, and
//! JWKS rendering (RFC 7517 §5) with public members only.
//!
//! Rotation is a schedule, not a clock: every question takes `now`.
//!
//! ```text
//!   publish_at ──── sign_from ─────────── (next key's sign_from) ── + grace ──▶ retired
//!   in the JWKS     signs new tokens       still in the JWKS, no longer signs
//! ```
//!
//! Q: why publish before signing? A: resource servers cache the JWKS; a token
//! signed with a key they have not fetched yet fails until their cache refreshes.
//! Publishing `publish_lead` ahead (at least their cache lifetime) avoids that.
//! Q: why keep a retired key published? A: tokens it signed stay valid until they
//! expire; `grace` must be at least the longest token lifetime.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::jose::{Algorithm, JoseError, Jwk, KeyError, KeyResolver, SigningKey, VerifyingKey};
use crate::time::{Duration, UnixTime};

/// Why a key could not join a [`KeySet`], or no key can sign.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySetError {
    /// The JWK or PKCS#8 material is not a usable signing key.
    Key(KeyError),
    /// A symmetric (`oct`) key cannot be published in a JWKS (RFC 7517 §4.1: the
    /// server's public keys are public; an HMAC secret is not).
    SymmetricKey,
    /// Another key of the set already uses this `kid` (RFC 7517 §4.5).
    DuplicateKid,
    /// No key may sign at this time (none yet active, or all retired).
    NoActiveKey,
}

impl fmt::Display for KeySetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(e) => write!(f, "signing key: {e}"),
            Self::SymmetricKey => {
                f.write_str("signing key: an oct key cannot be published in a JWKS (RFC 7517 §4.1)")
            }
            Self::DuplicateKid => f.write_str("signing key: kid already in use (RFC 7517 §4.5)"),
            Self::NoActiveKey => f.write_str("signing key: no key is active at this time"),
        }
    }
}

impl core::error::Error for KeySetError {}

impl From<KeyError> for KeySetError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

/// Timing of a key rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RotationPolicy {
    /// How long a new key is published before it signs (at least the resource
    /// servers' JWKS cache lifetime).
    pub publish_lead: Duration,
    /// How long a superseded key stays published (at least the longest lifetime
    /// of a token it signed).
    pub grace: Duration,
}

impl Default for RotationPolicy {
    /// Publish one hour ahead, keep published one day after.
    fn default() -> Self {
        Self {
            publish_lead: Duration::from_secs(3600),
            grace: Duration::from_secs(86_400),
        }
    }
}

impl RotationPolicy {
    /// A policy with these durations.
    #[must_use]
    pub const fn new(publish_lead: Duration, grace: Duration) -> Self {
        Self {
            publish_lead,
            grace,
        }
    }
}

struct ServerKey {
    signing: SigningKey,
    verifying: VerifyingKey,
    /// The public JWK, as published (public members, `kid`, `alg`, `use`).
    public_jwk: serde_json::Map<String, serde_json::Value>,
    publish_at: UnixTime,
    sign_from: UnixTime,
}

/// The server's signing keys with their rotation schedule.
///
/// The signing key at `now` is the one with the latest `sign_from <= now`; a key is
/// in the JWKS from its `publish_at` until `grace` after a later key took over.
pub struct KeySet {
    keys: Vec<ServerKey>,
    policy: RotationPolicy,
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet")
            .field(
                "kids",
                &self
                    .keys
                    .iter()
                    .map(|k| k.signing.kid())
                    .collect::<Vec<_>>(),
            )
            .field("policy", &self.policy)
            .finish()
    }
}

/// Public members of a JWK by key type (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2).
fn public_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "EC" => Some(&["kty", "crv", "x", "y"]),
        "RSA" => Some(&["kty", "n", "e"]),
        "OKP" => Some(&["kty", "crv", "x"]),
        _ => None,
    }
}

/// Builds a key from a private JWK (text): the signing key, its public JWK with
/// `kid` (the RFC 7638 thumbprint when the JWK has none), `alg` and `use`.
fn from_private_jwk(
    json: &[u8],
    alg: Option<Algorithm>,
) -> Result<
    (
        SigningKey,
        VerifyingKey,
        serde_json::Map<String, serde_json::Value>,
    ),
    KeySetError,
> {
    let jwk = Jwk::parse(json)?;
    if !jwk.is_private() {
        return Err(KeyError::InvalidPrivateKey.into());
    }
    let value: serde_json::Value = crate::encoding::document::from_slice_strict(json)
        .map_err(|_| KeySetError::Key(KeyError::Malformed))?;
    let obj = value
        .as_object()
        .ok_or(KeySetError::Key(KeyError::Malformed))?;
    let kty = obj.get("kty").and_then(|v| v.as_str()).unwrap_or_default();
    let members = public_members(kty).ok_or(KeySetError::SymmetricKey)?;
    let mut signing = jwk.to_signing_key(alg)?;
    let kid = match signing.kid() {
        Some(k) => String::from(k),
        None => String::from(jwk.thumbprint()?.as_str()),
    };
    signing = signing.with_kid(&kid)?;
    let verifying = signing.verifying_key()?;
    let mut public = serde_json::Map::new();
    for m in members {
        let v = obj.get(*m).ok_or(KeySetError::Key(KeyError::Malformed))?;
        public.insert(String::from(*m), v.clone());
    }
    public.insert("kid".into(), kid.into());
    public.insert("alg".into(), signing.algorithm().name().into());
    public.insert("use".into(), "sig".into());
    Ok((signing, verifying, public))
}

impl KeySet {
    /// An empty set with a rotation policy; add keys with [`KeySet::add_private_jwk`].
    #[must_use]
    pub fn new(policy: RotationPolicy) -> Self {
        Self {
            keys: Vec::new(),
            policy,
        }
    }

    /// A set whose first key, a private JWK, is published and signs from `now`.
    ///
    /// # Errors
    /// As [`KeySet::add_private_jwk`].
    pub fn with_initial_jwk(
        private_jwk: &[u8],
        alg: Option<Algorithm>,
        policy: RotationPolicy,
        now: UnixTime,
    ) -> Result<Self, KeySetError> {
        let mut set = Self::new(policy);
        set.add_private_jwk(private_jwk, alg, now, now)?;
        Ok(set)
    }

    /// Adds a key from a private JWK (RFC 7517; `alg` pins the algorithm when the
    /// JWK has none), published from `publish_at`, signing from `sign_from`.
    ///
    /// # Errors
    /// [`KeySetError::Key`] for an unusable JWK or a public one;
    /// [`KeySetError::SymmetricKey`] for `oct`; [`KeySetError::DuplicateKid`].
    pub fn add_private_jwk(
        &mut self,
        private_jwk: &[u8],
        alg: Option<Algorithm>,
        publish_at: UnixTime,
        sign_from: UnixTime,
    ) -> Result<(), KeySetError> {
        let (signing, verifying, public_jwk) = from_private_jwk(private_jwk, alg)?;
        self.push(signing, verifying, public_jwk, publish_at, sign_from)
    }

    /// Adds a signing key built elsewhere (for example
    /// [`SigningKey::from_pkcs8_pem`], RFC 5958 / RFC 7468 §10), published from
    /// `publish_at`, signing from `sign_from`. Its public JWK comes from
    /// [`SigningKey::public_jwk`], with `use: "sig"`; its `kid` is the key's own,
    /// else the RFC 7638 thumbprint.
    ///
    /// # Errors
    /// [`KeySetError::SymmetricKey`] for HMAC keys; [`KeySetError::DuplicateKid`].
    pub fn add_signing_key(
        &mut self,
        signing: SigningKey,
        publish_at: UnixTime,
        sign_from: UnixTime,
    ) -> Result<(), KeySetError> {
        // RFC 7517 §4.1: an HMAC secret has no public form to publish.
        let public = match signing.public_jwk() {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => return Err(KeyError::Malformed.into()),
            Err(KeyError::WrongUse) => return Err(KeySetError::SymmetricKey),
            Err(e) => return Err(e.into()),
        };
        let kid = match signing.kid() {
            Some(k) => String::from(k),
            None => {
                let text = serde_json::to_vec(&public).map_err(|_| KeyError::Malformed)?;
                String::from(Jwk::parse(&text)?.thumbprint()?.as_str())
            }
        };
        let signing = signing.with_kid(&kid)?;
        let verifying = signing.verifying_key()?;
        let mut public = public;
        public.insert("kid".into(), kid.into());
        public.insert("use".into(), "sig".into());
        self.push(signing, verifying, public, publish_at, sign_from)
    }

    fn push(
        &mut self,
        signing: SigningKey,
        verifying: VerifyingKey,
        public_jwk: serde_json::Map<String, serde_json::Value>,
        publish_at: UnixTime,
        sign_from: UnixTime,
    ) -> Result<(), KeySetError> {
        if self.keys.iter().any(|k| k.signing.kid() == signing.kid()) {
            return Err(KeySetError::DuplicateKid);
        }
        self.keys.push(ServerKey {
            signing,
            verifying,
            public_jwk,
            publish_at,
            sign_from: if sign_from < publish_at {
                publish_at
            } else {
                sign_from
            },
        });
        self.keys.sort_by_key(|k| k.sign_from);
        Ok(())
    }

    /// Starts a rotation: `next` (a private JWK) is published at `now` and signs
    /// from `now + publish_lead`; the current key then stays published for `grace`.
    ///
    /// # Errors
    /// As [`KeySet::add_private_jwk`].
    pub fn rotate(
        &mut self,
        next_private_jwk: &[u8],
        alg: Option<Algorithm>,
        now: UnixTime,
    ) -> Result<(), KeySetError> {
        let sign_from = now.saturating_add(self.policy.publish_lead);
        self.add_private_jwk(next_private_jwk, alg, now, sign_from)
    }

    /// Index of the signing key at `now`.
    fn active_index(&self, now: UnixTime) -> Option<usize> {
        self.keys.iter().rposition(|k| k.sign_from <= now)
    }

    /// When key `i` stopped signing (the next key's `sign_from`), if it did by `now`.
    fn superseded_at(&self, i: usize, now: UnixTime) -> Option<UnixTime> {
        self.keys
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .map(|k| k.sign_from)
            .find(|&t| t <= now)
    }

    fn is_published(&self, i: usize, now: UnixTime) -> bool {
        let Some(k) = self.keys.get(i) else {
            return false;
        };
        if k.publish_at > now {
            return false;
        }
        match self.superseded_at(i, now) {
            Some(t) => now < t.saturating_add(self.policy.grace),
            None => true,
        }
    }

    /// The key that signs at `now`.
    ///
    /// # Errors
    /// [`KeySetError::NoActiveKey`] before the first key's `sign_from`.
    pub fn signing_key(&self, now: UnixTime) -> Result<&SigningKey, KeySetError> {
        self.active_index(now)
            .and_then(|i| self.keys.get(i))
            .map(|k| &k.signing)
            .ok_or(KeySetError::NoActiveKey)
    }

    /// The verification keys published at `now`, to verify tokens this server
    /// signed (token exchange, introspection).
    #[must_use]
    pub fn verifier(&self, now: UnixTime) -> PublishedKeys<'_> {
        PublishedKeys { set: self, now }
    }

    /// The `kid`s published at `now`, in signing order.
    #[must_use]
    pub fn published_kids(&self, now: UnixTime) -> Vec<&str> {
        (0..self.keys.len())
            .filter(|&i| self.is_published(i, now))
            .filter_map(|i| self.keys.get(i).and_then(|k| k.signing.kid()))
            .collect()
    }

    /// The JWK Set document published at `now` (RFC 7517 §5): public members,
    /// `kid`, `alg` and `use` only; serve it as `application/jwk-set+json` or
    /// `application/json` at the `jwks_uri`.
    #[must_use]
    pub fn jwks_json(&self, now: UnixTime) -> Vec<u8> {
        let keys: Vec<serde_json::Value> = (0..self.keys.len())
            .filter(|&i| self.is_published(i, now))
            .filter_map(|i| self.keys.get(i))
            .map(|k| serde_json::Value::Object(k.public_jwk.clone()))
            .collect();
        serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap_or_default()
    }

    /// Forgets keys that are retired at `now` (no longer published, never to sign).
    pub fn prune(&mut self, now: UnixTime) {
        let keep: Vec<bool> = (0..self.keys.len())
            .map(|i| {
                self.is_published(i, now) || self.keys.get(i).is_some_and(|k| k.publish_at > now)
            })
            .collect();
        let mut it = keep.iter();
        self.keys.retain(|_| it.next().copied().unwrap_or(true));
    }

    /// The number of keys held (published, pending or not yet pruned).
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// `true` when the set holds no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The keys of a [`KeySet`] published at one instant, as a [`KeyResolver`].
#[derive(Clone, Copy)]
pub struct PublishedKeys<'s> {
    set: &'s KeySet,
    now: UnixTime,
}

impl fmt::Debug for PublishedKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishedKeys")
            .field("kids", &self.set.published_kids(self.now))
            .finish()
    }
}

impl KeyResolver for PublishedKeys<'_> {
    /// Our tokens always carry a `kid`: a token without one, or with an unknown or
    /// unpublished one, finds no key.
    fn resolve(
        &self,
        kid: Option<crate::encoding::json::JsonStr<'_>>,
        _alg: Algorithm,
    ) -> Result<&VerifyingKey, JoseError> {
        let kid = kid.ok_or(JoseError::KeyNotFound)?;
        (0..self.set.keys.len())
            .filter(|&i| self.set.is_published(i, self.now))
            .filter_map(|i| self.set.keys.get(i))
            .find(|k| k.signing.kid().is_some_and(|x| kid.eq_str(x)))
            .map(|k| &k.verifying)
            .ok_or(JoseError::KeyNotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7515 Appendix A.3: the ES256 key.
    const A3: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
    // RFC 8037 Appendix A.1: the Ed25519 key.
    const ED: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

    #[test]
    fn pkcs8_signing_key_is_published_like_its_jwk() {
        // RFC 8037 A.1's Ed25519 seed in the RFC 8410 §7 PKCS#8 v1 encoding
        // (fixed prefix, then the 32-byte seed); A.2 public key, A.3 thumbprint.
        let mut der = alloc::vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        der.extend_from_slice(
            &crate::encoding::base64url::decode_secret_vec(
                b"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
            )
            .unwrap(),
        );
        let t0 = UnixTime::from_secs(1000);
        let mut set = KeySet::new(RotationPolicy::default());
        let key = SigningKey::from_pkcs8(Algorithm::EdDSA, &der).unwrap();
        set.add_signing_key(key, t0, t0).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&set.jwks_json(t0)).unwrap();
        assert_eq!(
            doc["keys"][0],
            serde_json::json!({"kty":"OKP","crv":"Ed25519",
                "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"EdDSA","use":"sig",
                "kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"})
        );
        // The same key from its JWK gets the same kid, so it is a duplicate.
        assert_eq!(
            set.add_private_jwk(ED.as_bytes(), None, t0, t0),
            Err(KeySetError::DuplicateKid)
        );
        let hmac = SigningKey::hmac(Algorithm::HS256, &[7; 32]).unwrap();
        assert_eq!(
            set.add_signing_key(hmac, t0, t0),
            Err(KeySetError::SymmetricKey)
        );
    }

    #[test]
    fn jwks_has_public_members_only() {
        let t0 = UnixTime::from_secs(1000);
        let set =
            KeySet::with_initial_jwk(A3.as_bytes(), None, RotationPolicy::default(), t0).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&set.jwks_json(t0)).unwrap();
        let k = &doc["keys"][0];
        assert!(k.get("d").is_none());
        assert_eq!(k["x"], "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
        assert_eq!(k["alg"], "ES256");
        assert_eq!(k["use"], "sig");
        // RFC 7638 thumbprint as kid when the JWK has none.
        let kid = k["kid"].as_str().unwrap();
        assert_eq!(kid.len(), 43);
        assert_eq!(set.signing_key(t0).unwrap().kid(), Some(kid));
    }

    #[test]
    fn oct_and_public_keys_are_refused() {
        let oct = br#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
        assert_eq!(
            KeySet::with_initial_jwk(
                oct,
                Some(Algorithm::HS256),
                RotationPolicy::default(),
                UnixTime::EPOCH
            )
            .unwrap_err(),
            KeySetError::SymmetricKey
        );
        let public = br#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
        assert!(matches!(
            KeySet::with_initial_jwk(public, None, RotationPolicy::default(), UnixTime::EPOCH),
            Err(KeySetError::Key(_))
        ));
    }

    #[test]
    fn rotation_publishes_before_signing_and_retires_after_grace() {
        let policy = RotationPolicy::new(Duration::from_secs(100), Duration::from_secs(500));
        let t0 = UnixTime::from_secs(1000);
        let mut set = KeySet::with_initial_jwk(A3.as_bytes(), None, policy, t0).unwrap();
        let old = String::from(set.signing_key(t0).unwrap().kid().unwrap());
        let t1 = UnixTime::from_secs(2000);
        set.rotate(ED.as_bytes(), None, t1).unwrap();
        let new = String::from(
            set.keys
                .iter()
                .find(|k| k.signing.kid() != Some(old.as_str()))
                .unwrap()
                .signing
                .kid()
                .unwrap(),
        );
        // Published, but the old key still signs.
        assert_eq!(set.published_kids(t1), [old.as_str(), new.as_str()]);
        assert_eq!(set.signing_key(t1).unwrap().kid(), Some(old.as_str()));
        // After the lead, the new key signs; the old is still published.
        let t2 = UnixTime::from_secs(2100);
        assert_eq!(set.signing_key(t2).unwrap().kid(), Some(new.as_str()));
        assert_eq!(set.published_kids(t2).len(), 2);
        // Grace over: the old key is gone from the JWKS and from verification.
        let t3 = UnixTime::from_secs(2600);
        assert_eq!(set.published_kids(t3), [new.as_str()]);
        set.prune(t3);
        assert_eq!(set.len(), 1);
        let before = KeySet::new(policy);
        assert_eq!(
            before.signing_key(t0).unwrap_err(),
            KeySetError::NoActiveKey
        );
    }

    #[test]
    fn duplicate_kid_refused() {
        let t0 = UnixTime::from_secs(1);
        let mut set =
            KeySet::with_initial_jwk(A3.as_bytes(), None, RotationPolicy::default(), t0).unwrap();
        assert_eq!(
            set.rotate(A3.as_bytes(), None, t0).unwrap_err(),
            KeySetError::DuplicateKid
        );
    }
}
