//! Property tests of every untrusted-input parser (issue 3, item 3): arbitrary bytes
//! never panic and get a typed error, and structured inputs get exactly the answer a
//! model of the rules gives. Core-tier parsers run in every tier; the `alloc` ones
//! (`JwkSet`, forms, Basic credentials) where they exist.
//!
//! - `CompactJws::parse`: `Ok` iff two dots and a non-empty header; segments by index.
//! - `Header::parse`, `Claims::parse`: over arbitrary bytes, `Ok` only for what
//!   serde_json reads as an object with the same members; over generated objects
//!   (shuffled, re-escaped, also in member names), exactly the model's result.
//! - `json::parse_object`: whatever it accepts serde_json accepts with the same
//!   values; what serde_json accepts it accepts unless a documented limit (duplicate
//!   names, depth, open members) says otherwise; serde_json's own encodings of
//!   generated objects are always accepted and read back the same.
//! - base64url: `decode_public` and `decode_secret` give identical results (output and
//!   error) for any input and buffer, agree with the `base64` crate's strict decoder,
//!   and invert `encode`.
//! - `Jwk::parse` and everything built from a JWK never panic; thumbprints equal an
//!   independent RFC 7638 computation; a private JWK's signing key (alloc) signs what
//!   its public half verifies.
//! - `parse_jwk_set_into` (and `JwkSet::parse`, which must agree with it) follow the
//!   set rules: malformed, mixed `oct`/asymmetric, duplicate (`kid`, `kty`).
//! - `Validation::verify` never panics on arbitrary strings and never accepts them;
//!   over structured tokens (random header and claims objects, HMAC computed here
//!   with sha2, or a wrong signature) its result is exactly the model's, in the
//!   documented check order.
//! - `form::parse_form` agrees with `form_urlencoded` wherever the input decodes to
//!   UTF-8, inverts `encode_form`; Basic credentials round-trip.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::encoding::base64url::{self, Base64Error};
use oauth_core::encoding::json::{self, JsonErrorKind, JsonStr, JsonValue, Limits};
use oauth_core::jose::{
    Algorithm, Claims, CompactJws, Header, HeaderPolicy, JoseError, Jwk, JwkSetOptions, KeyError,
    Validation, VerifyingKey, parse_jwk_set_into,
};
use oauth_core::time::UnixTime;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Number, Value};
use sha2::Digest as _;

/// Deterministic configuration: fixed seed, fixed case count, no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x0a07_8259),
        max_shrink_iters: 4096,
        max_shrink_time: 20_000,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Strings biased towards what needs escaping.
fn text(max: usize) -> impl Strategy<Value = String> + Clone {
    let special = proptest::sample::select(vec![
        '"',
        '\\',
        '/',
        '\u{0}',
        '\n',
        '\t',
        '\u{1f}',
        '\u{7f}',
        '\u{80}',
        '\u{2028}',
        '\u{feff}',
        '\u{fffd}',
        'é',
        '€',
        '😀',
        '\u{10ffff}',
        ' ',
        '.',
    ]);
    let ch = prop_oneof![
        3 => proptest::char::range('a', 'z'),
        2 => special,
        1 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..max).prop_map(|v| v.into_iter().collect())
}

/// Any finite double, or a small integer-valued one.
fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        (-1000i32..1000).prop_map(f64::from),
        (0u64..(1 << 34)).prop_map(|s| s as f64 + 0.5),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    // The edges of a NumericDate: 2^53 and its neighbours, zeros, tiny negatives.
    let edge = proptest::sample::select(vec![
        9_007_199_254_740_992.0,
        9_007_199_254_740_994.0,
        9_007_199_254_740_991.0,
        0.0,
        -0.0,
        -1e-300,
        1e-300,
        0.999_999,
        -1.0,
        1e300,
    ]);
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        float().prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
        edge.prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
    ]
}

/// Arbitrary JSON, nested at most 3 levels below the value.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        number(),
        text(12).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(text(8), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Generated JSON objects (serde_json never produces duplicate names).
fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(text(10), json_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

/// Members in a chosen order, with unique names (the first of a name wins).
fn members(
    name: impl Strategy<Value = String>,
    value: impl Strategy<Value = Value>,
    max: usize,
) -> impl Strategy<Value = Vec<(String, Value)>> {
    proptest::collection::vec((name, value), 0..max).prop_map(|v| {
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|(k, _)| seen.insert(k.clone()))
            .collect()
    })
}

/// Bytes: arbitrary, JSON-like, encodings of generated objects with a few byte
/// edits (or none), and valid JSON just beyond a limit (duplicate names, nesting,
/// open members) or not an object.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let jsonish = proptest::sample::select(
        b"{}[]\":,0123456789-+.eEtruefalsnl\\u/ \t\n\r\x00\x80\xff".to_vec(),
    );
    prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..200),
        2 => proptest::collection::vec(jsonish, 0..200),
        4 => (json_object(), any::<u64>(), proptest::collection::vec(edit(), 0..3)).prop_map(
            |(o, seed, e)| {
                let mut c = Choices(seed);
                let mut out = String::new();
                write_value(&Value::Object(o), &mut out, &mut c);
                mutate(out.into_bytes(), &e)
            }
        ),
        1 => (json_object(), text(6), any::<u64>()).prop_map(|(o, name, seed)| {
            // The same name twice (escaped independently).
            let mut m: Vec<(String, Value)> = o.into_iter().collect();
            m.push((name.clone(), Value::Null));
            m.insert(0, (name, Value::from(1)));
            encode_members(&m, seed)
        }),
        1 => (10usize..24).prop_map(|d| format!(r#"{{"a":{}{}}}"#, "[".repeat(d), "]".repeat(d)).into_bytes()),
        1 => (100usize..160).prop_map(|n| {
            let m: Vec<String> = (0..n).map(|i| format!(r#""k{i}":{i}"#)).collect();
            format!("{{{}}}", m.join(",")).into_bytes()
        }),
        1 => json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
}

/// A byte edit: (position, insert/remove/replace, byte).
fn edit() -> impl Strategy<Value = (usize, u8, u8)> {
    let byte = prop_oneof![
        any::<u8>(),
        proptest::sample::select(b"{}[]\",:\\u0 9e-.tfn".to_vec()),
    ];
    (any::<usize>(), 0u8..3, byte)
}

fn mutate(mut b: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(at, op, byte) in edits {
        let at = at % (b.len() + 1);
        match op {
            0 => b.insert(at, byte),
            1 if at < b.len() => {
                b.remove(at);
            }
            _ if at < b.len() => b[at] = byte,
            _ => b.push(byte),
        }
    }
    b
}

// ---------------------------------------------------------------------------------------------
// A second JSON encoder: random whitespace, optional `\u` escapes (names included)
// ---------------------------------------------------------------------------------------------

/// xorshift64*, for encoding choices derived from one generated seed.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
    fn ws(&mut self, out: &mut String) {
        out.push_str(["", "", "", " ", "\n", "\t", "\r\n  "][(self.next() % 7) as usize]);
    }
}

fn write_str(s: &str, out: &mut String, c: &mut Choices) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if c.one_in(2) => out.push_str("\\n"),
            '/' if c.one_in(2) => out.push_str("\\/"),
            ch if (ch as u32) < 0x20 || c.one_in(6) => {
                let mut units = [0u16; 2];
                for u in ch.encode_utf16(&mut units) {
                    write!(out, "\\u{u:04x}").unwrap();
                }
            }
            ch => out.push(ch),
        }
    }
    out.push('"');
}

