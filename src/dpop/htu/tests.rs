//! `htu` normalisation: RFC 3986 §5.2.4, §6.2.2 and §6.2.3 examples, RFC 5952
//! IPv6 text forms, the RFC 9449 figures' URIs, and (under `alloc`) a
//! differential check against the WHATWG parser of the `url` crate, which the
//! alloc tier used before.

use super::*;

/// The normal form rendered into a fixed buffer (no allocator needed).
fn norm(uri: &str) -> Result<heapless::String<256>, HtuError> {
    let n = NormalizedHtu::parse(uri)?;
    let mut s = heapless::String::new();
    write!(s, "{n}").map_err(|_| HtuError::TooLong)?;
    Ok(s)
}

/// The normal form, or `refused: <why>` (no expected value starts that way, so an
/// `assert_eq!` against a normal form fails and shows why).
fn ok(uri: &str) -> heapless::String<256> {
    norm(uri).unwrap_or_else(|e| {
        let mut s = heapless::String::new();
        let _ = write!(s, "refused: {e}");
        s
    })
}

/// `parts` joined into a fixed buffer; a test whose strings do not fit fails here.
fn cat<const N: usize>(parts: &[&str]) -> heapless::String<N> {
    let mut s = heapless::String::new();
    for p in parts {
        assert!(s.push_str(p).is_ok(), "test string over {N} bytes");
    }
    s
}

#[test]
fn stray_percent_is_refused() {
    assert_eq!(
        norm("https://r.example/a%e%44"),
        Err(HtuError::InvalidPercentEncoding)
    );
    assert_eq!(
        norm("https://r.example/a%"),
        Err(HtuError::InvalidPercentEncoding)
    );
    assert_eq!(ok("https://r.example/a%eD"), "https://r.example/a%ED");
    assert!(!htu_matches(
        "https://r.example/%e%44",
        "https://r.example/%e%44"
    ));
}

#[test]
fn rfc3986_6_2_2_example() {
    // RFC 3986 §6.2.2: "example://a/b/c/%7Bfoo%7D" and
    // "eXAMPLE://a/./b/../b/%63/%7bfoo%7d" are equivalent. Only http(s) is an
    // HTTP target URI, so the example scheme is refused...
    assert!(!htu_matches(
        "example://a/b/c/%7Bfoo%7D",
        "eXAMPLE://a/./b/../b/%63/%7bfoo%7d"
    ));
    assert_eq!(norm("example://a/b/c/%7Bfoo%7D"), Err(HtuError::NotHttpUri));
    // ...and the same URIs with the http scheme are equivalent.
    assert!(htu_matches(
        "http://a/b/c/%7Bfoo%7D",
        "HTTP://A/./b/../b/%63/%7bfoo%7d"
    ));
    assert_eq!(
        ok("hTTp://a/./b/../b/%63/%7bfoo%7d"),
        "http://a/b/c/%7Bfoo%7D"
    );
}

#[test]
fn rfc3986_6_2_2_1_case() {
    // RFC 3986 §6.2.2.1: scheme and host are case-insensitive, hex digits of
    // percent-encodings are upper case; the path keeps its case.
    assert_eq!(ok("HTTP://www.EXAMPLE.com/"), "http://www.example.com/");
    assert_eq!(ok("http://a/%3a%2f/B"), "http://a/%3A%2F/B");
    assert!(!htu_matches("http://a/B", "http://a/b"));
}

#[test]
fn rfc3986_6_2_2_2_unreserved_decoded() {
    // RFC 3986 §6.2.2.2: %41-%5A, %61-%7A, %30-%39, %2D, %2E, %5F, %7E decoded.
    assert_eq!(ok("http://a/%41%7a%30%2D%2e%5F%7e"), "http://a/Az0-._~");
    // Reserved characters stay encoded: %2F is not a separator.
    assert_eq!(ok("http://a/b%2fc"), "http://a/b%2Fc");
    assert!(!htu_matches("http://a/b%2Fc", "http://a/b/c"));
    // In the host too (a registered name), lower-cased after decoding.
    assert_eq!(ok("http://%45xample.com/"), "http://example.com/");
    assert_eq!(norm("http://ex%20ample.com/"), Err(HtuError::InvalidHost));
}

