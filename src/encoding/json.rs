//! A strict, zero-copy, allocation-free JSON scanner (RFC 8259) for the core tier.
//!
//! It reads JWS protected headers, JWT claims sets and JWKs without a heap: one pass over the input
//! validates the whole document and hands back borrowed views ([`JsonStr`], [`JsonNumber`],
//! [`JsonObject`], [`JsonArray`]) into it. Strings keep their escapes; they are decoded lazily
//! ([`JsonStr::eq_str`], [`JsonStr::chars`], [`JsonStr::unescape_into`]) and only when present.
//!
//! What the validator enforces, at every nesting level:
//! - the RFC 8259 grammar exactly (whitespace, literals, numbers, strings and escapes);
//! - well-formed UTF-8 and correctly paired `\u` surrogate escapes;
//! - a nesting limit and a limit on the number of member names open at once ([`Limits`]);
//! - unique member names in every object, compared after unescaping (RFC 7515 §5.2 and
//!   RFC 7519 §4 require JOSE headers and claims sets to be rejected, or read with "last wins",
//!   when names repeat; we reject);
//! - a top-level object with nothing but whitespace around it.
//!
//! The scanner never recurses (an explicit stack of at most [`MAX_DEPTH`] bytes tracks nesting),
//! never allocates, never panics and uses no `unsafe`.

use core::cmp::Ordering;
use core::fmt;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// The kind of problem found in a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The input ended before the document (or a token in it) was complete.
    UnexpectedEnd,
    /// A byte that the grammar does not allow at this position.
    UnexpectedByte,
    /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX` (RFC 8259 §7).
    InvalidEscape,
    /// A string is not well-formed UTF-8 (RFC 8259 §8.1).
    InvalidUtf8,
    /// A `\u` escape of a UTF-16 surrogate that is not part of a high/low pair (RFC 8259 §7, §8.2).
    LoneSurrogate,
    /// An unescaped control character (U+0000 to U+001F) inside a string (RFC 8259 §7).
    ControlCharacter,
    /// A number that does not match the RFC 8259 §6 grammar, or whose magnitude overflows an
    /// IEEE 754 double (RFC 8259 §6 lets implementations limit the range of numbers).
    InvalidNumber,
    /// Arrays and objects nest deeper than [`Limits::max_depth`].
    TooDeep,
    /// More member names are open at once than [`Limits::max_open_members`] allows.
    TooManyMembers,
    /// An object repeats a member name (compared after unescaping).
    DuplicateMember,
    /// Something other than whitespace follows the top-level object.
    TrailingData,
    /// The top-level value is valid JSON but not an object.
    NotAnObject,
    /// A buffer is too small: the output of [`JsonStr::unescape_into`] (then `offset` is the number
    /// of bytes needed), or the scanner's 32-bit offset table for an input longer than
    /// `u32::MAX` bytes (then `offset` is `u32::MAX`).
    BufferTooSmall,
}

impl JsonErrorKind {
    /// A short lowercase description.
    const fn message(self) -> &'static str {
        match self {
            Self::UnexpectedEnd => "unexpected end of input",
            Self::UnexpectedByte => "unexpected byte",
            Self::InvalidEscape => "invalid escape sequence",
            Self::InvalidUtf8 => "invalid utf-8",
            Self::LoneSurrogate => "unpaired utf-16 surrogate escape",
            Self::ControlCharacter => "unescaped control character in string",
            Self::InvalidNumber => "invalid number",
            Self::TooDeep => "nesting too deep",
            Self::TooManyMembers => "too many object members",
            Self::DuplicateMember => "duplicate member",
            Self::TrailingData => "trailing data after the object",
            Self::NotAnObject => "top-level value is not an object",
            Self::BufferTooSmall => "buffer too small",
        }
    }
}

/// A JSON scanning error: what went wrong and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// Byte index in the input where the problem was found (for escapes: the index of the
    /// backslash that starts the escape; for member names: the index of the opening quote).
    /// See [`JsonErrorKind::BufferTooSmall`] for its one exception.
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "json: {} at byte {}", self.kind.message(), self.offset)
    }
}

impl core::error::Error for JsonError {}

/// Shorthand constructor.
#[inline(always)]
const fn err(kind: JsonErrorKind, offset: usize) -> JsonError {
    JsonError { kind, offset }
}

/// `UnexpectedEnd` when `b` is `None` (input exhausted), `UnexpectedByte` otherwise.
#[inline]
const fn unexpected(b: Option<u8>, offset: usize) -> JsonError {
    match b {
        None => err(JsonErrorKind::UnexpectedEnd, offset),
        Some(_) => err(JsonErrorKind::UnexpectedByte, offset),
    }
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

/// Hard capacity of the scanner's member-name table; [`Limits::max_open_members`] is capped at it.
pub const MAX_OPEN_MEMBERS: usize = 128;

/// Hard capacity of the scanner's nesting stack; [`Limits::max_depth`] is capped at it.
pub const MAX_DEPTH: usize = 128;

// The nesting stack stores table lengths in a `u8`, with `u8::MAX` marking an array.
const _: () = assert!(MAX_OPEN_MEMBERS < u8::MAX as usize);

/// Resource limits applied while scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of arrays and objects allowed; the top-level object is depth 1.
    /// Capped at [`MAX_DEPTH`].
    pub max_depth: usize,
    /// Most member names that may be open at once: the members seen so far of every object that
    /// has not yet been closed (all of the top-level object's members count until the end).
    /// Capped at [`MAX_OPEN_MEMBERS`].
    pub max_open_members: usize,
}

impl Default for Limits {
    /// `max_depth` 16, `max_open_members` 128.
    fn default() -> Self {
        Self {
            max_depth: 16,
            max_open_members: MAX_OPEN_MEMBERS,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/// A validated JSON string: the raw bytes between the quotes, escapes not yet decoded.
///
/// The derived `PartialEq` compares the RAW bytes, so `"a"` and `"\u0061"` are not `==`; use
/// [`JsonStr::eq_str`] or [`JsonStr::same_value`] to compare decoded values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonStr<'a> {
    raw: &'a [u8],
    escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// The raw bytes between the quotes, escapes included.
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether the raw text contains at least one backslash escape.
    #[inline]
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The value as a borrowed `&str`, zero-copy; `None` when it contains escapes (decode those
    /// with [`JsonStr::chars`], [`JsonStr::unescape_into`] or `to_cow`).
    #[inline]
    pub fn as_str(&self) -> Option<&'a str> {
        if self.escaped {
            None
        } else {
            core::str::from_utf8(self.raw).ok()
        }
    }

    /// Whether the decoded value equals `s`. No allocation; a plain byte compare when there are no
    /// escapes.
    #[inline]
    pub fn eq_str(&self, s: &str) -> bool {
        if !self.escaped {
            self.raw == s.as_bytes()
        } else if s.len() >= self.raw.len() {
            // Every escape is longer than what it decodes to.
            false
        } else {
            self.unescaped_bytes().eq(s.bytes())
        }
    }

    /// Whether two strings have the same decoded value (`"a"` and `"\u0061"` do).
    #[inline]
    pub fn same_value(&self, other: &JsonStr<'_>) -> bool {
        if !self.escaped && !other.escaped {
            self.raw == other.raw
        } else {
            self.unescaped_bytes().eq(other.unescaped_bytes())
        }
    }

    /// The decoded characters.
    pub fn chars(&self) -> impl Iterator<Item = char> + use<'a> {
        Chars {
            seg: "".chars(),
            rest: self.raw,
        }
    }

    /// Decodes the value into `out` and returns it as a `&str`.
    ///
    /// Fails with [`JsonErrorKind::BufferTooSmall`] (whose `offset` is then the number of bytes
    /// needed, [`JsonStr::unescaped_len`]) when it does not fit.
    pub fn unescape_into<'o>(&self, out: &'o mut [u8]) -> Result<&'o str, JsonError> {
        let too_small = || err(JsonErrorKind::BufferTooSmall, self.unescaped_len());
        let mut n = 0usize;
        let mut ok = true;
        for_each_piece(self.raw, |piece| {
            let bytes: &[u8] = match &piece {
                Piece::Text(t) => t,
                Piece::Char(buf, len) => buf.get(..usize::from(*len)).unwrap_or(&[]),
            };
            let end = n.checked_add(bytes.len());
            match end.and_then(|end| out.get_mut(n..end)) {
                Some(dst) => {
                    dst.copy_from_slice(bytes);
                    n += bytes.len();
                    true
                }
                None => {
                    ok = false;
                    false
                }
            }
        });
        if !ok {
            return Err(too_small());
        }
        let out: &'o [u8] = out;
        core::str::from_utf8(out.get(..n).unwrap_or(&[]))
            .map_err(|e| err(JsonErrorKind::InvalidUtf8, e.valid_up_to()))
    }

    /// Length in bytes of the decoded (UTF-8) value.
    pub fn unescaped_len(&self) -> usize {
        if !self.escaped {
            return self.raw.len();
        }
        let mut n = 0usize;
        for_each_piece(self.raw, |piece| {
            n = n.saturating_add(match piece {
                Piece::Text(t) => t.len(),
                Piece::Char(_, len) => usize::from(len),
            });
            true
        });
        n
    }

    /// The decoded value as a `Cow`: borrowed when there are no escapes, owned otherwise.
    #[cfg(feature = "alloc")]
    pub fn to_cow(&self) -> alloc::borrow::Cow<'a, str> {
        match self.as_str() {
            Some(s) => alloc::borrow::Cow::Borrowed(s),
            None => alloc::borrow::Cow::Owned(self.chars().collect()),
        }
    }

    /// Order of the decoded value relative to `s`, byte-wise over UTF-8 (which is also code point
    /// order), e.g. for a binary search by `kid`.
    #[inline]
    pub fn cmp_str(&self, s: &str) -> Ordering {
        if self.escaped {
            self.unescaped_bytes().cmp(s.bytes())
        } else {
            self.raw.cmp(s.as_bytes())
        }
    }

    /// The decoded value as UTF-8 bytes.
    #[inline]
    fn unescaped_bytes(&self) -> Unescaped<'a> {
        Unescaped {
            raw: self.raw,
            pos: 0,
            buf: [0; 4],
            buf_pos: 0,
            buf_len: 0,
        }
    }
}

/// A decoded piece of a string: a run of raw text without escapes, or one escaped char
/// (UTF-8 bytes and their count).
enum Piece<'a> {
    Text(&'a [u8]),
    Char([u8; 4], u8),
}

/// Calls `f` on the pieces of a validated raw string until it returns `false` or the input ends
/// (or an invalid escape is met, which validated input never has).
fn for_each_piece<'a>(raw: &'a [u8], mut f: impl FnMut(Piece<'a>) -> bool) {
    let mut rest = raw;
    while !rest.is_empty() {
        let k = rest.iter().position(|&b| b == b'\\').unwrap_or(rest.len());
        if k > 0 {
            let Some((text, tail)) = rest.split_at_checked(k) else {
                return;
            };
            if !f(Piece::Text(text)) {
                return;
            }
            rest = tail;
            continue;
        }
        let Some((c, used)) = decode_escape(rest) else {
            return;
        };
        let mut buf = [0u8; 4];
        let len = c.encode_utf8(&mut buf).len();
        if !f(Piece::Char(buf, len as u8)) {
            return;
        }
        rest = rest.get(used..).unwrap_or(&[]);
    }
}

/// The decoded UTF-8 bytes of a validated raw string.
#[derive(Clone)]
struct Unescaped<'a> {
    raw: &'a [u8],
    pos: usize,
    buf: [u8; 4],
    buf_pos: u8,
    buf_len: u8,
}

impl Iterator for Unescaped<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.buf_pos < self.buf_len {
            let b = self.buf.get(usize::from(self.buf_pos)).copied();
            self.buf_pos += 1;
            return b;
        }
        let b = *self.raw.get(self.pos)?;
        if b != b'\\' {
            self.pos += 1;
            return Some(b);
        }
        let decoded = self.raw.get(self.pos..).and_then(decode_escape);
        let Some((c, used)) = decoded else {
            self.pos = self.raw.len();
            return None;
        };
        self.pos = self.pos.saturating_add(used);
        self.buf_len = c.encode_utf8(&mut self.buf).len() as u8;
        self.buf_pos = 1;
        self.buf.first().copied()
    }
}

/// The decoded chars of a validated raw string.
struct Chars<'a> {
    /// Chars of the current run without escapes.
    seg: core::str::Chars<'a>,
    /// Raw bytes after `seg`.
    rest: &'a [u8],
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.seg.next() {
            return Some(c);
        }
        if *self.rest.first()? == b'\\' {
            let Some((c, used)) = decode_escape(self.rest) else {
                self.rest = &[];
                return None;
            };
            self.rest = self.rest.get(used..).unwrap_or(&[]);
            return Some(c);
        }
        let k = self
            .rest
            .iter()
            .position(|&b| b == b'\\')
            .unwrap_or(self.rest.len());
        let (text, tail) = self.rest.split_at_checked(k).unwrap_or((&[], &[]));
        self.rest = tail;
        match core::str::from_utf8(text) {
            Ok(s) => {
                self.seg = s.chars();
                self.seg.next()
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}

/// Value of one hex digit.
#[inline]
const fn hex_val(d: u8) -> Option<u32> {
    match d {
        b'0'..=b'9' => Some((d - b'0') as u32),
        b'a'..=b'f' => Some((d - b'a' + 10) as u32),
        b'A'..=b'F' => Some((d - b'A' + 10) as u32),
        _ => None,
    }
}

/// Four hex digits at `s[i..i + 4]`.
#[inline]
fn hex4(s: &[u8], i: usize) -> Option<u32> {
    let digits = s.get(i..i.checked_add(4)?)?;
    digits
        .iter()
        .try_fold(0u32, |acc, &d| Some((acc << 4) | hex_val(d)?))
}

/// Decodes the escape at the start of `s` (which begins with a backslash) of an already validated
/// string: the char and the number of raw bytes it used. `None` if it is not a valid escape.
fn decode_escape(s: &[u8]) -> Option<(char, usize)> {
    let c = match *s.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(s, 2)?;
            if !(0xD800..0xDC00).contains(&hi) {
                // A lone low surrogate is not a char: `from_u32` refuses it.
                return Some((char::from_u32(hi)?, 6));
            }
            // RFC 8259 §7: a character outside the BMP is a UTF-16 surrogate pair of escapes.
            if s.get(6..8)? != b"\\u" {
                return None;
            }
            let lo = hex4(s, 8)?;
            if !(0xDC00..0xE000).contains(&lo) {
                return None;
            }
            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            return Some((char::from_u32(cp)?, 12));
        }
        _ => return None,
    };
    Some((c, 2))
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// A JSON value borrowed from validated input.
#[derive(Debug, Clone, Copy)]
pub enum JsonValue<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its text.
    Number(JsonNumber<'a>),
    /// A string, kept as its raw (escaped) text.
    String(JsonStr<'a>),
    /// An array, kept as its raw text.
    Array(JsonArray<'a>),
    /// An object, kept as its raw text.
    Object(JsonObject<'a>),
}

impl<'a> JsonValue<'a> {
    /// The string, if this is one.
    #[inline]
    pub fn as_str(&self) -> Option<JsonStr<'a>> {
        match self {
            Self::String(s) => Some(*s),
            _ => None,
        }
    }

    /// The object, if this is one.
    #[inline]
    pub fn as_object(&self) -> Option<JsonObject<'a>> {
        match self {
            Self::Object(o) => Some(*o),
            _ => None,
        }
    }

    /// The array, if this is one.
    #[inline]
    pub fn as_array(&self) -> Option<JsonArray<'a>> {
        match self {
            Self::Array(a) => Some(*a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    #[inline]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    #[inline]
    pub fn as_number(&self) -> Option<JsonNumber<'a>> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is `null`.
    #[inline]
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The JSON type's name: `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"` or
    /// `"object"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::Array(_) => "array",
            Self::Object(_) => "object",
        }
    }
}

