//! RFC 9449 §4.3 `htu` comparison: the request URI without query and fragment,
//! after syntax-based (RFC 3986 §6.2.2) and scheme-based (RFC 3986 §6.2.3)
//! normalisation.

use alloc::string::String;

use crate::encoding::form::hex_val;

/// Why a URI could not be normalised for the `htu` comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HtuError {
    /// Not an absolute `http` or `https` URI (RFC 9449 §4.2: `htu` is the HTTP
    /// target URI).
    NotHttpUri,
    /// A `%` that does not start a percent-encoding (`%` HEXDIG HEXDIG, RFC 3986
    /// §2.1). Such a URI is not valid, and normalising it would not be
    /// idempotent (`%e%44` becomes `%eD`, which is then read as `%ED`).
    InvalidPercentEncoding,
}

impl core::fmt::Display for HtuError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotHttpUri => "htu: not an absolute http(s) uri (RFC 9449 §4.2)",
            Self::InvalidPercentEncoding => {
                "htu: a '%' that does not start a percent-encoding (RFC 3986 §2.1)"
            }
        })
    }
}

impl core::error::Error for HtuError {}

/// RFC 3986 §2.3 unreserved characters.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §6.2.2.1-2: percent-encodings in upper-case hex, and those of
/// unreserved characters decoded.
fn normalise_percent(path: &str, out: &mut String) -> Result<(), HtuError> {
    let b = path.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex_val),
                b.get(i + 2).copied().and_then(hex_val),
            )
        {
            let v = h * 16 + l;
            if is_unreserved(v) {
                out.push(char::from(v));
            } else {
                out.push('%');
                out.push(char::from(b"0123456789ABCDEF"[usize::from(h)]));
                out.push(char::from(b"0123456789ABCDEF"[usize::from(l)]));
            }
            i += 3;
        } else if c == b'%' {
            // RFC 3986 §2.1: '%' only as the start of a percent-encoding (found by the
            // dpop_proof fuzz target: a stray '%' made normalisation non-idempotent).
            return Err(HtuError::InvalidPercentEncoding);
        } else {
            out.push(char::from(c));
            i += 1;
        }
    }
    Ok(())
}

/// The normalised form of an HTTP URI for the `htu` comparison: lower-case scheme
/// and host, default port dropped, empty path as `/`, dot segments removed,
/// percent-encodings normalised; query and fragment dropped (RFC 9449 §4.3
/// check 9, RFC 3986 §6.2.2-6.2.3).
///
/// # Errors
/// [`HtuError::NotHttpUri`], [`HtuError::InvalidPercentEncoding`].
pub fn normalize_htu(uri: &str) -> Result<String, HtuError> {
    // The WHATWG parser of the `url` crate lower-cases scheme and host, drops a
    // default port, writes an empty path as "/" and removes dot segments.
    let url = url::Url::parse(uri).map_err(|_| HtuError::NotHttpUri)?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(HtuError::NotHttpUri);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(HtuError::NotHttpUri);
    }
    let host = url.host_str().ok_or(HtuError::NotHttpUri)?;
    let mut out = String::with_capacity(uri.len());
    out.push_str(url.scheme());
    out.push_str("://");
    out.push_str(host);
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(itoa(port).as_str());
    }
    normalise_percent(url.path(), &mut out)?;
    Ok(out)
}

fn itoa(v: u16) -> heapless::String<5> {
    let mut s = heapless::String::new();
    let _ = core::fmt::Write::write_fmt(&mut s, format_args!("{v}"));
    s
}

/// Whether `htu` (from the proof) and `request_uri` name the same resource after
/// normalisation (RFC 9449 §4.3 check 9). An unparsable side never matches.
#[must_use]
pub fn htu_matches(htu: &str, request_uri: &str) -> bool {
    match (normalize_htu(htu), normalize_htu(request_uri)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_percent_is_refused() {
        assert_eq!(
            normalize_htu("https://r.example/a%e%44"),
            Err(HtuError::InvalidPercentEncoding)
        );
        assert_eq!(
            normalize_htu("https://r.example/a%"),
            Err(HtuError::InvalidPercentEncoding)
        );
        assert_eq!(
            normalize_htu("https://r.example/a%eD").as_deref(),
            Ok("https://r.example/a%ED")
        );
        assert!(!htu_matches(
            "https://r.example/%e%44",
            "https://r.example/%e%44"
        ));
    }

    #[test]
    fn rfc3986_normalisations() {
        // RFC 3986 §6.2.2 example: these are equivalent.
        // (a non-http scheme is refused)
        assert!(!htu_matches(
            "example://a/b/c/%7Bfoo%7D",
            "eXAMPLE://a/./b/../b/%63/%7bfoo%7d"
        ));
        assert!(htu_matches(
            "http://a/b/c/%7Bfoo%7D",
            "HTTP://A/./b/../b/%63/%7bfoo%7d"
        ));
        // RFC 3986 §6.2.3: default port, empty path.
        assert!(htu_matches("http://example.com", "http://example.com:80/"));
        assert!(htu_matches(
            "https://Server.Example.com/token",
            "https://server.example.com:443/token"
        ));
        // Query and fragment ignored (RFC 9449 §4.3 check 9).
        assert!(htu_matches(
            "https://r.example/mcp",
            "https://r.example/mcp?x=1#f"
        ));
        // Different paths, schemes or ports do not match.
        assert!(!htu_matches(
            "https://r.example/mcp",
            "https://r.example/mcp/"
        ));
        assert!(!htu_matches(
            "https://r.example/mcp",
            "http://r.example/mcp"
        ));
        assert!(!htu_matches(
            "https://r.example/mcp",
            "https://r.example:8443/mcp"
        ));
        assert!(!htu_matches("/mcp", "/mcp"));
        assert!(!htu_matches(
            "https://u:p@r.example/mcp",
            "https://u:p@r.example/mcp"
        ));
    }
}
