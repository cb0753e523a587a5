//! Differential tests of the zero-copy JSON scanner against serde_json.
//!
//! Directions asserted:
//! - whenever the scanner accepts, serde_json accepts too and sees the same values (member names,
//!   strings, numbers, booleans, nulls, structure);
//! - whenever serde_json rejects, the scanner rejects;
//! - when serde_json accepts and the scanner rejects, it is only for a rule serde_json does not
//!   enforce: duplicate names, depth, member count, or a top level that is not an object.

use oauth_core::encoding::json::*;
use serde_json::Value;

/// Asserts that our view `ours` and serde_json's `theirs` hold the same value.
fn same(ours: JsonValue<'_>, theirs: &Value, doc: &[u8]) {
    let ctx = || String::from_utf8_lossy(doc).into_owned();
    match (ours, theirs) {
        (JsonValue::Null, Value::Null) => {}
        (JsonValue::Bool(a), Value::Bool(b)) => assert_eq!(a, *b, "{}", ctx()),
        (JsonValue::String(s), Value::String(t)) => {
            let decoded: String = s.chars().collect();
            assert_eq!(&decoded, t, "{}", ctx());
            assert!(s.eq_str(t), "{}", ctx());
            assert_eq!(s.cmp_str(t), std::cmp::Ordering::Equal, "{}", ctx());
            assert_eq!(s.unescaped_len(), t.len(), "{}", ctx());
            let mut buf = vec![0u8; t.len()];
            assert_eq!(s.unescape_into(&mut buf).unwrap(), t, "{}", ctx());
            if !s.has_escapes() {
                assert_eq!(s.as_str(), Some(t.as_str()), "{}", ctx());
            }
        }
        (JsonValue::Number(n), Value::Number(m)) => {
            if let Some(u) = m.as_u64() {
                assert_eq!(n.as_u64(), Some(u), "{}", ctx());
            } else if let Some(i) = m.as_i64() {
                assert_eq!(n.as_i64(), Some(i), "{}", ctx());
            } else {
                let theirs = m.as_f64().unwrap();
                let ours = n
                    .as_f64()
                    .unwrap_or_else(|| panic!("{}: {}", n.raw(), ctx()));
                // serde_json's default float parser may be off by an ulp or so.
                let tol = theirs.abs() * 1e-15;
                assert!(
                    (ours - theirs).abs() <= tol,
                    "{} vs {theirs}: {}",
                    n.raw(),
                    ctx()
                );
            }
        }
        (JsonValue::Array(a), Value::Array(v)) => {
            assert_eq!(a.len(), v.len(), "{}", ctx());
            for (x, y) in a.iter().zip(v) {
                same(x, y, doc);
            }
        }
        (JsonValue::Object(o), Value::Object(m)) => {
            // No duplicates (we reject them), so the member counts match.
            assert_eq!(o.len(), m.len(), "{}", ctx());
            for (k, v) in o.members() {
                let name: String = k.chars().collect();
                let theirs = m
                    .get(&name)
                    .unwrap_or_else(|| panic!("{name:?}: {}", ctx()));
                same(v, theirs, doc);
                assert!(o.get(&name).is_some(), "{}", ctx());
            }
        }
        (a, b) => panic!("{} vs {b:?}: {}", a.type_name(), ctx()),
    }
}

/// Below `f64::MAX` by a few ulps. serde_json's default float parser (without its
/// `float_roundtrip` feature) is not correctly rounded, so right at the overflow boundary it can
/// call a number out of range that core's `str::parse::<f64>` rounds to `f64::MAX`, or the other
/// way round. With `float_roundtrip` the two agree exactly (checked on 6M mutated documents).
const NEAR_DOUBLE_MAX: f64 = 1.797_693_134_862_31e308;

fn ours_near_double_max(v: JsonValue<'_>) -> bool {
    match v {
        JsonValue::Number(n) => n.as_f64().is_some_and(|f| f.abs() >= NEAR_DOUBLE_MAX),
        JsonValue::Array(a) => a.iter().any(ours_near_double_max),
        JsonValue::Object(o) => o.members().any(|(_, v)| ours_near_double_max(v)),
        _ => false,
    }
}

