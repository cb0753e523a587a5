//! RFC 9449 §4.3 check 9, the `htu` comparison: the HTTP target URI without query
//! and fragment, after syntax-based (RFC 3986 §6.2.2) and scheme-based (RFC 3986
//! §6.2.3) normalisation. No allocator: [`NormalizedHtu`] keeps slices of the
//! input and the positions of its path segments (at most [`MAX_PATH_SEGMENTS`]),
//! compares two URIs piece by piece and renders the normal form through
//! `core::fmt`. The same code serves every tier ([`normalize_htu`], under `alloc`,
//! renders it into a `String`).
//!
//! The grammar is RFC 3986's (§3), restricted to what an HTTP target URI is:
//! - scheme `http` or `https` (any case), then `//` (RFC 9110 §4.2.1-4.2.2);
//! - no userinfo (RFC 9110 §4.2.4: deprecated, and a phishing vector);
//! - host: an IPv6 literal (`[::1]`, RFC 3986 §3.2.2; compared as an address,
//!   rendered as RFC 5952 §4 recommends) or a registered name of unreserved
//!   characters and percent-encodings of them (no sub-delims: not in DNS names);
//!   an IPv4 address only in dotted-decimal form (RFC 3986 §3.2.2; a name
//!   ending in a number otherwise, such as `127.1` or `0x7f.1`, is refused:
//!   WHATWG parsers read those as IPv4 shorthands);
//! - port: digits, at most 65535; empty or the scheme's default is dropped;
//! - path: `pchar`s and `/` (RFC 3986 §3.3); anything else, such as a space or
//!   `{`, is refused rather than percent-encoded (the caller's URI is not a URI).

use core::fmt::{self, Write as _};

/// The most path segments a URI may keep after dot-segment removal: the bound
/// of the no-alloc representation (4 bytes per segment).
pub const MAX_PATH_SEGMENTS: usize = 64;

/// Why a URI could not be normalised for the `htu` comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HtuError {
    /// Not an absolute `http` or `https` URI with an authority, or one with
    /// userinfo (RFC 9449 §4.2: `htu` is the HTTP target URI; RFC 9110 §4.2.4).
    NotHttpUri,
    /// The host is neither a registered name of unreserved characters nor an
    /// IPv6 literal (RFC 3986 §3.2.2).
    InvalidHost,
    /// The port is not a number up to 65535 (RFC 3986 §3.2.3).
    InvalidPort,
    /// A character RFC 3986 §3.3 does not allow in a path.
    InvalidCharacter,
    /// A `%` that does not start a percent-encoding (`%` HEXDIG HEXDIG, RFC 3986
    /// §2.1). Such a URI is not valid, and normalising it would not be
    /// idempotent (`%e%44` becomes `%eD`, which is then read as `%ED`).
    InvalidPercentEncoding,
    /// More than [`MAX_PATH_SEGMENTS`] path segments, or a path over 65,535 bytes.
    TooLong,
}

impl fmt::Display for HtuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotHttpUri => "htu: not an absolute http(s) uri (RFC 9449 §4.2)",
            Self::InvalidHost => {
                "htu: host is not a registered name or ipv6 literal (RFC 3986 §3.2.2)"
            }
            Self::InvalidPort => "htu: port is not a number up to 65535 (RFC 3986 §3.2.3)",
            Self::InvalidCharacter => "htu: a character not allowed in a path (RFC 3986 §3.3)",
            Self::InvalidPercentEncoding => {
                "htu: a '%' that does not start a percent-encoding (RFC 3986 §2.1)"
            }
            Self::TooLong => "htu: too many path segments to compare without an allocator",
        })
    }
}

impl core::error::Error for HtuError {}