#[test]
fn rfc3986_6_2_3_scheme_based() {
    // RFC 3986 §6.2.3: these four are equivalent.
    for uri in [
        "http://example.com",
        "http://example.com/",
        "http://example.com:/",
        "http://example.com:80/",
    ] {
        assert_eq!(ok(uri), "http://example.com/", "{uri}");
    }
    assert_eq!(ok("https://example.com:443"), "https://example.com/");
    // Another scheme's default port is kept.
    assert_eq!(ok("https://example.com:80/"), "https://example.com:80/");
    assert_eq!(ok("http://example.com:443/"), "http://example.com:443/");
    assert_eq!(ok("http://example.com:0080/"), "http://example.com/");
    assert_eq!(ok("http://example.com:8080/"), "http://example.com:8080/");
}

#[test]
fn rfc3986_5_2_4_dot_segments() {
    // RFC 3986 §5.2.4's example: "/a/b/c/./../../g" becomes "/a/g".
    assert_eq!(ok("http://x/a/b/c/./../../g"), "http://x/a/g");
    // RFC 3986 §5.4.1-5.4.2 results for base "http://a/b/c/d;p?q", written as
    // the merged paths they resolve from (§5.2.3).
    for (merged, want) in [
        ("http://a/b/c/./g", "http://a/b/c/g"),
        ("http://a/b/c/g/", "http://a/b/c/g/"),
        ("http://a/b/c/.", "http://a/b/c/"),
        ("http://a/b/c/./", "http://a/b/c/"),
        ("http://a/b/c/..", "http://a/b/"),
        ("http://a/b/c/../", "http://a/b/"),
        ("http://a/b/c/../g", "http://a/b/g"),
        ("http://a/b/c/../..", "http://a/"),
        ("http://a/b/c/../../", "http://a/"),
        ("http://a/b/c/../../g", "http://a/g"),
        // §5.4.2 abnormal examples: more ".." than segments.
        ("http://a/b/c/../../../g", "http://a/g"),
        ("http://a/b/c/../../../../g", "http://a/g"),
        ("http://a/./g", "http://a/g"),
        ("http://a/../g", "http://a/g"),
        ("http://a/b/c/g.", "http://a/b/c/g."),
        ("http://a/b/c/.g", "http://a/b/c/.g"),
        ("http://a/b/c/g..", "http://a/b/c/g.."),
        ("http://a/b/c/..g", "http://a/b/c/..g"),
        ("http://a/b/c/./../g", "http://a/b/g"),
        ("http://a/b/c/./g/.", "http://a/b/c/g/"),
        ("http://a/b/c/g/./h", "http://a/b/c/g/h"),
        ("http://a/b/c/g/../h", "http://a/b/c/h"),
        ("http://a/b/c/g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("http://a/b/c/g;x=1/../y", "http://a/b/c/y"),
    ] {
        assert_eq!(ok(merged), want, "{merged}");
    }
    // Encoded dots are dots once decoded (§6.2.2.2 before §6.2.2.3).
    assert_eq!(ok("http://a/b/%2E%2e/c/%2e/d"), "http://a/c/d");
    assert_eq!(ok("http://a/b/.%2E"), "http://a/");
    // Empty segments are segments: ".." removes one.
    assert_eq!(ok("http://a/b//../c"), "http://a/b/c");
    assert_eq!(ok("http://a//b"), "http://a//b");
}

#[test]
fn query_and_fragment_are_ignored() {
    // RFC 9449 §4.3 check 9: "without query and fragment parts".
    assert!(htu_matches(
        "https://r.example/mcp",
        "https://r.example/mcp?x=1#f"
    ));
    assert_eq!(ok("https://r.example?x"), "https://r.example/");
    assert_eq!(ok("https://r.example#f/.."), "https://r.example/");
    // Whatever the query holds (it is not normalised or checked).
    assert_eq!(ok("https://r.example/a?{ }%"), "https://r.example/a");
}

#[test]
fn rfc9449_figure_uris() {
    // RFC 9449 Figures 2 and 13: the htu values, already in normal form.
    for uri in [
        "https://server.example.com/token",
        "https://resource.example.org/protectedresource",
    ] {
        assert_eq!(ok(uri), uri);
    }
    assert!(htu_matches(
        "https://server.example.com/token",
        "HTTPS://Server.Example.COM:443/a/../token?x#y"
    ));
    for other in [
        "https://server.example.com/token/",
        "http://server.example.com/token",
        "https://server.example.com:8443/token",
        "https://server.example.org/token",
        "https://server.example.com/Token",
    ] {
        assert!(
            !htu_matches("https://server.example.com/token", other),
            "{other}"
        );
    }
}

#[test]
fn ipv6_literals() {
    // RFC 3986 §3.2.2 IP-literal, compared as addresses, written as RFC 5952 §4.
    assert_eq!(ok("http://[::1]:8080/x"), "http://[::1]:8080/x");
    assert!(htu_matches("http://[::1]/", "HTTP://[0:0:0:0:0:0:0:1]:80"));
    assert!(!htu_matches("http://[::1]/", "http://[::2]/"));
    for (text, want) in [
        // RFC 5952 §4.1 leading zeros, §4.2.1 longest run, §4.3 lower case.
        ("[2001:0db8::0001]", "[2001:db8::1]"),
        ("[2001:db8:0:0:1:0:0:1]", "[2001:db8::1:0:0:1]"),
        ("[2001:db8:0:0:0:0:2:1]", "[2001:db8::2:1]"),
        // RFC 5952 §4.2.2: one zero group is not compressed.
        ("[2001:db8:0:1:1:1:1:1]", "[2001:db8:0:1:1:1:1:1]"),
        // RFC 5952 §4.2.3: the first of two equal runs.
        ("[2001:0:0:1:0:0:0:1]", "[2001:0:0:1::1]"),
        ("[2001:db8::aaaa:0:0:1]", "[2001:db8::aaaa:0:0:1]"),
        ("[2001:DB8::AB]", "[2001:db8::ab]"),
        ("[1:2:3:4:5:6:7::]", "[1:2:3:4:5:6:7:0]"),
        ("[::]", "[::]"),
        ("[1::]", "[1::]"),
        // RFC 4291 §2.2 form 3 (IPv4 in the last 32 bits).
        ("[::ffff:192.0.2.1]", "[::ffff:c000:201]"),
        ("[1:2:3:4:5:6:1.2.3.4]", "[1:2:3:4:5:6:102:304]"),
    ] {
        let uri = cat::<64>(&["https://", text]);
        let want_uri = cat::<64>(&["https://", want, "/"]);
        assert_eq!(ok(&uri), want_uri, "{text}");
    }
    for bad in [
        "http://[::1/",
        "http://[::1]x/",
        "http://[1:2:3:4:5:6:7:8:9]/",
        "http://[1:2:3:4:5:6:7]/",
        "http://[1:2:3:4:5:6:7:8::]/",
        "http://[1::2::3]/",
        "http://[:::]/",
        "http://[:1::]/",
        "http://[12345::]/",
        "http://[+1::]/",
        "http://[::1%25eth0]/",
        "http://[v1.fe]/",
        "http://[::1.2.3.04]/",
        "http://[::1.2.3.256]/",
        "http://[::1.2.3]/",
        "http://[1.2.3.4::]/",
        "http://[]/",
    ] {
        assert_eq!(norm(bad), Err(HtuError::InvalidHost), "{bad}");
    }
}

#[test]
fn refused_uris() {
    for (uri, e) in [
        ("/mcp", HtuError::NotHttpUri),
        ("", HtuError::NotHttpUri),
        ("mcp.example/x", HtuError::NotHttpUri),
        ("ftp://a/b", HtuError::NotHttpUri),
        ("wss://a/b", HtuError::NotHttpUri),
        ("http:a/b", HtuError::NotHttpUri),
        ("http:/a/b", HtuError::NotHttpUri),
        ("http:///a/b", HtuError::NotHttpUri),
        ("http://:80/", HtuError::NotHttpUri),
        (" http://a/", HtuError::NotHttpUri),
        // RFC 9110 §4.2.4: userinfo is deprecated; refused.
        ("https://u:p@r.example/mcp", HtuError::NotHttpUri),
        ("https://@r.example/mcp", HtuError::NotHttpUri),
        ("http://a:b:c/", HtuError::InvalidPort),
        ("http://a:8x/", HtuError::InvalidPort),
        ("http://a:65536/", HtuError::InvalidPort),
        ("http://a:99999999999999999999/", HtuError::InvalidPort),
        ("http://a:-1/", HtuError::InvalidPort),
        ("http://ex!ample/", HtuError::InvalidHost),
        ("http://a b/", HtuError::InvalidHost),
        ("http://é.example/", HtuError::InvalidHost),
        ("http://a\\b", HtuError::InvalidHost),
        // RFC 3986 §3.2.2 / WHATWG "ends in a number": only dotted-decimal.
        ("http://127.1/", HtuError::InvalidHost),
        ("http://1.2.3.256/", HtuError::InvalidHost),
        ("http://01.2.3.4/", HtuError::InvalidHost),
        ("http://a.b.0x1F/", HtuError::InvalidHost),
        ("http://a.1/", HtuError::InvalidHost),
        ("http://a.0x/", HtuError::InvalidHost),
        ("http://1/", HtuError::InvalidHost),
        ("http://%31.2.3.4/", HtuError::InvalidHost),
        ("http://a/b c", HtuError::InvalidCharacter),
        ("http://a/{foo}", HtuError::InvalidCharacter),
        ("http://a/b\\c", HtuError::InvalidCharacter),
        ("http://a/é", HtuError::InvalidCharacter),
        ("http://a/\t", HtuError::InvalidCharacter),
        ("http://a/b[1]", HtuError::InvalidCharacter),
    ] {
        assert_eq!(norm(uri), Err(e), "{uri}");
    }
    assert_eq!(ok("http://a:65535/"), "http://a:65535/");
    // Names with digits that do not end in a number, and dotted-decimal IPv4.
    for uri in [
        "http://127.0.0.1/",
        "http://255.255.255.255:8080/",
        "http://1.example/",
        "http://a.1x/",
        "http://0x.0xg/",
        "http://a1./",
    ] {
        assert_eq!(ok(uri), uri);
    }
    // Sub-delims, ':' and '@' are path characters (RFC 3986 §3.3).
    assert_eq!(ok("http://a/!$&'()*+,;=:@"), "http://a/!$&'()*+,;=:@");
}

#[test]
fn segment_bound() {
    let mut uri = cat::<512>(&["http://a"]);
    for _ in 0..MAX_PATH_SEGMENTS {
        uri = cat(&[&uri, "/s"]);
    }
    assert!(NormalizedHtu::parse(&uri).is_ok());
    // Dot segments do not count once removed (a last one leaves an empty
    // segment: the trailing "/").
    let mut dots = cat::<512>(&["http://a"]);
    for _ in 0..100 {
        dots = cat(&[&dots, "/."]);
    }
    dots = cat(&[&dots, uri.get("http://a".len()..).unwrap_or_default()]);
    assert!(NormalizedHtu::parse(&dots).is_ok());
    dots = cat(&[&dots, "/."]);
    assert_eq!(NormalizedHtu::parse(&dots).err(), Some(HtuError::TooLong));
    uri = cat(&[&uri, "/s"]);
    assert_eq!(NormalizedHtu::parse(&uri).err(), Some(HtuError::TooLong));
}

#[test]
fn normal_form_is_idempotent_and_matches_equality() {
    let corpus = [
        "HTTPS://Server.Example.COM:443/a/./b/../%7etoken?x#y",
        "http://[0::0:1]:0080/%2e%2E/a%2f/%5b/",
        "http://a/b//../../c/.",
        "https://x.example:8443",
        "http://a/%41%2F%7E%25",
        "http://%41%62.example/",
    ];
    for a in corpus {
        assert!(norm(a).is_ok(), "{a}");
        let n = ok(a);
        assert_eq!(ok(&n), n, "{a}");
        assert!(htu_matches(a, &n), "{a}");
        for b in corpus {
            assert_eq!(htu_matches(a, b), ok(a) == ok(b), "{a} {b}");
        }
    }
}

/// The old alloc-tier normalisation: the WHATWG parser of the `url` crate, then
/// RFC 3986 §6.2.2.1-2 on the path (transcribed from the previous version).
#[cfg(feature = "alloc")]
fn whatwg(uri: &str) -> Option<alloc::string::String> {
    use alloc::string::String;
    let url = url::Url::parse(uri).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return None;
    }
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let mut out = String::new();
    write!(out, "{}://{}", url.scheme(), url.host_str()?).ok()?;
    if let Some(port) = url.port() {
        write!(out, ":{port}").ok()?;
    }
    let b = url.path().as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let h = hex(*b.get(i + 1)?)?;
            let l = hex(*b.get(i + 2)?)?;
            let v = h * 16 + l;
            if is_unreserved(v) {
                out.push(char::from(v));
            } else {
                write!(out, "%{v:02X}").ok()?;
            }
            i += 3;
        } else {
            out.push(char::from(c));
            i += 1;
        }
    }
    Some(out)
}