fn theirs_near_double_max(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(|f| f.abs() >= NEAR_DOUBLE_MAX),
        Value::Array(a) => a.iter().any(theirs_near_double_max),
        Value::Object(o) => o.values().any(theirs_near_double_max),
        _ => false,
    }
}

/// Runs both parsers on `doc` and checks the directions; returns whether we accepted.
fn check(doc: &[u8]) -> bool {
    let limits = Limits::default();
    let mut reported: Vec<(JsonStr<'_>, JsonValue<'_>)> = Vec::new();
    let ours = parse_object_with(doc, &limits, |k, v| {
        reported.push((k, v));
        Ok::<(), JsonError>(())
    });
    let theirs = serde_json::from_slice::<Value>(doc);
    match (&ours, &theirs) {
        (Ok(obj), Ok(value)) => {
            let map = value
                .as_object()
                .unwrap_or_else(|| panic!("not an object: {}", String::from_utf8_lossy(doc)));
            // The callback saw every top-level member, in document order, and `members` agrees.
            let members: Vec<_> = obj.members().collect();
            assert_eq!(reported.len(), members.len());
            assert_eq!(reported.len(), map.len());
            for ((k1, v1), (k2, v2)) in reported.iter().zip(&members) {
                assert_eq!(k1, k2);
                assert!(k1.same_value(k2));
                same(*v1, &map[&k1.chars().collect::<String>()], doc);
                same(*v2, &map[&k2.chars().collect::<String>()], doc);
            }
            same(JsonValue::Object(*obj), value, doc);
            // Same result without the callback.
            assert_eq!(parse_object(doc, &limits).unwrap().raw(), obj.raw());
            true
        }
        (Ok(obj), Err(e))
            if e.to_string().starts_with("number out of range")
                && ours_near_double_max(JsonValue::Object(*obj)) =>
        {
            true
        }
        (Err(e), Ok(value))
            if e.kind == JsonErrorKind::InvalidNumber && theirs_near_double_max(value) =>
        {
            false
        }
        (Ok(_), Err(e)) => panic!(
            "we accepted, serde_json rejected ({e}): {:?}",
            String::from_utf8_lossy(doc)
        ),
        (Err(e), Ok(_)) => {
            assert!(
                matches!(
                    e.kind,
                    JsonErrorKind::DuplicateMember
                        | JsonErrorKind::TooDeep
                        | JsonErrorKind::TooManyMembers
                        | JsonErrorKind::NotAnObject
                ),
                "we rejected ({e}), serde_json accepted: {:?}",
                String::from_utf8_lossy(doc)
            );
            assert!(e.offset <= doc.len());
            false
        }
        (Err(e), Err(_)) => {
            assert!(e.offset <= doc.len(), "{e}");
            false
        }
    }
}