/// A number as its grammar-validated text (RFC 8259 §6).
#[derive(Debug, Clone, Copy)]
pub struct JsonNumber<'a> {
    raw: &'a [u8],
}

impl<'a> JsonNumber<'a> {
    /// The number's text, e.g. `-1.5e3`.
    #[inline]
    pub fn raw(&self) -> &'a str {
        core::str::from_utf8(self.raw).unwrap_or("")
    }

    /// The value as a `u64`: only for integers written without fraction or exponent that fit
    /// (`-0` gives `Some(0)`, any other negative number `None`).
    pub fn as_u64(&self) -> Option<u64> {
        match self.raw {
            [b'-', b'0'] => Some(0),
            [b'-', ..] => None,
            digits => parse_digits(digits),
        }
    }

    /// The value as an `i64`: only for integers written without fraction or exponent that fit.
    pub fn as_i64(&self) -> Option<i64> {
        match self.raw {
            [b'-', digits @ ..] => {
                if digits.is_empty() {
                    return None;
                }
                digits.iter().try_fold(0i64, |acc, &d| {
                    let v = i64::from(d.checked_sub(b'0').filter(|v| *v <= 9)?);
                    acc.checked_mul(10)?.checked_sub(v)
                })
            }
            digits => i64::try_from(parse_digits(digits)?).ok(),
        }
    }

    /// The value as an `f64` (core's `str::parse`), only if finite.
    pub fn as_f64(&self) -> Option<f64> {
        self.raw().parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// Whether the number is written without fraction and exponent (so `1e5` is not).
    pub fn is_integer(&self) -> bool {
        !self.raw.is_empty() && !self.raw.iter().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The number's exact decimal value, for comparisons without floating point.
    pub(crate) fn decimal(&self) -> Decimal<'a> {
        Decimal::new(self.raw)
    }
}

/// The exact value of a grammar-valid JSON number (RFC 8259 §6), read without floating
/// point: its sign, its significant digits and where the decimal point goes. Range checks
/// compare it digit by digit with a threshold, so they give exactly what a correctly
/// rounded `f64` parse followed by a range check would, without linking float parsing
/// (~17 KB of flash on a Cortex-M4: core's `dec2flt` tables and soft-float routines).
#[derive(Clone, Copy)]
pub(crate) struct Decimal<'a> {
    negative: bool,
    /// The integer-part digits.
    int: &'a [u8],
    /// The fraction digits (empty without a fraction).
    frac: &'a [u8],
    /// The written exponent, saturated to +-2^40 (any more is out of every range here).
    exp: i64,
}

impl<'a> Decimal<'a> {
    /// Splits `raw`, which must match the RFC 8259 number grammar.
    fn new(raw: &'a [u8]) -> Self {
        let (negative, rest) = match raw {
            [b'-', rest @ ..] => (true, rest),
            rest => (false, rest),
        };
        let mantissa_end = rest
            .iter()
            .position(|b| matches!(b, b'e' | b'E'))
            .unwrap_or(rest.len());
        let (mantissa, exp_text) = rest.split_at(mantissa_end);
        let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
            Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
            None => (mantissa, &[][..]),
        };
        let (exp_negative, exp_digits) = match exp_text.get(1..).unwrap_or(&[]) {
            [b'-', d @ ..] => (true, d),
            [b'+', d @ ..] => (false, d),
            d => (false, d),
        };
        const CAP: i64 = 1 << 40;
        let exp = exp_digits.iter().fold(0i64, |acc, &d| {
            (acc * 10 + i64::from(d.wrapping_sub(b'0'))).min(CAP)
        });
        Self {
            negative,
            int,
            frac,
            exp: if exp_negative { -exp } else { exp },
        }
    }

    /// Whether the value is below zero (`-0` and `-0.0` are not).
    pub(crate) fn is_negative(&self) -> bool {
        self.negative && self.digits().next().is_some()
    }

    /// The significant digits (`0`-`9` values), leading zeros skipped; trailing zeros may
    /// follow.
    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.int
            .iter()
            .chain(self.frac)
            .map(|d| d.wrapping_sub(b'0'))
            .skip_while(|&d| d == 0)
    }

    /// `p` such that the magnitude is `0.d1d2d3... * 10^p` with `d1` the first significant
    /// digit (meaningless when the value is zero).
    fn point(&self) -> i64 {
        let leading_zeros = self
            .int
            .iter()
            .chain(self.frac)
            .take_while(|&&d| d == b'0')
            .count();
        let sat = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        sat(self.int.len())
            .saturating_sub(sat(leading_zeros))
            .saturating_add(self.exp)
    }

    /// Compares the magnitude with `0.t1t2t3... * 10^point`, where `threshold` holds the
    /// digits `t1t2t3...` (`t1` not zero).
    pub(crate) fn cmp_magnitude(&self, threshold: &PackedDigits, point: i64) -> Ordering {
        let mut ours = self.digits().peekable();
        if ours.peek().is_none() {
            return Ordering::Less;
        }
        match self.point().cmp(&point) {
            Ordering::Equal => {}
            other => return other,
        }
        let mut theirs = threshold.digits();
        loop {
            match (ours.next(), theirs.next()) {
                (Some(a), Some(b)) if a != b => return a.cmp(&b),
                (Some(_), Some(_)) => {}
                (Some(a), None) => {
                    return if a == 0 && ours.all(|d| d == 0) {
                        Ordering::Equal
                    } else {
                        Ordering::Greater
                    };
                }
                (None, Some(b)) => {
                    return if b == 0 && theirs.all(|d| d == 0) {
                        Ordering::Equal
                    } else {
                        Ordering::Less
                    };
                }
                (None, None) => return Ordering::Equal,
            }
        }
    }

    /// The integer part of the magnitude (truncated), if it fits in a `u64`.
    pub(crate) fn trunc_u64(&self) -> Option<u64> {
        let point = self.point();
        if point <= 0 || self.digits().next().is_none() {
            return Some(0);
        }
        let n = usize::try_from(point).ok()?;
        let mut digits = self.digits().chain(core::iter::repeat(0)).take(n);
        digits.try_fold(0u64, |acc, d| {
            acc.checked_mul(10)?.checked_add(u64::from(d))
        })
    }
}

/// Decimal digits packed two to a byte, high nibble first: the thresholds of
/// [`Decimal::cmp_magnitude`], in half the flash of their text. Made by [`packed_digits!`].
pub(crate) struct PackedDigits {
    /// The packed digits (a last odd digit is followed by a zero nibble).
    pub(crate) bytes: &'static [u8],
    /// The number of digits.
    pub(crate) len: usize,
}

impl PackedDigits {
    /// The digits' values, in order.
    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.len).map(|k| {
            let b = self.bytes.get(k / 2).copied().unwrap_or(0);
            if k % 2 == 0 { b >> 4 } else { b & 0x0f }
        })
    }
}

/// Packs the ASCII digits `text` two to a byte (compile time only: a non-digit fails the
/// build).
pub(crate) const fn pack_digits<const B: usize>(text: &[u8]) -> [u8; B] {
    assert!(
        text.len().div_ceil(2) == B,
        "B must be half the digit count"
    );
    let mut out = [0u8; B];
    let mut k = 0;
    while k < text.len() {
        let d = text[k].wrapping_sub(b'0');
        assert!(d <= 9, "not a decimal digit");
        out[k / 2] |= if k % 2 == 0 { d << 4 } else { d };
        k += 1;
    }
    out
}

/// A [`PackedDigits`] from a string literal of decimal digits, packed at compile time.
macro_rules! packed_digits {
    ($text:expr) => {{
        const TEXT: &[u8] = $text.as_bytes();
        const PACKED: [u8; TEXT.len().div_ceil(2)] = $crate::encoding::json::pack_digits(TEXT);
        $crate::encoding::json::PackedDigits {
            bytes: &PACKED,
            len: TEXT.len(),
        }
    }};
}
pub(crate) use packed_digits;

/// The smallest magnitude that a correctly rounded parse turns into an infinite `f64`:
/// `2^1024 - 2^970`, halfway between `f64::MAX` and `2^1024` (a tie, which rounds to the even
/// side, `2^1024`). It has 309 integer digits: `0.1797... * 10^309`.
const F64_OVERFLOW_TEXT: &str = concat!(
    "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901797",
    "75872070963302864166928879109465555478519404026306574886715058206819089020007083836762738548",
    "45817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711",
    "559699508093042880177904174497792",
);
const F64_OVERFLOW: PackedDigits = packed_digits!(F64_OVERFLOW_TEXT);

/// Whether a correctly rounded `f64` parse of `d` (core's `str::parse`) is infinite.
fn overflows_f64(d: &Decimal<'_>) -> bool {
    d.cmp_magnitude(&F64_OVERFLOW, 309) != Ordering::Less
}

/// Decimal digits (at least one, nothing else) to `u64`, `None` on overflow.
#[inline]
fn parse_digits(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    if digits.len() > 19 {
        return digits.iter().try_fold(0u64, |acc, &d| {
            let v = u64::from(d.checked_sub(b'0').filter(|v| *v <= 9)?);
            acc.checked_mul(10)?.checked_add(v)
        });
    }
    // At most 19 digits: below 10^19 < 2^64, no overflow. Eight digits at a time, then one by one.
    let mut acc = 0u64;
    let mut rest = digits;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        acc = acc * 100_000_000 + eight_digits(u64::from_le_bytes(*chunk))?;
        rest = tail;
    }
    for &d in rest {
        let v = d.wrapping_sub(b'0');
        if v > 9 {
            return None;
        }
        acc = acc * 10 + u64::from(v);
    }
    Some(acc)
}

