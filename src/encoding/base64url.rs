//! Strict base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2).
//!
//! Strict means: only the URL-safe alphabet, no `=` padding, no whitespace, and no
//! non-canonical trailing bits (the unused low bits of the last character must be
//! zero), so each byte string has exactly one encoding.
//!
//! Two decoders, chosen by what is decoded:
//! - [`decode_secret`] runs in constant time (base64ct) and is for secrets: keys,
//!   client secrets, PKCE verifiers.
//! - [`decode_public`] is fast (SIMD, the `base64-simd` crate) and is for public
//!   data such as token segments, where constant time buys nothing and base64ct
//!   costs more than the MAC (DESIGN §5). On targets without SIMD (SSE2, NEON or
//!   wasm `simd128`), such as Cortex-M microcontrollers, it is base64ct as well:
//!   base64-simd's scalar fallback saves little time there and costs ~0.6 KB of
//!   flash next to base64ct, which is linked anyway. Both decode exactly the same
//!   strict language (checked by the differential test below).

use base64ct::Encoding as _;
use core::fmt;

/// Why a base64url input or output was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Error {
    /// A character outside the base64url alphabet, padding, an impossible length,
    /// or non-zero trailing bits (RFC 4648 §3.5: canonical encoding required).
    InvalidEncoding,
    /// The output buffer cannot hold the result.
    BufferTooSmall,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidEncoding => "invalid base64url (RFC 4648 §5, unpadded, canonical)",
            Self::BufferTooSmall => "base64url output buffer too small",
        })
    }
}

impl core::error::Error for Base64Error {}

/// The exact decoded length of an unpadded base64url string of `encoded_len`
/// characters, or `None` for a length no valid encoding has (`len % 4 == 1`).
#[must_use]
pub const fn decoded_len(encoded_len: usize) -> Option<usize> {
    let full = (encoded_len / 4) * 3;
    match encoded_len % 4 {
        0 => Some(full),
        2 => Some(full + 1),
        3 => Some(full + 2),
        _ => None,
    }
}

/// The length of the unpadded base64url encoding of `len` bytes.
#[must_use]
pub const fn encoded_len(len: usize) -> usize {
    let full = (len / 3) * 4;
    match len % 3 {
        0 => full,
        1 => full + 2,
        _ => full + 3,
    }
}

/// Decodes a secret in constant time (base64ct).
///
/// # Errors
/// [`Base64Error::InvalidEncoding`] for anything but strict unpadded base64url;
/// [`Base64Error::BufferTooSmall`] when `out` is shorter than [`decoded_len`].
pub fn decode_secret<'o>(input: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], Base64Error> {
    let need = decoded_len(input.len()).ok_or(Base64Error::InvalidEncoding)?;
    if out.len() < need {
        return Err(Base64Error::BufferTooSmall);
    }
    base64ct::Base64UrlUnpadded::decode(input, out).map_err(|_| Base64Error::InvalidEncoding)
}

/// Decodes public data (token segments) with a fast, strict decoder.
///
/// # Errors
/// As [`decode_secret`].
pub fn decode_public<'o>(input: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], Base64Error> {
    let need = decoded_len(input.len()).ok_or(Base64Error::InvalidEncoding)?;
    let out = out.get_mut(..need).ok_or(Base64Error::BufferTooSmall)?;
    // RFC 4648 §3.5: the unused low bits of the last character must be zero. Checked
    // here explicitly rather than trusting the decoder's configuration.
    if !canonical_tail(input) {
        return Err(Base64Error::InvalidEncoding);
    }
    #[cfg(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    ))]
    let decoded = base64_simd::URL_SAFE_NO_PAD
        .decode(input, base64_simd::Out::from_slice(out))
        .map_err(|_| Base64Error::InvalidEncoding)?;
    #[cfg(not(any(
        target_feature = "sse2",
        target_feature = "neon",
        target_feature = "simd128"
    )))]
    let decoded = base64ct::Base64UrlUnpadded::decode(input, out)
        .map_err(|_| Base64Error::InvalidEncoding)?;
    if decoded.len() != need {
        return Err(Base64Error::InvalidEncoding);
    }
    Ok(decoded)
}

/// Whether the last character of an unpadded encoding leaves its unused bits zero
/// (2 characters carry 12 bits for 8: 4 unused; 3 carry 18 for 16: 2 unused).
fn canonical_tail(input: &[u8]) -> bool {
    let unused_mask = match input.len() % 4 {
        2 => 0b1111,
        3 => 0b11,
        _ => return true,
    };
    let value = match input.last() {
        Some(&c @ b'A'..=b'Z') => c - b'A',
        Some(&c @ b'a'..=b'z') => c - b'a' + 26,
        Some(&c @ b'0'..=b'9') => c - b'0' + 52,
        Some(b'-') => 62,
        Some(b'_') => 63,
        // Not in the alphabet: the decoder rejects it.
        _ => return true,
    };
    value & unused_mask == 0
}

/// Encodes `input` into `out`, returning the encoded text.
///
/// # Errors
/// [`Base64Error::BufferTooSmall`] when `out` is shorter than [`encoded_len`].
pub fn encode<'o>(input: &[u8], out: &'o mut [u8]) -> Result<&'o str, Base64Error> {
    base64ct::Base64UrlUnpadded::encode(input, out).map_err(|_| Base64Error::BufferTooSmall)
}

/// Encodes `input` as a new string.
#[cfg(feature = "alloc")]
#[must_use]
pub fn encode_string(input: &[u8]) -> alloc::string::String {
    base64ct::Base64UrlUnpadded::encode_string(input)
}

