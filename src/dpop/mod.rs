//! DPoP (RFC 9449): proof validation shared by the resource server and the
//! authorization server's token endpoint.
//!
//! [`verify_proof`] runs every check of RFC 9449 §4.3 and returns a
//! [`VerifiedDpopProof`] (a proof type: only this module builds one) exposing the
//! JWK thumbprint the caller binds to or compares with `cnf.jkt` (§6.1).
//!
//! Everything here but `normalize_htu` (`alloc`) and `InMemoryReplayStore`
//! (`std`, a bounded map behind a mutex) is in the core tier, with no
//! allocator: the proof is decoded into one stack buffer ([`DECODE_BUFFER_LEN`]
//! bytes), claims are compared without unescaped copies (but for an escaped
//! `htu`, see [`MAX_ESCAPED_HTU_LEN`]), `htu` is normalised in place
//! ([`NormalizedHtu`]), and [`ReplayCache`] is a fixed-capacity table.
//!
//! ```
//! # use oauth_core::dpop::{ProofCheck, ReplayCache, verify_proof};
//! # use oauth_core::time::UnixTime;
//! let replay = core::cell::RefCell::new(ReplayCache::<64>::new());
//! let check = ProofCheck::new("POST", "https://server.example.com/token");
//! // A malformed proof is refused with a typed error.
//! assert!(verify_proof("not-a-jws", &check, UnixTime::from_secs(1_562_262_616), &replay).is_err());
//! ```

mod htu;
mod nonce;
mod replay;

#[cfg(feature = "alloc")]
pub use htu::normalize_htu;
pub use htu::{HtuError, MAX_PATH_SEGMENTS, NormalizedHtu, htu_matches};
pub use nonce::{Nonce, NonceIssuer};
#[cfg(feature = "std")]
pub use replay::InMemoryReplayStore;
pub use replay::{ReplayCache, ReplayStore, ReplayStoreFull};

use crate::encoding::base64url;
use crate::encoding::json::{self, JsonErrorKind, JsonObject, JsonStr, JsonValue, Limits};
use crate::jose::{
    Algorithm, CompactJws, Header, HeaderPolicy, JoseError, Jwk, KeyError, KeyFamily, Segment,
};
use crate::time::{Duration, Leeway, UnixTime};
use core::fmt;
use sha2::Digest as _;

/// The asymmetric algorithms accepted by default (RFC 9449 §4.2: never `none`,
/// never a MAC).
pub const DEFAULT_ALGORITHMS: &[Algorithm] = &[
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
    Algorithm::PS256,
    Algorithm::RS256,
];

/// The largest proof accepted, in bytes (a proof carries one public key).
pub const MAX_PROOF_LEN: usize = 4096;

/// The stack buffer [`verify_proof`] decodes a proof's three segments into:
/// base64url carries 3 bytes in 4 characters, so the segments of a proof of
/// [`MAX_PROOF_LEN`] characters decode to at most 3,072 bytes together.
pub const DECODE_BUFFER_LEN: usize = MAX_PROOF_LEN / 4 * 3;

/// The longest `htu` claim written with JSON escapes (such as `\/`) that is
/// checked: it is unescaped into a stack buffer of this size. Longer, it is
/// refused with [`DpopError::ClaimTooLong`]. An `htu` without escapes is read in
/// place, whatever its length.
pub const MAX_ESCAPED_HTU_LEN: usize = 1024;