/// The value of eight ASCII digits (the first in the lowest byte), `None` if one is not a digit.
#[inline(always)]
const fn eight_digits(w: u64) -> Option<u64> {
    if non_digit_lanes(w) != 0 {
        return None;
    }
    // Pairs, then quadruples, then the whole (SWAR; every partial sum fits in its lane).
    let v = w ^ (ONES * 0x30);
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let lo = (v & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32));
    let hi = ((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32));
    Some(lo.wrapping_add(hi) >> 32)
}

/// A validated object: its raw text from `{` to `}` inclusive.
#[derive(Debug, Clone, Copy)]
pub struct JsonObject<'a> {
    raw: &'a [u8],
}

impl<'a> JsonObject<'a> {
    /// The raw text from `{` to `}` inclusive.
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The members (name, value) in document order.
    #[inline]
    pub fn members(&self) -> Members<'a> {
        Members {
            raw: self.raw,
            pos: 0,
            started: false,
        }
    }

    /// The value of the member whose decoded name is `key` (names are unique: the scanner rejects
    /// duplicates).
    pub fn get(&self, key: &str) -> Option<JsonValue<'a>> {
        self.members()
            .find(|(name, _)| name.eq_str(key))
            .map(|(_, v)| v)
    }

    /// Number of members (a scan over the raw text).
    pub fn len(&self) -> usize {
        self.members().count()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members().next().is_none()
    }
}

/// A validated array: its raw text from `[` to `]` inclusive.
#[derive(Debug, Clone, Copy)]
pub struct JsonArray<'a> {
    raw: &'a [u8],
}

impl<'a> JsonArray<'a> {
    /// The raw text from `[` to `]` inclusive.
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The elements in document order.
    #[inline]
    pub fn iter(&self) -> Elements<'a> {
        Elements {
            raw: self.raw,
            pos: 0,
            started: false,
        }
    }

    /// Number of elements (a scan over the raw text).
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl<'a> IntoIterator for JsonArray<'a> {
    type Item = JsonValue<'a>;
    type IntoIter = Elements<'a>;

    fn into_iter(self) -> Elements<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for JsonObject<'a> {
    type Item = (JsonStr<'a>, JsonValue<'a>);
    type IntoIter = Members<'a>;

    fn into_iter(self) -> Members<'a> {
        self.members()
    }
}

/// Iterator over the members of a [`JsonObject`]. On text that is not a valid object (which the
/// scanner never produces) it simply ends.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    raw: &'a [u8],
    pos: usize,
    started: bool,
}

impl<'a> Iterator for Members<'a> {
    type Item = (JsonStr<'a>, JsonValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.step();
        if item.is_none() {
            self.pos = self.raw.len();
            self.started = true;
        }
        item
    }
}

impl<'a> Members<'a> {
    fn step(&mut self) -> Option<(JsonStr<'a>, JsonValue<'a>)> {
        let raw = self.raw;
        let mut i = skip_ws(raw, self.pos);
        let sep = if self.started { b',' } else { b'{' };
        if *raw.get(i)? != sep {
            return None;
        }
        self.started = true;
        i = skip_ws(raw, i + 1);
        if *raw.get(i)? != b'"' {
            return None;
        }
        let (key, end) = read_string(raw, i + 1)?;
        i = skip_ws(raw, end.checked_add(1)?);
        if *raw.get(i)? != b':' {
            return None;
        }
        i = skip_ws(raw, i + 1);
        let (value, end) = read_value(raw, i)?;
        self.pos = end;
        Some((key, value))
    }
}

/// Iterator over the elements of a [`JsonArray`]. On text that is not a valid array (which the
/// scanner never produces) it simply ends.
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    raw: &'a [u8],
    pos: usize,
    started: bool,
}

impl<'a> Iterator for Elements<'a> {
    type Item = JsonValue<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.step();
        if item.is_none() {
            self.pos = self.raw.len();
            self.started = true;
        }
        item
    }
}

impl<'a> Elements<'a> {
    fn step(&mut self) -> Option<JsonValue<'a>> {
        let raw = self.raw;
        let mut i = skip_ws(raw, self.pos);
        let sep = if self.started { b',' } else { b'[' };
        if *raw.get(i)? != sep {
            return None;
        }
        self.started = true;
        i = skip_ws(raw, i + 1);
        let (value, end) = read_value(raw, i)?;
        self.pos = end;
        Some(value)
    }
}