/// RFC 3986 §2.3 unreserved characters.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §3.3 `pchar`, without `pct-encoded` (checked apart).
fn is_pchar(b: u8) -> bool {
    is_unreserved(b) || b"!$&'()*+,;=:@".contains(&b)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The bytes of a validated component after RFC 3986 §6.2.2.1 (percent-encodings
/// in upper-case hex) and §6.2.2.2 (those of unreserved characters decoded).
#[derive(Clone)]
struct Normalised<'a> {
    rest: &'a [u8],
    /// Upper-case hex digits still to emit after a `%`.
    pending: [u8; 2],
    npending: usize,
}

impl<'a> Normalised<'a> {
    fn new(raw: &'a [u8]) -> Self {
        Self {
            rest: raw,
            pending: [0; 2],
            npending: 0,
        }
    }
}

impl Iterator for Normalised<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.npending > 0 {
            let b = self.pending.get(2 - self.npending).copied();
            self.npending -= 1;
            return b;
        }
        match self.rest {
            [b'%', h, l, tail @ ..] => {
                if let (Some(h), Some(l)) = (hex(*h), hex(*l)) {
                    self.rest = tail;
                    let v = h * 16 + l;
                    if is_unreserved(v) {
                        return Some(v);
                    }
                    self.pending = [
                        UPPER_HEX.get(usize::from(h)).copied().unwrap_or(b'0'),
                        UPPER_HEX.get(usize::from(l)).copied().unwrap_or(b'0'),
                    ];
                    self.npending = 2;
                    return Some(b'%');
                }
                // Not reached for a validated component: emitted as is.
                self.rest = self.rest.get(1..).unwrap_or(&[]);
                Some(b'%')
            }
            [b, tail @ ..] => {
                self.rest = tail;
                Some(*b)
            }
            [] => None,
        }
    }
}

/// Checks a component: each `%` starts a percent-encoding (RFC 3986 §2.1), every
/// other byte passes `allowed` (else `bad`).
fn validate(raw: &[u8], allowed: fn(u8) -> bool, bad: HtuError) -> Result<(), HtuError> {
    let mut rest = raw;
    while let [b, tail @ ..] = rest {
        if *b == b'%' {
            match tail {
                [h, l, tail @ ..] if hex(*h).is_some() && hex(*l).is_some() => rest = tail,
                _ => return Err(HtuError::InvalidPercentEncoding),
            }
        } else if allowed(*b) {
            rest = tail;
        } else {
            return Err(bad);
        }
    }
    Ok(())
}

/// The host of an HTTP URI.
#[derive(Clone, Copy, Debug)]
enum Host<'a> {
    /// A validated registered name (compared lower-cased, RFC 3986 §6.2.2.1).
    Name(&'a [u8]),
    /// An IPv6 address.
    Ipv6([u16; 8]),
}

/// Whether a registered name's last label (a trailing dot aside) is a number,
/// decimal or `0x` hex: the WHATWG URL Standard's "ends in a number" (§3.5),
/// for which browsers and URL libraries read the host as an IPv4 address in one
/// of its shorthand forms (`127.1`, `0x7f.1`, `2130706433`).
fn ends_in_number(name: &[u8]) -> bool {
    // (length, all digits, 0x-hex so far) of the current and the previous label.
    let mut cur = (0usize, true, true);
    let mut prev = None;
    for b in Normalised::new(name) {
        if b == b'.' {
            prev = Some(cur);
            cur = (0, true, true);
            continue;
        }
        let hex_ok = match cur.0 {
            0 => b == b'0',
            1 => b == b'x' || b == b'X',
            _ => hex(b).is_some(),
        };
        cur = (cur.0 + 1, cur.1 && b.is_ascii_digit(), cur.2 && hex_ok);
    }
    let last = match (cur.0, prev) {
        (0, Some(p)) => p,
        _ => cur,
    };
    let (len, digits, hex_form) = last;
    len > 0 && (digits || (hex_form && len >= 2))
}

