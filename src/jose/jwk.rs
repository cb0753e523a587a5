//! JSON Web Keys (RFC 7517), their algorithms and curves (RFC 7518 §6, RFC 8037
//! §2), and thumbprints (RFC 7638).
//!
//! [`Jwk`] reads one key zero-copy with the crate's strict JSON scanner (so it
//! works in the core tier) and turns it into a [`VerifyingKey`] pinned to one
//! algorithm. `JwkSet` (`alloc`) holds a whole set, pre-parsed once and indexed
//! by `kid`.

use super::alg::{Algorithm, KeyFamily};
use super::error::KeyError;
use super::keys::{Kid, VerifyingKey};
use crate::encoding::base64url;
use crate::encoding::json::{self, JsonArray, JsonObject, JsonStr, Limits};

/// The largest decoded member we accept outside RSA (HMAC secrets included).
const MAX_MEMBER: usize = 1024;
/// The largest raw (encoded) member length we unescape on the stack.
const MAX_ESCAPED_MEMBER: usize = 2048;

/// One JSON Web Key, borrowed from its JSON text.
#[derive(Clone, Copy, Debug)]
pub struct Jwk<'a> {
    /// Always `Some` once parsed (checked in `from_object`).
    kty: Option<JsonStr<'a>>,
    kid: Option<JsonStr<'a>>,
    alg: Option<JsonStr<'a>>,
    use_: Option<JsonStr<'a>>,
    key_ops: Option<JsonArray<'a>>,
    crv: Option<JsonStr<'a>>,
    x: Option<JsonStr<'a>>,
    y: Option<JsonStr<'a>>,
    n: Option<JsonStr<'a>>,
    e: Option<JsonStr<'a>>,
    k: Option<JsonStr<'a>>,
    d: Option<JsonStr<'a>>,
    p: Option<JsonStr<'a>>,
    q: Option<JsonStr<'a>>,
    dp: Option<JsonStr<'a>>,
    dq: Option<JsonStr<'a>>,
    qi: Option<JsonStr<'a>>,
}

/// What a key is to be used for (checked against `use` and `key_ops`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Verify,
    #[cfg(feature = "alloc")]
    Sign,
}

fn string_member<'a>(v: json::JsonValue<'a>) -> Result<JsonStr<'a>, KeyError> {
    v.as_str().ok_or(KeyError::Malformed)
}

/// Calls `f` with the unescaped bytes of `s` (borrowed when there are no escapes).
fn with_unescaped<T>(
    s: &JsonStr<'_>,
    f: impl FnOnce(&[u8]) -> Result<T, KeyError>,
) -> Result<T, KeyError> {
    if !s.has_escapes() {
        return f(s.raw());
    }
    let mut buf = [0u8; MAX_ESCAPED_MEMBER];
    let u = s.unescape_into(&mut buf).map_err(|_| KeyError::Malformed)?;
    f(u.as_bytes())
}

/// Decodes a base64url member into `out`.
fn decode_into<'o>(s: &JsonStr<'_>, out: &'o mut [u8]) -> Result<&'o [u8], KeyError> {
    let n = with_unescaped(s, |raw| {
        base64url::decode_secret(raw, out)
            .map(<[u8]>::len)
            .map_err(|e| match e {
                base64url::Base64Error::BufferTooSmall => KeyError::Malformed,
                _ => KeyError::Base64,
            })
    })?;
    out.get(..n).ok_or(KeyError::Malformed)
}

#[cfg(feature = "alloc")]
fn decode_vec(s: &JsonStr<'_>) -> Result<alloc::vec::Vec<u8>, KeyError> {
    with_unescaped(s, |raw| {
        base64url::decode_secret_vec(raw).map_err(|_| KeyError::Base64)
    })
}

