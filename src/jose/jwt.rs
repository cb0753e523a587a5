//! JWT validation (RFC 7519 §7.2, RFC 8725, RFC 9068 for access tokens).
//!
//! [`Validation`] holds what is expected — issuer and audience are required
//! arguments — and [`Validation::verify`] runs every check, returning a
//! [`VerifiedJwt`] that only this module can construct. Claims are read in one
//! zero-copy pass; no allocation happens on this path.

use super::alg::Algorithm;
use super::error::{JoseError, Segment};
use super::jws::{self, CompactJws, Header, HeaderPolicy};
use super::keys::KeyResolver;
use crate::encoding::json::{
    self, JsonArray, JsonError, JsonNumber, JsonObject, JsonStr, JsonValue, Limits, PackedDigits,
    packed_digits,
};
use crate::time::{Duration, Leeway, UnixTime};
use core::cmp::Ordering;

/// The default largest token accepted, in bytes.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;

/// What a JWT must satisfy. Issuer and audience are required arguments; weakening
/// another check takes a named option.
#[derive(Clone, Copy, Debug)]
pub struct Validation<'e> {
    issuer: &'e str,
    audience: &'e str,
    typ: Option<&'e str>,
    leeway: Leeway,
    required: &'e [&'static str],
    max_token_len: usize,
    max_age: Option<Duration>,
    exp_required: bool,
    algorithms: Option<&'e [Algorithm]>,
    header: HeaderPolicy<'e>,
}

impl<'e> Validation<'e> {
    /// Validation for a JWT from `issuer` (compared exactly, RFC 7519 §4.1.1) that
    /// must list `audience` in `aud` (RFC 7519 §4.1.3; `aud` is required). `exp` is
    /// required, the leeway is 60 s, `typ` is not checked.
    #[must_use]
    pub const fn new(issuer: &'e str, audience: &'e str) -> Self {
        Self {
            issuer,
            audience,
            typ: None,
            leeway: Leeway::new(Duration::from_secs(60)),
            required: &[],
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            max_age: None,
            exp_required: true,
            algorithms: None,
            header: HeaderPolicy {
                understood_critical: &[],
            },
        }
    }

    /// Validation for an OAuth 2.0 JWT access token (RFC 9068 §4): as
    /// [`Validation::new`], plus `typ` must be `at+jwt` and `sub`, `client_id`,
    /// `iat` and `jti` must be present (RFC 9068 §2.2).
    #[must_use]
    pub const fn access_token(issuer: &'e str, resource: &'e str) -> Self {
        let mut v = Self::new(issuer, resource);
        v.typ = Some("at+jwt");
        v.required = &["sub", "client_id", "iat", "jti"];
        v
    }

    /// Requires the header `typ` to name this media type (RFC 8725 §3.11),
    /// compared per RFC 7515 §4.1.9.
    #[must_use]
    pub const fn typ(mut self, typ: &'e str) -> Self {
        self.typ = Some(typ);
        self
    }

    /// Sets the clock-skew leeway (capped at [`Leeway::MAX`]).
    #[must_use]
    pub const fn leeway(mut self, leeway: Leeway) -> Self {
        self.leeway = leeway;
        self
    }

