//! Proof Key for Code Exchange (RFC 7636), core tier: no allocator needed.
//!
//! - Client side: [`CodeVerifier::generate`] draws a verifier from a caller RNG and
//!   [`CodeChallenge::s256`] derives the challenge sent in the authorization request.
//!   The client API can only *produce* `S256` challenges: there is deliberately no
//!   constructor for a `plain` challenge (RFC 9700 §2.1.1).
//! - Server side: [`check_challenge`] validates a `code_challenge` received at the
//!   authorization endpoint, and [`verify`] checks the `code_verifier` received at
//!   the token endpoint against the stored challenge, in constant time. `plain` is
//!   accepted only when the server opts in through [`PkcePolicy`].
//!
//! Spec: <https://www.rfc-editor.org/rfc/rfc7636>, with the OAuth 2.0 Security BCP
//! (<https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1>).

use crate::encoding::base64url;
use crate::rand::{RandomError, SecureRandom};
use core::fmt;
use core::str::FromStr;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// The shortest allowed `code_verifier` (RFC 7636 §4.1).
pub const MIN_VERIFIER_LEN: usize = 43;
/// The longest allowed `code_verifier` (RFC 7636 §4.1).
pub const MAX_VERIFIER_LEN: usize = 128;
/// The length of an `S256` `code_challenge`: base64url of a SHA-256 digest, unpadded.
pub const S256_CHALLENGE_LEN: usize = base64url::encoded_len(32);

/// The 66 `unreserved` characters a verifier is drawn from (RFC 7636 §4.1, RFC 3986 §2.3).
const UNRESERVED: &[u8; 66] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// Bytes drawn from the caller's RNG per batch by [`CodeVerifier::generate_with_len`].
const DRAW_BATCH: usize = 64;
/// Upper bound on batches before a source that keeps yielding rejected bytes is
/// treated as failed (at a 198/256 acceptance rate, needing more than 64 batches for
/// 128 characters has a probability far below 2^-1000).
const MAX_DRAW_BATCHES: usize = 64;
/// Bytes `>= REJECT_FROM` are rejected so `byte % 66` is uniform (3 * 66 = 198).
const REJECT_FROM: u8 = 198;

/// Why a PKCE value or check was refused.
///
/// The `Display` text names the rule and its section; it never contains the
/// verifier or the challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PkceError {
    /// The `code_verifier` is not 43 to 128 characters from the unreserved set
    /// (RFC 7636 §4.1).
    InvalidVerifier,
    /// The `code_challenge` has the wrong syntax for its method: 43 base64url
    /// characters for `S256` (RFC 7636 §4.2), verifier syntax for `plain`.
    InvalidChallenge,
    /// The `code_challenge_method` is neither `S256` nor `plain` (RFC 7636 §4.3,
    /// §4.4.1).
    UnsupportedMethod,
    /// The `plain` method was used but the server's [`PkcePolicy`] does not allow it
    /// (RFC 9700 §2.1.1).
    PlainNotAllowed,
    /// The verifier does not match the challenge (RFC 7636 §4.6).
    Mismatch,
    /// A verifier length outside 43..=128 was requested (RFC 7636 §4.1).
    InvalidLength,
    /// The caller's random source failed.
    Random(RandomError),
}

impl fmt::Display for PkceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidVerifier => {
                "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)"
            }
            Self::InvalidChallenge => {
                "code_challenge has invalid syntax for its method (RFC 7636 §4.2)"
            }
            Self::UnsupportedMethod => {
                "code_challenge_method must be \"S256\" or \"plain\" (RFC 7636 §4.3)"
            }
            Self::PlainNotAllowed => {
                "code_challenge_method \"plain\" is not allowed, use \"S256\" (RFC 9700 §2.1.1)"
            }
            Self::Mismatch => "code_verifier does not match code_challenge (RFC 7636 §4.6)",
            Self::InvalidLength => {
                "requested code_verifier length is outside 43..=128 (RFC 7636 §4.1)"
            }
            Self::Random(_) => "random source failed while generating a code_verifier",
        })
    }
}

impl core::error::Error for PkceError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Random(e) => Some(e),
            _ => None,
        }
    }
}

impl From<RandomError> for PkceError {
    fn from(e: RandomError) -> Self {
        Self::Random(e)
    }
}