impl<'a> Jwk<'a> {
    /// Parses one JWK. Duplicate members are rejected; unknown members are ignored
    /// (RFC 7517 §4).
    ///
    /// # Errors
    /// [`KeyError::Malformed`] for invalid JSON, a non-object, a duplicate member,
    /// a missing `kty`, or a known member of the wrong type.
    pub fn parse(json_text: &'a [u8]) -> Result<Self, KeyError> {
        let obj =
            json::parse_object(json_text, &Limits::default()).map_err(|_| KeyError::Malformed)?;
        Self::from_object(obj)
    }

    /// Reads a JWK from an already-validated JSON object (for example one member
    /// of a JWK Set's `keys` array, or a DPoP proof's `jwk` header).
    ///
    /// # Errors
    /// As [`Jwk::parse`].
    pub fn from_object(obj: JsonObject<'a>) -> Result<Self, KeyError> {
        let mut jwk = Jwk {
            kty: None,
            kid: None,
            alg: None,
            use_: None,
            key_ops: None,
            crv: None,
            x: None,
            y: None,
            n: None,
            e: None,
            k: None,
            d: None,
            p: None,
            q: None,
            dp: None,
            dq: None,
            qi: None,
        };
        for (name, value) in obj.members() {
            let mut buf = [0u8; 32];
            let slot = match super::member_name(&name, &mut buf) {
                Some(b"kty") => &mut jwk.kty,
                Some(b"key_ops") => {
                    jwk.key_ops = Some(value.as_array().ok_or(KeyError::Malformed)?);
                    continue;
                }
                Some(b"kid") => &mut jwk.kid,
                Some(b"alg") => &mut jwk.alg,
                Some(b"use") => &mut jwk.use_,
                Some(b"crv") => &mut jwk.crv,
                Some(b"x") => &mut jwk.x,
                Some(b"y") => &mut jwk.y,
                Some(b"n") => &mut jwk.n,
                Some(b"e") => &mut jwk.e,
                Some(b"k") => &mut jwk.k,
                Some(b"d") => &mut jwk.d,
                Some(b"p") => &mut jwk.p,
                Some(b"q") => &mut jwk.q,
                Some(b"dp") => &mut jwk.dp,
                Some(b"dq") => &mut jwk.dq,
                Some(b"qi") => &mut jwk.qi,
                // Unknown member names are ignored (RFC 7517 §4).
                _ => continue,
            };
            *slot = Some(string_member(value)?);
        }
        if jwk.kty.is_none() {
            return Err(KeyError::Malformed);
        }
        Ok(jwk)
    }

    /// The key type family named by `kty`.
    ///
    /// # Errors
    /// [`KeyError::UnsupportedKeyType`] for anything but `oct`, `RSA`, `EC`, `OKP`.
    pub fn family(&self) -> Result<KeyFamily, KeyError> {
        let kty = self.kty.ok_or(KeyError::Malformed)?;
        if kty.eq_str("oct") {
            Ok(KeyFamily::Hmac)
        } else if kty.eq_str("RSA") {
            Ok(KeyFamily::Rsa)
        } else if kty.eq_str("EC") {
            Ok(KeyFamily::Ec)
        } else if kty.eq_str("OKP") {
            Ok(KeyFamily::Okp)
        } else {
            Err(KeyError::UnsupportedKeyType)
        }
    }