fn write_value(v: &Value, out: &mut String, c: &mut Choices) {
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&v.to_string()),
        Value::String(s) => write_str(s, out, c),
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                c.ws(out);
                write_value(e, out, c);
                c.ws(out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let m: Vec<_> = m.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            write_members(&m, out, c);
        }
    }
}

/// An object with these members, in this order.
fn write_members(members: &[(String, Value)], out: &mut String, c: &mut Choices) {
    c.ws(out);
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        c.ws(out);
        write_str(k, out, c);
        c.ws(out);
        out.push(':');
        c.ws(out);
        write_value(v, out, c);
        c.ws(out);
    }
    out.push('}');
    c.ws(out);
}

fn encode_members(members: &[(String, Value)], seed: u64) -> Vec<u8> {
    let mut out = String::new();
    write_members(members, &mut out, &mut Choices(seed));
    out.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Comparing our zero-copy view with serde_json's
// ---------------------------------------------------------------------------------------------

fn decoded(s: JsonStr<'_>) -> String {
    s.chars().collect()
}

/// Whether our value and serde_json's are the same JSON value.
fn same(ours: JsonValue<'_>, theirs: &Value) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{what}: {ours:?} vs {theirs}"));
    match (ours, theirs) {
        (JsonValue::Null, Value::Null) => Ok(()),
        (JsonValue::Bool(a), Value::Bool(b)) if a == *b => Ok(()),
        (JsonValue::String(s), Value::String(t)) => {
            let mut buf = vec![0u8; t.len()];
            if decoded(s) == *t
                && s.eq_str(t)
                && s.unescaped_len() == t.len()
                && s.unescape_into(&mut buf).ok() == Some(t.as_str())
            {
                Ok(())
            } else {
                fail("string")
            }
        }
        (JsonValue::Number(n), Value::Number(m)) => {
            let ok = if let Some(u) = m.as_u64() {
                n.as_u64() == Some(u)
            } else if let Some(i) = m.as_i64() {
                n.as_i64() == Some(i)
            } else {
                // serde_json's default float parser may be off by an ulp or so.
                let (a, b) = (n.as_f64().unwrap_or(f64::NAN), m.as_f64().unwrap());
                (a - b).abs() <= b.abs() * 1e-15
            };
            if ok { Ok(()) } else { fail("number") }
        }
        (JsonValue::Array(a), Value::Array(v)) => {
            if a.len() != v.len() {
                return fail("array length");
            }
            a.iter().zip(v).try_for_each(|(x, y)| same(x, y))
        }
        (JsonValue::Object(o), Value::Object(m)) => {
            if o.len() != m.len() {
                return fail("member count");
            }
            for (k, v) in o.members() {
                let Some(w) = m.get(&decoded(k)) else {
                    return fail("member name");
                };
                same(v, w)?;
                if o.get(&decoded(k)).is_none() {
                    return fail("get");
                }
            }
            Ok(())
        }
        _ => fail("type"),
    }
}

// ---------------------------------------------------------------------------------------------
// CompactJws, json::parse_object, base64url
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn compact_jws_split(
        t in prop_oneof![any::<String>(), "[A-Za-z0-9_.=+/-]{0,40}", "[a.]{0,8}"],
    ) {
        let dots: Vec<usize> = t.match_indices('.').map(|(i, _)| i).collect();
        match CompactJws::parse(&t) {
            Ok(j) => {
                prop_assert!(dots.len() == 2 && dots[0] > 0, "{:?}", t);
                prop_assert_eq!(j.header_b64(), &t[..dots[0]]);
                prop_assert_eq!(j.payload_b64(), &t[dots[0] + 1..dots[1]]);
                prop_assert_eq!(j.signature_b64(), &t[dots[1] + 1..]);
                prop_assert_eq!(j.signing_input(), &t.as_bytes()[..dots[1]]);
            }
            Err(e) => {
                prop_assert!(dots.len() != 2 || dots[0] == 0, "{:?}", t);
                prop_assert_eq!(e, JoseError::Malformed);
            }
        }
    }

    /// Whatever the scanner accepts, serde_json accepts as the same object; what
    /// serde_json accepts as an object, the scanner accepts unless a documented limit
    /// applies.
    #[test]
    fn parse_object_differential(input in bytes()) {
        differential(&input)?;
    }

    /// serde_json's own encodings (compact and pretty) and a re-escaped, re-spaced
    /// one of any generated object are accepted and read back the same.
    #[test]
    fn parse_object_accepts_generated_objects(o in json_object(), seed in any::<u64>()) {
        let v = Value::Object(o);
        let mut hand = String::new();
        write_value(&v, &mut hand, &mut Choices(seed));
        for text in [
            serde_json::to_vec(&v).unwrap(),
            serde_json::to_vec_pretty(&v).unwrap(),
            hand.into_bytes(),
        ] {
            let ours = json::parse_object(&text, &Limits::default());
            let ours = ours.map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(&text))))?;
            same(JsonValue::Object(ours), &v).map_err(TestCaseError::fail)?;
            // The callback form reports the same top-level members, in order.
            let mut names = Vec::new();
            json::parse_object_with(&text, &Limits::default(), |k, _| {
                names.push(decoded(k));
                Ok::<_, json::JsonError>(())
            })
            .unwrap();
            let theirs: Vec<String> = ours.members().map(|(k, _)| decoded(k)).collect();
            prop_assert_eq!(names, theirs);
        }
    }

    /// Both decoders give the same result (output or error) for any input and any
    /// output buffer size, and the same as the `base64` crate's strict decoder.
    #[test]
    fn base64url_decoders_agree(
        input in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            "[A-Za-z0-9_-]{0,64}".prop_map(String::into_bytes),
            "[A-Za-z0-9_+/=-]{0,16}".prop_map(String::into_bytes),
        ],
        slack in -3isize..3,
    ) {
        let need = base64url::decoded_len(input.len());
        let size = need.unwrap_or(input.len()).saturating_add_signed(slack);
        let (mut a, mut b) = (vec![0u8; size], vec![0u8; size]);
        let public = base64url::decode_public(&input, &mut a).map(<[u8]>::to_vec);
        let secret = base64url::decode_secret(&input, &mut b).map(<[u8]>::to_vec);
        prop_assert_eq!(&public, &secret, "{:?}", String::from_utf8_lossy(&input));
        let reference = B64.decode(&input);
        match (&public, need) {
            (Ok(out), Some(n)) => {
                prop_assert_eq!(out.len(), n);
                prop_assert_eq!(Ok(out.clone()), reference.map_err(|_| ()));
            }
            (Ok(_), None) => prop_assert!(false, "decoded an impossible length"),
            (Err(Base64Error::BufferTooSmall), Some(n)) => prop_assert!(size < n),
            (Err(Base64Error::BufferTooSmall), None) => prop_assert!(false),
            (Err(_), None) => prop_assert!(reference.is_err()),
            (Err(_), Some(n)) => {
                if size >= n {
                    prop_assert!(reference.is_err(), "{:?}", String::from_utf8_lossy(&input));
                }
            }
        }
    }

    /// `encode` is the base64url of RFC 4648 §5 without padding, and both decoders
    /// invert it.
    #[test]
    fn base64url_round_trip(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let n = base64url::encoded_len(data.len());
        let mut buf = vec![0u8; n];
        let enc = base64url::encode(&data, &mut buf).unwrap().to_owned();
        prop_assert_eq!(&enc, &B64.encode(&data));
        prop_assert_eq!(base64url::decoded_len(n), Some(data.len()));
        let mut short = vec![0u8; n.saturating_sub(1)];
        if n > 0 {
            prop_assert_eq!(base64url::encode(&data, &mut short), Err(Base64Error::BufferTooSmall));
        }
        let mut out = vec![0u8; data.len()];
        prop_assert_eq!(base64url::decode_public(enc.as_bytes(), &mut out).unwrap(), &data[..]);
        prop_assert_eq!(base64url::decode_secret(enc.as_bytes(), &mut out).unwrap(), &data[..]);
        #[cfg(feature = "alloc")]
        {
            prop_assert_eq!(base64url::encode_string(&data), enc.clone());
            let mut s = String::from("x");
            base64url::encode_into_string(&data, &mut s);
            prop_assert_eq!(&s[1..], enc.as_str());
            prop_assert_eq!(base64url::decode_public_vec(enc.as_bytes()).unwrap(), data.clone());
            prop_assert_eq!(base64url::decode_secret_vec(enc.as_bytes()).unwrap(), data.clone());
        }
    }
}