/// `true` for the unreserved characters `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `true` for the base64url alphabet (RFC 4648 §5), a subset of the unreserved set.
const fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

/// Maps a random byte to an unreserved character, or `None` when the byte is
/// rejected (`>= 198`), so that each of the 66 characters has exactly 3 preimages.
fn unreserved_from_byte(b: u8) -> Option<u8> {
    if b < REJECT_FROM {
        UNRESERVED.get(usize::from(b % 66)).copied()
    } else {
        None
    }
}

/// RFC 7636 §4.1: `code-verifier = 43*128unreserved`.
fn verifier_syntax_ok(s: &str) -> bool {
    (MIN_VERIFIER_LEN..=MAX_VERIFIER_LEN).contains(&s.len()) && s.bytes().all(is_unreserved)
}

/// Base64url (unpadded) of 32 bytes: always exactly 43 characters.
fn encode_32(bytes: &[u8; 32]) -> heapless::String<S256_CHALLENGE_LEN> {
    let mut buf = [0u8; S256_CHALLENGE_LEN];
    let mut out = heapless::String::new();
    // Q: can either step fail? A: no: the buffer is exactly encoded_len(32) = 43 bytes
    // and so is the string's capacity. Should it ever fail, the result is left empty,
    // which every caller treats as a failure (fail closed), never as a value.
    if let Ok(enc) = base64url::encode(bytes, &mut buf)
        && out.push_str(enc).is_err()
    {
        out.clear();
    }
    out
}

/// A PKCE `code_verifier` (RFC 7636 §4.1): 43 to 128 unreserved characters, held
/// inline (no allocation).
///
/// `Debug` prints `CodeVerifier(..)`, never the value.
///
/// # Security
/// The verifier is a secret until the token request is sent: keep it with the
/// authorization state on the client and do not log it. Generate it with
/// [`CodeVerifier::generate`] from a cryptographically secure source.
#[derive(Clone)]
pub struct CodeVerifier(heapless::String<MAX_VERIFIER_LEN>);

impl CodeVerifier {
    /// A fresh verifier: 32 octets from `rng`, base64url-encoded into 43 characters,
    /// as RFC 7636 §4.1 recommends (256 bits of entropy).
    ///
    /// Pair: [`CodeChallenge::s256`] derives the challenge to send.
    ///
    /// # Errors
    /// [`RandomError`] when `rng` fails.
    pub fn generate(rng: &mut impl SecureRandom) -> Result<Self, RandomError> {
        // RFC 7636 §4.1: "generate a 32-octet sequence ... base64url-encode the octet
        // sequence to produce a 43-octet URL safe string".
        let mut octets = [0u8; 32];
        rng.fill(&mut octets)?;
        let enc = encode_32(&octets);
        let mut s = heapless::String::new();
        if enc.len() != S256_CHALLENGE_LEN || s.push_str(&enc).is_err() {
            // Unreachable (see `encode_32`); fail closed rather than return a short
            // verifier.
            return Err(RandomError);
        }
        Ok(Self(s))
    }

    /// A fresh verifier of `len` characters (43..=128), each drawn uniformly from
    /// the 66 unreserved characters.
    ///
    /// Uniformity comes from rejection sampling: random bytes `>= 198` are discarded
    /// and the rest mapped with `% 66`, so there is no modulo bias. Each character
    /// carries log2(66) ≈ 6.04 bits, so 43 characters carry about 260 bits.
    ///
    /// # Errors
    /// [`PkceError::InvalidLength`] when `len` is outside 43..=128;
    /// [`PkceError::Random`] when `rng` fails, or keeps producing only rejected bytes
    /// (a broken source is reported rather than looped on forever).
    pub fn generate_with_len(rng: &mut impl SecureRandom, len: usize) -> Result<Self, PkceError> {
        // RFC 7636 §4.1: minimum length of 43 characters and a maximum length of 128.
        if !(MIN_VERIFIER_LEN..=MAX_VERIFIER_LEN).contains(&len) {
            return Err(PkceError::InvalidLength);
        }
        let mut s = heapless::String::<MAX_VERIFIER_LEN>::new();
        let mut batch = [0u8; DRAW_BATCH];
        for _ in 0..MAX_DRAW_BATCHES {
            rng.fill(&mut batch)?;
            for c in batch.iter().filter_map(|&b| unreserved_from_byte(b)) {
                if s.len() == len {
                    break;
                }
                s.push(char::from(c))
                    .map_err(|()| PkceError::InvalidLength)?;
            }
            if s.len() == len {
                return Ok(Self(s));
            }
        }
        Err(PkceError::Random(RandomError))
    }