    /// The `kid` member, still JSON-escaped.
    #[must_use]
    pub fn kid(&self) -> Option<JsonStr<'a>> {
        self.kid
    }

    /// Whether the JWK holds private material (`d`, or an `oct` secret).
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.d.is_some() || self.k.is_some()
    }

    fn kid_owned(&self) -> Result<Option<Kid>, KeyError> {
        let Some(kid) = self.kid else { return Ok(None) };
        let mut out = Kid::new();
        for c in kid.chars() {
            out.push(c).map_err(|()| KeyError::KidTooLong)?;
        }
        Ok(Some(out))
    }

    /// RFC 7517 §4.2/§4.3: `use` must be `sig` and `key_ops` must allow the
    /// operation; both, when present, must agree; `key_ops` has no duplicates.
    fn check_use(&self, purpose: Purpose) -> Result<(), KeyError> {
        if let Some(u) = self.use_
            && !u.eq_str("sig")
        {
            return Err(KeyError::WrongUse);
        }
        if let Some(ops) = self.key_ops {
            let wanted = match purpose {
                Purpose::Verify => "verify",
                #[cfg(feature = "alloc")]
                Purpose::Sign => "sign",
            };
            let mut found = false;
            for (i, op) in ops.iter().enumerate() {
                let op = op.as_str().ok_or(KeyError::Malformed)?;
                // RFC 7517 §4.3: "Duplicate key operation values MUST NOT be present".
                if ops
                    .iter()
                    .take(i)
                    .any(|prev| prev.as_str().is_some_and(|p| p.same_value(&op)))
                {
                    return Err(KeyError::InconsistentUse);
                }
                // RFC 7517 §4.3: with `use: sig`, only signature operations fit.
                if self.use_.is_some() && !(op.eq_str("sign") || op.eq_str("verify")) {
                    return Err(KeyError::InconsistentUse);
                }
                found |= op.eq_str(wanted);
            }
            if !found {
                return Err(KeyError::WrongUse);
            }
        }
        Ok(())
    }

    /// The algorithm this key is pinned to: its `alg` member, else `pin`, else the
    /// only algorithm its curve allows (EC, OKP). `pin` must agree with `alg`.
    fn pinned_alg(&self, pin: Option<Algorithm>) -> Result<Algorithm, KeyError> {
        let family = self.family()?;
        let alg = match (self.alg, pin) {
            (Some(a), pin) => {
                let a = with_unescaped(&a, |raw| {
                    Algorithm::from_name(raw).ok_or(KeyError::UnsupportedAlgorithm)
                })?;
                if pin.is_some_and(|p| p != a) {
                    return Err(KeyError::AlgorithmMismatch);
                }
                a
            }
            (None, Some(p)) => p,
            (None, None) => match (family, self.crv) {
                (KeyFamily::Ec, Some(c)) if c.eq_str("P-256") => Algorithm::ES256,
                (KeyFamily::Ec, Some(c)) if c.eq_str("P-384") => Algorithm::ES384,
                (KeyFamily::Ec, Some(c)) if c.eq_str("P-521") => Algorithm::ES512,
                (KeyFamily::Okp, Some(c)) if c.eq_str("Ed25519") => Algorithm::EdDSA,
                (KeyFamily::Ec | KeyFamily::Okp, _) => return Err(KeyError::UnsupportedCurve),
                // RFC 8725 §3.1: an RSA or oct key without `alg` could serve
                // several algorithms; the caller must say which.
                _ => return Err(KeyError::AlgorithmRequired),
            },
        };
        if alg.family() != family {
            return Err(KeyError::AlgorithmMismatch);
        }
        Ok(alg)
    }

    fn check_curve(&self, alg: Algorithm) -> Result<(), KeyError> {
        let want = match alg {
            Algorithm::ES256 => "P-256",
            Algorithm::ES384 => "P-384",
            Algorithm::ES512 => "P-521",
            Algorithm::EdDSA => "Ed25519",
            _ => return Ok(()),
        };
        match self.crv {
            Some(c) if c.eq_str(want) => Ok(()),
            _ => Err(KeyError::UnsupportedCurve),
        }
    }

    /// Builds a verification key pinned to the key's `alg` (or `pin` when the JWK
    /// has none; for EC and OKP keys the curve decides).
    ///
    /// # Errors
    /// Any [`KeyError`]: wrong `use`/`key_ops`, an algorithm that does not fit
    /// the key type or curve, bad base64url, or the checks of the
    /// [`VerifyingKey`] constructors (RSA size, HMAC length, point encoding).
    pub fn to_verifying_key(&self, pin: Option<Algorithm>) -> Result<VerifyingKey, KeyError> {
        self.check_use(Purpose::Verify)?;
        let alg = self.pinned_alg(pin)?;
        self.check_curve(alg)?;
        let mut key = match alg.family() {
            KeyFamily::Hmac => {
                let mut buf = [0u8; MAX_MEMBER];
                let k = decode_into(&self.k.ok_or(KeyError::Malformed)?, &mut buf)?;
                VerifyingKey::hmac(alg, k)?
            }
            KeyFamily::Ec => {
                let (mut bx, mut by) = ([0u8; 80], [0u8; 80]);
                let x = decode_into(&self.x.ok_or(KeyError::Malformed)?, &mut bx)?;
                let y = decode_into(&self.y.ok_or(KeyError::Malformed)?, &mut by)?;
                VerifyingKey::ec_from_coordinates(alg, x, y)?
            }
            KeyFamily::Okp => {
                let mut bx = [0u8; 64];
                let x = decode_into(&self.x.ok_or(KeyError::Malformed)?, &mut bx)?;
                VerifyingKey::ed25519(x)?
            }
            KeyFamily::Rsa => self.rsa_verifying_key(alg)?,
        };
        if let Some(kid) = self.kid_owned()? {
            key.set_kid(kid);
        }
        Ok(key)
    }

    #[cfg(feature = "alloc")]
    fn rsa_verifying_key(&self, alg: Algorithm) -> Result<VerifyingKey, KeyError> {
        let n = decode_vec(&self.n.ok_or(KeyError::Malformed)?)?;
        let e = decode_vec(&self.e.ok_or(KeyError::Malformed)?)?;
        VerifyingKey::rsa(alg, &n, &e)
    }

    #[cfg(not(feature = "alloc"))]
    fn rsa_verifying_key(&self, _alg: Algorithm) -> Result<VerifyingKey, KeyError> {
        Err(KeyError::NotSupportedByBackend)
    }

    /// Builds a signing key from a private JWK (`d`, RSA CRT members, or `k`).
    ///
    /// # Errors
    /// As [`Jwk::to_verifying_key`], and [`KeyError::InvalidPrivateKey`] when the
    /// private members are missing or do not match the public ones.
    #[cfg(feature = "alloc")]
    pub fn to_signing_key(
        &self,
        pin: Option<Algorithm>,
    ) -> Result<super::keys::SigningKey, KeyError> {
        use super::crypto::SigningMaterial;
        use super::keys::SigningKey;
        self.check_use(Purpose::Sign)?;
        let alg = self.pinned_alg(pin)?;
        self.check_curve(alg)?;
        if !super::crypto::supports_signing(alg) {
            return Err(KeyError::NotSupportedByBackend);
        }
        let need = |m: Option<JsonStr<'a>>| {
            m.ok_or(KeyError::InvalidPrivateKey)
                .and_then(|s| decode_vec(&s))
        };
        let mut key = match alg.family() {
            KeyFamily::Hmac => SigningKey::hmac(alg, &need(self.k)?)?,
            KeyFamily::Ec => {
                let (x, y, d) = (need(self.x)?, need(self.y)?, need(self.d)?);
                let mut point = alloc::vec![0x04];
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                let m = SigningMaterial::ec(alg, &d, &point).ok_or(KeyError::InvalidPrivateKey)?;
                SigningKey::from_material(alg, m)
            }
            KeyFamily::Okp => {
                let m = SigningMaterial::ed25519(&need(self.d)?, &need(self.x)?)
                    .ok_or(KeyError::InvalidPrivateKey)?;
                SigningKey::from_material(alg, m)
            }
            KeyFamily::Rsa => {
                let m = SigningMaterial::rsa(
                    &need(self.n)?,
                    &need(self.e)?,
                    &need(self.d)?,
                    &need(self.p)?,
                    &need(self.q)?,
                    &need(self.dp)?,
                    &need(self.dq)?,
                    &need(self.qi)?,
                )
                .ok_or(KeyError::InvalidPrivateKey)?;
                SigningKey::from_material(alg, m)
            }
        };
        if let Some(kid) = self.kid_owned()? {
            key.set_kid(kid);
        }
        Ok(key)
    }

    /// The RFC 7638 JWK thumbprint with SHA-256: the hash of the required members,
    /// in lexicographic order, as JSON without whitespace (RFC 7638 §3.2).
    ///
    /// # Errors
    /// [`KeyError::UnsupportedKeyType`] or [`KeyError::Malformed`] when a required
    /// member is missing.
    pub fn thumbprint_sha256(&self) -> Result<[u8; 32], KeyError> {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        let need = |m: Option<JsonStr<'a>>| m.ok_or(KeyError::Malformed);
        let kty = need(self.kty)?;
        // RFC 7638 §3.2: required members only, sorted by member name.
        let members: [(&str, JsonStr<'a>); 4];
        let used = match self.family()? {
            KeyFamily::Ec => {
                members = [
                    ("crv", need(self.crv)?),
                    ("kty", kty),
                    ("x", need(self.x)?),
                    ("y", need(self.y)?),
                ];
                4
            }
            KeyFamily::Rsa => {
                members = [
                    ("e", need(self.e)?),
                    ("kty", kty),
                    ("n", need(self.n)?),
                    ("", kty),
                ];
                3
            }
            KeyFamily::Hmac => {
                members = [("k", need(self.k)?), ("kty", kty), ("", kty), ("", kty)];
                2
            }
            KeyFamily::Okp => {
                members = [
                    ("crv", need(self.crv)?),
                    ("kty", kty),
                    ("x", need(self.x)?),
                    ("", kty),
                ];
                3
            }
        };
        h.update(b"{");
        for (i, (name, value)) in members.iter().take(used).enumerate() {
            if i > 0 {
                h.update(b",");
            }
            h.update(b"\"");
            h.update(name.as_bytes());
            h.update(b"\":\"");
            // RFC 7638 §3.3: values as minimal JSON strings.
            let mut utf8 = [0u8; 4];
            for c in value.chars() {
                match c {
                    '"' => h.update(b"\\\""),
                    '\\' => h.update(b"\\\\"),
                    c if (c as u32) < 0x20 => {
                        let hex = b"0123456789abcdef";
                        let v = c as usize;
                        h.update([b'\\', b'u', b'0', b'0', hex[v >> 4], hex[v & 15]]);
                    }
                    c => h.update(c.encode_utf8(&mut utf8).as_bytes()),
                }
            }
            h.update(b"\"");
        }
        h.update(b"}");
        Ok(h.finalize().into())
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url-encoded (43 characters), as
    /// used for `cnf.jkt` (RFC 9449 §6.1) and `kid` values.
    ///
    /// # Errors
    /// As [`Jwk::thumbprint_sha256`].
    pub fn thumbprint(&self) -> Result<heapless::String<43>, KeyError> {
        let digest = self.thumbprint_sha256()?;
        let mut buf = [0u8; 43];
        let s = base64url::encode(&digest, &mut buf).map_err(|_| KeyError::Malformed)?;
        let mut out = heapless::String::new();
        out.push_str(s).map_err(|()| KeyError::Malformed)?;
        Ok(out)
    }
}

fn string_of<'a>(o: JsonObject<'a>, name: &str) -> Option<JsonStr<'a>> {
    o.get(name).and_then(|v| v.as_str())
}

