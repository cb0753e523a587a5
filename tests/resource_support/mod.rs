//! Test material for the resource-server tests: issuers that sign with ring
//! directly (independent of the crate's signer), DPoP proofs built by hand.
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use oauth_core::http::HttpRequest;
use oauth_core::jose::{JwkSet, JwkSetOptions};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use serde_json::{Value, json};

pub const ISSUER: &str = "https://as.example.com";
pub const RESOURCE: &str = "https://mcp.example.com/mcp";
pub const NOW: u64 = 1_700_000_000;

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// An ES256 key pair made by ring, with a kid.
pub struct EcKey {
    pub kid: String,
    kp: EcdsaKeyPair,
}

impl EcKey {
    pub fn generate(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let kp = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        Self {
            kid: kid.into(),
            kp,
        }
    }

    /// The public JWK (no kid, no alg: what a DPoP proof carries).
    pub fn public_jwk(&self) -> Value {
        let p = self.kp.public_key().as_ref();
        json!({"kty": "EC", "crv": "P-256", "x": b64(&p[1..33]), "y": b64(&p[33..65])})
    }

    /// The public JWK as published by an AS (kid, alg, use).
    pub fn published_jwk(&self) -> Value {
        let mut j = self.public_jwk();
        j["kid"] = json!(self.kid);
        j["alg"] = json!("ES256");
        j["use"] = json!("sig");
        j
    }

    /// A compact JWS of `claims` with the given header.
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let sig = self
            .kp
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", b64(sig.as_ref()))
    }

    /// Signs an already-encoded signing input.
    pub fn sign_raw(&self, input: &str) -> String {
        let sig = self
            .kp
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", b64(sig.as_ref()))
    }

    /// An access token with `typ` (at+jwt normally).
    pub fn token(&self, typ: &str, claims: &Value) -> String {
        self.sign(
            &json!({"alg": "ES256", "typ": typ, "kid": self.kid}),
            claims,
        )
    }

    /// A DPoP proof with this key (RFC 9449 §4.2).
    pub fn proof(&self, claims: &Value) -> String {
        self.sign(
            &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.public_jwk()}),
            claims,
        )
    }

    /// RFC 7638 thumbprint, computed here from the members (independently of the crate).
    pub fn jkt(&self) -> String {
        let j = self.public_jwk();
        let canon = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            j["x"].as_str().unwrap(),
            j["y"].as_str().unwrap()
        );
        b64(ring::digest::digest(&ring::digest::SHA256, canon.as_bytes()).as_ref())
    }
}

pub fn jwks_json(keys: &[&EcKey]) -> String {
    json!({"keys": keys.iter().map(|k| k.published_jwk()).collect::<Vec<_>>()}).to_string()
}

pub fn jwk_set(keys: &[&EcKey]) -> JwkSet {
    JwkSet::parse(jwks_json(keys).as_bytes(), &JwkSetOptions::default()).unwrap()
}

/// HS256 token signed with ring's HMAC.
pub fn hs256_token(secret: &[u8], kid: &str, typ: &str, claims: &Value) -> String {
    let header = json!({"alg": "HS256", "typ": typ, "kid": kid});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

pub fn hs256_set(secret: &[u8], kid: &str) -> JwkSet {
    let doc = json!({"keys": [{"kty": "oct", "k": b64(secret), "alg": "HS256", "kid": kid}]});
    JwkSet::parse(doc.to_string().as_bytes(), &JwkSetOptions::default()).unwrap()
}

/// RFC 9068 §2.2 claims for this resource, valid at NOW.
pub fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "aud": RESOURCE,
        "sub": "user-1",
        "client_id": "agent-1",
        "scope": "mcp:tools mcp:read",
        "iat": NOW - 10,
        "exp": NOW + 300,
        "jti": "tok-1",
    })
}

pub fn get(url: &str, authorization: &str) -> HttpRequest {
    HttpRequest::get(url)
        .with_header("Authorization", authorization)
        .unwrap()
}