#[cfg(feature = "alloc")]
#[test]
fn same_normal_form_as_whatwg_on_valid_uris() {
    for uri in [
        "https://server.example.com/token",
        "https://resource.example.org/protectedresource",
        "HTTPS://Server.Example.COM:443/a/./b/../%7etoken?x#y",
        "http://a/b/c/%7Bfoo%7D",
        "HTTP://A/./b/../b/%63/%7bfoo%7d",
        "http://example.com",
        "http://example.com:/",
        "http://example.com:80/",
        "http://example.com:0080/",
        "https://example.com:80/",
        "http://x/a/b/c/./../../g",
        "http://a/b/c/..",
        "http://a/b/c/.",
        "http://a/b/%2E%2e/c/%2e/d",
        "http://a/b//../c",
        "http://a//b",
        "http://a/b%2fc",
        "http://a/!$&'()*+,;=:@",
        "http://[::1]:8080/x",
        "http://[2001:0db8:0:0:0:0:2:1]/",
        "http://[2001:0:0:1:0:0:0:1]/",
        "http://[::ffff:192.0.2.1]/",
        "http://[1:2:3:4:5:6:7::]/",
        "http://%45xample.com/",
        "http://127.0.0.1:8080/mcp",
        "https://r.example/mcp?x=1#f",
    ] {
        let old = whatwg(uri);
        assert!(old.is_some(), "{uri}");
        assert_eq!(normalize_htu(uri).ok(), old, "{uri}");
    }
}