    /// Claims that must be present (in addition to `iss`, `aud`, `exp`).
    #[must_use]
    pub const fn require_claims(mut self, names: &'e [&'static str]) -> Self {
        self.required = names;
        self
    }

    /// The largest token accepted, in bytes (default 8 KiB).
    #[must_use]
    pub const fn max_token_len(mut self, len: usize) -> Self {
        self.max_token_len = len;
        self
    }

    /// Rejects tokens whose `iat` is older than `age` (and then requires `iat`).
    #[must_use]
    pub const fn max_age(mut self, age: Duration) -> Self {
        self.max_age = Some(age);
        self
    }

    /// Restricts the algorithms accepted to this list (on top of the key pin).
    #[must_use]
    pub const fn algorithms(mut self, algs: &'e [Algorithm]) -> Self {
        self.algorithms = Some(algs);
        self
    }

    /// Header extensions the caller processes and so may be listed in `crit`.
    #[must_use]
    pub const fn understood_critical(mut self, names: &'e [&'e str]) -> Self {
        self.header = HeaderPolicy {
            understood_critical: names,
        };
        self
    }

    /// Accepts tokens without `exp`.
    ///
    /// # Security
    /// A token without `exp` never expires. Only for profiles whose tokens are
    /// bounded another way (`max_age` on `iat`, or single use).
    #[must_use]
    pub const fn exp_optional(mut self) -> Self {
        self.exp_required = false;
        self
    }

    /// Verifies `token` with the caller's `keys` at time `now`, decoding header
    /// and claims into `scratch` (no allocation). `scratch` needs 3/4 of the
    /// token length; 6 KiB covers the default maximum token size.
    ///
    /// Order: size limit, compact split, header rules, the `algorithms`
    /// allow-list, key selection and algorithm pin, signature, then claims (one pass), then time, issuer,
    /// audience, type and required-claim checks.
    ///
    /// # Errors
    /// The [`JoseError`] naming the first rule broken.
    pub fn verify<'b, K: KeyResolver + ?Sized>(
        &self,
        token: &str,
        keys: &K,
        now: UnixTime,
        scratch: &'b mut [u8],
    ) -> Result<VerifiedJwt<'b>, JoseError> {
        self.verify_visiting(token, keys, now, scratch, |_, _| {})
    }

    /// [`Validation::verify`], also handing `visit` every claim other than the
    /// registered ones (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`) during
    /// the same single pass over the claims (decoded member name, value), so a
    /// caller needing other claims does not scan the object again.
    ///
    /// `visit` runs after the signature verified but BEFORE the time, issuer,
    /// audience, type and required-claim checks: it should only note values,
    /// and use them once this returns `Ok`.
    ///
    /// # Errors
    /// As [`Validation::verify`].
    pub fn verify_visiting<'b, K: KeyResolver + ?Sized>(
        &self,
        token: &str,
        keys: &K,
        now: UnixTime,
        scratch: &'b mut [u8],
        visit: impl FnMut(&[u8], JsonValue<'b>),
    ) -> Result<VerifiedJwt<'b>, JoseError> {
        if token.len() > self.max_token_len {
            return Err(JoseError::TooLarge {
                max: self.max_token_len,
            });
        }
        let compact = CompactJws::parse(token)?;
        // The algorithm allow-list is checked as soon as the header is read,
        // before key lookup and the signature (RFC 8725 §3.1).
        let (header, _key, rest) =
            jws::verify_parts_allowing(&compact, keys, &self.header, self.algorithms, scratch)?;
        let payload = jws::decode_segment(compact.payload_b64(), rest, Segment::Payload)?;
        let (claims, found) = Claims::parse_visiting(payload, self.required, visit)?;
        self.check(&header, &claims, found, now)?;
        Ok(VerifiedJwt { header, claims })
    }

    /// `found` has bit `i` set when `self.required[i]` was seen in the claims pass.
    fn check(
        &self,
        header: &Header<'_>,
        c: &Claims<'_>,
        found: u64,
        now: UnixTime,
    ) -> Result<(), JoseError> {
        let leeway = self.leeway.duration();
        // RFC 7519 §4.1.4: now must be before exp (plus leeway).
        match c.exp {
            Some(exp) if now >= exp.saturating_add(leeway) => return Err(JoseError::Expired),
            None if self.exp_required => return Err(JoseError::MissingClaim("exp")),
            _ => {}
        }
        // RFC 7519 §4.1.5: now must be at or after nbf (minus leeway).
        if let Some(nbf) = c.nbf
            && now.saturating_add(leeway) < nbf
        {
            return Err(JoseError::NotYetValid);
        }
        // RFC 7519 §4.1.6 does not forbid a future iat, but a token from the
        // future means a broken or hostile issuer clock (RFC 8725 §3.10 spirit).
        if let Some(iat) = c.iat
            && iat > now.saturating_add(leeway)
        {
            return Err(JoseError::IssuedInFuture);
        }
        if let Some(age) = self.max_age {
            let iat = c.iat.ok_or(JoseError::MissingClaim("iat"))?;
            if now > iat.saturating_add(age).saturating_add(leeway) {
                return Err(JoseError::TooOld);
            }
        }
        // RFC 7519 §4.1.1 + RFC 9068 §4: exact string comparison, no normalisation.
        match c.iss {
            Some(iss) if iss.eq_str(self.issuer) => {}
            Some(_) => return Err(JoseError::InvalidIssuer),
            None => return Err(JoseError::MissingClaim("iss")),
        }
        // RFC 7519 §4.1.3: the audience must identify us, else reject.
        match c.aud {
            Some(aud) if aud.contains(self.audience) => {}
            Some(_) => return Err(JoseError::InvalidAudience),
            None => return Err(JoseError::MissingClaim("aud")),
        }
        // RFC 8725 §3.11 / RFC 9068 §4: explicit typing.
        if let Some(typ) = self.typ
            && !header.typ_is(typ)
        {
            return Err(JoseError::InvalidType);
        }
        for (i, &name) in self.required.iter().enumerate() {
            let seen = (i < 64 && found & (1 << i) != 0) || c.contains(name);
            if !seen {
                return Err(JoseError::MissingClaim(name));
            }
        }
        Ok(())
    }
}