/// RFC 3986 §3.2.2 `dec-octet` (no leading zeros), four of them.
fn parse_ipv4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        if !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `h16` groups separated by `:`, the last of the address possibly an IPv4
/// address (two groups).
fn ipv6_groups(part: &str, out: &mut heapless::Vec<u16, 8>, ipv4_last: bool) -> Option<()> {
    if part.is_empty() {
        return Some(());
    }
    let mut groups = part.split(':').peekable();
    while let Some(g) = groups.next() {
        if ipv4_last && groups.peek().is_none() && g.contains('.') {
            let [a, b, c, d] = parse_ipv4(g)?;
            out.push(u16::from_be_bytes([a, b])).ok()?;
            out.push(u16::from_be_bytes([c, d])).ok()?;
        } else {
            if g.is_empty() || g.len() > 4 {
                return None;
            }
            let mut v = 0u16;
            for b in g.bytes() {
                v = v * 16 + u16::from(hex(b)?);
            }
            out.push(v).ok()?;
        }
    }
    Some(())
}

/// RFC 3986 §3.2.2 `IPv6address` (RFC 4291 §2.2 text forms).
fn parse_ipv6(s: &str) -> Option<[u16; 8]> {
    let mut head = heapless::Vec::<u16, 8>::new();
    let mut tail = heapless::Vec::<u16, 8>::new();
    let mut out = [0u16; 8];
    match s.split_once("::") {
        None => {
            ipv6_groups(s, &mut head, true)?;
            if head.len() != 8 {
                return None;
            }
            out.copy_from_slice(&head);
        }
        Some((h, t)) => {
            ipv6_groups(h, &mut head, false)?;
            ipv6_groups(t, &mut tail, true)?;
            // `::` stands for at least one group of zeros.
            if head.len() + tail.len() > 7 {
                return None;
            }
            out.get_mut(..head.len())?.copy_from_slice(&head);
            out.get_mut(8 - tail.len()..)?.copy_from_slice(&tail);
        }
    }
    Some(out)
}

/// RFC 5952 §4: lower-case hex without leading zeros, the first longest run of
/// two or more zero groups as `::`.
fn write_ipv6(f: &mut fmt::Formatter<'_>, a: &[u16; 8]) -> fmt::Result {
    let (mut best, mut best_len, mut i) = (0, 0, 0);
    while i < 8 {
        let start = i;
        while a.get(i) == Some(&0) {
            i += 1;
        }
        if i - start > best_len {
            (best, best_len) = (start, i - start);
        }
        i += 1;
    }
    if best_len < 2 {
        best_len = 0;
        best = 8;
    }
    f.write_char('[')?;
    let mut i = 0;
    while i < 8 {
        if i == best {
            f.write_str("::")?;
            i += best_len;
            continue;
        }
        if i > 0 && i != best + best_len {
            f.write_char(':')?;
        }
        write!(f, "{:x}", a.get(i).copied().unwrap_or(0))?;
        i += 1;
    }
    f.write_char(']')
}

/// An HTTP URI in RFC 3986 §6.2.2-§6.2.3 normal form, for the RFC 9449 §4.3
/// check 9 comparison: lower-case scheme and host, default port dropped, an
/// empty path as `/`, dot segments removed (§5.2.4), percent-encodings in
/// upper case and those of unreserved characters decoded; query and fragment
/// dropped. `==` compares normal forms; `Display` writes it.
///
/// ```
/// use oauth_core::dpop::NormalizedHtu;
/// // RFC 3986 §6.2.2's example, with the http scheme.
/// let a = NormalizedHtu::parse("HTTP://A/./b/../b/%63/%7bfoo%7d?q#f")?;
/// let b = NormalizedHtu::parse("http://a/b/c/%7Bfoo%7D")?;
/// assert!(a == b);
/// let mut s = heapless::String::<64>::new();
/// core::fmt::write(&mut s, format_args!("{a}")).unwrap();
/// assert_eq!(s, "http://a/b/c/%7Bfoo%7D");
/// # Ok::<(), oauth_core::dpop::HtuError>(())
/// ```
#[derive(Clone, Debug)]
pub struct NormalizedHtu<'a> {
    https: bool,
    host: Host<'a>,
    /// `None` for the scheme's default port (RFC 3986 §6.2.3).
    port: Option<u16>,
    path: &'a [u8],
    /// `(start, end)` in `path` of each segment kept after dot-segment removal.
    segments: heapless::Vec<(u16, u16), MAX_PATH_SEGMENTS>,
}