/// Why a DPoP proof was refused (RFC 9449 §4.3). Maps to `invalid_dpop_proof`
/// except [`DpopError::UseNonce`] (`use_dpop_nonce`, §8/§9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DpopError {
    /// Longer than [`MAX_PROOF_LEN`].
    TooLarge,
    /// Not a well-formed compact JWS with JSON header and claims (§4.3 checks 2-3),
    /// or a JOSE rule of the header broken.
    Malformed(JoseError),
    /// `typ` is not `dpop+jwt` (§4.3 check 4).
    InvalidType,
    /// `alg` is not in the asymmetric allow-list (§4.3 check 5).
    AlgorithmNotAllowed,
    /// No `jwk` header, or it is not a usable public key of the header's `alg`
    /// (§4.3 check 7).
    InvalidJwk(KeyError),
    /// The `jwk` header holds private key material (§4.3 check 7).
    PrivateKeyInJwk,
    /// The signature does not verify with the `jwk` header (§4.3 check 6).
    InvalidSignature,
    /// A required claim is missing (`jti`, `htm`, `htu`, `iat`; `ath` with a token).
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type.
    ClaimType(&'static str),
    /// A claim is too long to check without an allocator (an `htu` with JSON
    /// escapes over [`MAX_ESCAPED_HTU_LEN`] bytes).
    ClaimTooLong(&'static str),
    /// `htm` is not the request method (§4.3 check 8).
    MethodMismatch,
    /// `htu` is not the request URI after normalisation (§4.3 check 9).
    UriMismatch,
    /// `iat` is outside the accepted window (§4.3 check 11, §11.1).
    IatOutOfWindow,
    /// The `jti` was seen before (§11.1).
    Replayed,
    /// The replay cache is full; refused rather than risking a replay.
    ReplayStoreFull,
    /// `ath` is not the hash of the access token presented (§4.3 check 12).
    AccessTokenHashMismatch,
    /// A nonce is required and was absent, stale or wrong: answer `use_dpop_nonce`
    /// with a fresh `DPoP-Nonce` (§8, §9; §4.3 check 10).
    UseNonce,
    /// The proof's key is not the one the access token is bound to (`cnf.jkt`,
    /// §6.1 and §7.1).
    KeyBindingMismatch,
}

impl fmt::Display for DpopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => f.write_str("dpop: proof too large"),
            Self::Malformed(e) => write!(f, "dpop: proof is not a valid jws (RFC 9449 §4.3): {e}"),
            Self::InvalidType => f.write_str("dpop: typ is not dpop+jwt (RFC 9449 §4.3)"),
            Self::AlgorithmNotAllowed => {
                f.write_str("dpop: alg not an allowed asymmetric algorithm (RFC 9449 §4.3)")
            }
            Self::InvalidJwk(e) => write!(f, "dpop: jwk header unusable (RFC 9449 §4.3): {e}"),
            Self::PrivateKeyInJwk => {
                f.write_str("dpop: jwk header holds a private key (RFC 9449 §4.3)")
            }
            Self::InvalidSignature => {
                f.write_str("dpop: signature does not verify (RFC 9449 §4.3)")
            }
            Self::MissingClaim(c) => write!(f, "dpop: claim {c} missing (RFC 9449 §4.2)"),
            Self::ClaimType(c) => write!(f, "dpop: claim {c} has the wrong type (RFC 9449 §4.2)"),
            Self::ClaimTooLong(c) => write!(f, "dpop: claim {c} too long to check (RFC 9449 §4.3)"),
            Self::MethodMismatch => {
                f.write_str("dpop: htm is not the request method (RFC 9449 §4.3)")
            }
            Self::UriMismatch => f.write_str("dpop: htu is not the request uri (RFC 9449 §4.3)"),
            Self::IatOutOfWindow => {
                f.write_str("dpop: iat outside the accepted window (RFC 9449 §11.1)")
            }
            Self::Replayed => f.write_str("dpop: jti replayed (RFC 9449 §11.1)"),
            Self::ReplayStoreFull => f.write_str("dpop: replay cache full (RFC 9449 §11.1)"),
            Self::AccessTokenHashMismatch => {
                f.write_str("dpop: ath is not the access token's hash (RFC 9449 §4.3)")
            }
            Self::UseNonce => f.write_str("dpop: a fresh server nonce is required (RFC 9449 §8)"),
            Self::KeyBindingMismatch => {
                f.write_str("dpop: proof key is not the token's cnf.jkt (RFC 9449 §6.1)")
            }
        }
    }
}

impl core::error::Error for DpopError {}

/// The nonce rule of a check (RFC 9449 §8, §9).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum NonceRule<'a> {
    /// No nonce required (a nonce in the proof is ignored).
    NotRequired,
    /// The proof's `nonce` must equal this value.
    Exact(&'a str),
    /// The proof's `nonce` must be a current or previous nonce of this issuer.
    Rotating(&'a NonceIssuer),
}

/// What a proof must match. The method and the request URI are required
/// arguments; the rest has secure defaults.
#[derive(Clone, Copy, Debug)]
pub struct ProofCheck<'a> {
    method: &'a str,
    uri: &'a str,
    access_token: Option<&'a str>,
    nonce: NonceRule<'a>,
    algorithms: &'a [Algorithm],
    iat_window: Duration,
    leeway: Leeway,
}

impl<'a> ProofCheck<'a> {
    /// A check for a request with `method` (e.g. `POST`) to the absolute
    /// `uri` the client addressed (query and fragment are ignored).
    #[must_use]
    pub const fn new(method: &'a str, uri: &'a str) -> Self {
        Self {
            method,
            uri,
            access_token: None,
            nonce: NonceRule::NotRequired,
            algorithms: DEFAULT_ALGORITHMS,
            iat_window: Duration::from_secs(60),
            leeway: Leeway::new(Duration::from_secs(5)),
        }
    }

