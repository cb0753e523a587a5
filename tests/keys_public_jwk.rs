//! `SigningKey::public_jwk`: the RFC 7517 public JWK of a signing key, checked
//! against independent values (ring's public key bytes, the RFC examples' public
//! members and RFC 7638 thumbprints), never against our own output.
#![cfg(feature = "alloc")]

use oauth_core::jose::{Algorithm, Jwk, KeyError, SigningKey};
use serde_json::{Value, json};

fn thumbprint_of(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap();
    Jwk::parse(text.as_bytes())
        .unwrap()
        .thumbprint()
        .unwrap()
        .to_string()
}

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

fn assert_no_private(v: &Value) {
    for m in PRIVATE_MEMBERS {
        assert!(v.get(m).is_none(), "private member {m} in {v}");
    }
}

#[test]
fn okp_rfc8037_a1_key_renders_its_public_members() {
    // RFC 8037 App. A.1 private key; A.2 public key; A.3 thumbprint.
    let private = br#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let key = Jwk::parse(private)
        .unwrap()
        .to_signing_key(None)
        .unwrap()
        .with_kid("ed-1")
        .unwrap();
    let public = key.public_jwk().unwrap();
    assert_eq!(
        public,
        json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
               "alg":"EdDSA","kid":"ed-1"})
    );
    assert_eq!(
        thumbprint_of(&public),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
    assert_no_private(&public);
}

#[test]
fn rsa_rfc7515_a2_key_matches_the_jwk_it_came_from() {
    let doc: Value = serde_json::from_str(include_str!("../vectors/rfc7515.json")).unwrap();
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "rfc7515-a2-rs256-sign")
        .unwrap();
    let jwk = &case["key"];
    let text = serde_json::to_string(jwk).unwrap();
    let key = match Jwk::parse(text.as_bytes())
        .unwrap()
        .to_signing_key(Some(Algorithm::RS256))
    {
        Ok(k) => k,
        // RustCrypto alone verifies RSA but does not sign with it.
        Err(KeyError::NotSupportedByBackend) => return,
        Err(e) => panic!("{e}"),
    };
    let public = key.public_jwk().unwrap();
    assert_eq!(public["kty"], "RSA");
    assert_eq!(public["n"], jwk["n"]);
    assert_eq!(public["e"], jwk["e"]);
    assert_eq!(public["alg"], "RS256");
    assert!(public.get("kid").is_none());
    assert_no_private(&public);
    assert_eq!(thumbprint_of(&public), thumbprint_of(jwk));
}

#[cfg(feature = "ring")]
#[test]
fn ec_pkcs8_key_renders_rings_public_point() {
    use base64::Engine as _;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let point = pair.public_key().as_ref();
    assert_eq!(point.len(), 65);
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let key = SigningKey::from_pkcs8(Algorithm::ES256, pkcs8.as_ref()).unwrap();
    let public = key.public_jwk().unwrap();
    assert_eq!(
        public,
        json!({"kty":"EC","crv":"P-256","x": b64(&point[1..33]),"y": b64(&point[33..]),"alg":"ES256"})
    );
    assert_no_private(&public);
}

#[cfg(feature = "ring")]
#[test]
fn ed25519_pkcs8_key_renders_rings_public_key() {
    use base64::Engine as _;
    use ring::signature::{Ed25519KeyPair, KeyPair as _};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(pair.public_key().as_ref());
    let key = SigningKey::from_pkcs8(Algorithm::EdDSA, pkcs8.as_ref()).unwrap();
    assert_eq!(
        key.public_jwk().unwrap(),
        json!({"kty":"OKP","crv":"Ed25519","x": x,"alg":"EdDSA"})
    );
}

#[test]
fn hmac_keys_have_no_public_jwk() {
    let key = SigningKey::hmac(Algorithm::HS256, &[7; 32]).unwrap();
    assert_eq!(key.public_jwk().unwrap_err(), KeyError::WrongUse);
}
