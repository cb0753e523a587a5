//! Bad input of every kind gets a typed error, never a panic and never acceptance.
//!
//! Tokens here are built by hand (header and claims bytes chosen exactly, MAC'd
//! with ring directly), so the malformed shapes do not depend on our signer.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::encoding::json::JsonErrorKind;
use oauth_core::jose::{Algorithm, JoseError, Segment, Validation, VerifyingKey};
use oauth_core::time::UnixTime;

const SECRET: [u8; 32] = [0x42; 32];
const ISS: &str = "https://as.example.com";
const AUD: &str = "https://rs.example.com";
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn mac(signing_input: &str) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &SECRET);
    B64.encode(ring::hmac::sign(&key, signing_input.as_bytes()))
}

/// A correctly MAC'd HS256 token over exactly these header and payload bytes.
fn token(header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", B64.encode(header), B64.encode(payload));
    let sig = mac(&input);
    format!("{input}.{sig}")
}

fn good_claims() -> String {
    format!(r#"{{"iss":"{ISS}","aud":"{AUD}","sub":"s","exp":1700000300,"iat":1700000000}}"#)
}

fn verify(t: &str) -> Result<(), JoseError> {
    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap();
    let mut scratch = [0u8; 8192];
    Validation::new(ISS, AUD)
        .verify(t, &key, NOW, &mut scratch)
        .map(|_| ())
}

const HS: &[u8] = br#"{"alg":"HS256"}"#;

#[test]
fn the_good_token_verifies() {
    verify(&token(HS, good_claims().as_bytes())).unwrap();
}

#[test]
fn truncations_of_a_valid_token_are_all_rejected() {
    let t = token(HS, good_claims().as_bytes());
    for cut in 0..t.len() {
        let r = verify(&t[..cut]);
        assert!(r.is_err(), "prefix of length {cut} accepted");
    }
}

#[test]
fn every_single_byte_change_is_rejected() {
    let t = token(HS, good_claims().as_bytes());
    let bytes = t.as_bytes();
    for i in 0..bytes.len() {
        for b in [b'A', b'-', b'_', b'.', b'=', b' ', 0xff] {
            if bytes[i] == b {
                continue;
            }
            let mut m = bytes.to_vec();
            m[i] = b;
            let Ok(s) = String::from_utf8(m) else {
                continue;
            };
            assert!(verify(&s).is_err(), "byte {i} -> {b:#x} accepted");
        }
    }
}

#[test]
fn non_base64url_segments() {
    let t = token(HS, good_claims().as_bytes());
    let (h, rest) = t.split_once('.').unwrap();
    // padding and the standard alphabet are not base64url (RFC 7515 §2)
    assert_eq!(
        verify(&format!("{h}=.{rest}")),
        Err(JoseError::Base64(Segment::Header))
    );
    assert_eq!(
        verify(&format!("{h}+.{rest}")),
        Err(JoseError::Base64(Segment::Header))
    );
    let (hp, sig) = t.rsplit_once('.').unwrap();
    assert_eq!(
        verify(&format!("{hp}.{sig}=")),
        Err(JoseError::Base64(Segment::Signature))
    );
    // a segment length no encoding has
    assert_eq!(
        verify(&format!("{h}A.{rest}")),
        Err(JoseError::Base64(Segment::Header))
    );
    // non-canonical trailing bits in the signature: same bytes, different text
    let sig = t.rsplit_once('.').unwrap().1;
    let last = sig.chars().last().unwrap();
    let idx = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .find(last)
        .unwrap();
    // 32-byte MAC: 43 chars, the last one carries 2 unused bits
    let sibling = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".as_bytes()
        [idx | 1] as char;
    assert_ne!(sibling, last);
    let forged = format!("{}{}", &t[..t.len() - 1], sibling);
    assert_eq!(verify(&forged), Err(JoseError::Base64(Segment::Signature)));
}

#[test]
fn huge_tokens_are_refused_before_any_work() {
    let big = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"pad":"{}"}}"#,
        "x".repeat(20_000)
    );
    assert_eq!(
        verify(&token(HS, big.as_bytes())),
        Err(JoseError::TooLarge { max: 8192 })
    );
    // a caller scratch buffer that is too small is an error, not a panic
    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap();
    let t = token(HS, good_claims().as_bytes());
    let mut tiny = [0u8; 8];
    assert_eq!(
        Validation::new(ISS, AUD)
            .verify(&t, &key, NOW, &mut tiny)
            .unwrap_err(),
        JoseError::BufferTooSmall
    );
}