/// The `aud` claim: one string or an array of strings (RFC 7519 §4.1.3).
#[derive(Clone, Copy, Debug)]
pub enum Audience<'b> {
    /// A single audience.
    One(JsonStr<'b>),
    /// An array of audiences (every element checked to be a string).
    Many(JsonArray<'b>),
}

impl<'b> Audience<'b> {
    /// Whether `expected` is (one of) the audience(s), compared exactly.
    #[must_use]
    pub fn contains(&self, expected: &str) -> bool {
        match self {
            Self::One(s) => s.eq_str(expected),
            Self::Many(a) => a
                .iter()
                .any(|v| v.as_str().is_some_and(|s| s.eq_str(expected))),
        }
    }

    /// The audiences, in order.
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'b>> + 'b {
        let (one, many) = match *self {
            Self::One(s) => (Some(s), None),
            Self::Many(a) => (None, Some(a)),
        };
        one.into_iter().chain(
            many.into_iter()
                .flat_map(|a| a.iter().filter_map(|v| v.as_str())),
        )
    }
}

/// The registered claims of a JWT, borrowed from its decoded payload, plus access
/// to every other member.
#[derive(Clone, Copy, Debug)]
pub struct Claims<'b> {
    object: JsonObject<'b>,
    iss: Option<JsonStr<'b>>,
    sub: Option<JsonStr<'b>>,
    aud: Option<Audience<'b>>,
    exp: Option<UnixTime>,
    nbf: Option<UnixTime>,
    iat: Option<UnixTime>,
    jti: Option<JsonStr<'b>>,
}

/// The registered claim names of RFC 7519 §4.1.
#[derive(Clone, Copy)]
enum Registered {
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
}

impl Registered {
    /// Array patterns compile to byte compares (no `memcmp` call per arm): this
    /// runs once per claim on the hot path.
    fn of(name: &[u8]) -> Option<Self> {
        Some(match name {
            [b'i', b's', b's'] => Self::Iss,
            [b's', b'u', b'b'] => Self::Sub,
            [b'a', b'u', b'd'] => Self::Aud,
            [b'e', b'x', b'p'] => Self::Exp,
            [b'n', b'b', b'f'] => Self::Nbf,
            [b'i', b'a', b't'] => Self::Iat,
            [b'j', b't', b'i'] => Self::Jti,
            _ => return None,
        })
    }
}