fn differential(input: &[u8]) -> Result<(), TestCaseError> {
    let ours = json::parse_object(input, &Limits::default());
    let theirs = serde_json::from_slice::<Value>(input);
    let show = || String::from_utf8_lossy(input).into_owned();
    match (ours, theirs) {
        (Ok(o), Ok(v)) => {
            prop_assert!(v.is_object(), "{}", show());
            same(JsonValue::Object(o), &v)
                .map_err(|e| TestCaseError::fail(format!("{e}: {}", show())))?;
        }
        (Ok(_), Err(e)) => {
            prop_assert!(false, "accepted what serde_json refuses ({e}): {}", show())
        }
        (Err(e), Ok(v)) => {
            let allowed = match v {
                Value::Object(_) => [
                    JsonErrorKind::DuplicateMember,
                    JsonErrorKind::TooDeep,
                    JsonErrorKind::TooManyMembers,
                ]
                .contains(&e.kind),
                _ => e.kind == JsonErrorKind::NotAnObject,
            };
            prop_assert!(allowed, "refused ({e}) what serde_json accepts: {}", show());
        }
        (Err(_), Err(_)) => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Header::parse
// ---------------------------------------------------------------------------------------------

const HEADER_REGISTERED: [&str; 15] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "b64",
];

const ALG_NAMES: [&str; 22] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA", "none", "None", "NONE", "HS1", "", "HS256 ", "hs256", "Ed25519",
    "ES521",
];

/// Extension names the policy of some cases understands.
const UNDERSTOOD: [&str; 2] = ["x-a", "x-b"];

fn header_members() -> impl Strategy<Value = Vec<(String, Value)>> {
    let name = prop_oneof![
        3 => proptest::sample::select(
            HEADER_REGISTERED.iter().chain(&UNDERSTOOD).copied().collect::<Vec<_>>()
        ).prop_map(str::to_owned),
        1 => text(6),
    ];
    let crit_name = prop_oneof![
        proptest::sample::select(vec!["x-a", "x-b", "x-c", "alg", "b64", "kid"])
            .prop_map(Value::from),
        json_value(),
    ];
    let value = prop_oneof![
        3 => proptest::sample::select(ALG_NAMES.to_vec()).prop_map(Value::from),
        2 => json_value(),
        1 => any::<bool>().prop_map(Value::from),
        1 => proptest::collection::vec(crit_name, 0..4).prop_map(Value::Array),
        1 => json_object().prop_map(Value::Object),
    ];
    let alg = proptest::option::weighted(
        0.9,
        prop_oneof![
            6 => proptest::sample::select(ALG_NAMES.to_vec()).prop_map(Value::from),
            1 => json_value(),
        ],
    );
    // A `crit` naming understood extensions (and duplicates, and others), and the
    // extensions it names.
    let crit = proptest::option::weighted(
        0.3,
        (
            proptest::collection::vec(
                proptest::sample::select(vec!["x-a", "x-b", "x-a", "x-b", "x-c", "alg"]),
                0..4,
            ),
            proptest::sample::subsequence(UNDERSTOOD.to_vec(), 0..=2),
        ),
    );
    (alg, members(name, value, 6), crit, any::<(usize, usize)>()).prop_map(
        |(alg, mut m, crit, (at, at2))| {
            if let Some((names, present)) = crit {
                m.retain(|(k, _)| k != "crit" && !UNDERSTOOD.contains(&k.as_str()));
                let names: Vec<Value> = names.into_iter().map(Value::from).collect();
                m.push(("crit".to_owned(), Value::Array(names)));
                m.extend(present.into_iter().map(|n| (n.to_owned(), Value::from(1))));
                let len = m.len();
                m.swap(at % len, at2 % len);
            }
            if let Some(alg) = alg {
                m.retain(|(k, _)| k != "alg");
                let at = at % (m.len() + 1);
                m.insert(at, ("alg".to_owned(), alg));
            }
            m
        },
    )
}

