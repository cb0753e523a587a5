//! Compact JWS (RFC 7515 §7.1): split by index, header rules, verify, sign.
//!
//! Verification order (RFC 7515 §5.2, RFC 8725 §3): split the three segments
//! without copying; decode and parse the header; find the key from the caller's
//! set (never from `jku`/`x5u`/`jwk`); require the header's `alg` to equal the
//! key's pinned algorithm; verify the signature over the original segments; only
//! then decode the payload.

use super::alg::Algorithm;
use super::error::{JoseError, Segment};
use super::keys::{KeyResolver, VerifyingKey};
use crate::encoding::base64url;
use crate::encoding::json::{self, JsonArray, JsonObject, JsonStr, JsonValue, Limits};

/// The largest signature we decode: RSA-8192 (1024 bytes).
const MAX_SIGNATURE: usize = 1024;

/// A compact JWS split into its three base64url segments, by index (no copies).
#[derive(Clone, Copy, Debug)]
pub struct CompactJws<'t> {
    token: &'t str,
    dot1: usize,
    dot2: usize,
}

impl<'t> CompactJws<'t> {
    /// Splits `token` into header, payload and signature segments.
    ///
    /// Only the separators are looked at here; each segment's alphabet is checked
    /// by the strict base64url decoder when it is decoded (header and signature
    /// before verification, payload after it), so the token is scanned once.
    ///
    /// # Errors
    /// [`JoseError::Malformed`] unless there are exactly two `.` separators and the
    /// header segment is non-empty. (An unsecured JWS, with an empty signature, is
    /// never accepted — RFC 8725 §3.1 — but is refused after the header is read, so
    /// that `alg: none` is reported as such.)
    pub fn parse(token: &'t str) -> Result<Self, JoseError> {
        let bytes = token.as_bytes();
        // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(sig)
        let dot1 = memchr::memchr(b'.', bytes).ok_or(JoseError::Malformed)?;
        let after1 = bytes.get(dot1 + 1..).ok_or(JoseError::Malformed)?;
        let dot2 = dot1 + 1 + memchr::memchr(b'.', after1).ok_or(JoseError::Malformed)?;
        let after2 = bytes.get(dot2 + 1..).ok_or(JoseError::Malformed)?;
        if dot1 == 0 || memchr::memchr(b'.', after2).is_some() {
            return Err(JoseError::Malformed);
        }
        Ok(Self { token, dot1, dot2 })
    }

    /// The encoded protected header.
    #[must_use]
    pub fn header_b64(&self) -> &'t str {
        self.token.get(..self.dot1).unwrap_or("")
    }

    /// The encoded payload (may be empty).
    #[must_use]
    pub fn payload_b64(&self) -> &'t str {
        self.token.get(self.dot1 + 1..self.dot2).unwrap_or("")
    }

    /// The encoded signature.
    #[must_use]
    pub fn signature_b64(&self) -> &'t str {
        self.token.get(self.dot2 + 1..).unwrap_or("")
    }

    /// The JWS signing input: `header "." payload`, exactly as received
    /// (RFC 7515 §5.2 step 8: never re-serialized).
    #[must_use]
    pub fn signing_input(&self) -> &'t [u8] {
        self.token.as_bytes().get(..self.dot2).unwrap_or(&[])
    }
}

/// Header parameters this crate understands. Registered names may not appear in
/// `crit` (RFC 7515 §4.1.11).
const REGISTERED: [&str; 15] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "b64",
];

/// What the header may contain beyond the registered parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderPolicy<'p> {
    /// Extension names the caller processes itself and so may appear in `crit`
    /// (RFC 7515 §4.1.11). Empty by default: any `crit` is rejected.
    pub understood_critical: &'p [&'p str],
}

/// A parsed, checked JOSE header, borrowed from the decoded header bytes.
#[derive(Clone, Copy, Debug)]
pub struct Header<'b> {
    alg: Algorithm,
    kid: Option<JsonStr<'b>>,
    typ: Option<JsonStr<'b>>,
    cty: Option<JsonStr<'b>>,
    jwk: Option<JsonObject<'b>>,
    object: JsonObject<'b>,
}