const VALID: &[&str] = &[
    r#"{}"#,
    r#" { } "#,
    "\t\r\n{\t\r\n}\t\r\n",
    r#"{"a":1}"#,
    r#"{"a":-0}"#,
    r#"{"a":0.0}"#,
    r#"{"a":-0.0e-0}"#,
    r#"{"a":1e5,"b":1E+5,"c":1e-5,"d":-1.25E-2}"#,
    r#"{"a":123456789012345678901234567890}"#,
    r#"{"a":18446744073709551615,"b":18446744073709551616,"c":-9223372036854775808,"d":-9223372036854775809}"#,
    r#"{"a":1.7976931348623157e308,"b":-1.7976931348623157e308,"c":5e-324,"d":1e-400}"#,
    r#"{"a":true,"b":false,"c":null}"#,
    r#"{"a":"","b":" ","c":"\"","d":"\\","e":"\/","f":"\b\f\n\r\t"}"#,
    r#"{"a":"\u0000\u001f\u0020\u007f\u0080\u07ff\u0800\uffff"}"#,
    r#"{"a":"\uD834\uDD1E","b":"\ud83d\ude00","c":"\uDBFF\uDFFF","d":"\uD800\uDC00"}"#,
    "{\"a\":\"é€😀\u{7f}\u{80}\u{10ffff}\"}",
    "{\"clé\":\"valeur\",\"😀\":\"smile\",\"日本\":\"語\"}",
    r#"{"\u0061b":1,"c\u0064":2}"#,
    r#"{"a":[],"b":{},"c":[[]],"d":{"e":{}}}"#,
    r#"{"a":[1,"2",[3],{"4":5},true,false,null]}"#,
    r#"{"a":{"a":{"a":{"a":1}}},"b":{"a":2}}"#,
    r#"{"a":[{"a":1},{"a":2},{"a":3}]}"#,
    r#"{"a" : 1 , "b" : [ 1 , 2 ] , "c" : { "d" : null } }"#,
    r#"{"iss":"https://issuer.example.com","sub":"248289761001","aud":["s6BhdRkqt3","api://default"],"exp":1311281970,"iat":1311280970,"nbf":1311280970,"jti":"id123456","scope":"openid profile email","client_id":"s6BhdRkqt3","auth_time":1311280969,"acr":"urn:mace:incommon:iap:silver","amr":["pwd","mfa"]}"#,
    r#"{"alg":"ES256","typ":"JWT","kid":"2024-01-key"}"#,
    r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","use":"sig"}"#,
    r#"{"keys":[{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","kid":"HMAC key used in JWS spec Appendix A.1 example"}]}"#,
    r#"{"a":"<\/script>","b":"line1\nline2","c":"tab\there"}"#,
    r#"{"":""}"#,
    r#"{"":{"":[""]}}"#,
    r#"{"abcdefgh":1,"abcdefgi":2,"abcdefg":3,"abcdefghi":4}"#,
    r#"{"a":1,"A":2,"a ":3," a":4}"#,
    r#"{"a\u0000":1,"a":2}"#,
    r#"{"x":"a very long string value that spans several eight byte chunks of input, with \"escapes\" and \u00e9 too"}"#,
    r#"{"a":[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}"#,
    r#"{"a":[0,-0,1,-1,10,-10,0.1,-0.1,1e1,1E1,1e+1,1e-1,1.5e10]}"#,
    r#"{"n":9007199254740993}"#,
    r#"{"s":"\u00e9t\u00E9"}"#,
    r#"{"s":"\u2028\u2029"}"#,
    "{\"s\":\"\u{2028}\u{2029}\"}",
    r#"{"a":{"b":[1,{"c":[2,{"d":3}]}]}}"#,
];

const INVALID: &[&str] = &[
    "",
    " ",
    "{",
    "}",
    "{,}",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{\"a\":1 \"b\":2}",
    "{\"a\":1,,\"b\":2}",
    "{a:1}",
    "{'a':1}",
    "{\"a\":'b'}",
    "{\"a\":01}",
    "{\"a\":-01}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":+1}",
    "{\"a\":-}",
    "{\"a\":1e}",
    "{\"a\":1e+}",
    "{\"a\":0x10}",
    "{\"a\":NaN}",
    "{\"a\":Infinity}",
    "{\"a\":-Infinity}",
    "{\"a\":1e400}",
    "{\"a\":True}",
    "{\"a\":nul}",
    "{\"a\":truefalse}",
    "{\"a\":\"\\x41\"}",
    "{\"a\":\"\\u12\"}",
    "{\"a\":\"\\u12G4\"}",
    "{\"a\":\"\\'\"}",
    "{\"a\":\"\\uD800\"}",
    "{\"a\":\"\\uDC00\"}",
    "{\"a\":\"\\uD800\\u0041\"}",
    "{\"a\":\"\\uD800\\uD800\"}",
    "{\"a\":\"\\uD800x\"}",
    "{\"a\":\"\n\"}",
    "{\"a\":\"\t\"}",
    "{\"a\":\"\u{0}\"}",
    "{\"a\":[1,]}",
    "{\"a\":[1 2]}",
    "{\"a\":[}",
    "{\"a\":{]}",
    "{\"a\":1}}",
    "{\"a\":1}x",
    "{}{}",
    "{}[]",
    "\u{feff}{}",
    "{\u{a0}}",
    "{\"a\":1}\u{0}",
    "{\"a\"::1}",
    "{\"a\":1:2}",
    "{\"a\":[1,2}",
    "{\"a\":\"abc}",
    "{\"a\":\"abc\\\"}",
    "{\"a\":tru}",
    "{\"a\":fals}",
    "{\"a\":-a}",
    "{\"a\":1.5.5}",
    "{\"a\":1e5e5}",
    "/* comment */{}",
    "{} // comment",
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"\\u0061\":2}",
    "{\"x\":{\"b\":1,\"b\":2}}",
    "[]",
    "[1]",
    "\"a\"",
    "1",
    "true",
    "null",
];