    /// Parses and validates a verifier (for example one restored from storage).
    ///
    /// # Errors
    /// [`PkceError::InvalidVerifier`] unless `s` is 43 to 128 characters from the
    /// unreserved set (RFC 7636 §4.1).
    pub fn parse(s: &str) -> Result<Self, PkceError> {
        if !verifier_syntax_ok(s) {
            return Err(PkceError::InvalidVerifier);
        }
        heapless::String::try_from(s)
            .map(Self)
            .map_err(|()| PkceError::InvalidVerifier)
    }

    /// The verifier, as sent in the token request's `code_verifier` parameter.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(..)")
    }
}

impl FromStr for CodeVerifier {
    type Err = PkceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Serializes the verifier as its string, for persisting client state.
///
/// # Security
/// This writes the secret; serialize only into protected storage.
impl serde::Serialize for CodeVerifier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserializes and validates a verifier (RFC 7636 §4.1 syntax).
impl<'de> serde::Deserialize<'de> for CodeVerifier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = CodeVerifier;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PKCE code_verifier (43 to 128 unreserved characters)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                CodeVerifier::parse(v)
                    .map_err(|_| E::custom("code_verifier must be 43 to 128 unreserved characters"))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A `code_challenge` produced by the client: always `S256` (RFC 7636 §4.2).
///
/// There is no way to build a `plain` challenge here: RFC 9700 §2.1.1 requires
/// clients to use `S256`.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeChallenge(heapless::String<S256_CHALLENGE_LEN>);

impl CodeChallenge {
    /// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2).
    #[must_use]
    pub fn s256(verifier: &CodeVerifier) -> Self {
        Self(s256_of(verifier.as_str()))
    }

    /// The challenge, as sent in the `code_challenge` parameter.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The method to send as `code_challenge_method`: always
    /// [`CodeChallengeMethod::S256`].
    #[must_use]
    pub const fn method(&self) -> CodeChallengeMethod {
        CodeChallengeMethod::S256
    }
}

impl fmt::Debug for CodeChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CodeChallenge")
            .field(&self.as_str())
            .finish()
    }
}

fn s256_of(verifier: &str) -> heapless::String<S256_CHALLENGE_LEN> {
    let digest: [u8; 32] = Sha256::digest(verifier.as_bytes()).into();
    encode_32(&digest)
}

/// The `code_challenge_method` parameter (RFC 7636 §4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeChallengeMethod {
    /// `S256`: the challenge is the base64url SHA-256 of the verifier. Required by
    /// RFC 9700 §2.1.1.
    S256,
    /// `plain`: the challenge is the verifier itself. Accepted by [`verify`] only
    /// under a [`PkcePolicy`] that allows it; never produced by this crate.
    Plain,
}

impl CodeChallengeMethod {
    /// The parameter value: `"S256"` or `"plain"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::S256 => "S256",
            Self::Plain => "plain",
        }
    }

    /// Reads the `code_challenge_method` parameter of an authorization request,
    /// which may be absent.
    ///
    /// RFC 7636 §4.3: an absent method means `plain`, which [`verify`] then refuses
    /// under the default [`PkcePolicy`].
    ///
    /// # Errors
    /// [`PkceError::UnsupportedMethod`] for any value but `"S256"` or `"plain"`
    /// (RFC 7636 §4.4.1: "transform algorithm not supported").
    pub fn from_param(param: Option<&str>) -> Result<Self, PkceError> {
        param.map_or(Ok(Self::Plain), str::parse)
    }
}

impl FromStr for CodeChallengeMethod {
    type Err = PkceError;

    /// Parses `"S256"` or `"plain"`, case-sensitively (RFC 7636 §4.3 and the IANA
    /// registry spell them exactly so).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "S256" => Ok(Self::S256),
            "plain" => Ok(Self::Plain),
            _ => Err(PkceError::UnsupportedMethod),
        }
    }
}