impl<'b> Header<'b> {
    /// Parses and checks a decoded header: a JSON object without duplicate
    /// members, with a supported `alg` (never `none`), typed members, `crit`
    /// understood, and no `b64: false`.
    ///
    /// # Errors
    /// The [`JoseError`] naming the rule broken.
    pub fn parse(bytes: &'b [u8], policy: &HeaderPolicy<'_>) -> Result<Self, JoseError> {
        let mut alg = None;
        let mut kid = None;
        let mut typ = None;
        let mut cty = None;
        let mut jwk = None;
        let mut crit: Option<JsonArray<'b>> = None;
        let object = json::parse_object_with(
            bytes,
            &Limits::default(),
            |name, value| -> Result<(), HeaderParseError> {
                // The name through `member_name`, not a closure: assigning `value`'s
                // parts to the captured slots from inside a nested closure made the
                // compiler copy them with memmove, which linked ~1.8 KB of
                // compiler_builtins into a Cortex-M4 build (measured on embedded/'s
                // size probe: 65,496 -> 63,716 bytes).
                // The buffer is only written for an escaped name (the hot path has none).
                let mut buf: [u8; 32];
                let name: &[u8] = if name.has_escapes() {
                    buf = [0u8; 32];
                    match super::member_name(&name, &mut buf) {
                        Some(n) => n,
                        None => return Ok(()),
                    }
                } else {
                    name.raw()
                };
                match name {
                    b"alg" => {
                        let s = value.as_str().ok_or(JoseError::HeaderType("alg"))?;
                        alg = Some(s);
                    }
                    b"kid" => kid = Some(value.as_str().ok_or(JoseError::HeaderType("kid"))?),
                    b"typ" => typ = Some(value.as_str().ok_or(JoseError::HeaderType("typ"))?),
                    b"cty" => cty = Some(value.as_str().ok_or(JoseError::HeaderType("cty"))?),
                    b"jwk" => jwk = Some(value.as_object().ok_or(JoseError::HeaderType("jwk"))?),
                    b"crit" => crit = Some(value.as_array().ok_or(JoseError::UnknownCritical)?),
                    // RFC 7797 §3: b64=false changes the signing input; not supported.
                    b"b64" => match value {
                        JsonValue::Bool(true) => {}
                        JsonValue::Bool(false) => {
                            return Err(JoseError::UnencodedPayload.into());
                        }
                        _ => return Err(JoseError::HeaderType("b64").into()),
                    },
                    b"jku" | b"x5u" | b"x5t" | b"x5t#S256" => {
                        value.as_str().ok_or(JoseError::HeaderType("x5/jku"))?;
                    }
                    b"x5c" => {
                        value.as_array().ok_or(JoseError::HeaderType("x5c"))?;
                    }
                    _ => {}
                }
                Ok(())
            },
        )
        .map_err(|e| match e {
            HeaderParseError::Json(j) => JoseError::Json(Segment::Header, j),
            HeaderParseError::Jose(j) => j,
        })?;
        let alg = alg.ok_or(JoseError::MissingAlgorithm)?;
        let mut buf = [0u8; 16];
        let name = if alg.has_escapes() {
            alg.unescape_into(&mut buf)
                .map(str::as_bytes)
                .unwrap_or(b"")
        } else {
            alg.raw()
        };
        let alg = match Algorithm::from_name(name) {
            Some(a) => a,
            // RFC 8725 §3.1: "none" is never accepted. Compared case-insensitively
            // so that "None"/"NONE" get the precise error too.
            None if name.eq_ignore_ascii_case(b"none") => return Err(JoseError::AlgorithmNone),
            None => return Err(JoseError::UnsupportedAlgorithm),
        };
        if let Some(crit) = crit {
            check_crit(crit, object, policy)?;
        }
        Ok(Self {
            alg,
            kid,
            typ,
            cty,
            jwk,
            object,
        })
    }

    /// The `alg` header (already checked to be a supported algorithm).
    #[must_use]
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The `kid` header.
    #[must_use]
    pub fn kid(&self) -> Option<JsonStr<'b>> {
        self.kid
    }

    /// The `typ` header.
    #[must_use]
    pub fn typ(&self) -> Option<JsonStr<'b>> {
        self.typ
    }

    /// The `cty` header.
    #[must_use]
    pub fn cty(&self) -> Option<JsonStr<'b>> {
        self.cty
    }

    /// The embedded `jwk` header. It is never used to find a verification key
    /// (RFC 8725 §3.10); profiles that define it (DPoP, RFC 9449 §4.2) read it here.
    #[must_use]
    pub fn jwk(&self) -> Option<JsonObject<'b>> {
        self.jwk
    }

    /// The whole header object, for extension members.
    #[must_use]
    pub fn object(&self) -> JsonObject<'b> {
        self.object
    }

    /// Whether `typ` names the media type `expected`, per RFC 7515 §4.1.9:
    /// compared case-insensitively, with an optional `application/` prefix on
    /// either side (`at+jwt` matches `application/at+jwt`).
    #[must_use]
    pub fn typ_is(&self, expected: &str) -> bool {
        self.typ.is_some_and(|t| media_type_eq(&t, expected))
    }
}