/// `Header::parse` as RFC 7515 §4.1 and RFC 8725 §3.1 say, with the crate's
/// documented order: member types in document order, then `alg`, then `crit`.
fn header_model(members: &[(String, Value)], understood: &[&str]) -> Result<String, JoseError> {
    for (k, v) in members {
        let bad = match k.as_str() {
            "alg" | "kid" | "typ" | "cty" if !v.is_string() => {
                let name = HEADER_REGISTERED
                    .iter()
                    .find(|n| **n == k.as_str())
                    .unwrap();
                Some(JoseError::HeaderType(name))
            }
            "jwk" if !v.is_object() => Some(JoseError::HeaderType("jwk")),
            "crit" if !v.is_array() => Some(JoseError::UnknownCritical),
            "b64" => match v {
                Value::Bool(true) => None,
                Value::Bool(false) => Some(JoseError::UnencodedPayload),
                _ => Some(JoseError::HeaderType("b64")),
            },
            "jku" | "x5u" | "x5t" | "x5t#S256" if !v.is_string() => {
                Some(JoseError::HeaderType("x5/jku"))
            }
            "x5c" if !v.is_array() => Some(JoseError::HeaderType("x5c")),
            _ => None,
        };
        if let Some(e) = bad {
            return Err(e);
        }
    }
    let get = |name: &str| members.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let alg = get("alg")
        .ok_or(JoseError::MissingAlgorithm)?
        .as_str()
        .unwrap();
    // RFC 9864 §2: `Ed25519` is the fully-specified name of EdDSA over Ed25519.
    let alg = if alg == "Ed25519" { "EdDSA" } else { alg };
    if Algorithm::ALL.iter().all(|a| a.name() != alg) {
        return Err(if alg.eq_ignore_ascii_case("none") {
            JoseError::AlgorithmNone
        } else {
            JoseError::UnsupportedAlgorithm
        });
    }
    if let Some(Value::Array(crit)) = get("crit") {
        // RFC 7515 §4.1.11: non-empty, strings, not registered, understood, unique,
        // present in the header.
        let ok = !crit.is_empty()
            && crit.iter().enumerate().all(|(i, c)| {
                c.as_str().is_some_and(|c| {
                    !HEADER_REGISTERED.contains(&c)
                        && understood.contains(&c)
                        && !crit[..i].contains(&Value::from(c))
                        && get(c).is_some()
                })
            });
        if !ok {
            return Err(JoseError::UnknownCritical);
        }
    }
    Ok(alg.to_owned())
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes: a typed error, or a header that serde_json reads as the same
    /// object with the same `alg`.
    #[test]
    fn header_parse_bytes(input in bytes()) {
        if let Ok(h) = Header::parse(&input, &HeaderPolicy::default()) {
            let v: Value = serde_json::from_slice(&input).unwrap();
            prop_assert_eq!(v["alg"].as_str(), Some(h.alg().name()));
            prop_assert!(v.get("crit").is_none());
            same(JsonValue::Object(h.object()), &v).map_err(TestCaseError::fail)?;
        }
    }

    /// Generated headers (also with escaped member names): exactly the model.
    #[test]
    fn header_parse_model(
        m in header_members(),
        seed in any::<u64>(),
        understand in any::<bool>(),
    ) {
        let understood: &[&str] = if understand { &UNDERSTOOD } else { &[] };
        let policy = HeaderPolicy { understood_critical: understood };
        let text = encode_members(&m, seed);
        let got = Header::parse(&text, &policy);
        let want = header_model(&m, understood);
        match (got, want) {
            (Ok(h), Ok(alg)) => {
                prop_assert_eq!(h.alg().name(), alg);
                let s = |name: &str| m.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.as_str().map(str::to_owned));
                prop_assert_eq!(h.kid().map(decoded), s("kid"));
                prop_assert_eq!(h.typ().map(decoded), s("typ"));
                prop_assert_eq!(h.cty().map(decoded), s("cty"));
                prop_assert_eq!(h.jwk().is_some(), m.iter().any(|(k, _)| k == "jwk"));
                prop_assert_eq!(h.object().len(), m.len());
            }
            (Err(e), Err(w)) => prop_assert_eq!(e, w),
            (got, want) => prop_assert!(false, "got {:?}, want {:?}: {}", got.map(|h| h.alg()), want, String::from_utf8_lossy(&text)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Claims::parse
// ---------------------------------------------------------------------------------------------

const CLAIM_NAMES: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];
const ISS: &str = "https://as.example";
const AUD: &str = "https://rs.example";
const NOW: u64 = 1_700_000_000;

/// RFC 7519 §2 NumericDate as the crate reads it: a non-negative integer (any u64),
/// or a number up to 2^53, truncated.
fn numeric_date(n: &Number) -> Option<u64> {
    if let Some(u) = n.as_u64() {
        return Some(u);
    }
    if n.is_i64() {
        return None;
    }
    let f = n.as_f64()?;
    (0.0..=9_007_199_254_740_992.0)
        .contains(&f)
        .then_some(f as u64)
}

fn claim_members() -> impl Strategy<Value = Vec<(String, Value)>> {
    let name = prop_oneof![
        4 => proptest::sample::select(CLAIM_NAMES.to_vec()).prop_map(str::to_owned),
        1 => text(6),
    ];
    let string = prop_oneof![
        proptest::sample::select(vec![ISS, AUD, "https://AS.example", "", "a"])
            .prop_map(Value::from),
        text(8).prop_map(Value::from),
    ];
    let date = prop_oneof![
        3 => (-200i64..200).prop_map(|d| Value::from(NOW.saturating_add_signed(d))),
        1 => (-200i64..200).prop_map(|d| Value::from(NOW.saturating_add_signed(d) as f64 + 0.5)),
        1 => number(),
    ];
    let value = prop_oneof![
        3 => string.clone(),
        3 => date,
        1 => proptest::collection::vec(string, 0..4).prop_map(Value::Array),
        1 => json_value(),
    ];
    members(name, value, 9)
}

/// What `Claims::parse` must find: the first registered claim of a wrong type, in
/// document order, is the error.
#[derive(Debug, Default, PartialEq)]
struct ClaimsModel {
    iss: Option<String>,
    sub: Option<String>,
    jti: Option<String>,
    aud: Option<Vec<String>>,
    exp: Option<u64>,
    nbf: Option<u64>,
    iat: Option<u64>,
}

fn claims_model(members: &[(String, Value)]) -> Result<ClaimsModel, JoseError> {
    let mut c = ClaimsModel::default();
    for (k, v) in members {
        let Some(&name) = CLAIM_NAMES.iter().find(|n| **n == k.as_str()) else {
            continue;
        };
        let bad = JoseError::ClaimType(name);
        let text = || v.as_str().map(str::to_owned).ok_or(bad);
        let date = || v.as_number().and_then(numeric_date).ok_or(bad);
        match name {
            "iss" => c.iss = Some(text()?),
            "sub" => c.sub = Some(text()?),
            "jti" => c.jti = Some(text()?),
            "aud" => {
                c.aud = Some(match v {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(a) => a
                        .iter()
                        .map(|e| e.as_str().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or(bad)?,
                    _ => return Err(bad),
                });
            }
            "exp" => c.exp = Some(date()?),
            "nbf" => c.nbf = Some(date()?),
            _ => c.iat = Some(date()?),
        }
    }
    Ok(c)
}

fn claims_view(c: &Claims<'_>) -> ClaimsModel {
    ClaimsModel {
        iss: c.iss().map(decoded),
        sub: c.sub().map(decoded),
        jti: c.jti().map(decoded),
        aud: c.aud().map(|a| a.iter().map(decoded).collect()),
        exp: c.exp().map(UnixTime::as_secs),
        nbf: c.nbf().map(UnixTime::as_secs),
        iat: c.iat().map(UnixTime::as_secs),
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn claims_parse_bytes(input in bytes()) {
        if let Ok(c) = Claims::parse(&input) {
            let v: Value = serde_json::from_slice(&input).unwrap();
            same(JsonValue::Object(c.object()), &v).map_err(TestCaseError::fail)?;
            let m: Vec<(String, Value)> = v.as_object().unwrap().clone().into_iter().collect();
            // Object order does not matter once every type is right.
            prop_assert_eq!(claims_model(&m), Ok(claims_view(&c)));
        }
    }

    /// Generated claims (escaped names and values, random order): exactly the model.
    #[test]
    fn claims_parse_model(m in claim_members(), seed in any::<u64>()) {
        let text = encode_members(&m, seed);
        let got = Claims::parse(&text).map(|c| claims_view(&c));
        prop_assert_eq!(got, claims_model(&m), "{}", String::from_utf8_lossy(&text));
        // Unknown members are all reachable through `get`.
        if let Ok(c) = Claims::parse(&text) {
            for (k, _) in &m {
                prop_assert!(c.contains(k));
                prop_assert!(c.get(k).is_some());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation::verify: arbitrary strings and structured tokens
// ---------------------------------------------------------------------------------------------

const SECRET: [u8; 32] = [0x5a; 32];

/// HMAC-SHA256 (RFC 2104), independent of the crate's backends.
fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    let mut ipad = [0x36u8; 64];
    let mut opad = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = sha2::Sha256::new()
        .chain_update(ipad)
        .chain_update(msg)
        .finalize();
    sha2::Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// Verification keys for arbitrary tokens: HS256 and, from RFC 7515's examples,
/// ES256 and (RFC 8037) EdDSA public keys.
fn some_keys() -> Vec<VerifyingKey> {
    let es256 = br#"{"kty":"EC","crv":"P-256","kid":"e","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
    let eddsa = br#"{"kty":"OKP","crv":"Ed25519","kid":"d","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    vec![
        VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap(),
        Jwk::parse(es256).unwrap().to_verifying_key(None).unwrap(),
        Jwk::parse(eddsa).unwrap().to_verifying_key(None).unwrap(),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Sig {
    /// The right HMAC-SHA256.
    Right,
    /// The right one with one bit changed.
    Flipped(usize),
    /// Random bytes.
    Random,
    /// None at all (an unsecured JWS).
    Empty,
}

/// The documented order of `Validation::verify` for an HS256 key without `kid`,
/// `Validation::new(ISS, AUD)` (60 s leeway, `exp` required) at `NOW`.
fn verify_model(
    header: &[(String, Value)],
    claims: &[(String, Value)],
    sig: Sig,
) -> Result<(), JoseError> {
    let alg = header_model(header, &[])?;
    if alg != "HS256" {
        let found = Algorithm::ALL
            .into_iter()
            .find(|a| a.name() == alg)
            .unwrap();
        return Err(JoseError::AlgorithmMismatch {
            expected: Algorithm::HS256,
            found,
        });
    }
    if !matches!(sig, Sig::Right) {
        return Err(JoseError::InvalidSignature);
    }
    let c = claims_model(claims)?;
    let (now, lw) = (u128::from(NOW), 60u128);
    match c.exp {
        None => return Err(JoseError::MissingClaim("exp")),
        Some(exp) if now >= u128::from(exp) + lw => return Err(JoseError::Expired),
        Some(_) => {}
    }
    if c.nbf.is_some_and(|nbf| now + lw < u128::from(nbf)) {
        return Err(JoseError::NotYetValid);
    }
    if c.iat.is_some_and(|iat| u128::from(iat) > now + lw) {
        return Err(JoseError::IssuedInFuture);
    }
    match c.iss.as_deref() {
        None => return Err(JoseError::MissingClaim("iss")),
        Some(ISS) => {}
        Some(_) => return Err(JoseError::InvalidIssuer),
    }
    match c.aud {
        None => Err(JoseError::MissingClaim("aud")),
        Some(a) if a.iter().any(|a| a == AUD) => Ok(()),
        Some(_) => Err(JoseError::InvalidAudience),
    }
}

/// Headers for tokens: mostly well-formed HS256 headers (optional `typ`, `kid`,
/// extension members), else anything `header_members` makes.
fn token_header() -> impl Strategy<Value = Vec<(String, Value)>> {
    let good = (
        proptest::option::of(
            proptest::sample::select(vec!["JWT", "at+jwt", "application/jwt"])
                .prop_map(Value::from),
        ),
        proptest::option::of(text(8).prop_map(Value::from)),
        members(
            text(6).prop_filter("extension", |n| !HEADER_REGISTERED.contains(&n.as_str())),
            json_value(),
            3,
        ),
    )
        .prop_map(|(typ, kid, mut m)| {
            m.push(("alg".into(), "HS256".into()));
            m.extend(typ.map(|t| ("typ".to_owned(), t)));
            m.extend(kid.map(|k| ("kid".to_owned(), k)));
            m
        })
        .prop_shuffle();
    prop_oneof![3 => good, 1 => header_members()]
}

/// Claims for tokens: mostly right (`iss`, `aud`, `exp` near `NOW`), each registered
/// claim sometimes wrong, absent or of another type; else anything `claim_members`
/// makes.
fn token_claims() -> impl Strategy<Value = Vec<(String, Value)>> {
    let near = |w: f64| {
        proptest::option::weighted(
            w,
            prop_oneof![
                8 => (-120i64..=120).prop_map(|d| Value::from(NOW.saturating_add_signed(d))),
                4 => (proptest::sample::select(vec![-60i64, 0, 60]), -1i64..=1)
                    .prop_map(|(a, d)| Value::from(NOW.saturating_add_signed(a + d))),
                2 => (-120i64..=120).prop_map(|d| Value::from(NOW.saturating_add_signed(d) as f64 + 0.5)),
                1 => json_value(),
            ],
        )
    };
    let iss = proptest::option::weighted(
        0.95,
        prop_oneof![
            8 => Just(Value::from(ISS)),
            1 => Just(Value::from("https://AS.example")),
            1 => json_value(),
        ],
    );
    let aud = proptest::option::weighted(
        0.95,
        prop_oneof![
            4 => Just(Value::from(AUD)),
            3 => (proptest::collection::vec(text(6).prop_map(Value::from), 0..3), any::<usize>())
                .prop_map(|(mut a, at)| {
                    let at = at % (a.len() + 1);
                    a.insert(at, Value::from(AUD));
                    Value::Array(a)
                }),
            1 => proptest::collection::vec(text(6).prop_map(Value::from), 0..3).prop_map(Value::Array),
            1 => json_value(),
        ],
    );
    let strings = proptest::option::of(prop_oneof![
        10 => text(8).prop_map(Value::from),
        1 => json_value(),
    ]);
    let good = (
        (iss, aud, near(0.95), near(0.3), near(0.5)),
        (strings.clone(), strings),
        members(
            text(6).prop_filter("custom", |n| !CLAIM_NAMES.contains(&n.as_str())),
            json_value(),
            3,
        ),
    )
        .prop_map(|((iss, aud, exp, nbf, iat), (sub, jti), mut m)| {
            for (name, v) in [
                ("iss", iss),
                ("aud", aud),
                ("exp", exp),
                ("nbf", nbf),
                ("iat", iat),
                ("sub", sub),
                ("jti", jti),
            ] {
                m.extend(v.map(|v| (name.to_owned(), v)));
            }
            m
        })
        .prop_shuffle();
    prop_oneof![4 => good, 1 => claim_members()]
}

fn sig_mode() -> impl Strategy<Value = Sig> {
    prop_oneof![
        6 => Just(Sig::Right),
        1 => any::<usize>().prop_map(Sig::Flipped),
        1 => Just(Sig::Random),
        1 => Just(Sig::Empty),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary strings, shaped like tokens or not, never verify and never panic.
    #[test]
    fn verify_arbitrary_strings(
        t in prop_oneof![
            any::<String>(),
            "[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,90}",
            "eyJ[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_.=+/-]{0,60}",
        ],
        scratch_len in prop_oneof![Just(4096usize), 0usize..64],
    ) {
        let keys = some_keys();
        let mut scratch = vec![0u8; scratch_len];
        let now = UnixTime::from_secs(NOW);
        let v = Validation::new(ISS, AUD);
        prop_assert!(v.verify(&t, keys.as_slice(), now, &mut scratch).is_err());
        for k in &keys {
            prop_assert!(v.verify(&t, k, now, &mut scratch).is_err());
        }
    }

    /// Structured tokens: random header and claims objects, encoded with escapes and
    /// whitespace, MAC'd right or wrong: exactly the model's answer, in the
    /// documented check order.
    #[test]
    fn verify_structured_tokens(
        header in token_header(),
        claims in token_claims(),
        seed in any::<u64>(),
        sig in sig_mode(),
        random_sig in proptest::collection::vec(any::<u8>(), 0..80),
        corrupt in proptest::option::weighted(0.1, (any::<usize>(), proptest::sample::select(b"+/=. \x7f".to_vec()))),
    ) {
        let h = B64.encode(encode_members(&header, seed));
        let p = B64.encode(encode_members(&claims, seed.rotate_left(17)));
        let input = format!("{h}.{p}");
        let mac = hmac_sha256(&SECRET, input.as_bytes());
        let sig_bytes = match sig {
            Sig::Right => mac.to_vec(),
            Sig::Flipped(bit) => {
                let mut m = mac.to_vec();
                m[bit / 8 % 32] ^= 1 << (bit % 8);
                m
            }
            Sig::Random => random_sig.clone(),
            Sig::Empty => Vec::new(),
        };
        // A random signature that happens to be the MAC is the right one.
        let sig = if sig_bytes == mac { Sig::Right } else if matches!(sig, Sig::Right) { Sig::Random } else { sig };
        let mut token = format!("{input}.{}", B64.encode(&sig_bytes));
        let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap();
        let mut scratch = vec![0u8; token.len()];
        let now = UnixTime::from_secs(NOW);
        let v = Validation::new(ISS, AUD).max_token_len(1 << 20);
        if let Some((at, b)) = corrupt {
            let at = at % token.len();
            let mut t = token.into_bytes();
            t[at] = b;
            token = String::from_utf8(t).unwrap();
            // Still never accepted (and never a panic).
            prop_assert!(v.verify(&token, &key, now, &mut scratch).is_err());
            return Ok(());
        }
        let got = v.verify(&token, &key, now, &mut scratch).map(|_| ());
        let want = verify_model(&header, &claims, sig);
        prop_assert_eq!(got, want);
    }
}

// ---------------------------------------------------------------------------------------------
// JWK and JWK Set
// ---------------------------------------------------------------------------------------------

/// Real keys to start from: RFC 7520 and jwt_cases (private and public halves).
fn base_jwks() -> Vec<Map<String, Value>> {
    let mut v = Vec::new();
    for text in [
        include_str!("../vectors/rfc7520/jwk/3_1.ec_public_key.json"),
        include_str!("../vectors/rfc7520/jwk/3_2.ec_private_key.json"),
        include_str!("../vectors/rfc7520/jwk/3_3.rsa_public_key.json"),
        include_str!("../vectors/rfc7520/jwk/3_4.rsa_private_key.json"),
        include_str!("../vectors/rfc7520/jwk/3_5.symmetric_key_mac_computation.json"),
    ] {
        v.push(serde_json::from_str(text).unwrap());
    }
    let doc: Value = serde_json::from_str(include_str!("../vectors/jwt_cases.json")).unwrap();
    for (_, k) in doc["keys"].as_object().unwrap() {
        let k = k.as_object().unwrap().clone();
        let mut public = k.clone();
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            public.remove(private);
        }
        v.push(k);
        v.push(public);
    }
    v
}

const JWK_MEMBERS: [&str; 17] = [
    "kty", "kid", "alg", "use", "key_ops", "crv", "x", "y", "n", "e", "k", "d", "p", "q", "dp",
    "dq", "qi",
];

/// A real JWK, then a few member edits: removed, replaced by a member of another
/// key, by another value of the right kind, or by junk.
fn jwk_object() -> impl Strategy<Value = Map<String, Value>> {
    let bases = base_jwks();
    let n = bases.len();
    let replacement = prop_oneof![
        proptest::sample::select(vec![
            "oct", "RSA", "EC", "OKP", "ec", "P-256", "P-384", "P-521", "Ed25519", "X25519", "sig",
            "enc", "HS256", "RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA", "none", "",
            "AQAB", "AA", "A", "_w", "a+b",
        ])
        .prop_map(Value::from),
        "[A-Za-z0-9_-]{0,90}".prop_map(Value::from),
        proptest::collection::vec(
            proptest::sample::select(vec!["sign", "verify", "encrypt", "sign"])
                .prop_map(Value::from),
            0..4
        )
        .prop_map(Value::Array),
        json_value(),
    ];
    let edit = (
        0u8..4,
        proptest::sample::select(JWK_MEMBERS.to_vec()),
        0..n,
        replacement,
    );
    (0..n, proptest::collection::vec(edit, 0..3)).prop_map(move |(i, edits)| {
        let mut o = bases[i].clone();
        for (op, member, donor, value) in edits {
            match op {
                0 => {
                    o.remove(member);
                }
                1 => {
                    if let Some(v) = bases[donor].get(member) {
                        o.insert(member.to_owned(), v.clone());
                    }
                }
                _ => {
                    o.insert(member.to_owned(), value);
                }
            }
        }
        o
    })
}

/// RFC 7638 §3.2, independently: required members, sorted, no whitespace.
fn thumbprint_model(jwk: &Map<String, Value>) -> Option<[u8; 32]> {
    let required: &[&str] = match jwk.get("kty")?.as_str()? {
        "EC" => &["crv", "kty", "x", "y"],
        "RSA" => &["e", "kty", "n"],
        "oct" => &["k", "kty"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    let mut m = BTreeMap::new();
    for r in required {
        let s = jwk.get(*r)?.as_str()?;
        // serde_json writes \n, \t ... where RFC 7638's minimal form may differ.
        if s.chars().any(char::is_control) {
            return None;
        }
        m.insert(*r, s);
    }
    Some(sha2::Sha256::digest(serde_json::to_vec(&m).unwrap()).into())
}

fn check_jwk(text: &[u8], source: Option<&Map<String, Value>>) -> Result<(), TestCaseError> {
    let Ok(jwk) = Jwk::parse(text) else {
        return Ok(());
    };
    let v: Value = serde_json::from_slice(text).unwrap();
    prop_assert!(v["kty"].is_string());
    let o = v.as_object().unwrap();
    if let Some(src) = source {
        prop_assert_eq!(o, src);
    }
    prop_assert_eq!(
        jwk.kid().map(decoded),
        o.get("kid").and_then(Value::as_str).map(str::to_owned)
    );
    let _ = (jwk.is_private(), jwk.family(), jwk.thumbprint());
    if let (Ok(t), Some(want)) = (jwk.thumbprint_sha256(), thumbprint_model(o)) {
        prop_assert_eq!(t, want);
    }
    for pin in std::iter::once(None).chain(Algorithm::ALL.map(Some)) {
        let Ok(key) = jwk.to_verifying_key(pin) else {
            continue;
        };
        // The pin: the JWK's `alg`, else the caller's, else the curve's.
        if let Some(alg) = o.get("alg").and_then(Value::as_str) {
            prop_assert_eq!(key.algorithm().name(), alg);
        }
        if let Some(p) = pin {
            prop_assert_eq!(key.algorithm(), p);
        }
        prop_assert_eq!(key.kid(), o.get("kid").and_then(Value::as_str));
        #[cfg(feature = "alloc")]
        if let Ok(signer) = jwk.to_signing_key(pin) {
            // What the private half signs, the public half verifies.
            prop_assert_eq!(signer.algorithm(), key.algorithm());
            let sig = signer.sign(text).unwrap();
            prop_assert_eq!(key.verify_signature(text, &sig), Ok(()));
        }
    }
    Ok(())
}

fn set_document() -> impl Strategy<Value = Value> {
    let kid = proptest::option::of(prop_oneof![
        proptest::sample::select(vec!["a", "b", ""]).prop_map(Value::from),
        json_value(),
    ]);
    let entry = prop_oneof![
        12 => (jwk_object(), kid, any::<bool>()).prop_map(|(mut o, kid, keep)| {
            if !keep {
                match kid {
                    Some(k) => o.insert("kid".into(), k),
                    None => o.remove("kid"),
                };
            }
            Value::Object(o)
        }),
        1 => json_value(),
    ];
    let keys = prop_oneof![
        12 => proptest::collection::vec(entry, 0..7).prop_map(Value::Array),
        1 => json_value(),
    ];
    (proptest::option::weighted(0.95, keys), json_object()).prop_map(|(keys, mut doc)| {
        doc.remove("keys");
        if let Some(k) = keys {
            doc.insert("keys".into(), k);
        }
        Value::Object(doc)
    })
}

/// The set-level rules: a `keys` array of objects; no mixing of `oct` with other key
/// types; no two entries with the same `kid` and `kty` (strings).
fn set_model(doc: &Value) -> Result<usize, KeyError> {
    let entries = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(KeyError::Malformed)?;
    let objects: Vec<&Map<String, Value>> = entries
        .iter()
        .map(Value::as_object)
        .collect::<Option<_>>()
        .ok_or(KeyError::Malformed)?;
    let kty = |o: &Map<String, Value>| o.get("kty").and_then(Value::as_str).map(str::to_owned);
    let oct = objects.iter().any(|o| kty(o).as_deref() == Some("oct"));
    let other = objects.iter().any(|o| kty(o).is_some_and(|k| k != "oct"));
    if oct && other {
        return Err(KeyError::MixedKeySet);
    }
    let mut ids = std::collections::HashSet::new();
    for o in &objects {
        if let (Some(kid), Some(kty)) = (o.get("kid").and_then(Value::as_str), kty(o))
            && !ids.insert((kid.to_owned(), kty))
        {
            return Err(KeyError::DuplicateKid);
        }
    }
    Ok(objects.len())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn jwk_parse_bytes(input in bytes()) {
        check_jwk(&input, None)?;
    }

    /// Real keys with edits: everything built from them is consistent.
    #[test]
    fn jwk_parse_structured(o in jwk_object(), seed in any::<u64>()) {
        let m: Vec<(String, Value)> = o.clone().into_iter().collect();
        check_jwk(&encode_members(&m, seed), Some(&o))?;
    }

    #[test]
    fn jwk_set_bytes(input in bytes()) {
        let mut out = heapless::Vec::<VerifyingKey, 8>::new();
        let r = parse_jwk_set_into(&input, &JwkSetOptions::default(), &mut out);
        if r.is_ok() {
            let v: Value = serde_json::from_slice(&input).unwrap();
            prop_assert!(set_model(&v).is_ok());
        }
        #[cfg(feature = "alloc")]
        {
            let s = oauth_core::jose::JwkSet::parse(&input, &JwkSetOptions::default());
            prop_assert_eq!(r.map(|skipped| (out.len(), skipped)), s.map(|s| (s.len(), s.skipped().len())));
        }
    }

    /// Set documents built from real and edited keys, with `kid`s that collide: the
    /// set rules exactly, and every entry is installed or skipped; `JwkSet::parse`
    /// (alloc) agrees with the core-tier parser key by key.
    #[test]
    fn jwk_set_model(
        doc in set_document(),
        rsa_pin in proptest::option::of(proptest::sample::select(vec![Algorithm::RS256, Algorithm::PS512, Algorithm::HS256])),
        hmac_pin in proptest::option::of(proptest::sample::select(vec![Algorithm::HS384, Algorithm::ES256])),
    ) {
        let text = serde_json::to_vec(&doc).unwrap();
        let options = JwkSetOptions { rsa_alg_when_absent: rsa_pin, hmac_alg_when_absent: hmac_pin };
        let mut out = heapless::Vec::<VerifyingKey, 8>::new();
        let r = parse_jwk_set_into(&text, &options, &mut out);
        let want = set_model(&doc);
        match (&r, &want) {
            (Ok(skipped), Ok(n)) => prop_assert_eq!(out.len() + skipped, *n),
            (Err(e), Err(w)) => prop_assert_eq!(e, w),
            _ => prop_assert!(false, "got {:?}, want {:?}: {}", r, want, doc),
        }
        #[cfg(feature = "alloc")]
        {
            let s = oauth_core::jose::JwkSet::parse(&text, &options);
            match (&r, &s) {
                (Ok(skipped), Ok(set)) => {
                    prop_assert_eq!(set.skipped().len(), *skipped);
                    prop_assert_eq!(set.len(), out.len());
                    for (a, b) in set.keys().iter().zip(&out) {
                        prop_assert_eq!((a.algorithm(), a.kid()), (b.algorithm(), b.kid()));
                    }
                    let entries = doc["keys"].as_array().unwrap();
                    for sk in set.skipped() {
                        let kid = entries[sk.index]["kid"].as_str().map(str::to_owned);
                        prop_assert_eq!(&sk.kid, &kid);
                    }
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                _ => prop_assert!(false, "JwkSet {:?} vs core {:?}", s.map(|s| s.len()), r),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Forms and Basic credentials (alloc)
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "alloc")]
mod forms {
    use super::*;
    use oauth_core::encoding::form::{
        FormError, basic_auth_credentials, encode_form, parse_basic_auth_credentials, parse_form,
        query_pairs,
    };

    fn form_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..120),
            proptest::collection::vec(
                proptest::sample::select(b"ab=&+%20%zz%C3%A9%FF%e2%82 ".to_vec()),
                0..60
            ),
            "([a-z%+=&]|%[0-9A-Fa-f]{2}|%[0-9A-Fa-f]?){0,30}".prop_map(String::into_bytes),
            any::<String>().prop_map(String::into_bytes),
            proptest::collection::vec((any::<String>(), text(8)), 0..4).prop_map(|pairs| {
                // Percent-encoded UTF-8, raw `&`/`=`/`+` and all.
                let enc =
                    |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}&{v}", enc(k), enc(v)))
                    .collect::<Vec<_>>()
                    .join("&")
                    .into_bytes()
            }),
        ]
    }

    proptest! {
        #![proptest_config(config(256))]

        /// On input that decodes to UTF-8 the strict parser and `form_urlencoded`
        /// (the WHATWG algorithm, lossy) agree; otherwise the error names a pair
        /// that `form_urlencoded` had to patch with U+FFFD.
        #[test]
        fn parse_form_matches_whatwg(body in form_bytes()) {
            let theirs: Vec<(String, String)> = form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            match parse_form(&body) {
                Ok(p) => {
                    let ours: Vec<(String, String)> =
                        p.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
                    prop_assert_eq!(p.len(), ours.len());
                    prop_assert_eq!(ours, theirs);
                }
                Err(FormError::InvalidUtf8 { pair }) => {
                    prop_assert!(pair < theirs.len());
                    let (k, v) = &theirs[pair];
                    let patched = k.contains('\u{fffd}') || v.contains('\u{fffd}');
                    prop_assert!(patched, "pair {} is valid UTF-8", pair);
                }
                Err(e) => prop_assert!(false, "{e}"),
            }
            if let Ok(s) = std::str::from_utf8(&body) {
                prop_assert_eq!(query_pairs(s), parse_form(&body));
            }
        }

        /// `encode_form` then `parse_form` is the identity, duplicates and empty
        /// names or values included.
        #[test]
        fn form_round_trip(pairs in proptest::collection::vec((any::<String>(), text(12)), 0..6)) {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let enc = encode_form(&refs);
            let p = parse_form(enc.as_bytes()).unwrap();
            prop_assert!(p.iter().eq(refs.iter().copied()));
            for (k, _) in &pairs {
                let n = pairs.iter().filter(|(j, _)| j == k).count();
                prop_assert_eq!(p.get_all(k).count(), n);
                if n > 1 {
                    let dup: Result<Option<&str>, _> = Err(FormError::DuplicateParameter(k.clone()));
                    prop_assert_eq!(p.get(k), dup);
                }
            }
        }

        /// Basic credentials round-trip (RFC 6749 §2.3.1) for any id and secret, and
        /// arbitrary header values never panic.
        #[test]
        fn basic_credentials(id in any::<String>(), secret in text(20), junk in any::<String>()) {
            let header = basic_auth_credentials(&id, &secret);
            let c = parse_basic_auth_credentials(&header).unwrap();
            prop_assert_eq!((c.client_id, c.client_secret), (id, secret));
            let _ = parse_basic_auth_credentials(&junk);
            let _ = parse_basic_auth_credentials(&format!("Basic {junk}"));
        }
    }
}