impl fmt::Display for CodeChallengeMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which challenge methods an authorization server accepts.
///
/// The default, [`PkcePolicy::S256_ONLY`], accepts only `S256`.
///
/// # Security
/// RFC 9700 §2.1.1: `S256` is the method to use; `plain` protects nothing if the
/// authorization request leaks. Set `allow_plain` (or use
/// [`PkcePolicy::ALLOW_PLAIN`]) only to serve legacy clients that cannot compute
/// SHA-256.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PkcePolicy {
    /// Accept `code_challenge_method=plain` (and an absent method, which means
    /// `plain`, RFC 7636 §4.3). Off by default.
    pub allow_plain: bool,
}

impl PkcePolicy {
    /// Only `S256` is accepted (the default).
    pub const S256_ONLY: Self = Self { allow_plain: false };
    /// `S256` and, for legacy clients, `plain`. See the `# Security` note on
    /// [`PkcePolicy`].
    pub const ALLOW_PLAIN: Self = Self { allow_plain: true };

    fn check_method(self, method: CodeChallengeMethod) -> Result<(), PkceError> {
        // RFC 9700 §2.1.1: S256 required; plain only where the server opted in.
        match method {
            CodeChallengeMethod::Plain if !self.allow_plain => Err(PkceError::PlainNotAllowed),
            _ => Ok(()),
        }
    }
}

/// Validates a `code_challenge` received at the authorization endpoint, before the
/// server stores it with the authorization code.
///
/// Pair: [`verify`] at the token endpoint.
///
/// # Errors
/// [`PkceError::PlainNotAllowed`] for `plain` unless `policy` allows it;
/// [`PkceError::InvalidChallenge`] unless the challenge is 43 base64url characters
/// (`S256`, RFC 7636 §4.2) or has verifier syntax (`plain`, where the challenge is
/// the verifier: RFC 7636 §4.2 and §4.1).
///
/// # Security
/// See [`PkcePolicy`] on `plain`.
pub fn check_challenge(
    code_challenge: &str,
    method: CodeChallengeMethod,
    policy: PkcePolicy,
) -> Result<(), PkceError> {
    policy.check_method(method)?;
    let ok = match method {
        // RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(...)) of a 32-octet digest: 43 chars.
        CodeChallengeMethod::S256 => {
            code_challenge.len() == S256_CHALLENGE_LEN && code_challenge.bytes().all(is_base64url)
        }
        // RFC 7636 §4.2: plain: code_challenge = code_verifier.
        CodeChallengeMethod::Plain => verifier_syntax_ok(code_challenge),
    };
    if ok {
        Ok(())
    } else {
        Err(PkceError::InvalidChallenge)
    }
}