/// Internal error type for the header callback.
enum HeaderParseError {
    Json(json::JsonError),
    Jose(JoseError),
}

impl From<json::JsonError> for HeaderParseError {
    fn from(e: json::JsonError) -> Self {
        Self::Json(e)
    }
}

impl From<JoseError> for HeaderParseError {
    fn from(e: JoseError) -> Self {
        Self::Jose(e)
    }
}

/// RFC 7515 §4.1.11: `crit` is a non-empty array of unique strings, none of them
/// a registered header name, each present in the header and understood.
fn check_crit(
    crit: JsonArray<'_>,
    header: JsonObject<'_>,
    policy: &HeaderPolicy<'_>,
) -> Result<(), JoseError> {
    if crit.is_empty() {
        return Err(JoseError::UnknownCritical);
    }
    for (i, v) in crit.iter().enumerate() {
        let name = v.as_str().ok_or(JoseError::UnknownCritical)?;
        let registered = REGISTERED.iter().any(|r| name.eq_str(r));
        let understood = policy.understood_critical.iter().any(|u| name.eq_str(u));
        let duplicate = crit
            .iter()
            .take(i)
            .any(|p| p.as_str().is_some_and(|p| p.same_value(&name)));
        let present = header.members().any(|(k, _)| k.same_value(&name));
        if registered || !understood || duplicate || !present {
            return Err(JoseError::UnknownCritical);
        }
    }
    Ok(())
}

/// RFC 7515 §4.1.9 media-type comparison (case-insensitive, `application/`
/// optional).
pub(crate) fn media_type_eq(actual: &JsonStr<'_>, expected: &str) -> bool {
    fn strip(s: &[u8]) -> &[u8] {
        match s.get(..12) {
            Some(p) if p.eq_ignore_ascii_case(b"application/") => s.get(12..).unwrap_or(b""),
            _ => s,
        }
    }
    let mut buf = [0u8; 128];
    let actual = if actual.has_escapes() {
        match actual.unescape_into(&mut buf) {
            Ok(a) => a.as_bytes(),
            Err(_) => return false,
        }
    } else {
        actual.raw()
    };
    strip(actual).eq_ignore_ascii_case(strip(expected.as_bytes()))
}

/// A JWS whose signature verified under one of the caller's keys. Only this
/// module can construct it.
#[derive(Debug)]
pub struct VerifiedJws<'b> {
    header: Header<'b>,
    payload: &'b [u8],
}

impl<'b> VerifiedJws<'b> {
    /// The checked header.
    #[must_use]
    pub fn header(&self) -> &Header<'b> {
        &self.header
    }

    /// The decoded payload.
    #[must_use]
    pub fn payload(&self) -> &'b [u8] {
        self.payload
    }
}

/// Verifies a compact JWS with the caller's keys, decoding header and payload into
/// `scratch` (so nothing is allocated). `scratch` must hold the decoded header and
/// payload: 3/4 of the token length is always enough.
///
/// # Errors
/// The [`JoseError`] naming the first rule broken.
pub fn verify_compact<'b, K: KeyResolver + ?Sized>(
    token: &str,
    keys: &K,
    policy: &HeaderPolicy<'_>,
    scratch: &'b mut [u8],
) -> Result<VerifiedJws<'b>, JoseError> {
    let jws = CompactJws::parse(token)?;
    let (header, key, rest) = verify_parts(&jws, keys, policy, scratch)?;
    let _ = key;
    let payload = decode_segment(jws.payload_b64(), rest, Segment::Payload)?;
    Ok(VerifiedJws { header, payload })
}

pub(crate) fn decode_segment<'b>(
    seg: &str,
    out: &'b mut [u8],
    which: Segment,
) -> Result<&'b [u8], JoseError> {
    let need = base64url::decoded_len(seg.len()).ok_or(JoseError::Base64(which))?;
    if out.len() < need {
        return Err(JoseError::BufferTooSmall);
    }
    base64url::decode_public(seg.as_bytes(), out).map_err(|_| JoseError::Base64(which))
}