/// Where the RFC 3986 normalisation and the old WHATWG-based one disagree: the
/// old parser repaired or reinterpreted these; they are refused now, or (the
/// IPv4 shorthands) compared as written.
#[cfg(feature = "alloc")]
#[test]
fn known_differences_from_whatwg() {
    for (uri, old, new) in [
        // WHATWG percent-encodes what RFC 3986 does not allow in a path.
        (
            "http://a/{foo}",
            "http://a/%7Bfoo%7D",
            HtuError::InvalidCharacter,
        ),
        ("http://a/b c", "http://a/b%20c", HtuError::InvalidCharacter),
        ("http://a/é", "http://a/%C3%A9", HtuError::InvalidCharacter),
        ("http://a/b|c", "http://a/b|c", HtuError::InvalidCharacter),
        // WHATWG reads "\" as "/" in http(s) URIs.
        ("http://a/b\\c", "http://a/b/c", HtuError::InvalidCharacter),
        // WHATWG repairs missing or extra slashes after the scheme.
        ("http:a/b", "http://a/b", HtuError::NotHttpUri),
        ("http:/a/b", "http://a/b", HtuError::NotHttpUri),
        ("http:///a/b", "http://a/b", HtuError::NotHttpUri),
        // WHATWG strips surrounding spaces and removes tabs and newlines.
        (" http://a/", "http://a/", HtuError::NotHttpUri),
        ("http://a/b\tc", "http://a/bc", HtuError::InvalidCharacter),
        // An empty userinfo: WHATWG drops it.
        ("http://@a/", "http://a/", HtuError::NotHttpUri),
        // IDNA: WHATWG maps a non-ASCII host to Punycode.
        (
            "http://é.example/",
            "http://xn--9ca.example/",
            HtuError::InvalidHost,
        ),
        // Sub-delims in a registered name: not in DNS names.
        ("http://a!b/", "http://a!b/", HtuError::InvalidHost),
    ] {
        assert_eq!(whatwg(uri).as_deref(), Some(old), "{uri}");
        assert_eq!(normalize_htu(uri), Err(new), "{uri}");
    }
    // WHATWG rewrites IPv4 shorthands to dotted-decimal; here a host ending
    // in a number must be a dotted-decimal IPv4 address.
    for (uri, old) in [
        ("http://127.1/", "http://127.0.0.1/"),
        ("http://0x7f.0.0.1/", "http://127.0.0.1/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://127.000.0.1/", "http://127.0.0.1/"),
        ("http://1.2.3.4./", "http://1.2.3.4/"),
        ("http://0x7f/", "http://0.0.0.127/"),
    ] {
        assert_eq!(whatwg(uri).as_deref(), Some(old), "{uri}");
        assert_eq!(normalize_htu(uri), Err(HtuError::InvalidHost), "{uri}");
    }
    // A stray '%' in a segment that ".." removes: WHATWG removed the segment
    // first; here the whole path must be valid.
    let uri = "http://a/b/%/../c";
    assert_eq!(whatwg(uri).as_deref(), Some("http://a/b/c"));
    assert_eq!(normalize_htu(uri), Err(HtuError::InvalidPercentEncoding));
}