/// Appends the encoding of `input` to `out`.
#[cfg(feature = "alloc")]
pub fn encode_into_string(input: &[u8], out: &mut alloc::string::String) {
    base64_simd::URL_SAFE_NO_PAD.encode_append(input, out);
}

/// Decodes a secret in constant time into a new vector.
///
/// # Errors
/// [`Base64Error::InvalidEncoding`] as for [`decode_secret`].
#[cfg(feature = "alloc")]
pub fn decode_secret_vec(input: &[u8]) -> Result<alloc::vec::Vec<u8>, Base64Error> {
    let mut v = alloc::vec![0u8; decoded_len(input.len()).ok_or(Base64Error::InvalidEncoding)?];
    let n = decode_secret(input, &mut v)?.len();
    v.truncate(n);
    Ok(v)
}

/// Decodes public data into a new vector.
///
/// # Errors
/// [`Base64Error::InvalidEncoding`] as for [`decode_public`].
#[cfg(feature = "alloc")]
pub fn decode_public_vec(input: &[u8]) -> Result<alloc::vec::Vec<u8>, Base64Error> {
    let mut v = alloc::vec![0u8; decoded_len(input.len()).ok_or(Base64Error::InvalidEncoding)?];
    let n = decode_public(input, &mut v)?.len();
    v.truncate(n);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(input: &str) -> [Result<([u8; 64], usize), Base64Error>; 2] {
        let run = |f: fn(&[u8], &mut [u8]) -> Result<usize, Base64Error>| {
            let mut out = [0u8; 64];
            f(input.as_bytes(), &mut out).map(|n| (out, n))
        };
        [
            run(|i, o| decode_secret(i, o).map(<[u8]>::len)),
            run(|i, o| decode_public(i, o).map(<[u8]>::len)),
        ]
    }

    #[test]
    fn rfc4648_test_vectors_without_padding() {
        // RFC 4648 §10, padding removed.
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            for r in both(enc) {
                let (buf, n) = r.unwrap();
                assert_eq!(&buf[..n], plain.as_bytes(), "{enc}");
            }
            let mut out = [0u8; 16];
            assert_eq!(encode(plain.as_bytes(), &mut out).unwrap(), enc);
            assert_eq!(encoded_len(plain.len()), enc.len());
        }
    }

    #[test]
    fn strictness_is_the_same_for_both_decoders() {
        for bad in [
            "Zg==",  // padding
            "Zh",    // non-canonical trailing bits ('h' leaves bits set)
            "Zm9",   // 3 chars carry 18 bits: the 2 unused bits are 01, non-canonical
            "Z",     // impossible length
            "Zm+v",  // '+' is base64, not base64url
            "Zm/v",  // '/'
            "Zm 9v", // whitespace
            "Zm9v\n", "Zm9v.",
        ] {
            for r in both(bad) {
                assert_eq!(
                    r.map(|(_, n)| n),
                    Err(Base64Error::InvalidEncoding),
                    "{bad:?}"
                );
            }
        }
        // url-safe characters decode
        for r in both("-_-_") {
            let (buf, n) = r.unwrap();
            assert_eq!(&buf[..n], &[0xfb, 0xff, 0xbf]);
        }
    }

    /// Differential: the fast decoder (base64-simd) and the constant-time one
    /// (base64ct) agree on every input, valid or not: same bytes or both errors.
    #[test]
    fn fast_and_constant_time_decoders_agree() {
        const ALPHABET: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. \n\x00\xff";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut agreed_ok, mut agreed_err) = (0, 0);
        for _ in 0..200_000 {
            let len = (next() % 70) as usize;
            let mut input = [0u8; 70];
            for b in input.iter_mut().take(len) {
                // mostly valid characters, sometimes not
                let r = next();
                *b = if r % 16 == 0 {
                    ALPHABET[(r as usize >> 8) % ALPHABET.len()]
                } else {
                    ALPHABET[(r as usize >> 8) % 64]
                };
            }
            let input = &input[..len];
            let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
            let fast = decode_public(input, &mut a).map(|d| (d.len(), *d.first().unwrap_or(&0)));
            let ct = decode_secret(input, &mut b).map(|d| (d.len(), *d.first().unwrap_or(&0)));
            assert_eq!(fast, ct, "{:?}", core::str::from_utf8(input));
            // base64ct writes its output before rejecting, so compare bytes only on success.
            if fast.is_ok() {
                assert_eq!(
                    a,
                    b,
                    "decoded bytes differ: {:?}",
                    core::str::from_utf8(input)
                );
            }
            if fast.is_ok() {
                agreed_ok += 1
            } else {
                agreed_err += 1
            }
        }
        // both outcomes were exercised
        assert!(
            agreed_ok > 10_000 && agreed_err > 10_000,
            "{agreed_ok} {agreed_err}"
        );
    }

    #[test]
    fn small_buffers_are_errors_not_panics() {
        let mut out = [0u8; 2];
        assert_eq!(
            decode_secret(b"Zm9v", &mut out),
            Err(Base64Error::BufferTooSmall)
        );
        assert_eq!(
            decode_public(b"Zm9v", &mut out),
            Err(Base64Error::BufferTooSmall)
        );
        assert_eq!(encode(b"foo", &mut out), Err(Base64Error::BufferTooSmall));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn vec_helpers_round_trip() {
        let data: alloc::vec::Vec<u8> = (0u8..=255).collect();
        let enc = encode_string(&data);
        assert_eq!(decode_secret_vec(enc.as_bytes()).unwrap(), data);
        assert_eq!(decode_public_vec(enc.as_bytes()).unwrap(), data);
        let mut s = alloc::string::String::new();
        encode_into_string(&data, &mut s);
        assert_eq!(s, enc);
    }
}