/// The `keys` array of a JWK Set document, after the set-level rule that does
/// not need memory: no mixing of `oct` with asymmetric keys.
fn set_entries(json_text: &[u8]) -> Result<JsonArray<'_>, KeyError> {
    let obj = json::parse_object(json_text, &Limits::default()).map_err(|_| KeyError::Malformed)?;
    let keys = obj
        .get("keys")
        .and_then(|v| v.as_array())
        .ok_or(KeyError::Malformed)?;
    let (mut symmetric, mut asymmetric) = (false, false);
    for v in keys.iter() {
        let o = v.as_object().ok_or(KeyError::Malformed)?;
        let kty = string_of(o, "kty");
        let is_oct = kty.is_some_and(|k| k.eq_str("oct"));
        symmetric |= is_oct;
        asymmetric |= kty.is_some() && !is_oct;
    }
    // RFC 8725 §2.1 (algorithm confusion) / Wycheproof MixedKeySet.
    if symmetric && asymmetric {
        return Err(KeyError::MixedKeySet);
    }
    Ok(keys)
}

/// One entry of a set as a verification key, pinned per the set options.
fn set_entry_key(o: JsonObject<'_>, options: &JwkSetOptions) -> Result<VerifyingKey, KeyError> {
    let jwk = Jwk::from_object(o)?;
    let pin = match jwk.family() {
        Ok(KeyFamily::Rsa) if jwk.alg.is_none() => options.rsa_alg_when_absent,
        Ok(KeyFamily::Hmac) if jwk.alg.is_none() => options.hmac_alg_when_absent,
        _ => None,
    };
    jwk.to_verifying_key(pin)
}