/// Decodes and checks the header, selects the key, checks the algorithm pin and
/// verifies the signature. Returns the rest of `scratch` for the payload.
pub(crate) fn verify_parts<'b, 'k, K: KeyResolver + ?Sized>(
    jws: &CompactJws<'_>,
    keys: &'k K,
    policy: &HeaderPolicy<'_>,
    scratch: &'b mut [u8],
) -> Result<(Header<'b>, &'k VerifyingKey, &'b mut [u8]), JoseError> {
    verify_parts_allowing(jws, keys, policy, None, scratch)
}

/// [`verify_parts`], refusing an `alg` outside `algorithms` (when given) right
/// after the header is read: before key lookup and any cryptography.
pub(crate) fn verify_parts_allowing<'b, 'k, K: KeyResolver + ?Sized>(
    jws: &CompactJws<'_>,
    keys: &'k K,
    policy: &HeaderPolicy<'_>,
    algorithms: Option<&[Algorithm]>,
    scratch: &'b mut [u8],
) -> Result<(Header<'b>, &'k VerifyingKey, &'b mut [u8]), JoseError> {
    let hseg = jws.header_b64();
    let hlen = base64url::decoded_len(hseg.len()).ok_or(JoseError::Base64(Segment::Header))?;
    if scratch.len() < hlen {
        return Err(JoseError::BufferTooSmall);
    }
    let (hbuf, rest) = scratch.split_at_mut(hlen);
    let hbytes = decode_segment(hseg, hbuf, Segment::Header)?;
    let header = Header::parse(hbytes, policy)?;
    // RFC 8725 §3.1: the caller's algorithm allow-list, checked before any
    // cryptography (a cheap refusal first).
    if let Some(algs) = algorithms
        && !algs.contains(&header.alg())
    {
        return Err(JoseError::UnsupportedAlgorithm);
    }
    // RFC 8725 §3.10: the key comes from the caller's set, never from the token.
    let key = keys.resolve(header.kid(), header.alg())?;
    // RFC 8725 §3.1: the key pins the algorithm.
    if key.algorithm() != header.alg() {
        return Err(JoseError::AlgorithmMismatch {
            expected: key.algorithm(),
            found: header.alg(),
        });
    }
    // RFC 8725 §3.1: an unsecured JWS (empty signature) is never accepted.
    if jws.signature_b64().is_empty() {
        return Err(JoseError::InvalidSignature);
    }
    // The signature is decoded into the scratch space the payload will reuse once
    // the signature has verified, so no extra stack buffer is zeroed per call.
    let sig_b64 = jws.signature_b64();
    if base64url::decoded_len(sig_b64.len()).is_some_and(|n| n > MAX_SIGNATURE) {
        return Err(JoseError::InvalidSignature);
    }
    let sig = decode_segment(sig_b64, rest, Segment::Signature)?;
    key.verify_signature(jws.signing_input(), sig)?;
    Ok((header, key, rest))
}