/// Errors of the claims pass.
enum ClaimsError {
    Json(JsonError),
    Type(&'static str),
}

impl From<JsonError> for ClaimsError {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}

/// RFC 7519 §2 NumericDate: a JSON number of seconds; fractions are truncated.
/// Negative or absurd values (beyond 2^53) are refused.
///
/// Integers take the `u64` path. Other numbers are accepted exactly when their
/// correctly rounded `f64` value is in `[-0.0, 2^53]` (what this did with an `f64`
/// parse before), decided on the decimal digits without floating point (which
/// would link ~17 KB of float parsing into a firmware): at most `2^53 + 1` (a
/// tie, rounding to the even `2^53`), or a negative number of magnitude at most
/// `2^-1075` (which rounds to `-0.0`, i.e. 0). The seconds are the exact
/// integer part, capped at `2^53`; an `f64` could round a fraction just below an
/// integer (with more than ~16 significant digits) up to it, one second more.
fn numeric_date(n: JsonNumber<'_>) -> Option<UnixTime> {
    if let Some(v) = n.as_u64() {
        return Some(UnixTime::from_secs(v));
    }
    let d = n.decimal();
    if d.is_negative() {
        return (d.cmp_magnitude(&F64_NEGATIVE_ZERO_LIMIT, -323) != Ordering::Greater)
            .then_some(UnixTime::from_secs(0));
    }
    if d.cmp_magnitude(&TWO_POW_53_PLUS_1, 16) == Ordering::Greater {
        return None;
    }
    Some(UnixTime::from_secs(d.trunc_u64()?.min(1 << 53)))
}

/// `2^53 + 1`: the largest value an `f64` rounds to at most `2^53` (a tie, rounding
/// to the even `2^53`).
const TWO_POW_53_PLUS_1: PackedDigits = packed_digits!("9007199254740993");
/// `2^-1075`, half the smallest subnormal `f64`: the largest magnitude a correctly
/// rounded parse turns into zero (a tie, which rounds to the even side, 0). Its
/// 752 significant digits, `0.2470... * 10^-323`.
const F64_NEGATIVE_ZERO_LIMIT: PackedDigits = packed_digits!(F64_NEGATIVE_ZERO_LIMIT_TEXT);
const F64_NEGATIVE_ZERO_LIMIT_TEXT: &str = concat!(
    "2470328229206232720882843964341106861825299013071623822127928412503377536351043759326499181808",
    "1799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392",
    "4491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119",
    "2827955855133292783433840935197801553124659726357957462276646527282722005637400648549997709659",
    "9470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661",
    "1342237666786041621596804619144672918403005300575308490487653917113865916462395249126236538818",
    "7963623937328042389101867234849766823508986338858792562830275599565752445550725518931369083625",
    "4779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125",
);

impl<'b> Claims<'b> {
    /// Reads the claims object in one pass: strict JSON, no duplicate members,
    /// registered claims type-checked (a wrong type is an error, never "absent").
    ///
    /// # Errors
    /// [`JoseError::Json`] for invalid JSON, [`JoseError::ClaimType`] for a
    /// registered claim of the wrong type.
    pub fn parse(payload: &'b [u8]) -> Result<Self, JoseError> {
        Self::parse_noting(payload, &[]).map(|(c, _)| c)
    }

    /// [`Claims::parse`], also noting which of `wanted` (the first 64) are present,
    /// in the same pass: bit `i` of the result is set when `wanted[i]` was seen.
    pub(crate) fn parse_noting(
        payload: &'b [u8],
        wanted: &[&str],
    ) -> Result<(Self, u64), JoseError> {
        Self::parse_visiting(payload, wanted, |_, _| {})
    }

    /// [`Claims::parse_noting`], handing `visit` every unregistered member.
    fn parse_visiting(
        payload: &'b [u8],
        wanted: &[&str],
        mut visit: impl FnMut(&[u8], JsonValue<'b>),
    ) -> Result<(Self, u64), JoseError> {
        let mut found = 0u64;
        let (mut iss, mut sub, mut aud, mut exp, mut nbf, mut iat, mut jti) =
            (None, None, None, None, None, None, None);
        let date = |v: JsonValue<'b>, name| {
            v.as_number()
                .and_then(numeric_date)
                .ok_or(ClaimsError::Type(name))
        };
        let text = |v: JsonValue<'b>, name| v.as_str().ok_or(ClaimsError::Type(name));
        let object = json::parse_object_with(payload, &Limits::default(), |name, value| {
            super::with_member_name(&name, |name| {
                match Registered::of(name) {
                    Some(Registered::Iss) => iss = Some(text(value, "iss")?),
                    Some(Registered::Sub) => sub = Some(text(value, "sub")?),
                    Some(Registered::Jti) => jti = Some(text(value, "jti")?),
                    Some(Registered::Aud) => {
                        aud = Some(match value {
                            JsonValue::String(s) => Audience::One(s),
                            JsonValue::Array(a) if a.iter().all(|v| v.as_str().is_some()) => {
                                Audience::Many(a)
                            }
                            _ => return Err(ClaimsError::Type("aud")),
                        });
                    }
                    Some(Registered::Exp) => exp = Some(date(value, "exp")?),
                    Some(Registered::Nbf) => nbf = Some(date(value, "nbf")?),
                    Some(Registered::Iat) => iat = Some(date(value, "iat")?),
                    // Registered names are answered from the fields; only other names are
                    // looked for in `wanted`.
                    None => {
                        for (i, w) in wanted.iter().enumerate().take(64) {
                            if w.as_bytes() == name {
                                found |= 1 << i;
                            }
                        }
                        visit(name, value);
                    }
                }
                Ok(())
            })
            .unwrap_or(Ok(()))
        })
        .map_err(|e| match e {
            ClaimsError::Json(j) => JoseError::Json(Segment::Payload, j),
            ClaimsError::Type(t) => JoseError::ClaimType(t),
        })?;
        Ok((
            Claims {
                object,
                iss,
                sub,
                aud,
                exp,
                nbf,
                iat,
                jti,
            },
            found,
        ))
    }