/// Generated URIs from pieces that exercise each rule: whatever is accepted is
/// idempotent, matches its own normal form, and has the normal form the WHATWG
/// parser gives (every difference is a refusal, listed above); `htu_matches`
/// is equality of normal forms.
#[cfg(feature = "alloc")]
mod generated {
    use super::*;
    use alloc::format;
    use alloc::string::String;
    use proptest::prelude::*;

    fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(items)
    }

    fn uri() -> impl Strategy<Value = String> {
        let scheme = pick(&["http", "HTTPS", "hTtp", "https", "ftp", ""]);
        let sep = pick(&["://", "://", "://", ":/", ":", ":///"]);
        let name = proptest::collection::vec(
            pick(&[
                "a", "B", "ex", "-", "_", "~", ".", "%41", "%2e", "%20", "1", "0", "127", "255",
                "256", "0x7f", "!", ":", "@", "é",
            ]),
            0..5,
        )
        .prop_map(|v| v.concat());
        let ipv6 = proptest::collection::vec(
            pick(&[
                "0", "1", "ff", "FFFF", "db8", "00000", "1.2.3.4", "::", ":", "", "g",
            ]),
            0..10,
        )
        .prop_map(|v| format!("[{}]", v.join(":")));
        let port = proptest::option::of(pick(&[
            "", "80", "443", "0080", "8080", "65535", "65536", "x",
        ]));
        let path = proptest::collection::vec(
            pick(&[
                "a", "B", "z9", "-", "_", "~", ".", "..", "%2e", "%2E", "%41", "%7e", "%2F", "%2f",
                "%", "%4", "%zz", ":", "@", "!", "$", "'", "(", ")", "*", "+", ",", ";", "=", "{",
                " ", "é", "\\", "|", "[", "]", "/", "//", "?", "#", "x?y", "#f", "0", "1",
            ]),
            0..8,
        );
        (scheme, sep, prop_oneof![name, ipv6], port, path).prop_map(
            |(scheme, sep, host, port, path)| {
                let mut u = format!("{scheme}{sep}{host}");
                if let Some(p) = port {
                    u.push(':');
                    u.push_str(p);
                }
                for p in path {
                    u.push('/');
                    u.push_str(p);
                }
                u
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
        #[test]
        fn accepted_is_idempotent_and_whatwg_agrees(a in uri(), b in uri()) {
            if let Ok(n) = normalize_htu(&a) {
                let again = normalize_htu(&n);
                prop_assert_eq!(again.as_deref(), Ok(n.as_str()));
                prop_assert!(htu_matches(&a, &n));
                let old = whatwg(&a);
                prop_assert_eq!(old.as_deref(), Some(n.as_str()));
            }
            let same = matches!(
                (normalize_htu(&a), normalize_htu(&b)),
                (Ok(x), Ok(y)) if x == y
            );
            prop_assert_eq!(htu_matches(&a, &b), same);
        }
    }
}