impl<'a> NormalizedHtu<'a> {
    /// Parses and normalises an absolute `http` or `https` URI.
    ///
    /// # Errors
    /// The [`HtuError`] naming the first rule broken.
    pub fn parse(uri: &'a str) -> Result<Self, HtuError> {
        // RFC 3986 §3.1: scheme ":"; §6.2.2.1: the scheme is case-insensitive.
        let (scheme, rest) = uri.split_once(':').ok_or(HtuError::NotHttpUri)?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return Err(HtuError::NotHttpUri);
        };
        // RFC 3986 §3.2: "//" authority, ended by "/", "?", "#" or the end.
        let rest = rest.strip_prefix("//").ok_or(HtuError::NotHttpUri)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at_checked(end).ok_or(HtuError::NotHttpUri)?;
        // RFC 9449 §4.3 check 9: query and fragment are not compared.
        let path = rest.split(['?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(HtuError::NotHttpUri);
        }
        let (host, port) = if let Some(literal) = authority.strip_prefix('[') {
            // RFC 3986 §3.2.2 IP-literal; IPvFuture and zone identifiers are refused.
            let (inner, after) = literal.split_once(']').ok_or(HtuError::InvalidHost)?;
            let addr = parse_ipv6(inner).ok_or(HtuError::InvalidHost)?;
            let port = match after {
                "" => "",
                p => p.strip_prefix(':').ok_or(HtuError::InvalidHost)?,
            };
            (Host::Ipv6(addr), port)
        } else {
            let (name, port) = authority.split_once(':').unwrap_or((authority, ""));
            if name.is_empty() {
                return Err(HtuError::NotHttpUri);
            }
            // A registered name: unreserved characters and percent-encodings of
            // them (decoded by RFC 3986 §6.2.2.2, so no other is allowed).
            validate(name.as_bytes(), is_unreserved, HtuError::InvalidHost)?;
            if !Normalised::new(name.as_bytes()).all(is_unreserved) {
                return Err(HtuError::InvalidHost);
            }
            // RFC 3986 §3.2.2: a host that matches IPv4address is one. A name
            // that ends in a number but is not that dotted-decimal form is
            // refused: no DNS name ends in an all-numeric label (RFC 3696 §2), and
            // WHATWG parsers read it as an IPv4 shorthand, so it has no one meaning.
            if ends_in_number(name.as_bytes()) && parse_ipv4(name).is_none() {
                return Err(HtuError::InvalidHost);
            }
            (Host::Name(name.as_bytes()), port)
        };
        // RFC 3986 §3.2.3 port = *DIGIT; §6.2.3: empty or default port dropped.
        let port = if port.is_empty() {
            None
        } else {
            if !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HtuError::InvalidPort);
            }
            let n = port
                .bytes()
                .try_fold(0u32, |n, d| {
                    n.checked_mul(10)?
                        .checked_add(u32::from(d - b'0'))
                        .filter(|v| *v <= u32::from(u16::MAX))
                })
                .ok_or(HtuError::InvalidPort)?;
            let n = u16::try_from(n).map_err(|_| HtuError::InvalidPort)?;
            (n != if https { 443 } else { 80 }).then_some(n)
        };
        let segments = remove_dot_segments(path.as_bytes())?;
        Ok(Self {
            https,
            host,
            port,
            path: path.as_bytes(),
            segments,
        })
    }

    fn segment(&self, (start, end): (u16, u16)) -> Normalised<'a> {
        let raw = self
            .path
            .get(usize::from(start)..usize::from(end))
            .unwrap_or(&[]);
        Normalised::new(raw)
    }
}

/// Whether a validated segment is `.` (1) or `..` (2) after percent-encoding
/// normalisation (`%2E` is `.`, RFC 3986 §6.2.2.2 then §6.2.2.3).
fn dots(seg: &[u8]) -> u8 {
    let mut n = Normalised::new(seg);
    match (n.next(), n.next(), n.next()) {
        (Some(b'.'), None, _) => 1,
        (Some(b'.'), Some(b'.'), None) => 2,
        _ => 0,
    }
}