    /// The access token presented with the proof: `ath` must be its hash
    /// (RFC 9449 §4.3 check 12; required at a resource server).
    #[must_use]
    pub const fn access_token(mut self, token: &'a str) -> Self {
        self.access_token = Some(token);
        self
    }

    /// The nonce rule (default [`NonceRule::NotRequired`]).
    #[must_use]
    pub const fn nonce(mut self, rule: NonceRule<'a>) -> Self {
        self.nonce = rule;
        self
    }

    /// The accepted algorithms (default [`DEFAULT_ALGORITHMS`]); symmetric ones
    /// are refused whatever this says.
    #[must_use]
    pub const fn algorithms(mut self, algs: &'a [Algorithm]) -> Self {
        self.algorithms = algs;
        self
    }

    /// How far `iat` may be from `now`, each way (default 60 s; RFC 9449 §11.1
    /// "a few seconds or minutes"), plus the leeway (default 5 s).
    #[must_use]
    pub const fn iat_window(mut self, window: Duration, leeway: Leeway) -> Self {
        self.iat_window = window;
        self.leeway = leeway;
        self
    }
}

/// A DPoP proof that passed every check of a [`ProofCheck`]. Only
/// [`verify_proof`] builds one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedDpopProof {
    jkt: heapless::String<43>,
    alg: Algorithm,
    iat: UnixTime,
}

impl VerifiedDpopProof {
    /// The RFC 7638 SHA-256 thumbprint of the proof's key, base64url: the value
    /// of `cnf.jkt` (RFC 9449 §6.1) and of `dpop_jkt` (§10).
    #[must_use]
    pub fn jkt(&self) -> &str {
        &self.jkt
    }

    /// The proof's algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The proof's `iat`.
    #[must_use]
    pub fn issued_at(&self) -> UnixTime {
        self.iat
    }

    /// Checks that the proof's key is the one a token is bound to: `jkt` equals
    /// the token's `cnf.jkt` (RFC 9449 §6.1; compared in constant time).
    ///
    /// # Errors
    /// [`DpopError::KeyBindingMismatch`].
    pub fn check_binding(&self, cnf_jkt: &str) -> Result<(), DpopError> {
        use subtle::ConstantTimeEq as _;
        if bool::from(self.jkt.as_bytes().ct_eq(cnf_jkt.as_bytes())) {
            Ok(())
        } else {
            Err(DpopError::KeyBindingMismatch)
        }
    }
}

/// `base64url(SHA-256(access_token))`: the `ath` claim (RFC 9449 §4.2).
#[must_use]
pub fn access_token_hash(access_token: &str) -> heapless::String<43> {
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    let mut buf = [0u8; 43];
    let mut out = heapless::String::new();
    if let Ok(s) = base64url::encode(&digest, &mut buf) {
        let _ = out.push_str(s);
    }
    out
}

/// Decodes `segment` into the front of `buf`; returns it and the rest of `buf`.
fn decode<'b>(
    segment: &str,
    buf: &'b mut [u8],
    seg: Segment,
) -> Result<(&'b [u8], &'b mut [u8]), DpopError> {
    let bad = DpopError::Malformed(JoseError::Base64(seg));
    let need = base64url::decoded_len(segment.len()).ok_or(bad)?;
    // Always fits for a proof of at most MAX_PROOF_LEN characters.
    let (out, rest) = buf.split_at_mut_checked(need).ok_or(DpopError::TooLarge)?;
    let out = base64url::decode_public(segment.as_bytes(), out).map_err(|_| bad)?;
    Ok((out, rest))
}

fn string_claim<'b>(
    claims: &JsonObject<'b>,
    name: &'static str,
) -> Result<Option<JsonStr<'b>>, DpopError> {
    match claims.get(name) {
        None => Ok(None),
        Some(JsonValue::String(s)) => Ok(Some(s)),
        Some(_) => Err(DpopError::ClaimType(name)),
    }
}

/// Calls `f` with each piece of the decoded (UTF-8) value of `s`: the raw text
/// when it has no escapes, else one character at a time.
fn for_each_utf8(s: &JsonStr<'_>, mut f: impl FnMut(&[u8])) {
    if let Some(v) = s.as_str() {
        f(v.as_bytes());
    } else {
        for c in s.chars() {
            let mut b = [0u8; 4];
            f(c.encode_utf8(&mut b).as_bytes());
        }
    }
}