/// Parses a JWK Set into a fixed-capacity vector (core tier: no allocator), with
/// the same rules as `JwkSet::parse` (alloc): unusable keys are skipped (RFC 7517
/// §5), the set is refused when it mixes `oct` with asymmetric keys or when two
/// entries of one `kty` share a `kid`. Returns the number of skipped keys. The
/// result implements [`KeyResolver`](super::KeyResolver).
///
/// # Errors
/// [`KeyError::Malformed`], [`KeyError::MixedKeySet`], [`KeyError::DuplicateKid`],
/// or [`KeyError::SetTooLarge`] when more than `N` keys are usable.
pub fn parse_jwk_set_into<const N: usize>(
    json_text: &[u8],
    options: &JwkSetOptions,
    out: &mut heapless::Vec<VerifyingKey, N>,
) -> Result<usize, KeyError> {
    let keys = set_entries(json_text)?;
    // RFC 7517 §4.5: pairwise duplicate-kid check; quadratic, for small sets.
    for (i, a) in keys.iter().enumerate() {
        let a = a.as_object().ok_or(KeyError::Malformed)?;
        let (Some(kid), Some(kty)) = (string_of(a, "kid"), string_of(a, "kty")) else {
            continue;
        };
        for b in keys.iter().take(i) {
            let b = b.as_object().ok_or(KeyError::Malformed)?;
            let same_kid = string_of(b, "kid").is_some_and(|k| k.same_value(&kid));
            if same_kid && string_of(b, "kty").is_some_and(|k| k.same_value(&kty)) {
                return Err(KeyError::DuplicateKid);
            }
        }
    }
    out.clear();
    let mut skipped = 0;
    for v in keys.iter() {
        let o = v.as_object().ok_or(KeyError::Malformed)?;
        match set_entry_key(o, options) {
            Ok(k) => out.push(k).map_err(|_| KeyError::SetTooLarge)?,
            Err(_) => skipped += 1,
        }
    }
    Ok(skipped)
}