/// Reads the string whose content starts at `start` (after the opening quote) in validated text:
/// the string and the index of its closing quote.
#[inline(always)]
fn read_string(raw: &[u8], start: usize) -> Option<(JsonStr<'_>, usize)> {
    let mut i = start;
    let mut escaped = false;
    loop {
        // Eight bytes at a time up to the next quote or backslash (see `special_lanes`).
        while let Some(chunk) = raw.get(i..i + 8) {
            let Ok(arr) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let m = special_lanes(u64::from_le_bytes(arr), true);
            if m != 0 {
                i += (m.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match *raw.get(i)? {
            b'"' => break,
            b'\\' => {
                escaped = true;
                i = i.checked_add(2)?;
            }
            _ => i += 1,
        }
    }
    Some((
        JsonStr {
            raw: raw.get(start..i)?,
            escaped,
        },
        i,
    ))
}

/// Reads the value starting at `i` in validated text: the value and the index just after it.
fn read_value(raw: &[u8], i: usize) -> Option<(JsonValue<'_>, usize)> {
    let rest = raw.get(i..)?;
    match *rest.first()? {
        b'"' => {
            let (s, end) = read_string(raw, i + 1)?;
            Some((JsonValue::String(s), end.checked_add(1)?))
        }
        open @ (b'{' | b'[') => {
            let end = i.checked_add(container_len(rest)?)?;
            let span = raw.get(i..end)?;
            let value = if open == b'{' {
                JsonValue::Object(JsonObject { raw: span })
            } else {
                JsonValue::Array(JsonArray { raw: span })
            };
            Some((value, end))
        }
        b'-' | b'0'..=b'9' => {
            let len = rest
                .iter()
                .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .unwrap_or(rest.len());
            let num = rest.get(..len)?;
            Some((JsonValue::Number(JsonNumber { raw: num }), i + len))
        }
        b't' if rest.starts_with(b"true") => Some((JsonValue::Bool(true), i + 4)),
        b'f' if rest.starts_with(b"false") => Some((JsonValue::Bool(false), i + 5)),
        b'n' if rest.starts_with(b"null") => Some((JsonValue::Null, i + 4)),
        _ => None,
    }
}

/// Length of the array or object at the start of validated text `s`, brackets included.
fn container_len(s: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0usize;
    loop {
        match *s.get(i)? {
            b'{' | b'[' => depth = depth.checked_add(1)?,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return i.checked_add(1);
                }
            }
            b'"' => i = read_string(s, i + 1)?.1,
            _ => {}
        }
        i += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------------------------

/// RFC 8259 §2: insignificant whitespace is space, horizontal tab, line feed and carriage return.
#[inline(always)]
fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(i) {
        i += 1;
    }
    i
}

/// The first byte at or after `i` that is not whitespace, with its index (`None` at the end of
/// the input). Tokens are seldom separated by whitespace in compact JSON, so a byte above the
/// space is tested for first.
#[inline(always)]
fn peek(s: &[u8], i: usize) -> (usize, Option<u8>) {
    match s.get(i) {
        Some(&b) if b > b' ' => (i, Some(b)),
        _ => peek_ws(s, i),
    }
}

/// [`peek`] when `s[i]` may be whitespace.
#[inline(never)]
fn peek_ws(s: &[u8], i: usize) -> (usize, Option<u8>) {
    let i = skip_ws(s, i);
    (i, s.get(i).copied())
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in the lowest byte lane of `w` (little-endian) that is `"`, `\`, a control
/// character, or (unless `high_seen`) a byte >= 0x80. Lanes above the first hit may be
/// false positives; the lowest set bit is exact.
#[inline(always)]
const fn special_lanes(w: u64, high_seen: bool) -> u64 {
    let q = w ^ (ONES * b'"' as u64);
    let bs = w ^ (ONES * b'\\' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let backslash = bs.wrapping_sub(ONES) & !bs;
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let high = if high_seen { 0 } else { w };
    (quote | backslash | control | high) & HIGHS
}

/// `special_lanes(w, false)` in fewer operations: without the `& !x` masks a lane's high bit is
/// also set for some bytes >= 0x80, which count anyway. Borrows only leave lanes that are hits,
/// so the lowest set bit is still exact.
#[inline(always)]
const fn ascii_special_lanes(w: u64) -> u64 {
    let q = w ^ (ONES * b'"' as u64);
    let bs = w ^ (ONES * b'\\' as u64);
    (q.wrapping_sub(ONES) | bs.wrapping_sub(ONES) | w.wrapping_sub(ONES * 0x20) | w) & HIGHS
}

/// Result of scanning a string.
struct StrScan {
    /// Index of the closing quote.
    end: usize,
    /// Raw length minus decoded length (0 exactly when there are no escapes).
    saved: usize,
}

/// Scans and validates the string whose content starts at `start` (just after the opening quote):
/// the index of its closing quote, whether it has escapes, and possibly the two bytes after the
/// quote (see [`scan_plain`]).
///
/// The common string (printable ASCII, no escapes) is read eight bytes at a time by
/// [`scan_plain`]; the first other byte hands over to [`scan_string_slow`].
#[inline(always)]
fn scan_string(input: &[u8], start: usize) -> Result<(usize, bool, u16), JsonError> {
    match scan_plain(input, start) {
        Ok((end, after)) => Ok((end, false, after)),
        Err(i) => scan_string_slow(input, start, i).map(|s| (s.end, s.saved != 0, 0)),
    }
}

/// The index of the closing quote of the string whose content starts at `start`, if everything
/// before it is printable ASCII other than `\`; otherwise `Err` with the index of the first byte
/// that is not (or of the end of the input).
///
/// With the index comes the pair of bytes after the quote (little-endian) when they were among the
/// bytes just read, which spares reading them again; otherwise bytes of it are zero, which no
/// caller looks for.
#[inline(always)]
fn scan_plain(input: &[u8], start: usize) -> Result<(usize, u16), usize> {
    let mut rest = input.get(start..).unwrap_or(&[]);
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let w = u64::from_le_bytes(*chunk);
        let m = ascii_special_lanes(w);
        if m != 0 {
            return plain_hit(input.len() - rest.len(), w, m);
        }
        rest = tail;
    }
    // Fewer than eight bytes left: the input's last eight, shifted so that the rest starts in the
    // lowest lane; the lanes past the end are zero, which counts as a hit.
    let i = input.len() - rest.len();
    match input.last_chunk::<8>() {
        Some(last) if !rest.is_empty() => {
            let w = u64::from_le_bytes(*last) >> (8 * (8 - rest.len()));
            plain_hit(i, w, ascii_special_lanes(w))
        }
        _ => Err(i),
    }
}

/// [`scan_plain`] once the eight bytes `w` from `i` have a hit in `m` (nonzero).
#[inline(always)]
const fn plain_hit(i: usize, w: u64, m: u64) -> Result<(usize, u16), usize> {
    let bit = m.trailing_zeros();
    let i = i + (bit / 8) as usize;
    let w = w >> (bit & 0x38);
    if w as u8 == b'"' {
        // Lanes shifted in from above the word are zero.
        Ok((i, (w >> 8) as u16))
    } else {
        Err(i)
    }
}

/// [`scan_string`] from `i`, where everything in `start..i` is printable ASCII other than `"` and
/// `\`.
#[inline(never)]
fn scan_string_slow(input: &[u8], start: usize, mut i: usize) -> Result<StrScan, JsonError> {
    let mut saved = 0usize;
    let mut high_seen = false;
    loop {
        // Eight bytes at a time while nothing interesting is in sight.
        while let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let m = special_lanes(u64::from_le_bytes(*chunk), high_seen);
            if m != 0 {
                i += (m.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        let Some(&b) = input.get(i) else {
            return Err(err(JsonErrorKind::UnexpectedEnd, i));
        };
        match b {
            b'"' => break,
            b'\\' => {
                let (used, s) = scan_escape(input, i)?;
                i += used;
                saved += s;
            }
            // RFC 8259 §7: "All Unicode characters may be placed within the quotation marks,
            // except for the characters that MUST be escaped: ... the control characters
            // (U+0000 through U+001F)."
            0..=0x1F => return Err(err(JsonErrorKind::ControlCharacter, i)),
            0x80.. => {
                high_seen = true;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if high_seen {
        // RFC 8259 §8.1: JSON text exchanged between systems MUST be encoded using UTF-8.
        // Escapes and the delimiters are ASCII, so the raw span is UTF-8 iff the value is.
        let span = input.get(start..i).unwrap_or(&[]);
        if let Err(e) = core::str::from_utf8(span) {
            return Err(err(JsonErrorKind::InvalidUtf8, start + e.valid_up_to()));
        }
    }
    Ok(StrScan { end: i, saved })
}

/// Four hex digits of a `\u` escape starting (at its backslash) at `esc`; digits at `at`.
#[inline]
fn scan_hex4(input: &[u8], at: usize, esc: usize) -> Result<u32, JsonError> {
    let mut v = 0u32;
    for k in 0..4 {
        let j = at + k;
        let Some(&d) = input.get(j) else {
            return Err(err(JsonErrorKind::UnexpectedEnd, j));
        };
        let Some(h) = hex_val(d) else {
            return Err(err(JsonErrorKind::InvalidEscape, esc));
        };
        v = (v << 4) | h;
    }
    Ok(v)
}

/// Validates the escape whose backslash is at `i`: raw bytes used, and raw minus decoded length.
fn scan_escape(input: &[u8], i: usize) -> Result<(usize, usize), JsonError> {
    // RFC 8259 §7: escape = %x5C followed by one of " \ / b f n r t, or uXXXX.
    match input.get(i + 1) {
        None => Err(err(JsonErrorKind::UnexpectedEnd, i + 1)),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok((2, 1)),
        Some(b'u') => {
            let cp = scan_hex4(input, i + 2, i)?;
            match cp {
                // RFC 8259 §7: a character outside the Basic Multilingual Plane is escaped as a
                // UTF-16 surrogate pair, high (D800-DBFF) then low (DC00-DFFF); §8.2: a lone
                // surrogate is not a Unicode character, so we reject it.
                0xD800..=0xDBFF => {
                    let next = i + 6;
                    match (input.get(next), input.get(next + 1)) {
                        (Some(b'\\'), Some(b'u')) => {
                            let lo = scan_hex4(input, next + 2, next)?;
                            if (0xDC00..=0xDFFF).contains(&lo) {
                                // 12 raw bytes decode to 4 UTF-8 bytes.
                                Ok((12, 8))
                            } else {
                                Err(err(JsonErrorKind::LoneSurrogate, i))
                            }
                        }
                        (None, _) => Err(err(JsonErrorKind::UnexpectedEnd, next)),
                        (Some(b'\\'), None) => Err(err(JsonErrorKind::UnexpectedEnd, next + 1)),
                        _ => Err(err(JsonErrorKind::LoneSurrogate, i)),
                    }
                }
                0xDC00..=0xDFFF => Err(err(JsonErrorKind::LoneSurrogate, i)),
                0..=0x7F => Ok((6, 5)),
                0x80..=0x7FF => Ok((6, 4)),
                _ => Ok((6, 3)),
            }
        }
        Some(_) => Err(err(JsonErrorKind::InvalidEscape, i)),
    }
}

/// High bit set in the lowest byte lane of `w` that is not an ASCII digit (lanes above it may be
/// false positives).
#[inline(always)]
const fn non_digit_lanes(w: u64) -> u64 {
    // Digits are 0x30..=0x39: `x` is 0..=9 exactly for them, and `x + 0x76` reaches 0x80 from 10.
    let x = w ^ (ONES * 0x30);
    (x.wrapping_add(ONES * 0x76) | x) & HIGHS
}

/// The index of the first byte at or after `j` that is not an ASCII digit (or the input's length).
#[inline(always)]
fn skip_digits(input: &[u8], mut j: usize) -> usize {
    while let Some(chunk) = input.get(j..).and_then(<[u8]>::first_chunk::<8>) {
        let m = non_digit_lanes(u64::from_le_bytes(*chunk));
        if m != 0 {
            return j + (m.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while let Some(b'0'..=b'9') = input.get(j) {
        j += 1;
    }
    j
}

/// Scans the number starting at `i`, whose first byte is `1`-`9`: the usual plain integer
/// (`exp`, `iat`, ...) takes the short way.
#[inline(always)]
fn scan_positive_number(input: &[u8], i: usize) -> Result<usize, JsonError> {
    let end = skip_digits(input, i + 1);
    if matches!(input.get(end), Some(b'.' | b'e' | b'E')) || end - i > 308 {
        return scan_number(input, i);
    }
    Ok(end)
}

/// Scans and validates the number starting at `i`; returns the index just after it.
#[inline(never)]
fn scan_number(input: &[u8], i: usize) -> Result<usize, JsonError> {
    // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]
    //              int = zero / ( digit1-9 *DIGIT ); frac = decimal-point 1*DIGIT;
    //              exp = e [ minus / plus ] 1*DIGIT
    let digit = |j: usize| matches!(input.get(j), Some(b'0'..=b'9'));
    let mut j = i;
    if input.get(j) == Some(&b'-') {
        j += 1;
    }
    let int_start = j;
    match input.get(j) {
        // "Leading zeros are not allowed."
        Some(b'0') => {
            j += 1;
            if digit(j) {
                return Err(err(JsonErrorKind::InvalidNumber, j));
            }
        }
        Some(b'1'..=b'9') => j = skip_digits(input, j + 1),
        Some(_) => return Err(err(JsonErrorKind::InvalidNumber, j)),
        None => return Err(err(JsonErrorKind::UnexpectedEnd, j)),
    }
    let int_digits = j - int_start;
    let mut big = false;
    if input.get(j) == Some(&b'.') {
        j = scan_digits(input, j + 1)?;
    }
    if let Some(b'e' | b'E') = input.get(j) {
        j += 1;
        if let Some(b'+' | b'-') = input.get(j) {
            j += 1;
        }
        j = scan_digits(input, j)?;
        big = true;
    }
    // RFC 8259 §6: "This specification allows implementations to set limits on the range and
    // precision of numbers accepted." We refuse numbers that overflow an IEEE 754 double (as
    // serde_json does). Without an exponent that needs more than 308 integer digits.
    // The check is exact, without floating point (see `Decimal`).
    if (big || int_digits > 308) && overflows_f64(&Decimal::new(input.get(i..j).unwrap_or(&[]))) {
        return Err(err(JsonErrorKind::InvalidNumber, i));
    }
    Ok(j)
}

/// One or more digits starting at `j`; returns the index after them.
#[inline]
fn scan_digits(input: &[u8], j: usize) -> Result<usize, JsonError> {
    match input.get(j) {
        Some(b'0'..=b'9') => Ok(skip_digits(input, j + 1)),
        Some(_) => Err(err(JsonErrorKind::InvalidNumber, j)),
        None => Err(err(JsonErrorKind::UnexpectedEnd, j)),
    }
}

/// Matches the literal `lit` at `i` (RFC 8259 §3: `false`, `null`, `true`, lowercase only).
#[inline]
fn scan_literal(input: &[u8], i: usize, lit: &[u8]) -> Result<usize, JsonError> {
    let end = i + lit.len();
    if input.get(i..end) == Some(lit) {
        return Ok(end);
    }
    scan_literal_error(input, i, lit)
}

/// The error of a literal that [`scan_literal`] did not find.
#[inline(never)]
fn scan_literal_error(input: &[u8], i: usize, lit: &[u8]) -> Result<usize, JsonError> {
    for (k, want) in lit.iter().enumerate() {
        let b = input.get(i + k).copied();
        if b != Some(*want) {
            return Err(unexpected(b, i + k));
        }
    }
    Ok(i + lit.len())
}

/// How many names [`KeyTable`] holds without its spill area.
const INLINE_KEYS: usize = 16;

/// Member names of the objects currently open, used as a stack: an object's names sit above
/// those of the objects enclosing it and are dropped when it closes. The scanning loops keep the
/// stack's height, and a Bloom filter over the innermost object's names, in local variables.
///
/// Entries are `fingerprint << 32 | start`, `start` being the index of the name's raw content in
/// the input and the fingerprint a hash of its decoded bytes ([`fingerprint`]): equal names have
/// equal fingerprints, and names are compared in full only when their fingerprints are equal.
///
/// The first [`INLINE_KEYS`] entries live in a small array, the others in a spill area that is
/// only initialised when a document has more names open, so that a call on a small object does
/// not start by zeroing a large table.
struct KeyTable {
    /// Entries `0..INLINE_KEYS`.
    inline: [u64; INLINE_KEYS],
    /// Entries `INLINE_KEYS..MAX_OPEN_MEMBERS`, once needed.
    spill: Option<[u64; MAX_OPEN_MEMBERS - INLINE_KEYS]>,
}

/// A member name just scanned.
#[derive(Clone, Copy)]
struct Name {
    /// Index of the opening quote.
    at: usize,
    /// Index of the closing quote.
    end: usize,
    /// Whether the raw name has escapes.
    escaped: bool,
    /// Its [`fingerprint`].
    fp: u32,
    /// The two bytes after the closing quote, or zero bytes (as from [`scan_plain`]).
    after: u16,
}

impl Name {
    /// The name as a string view.
    #[inline(always)]
    fn str<'a>(&self, input: &'a [u8]) -> JsonStr<'a> {
        JsonStr {
            raw: input.get(self.at + 1..self.end).unwrap_or(&[]),
            escaped: self.escaped,
        }
    }
}

/// The Bloom filter bit of a fingerprint (its top six bits).
#[inline(always)]
const fn bloom_bit(fp: u32) -> u64 {
    1 << (fp >> 26)
}

/// The fingerprint of a decoded name of `len` bytes: `first` holds its first (up to) eight bytes,
/// zero-padded, little-endian; `last` its last eight when it is longer than eight bytes (else 0).
#[inline(always)]
const fn fingerprint(first: u64, last: u64, len: usize) -> u32 {
    let x = first ^ last.rotate_left(29) ^ ((len as u64) << 56);
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

/// The fingerprint of the name without escapes at `input[start..end]`.
#[inline(always)]
fn raw_fingerprint(input: &[u8], start: usize, end: usize) -> u32 {
    let len = end - start;
    let first = match input.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(chunk) => {
            let w = u64::from_le_bytes(*chunk);
            if len >= 8 {
                w
            } else {
                w & ((1u64 << (8 * len)) - 1)
            }
        }
        // Fewer than eight bytes from `start` to the end of the input, so `len < 8`.
        None => le_bytes(input.get(start..end).unwrap_or(&[])),
    };
    let last = if len > 8 {
        input
            .get(..end)
            .and_then(<[u8]>::last_chunk::<8>)
            .map_or(0, |c| u64::from_le_bytes(*c))
    } else {
        0
    };
    fingerprint(first, last, len)
}

/// Up to eight bytes, zero-padded, as a little-endian `u64`.
#[inline(never)]
fn le_bytes(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .enumerate()
        .fold(0, |acc, (k, &b)| acc | (u64::from(b) << (8 * k)))
}

/// The fingerprint of a name with escapes, over its decoded bytes (as [`raw_fingerprint`] of the
/// same name written without escapes).
#[inline(never)]
fn escaped_fingerprint(key: JsonStr<'_>) -> u32 {
    let (mut first, mut last, mut len) = (0u64, 0u64, 0usize);
    for b in key.unescaped_bytes() {
        if len < 8 {
            first |= u64::from(b) << (8 * len);
        }
        last = (last >> 8) | (u64::from(b) << 56);
        len += 1;
    }
    fingerprint(first, if len > 8 { last } else { 0 }, len)
}

impl KeyTable {
    /// An empty table.
    #[inline(always)]
    fn new() -> Self {
        Self {
            inline: [0; INLINE_KEYS],
            spill: None,
        }
    }

    /// The entries `base..len`, in two parts.
    #[inline]
    fn entries(&self, base: usize, len: usize) -> (&[u64], &[u64]) {
        let inline = self
            .inline
            .get(base.min(INLINE_KEYS)..len.min(INLINE_KEYS))
            .unwrap_or(&[]);
        let spill = match &self.spill {
            Some(s) => s
                .get(base.saturating_sub(INLINE_KEYS)..len.saturating_sub(INLINE_KEYS))
                .unwrap_or(&[]),
            None => &[],
        };
        (inline, spill)
    }

    /// Stores entry number `k`; `false` if `k` is out of range (`MAX_OPEN_MEMBERS` or more).
    #[inline(always)]
    fn set(&mut self, k: usize, entry: u64) -> bool {
        match self.inline.get_mut(k) {
            Some(slot) => {
                *slot = entry;
                true
            }
            None => self.set_spilled(k, entry),
        }
    }

    /// [`KeyTable::set`] beyond the inline entries.
    #[inline(never)]
    fn set_spilled(&mut self, k: usize, entry: u64) -> bool {
        let spill = self
            .spill
            .get_or_insert([0; MAX_OPEN_MEMBERS - INLINE_KEYS]);
        match spill.get_mut(k.wrapping_sub(INLINE_KEYS)) {
            Some(slot) => {
                *slot = entry;
                true
            }
            None => false,
        }
    }

    /// The Bloom filter of the entries `base..len`.
    #[inline(never)]
    fn bloom(&self, base: usize, len: usize) -> u64 {
        let (a, b) = self.entries(base, len);
        let fold = |acc, &e: &u64| acc | bloom_bit((e >> 32) as u32);
        b.iter().fold(a.iter().fold(0, fold), fold)
    }

    /// Whether one of the entries `base..len` may be a name of fingerprint `fp`: a quick look at
    /// the inline entries before [`KeyTable::contains`].
    #[inline(always)]
    fn may_contain(&self, fp: u32, base: usize, len: usize) -> bool {
        match self.inline.get(base..len) {
            Some(part) => part.iter().any(|&e| (e >> 32) as u32 == fp),
            None => true,
        }
    }

    /// Whether the name `key` (fingerprint `fp`) repeats one of the entries `base..len`.
    #[inline(never)]
    fn contains(&self, input: &[u8], key: JsonStr<'_>, fp: u32, base: usize, len: usize) -> bool {
        let (a, b) = self.entries(base, len);
        for part in [a, b] {
            for &e in part {
                if (e >> 32) as u32 == fp && same_name(input, e, key) {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether the name of entry `e` is `key` (their fingerprints being equal).
#[inline(never)]
fn same_name(input: &[u8], e: u64, key: JsonStr<'_>) -> bool {
    read_string(input, e as u32 as usize).is_some_and(|(other, _)| key.same_value(&other))
}

/// Records `name` as a member of the innermost open object, whose names are the entries
/// `base..*len` and whose Bloom filter is `*bloom`, rejecting a repeat; `max` caps `*len`.
#[inline(always)]
fn add_name(
    keys: &mut KeyTable,
    input: &[u8],
    name: Name,
    base: usize,
    len: &mut usize,
    bloom: &mut u64,
    max: usize,
) -> Result<(), JsonError> {
    let bit = bloom_bit(name.fp);
    if *bloom & bit != 0
        && keys.may_contain(name.fp, base, *len)
        && keys.contains(input, name.str(input), name.fp, base, *len)
    {
        // RFC 8259 §4: "The names within an object SHOULD be unique."; RFC 7515 §5.2 and
        // RFC 7519 §4 let JOSE parsers reject duplicate names, and we do.
        return Err(err(JsonErrorKind::DuplicateMember, name.at));
    }
    // Inputs are at most u32::MAX bytes long (checked up front), so the start fits.
    let entry = (u64::from(name.fp) << 32) | (name.at + 1) as u64;
    if *len >= max || !keys.set(*len, entry) {
        return Err(err(JsonErrorKind::TooManyMembers, name.at));
    }
    *len += 1;
    *bloom |= bit;
    Ok(())
}

/// Marks an array on the nesting stack (objects store the key table length at their opening).
const ARRAY: u8 = u8::MAX;

/// Validates `input` as exactly one JSON object (leading and trailing JSON whitespace allowed,
/// nothing else) and calls `on_member` for each TOP-LEVEL member in document order, after that
/// member's value has been fully validated. Nested values are validated but not reported.
///
/// An error returned by `on_member` aborts the scan and is returned as is; scanner errors are
/// converted with `E::from`. As members are reported before the rest of the document has been
/// seen, a caller must discard what it gathered when this returns an error.
///
/// Enforces the whole RFC 8259 grammar, UTF-8, paired surrogate escapes, unique member names in
/// every object (compared after unescaping) and `limits`, at every nesting level. Inputs longer
/// than `u32::MAX` bytes are refused ([`JsonErrorKind::BufferTooSmall`]).
pub fn parse_object_with<'a, E: From<JsonError>>(
    input: &'a [u8],
    limits: &Limits,
    mut on_member: impl FnMut(JsonStr<'a>, JsonValue<'a>) -> Result<(), E>,
) -> Result<JsonObject<'a>, E> {
    // The walk itself is not generic: it is compiled once, however many callers (and
    // error types) there are, which keeps the scanner out of each caller's copy (it
    // costs ~1.5 KB of flash per caller on a Cortex-M4 otherwise). On hosted targets
    // (`target_os` other than "none") `start` and `next_member` are inlined into each
    // caller instead: flash does not matter there, and the call per member did (criterion,
    // quiet machine: Claims::parse 226 -> 140 ns, JOSE header 77 -> 37 ns).
    let mut keys = KeyTable::new();
    let mut walk = match TopLevel::start(input, limits, &mut keys)? {
        Ok(walk) => walk,
        Err(empty) => return Ok(empty),
    };
    loop {
        match walk.next_member()? {
            Ok((name, value)) => on_member(name, value)?,
            Err(object) => return Ok(object),
        }
    }
}

/// The top-level walk of [`parse_object_with`]: one member per step.
struct TopLevel<'a, 'k> {
    input: &'a [u8],
    /// Index of the opening `{`.
    root: usize,
    /// Where the next member's name starts (first step), or just after the previous
    /// member's value.
    i: usize,
    /// Whether a member was reported already (a separator comes first).
    started: bool,
    /// The two bytes after the previous value when they are known (as from `scan_plain`).
    after: u16,
    /// The member names of the open objects (borrowed: a few KB not to move around).
    keys: &'k mut KeyTable,
    /// The top-level object's names are the entries `0..count`.
    count: usize,
    bloom: u64,
    max_depth: usize,
    max_keys: usize,
}

impl<'a, 'k> TopLevel<'a, 'k> {
    /// Checks the start of the document: `Ok(Err(object))` for an empty object (the whole
    /// document), `Ok(Ok(walk))` to walk the members.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn start(
        input: &'a [u8],
        limits: &Limits,
        keys: &'k mut KeyTable,
    ) -> Result<Result<Self, JsonObject<'a>>, JsonError> {
        use JsonErrorKind as K;

        if u32::try_from(input.len()).is_err() {
            return Err(err(K::BufferTooSmall, u32::MAX as usize));
        }
        let max_depth = limits.max_depth.min(MAX_DEPTH);
        let max_keys = limits.max_open_members.min(MAX_OPEN_MEMBERS);

        // RFC 8259 §2: JSON-text = ws value ws. No byte order mark (§8.1: "Implementations
        // MUST NOT add a byte order mark"; we do not accept one either).
        let (root, first) = peek(input, 0);
        match first {
            Some(b'{') => {}
            Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                return Err(err(K::NotAnObject, root));
            }
            b => return Err(unexpected(b, root)),
        }
        // The top-level object is depth 1.
        if max_depth == 0 {
            return Err(err(K::TooDeep, root));
        }
        let (i, next) = peek(input, root + 1);
        if next == Some(b'}') {
            return finish(input, root, i + 1).map(Err);
        }
        Ok(Ok(Self {
            input,
            root,
            i,
            started: false,
            after: 0,
            keys,
            count: 0,
            bloom: 0,
            max_depth,
            max_keys,
        }))
    }

    /// The next top-level member, its value fully validated (`Ok(Ok(..))`), or the whole
    /// object once the closing `}` and trailing whitespace are checked (`Ok(Err(..))`).
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn next_member(
        &mut self,
    ) -> Result<Result<(JsonStr<'a>, JsonValue<'a>), JsonObject<'a>>, JsonError> {
        use JsonErrorKind as K;

        let input = self.input;
        let mut i = self.i;
        if self.started {
            // The usual `,"` first.
            if self.after == u16::from_le_bytes(*b",\"")
                || matches!(input.get(i..i + 2), Some(b",\""))
            {
                i += 1;
            } else {
                let (j, next) = peek(input, i);
                match next {
                    Some(b',') => i = peek(input, j + 1).0,
                    Some(b'}') => return finish(input, self.root, j + 1).map(Err),
                    b => return Err(unexpected(b, j)),
                }
            }
        }
        self.started = true;
        // RFC 8259 §4: object = begin-object [ member *( value-separator member ) ]
        // end-object; member = string name-separator value. `i` is at a name (whitespace
        // skipped).
        let name = scan_name(input, i)?;
        add_name(
            self.keys,
            input,
            name,
            0,
            &mut self.count,
            &mut self.bloom,
            self.max_keys,
        )?;
        let (at, b) = name_separator(input, name)?;
        self.after = 0;
        let value = match b {
            Some(b'"') => {
                let (end, escaped, next) = scan_string(input, at + 1)?;
                self.after = next;
                i = end + 1;
                JsonValue::String(JsonStr {
                    raw: input.get(at + 1..end).unwrap_or(&[]),
                    escaped,
                })
            }
            Some(b'1'..=b'9') => {
                i = scan_positive_number(input, at)?;
                JsonValue::Number(JsonNumber {
                    raw: input.get(at..i).unwrap_or(&[]),
                })
            }
            Some(b'-' | b'0') => {
                i = scan_number(input, at)?;
                JsonValue::Number(JsonNumber {
                    raw: input.get(at..i).unwrap_or(&[]),
                })
            }
            Some(b't') => {
                i = scan_literal(input, at, b"true")?;
                JsonValue::Bool(true)
            }
            Some(b'f') => {
                i = scan_literal(input, at, b"false")?;
                JsonValue::Bool(false)
            }
            Some(b'n') => {
                i = scan_literal(input, at, b"null")?;
                JsonValue::Null
            }
            Some(open @ (b'{' | b'[')) => {
                // Nested names come and go above ours (`count` and `bloom` are unchanged).
                i = scan_nested(
                    input,
                    at,
                    self.keys,
                    self.count,
                    self.max_depth,
                    self.max_keys,
                )?;
                let raw = input.get(at..i).unwrap_or(&[]);
                if open == b'{' {
                    JsonValue::Object(JsonObject { raw })
                } else {
                    JsonValue::Array(JsonArray { raw })
                }
            }
            Some(_) => return Err(err(K::UnexpectedByte, at)),
            None => return Err(err(K::UnexpectedEnd, at)),
        };
        self.i = i;
        Ok(Ok((name.str(input), value)))
    }
}

/// Validates the array or object that opens at `i` inside the top-level object, whose names are
/// the key table's entries `0..count`, without recursion; returns the index just after it.
#[inline(never)]
fn scan_nested(
    input: &[u8],
    mut i: usize,
    keys: &mut KeyTable,
    count: usize,
    max_depth: usize,
    max_keys: usize,
) -> Result<usize, JsonError> {
    use JsonErrorKind as K;

    // frames[d] describes the container at depth d + 1: ARRAY, or an object's key table base.
    // (frames[0], the top-level object, is not used here.)
    let mut frames = [0u8; MAX_DEPTH];
    let mut depth = 1usize;
    // The key table's height, and the Bloom filter of the names of the object at `bloom_depth`;
    // when scanning comes back to an enclosing object the filter is rebuilt at its next name.
    let mut len = count;
    let mut bloom = 0u64;
    let mut bloom_depth = 1usize;

    'value: loop {
        // `i` is at the first byte of a value (whitespace skipped).
        let Some(&b) = input.get(i) else {
            return Err(err(K::UnexpectedEnd, i));
        };
        match b {
            b'"' => i = scan_string(input, i + 1)?.0 + 1,
            b'1'..=b'9' => i = scan_positive_number(input, i)?,
            b'-' | b'0' => i = scan_number(input, i)?,
            b't' => i = scan_literal(input, i, b"true")?,
            b'f' => i = scan_literal(input, i, b"false")?,
            b'n' => i = scan_literal(input, i, b"null")?,
            b'{' | b'[' => {
                let is_object = b == b'{';
                if depth >= max_depth {
                    return Err(err(K::TooDeep, i));
                }
                let Some(frame) = frames.get_mut(depth) else {
                    return Err(err(K::TooDeep, i));
                };
                // At most MAX_OPEN_MEMBERS < u8::MAX names.
                *frame = if is_object { len as u8 } else { ARRAY };
                let base = len;
                depth += 1;
                let (j, next) = peek(input, i + 1);
                i = j;
                let close = if is_object { b'}' } else { b']' };
                if next != Some(close) {
                    if is_object {
                        bloom = 0;
                        bloom_depth = depth;
                        let name = scan_name(input, i)?;
                        add_name(keys, input, name, base, &mut len, &mut bloom, max_keys)?;
                        i = name_separator(input, name)?.0;
                    }
                    continue 'value;
                }
                // An empty container closes at once.
                i += 1;
                depth -= 1;
                if depth <= 1 {
                    return Ok(i);
                }
            }
            _ => return Err(err(K::UnexpectedByte, i)),
        }

        // A value just ended at `i`, inside the container at `depth` (>= 2).
        loop {
            let (j, next) = peek(input, i);
            i = j;
            let frame = frames.get(depth.wrapping_sub(1)).copied().unwrap_or(ARRAY);
            // RFC 8259 §4: object = begin-object [ member *( value-separator member ) ]
            // end-object; §5: array = begin-array [ value *( value-separator value ) ] end-array.
            match next {
                Some(b',') => {
                    i = peek(input, i + 1).0;
                    if frame != ARRAY {
                        let base = usize::from(frame);
                        let name = scan_name(input, i)?;
                        if bloom_depth != depth {
                            bloom = keys.bloom(base, len);
                            bloom_depth = depth;
                        }
                        add_name(keys, input, name, base, &mut len, &mut bloom, max_keys)?;
                        i = name_separator(input, name)?.0;
                    }
                    continue 'value;
                }
                Some(b'}') if frame != ARRAY => len = usize::from(frame),
                Some(b']') if frame == ARRAY => {}
                b => return Err(unexpected(b, i)),
            }
            // The container at `depth` closed.
            i += 1;
            depth -= 1;
            if depth <= 1 {
                return Ok(i);
            }
        }
    }
}

/// Scans the member name whose opening quote should be at `i` (whitespace skipped).
#[inline(always)]
fn scan_name(input: &[u8], i: usize) -> Result<Name, JsonError> {
    let b = input.get(i).copied();
    if b != Some(b'"') {
        return Err(unexpected(b, i));
    }
    let start = i + 1;
    // A short plain name is fingerprinted from the eight bytes just read.
    if let Some(chunk) = input.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*chunk);
        let m = ascii_special_lanes(w);
        let bit = m.trailing_zeros();
        if m != 0 && (w >> (bit & 0x38)) as u8 == b'"' {
            // The name is the `bit / 8` bytes below the quote.
            let first = w & ((1u64 << (bit & 0x38)) - 1);
            let len = (bit / 8) as usize;
            return Ok(Name {
                at: i,
                end: start + len,
                escaped: false,
                fp: fingerprint(first, 0, len),
                // Lanes shifted in from above the word are zero.
                after: ((w >> (bit & 0x38)) >> 8) as u16,
            });
        }
    }
    let (end, escaped, after) = scan_string(input, start)?;
    let fp = if escaped {
        escaped_fingerprint(JsonStr {
            raw: input.get(start..end).unwrap_or(&[]),
            escaped,
        })
    } else {
        raw_fingerprint(input, start, end)
    };
    Ok(Name {
        at: i,
        end,
        escaped,
        fp,
        after,
    })
}

/// The name separator after `name`; returns the index of the value (whitespace skipped) and its
/// first byte.
#[inline(always)]
fn name_separator(input: &[u8], name: Name) -> Result<(usize, Option<u8>), JsonError> {
    let end = name.end;
    // The usual `:` and value first.
    let [colon, v] = name.after.to_le_bytes();
    if colon == b':' && v > b' ' {
        return Ok((end + 2, Some(v)));
    }
    if let Some(&[b':', v]) = input.get(end + 1..end + 3)
        && v > b' '
    {
        return Ok((end + 2, Some(v)));
    }
    let (j, b) = peek(input, end + 1);
    if b != Some(b':') {
        return Err(unexpected(b, j));
    }
    Ok(peek(input, j + 1))
}

/// After the top-level object (which spans `root..end`): only whitespace may follow.
#[inline]
fn finish(input: &[u8], root: usize, end: usize) -> Result<JsonObject<'_>, JsonError> {
    let j = skip_ws(input, end);
    if j < input.len() {
        return Err(err(JsonErrorKind::TrailingData, j));
    }
    Ok(JsonObject {
        raw: input.get(root..end).unwrap_or(&[]),
    })
}

/// Validates `input` as exactly one JSON object, as [`parse_object_with`] does, without a callback.
pub fn parse_object<'a>(input: &'a [u8], limits: &Limits) -> Result<JsonObject<'a>, JsonError> {
    parse_object_with(input, limits, |_, _| Ok::<(), JsonError>(()))
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    fn parse(s: &str) -> Result<JsonObject<'_>, JsonError> {
        parse_object(s.as_bytes(), &Limits::default())
    }

    #[track_caller]
    fn fails(s: &str, kind: JsonErrorKind) -> usize {
        match parse(s) {
            Ok(_) => panic!("accepted {s:?}"),
            Err(e) => {
                assert_eq!(e.kind, kind, "{s:?}: {e}");
                e.offset
            }
        }
    }

    #[track_caller]
    fn fails_at(s: &str, kind: JsonErrorKind, offset: usize) {
        assert_eq!(fails(s, kind), offset, "{s:?}");
    }

    #[track_caller]
    fn ok(s: &str) -> JsonObject<'_> {
        match parse(s) {
            Ok(o) => o,
            Err(e) => panic!("rejected {s:?}: {e}"),
        }
    }

    /// The decoded value of top-level member `key`, which must be a string.
    #[track_caller]
    fn string_member(doc: &str, key: &str) -> String {
        ok(doc)
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap()
            .chars()
            .collect()
    }

    #[test]
    fn empty_object_and_whitespace() {
        assert!(ok("{}").is_empty());
        assert_eq!(ok(" \t\r\n{ \t\r\n} \t\r\n").raw(), b"{ \t\r\n}");
        let o = ok("\n{\"a\" :\t1 , \"b\"\r:[ ] }\n");
        assert_eq!(o.len(), 2);
        // Other Unicode whitespace is not JSON whitespace.
        fails_at("\u{a0}{}", JsonErrorKind::UnexpectedByte, 0);
        fails_at("{}\u{0b}", JsonErrorKind::TrailingData, 2);
        fails_at("{\u{0c}}", JsonErrorKind::UnexpectedByte, 1);
    }

    #[test]
    fn unexpected_end() {
        fails_at("", JsonErrorKind::UnexpectedEnd, 0);
        fails_at("   ", JsonErrorKind::UnexpectedEnd, 3);
        fails_at("{", JsonErrorKind::UnexpectedEnd, 1);
        fails_at("{\"a\"", JsonErrorKind::UnexpectedEnd, 4);
        fails_at("{\"a\":", JsonErrorKind::UnexpectedEnd, 5);
        fails_at("{\"a\":1", JsonErrorKind::UnexpectedEnd, 6);
        fails_at("{\"a\":\"xy", JsonErrorKind::UnexpectedEnd, 8);
        fails_at("{\"a\":tr", JsonErrorKind::UnexpectedEnd, 7);
        fails_at("{\"a\":[1,", JsonErrorKind::UnexpectedEnd, 8);
        fails_at("{\"a\":\"\\", JsonErrorKind::UnexpectedEnd, 7);
        fails_at("{\"a\":\"\\u12", JsonErrorKind::UnexpectedEnd, 10);
        fails_at("{\"a\":1.", JsonErrorKind::UnexpectedEnd, 7);
        fails_at("{\"a\":-", JsonErrorKind::UnexpectedEnd, 6);
    }

    #[test]
    fn unexpected_byte() {
        fails_at("{,}", JsonErrorKind::UnexpectedByte, 1);
        fails_at("{\"a\":1,}", JsonErrorKind::UnexpectedByte, 7);
        fails_at("{\"a\" 1}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":1 \"b\":2}", JsonErrorKind::UnexpectedByte, 7);
        fails_at("{a:1}", JsonErrorKind::UnexpectedByte, 1);
        fails_at("{'a':1}", JsonErrorKind::UnexpectedByte, 1);
        fails_at("{\"a\":[1,]}", JsonErrorKind::UnexpectedByte, 8);
        fails_at("{\"a\":[1}", JsonErrorKind::UnexpectedByte, 7);
        fails_at("{\"a\":{]}", JsonErrorKind::UnexpectedByte, 6);
        fails_at("{\"a\":True}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":nul}", JsonErrorKind::UnexpectedByte, 8);
        fails_at("{\"a\":truex}", JsonErrorKind::UnexpectedByte, 9);
        fails_at("{\"a\":NaN}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":Infinity}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":+1}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":.5}", JsonErrorKind::UnexpectedByte, 5);
        fails_at("{\"a\":1}x", JsonErrorKind::TrailingData, 7);
        fails("{\"a\":undefined}", JsonErrorKind::UnexpectedByte);
        fails("{\"a\":1;\"b\":2}", JsonErrorKind::UnexpectedByte);
        // Byte order mark.
        fails_at("\u{feff}{}", JsonErrorKind::UnexpectedByte, 0);
    }

    #[test]
    fn not_an_object_and_trailing_data() {
        for doc in [
            "[]", "[{}]", "\"a\"", "1", "-1", "true", "false", "null", " [1] ",
        ] {
            fails(doc, JsonErrorKind::NotAnObject);
        }
        fails_at("  [", JsonErrorKind::NotAnObject, 2);
        fails_at("{}{}", JsonErrorKind::TrailingData, 2);
        fails_at("{} \n }", JsonErrorKind::TrailingData, 5);
        fails_at("{\"a\":1}}", JsonErrorKind::TrailingData, 7);
        fails_at("{}\0", JsonErrorKind::TrailingData, 2);
        fails_at("{} ,", JsonErrorKind::TrailingData, 3);
    }

    #[test]
    fn every_escape() {
        let doc = r#"{"s":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00"}"#;
        assert_eq!(
            string_member(doc, "s"),
            "\"\\/\u{8}\u{c}\n\r\t\u{41}\u{e9}\u{20ac}\u{1f600}"
        );
        let o = ok(doc);
        let s = o.get("s").unwrap().as_str().unwrap();
        assert!(s.has_escapes());
        assert_eq!(s.as_str(), None);
        let expected = "\"\\/\u{8}\u{c}\n\r\t\u{41}\u{e9}\u{20ac}\u{1f600}";
        assert!(s.eq_str(expected));
        assert_eq!(s.unescaped_len(), expected.len());
        let mut buf = [0u8; 64];
        assert_eq!(s.unescape_into(&mut buf).unwrap(), expected);
        assert_eq!(string_member(r#"{"s":"\u0000"}"#, "s"), "\0");
        assert_eq!(string_member(r#"{"s":"a\u005Cb"}"#, "s"), "a\\b");
        for bad in [
            r#"\a"#,
            r#"\x41"#,
            r#"\U0041"#,
            r#"\u00G1"#,
            r#"\'"#,
            r#"\0"#,
            r#"\ "#,
        ] {
            let doc = std::format!("{{\"s\":\"{bad}\"}}");
            fails_at(&doc, JsonErrorKind::InvalidEscape, 6);
        }
    }

    #[test]
    fn surrogates() {
        // U+1D11E MUSICAL SYMBOL G CLEF, upper- and lowercase hex.
        assert_eq!(string_member(r#"{"s":"\uD834\uDD1E"}"#, "s"), "\u{1d11e}");
        assert_eq!(
            string_member(r#"{"s":"x\ud834\udd1ey"}"#, "s"),
            "x\u{1d11e}y"
        );
        assert_eq!(string_member(r#"{"s":"\uDBFF\uDFFF"}"#, "s"), "\u{10ffff}");
        fails_at(r#"{"s":"\uD834"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"\uD834x"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"\uD834\n"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"\uD834\u0041"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"\uD834\uD834"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"a\uDD1E"}"#, JsonErrorKind::LoneSurrogate, 7);
        fails_at(r#"{"s":"\uDD1E\uD834"}"#, JsonErrorKind::LoneSurrogate, 6);
        fails_at(r#"{"s":"\uD834\uZZZZ"}"#, JsonErrorKind::InvalidEscape, 12);
        fails_at(r#"{"s":"\uD834"#, JsonErrorKind::UnexpectedEnd, 12);
        fails_at(r#"{"s":"\uD834\"#, JsonErrorKind::UnexpectedEnd, 13);
    }

    #[test]
    fn control_characters_and_utf8() {
        fails_at("{\"a\":\"x\ny\"}", JsonErrorKind::ControlCharacter, 7);
        fails_at("{\"a\":\"\t\"}", JsonErrorKind::ControlCharacter, 6);
        fails_at("{\"a\":\"\0\"}", JsonErrorKind::ControlCharacter, 6);
        fails_at("{\"a\":\"\u{1f}\"}", JsonErrorKind::ControlCharacter, 6);
        fails_at(
            "{\"abcdefghij\u{1}\":1}",
            JsonErrorKind::ControlCharacter,
            12,
        );
        // DEL and C1 controls are allowed unescaped.
        assert_eq!(
            string_member("{\"a\":\"\u{7f}\u{85}\"}", "a"),
            "\u{7f}\u{85}"
        );
        let bad: [&[u8]; 6] = [
            b"{\"a\":\"\xff\"}",
            b"{\"a\":\"\xc3\"}",
            b"{\"a\":\"\xc3(\"}",
            b"{\"a\":\"\xed\xa0\x80\"}", // encoded surrogate
            b"{\"a\":\"\xc0\xaf\"}",     // overlong
            b"{\"a\":\"0123456789\xf4\x90\x80\x80\"}", // above U+10FFFF
        ];
        for doc in bad {
            let e = parse_object(doc, &Limits::default()).unwrap_err();
            assert_eq!(e.kind, JsonErrorKind::InvalidUtf8, "{doc:?}");
        }
        let e = parse_object(b"{\"a\":\"\xe2\x82\xac\xff\"}", &Limits::default()).unwrap_err();
        assert_eq!(e, err(JsonErrorKind::InvalidUtf8, 9));
        // Invalid UTF-8 outside strings is an unexpected byte.
        let e = parse_object(b"{\"a\":1 \xff}", &Limits::default()).unwrap_err();
        assert_eq!(e, err(JsonErrorKind::UnexpectedByte, 7));
        // Long non-ASCII strings keep validating after the first non-ASCII byte.
        let long = "é€😀 and some ascii text, then more: ü";
        let doc = std::format!("{{\"k\":\"{long}\"}}");
        assert_eq!(string_member(&doc, "k"), long);
        assert_eq!(
            ok(&doc).get("k").unwrap().as_str().unwrap().as_str(),
            Some(long)
        );
    }

    #[test]
    fn unicode_keys() {
        let o = ok("{\"clé\":1,\"😀\":2,\"\\u00e9t\\u00E9\":3}");
        assert_eq!(o.get("clé").unwrap().as_number().unwrap().as_u64(), Some(1));
        assert_eq!(o.get("😀").unwrap().as_number().unwrap().as_u64(), Some(2));
        assert_eq!(o.get("été").unwrap().as_number().unwrap().as_u64(), Some(3));
        fails(
            "{\"été\":1,\"\\u00e9t\\u00e9\":2}",
            JsonErrorKind::DuplicateMember,
        );
        fails(
            "{\"😀\":1,\"\\ud83d\\ude00\":2}",
            JsonErrorKind::DuplicateMember,
        );
    }

    #[test]
    fn numbers() {
        let num = |s: &str| {
            let doc = std::format!("{{\"n\":{s}}}");
            let o = parse(&doc).map_err(|e| e.kind);
            o.map(|o| {
                let n = o.get("n").unwrap().as_number().unwrap();
                (
                    n.raw().to_string(),
                    n.as_u64(),
                    n.as_i64(),
                    n.as_f64(),
                    n.is_integer(),
                )
            })
        };
        assert_eq!(
            num("0"),
            Ok(("0".into(), Some(0), Some(0), Some(0.0), true))
        );
        assert_eq!(
            num("-0"),
            Ok(("-0".into(), Some(0), Some(0), Some(-0.0), true))
        );
        assert_eq!(num("1e5"), Ok(("1e5".into(), None, None, Some(1e5), false)));
        assert_eq!(
            num("1E+5"),
            Ok(("1E+5".into(), None, None, Some(1e5), false))
        );
        assert_eq!(num("-1.5e-3").unwrap().3, Some(-1.5e-3));
        assert_eq!(num("0.5").unwrap().3, Some(0.5));
        assert_eq!(num("10").unwrap().1, Some(10));
        assert_eq!(num("-42").unwrap().1, None);
        assert_eq!(num("-42").unwrap().2, Some(-42));
        let max = u64::MAX.to_string();
        assert_eq!(num(&max).unwrap().1, Some(u64::MAX));
        assert_eq!(num(&max).unwrap().2, None);
        assert_eq!(num("18446744073709551616").unwrap().1, None); // u64::MAX + 1
        assert_eq!(num("99999999999999999999999").unwrap().1, None);
        assert_eq!(num("9223372036854775807").unwrap().2, Some(i64::MAX));
        assert_eq!(num("9223372036854775808").unwrap().2, None);
        assert_eq!(num("-9223372036854775808").unwrap().2, Some(i64::MIN));
        assert_eq!(num("-9223372036854775809").unwrap().2, None);
        assert_eq!(num("1e-400").unwrap().3, Some(0.0));
        assert!(num(&"9".repeat(308)).is_ok());
        for bad in [
            "01", "-01", "00", "1.", "1.e5", "1e", "1e+", "-", "-a", "1.5.", "0x10",
        ] {
            let r = num(bad);
            assert!(
                r == Err(JsonErrorKind::InvalidNumber) || r == Err(JsonErrorKind::UnexpectedByte),
                "{bad}: {r:?}"
            );
        }
        fails_at("{\"n\":01}", JsonErrorKind::InvalidNumber, 6);
        fails_at("{\"n\":1.}", JsonErrorKind::InvalidNumber, 7);
        fails_at("{\"n\":-}", JsonErrorKind::InvalidNumber, 6);
        fails_at("{\"n\":1e}", JsonErrorKind::InvalidNumber, 7);
        fails_at("{\"n\":1.5.}", JsonErrorKind::UnexpectedByte, 8);
        // Out of range for a double (serde_json refuses these too).
        fails_at("{\"n\":1e400}", JsonErrorKind::InvalidNumber, 5);
        fails_at("{\"n\":-1.5E+309}", JsonErrorKind::InvalidNumber, 5);
        fails(
            &std::format!("{{\"n\":{}}}", "9".repeat(309)),
            JsonErrorKind::InvalidNumber,
        );
    }

    /// The exact overflow check agrees with core's correctly rounded `f64` parse, which
    /// it replaces, around the boundary and far from it.
    #[test]
    fn overflow_check_is_a_correctly_rounded_parse() {
        use std::string::{String, ToString};
        use std::vec::Vec;
        let max: String = F64_OVERFLOW_TEXT.into();
        assert_eq!(F64_OVERFLOW.digits().count(), 309);
        assert!(
            F64_OVERFLOW
                .digits()
                .zip(max.bytes())
                .all(|(d, c)| d == c - b'0')
        );
        // One below the tie: rounds to f64::MAX.
        let below = {
            let mut d = max.clone().into_bytes();
            *d.last_mut().unwrap() -= 1;
            String::from_utf8(d).unwrap()
        };
        let mut cases: Vec<String> = std::vec![
            max.clone(),
            below.clone(),
            std::format!("{max}0"),
            std::format!("{max}.0"),
            std::format!("{max}.000"),
            std::format!("{below}.9999999999999999999999"),
            std::format!("{below}.99999999999999999999990000"),
            std::format!("{}.{}e308", &max[..1], &max[1..]),
            std::format!("{}.{}e308", &below[..1], &below[1..]),
            std::format!("0.{max}e309"),
            std::format!("0.00{below}E+311"),
            std::format!("{below}0e-1"),
            std::format!("{max}0e-1"),
            std::format!("{below}00000000000000000001e-20"),
            "17976931348623157e292".to_string(),
            "17976931348623158e292".to_string(),
            "1.7976931348623157e308".to_string(),
            "1.7976931348623158e308".to_string(),
            "1.7976931348623159e308".to_string(),
            "1.8e308".to_string(),
            "1e308".to_string(),
            "1e309".to_string(),
            "10e308".to_string(),
            "0.1e309".to_string(),
            "0.1e310".to_string(),
            "0e99999999999999999999999".to_string(),
            "0.0000e99999999999999999999999".to_string(),
            "1e-99999999999999999999999".to_string(),
            "1e99999999999999999999999".to_string(),
            "1e+0".to_string(),
            "0".to_string(),
            "9".repeat(308),
            "9".repeat(309),
            std::format!("0.{}e310", "0".repeat(400) + "1"),
            std::format!("1{}e-400", "0".repeat(700)),
        ];
        // A sweep of digit strings and exponents around 10^308 (a small LCG).
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % n
        };
        for _ in 0..2000 {
            let len = 1 + next(40) as usize;
            let prefix = &max[..len.min(max.len())];
            let mut digits: Vec<u8> = prefix.bytes().collect();
            let k = next(len as u64) as usize;
            digits[k] = b'0' + next(10) as u8;
            if digits[0] == b'0' {
                digits[0] = b'1';
            }
            let digits = String::from_utf8(digits).unwrap();
            let exp = 308 - len as i64 + next(3) as i64;
            let frac_at = next(len as u64) as usize;
            cases.push(std::format!("{digits}e{exp}"));
            if frac_at > 0 {
                cases.push(std::format!(
                    "{}.{}e{}",
                    &digits[..frac_at],
                    &digits[frac_at..],
                    exp + (len - frac_at) as i64
                ));
            }
        }
        for c in &cases {
            for text in [c.clone(), std::format!("-{c}")] {
                let want = !text.parse::<f64>().unwrap().is_finite();
                let got = overflows_f64(&Decimal::new(text.as_bytes()));
                assert_eq!(got, want, "{text}");
                let doc = std::format!("{{\"n\":{text}}}");
                let scanned = parse_object(doc.as_bytes(), &Limits::default());
                assert_eq!(scanned.is_err(), want, "{text}");
            }
        }
    }

    #[test]
    fn decimals() {
        let d = |s: &'static str| Decimal::new(s.as_bytes());
        assert_eq!(d("1300819380.5").trunc_u64(), Some(1_300_819_380));
        assert_eq!(d("1.3e9").trunc_u64(), Some(1_300_000_000));
        assert_eq!(d("0.000013e5").trunc_u64(), Some(1));
        assert_eq!(d("0.5").trunc_u64(), Some(0));
        assert_eq!(d("0e5").trunc_u64(), Some(0));
        assert_eq!(d("12e-1").trunc_u64(), Some(1));
        assert_eq!(d("1e20").trunc_u64(), None);
        assert!(d("-1e-400").is_negative());
        assert!(!d("-0.0e7").is_negative());
        const ONE: PackedDigits = packed_digits!("1");
        const ONE_THOUSAND: PackedDigits = packed_digits!("1000");
        const DIGITS: PackedDigits = packed_digits!("123");
        assert_eq!(d("100").cmp_magnitude(&ONE, 3), Ordering::Equal);
        assert_eq!(
            d("100.000").cmp_magnitude(&ONE_THOUSAND, 3),
            Ordering::Equal
        );
        assert_eq!(d("100.001").cmp_magnitude(&ONE, 3), Ordering::Greater);
        assert_eq!(d("99.9").cmp_magnitude(&ONE, 3), Ordering::Less);
        assert_eq!(d("-0.00123e2").cmp_magnitude(&DIGITS, 0), Ordering::Equal);
        assert_eq!(d("0").cmp_magnitude(&ONE, -5), Ordering::Less);
        assert_eq!(d("124").cmp_magnitude(&DIGITS, 3), Ordering::Greater);
        assert_eq!(d("122.9").cmp_magnitude(&DIGITS, 3), Ordering::Less);
    }

    #[test]
    fn depth_limit() {
        // A document nested `n` deep (top-level object included): the innermost container is
        // empty, the others hold one `open`.
        let nest = |n: usize, open: &str, close: &str| {
            let empty = if open == "[" { "[]" } else { "{}" };
            let (o, c) = (open.repeat(n - 2), close.repeat(n - 2));
            std::format!("{{\"a\":{o}{empty}{c}}}")
        };
        let limits = Limits::default();
        // The top-level object is depth 1.
        for (open, close) in [("[", "]"), ("{\"b\":", "}")] {
            let at = nest(16, open, close);
            assert!(parse_object(at.as_bytes(), &limits).is_ok());
            let over = nest(17, open, close);
            let e = parse_object(over.as_bytes(), &limits).unwrap_err();
            assert_eq!(e.kind, JsonErrorKind::TooDeep);
            assert_eq!(e.offset, 5 + 15 * open.len());
        }
        let tight = Limits {
            max_depth: 1,
            ..Limits::default()
        };
        assert!(parse_object(b"{\"a\":1}", &tight).is_ok());
        let e = parse_object(b"{\"a\":[]}", &tight).unwrap_err();
        assert_eq!(e, err(JsonErrorKind::TooDeep, 5));
        let zero = Limits {
            max_depth: 0,
            ..Limits::default()
        };
        assert_eq!(
            parse_object(b"{}", &zero).unwrap_err().kind,
            JsonErrorKind::TooDeep
        );
        // A huge limit is capped at MAX_DEPTH, without recursion.
        let huge = Limits {
            max_depth: usize::MAX,
            ..Limits::default()
        };
        assert!(parse_object(nest(MAX_DEPTH, "[", "]").as_bytes(), &huge).is_ok());
        let e = parse_object(nest(MAX_DEPTH + 1, "[", "]").as_bytes(), &huge).unwrap_err();
        assert_eq!(e.kind, JsonErrorKind::TooDeep);
        let deep = std::format!("{{\"a\":{}", "[".repeat(100_000));
        assert_eq!(
            parse_object(deep.as_bytes(), &huge).unwrap_err().kind,
            JsonErrorKind::TooDeep
        );
    }

    #[test]
    fn duplicates() {
        fails_at(r#"{"a":1,"a":2}"#, JsonErrorKind::DuplicateMember, 7);
        fails_at(r#"{"a":1,"\u0061":2}"#, JsonErrorKind::DuplicateMember, 7);
        fails_at(r#"{"\u0061":1,"a":2}"#, JsonErrorKind::DuplicateMember, 12);
        fails_at(
            r#"{"\u0061":1,"\u0061":2}"#,
            JsonErrorKind::DuplicateMember,
            12,
        );
        fails(r#"{"a\/b":1,"a/b":2}"#, JsonErrorKind::DuplicateMember);
        fails(
            r#"{"abcdefgh":1,"x":[],"abcdefgh":2}"#,
            JsonErrorKind::DuplicateMember,
        );
        fails(
            r#"{"abcdefgh":1,"abcdefg\u0068":2}"#,
            JsonErrorKind::DuplicateMember,
        );
        fails(r#"{"":1,"":2}"#, JsonErrorKind::DuplicateMember);
        fails_at(
            r#"{"x":{"a":1,"b":{"c":1},"a":2}}"#,
            JsonErrorKind::DuplicateMember,
            24,
        );
        fails(
            r#"{"x":[{"a":1},{"b":1,"b":2}]}"#,
            JsonErrorKind::DuplicateMember,
        );
        fails(r#"{"a":{"a":{}},"a":2}"#, JsonErrorKind::DuplicateMember);
        // Back in an enclosing object after nested ones, its names are still checked.
        fails(
            r#"{"a":1,"x":[{"b":1}],"a":2}"#,
            JsonErrorKind::DuplicateMember,
        );
        fails(
            r#"{"a":1,"x":{"b":{"c":1}},"a":2}"#,
            JsonErrorKind::DuplicateMember,
        );
        fails(
            r#"{"x":{"a":1,"y":[{"a":1},{"b":[]}],"a":2}}"#,
            JsonErrorKind::DuplicateMember,
        );
        // A repeat among many names (every filter bit set).
        let mut many: String = (0..100).map(|k| std::format!("\"k{k}\":{k},")).collect();
        many.insert(0, '{');
        let dup = std::format!("{many}\"k57\":0}}");
        fails_at(&dup, JsonErrorKind::DuplicateMember, many.len());
        ok(&std::format!("{many}\"k100\":0}}"));
        // Same names in different objects, and near misses, are fine.
        ok(r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":{"a":1,"b":2}}"#);
        ok(r#"{"abcdefgh":1,"abcdefgi":2,"abcd":3,"abc":4,"ab\u0000":5,"ab":6}"#);
        ok(r#"{"a":1,"A":2,"\u0062":3,"a ":4}"#);
    }

    #[test]
    fn too_many_members() {
        let members = |n: usize| {
            let body: Vec<String> = (0..n).map(|k| std::format!("\"k{k}\":{k}")).collect();
            std::format!("{{{}}}", body.join(","))
        };
        assert_eq!(ok(&members(MAX_OPEN_MEMBERS)).len(), MAX_OPEN_MEMBERS);
        let over = members(MAX_OPEN_MEMBERS + 1);
        let e = parse(&over).unwrap_err();
        assert_eq!(e.kind, JsonErrorKind::TooManyMembers);
        assert_eq!(e.offset, over.find("\"k128\"").unwrap());
        let four = Limits {
            max_open_members: 4,
            ..Limits::default()
        };
        assert!(parse_object(br#"{"a":{"b":1,"c":2},"d":{"e":1,"f":2}}"#, &four).is_ok());
        // Names of enclosing objects stay open while nested ones are scanned.
        let e = parse_object(br#"{"a":1,"b":2,"c":{"d":1,"e":2}}"#, &four).unwrap_err();
        assert_eq!(e, err(JsonErrorKind::TooManyMembers, 24));
        let none = Limits {
            max_open_members: 0,
            ..Limits::default()
        };
        assert!(parse_object(b"{}", &none).is_ok());
        assert_eq!(
            parse_object(b"{\"a\":1}", &none).unwrap_err().kind,
            JsonErrorKind::TooManyMembers
        );
    }

    #[test]
    fn callback_reports_top_level_members() {
        let doc = br#"{"iss":"https://a.example","aud":["x","y"],"exp":1700000000,"nested":{"k":{"z":null}},"ok":true,"e":{},"n":null}"#;
        let mut seen: Vec<(String, &'static str)> = Vec::new();
        let o = parse_object_with(doc, &Limits::default(), |k, v| {
            seen.push((k.chars().collect(), v.type_name()));
            Ok::<(), JsonError>(())
        })
        .unwrap();
        let names: Vec<(&str, &str)> = seen.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        assert_eq!(
            names,
            [
                ("iss", "string"),
                ("aud", "array"),
                ("exp", "number"),
                ("nested", "object"),
                ("ok", "boolean"),
                ("e", "object"),
                ("n", "null"),
            ]
        );
        assert_eq!(o.raw(), &doc[..]);
        // Container values are reported with their full raw span.
        let mut aud = None;
        parse_object_with(doc, &Limits::default(), |k, v| {
            if k.eq_str("aud") {
                aud = v.as_array();
            }
            Ok::<(), JsonError>(())
        })
        .unwrap();
        assert_eq!(aud.unwrap().raw(), br#"["x","y"]"#);
    }

    #[test]
    fn callback_errors_abort() {
        #[derive(Debug, PartialEq)]
        enum MyErr {
            Json(JsonError),
            Stop(usize),
        }
        impl From<JsonError> for MyErr {
            fn from(e: JsonError) -> Self {
                MyErr::Json(e)
            }
        }
        let mut calls = 0;
        let r = parse_object_with(br#"{"a":1,"b":2,"c":3}"#, &Limits::default(), |k, _| {
            calls += 1;
            if k.eq_str("b") {
                Err(MyErr::Stop(calls))
            } else {
                Ok(())
            }
        });
        assert_eq!(r.unwrap_err(), MyErr::Stop(2));
        assert_eq!(calls, 2);
        let r = parse_object_with(br#"{"a":1,"a":2}"#, &Limits::default(), |_, _| {
            Ok::<(), MyErr>(())
        });
        assert_eq!(
            r.unwrap_err(),
            MyErr::Json(err(JsonErrorKind::DuplicateMember, 7))
        );
    }

    #[test]
    fn get_members_and_arrays() {
        let o = ok(
            r#" { "a" : [ 1 , "two" , { "x" : [ ] } , [ ] , true , false , null , -1.5e3 ] , "b" : { } , "c\"}" : "]}" } "#,
        );
        assert_eq!(o.len(), 3);
        let a = o.get("a").unwrap().as_array().unwrap();
        assert_eq!(a.len(), 8);
        let types: Vec<&str> = a.iter().map(|v| v.type_name()).collect();
        assert_eq!(
            types,
            [
                "number", "string", "object", "array", "boolean", "boolean", "null", "number"
            ]
        );
        let elems: Vec<JsonValue<'_>> = a.into_iter().collect();
        assert!(elems[1].as_str().unwrap().eq_str("two"));
        assert_eq!(
            elems[2]
                .as_object()
                .unwrap()
                .get("x")
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert!(elems[3].as_array().unwrap().is_empty());
        assert_eq!(elems[4].as_bool(), Some(true));
        assert!(elems[6].is_null());
        assert_eq!(elems[7].as_number().unwrap().raw(), "-1.5e3");
        assert!(o.get("b").unwrap().as_object().unwrap().is_empty());
        assert!(o.get("c\"}").unwrap().as_str().unwrap().eq_str("]}"));
        assert!(o.get("d").is_none());
        assert!(o.get("c").is_none());
        let names: Vec<String> = o.members().map(|(k, _)| k.chars().collect()).collect();
        assert_eq!(names, ["a", "b", "c\"}"]);
        assert!(o.get("a").unwrap().as_str().is_none());
        assert!(o.get("a").unwrap().as_object().is_none());
        assert!(o.get("a").unwrap().as_bool().is_none());
        assert!(o.get("a").unwrap().as_number().is_none());
    }

    #[test]
    fn string_comparisons() {
        let o = ok(r#"{"p":"kid-2","e":"kid\u002d2","q":"é","r":"\u00e9","s":"\ud83d\ude00"}"#);
        let s = |k: &str| o.get(k).unwrap().as_str().unwrap();
        assert!(s("p").eq_str("kid-2"));
        assert!(s("e").eq_str("kid-2"));
        assert!(!s("e").eq_str("kid-3"));
        assert!(!s("e").eq_str("kid-"));
        assert!(!s("e").eq_str("kid-22"));
        assert!(s("p").same_value(&s("e")));
        assert_ne!(s("p"), s("e")); // PartialEq is raw.
        assert!(s("q").same_value(&s("r")));
        assert_eq!(s("p").as_str(), Some("kid-2"));
        assert_eq!(s("e").as_str(), None);
        for key in ["p", "e"] {
            assert_eq!(s(key).cmp_str("kid-2"), Ordering::Equal);
            assert_eq!(s(key).cmp_str("kid-1"), Ordering::Greater);
            assert_eq!(s(key).cmp_str("kid-3"), Ordering::Less);
            assert_eq!(s(key).cmp_str("kid-"), Ordering::Greater);
            assert_eq!(s(key).cmp_str("kid-20"), Ordering::Less);
            assert_eq!(s(key).cmp_str(""), Ordering::Greater);
        }
        // Byte order of UTF-8 is code point order.
        assert_eq!(s("r").cmp_str("z"), Ordering::Greater);
        assert_eq!(s("s").cmp_str("\u{ffff}"), Ordering::Greater);
        assert_eq!(s("s").cmp_str("\u{1f601}"), Ordering::Less);
        // Binary search by kid over decoded values.
        let kids = ["a", "kid-1", "kid-2", "kid-3", "z"];
        assert_eq!(
            kids.binary_search_by(|k| s("e").cmp_str(k).reverse()),
            Ok(2)
        );
    }

    #[test]
    fn unescape_into_buffers() {
        let o = ok(r#"{"a":"plain","b":"x\u20acy","c":""}"#);
        let s = |k: &str| o.get(k).unwrap().as_str().unwrap();
        let mut buf = [0u8; 5];
        assert_eq!(s("a").unescape_into(&mut buf).unwrap(), "plain");
        let mut small = [0u8; 4];
        assert_eq!(
            s("a").unescape_into(&mut small).unwrap_err(),
            err(JsonErrorKind::BufferTooSmall, 5)
        );
        assert_eq!(s("b").unescaped_len(), 5);
        assert_eq!(s("b").unescape_into(&mut buf).unwrap(), "x€y");
        assert_eq!(
            s("b").unescape_into(&mut small).unwrap_err(),
            err(JsonErrorKind::BufferTooSmall, 5)
        );
        assert_eq!(s("c").unescape_into(&mut []).unwrap(), "");
        assert_eq!(s("c").chars().count(), 0);
        let e = s("b").unescape_into(&mut small).unwrap_err();
        assert_eq!(e.to_string(), "json: buffer too small at byte 5");
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn to_cow() {
        use alloc::borrow::Cow;
        let o = ok(r#"{"a":"plain","b":"x\ny"}"#);
        assert!(matches!(
            o.get("a").unwrap().as_str().unwrap().to_cow(),
            Cow::Borrowed("plain")
        ));
        let b = o.get("b").unwrap().as_str().unwrap().to_cow();
        assert!(matches!(&b, Cow::Owned(s) if s == "x\ny"));
    }

    #[test]
    fn display() {
        let e = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap_err();
        assert_eq!(e.to_string(), "json: duplicate member at byte 13");
        assert_eq!(
            err(JsonErrorKind::UnexpectedEnd, 0).to_string(),
            "json: unexpected end of input at byte 0"
        );
    }

    #[test]
    fn iterators_never_panic_on_garbage() {
        // Views are only built by the scanner, but must end quietly on anything.
        let garbage: [&[u8]; 12] = [
            b"",
            b"{",
            b"[",
            b"{\"",
            b"{\"a\"",
            b"{\"a\":",
            b"{\"a\":[",
            b"[\"\\",
            b"{\"a\":\"\\u12",
            b"[1,",
            b"}{",
            b"[tru",
        ];
        for g in garbage {
            let o = JsonObject { raw: g };
            let _ = o.members().count();
            let _ = o.get("a");
            let a = JsonArray { raw: g };
            let _ = a.iter().count();
            let s = JsonStr {
                raw: g,
                escaped: true,
            };
            let _ = s.chars().count();
            let _ = s.unescaped_len();
            let _ = s.eq_str("a");
            let _ = s.cmp_str("a");
            let _ = s.unescape_into(&mut [0u8; 8]);
            let n = JsonNumber { raw: g };
            let _ = (n.as_u64(), n.as_i64(), n.as_f64(), n.is_integer(), n.raw());
        }
        for bad in [
            &b"\\ud800"[..],
            b"\\udc00",
            b"\\ud800\\u0041",
            b"\\",
            b"\\u",
            b"\\x",
            b"\xff",
        ] {
            let s = JsonStr {
                raw: bad,
                escaped: true,
            };
            let _ = s.chars().count();
            let _ = s.same_value(&s);
            let _ = s.unescape_into(&mut [0u8; 16]);
        }
    }

    #[test]
    fn every_prefix_fails_without_panicking() {
        let doc = r#"{"iss":"https://a.example/\u00e9","aud":["x",{"y":[1,-2.5e+3,true,false,null]}],"s":"\ud83d\ude00"}"#;
        ok(doc);
        for end in 0..doc.len() {
            let e = parse_object(&doc.as_bytes()[..end], &Limits::default()).unwrap_err();
            assert_eq!(e.kind, JsonErrorKind::UnexpectedEnd, "prefix {end}");
        }
    }
}