    /// `iss` (RFC 7519 §4.1.1).
    #[must_use]
    pub fn iss(&self) -> Option<JsonStr<'b>> {
        self.iss
    }
    /// `sub` (RFC 7519 §4.1.2).
    #[must_use]
    pub fn sub(&self) -> Option<JsonStr<'b>> {
        self.sub
    }
    /// `aud` (RFC 7519 §4.1.3).
    #[must_use]
    pub fn aud(&self) -> Option<Audience<'b>> {
        self.aud
    }
    /// `exp` (RFC 7519 §4.1.4).
    #[must_use]
    pub fn exp(&self) -> Option<UnixTime> {
        self.exp
    }
    /// `nbf` (RFC 7519 §4.1.5).
    #[must_use]
    pub fn nbf(&self) -> Option<UnixTime> {
        self.nbf
    }
    /// `iat` (RFC 7519 §4.1.6).
    #[must_use]
    pub fn iat(&self) -> Option<UnixTime> {
        self.iat
    }
    /// `jti` (RFC 7519 §4.1.7).
    #[must_use]
    pub fn jti(&self) -> Option<JsonStr<'b>> {
        self.jti
    }

    /// Any claim by name (unescaped comparison of member names).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<JsonValue<'b>> {
        self.object.get(name)
    }

    /// A string claim by name; `Err` when present with another type.
    ///
    /// # Errors
    /// [`JoseError::ClaimType`] with the name `"custom"` when the claim is not a
    /// string.
    pub fn get_str(&self, name: &str) -> Result<Option<JsonStr<'b>>, JoseError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.as_str().map(Some).ok_or(JoseError::ClaimType("custom")),
        }
    }

    /// Whether a claim is present.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        match Registered::of(name.as_bytes()) {
            Some(Registered::Iss) => self.iss.is_some(),
            Some(Registered::Sub) => self.sub.is_some(),
            Some(Registered::Aud) => self.aud.is_some(),
            Some(Registered::Exp) => self.exp.is_some(),
            Some(Registered::Nbf) => self.nbf.is_some(),
            Some(Registered::Iat) => self.iat.is_some(),
            Some(Registered::Jti) => self.jti.is_some(),
            None => self.get(name).is_some(),
        }
    }

    /// The whole claims object.
    #[must_use]
    pub fn object(&self) -> JsonObject<'b> {
        self.object
    }

    /// Deserializes the claims into a caller type (custom claims), borrowing
    /// strings from the payload where the type allows.
    ///
    /// # Errors
    /// The serde_json error when the claims do not fit `T`.
    #[cfg(feature = "alloc")]
    pub fn deserialize<T: serde::Deserialize<'b>>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.object.raw())
    }
}

/// A JWT whose signature, header and claims passed every check of a
/// [`Validation`]. Only this module constructs it.
#[derive(Clone, Copy, Debug)]
pub struct VerifiedJwt<'b> {
    header: Header<'b>,
    claims: Claims<'b>,
}