/// How a JWK Set is turned into keys.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwkSetOptions {
    /// The algorithm to pin RSA keys that carry no `alg` member to (some
    /// providers omit it). `None` skips such keys with
    /// [`KeyError::AlgorithmRequired`]; choose it from the issuer's metadata
    /// (e.g. `id_token_signing_alg_values_supported`), never from a token.
    pub rsa_alg_when_absent: Option<Algorithm>,
    /// The same for `oct` keys without `alg`.
    pub hmac_alg_when_absent: Option<Algorithm>,
}

/// A key of a JWK Set that was not installed, and why (RFC 7517 §5: keys with an
/// unknown `kty`, missing members or unsupported values are ignored).
#[cfg(feature = "alloc")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedKey {
    /// Position in the `keys` array.
    pub index: usize,
    /// Its `kid`, if it had a readable one.
    pub kid: Option<alloc::string::String>,
    /// Why it was skipped.
    pub reason: KeyError,
}

/// A JWK Set (RFC 7517 §5), parsed once into verification keys indexed by `kid`.
#[cfg(feature = "alloc")]
#[derive(Debug, Default)]
pub struct JwkSet {
    keys: alloc::vec::Vec<VerifyingKey>,
    /// Indices of `keys` that have a kid, sorted by kid.
    by_kid: alloc::vec::Vec<usize>,
    skipped: alloc::vec::Vec<SkippedKey>,
}