/// Whether the decoded value of `s` is `want`, in time independent of where
/// they differ (the length is not hidden).
fn ct_eq_json(s: &JsonStr<'_>, want: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    if s.unescaped_len() != want.len() {
        return false;
    }
    let mut diff = 0u8;
    let mut rest = want;
    for_each_utf8(s, |piece| {
        for &b in piece {
            match rest.split_first() {
                Some((w, tail)) => {
                    diff |= b ^ w;
                    rest = tail;
                }
                None => diff = 1,
            }
        }
    });
    rest.is_empty() && bool::from(diff.ct_eq(&0))
}

/// RFC 9449 §4.3 check 9 on the `htu` claim: compared in place when it has no
/// JSON escapes, else unescaped into a stack buffer.
fn htu_claim_matches(htu: &JsonStr<'_>, request_uri: &str) -> Result<bool, DpopError> {
    match htu.as_str() {
        Some(s) => Ok(htu_matches(s, request_uri)),
        None => escaped_htu_matches(htu, request_uri),
    }
}

/// [`htu_claim_matches`] for an `htu` with escapes: its [`MAX_ESCAPED_HTU_LEN`]
/// buffer is in this function's own frame, so the common path does not carry it.
#[inline(never)]
fn escaped_htu_matches(htu: &JsonStr<'_>, request_uri: &str) -> Result<bool, DpopError> {
    let mut buf = [0u8; MAX_ESCAPED_HTU_LEN];
    match htu.unescape_into(&mut buf) {
        Ok(s) => Ok(htu_matches(s, request_uri)),
        Err(e) if e.kind == JsonErrorKind::BufferTooSmall => Err(DpopError::ClaimTooLong("htu")),
        Err(_) => Ok(false),
    }
}