impl<'b> VerifiedJwt<'b> {
    /// The checked header.
    #[must_use]
    pub fn header(&self) -> &Header<'b> {
        &self.header
    }
    /// The checked claims.
    #[must_use]
    pub fn claims(&self) -> &Claims<'b> {
        &self.claims
    }
}

/// Signs `claims` as a JWT with `key` (alloc), setting `typ` when given (e.g.
/// `at+jwt` for access tokens, RFC 9068 §2.1).
///
/// # Errors
/// [`KeyError`](super::KeyError) from the signer or when `claims` does not
/// serialize to a JSON object.
#[cfg(feature = "alloc")]
pub fn sign<T: serde::Serialize + ?Sized>(
    claims: &T,
    key: &super::keys::SigningKey,
    typ: Option<&str>,
) -> Result<alloc::string::String, super::KeyError> {
    let payload = serde_json::to_vec(claims).map_err(|_| super::KeyError::Malformed)?;
    if payload.first() != Some(&b'{') {
        return Err(super::KeyError::Malformed);
    }
    jws::sign_compact(&payload, key, typ, None)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn numeric_dates() {
        let p = |s: &'static str| Claims::parse(s.as_bytes());
        assert_eq!(
            p(r#"{"exp":1300819380}"#).unwrap().exp(),
            Some(UnixTime::from_secs(1_300_819_380))
        );
        assert_eq!(
            p(r#"{"exp":1300819380.9}"#).unwrap().exp(),
            Some(UnixTime::from_secs(1_300_819_380))
        );
        assert_eq!(
            p(r#"{"exp":1.3e9}"#).unwrap().exp(),
            Some(UnixTime::from_secs(1_300_000_000))
        );
        for bad in [
            r#"{"exp":"1300819380"}"#,
            r#"{"exp":true}"#,
            r#"{"exp":null}"#,
            r#"{"exp":-1}"#,
            r#"{"exp":1e300}"#,
            r#"{"exp":[1]}"#,
        ] {
            assert_eq!(p(bad).unwrap_err(), JoseError::ClaimType("exp"), "{bad}");
        }
        assert_eq!(p(r#"{"nbf":{}}"#).unwrap_err(), JoseError::ClaimType("nbf"));
        assert_eq!(
            p(r#"{"iat":"x"}"#).unwrap_err(),
            JoseError::ClaimType("iat")
        );
    }

    /// `numeric_date` accepts and refuses exactly what its former `f64` version did
    /// (kept here as the reference), and reads the same seconds.
    #[test]
    fn numeric_dates_without_floats_match_the_f64_reading() {
        use std::string::String;
        fn reference(text: &str) -> Option<u64> {
            if let Some(v) = text.parse::<u64>().ok().filter(|_| !text.starts_with('+')) {
                return Some(v);
            }
            if text == "-0" {
                return Some(0);
            }
            let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            (0.0..=9_007_199_254_740_992.0)
                .contains(&f)
                .then_some(f as u64)
        }
        let limit: String = F64_NEGATIVE_ZERO_LIMIT_TEXT.into();
        let zeros = "0".repeat(323);
        let cases = [
            "0".into(),
            "-0".into(),
            "-0.0".into(),
            "-0e-5".into(),
            "0.5".into(),
            "1300819380.5".into(),
            "1300819380.9".into(),
            "1.3e9".into(),
            "13e8".into(),
            "1300819380e0".into(),
            "-1".into(),
            "-0.5".into(),
            "-1e-300".into(),
            "-1e-323".into(),
            "-1e-400".into(),
            "-5e-324".into(),
            "-2.4703282292062327e-324".into(),
            "-2.4703282292062328e-324".into(),
            std::format!("-0.{zeros}{limit}"),
            std::format!("-0.{zeros}{limit}000"),
            std::format!("-0.{zeros}{limit}1"),
            std::format!("-{limit}e-1075"),
            std::format!("-0.{zeros}{}", &limit[..700]),
            "9007199254740991".into(),
            "9007199254740992".into(),
            "9007199254740992.0".into(),
            "9007199254740992.5".into(),
            "9007199254740993.0".into(),
            "9007199254740993.000000000001".into(),
            "9007199254740994.0".into(),
            "9.007199254740993e15".into(),
            "9.0071992547409930000e15".into(),
            "9.0071992547409931e15".into(),
            "90071992547409925e-1".into(),
            "9007199254740995".into(),
            "18446744073709551616".into(),
            "1e16".into(),
            "1e300".into(),
            "1e-400".into(),
            "123456789.125e-3".into(),
        ];
        let cases: [String; 40] = cases;
        for text in &cases {
            let doc = std::format!("{{\"n\":{text}}}");
            let obj = json::parse_object(doc.as_bytes(), &Limits::default()).unwrap();
            let Some(JsonValue::Number(n)) = obj.get("n") else {
                panic!("{text}")
            };
            assert_eq!(
                numeric_date(n).map(UnixTime::as_secs),
                reference(text),
                "{text}"
            );
        }
    }

    #[test]
    fn registered_claim_types() {
        let p = |s: &'static str| Claims::parse(s.as_bytes());
        assert_eq!(p(r#"{"aud":1}"#).unwrap_err(), JoseError::ClaimType("aud"));
        assert_eq!(
            p(r#"{"aud":["a",1]}"#).unwrap_err(),
            JoseError::ClaimType("aud")
        );
        assert_eq!(
            p(r#"{"iss":["a"]}"#).unwrap_err(),
            JoseError::ClaimType("iss")
        );
        assert_eq!(
            p(r#"{"sub":null}"#).unwrap_err(),
            JoseError::ClaimType("sub")
        );
        assert!(matches!(
            p(r#"{"aud":"a","aud":"b"}"#).unwrap_err(),
            JoseError::Json(Segment::Payload, _)
        ));
        let c = p(r#"{"aud":["a","b"],"x":{"y":1}}"#).unwrap();
        assert!(c.aud().unwrap().contains("b"));
        assert!(!c.aud().unwrap().contains("c"));
        assert_eq!(c.aud().unwrap().iter().count(), 2);
        assert!(c.contains("x"));
        assert!(!c.contains("iss"));
        assert_eq!(c.get_str("x").unwrap_err(), JoseError::ClaimType("custom"));
    }

    /// The visitor of the single claims pass sees every unregistered member once,
    /// by its decoded name (RFC 8259 §7), and no registered one.
    #[test]
    fn visitor_sees_unregistered_members_once() {
        use std::vec::Vec;
        let doc = br#"{"iss":"a","\u0063nf":{"jkt":"x"},"exp":5,"scope":"s t","aud":"b"}"#;
        let mut seen: Vec<(Vec<u8>, bool)> = Vec::new();
        let (c, found) = Claims::parse_visiting(doc, &["scope", "nope"], |name, value| {
            seen.push((name.to_vec(), value.as_object().is_some()));
        })
        .unwrap();
        assert_eq!(seen, [(b"cnf".to_vec(), true), (b"scope".to_vec(), false)]);
        assert_eq!(found, 0b01);
        assert_eq!(c.exp(), Some(UnixTime::from_secs(5)));
    }

    /// The `algorithms` allow-list refuses before key lookup and the signature:
    /// a garbage signature (and a key set without a matching key) yields the
    /// alg error, not a signature or key error.
    #[test]
    fn disallowed_alg_is_refused_before_crypto() {
        use super::super::keys::VerifyingKey;
        // {"alg":"HS256"} . {"iss":"a"} . garbage signature
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhIn0.AAAA";
        let key = VerifyingKey::hmac(Algorithm::HS256, &[7u8; 32]).unwrap();
        let mut scratch = [0u8; 256];
        let now = UnixTime::from_secs(1);
        let v = Validation::new("a", "b");
        // Without an allow-list the garbage signature is what fails.
        assert_eq!(
            v.verify(token, &key, now, &mut scratch).unwrap_err(),
            JoseError::InvalidSignature
        );
        let only_es256 = v.algorithms(&[Algorithm::ES256]);
        assert_eq!(
            only_es256
                .verify(token, &key, now, &mut scratch)
                .unwrap_err(),
            JoseError::UnsupportedAlgorithm
        );
        // No key at all: still the alg error (checked before key lookup).
        let none: [VerifyingKey; 0] = [];
        assert_eq!(
            only_es256
                .verify(token, &none, now, &mut scratch)
                .unwrap_err(),
            JoseError::UnsupportedAlgorithm
        );
    }
}