#[cfg(feature = "alloc")]
impl JwkSet {
    /// Parses a JWK Set document. Keys that cannot be used for verification are
    /// skipped and listed in [`JwkSet::skipped`]; the set itself must be a JSON
    /// object with a `keys` array of objects.
    ///
    /// The whole set is refused when two entries of the same `kty` share a `kid`
    /// (counting entries that would be skipped: a lookup must never depend on which
    /// duplicate happens to be usable), or when it mixes `oct` with asymmetric keys.
    ///
    /// # Errors
    /// [`KeyError::Malformed`] when the document is not such an object (invalid
    /// JSON, duplicate members, no `keys` array, a non-object element);
    /// [`KeyError::DuplicateKid`]; [`KeyError::MixedKeySet`].
    pub fn parse(json_text: &[u8], options: &JwkSetOptions) -> Result<Self, KeyError> {
        use alloc::borrow::Cow;
        let keys = set_entries(json_text)?;
        // RFC 7517 §4.5: O(n log n) duplicate-kid check over every entry.
        let mut ids: alloc::vec::Vec<(Cow<'_, str>, Cow<'_, str>)> = alloc::vec::Vec::new();
        for v in keys.iter() {
            let o = v.as_object().ok_or(KeyError::Malformed)?;
            if let (Some(kid), Some(kty)) = (string_of(o, "kid"), string_of(o, "kty")) {
                ids.push((kid.to_cow(), kty.to_cow()));
            }
        }
        ids.sort_unstable();
        if ids.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(KeyError::DuplicateKid);
        }
        let mut set = Self::default();
        for (index, v) in keys.iter().enumerate() {
            let o = v.as_object().ok_or(KeyError::Malformed)?;
            match set_entry_key(o, options) {
                Ok(k) => set.keys.push(k),
                Err(reason) => {
                    let kid = string_of(o, "kid").map(|s| s.to_cow().into_owned());
                    set.skipped.push(SkippedKey { index, kid, reason });
                }
            }
        }
        set.reindex();
        Ok(set)
    }

    /// A set from keys built elsewhere.
    #[must_use]
    pub fn from_keys(keys: alloc::vec::Vec<VerifyingKey>) -> Self {
        let mut set = Self {
            keys,
            ..Self::default()
        };
        set.reindex();
        set
    }

    fn reindex(&mut self) {
        let mut idx: alloc::vec::Vec<usize> = (0..self.keys.len())
            .filter(|&i| self.kid_at(i).is_some())
            .collect();
        idx.sort_by(|&a, &b| self.kid_at(a).cmp(&self.kid_at(b)));
        self.by_kid = idx;
    }

    fn kid_at(&self, i: usize) -> Option<&str> {
        self.keys.get(i).and_then(VerifyingKey::kid)
    }

    /// The installed keys.
    #[must_use]
    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    /// Keys of the document that were not installed, with the reason.
    #[must_use]
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// Number of installed keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key was installed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The installed keys whose `kid` equals `kid` (O(log n)).
    pub fn with_kid<'s>(
        &'s self,
        kid: &JsonStr<'_>,
    ) -> impl Iterator<Item = &'s VerifyingKey> + Clone + 's {
        let cmp = |&i: &usize| {
            self.kid_at(i)
                .map_or(core::cmp::Ordering::Less, |k| kid.cmp_str(k).reverse())
        };
        let start = self
            .by_kid
            .partition_point(|i| cmp(i) == core::cmp::Ordering::Less);
        let end = start
            + self.by_kid.get(start..).map_or(0, |rest| {
                rest.partition_point(|i| cmp(i) == core::cmp::Ordering::Equal)
            });
        self.by_kid
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.keys.get(i))
    }
}