/// Verifies a DPoP proof (RFC 9449 §4.3) for `check` at `now`, recording its
/// `jti` in `replay` only when every other check passed.
///
/// Order: size; compact JWS; header (`typ`, `alg` in the asymmetric allow-list,
/// `jwk` public and fitting `alg`); signature with that key; claims (`jti`, `htm`,
/// `htu`, `iat`, `ath`, `nonce`); replay.
///
/// # Errors
/// The [`DpopError`] naming the first check failed.
pub fn verify_proof(
    proof: &str,
    check: &ProofCheck<'_>,
    now: UnixTime,
    replay: &(impl ReplayStore + ?Sized),
) -> Result<VerifiedDpopProof, DpopError> {
    if proof.len() > MAX_PROOF_LEN {
        return Err(DpopError::TooLarge);
    }
    // RFC 9449 §4.3 check 2: a well-formed JWS.
    let jws = CompactJws::parse(proof).map_err(DpopError::Malformed)?;
    // Header, signature and claims are decoded one after the other into this
    // buffer (their total is at most DECODE_BUFFER_LEN).
    let mut buf = [0u8; DECODE_BUFFER_LEN];
    let (header_bytes, rest) = decode(jws.header_b64(), &mut buf, Segment::Header)?;
    // Unknown `crit` is refused by the header parser (RFC 7515 §4.1.11).
    let header = Header::parse(header_bytes, &HeaderPolicy::default()).map_err(|e| match e {
        JoseError::AlgorithmNone => DpopError::AlgorithmNotAllowed,
        e => DpopError::Malformed(e),
    })?;
    // RFC 9449 §4.3 check 4: typ dpop+jwt.
    if !header.typ_is("dpop+jwt") {
        return Err(DpopError::InvalidType);
    }
    // RFC 9449 §4.3 check 5: an asymmetric algorithm the server accepts; never
    // none (unrepresentable) and never a MAC, whatever the allow-list says.
    let alg = header.alg();
    if alg.family() == KeyFamily::Hmac || !check.algorithms.contains(&alg) {
        return Err(DpopError::AlgorithmNotAllowed);
    }
    // RFC 9449 §4.3 check 7: the jwk header is a public key.
    let jwk_obj = header
        .jwk()
        .ok_or(DpopError::InvalidJwk(KeyError::Malformed))?;
    let jwk = Jwk::from_object(jwk_obj).map_err(DpopError::InvalidJwk)?;
    if jwk.is_private() {
        return Err(DpopError::PrivateKeyInJwk);
    }
    if jwk.family().map_err(DpopError::InvalidJwk)? == KeyFamily::Hmac {
        return Err(DpopError::InvalidJwk(KeyError::UnsupportedKeyType));
    }
    let key = jwk
        .to_verifying_key(Some(alg))
        .map_err(DpopError::InvalidJwk)?;
    if key.algorithm() != alg {
        return Err(DpopError::InvalidJwk(KeyError::AlgorithmMismatch));
    }
    // RFC 9449 §4.3 check 6: the signature verifies with that key.
    let (sig, rest) = decode(jws.signature_b64(), rest, Segment::Signature)?;
    key.verify_signature(jws.signing_input(), sig)
        .map_err(|_| DpopError::InvalidSignature)?;
    let jkt = jwk.thumbprint().map_err(DpopError::InvalidJwk)?;

    // RFC 9449 §4.3 check 3: the claims are a JSON object (strict: no duplicates).
    let (payload, _) = decode(jws.payload_b64(), rest, Segment::Payload)?;
    let claims = json::parse_object(payload, &Limits::default())
        .map_err(|e| DpopError::Malformed(JoseError::Json(Segment::Payload, e)))?;
    let jti = string_claim(&claims, "jti")?.ok_or(DpopError::MissingClaim("jti"))?;
    if jti.raw().is_empty() {
        return Err(DpopError::MissingClaim("jti"));
    }
    let htm = string_claim(&claims, "htm")?.ok_or(DpopError::MissingClaim("htm"))?;
    let htu = string_claim(&claims, "htu")?.ok_or(DpopError::MissingClaim("htu"))?;
    let iat = match claims.get("iat") {
        None => return Err(DpopError::MissingClaim("iat")),
        Some(v) => v
            .as_number()
            .and_then(|n| n.as_u64())
            .map(UnixTime::from_secs)
            .ok_or(DpopError::ClaimType("iat"))?,
    };
    // RFC 9449 §4.3 check 8: htm is the method (case-sensitive, RFC 9110 §9.1).
    if !htm.eq_str(check.method) {
        return Err(DpopError::MethodMismatch);
    }
    // RFC 9449 §4.3 check 9: htu after RFC 3986 §6.2.2/§6.2.3 normalisation.
    if !htu_claim_matches(&htu, check.uri)? {
        return Err(DpopError::UriMismatch);
    }
    // RFC 9449 §4.3 check 11 / §11.1: iat within the window (both ways).
    let reach = check
        .iat_window
        .as_secs()
        .saturating_add(check.leeway.duration().as_secs());
    let reach = Duration::from_secs(reach);
    if iat > now.saturating_add(reach) || now > iat.saturating_add(reach) {
        return Err(DpopError::IatOutOfWindow);
    }
    // RFC 9449 §4.3 check 12: ath is the hash of the token presented.
    if let Some(token) = check.access_token {
        let ath = string_claim(&claims, "ath")?.ok_or(DpopError::MissingClaim("ath"))?;
        if !ath.eq_str(&access_token_hash(token)) {
            return Err(DpopError::AccessTokenHashMismatch);
        }
    }
    // RFC 9449 §4.3 check 10: the nonce, when the server requires one.
    let nonce = string_claim(&claims, "nonce")?;
    match check.nonce {
        NonceRule::NotRequired => {}
        NonceRule::Exact(want) => {
            if !nonce.is_some_and(|n| ct_eq_json(&n, want.as_bytes())) {
                return Err(DpopError::UseNonce);
            }
        }
        NonceRule::Rotating(issuer) => {
            // An issuer's nonces are 43 characters: a longer one is not valid.
            let mut buf = [0u8; 64];
            let ok = nonce.is_some_and(|n| {
                n.unescape_into(&mut buf)
                    .is_ok_and(|n| issuer.is_valid(n, now))
            });
            if !ok {
                return Err(DpopError::UseNonce);
            }
        }
    }
    // RFC 9449 §11.1: the jti once, for as long as the proof could be accepted.
    let mut id = sha2::Sha256::new();
    id.update(b"dpop-jti\0");
    for_each_utf8(&jti, |piece| id.update(piece));
    let id: [u8; 32] = id.finalize().into();
    let expires = iat
        .saturating_add(reach)
        .saturating_add(Duration::from_secs(1));
    match replay.check_and_record(&id, expires, now) {
        Ok(true) => {}
        Ok(false) => return Err(DpopError::Replayed),
        Err(ReplayStoreFull) => return Err(DpopError::ReplayStoreFull),
    }
    Ok(VerifiedDpopProof { jkt, alg, iat })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ath_is_base64url_sha256() {
        // FIPS 180-2 B.1: SHA-256("abc") = ba7816bf 8f01cfea ... f20015ad.
        assert_eq!(
            access_token_hash("abc").as_str(),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
        );
    }
}