/// Signs `payload` as a compact JWS with `key`. The protected header holds `alg`,
/// the key's `kid` if it has one, `typ` if given, and the members of `extra`
/// (which may not override `alg`/`kid`/`typ`).
///
/// # Errors
/// [`KeyError`](super::KeyError) from the signer, or
/// [`KeyError::Malformed`](super::KeyError::Malformed) when `extra` repeats a
/// member set here.
#[cfg(feature = "alloc")]
pub fn sign_compact(
    payload: &[u8],
    key: &super::keys::SigningKey,
    typ: Option<&str>,
    extra: Option<&serde_json::Map<alloc::string::String, serde_json::Value>>,
) -> Result<alloc::string::String, super::KeyError> {
    use alloc::string::String;
    let mut header = serde_json::Map::new();
    header.insert("alg".into(), key.algorithm().name().into());
    if let Some(kid) = key.kid() {
        header.insert("kid".into(), kid.into());
    }
    if let Some(t) = typ {
        header.insert("typ".into(), t.into());
    }
    if let Some(extra) = extra {
        for (k, v) in extra {
            if header.contains_key(k) {
                return Err(super::KeyError::Malformed);
            }
            header.insert(k.clone(), v.clone());
        }
    }
    let header = serde_json::to_vec(&header).map_err(|_| super::KeyError::Malformed)?;
    let mut out = String::with_capacity(
        base64url::encoded_len(header.len()) + base64url::encoded_len(payload.len()) + 90,
    );
    base64url::encode_into_string(&header, &mut out);
    out.push('.');
    base64url::encode_into_string(payload, &mut out);
    let sig = key.sign(out.as_bytes())?;
    out.push('.');
    base64url::encode_into_string(&sig, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_split_rules() {
        assert!(CompactJws::parse("a.b.c").is_ok());
        assert!(
            CompactJws::parse("a..c").is_ok(),
            "empty payload is allowed"
        );
        assert!(
            CompactJws::parse("a.b.").is_ok(),
            "empty signature is refused later, after alg"
        );
        for bad in ["", "a.b", "a.b.c.d", ".b.c", "a.b.c.d.e", "...", "a..."] {
            assert_eq!(
                CompactJws::parse(bad).unwrap_err(),
                JoseError::Malformed,
                "{bad:?}"
            );
        }
        // Alphabet errors surface when each segment is decoded (tests/bad_input.rs).
        assert!(CompactJws::parse("a.b+.c").is_ok());
        let j = CompactJws::parse("hh.pp.ss").unwrap();
        assert_eq!(
            (j.header_b64(), j.payload_b64(), j.signature_b64()),
            ("hh", "pp", "ss")
        );
        assert_eq!(j.signing_input(), b"hh.pp");
    }

    fn header(s: &str) -> Result<Header<'_>, JoseError> {
        Header::parse(s.as_bytes(), &HeaderPolicy::default())
    }

    #[test]
    fn header_rules() {
        assert_eq!(
            header(r#"{"alg":"HS256"}"#).unwrap().alg(),
            Algorithm::HS256
        );
        assert_eq!(
            header(r#"{"alg":"none"}"#).unwrap_err(),
            JoseError::AlgorithmNone
        );
        assert_eq!(
            header(r#"{"alg":"NoNe"}"#).unwrap_err(),
            JoseError::AlgorithmNone
        );
        assert_eq!(
            header(r#"{"alg":"HS1"}"#).unwrap_err(),
            JoseError::UnsupportedAlgorithm
        );
        assert_eq!(
            header(r#"{"alg":1}"#).unwrap_err(),
            JoseError::HeaderType("alg")
        );
        assert_eq!(
            header(r#"{"typ":"JWT"}"#).unwrap_err(),
            JoseError::MissingAlgorithm
        );
        assert!(matches!(
            header(r#"{"alg":"HS256","alg":"none"}"#).unwrap_err(),
            JoseError::Json(Segment::Header, _)
        ));
        assert_eq!(
            header(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#).unwrap_err(),
            JoseError::UnencodedPayload
        );
        assert_eq!(
            header(r#"{"alg":"HS256","crit":["exp-x"],"exp-x":1}"#).unwrap_err(),
            JoseError::UnknownCritical
        );
        assert_eq!(
            header(r#"{"alg":"HS256","crit":[]}"#).unwrap_err(),
            JoseError::UnknownCritical
        );
        assert_eq!(
            header(r#"{"alg":"HS256","crit":"x"}"#).unwrap_err(),
            JoseError::UnknownCritical
        );
        assert_eq!(
            header(r#"{"alg":"HS256","kid":7}"#).unwrap_err(),
            JoseError::HeaderType("kid")
        );
        let p = HeaderPolicy {
            understood_critical: &["exp-x"],
        };
        assert!(Header::parse(br#"{"alg":"HS256","crit":["exp-x"],"exp-x":1}"#, &p).is_ok());
        // understood but absent from the header, duplicated, or registered
        assert_eq!(
            Header::parse(br#"{"alg":"HS256","crit":["exp-x"]}"#, &p).unwrap_err(),
            JoseError::UnknownCritical
        );
        assert_eq!(
            Header::parse(br#"{"alg":"HS256","crit":["exp-x","exp-x"],"exp-x":1}"#, &p)
                .unwrap_err(),
            JoseError::UnknownCritical
        );
        let p2 = HeaderPolicy {
            understood_critical: &["alg"],
        };
        assert_eq!(
            Header::parse(br#"{"alg":"HS256","crit":["alg"]}"#, &p2).unwrap_err(),
            JoseError::UnknownCritical
        );
    }

    #[test]
    fn typ_comparison_follows_rfc7515_4_1_9() {
        let h = header(r#"{"alg":"ES256","typ":"application/AT+JWT"}"#).unwrap();
        assert!(h.typ_is("at+jwt"));
        assert!(h.typ_is("application/at+jwt"));
        assert!(!h.typ_is("jwt"));
        let h = header(r#"{"alg":"ES256","typ":"at+jwt"}"#).unwrap();
        assert!(h.typ_is("application/at+jwt"));
        assert!(!header(r#"{"alg":"ES256"}"#).unwrap().typ_is("at+jwt"));
    }
}