#[cfg(feature = "alloc")]
impl super::keys::KeyResolver for JwkSet {
    fn resolve(
        &self,
        kid: Option<JsonStr<'_>>,
        alg: Algorithm,
    ) -> Result<&VerifyingKey, super::JoseError> {
        match kid {
            Some(k) => {
                let named = self.with_kid(&k);
                if named.clone().next().is_some() {
                    super::keys::pick(named, alg)
                } else {
                    // Same rule as for slices: keys without a kid are then candidates.
                    super::keys::pick(self.keys.iter().filter(|key| key.kid().is_none()), alg)
                }
            }
            None => self.keys.as_slice().resolve(None, alg),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8037 A.2 public key, and RFC 7515 A.3's P-256 key.
    const OKP: &str = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a"}"#;
    const EC: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"b"}"#;
    const OCT: &str = r#"{"kty":"oct","alg":"HS256","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","kid":"c"}"#;
    const ENC: &str = r#"{"kty":"EC","use":"enc","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"d"}"#;

    fn set(members: &[&str]) -> heapless::String<2048> {
        let mut s = heapless::String::new();
        s.push_str(r#"{"keys":["#).unwrap();
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                s.push(',').unwrap();
            }
            s.push_str(m).unwrap();
        }
        s.push_str("]}").unwrap();
        s
    }

    #[test]
    fn core_tier_set_parser_applies_the_set_rules() {
        let opts = JwkSetOptions::default();
        let mut out = heapless::Vec::<VerifyingKey, 4>::new();
        assert_eq!(
            parse_jwk_set_into(set(&[OKP, EC, ENC]).as_bytes(), &opts, &mut out),
            Ok(1)
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].algorithm(), Algorithm::EdDSA);
        assert_eq!(out[1].kid(), Some("b"));
        assert_eq!(
            parse_jwk_set_into(set(&[OKP, OCT]).as_bytes(), &opts, &mut out),
            Err(KeyError::MixedKeySet)
        );
        // same kid and kty twice, even when one of them is unusable
        let twin = ENC.replace(r#""kid":"d""#, r#""kid":"b""#);
        assert_eq!(
            parse_jwk_set_into(set(&[EC, &twin]).as_bytes(), &opts, &mut out),
            Err(KeyError::DuplicateKid)
        );
        // the same kid across key types is allowed (RFC 7517 §4.5)
        let okp_b = OKP.replace(r#""kid":"a""#, r#""kid":"b""#);
        assert_eq!(
            parse_jwk_set_into(set(&[EC, &okp_b]).as_bytes(), &opts, &mut out),
            Ok(0)
        );
        let mut small = heapless::Vec::<VerifyingKey, 1>::new();
        assert_eq!(
            parse_jwk_set_into(set(&[OKP, EC]).as_bytes(), &opts, &mut small),
            Err(KeyError::SetTooLarge)
        );
        assert_eq!(
            parse_jwk_set_into(br#"{"keys":{}}"#, &opts, &mut out),
            Err(KeyError::Malformed)
        );
    }

    #[test]
    fn thumbprints_rfc7638_and_rfc8037() {
        let okp = Jwk::parse(
            br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
        )
        .unwrap();
        // RFC 8037 A.3
        assert_eq!(
            okp.thumbprint().unwrap().as_str(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
        // Member order and unknown members do not change the thumbprint.
        let reordered = Jwk::parse(br#"{"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","use":"sig","crv":"Ed25519","kty":"OKP"}"#).unwrap();
        assert_eq!(reordered.thumbprint(), okp.thumbprint());
    }
}