/// RFC 3986 §5.2.4 `remove_dot_segments` over an absolute path (or an empty
/// one, which §6.2.3 writes as `/`), returning the segments kept. A `.` or `..`
/// as the last segment leaves an empty last segment (the trailing `/`).
fn remove_dot_segments(
    path: &[u8],
) -> Result<heapless::Vec<(u16, u16), MAX_PATH_SEGMENTS>, HtuError> {
    let mut out = heapless::Vec::<(u16, u16), MAX_PATH_SEGMENTS>::new();
    let len = u16::try_from(path.len()).map_err(|_| HtuError::TooLong)?;
    if let Some(body) = path.strip_prefix(b"/") {
        let mut start: u16 = 1;
        let mut segs = body.split(|b| *b == b'/').peekable();
        while let Some(seg) = segs.next() {
            validate(seg, is_pchar, HtuError::InvalidCharacter)?;
            // `seg` lies within `path`, whose length fits in u16.
            let end = start.saturating_add(u16::try_from(seg.len()).unwrap_or(u16::MAX));
            let last = segs.peek().is_none();
            let kept = match dots(seg) {
                1 => None,
                2 => {
                    out.pop();
                    None
                }
                _ => Some((start, end)),
            };
            match kept {
                Some(r) => out.push(r).map_err(|_| HtuError::TooLong)?,
                None if last => out.push((end, end)).map_err(|_| HtuError::TooLong)?,
                None => {}
            }
            start = end.saturating_add(1);
        }
    } else if !path.is_empty() {
        // Not reached: the authority ends at the path's first "/".
        return Err(HtuError::NotHttpUri);
    }
    if out.is_empty() {
        // RFC 3986 §6.2.3: an empty path is "/" (one empty segment).
        out.push((len, len)).map_err(|_| HtuError::TooLong)?;
    }
    Ok(out)
}

impl PartialEq for NormalizedHtu<'_> {
    fn eq(&self, other: &Self) -> bool {
        let host = match (self.host, other.host) {
            (Host::Name(a), Host::Name(b)) => Normalised::new(a)
                .map(|c| c.to_ascii_lowercase())
                .eq(Normalised::new(b).map(|c| c.to_ascii_lowercase())),
            (Host::Ipv6(a), Host::Ipv6(b)) => a == b,
            _ => false,
        };
        // Normal segments hold no "/" (a %2F stays encoded), so comparing them one
        // by one is comparing the rendered paths.
        self.https == other.https
            && host
            && self.port == other.port
            && self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(other.segments.iter())
                .all(|(a, b)| self.segment(*a).eq(other.segment(*b)))
    }
}

impl Eq for NormalizedHtu<'_> {}

impl fmt::Display for NormalizedHtu<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.https { "https://" } else { "http://" })?;
        match self.host {
            Host::Name(n) => {
                for c in Normalised::new(n) {
                    f.write_char(char::from(c.to_ascii_lowercase()))?;
                }
            }
            Host::Ipv6(a) => write_ipv6(f, &a)?,
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        for s in &self.segments {
            f.write_char('/')?;
            for c in self.segment(*s) {
                f.write_char(char::from(c))?;
            }
        }
        Ok(())
    }
}

/// The normal form of an HTTP URI for the `htu` comparison, as a `String`
/// (see [`NormalizedHtu`]).
///
/// # Errors
/// As [`NormalizedHtu::parse`].
#[cfg(feature = "alloc")]
pub fn normalize_htu(uri: &str) -> Result<alloc::string::String, HtuError> {
    use alloc::string::ToString as _;
    NormalizedHtu::parse(uri).map(|n| n.to_string())
}

/// Whether `htu` (from the proof) and `request_uri` name the same resource after
/// normalisation (RFC 9449 §4.3 check 9). An unparsable side never matches.
#[must_use]
pub fn htu_matches(htu: &str, request_uri: &str) -> bool {
    match (NormalizedHtu::parse(htu), NormalizedHtu::parse(request_uri)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