/// Checks a `code_verifier` from a token request against the `code_challenge` and
/// method stored with the authorization code (RFC 7636 §4.6).
///
/// Checks, in order: the method against `policy`, the verifier's syntax, the
/// challenge's syntax, then the transformed verifier against the challenge in
/// constant time.
///
/// Pair: [`check_challenge`] at the authorization endpoint.
///
/// # Errors
/// - [`PkceError::PlainNotAllowed`]: `method` is `plain` and `policy` does not allow
///   it (RFC 9700 §2.1.1);
/// - [`PkceError::InvalidVerifier`]: the verifier is not 43 to 128 unreserved
///   characters (RFC 7636 §4.1);
/// - [`PkceError::InvalidChallenge`]: as for [`check_challenge`];
/// - [`PkceError::Mismatch`]: the values differ (RFC 7636 §4.6; render as
///   `invalid_grant`).
///
/// # Security
/// The default [`PkcePolicy`] accepts only `S256`; see its notes before allowing
/// `plain`.
pub fn verify(
    code_verifier: &str,
    code_challenge: &str,
    method: CodeChallengeMethod,
    policy: PkcePolicy,
) -> Result<(), PkceError> {
    policy.check_method(method)?;
    // RFC 7636 §4.1 / §4.6: a malformed verifier is rejected before any comparison.
    if !verifier_syntax_ok(code_verifier) {
        return Err(PkceError::InvalidVerifier);
    }
    check_challenge(code_challenge, method, policy)?;
    // RFC 7636 §4.6: compare the transformed verifier with the stored challenge.
    // Lengths are public (fixed for S256); contents are compared in constant time.
    let equal = match method {
        CodeChallengeMethod::S256 => {
            let computed = s256_of(code_verifier);
            computed.as_bytes().ct_eq(code_challenge.as_bytes())
        }
        CodeChallengeMethod::Plain => code_verifier.as_bytes().ct_eq(code_challenge.as_bytes()),
    };
    if bool::from(equal) {
        Ok(())
    } else {
        Err(PkceError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const B_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn fixed_rng(d: &mut [u8]) -> Result<(), RandomError> {
        if d.len() != B_OCTETS.len() {
            return Err(RandomError);
        }
        d.copy_from_slice(&B_OCTETS);
        Ok(())
    }

    /// xorshift64*: deterministic, good enough to exercise distributions.
    fn xorshift(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
        let mut x = seed;
        move |d: &mut [u8]| {
            for b in d.iter_mut() {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                *b = (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
            }
            Ok(())
        }
    }

    fn repeat(c: u8, n: usize) -> heapless::String<256> {
        let mut s = heapless::String::new();
        for _ in 0..n {
            s.push(char::from(c)).unwrap();
        }
        s
    }

    #[test]
    fn rfc7636_appendix_b() {
        let v = CodeVerifier::generate(&mut fixed_rng).unwrap();
        assert_eq!(v.as_str(), B_VERIFIER);
        let c = CodeChallenge::s256(&v);
        assert_eq!(c.as_str(), B_CHALLENGE);
        assert_eq!(c.method(), CodeChallengeMethod::S256);
        assert_eq!(c.method().as_str(), "S256");
        verify(
            B_VERIFIER,
            B_CHALLENGE,
            CodeChallengeMethod::S256,
            PkcePolicy::default(),
        )
        .unwrap();
        check_challenge(
            B_CHALLENGE,
            CodeChallengeMethod::S256,
            PkcePolicy::S256_ONLY,
        )
        .unwrap();
    }

    #[test]
    fn random_error_is_propagated() {
        let mut failing = |_: &mut [u8]| Err(RandomError);
        assert_eq!(
            CodeVerifier::generate(&mut failing).map(|_| ()),
            Err(RandomError)
        );
        assert_eq!(
            CodeVerifier::generate_with_len(&mut failing, 64).map(|_| ()),
            Err(PkceError::Random(RandomError))
        );
    }

    #[test]
    fn verifier_lengths() {
        for (n, ok) in [
            (0, false),
            (42, false),
            (43, true),
            (128, true),
            (129, false),
        ] {
            let s = repeat(b'a', n);
            assert_eq!(CodeVerifier::parse(&s).is_ok(), ok, "parse len {n}");
            assert_eq!(verifier_syntax_ok(&s), ok);
            let r = verify(&s, &s, CodeChallengeMethod::Plain, PkcePolicy::ALLOW_PLAIN);
            assert_eq!(
                r,
                if ok {
                    Ok(())
                } else {
                    Err(PkceError::InvalidVerifier)
                },
                "len {n}"
            );
            let mut rng = xorshift(n as u64 + 1);
            let g = CodeVerifier::generate_with_len(&mut rng, n);
            match g {
                Ok(v) => {
                    assert!(ok);
                    assert_eq!(v.as_str().len(), n);
                }
                Err(e) => {
                    assert!(!ok);
                    assert_eq!(e, PkceError::InvalidLength);
                }
            }
        }
    }

    #[test]
    fn every_unreserved_char_is_allowed() {
        assert_eq!(UNRESERVED.len(), 66);
        for &c in UNRESERVED {
            let s = repeat(c, 43);
            let v = CodeVerifier::parse(&s).unwrap();
            assert_eq!(v.as_str(), s.as_str());
            // and every verifier is S256-verifiable
            let ch = CodeChallenge::s256(&v);
            verify(
                &s,
                ch.as_str(),
                CodeChallengeMethod::S256,
                PkcePolicy::default(),
            )
            .unwrap();
        }
        // the whole alphabet in one verifier
        let all = core::str::from_utf8(UNRESERVED).unwrap();
        CodeVerifier::parse(all).unwrap();
        // and nothing else: every other byte is refused
        for b in 0u8..=255 {
            if UNRESERVED.contains(&b) {
                continue;
            }
            let mut s = repeat(b'a', 42);
            if b.is_ascii() {
                s.push(char::from(b)).unwrap();
                assert_eq!(
                    CodeVerifier::parse(&s).map(|_| ()),
                    Err(PkceError::InvalidVerifier)
                );
            }
        }
    }

    #[test]
    fn disallowed_chars() {
        let base = repeat(b'a', 43);
        for bad in ["+", "=", " ", "/", "%", "é", "\u{0}", "\n"] {
            let mut s: heapless::String<256> = heapless::String::new();
            s.push_str(&base).unwrap();
            s.push_str(bad).unwrap();
            assert_eq!(
                CodeVerifier::parse(&s).map(|_| ()),
                Err(PkceError::InvalidVerifier),
                "{bad:?}"
            );
            let ch = s256_of(&s);
            assert_eq!(
                verify(&s, &ch, CodeChallengeMethod::S256, PkcePolicy::default()),
                Err(PkceError::InvalidVerifier),
                "{bad:?}"
            );
        }
        // 42 ASCII chars + a 2-byte char = 44 bytes but only 43 chars: still refused.
        let mut s: heapless::String<256> = repeat(b'a', 42);
        s.push('é').unwrap();
        assert!(CodeVerifier::parse(&s).is_err());
    }

    #[test]
    fn plain_needs_opt_in() {
        assert_eq!(
            verify(
                B_VERIFIER,
                B_VERIFIER,
                CodeChallengeMethod::Plain,
                PkcePolicy::default()
            ),
            Err(PkceError::PlainNotAllowed)
        );
        assert_eq!(
            check_challenge(
                B_VERIFIER,
                CodeChallengeMethod::Plain,
                PkcePolicy::S256_ONLY
            ),
            Err(PkceError::PlainNotAllowed)
        );
        verify(
            B_VERIFIER,
            B_VERIFIER,
            CodeChallengeMethod::Plain,
            PkcePolicy::ALLOW_PLAIN,
        )
        .unwrap();
        let mut p = PkcePolicy::default();
        assert_eq!(p, PkcePolicy::S256_ONLY);
        p.allow_plain = true;
        assert_eq!(p, PkcePolicy::ALLOW_PLAIN);
        // RFC 7636 §4.3: absent method is plain, so refused by default too.
        let m = CodeChallengeMethod::from_param(None).unwrap();
        assert_eq!(m, CodeChallengeMethod::Plain);
        assert_eq!(
            verify(B_VERIFIER, B_VERIFIER, m, PkcePolicy::default()),
            Err(PkceError::PlainNotAllowed)
        );
        // plain mismatch
        let other = repeat(b'b', 43);
        assert_eq!(
            verify(
                B_VERIFIER,
                &other,
                CodeChallengeMethod::Plain,
                PkcePolicy::ALLOW_PLAIN
            ),
            Err(PkceError::Mismatch)
        );
        // plain challenge syntax is verifier syntax
        assert_eq!(
            verify(
                B_VERIFIER,
                "short",
                CodeChallengeMethod::Plain,
                PkcePolicy::ALLOW_PLAIN
            ),
            Err(PkceError::InvalidChallenge)
        );
    }

    #[test]
    fn mismatch_and_challenge_syntax() {
        let other = repeat(b'x', 43);
        assert_eq!(
            verify(
                &other,
                B_CHALLENGE,
                CodeChallengeMethod::S256,
                PkcePolicy::default()
            ),
            Err(PkceError::Mismatch)
        );
        // S256 with the verifier itself as challenge (a downgrade attempt) fails.
        assert_eq!(
            verify(
                B_VERIFIER,
                B_VERIFIER,
                CodeChallengeMethod::S256,
                PkcePolicy::ALLOW_PLAIN
            ),
            Err(PkceError::Mismatch)
        );
        // one character changed
        let mut c: heapless::String<64> = heapless::String::try_from(B_CHALLENGE).unwrap();
        c.pop();
        c.push('N').unwrap();
        assert_eq!(
            verify(
                B_VERIFIER,
                &c,
                CodeChallengeMethod::S256,
                PkcePolicy::default()
            ),
            Err(PkceError::Mismatch)
        );
        for bad in [
            "",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", // 42
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=", // padding
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", // standard alphabet
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw.cM", // unreserved, not base64url
        ] {
            assert_eq!(
                verify(
                    B_VERIFIER,
                    bad,
                    CodeChallengeMethod::S256,
                    PkcePolicy::default()
                ),
                Err(PkceError::InvalidChallenge),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn generated_chars_cover_the_set_and_nothing_else() {
        let mut rng = xorshift(0x9E37_79B9_7F4A_7C15);
        let mut seen = [0u32; 66];
        for _ in 0..200 {
            let v = CodeVerifier::generate_with_len(&mut rng, 128).unwrap();
            assert_eq!(v.as_str().len(), 128);
            CodeVerifier::parse(v.as_str()).unwrap();
            for b in v.as_str().bytes() {
                let i = UNRESERVED.iter().position(|&c| c == b).unwrap();
                seen[i] += 1;
            }
        }
        // 25,600 draws, ~388 expected per char: every char appears, none wildly off.
        for (i, &n) in seen.iter().enumerate() {
            assert!(
                (250..550).contains(&n),
                "char {} seen {n} times",
                UNRESERVED[i] as char
            );
        }
    }

    #[test]
    fn rejection_sampling_has_no_modulo_bias() {
        // Every character has exactly 3 of the 256 byte values; the other 58 are rejected.
        let mut seen = [0u32; 66];
        let mut rejected = 0;
        for b in 0u8..=255 {
            match unreserved_from_byte(b) {
                Some(c) => seen[UNRESERVED.iter().position(|&u| u == c).unwrap()] += 1,
                None => rejected += 1,
            }
        }
        assert!(seen.iter().all(|&n| n == 3), "{seen:?}");
        assert_eq!(rejected, 256 - 198);
        // A source yielding 0..=197 in order produces the alphabet three times over.
        let mut next = 0u8;
        let mut rng = |d: &mut [u8]| {
            for b in d.iter_mut() {
                *b = next;
                next = if next == 197 { 0 } else { next + 1 };
            }
            Ok(())
        };
        let v = CodeVerifier::generate_with_len(&mut rng, 128).unwrap();
        let expect = UNRESERVED.iter().chain(UNRESERVED.iter()).take(128);
        assert!(v.as_str().bytes().eq(expect.copied()));
    }

    #[test]
    fn stuck_source_is_an_error_not_a_hang() {
        let mut stuck = |d: &mut [u8]| {
            d.fill(0xFF);
            Ok(())
        };
        assert_eq!(
            CodeVerifier::generate_with_len(&mut stuck, 43).map(|_| ()),
            Err(PkceError::Random(RandomError))
        );
    }

    #[test]
    fn method_names() {
        assert_eq!("S256".parse(), Ok(CodeChallengeMethod::S256));
        assert_eq!("plain".parse(), Ok(CodeChallengeMethod::Plain));
        for bad in ["s256", "PLAIN", "", "S512", " S256"] {
            assert_eq!(
                bad.parse::<CodeChallengeMethod>(),
                Err(PkceError::UnsupportedMethod)
            );
            assert_eq!(
                CodeChallengeMethod::from_param(Some(bad)),
                Err(PkceError::UnsupportedMethod)
            );
        }
        assert_eq!(
            CodeChallengeMethod::from_param(Some("S256")),
            Ok(CodeChallengeMethod::S256)
        );
        assert_eq!(CodeChallengeMethod::Plain.as_str(), "plain");
    }

    #[test]
    fn debug_does_not_print_the_verifier() {
        use core::fmt::Write as _;
        let v = CodeVerifier::parse(B_VERIFIER).unwrap();
        let mut out: heapless::String<64> = heapless::String::new();
        write!(out, "{v:?}").unwrap();
        assert_eq!(out, "CodeVerifier(..)");
        let mut out: heapless::String<128> = heapless::String::new();
        write!(out, "{}", PkceError::Mismatch).unwrap();
        assert!(!out.contains(B_VERIFIER));
    }

    #[test]
    fn encode_32_is_always_43_chars() {
        let mut rng = xorshift(7);
        for _ in 0..256 {
            let mut b = [0u8; 32];
            rng(&mut b).unwrap();
            let e = encode_32(&b);
            assert_eq!(e.len(), 43);
            assert!(e.bytes().all(is_base64url));
        }
    }
}