#[test]
fn deeply_nested_claims_are_refused() {
    let deep = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"x":{}1{}}}"#,
        "[".repeat(1000),
        "]".repeat(1000)
    );
    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap();
    let mut scratch = [0u8; 8192];
    let r = Validation::new(ISS, AUD).max_token_len(16_384).verify(
        &token(HS, deep.as_bytes()),
        &key,
        NOW,
        &mut scratch,
    );
    match r {
        Err(JoseError::Json(Segment::Payload, e)) => assert_eq!(e.kind, JsonErrorKind::TooDeep),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_types_are_errors_not_absence() {
    for (claims, want) in [
        (
            format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":"1700000300"}}"#),
            JoseError::ClaimType("exp"),
        ),
        (
            format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":true}}"#),
            JoseError::ClaimType("exp"),
        ),
        (
            format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"nbf":"0"}}"#),
            JoseError::ClaimType("nbf"),
        ),
        (
            format!(r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"iat":null}}"#),
            JoseError::ClaimType("iat"),
        ),
        (
            format!(r#"{{"iss":"{ISS}","aud":7,"exp":1700000300}}"#),
            JoseError::ClaimType("aud"),
        ),
        (
            format!(r#"{{"iss":"{ISS}","aud":["{AUD}",7],"exp":1700000300}}"#),
            JoseError::ClaimType("aud"),
        ),
        (
            format!(r#"{{"iss":["{ISS}"],"aud":"{AUD}","exp":1700000300}}"#),
            JoseError::ClaimType("iss"),
        ),
    ] {
        assert_eq!(verify(&token(HS, claims.as_bytes())), Err(want), "{claims}");
    }
    assert_eq!(
        verify(&token(br#"{"alg":["HS256"]}"#, good_claims().as_bytes())),
        Err(JoseError::HeaderType("alg"))
    );
    assert_eq!(
        verify(&token(
            br#"{"alg":"HS256","kid":1}"#,
            good_claims().as_bytes()
        )),
        Err(JoseError::HeaderType("kid"))
    );
}

#[test]
fn duplicate_members_are_rejected() {
    let r = verify(&token(
        br#"{"alg":"HS256","alg":"HS256"}"#,
        good_claims().as_bytes(),
    ));
    assert!(
        matches!(r, Err(JoseError::Json(Segment::Header, e)) if e.kind == JsonErrorKind::DuplicateMember),
        "{r:?}"
    );
    let dup =
        format!(r#"{{"iss":"{ISS}","aud":"{AUD}","aud":"https://evil.example","exp":1700000300}}"#);
    let r = verify(&token(HS, dup.as_bytes()));
    assert!(
        matches!(r, Err(JoseError::Json(Segment::Payload, e)) if e.kind == JsonErrorKind::DuplicateMember),
        "{r:?}"
    );
    // escaped spelling of the same name is still a duplicate
    let dup = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","\u0061ud":"https://evil.example","exp":1700000300}}"#
    );
    assert!(verify(&token(HS, dup.as_bytes())).is_err());
}

#[test]
fn unknown_and_forbidden_algorithms() {
    for (h, want) in [
        (&br#"{"alg":"none"}"#[..], JoseError::AlgorithmNone),
        (br#"{"alg":"HS257"}"#, JoseError::UnsupportedAlgorithm),
        (br#"{"alg":"hs256"}"#, JoseError::UnsupportedAlgorithm),
        (
            br#"{"alg":"RS256"}"#,
            JoseError::AlgorithmMismatch {
                expected: Algorithm::HS256,
                found: Algorithm::RS256,
            },
        ),
        (br#"{"typ":"JWT"}"#, JoseError::MissingAlgorithm),
    ] {
        assert_eq!(
            verify(&token(h, good_claims().as_bytes())),
            Err(want),
            "{}",
            String::from_utf8_lossy(h)
        );
    }
    // RFC 7515 A.5-style unsecured token: empty signature.
    let unsecured = format!(
        "{}.{}.",
        B64.encode(br#"{"alg":"none"}"#),
        B64.encode(good_claims())
    );
    assert_eq!(verify(&unsecured), Err(JoseError::AlgorithmNone));
    let empty_sig = format!("{}.{}.", B64.encode(HS), B64.encode(good_claims()));
    assert_eq!(verify(&empty_sig), Err(JoseError::InvalidSignature));
}

#[test]
fn structural_garbage() {
    for (h, p) in [
        (&br#""x""#[..], good_claims().into_bytes()),
        (HS, b"[1,2]".to_vec()),
        (HS, format!("{} x", good_claims()).into_bytes()),
        (HS, vec![b'{', b'"', 0xff, b'"', b':', b'1', b'}']),
        (HS, b"".to_vec()),
        (b"", good_claims().into_bytes()),
    ] {
        let r = verify(&token(h, &p));
        assert!(
            matches!(r, Err(JoseError::Json(..) | JoseError::Malformed)),
            "{r:?}"
        );
    }
    for bad in ["", ".", "..", "...", "a.b", "a.b.c.d", "\u{0}.a.b", "é.é.é"] {
        assert!(verify(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn time_issuer_audience_typ_rules() {
    let c = |extra: &str| format!(r#"{{"iss":"{ISS}","aud":"{AUD}"{extra}}}"#);
    assert_eq!(
        verify(&token(HS, c("").as_bytes())),
        Err(JoseError::MissingClaim("exp"))
    );
    assert_eq!(
        verify(&token(HS, c(r#","exp":1699999940"#).as_bytes())),
        Err(JoseError::Expired)
    );
    verify(&token(HS, c(r#","exp":1699999941"#).as_bytes())).expect("inside the 60 s leeway");
    assert_eq!(
        verify(&token(
            HS,
            c(r#","exp":1700000300,"nbf":1700000061"#).as_bytes()
        )),
        Err(JoseError::NotYetValid)
    );
    assert_eq!(
        verify(&token(
            HS,
            c(r#","exp":1700000300,"iat":1700000061"#).as_bytes()
        )),
        Err(JoseError::IssuedInFuture)
    );
    let other_iss = format!(r#"{{"iss":"{ISS}/","aud":"{AUD}","exp":1700000300}}"#);
    assert_eq!(
        verify(&token(HS, other_iss.as_bytes())),
        Err(JoseError::InvalidIssuer)
    );
    let no_aud = format!(r#"{{"iss":"{ISS}","exp":1700000300}}"#);
    assert_eq!(
        verify(&token(HS, no_aud.as_bytes())),
        Err(JoseError::MissingClaim("aud"))
    );
    let aud_list = format!(r#"{{"iss":"{ISS}","aud":["a","{AUD}"],"exp":1700000300}}"#);
    verify(&token(HS, aud_list.as_bytes())).expect("aud array containing us");
    let aud_other = format!(r#"{{"iss":"{ISS}","aud":["a","b"],"exp":1700000300}}"#);
    assert_eq!(
        verify(&token(HS, aud_other.as_bytes())),
        Err(JoseError::InvalidAudience)
    );
    let empty_aud = format!(r#"{{"iss":"{ISS}","aud":[],"exp":1700000300}}"#);
    assert_eq!(
        verify(&token(HS, empty_aud.as_bytes())),
        Err(JoseError::InvalidAudience)
    );

    let key = VerifyingKey::hmac(Algorithm::HS256, &SECRET).unwrap();
    let mut scratch = [0u8; 4096];
    let at = Validation::access_token(ISS, AUD);
    let full = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"iat":1700000000,"sub":"s","client_id":"c","jti":"j"}}"#
    );
    assert_eq!(
        at.verify(&token(HS, full.as_bytes()), &key, NOW, &mut scratch)
            .unwrap_err(),
        JoseError::InvalidType
    );
    at.verify(
        &token(
            br#"{"alg":"HS256","typ":"application/at+jwt"}"#,
            full.as_bytes(),
        ),
        &key,
        NOW,
        &mut scratch,
    )
    .unwrap();
    let no_jti = format!(
        r#"{{"iss":"{ISS}","aud":"{AUD}","exp":1700000300,"iat":1700000000,"sub":"s","client_id":"c"}}"#
    );
    assert_eq!(
        at.verify(
            &token(br#"{"alg":"HS256","typ":"at+jwt"}"#, no_jti.as_bytes()),
            &key,
            NOW,
            &mut scratch
        )
        .unwrap_err(),
        JoseError::MissingClaim("jti")
    );
}

#[test]
fn keys_from_the_token_are_never_used() {
    // A token signed with the attacker's secret that carries jku/x5u/jwk headers
    // pointing at that secret must still be checked against our key only.
    let attacker = [0x13u8; 32];
    let h = br#"{"alg":"HS256","jku":"https://evil.example/jwks","x5u":"https://evil.example/c","jwk":{"kty":"oct","k":"ExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExM"}}"#;
    let input = format!("{}.{}", B64.encode(h), B64.encode(good_claims()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &attacker);
    let t = format!(
        "{input}.{}",
        B64.encode(ring::hmac::sign(&key, input.as_bytes()))
    );
    assert_eq!(verify(&t), Err(JoseError::InvalidSignature));
}