#[test]
fn hand_written_valid_documents() {
    for doc in VALID {
        assert!(check(doc.as_bytes()), "rejected: {doc}");
    }
}

#[test]
fn hand_written_invalid_documents() {
    for doc in INVALID {
        assert!(!check(doc.as_bytes()), "accepted: {doc}");
    }
    let bytes: &[&[u8]] = &[
        b"{\"a\":\"\xff\"}",
        b"{\"a\":\"\xc3\"}",
        b"{\"a\":\"\xed\xa0\x80\"}",
        b"{\"a\":\"\xc0\xaf\"}",
        b"{\"a\":\"\xf4\x90\x80\x80\"}",
        b"{\"\xe9\":1}",
        b"{\"a\":1}\xff",
    ];
    for doc in bytes {
        assert!(!check(doc));
    }
}

#[test]
fn deep_documents_are_refused_without_recursion() {
    let deep = format!("{{\"a\":{}", "[".repeat(1 << 20));
    let e = parse_object(deep.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(e.kind, JsonErrorKind::TooDeep);
    assert!(!check(deep.as_bytes()));
}

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that matter to the grammar, plus a few that never do.
const INTERESTING: &[u8] =
    b"{}[]\":,\\/ \t\r\n0123456789-+.eEtrufalsn\x00\x1f\x7f\x80\xbf\xc3\xe2\xed\xf0\xffbu";

fn mutate(rng: &mut Rng, doc: &mut Vec<u8>) {
    let ops = 1 + rng.below(3);
    for _ in 0..ops {
        let len = doc.len();
        let byte = if rng.below(4) == 0 {
            rng.next() as u8
        } else {
            INTERESTING[rng.below(INTERESTING.len())]
        };
        match rng.below(7) {
            0 | 1 if len > 0 => {
                let i = rng.below(len);
                doc[i] = byte;
            }
            2 => {
                let i = rng.below(len + 1);
                doc.insert(i, byte);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                doc.remove(i);
            }
            4 if len > 0 => {
                // Duplicate a span (repeats members, nests containers).
                let a = rng.below(len);
                let b = (a + 1 + rng.below(16)).min(len);
                let span = doc[a..b].to_vec();
                let at = rng.below(len + 1);
                doc.splice(at..at, span);
            }
            5 if len > 0 => {
                doc.truncate(rng.below(len));
            }
            _ => {
                // Insert an escape or a surrogate fragment.
                let frags: [&[u8]; 8] = [
                    b"\\u0061", b"\\ud83d", b"\\ude00", b"\\n", b"\\u00e9", b"\\\"", b"1e9", b"-0",
                ];
                let f = frags[rng.below(frags.len())];
                let at = rng.below(len + 1);
                doc.splice(at..at, f.iter().copied());
            }
        }
    }
}

#[test]
fn mutated_documents() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0usize;
    let cases = 20_000;
    for n in 0..cases {
        let seed = VALID[n % VALID.len()].as_bytes();
        let mut doc = seed.to_vec();
        mutate(&mut rng, &mut doc);
        if check(&doc) {
            accepted += 1;
        }
    }
    // Plenty of mutants stay valid (whitespace, digits, letters in strings, ...).
    assert!(accepted > cases / 20, "only {accepted} accepted");
    assert!(accepted < cases, "all accepted");
}
