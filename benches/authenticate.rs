//! `ResourceServer::authenticate` end to end (`cargo bench --bench authenticate`).
//!
//! Groups `authenticate/<ALG>/{oauth-core, verify-only, ring-raw}` for ES256 and
//! HS256, one RFC 9068 access token each (~420 bytes for HS256):
//! - `oauth-core`: `ResourceServer::authenticate` on a received request:
//!   `Authorization` extraction, header peek, key lookup in the issuer's
//!   `JwkSet`, `Validation::access_token` (signature, exp/iat, iss, aud, typ,
//!   required claims), the `Principal` (owned strings) and the scope check;
//! - `verify-only`: `Validation::access_token(..).verify(..)` alone;
//! - `ring-raw`: the floor: base64url-decode the signature into a stack buffer
//!   and let ring verify the signing input with a pre-parsed key.
//!
//! Every benchmark checks its result once before timing.

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use criterion::{Criterion, criterion_group, criterion_main};
use oauth_core::http::HttpRequest;
use oauth_core::jose::{JwkSet, JwkSetOptions, Validation};
use oauth_core::resource::ResourceServer;
use oauth_core::time::UnixTime;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair as _};

const ISSUER: &str = "https://as.example.com";
const RESOURCE: &str = "https://mcp.example.com/mcp";
const NOW: u64 = 1_700_000_000;
const SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

fn b64(b: &[u8]) -> String {
    B64.encode(b)
}

fn claims() -> String {
    serde_json::json!({
        "iss": ISSUER, "aud": RESOURCE, "sub": "user-5f2a9c41", "client_id": "mcp-client-7c1e",
        "scope": "mcp:tools mcp:resources", "iat": NOW - 10, "exp": NOW + 3600,
        "jti": "6f1c2a7e-93b4-4d0e-8a55-0c9f3e2b7d14", "tenant": "acme-corp", "auth_time": NOW - 60,
    })
    .to_string()
}

struct Case {
    name: &'static str,
    token: String,
    rs: ResourceServer,
    keys: JwkSet,
    raw: Box<dyn Fn(&str) -> bool>,
}

fn es256() -> Case {
    let rng = SystemRandom::new();
    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    let kp = EcdsaKeyPair::from_pkcs8(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        pkcs8.as_ref(),
        &rng,
    )
    .unwrap();
    let p = kp.public_key().as_ref().to_vec();
    let jwks =
        serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256",
        "x": b64(&p[1..33]), "y": b64(&p[33..65])}]})
        .to_string();
    let header = r#"{"alg":"ES256","typ":"at+jwt","kid":"k1"}"#;
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims().as_bytes()));
    let sig = kp.sign(&rng, input.as_bytes()).unwrap();
    let token = format!("{input}.{}", b64(sig.as_ref()));
    let pk = signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, p);
    case(
        "ES256",
        token,
        &jwks,
        Box::new(move |t: &str| {
            let (input, sig) = t.rsplit_once('.').unwrap();
            let mut buf = [0u8; 64];
            let n = B64.decode_slice(sig, &mut buf).unwrap_or(0);
            pk.verify(input.as_bytes(), &buf[..n]).is_ok()
        }),
    )
}

fn hs256() -> Case {
    let jwks = serde_json::json!({"keys": [{"kty": "oct", "kid": "h1", "alg": "HS256", "k": b64(SECRET)}]}).to_string();
    let header = r#"{"alg":"HS256","typ":"at+jwt","kid":"h1"}"#;
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims().as_bytes()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET);
    let token = format!(
        "{input}.{}",
        b64(ring::hmac::sign(&key, input.as_bytes()).as_ref())
    );
    case(
        "HS256",
        token,
        &jwks,
        Box::new(move |t: &str| {
            let (input, sig) = t.rsplit_once('.').unwrap();
            let mut buf = [0u8; 32];
            let n = B64.decode_slice(sig, &mut buf).unwrap_or(0);
            ring::hmac::verify(&key, input.as_bytes(), &buf[..n]).is_ok()
        }),
    )
}

fn case(name: &'static str, token: String, jwks: &str, raw: Box<dyn Fn(&str) -> bool>) -> Case {
    let set = || JwkSet::parse(jwks.as_bytes(), &JwkSetOptions::default()).unwrap();
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, set())
        .with_required_scopes(&["mcp:tools"]);
    Case {
        name,
        token,
        rs,
        keys: set(),
        raw,
    }
}

fn bench(c: &mut Criterion) {
    let now = UnixTime::from_secs(NOW);
    for case in [es256(), hs256()] {
        let req = HttpRequest::get("/mcp")
            .with_header("Authorization", format!("Bearer {}", case.token))
            .unwrap();
        assert!(
            case.rs.authenticate(&req, now).is_ok(),
            "{}: authenticate",
            case.name
        );
        let v = Validation::access_token(ISSUER, RESOURCE);
        let mut scratch = [0u8; 2048];
        assert!(v.verify(&case.token, &case.keys, now, &mut scratch).is_ok());
        assert!((case.raw)(&case.token));
        let mut g = c.benchmark_group(format!("authenticate/{}", case.name));
        g.bench_function("oauth-core", |b| {
            b.iter(|| black_box(case.rs.authenticate(black_box(&req), now).is_ok()))
        });
        g.bench_function("verify-only", |b| {
            b.iter(|| {
                let mut scratch = [0u8; 2048];
                black_box(
                    v.verify(black_box(&case.token), &case.keys, now, &mut scratch)
                        .is_ok(),
                )
            })
        });
        g.bench_function("ring-raw", |b| {
            b.iter(|| black_box((case.raw)(black_box(&case.token))))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
