//! Access-token verification benchmarks (`cargo bench --bench verify`).
//!
//! Groups (the README quotes these names):
//! - `verify/<ALG>/{oauth-core, ring-raw, jsonwebtoken, jwt-simple}` for HS256,
//!   RS256, PS256, ES256 and EdDSA: one RFC 9068 access token per algorithm
//!   (~400 bytes for HS256). `oauth-core` is the full
//!   `Validation::access_token(..).verify(..)` with a stack scratch buffer;
//!   `ring-raw` is the floor: base64url-decode the signature segment into a stack
//!   buffer and let ring verify the signing input, nothing else. The peer crates
//!   are set up to do comparable work: signature, `exp`, `iss`, `aud` (and
//!   `typ` for jwt-simple, which can check it; jsonwebtoken cannot).
//! - `jwks/install/<N>`: `JwkSet::parse` of a JWKS of N Ed25519 keys.
//! - `jwks/lookup/<N>`: `KeyResolver::resolve` of kid `k-{N/2}` in that set.
//! - `jwks/verify/<N>`: full EdDSA verification with the key found in that set.
//! - `steps/<step>`: the sub-steps of an HS256 verification, to see what
//!   dominates on the fastest algorithm.
//!
//! Every benchmark checks its result once before timing (an error path measured
//! by mistake would look fast).

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use oauth_core::encoding::base64url;
use oauth_core::encoding::json::{self, Limits};
use oauth_core::jose::{
    Algorithm, Claims, CompactJws, Header, HeaderPolicy, Jwk, JwkSet, JwkSetOptions, KeyResolver,
    SigningKey, Validation, VerifyingKey, sign_jwt,
};
use oauth_core::time::UnixTime;
use ring::signature::{self, KeyPair as _};
use serde::Deserialize;

const ISSUER: &str = "https://as.example.com";
const AUDIENCE: &str = "https://mcp.example.com/mcp";
/// 2100-01-01: peers read the system clock, so the token must be valid "now".
const EXP: u64 = 4_102_444_800;
const HMAC_SECRET: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

/// RFC 7520 §3.4 RSA-2048 private key (public test vector), used for RS256/PS256
/// (ring cannot generate RSA keys).
const RSA_JWK: &str = r#"{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig",
"n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
"e":"AQAB",
"d":"bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
"p":"3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
"q":"uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
"dp":"B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
"dq":"CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
"qi":"3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"}"#;

fn now() -> UnixTime {
    UnixTime::from_system_time(SystemTime::now()).expect("clock after 1970")
}

/// RFC 9068 claims: ~230 bytes of JSON, ~310 characters once encoded.
fn claims(now: UnixTime) -> serde_json::Value {
    serde_json::json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-5f2a9c41",
        "client_id": "mcp-client-7c1e",
        "scope": "mcp:tools mcp:resources",
        "iat": now.as_secs() - 10,
        "exp": EXP,
        "jti": "6f1c2a7e-93b4-4d0e-8a55-0c9f3e2b7d14",
        "tenant": "acme-corp",
        "auth_time": now.as_secs() - 60,
    })
}

/// The claims the peers deserialize (what an application would read).
#[derive(Debug, Deserialize, serde::Serialize)]
#[allow(dead_code)]
struct PeerClaims {
    sub: String,
    client_id: String,
    scope: String,
    jti: String,
}

/// jwt-simple's registered claims are its own; the custom part carries the rest.
#[derive(Debug, Deserialize, serde::Serialize)]
#[allow(dead_code)]
struct SimpleCustom {
    client_id: String,
    scope: String,
}

/// One algorithm's token and keys for every contender.
struct Case {
    name: &'static str,
    token: String,
    oauth_key: VerifyingKey,
    ring: RingKey,
    jwt_key: jsonwebtoken::DecodingKey,
    jwt_alg: jsonwebtoken::Algorithm,
    simple: SimpleKey,
}

enum RingKey {
    Hmac(ring::hmac::Key),
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
        params: &'static signature::RsaParameters,
    },
    Unparsed(&'static dyn signature::VerificationAlgorithm, Vec<u8>),
}

enum SimpleKey {
    Hs256(jwt_simple::prelude::HS256Key),
    Rs256(jwt_simple::prelude::RS256PublicKey),
    Ps256(jwt_simple::prelude::PS256PublicKey),
    Es256(jwt_simple::prelude::ES256PublicKey),
    Ed25519(jwt_simple::prelude::Ed25519PublicKey),
}

fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

fn cases(now: UnixTime) -> Vec<Case> {
    let rng = ring::rand::SystemRandom::new();
    let claims = claims(now);
    let mut out = Vec::new();

    // HS256
    let sk = SigningKey::hmac(Algorithm::HS256, HMAC_SECRET)
        .unwrap()
        .with_kid("k1")
        .unwrap();
    out.push(Case {
        name: "HS256",
        token: sign_jwt(&claims, &sk, Some("at+jwt")).unwrap(),
        oauth_key: VerifyingKey::hmac(Algorithm::HS256, HMAC_SECRET)
            .unwrap()
            .with_kid("k1")
            .unwrap(),
        ring: RingKey::Hmac(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HMAC_SECRET)),
        jwt_key: jsonwebtoken::DecodingKey::from_secret(HMAC_SECRET),
        jwt_alg: jsonwebtoken::Algorithm::HS256,
        simple: SimpleKey::Hs256(jwt_simple::prelude::HS256Key::from_bytes(HMAC_SECRET)),
    });

    // RS256 / PS256 with the RFC 7520 key.
    let rsa: serde_json::Value = serde_json::from_str(RSA_JWK).unwrap();
    let (n_b64, e_b64) = (rsa["n"].as_str().unwrap(), rsa["e"].as_str().unwrap());
    let (n, e) = (B64.decode(n_b64).unwrap(), B64.decode(e_b64).unwrap());
    for (name, alg, params, jalg) in [
        (
            "RS256",
            Algorithm::RS256,
            &signature::RSA_PKCS1_2048_8192_SHA256,
            jsonwebtoken::Algorithm::RS256,
        ),
        (
            "PS256",
            Algorithm::PS256,
            &signature::RSA_PSS_2048_8192_SHA256,
            jsonwebtoken::Algorithm::PS256,
        ),
    ] {
        let sk = Jwk::parse(RSA_JWK.as_bytes())
            .unwrap()
            .to_signing_key(Some(alg))
            .unwrap()
            .with_kid("k1")
            .unwrap();
        let simple = if alg == Algorithm::RS256 {
            SimpleKey::Rs256(jwt_simple::prelude::RS256PublicKey::from_components(&n, &e).unwrap())
        } else {
            SimpleKey::Ps256(jwt_simple::prelude::PS256PublicKey::from_components(&n, &e).unwrap())
        };
        out.push(Case {
            name,
            token: sign_jwt(&claims, &sk, Some("at+jwt")).unwrap(),
            oauth_key: VerifyingKey::rsa(alg, &n, &e)
                .unwrap()
                .with_kid("k1")
                .unwrap(),
            ring: RingKey::Rsa {
                n: n.clone(),
                e: e.clone(),
                params,
            },
            jwt_key: jsonwebtoken::DecodingKey::from_rsa_components(n_b64, e_b64).unwrap(),
            jwt_alg: jalg,
            simple,
        });
    }

    // ES256
    let pkcs8 =
        signature::EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
    let kp = signature::EcdsaKeyPair::from_pkcs8(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        pkcs8.as_ref(),
        &rng,
    )
    .unwrap();
    let point = kp.public_key().as_ref().to_vec();
    let sk = SigningKey::from_pkcs8(Algorithm::ES256, pkcs8.as_ref())
        .unwrap()
        .with_kid("k1")
        .unwrap();
    out.push(Case {
        name: "ES256",
        token: sign_jwt(&claims, &sk, Some("at+jwt")).unwrap(),
        oauth_key: VerifyingKey::ec(Algorithm::ES256, &point)
            .unwrap()
            .with_kid("k1")
            .unwrap(),
        ring: RingKey::Unparsed(&signature::ECDSA_P256_SHA256_FIXED, point.clone()),
        jwt_key: jsonwebtoken::DecodingKey::from_ec_components(
            &b64(&point[1..33]),
            &b64(&point[33..]),
        )
        .unwrap(),
        jwt_alg: jsonwebtoken::Algorithm::ES256,
        simple: SimpleKey::Es256(jwt_simple::prelude::ES256PublicKey::from_bytes(&point).unwrap()),
    });

    // EdDSA
    let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let kp = signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let pk = kp.public_key().as_ref().to_vec();
    let sk = SigningKey::from_pkcs8(Algorithm::EdDSA, pkcs8.as_ref())
        .unwrap()
        .with_kid("k1")
        .unwrap();
    out.push(Case {
        name: "EdDSA",
        token: sign_jwt(&claims, &sk, Some("at+jwt")).unwrap(),
        oauth_key: VerifyingKey::ed25519(&pk).unwrap().with_kid("k1").unwrap(),
        ring: RingKey::Unparsed(&signature::ED25519, pk.clone()),
        jwt_key: jsonwebtoken::DecodingKey::from_ed_components(&b64(&pk)).unwrap(),
        jwt_alg: jsonwebtoken::Algorithm::EdDSA,
        simple: SimpleKey::Ed25519(jwt_simple::prelude::Ed25519PublicKey::from_bytes(&pk).unwrap()),
    });
    out
}

/// The floor: decode the signature segment on the stack, verify the signing input.
fn ring_raw(key: &RingKey, token: &str) -> bool {
    let Some((signing_input, sig_b64)) = token.rsplit_once('.') else {
        return false;
    };
    let mut sig = [0u8; 512];
    let Ok(len) = B64.decode_slice(sig_b64, &mut sig) else {
        return false;
    };
    let sig = &sig[..len];
    let msg = signing_input.as_bytes();
    match key {
        RingKey::Hmac(k) => ring::hmac::verify(k, msg, sig).is_ok(),
        RingKey::Rsa { n, e, params } => signature::RsaPublicKeyComponents {
            n: &n[..],
            e: &e[..],
        }
        .verify(params, msg, sig)
        .is_ok(),
        RingKey::Unparsed(alg, pk) => signature::UnparsedPublicKey::new(*alg, pk)
            .verify(msg, sig)
            .is_ok(),
    }
}

fn jwt_validation(alg: jsonwebtoken::Algorithm) -> jsonwebtoken::Validation {
    let mut v = jsonwebtoken::Validation::new(alg);
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[AUDIENCE]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = 60;
    v
}

fn simple_options() -> jwt_simple::prelude::VerificationOptions {
    jwt_simple::prelude::VerificationOptions {
        allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
        allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
        required_signature_type: Some("at+jwt".to_owned()),
        time_tolerance: Some(jwt_simple::prelude::Duration::from_secs(60)),
        ..Default::default()
    }
}

type SimpleClaims = jwt_simple::prelude::JWTClaims<SimpleCustom>;

fn simple_verify(
    key: &SimpleKey,
    token: &str,
    opts: &jwt_simple::prelude::VerificationOptions,
) -> Result<SimpleClaims, jwt_simple::Error> {
    use jwt_simple::prelude::*;
    // jwt-simple takes the options by value: the clone is part of its per-call cost.
    let o = Some(opts.clone());
    match key {
        SimpleKey::Hs256(k) => k.verify_token::<SimpleCustom>(token, o),
        SimpleKey::Rs256(k) => k.verify_token::<SimpleCustom>(token, o),
        SimpleKey::Ps256(k) => k.verify_token::<SimpleCustom>(token, o),
        SimpleKey::Es256(k) => k.verify_token::<SimpleCustom>(token, o),
        SimpleKey::Ed25519(k) => k.verify_token::<SimpleCustom>(token, o),
    }
}

fn bench_verify(c: &mut Criterion) {
    let now = now();
    let validation = Validation::access_token(ISSUER, AUDIENCE);
    let opts = simple_options();
    for case in cases(now) {
        let asymmetric = case.name != "HS256";
        let mut g = c.benchmark_group(format!("verify/{}", case.name));
        if asymmetric {
            g.sample_size(40).measurement_time(Duration::from_secs(3));
        }
        let token = case.token.as_str();

        // Check every contender once: each must accept the token.
        {
            let mut scratch = [0u8; 2048];
            let jwt = validation
                .verify(token, &case.oauth_key, now, &mut scratch)
                .expect("oauth-core accepts");
            assert!(jwt.claims().iss().unwrap().eq_str(ISSUER));
        }
        assert!(
            ring_raw(&case.ring, token),
            "ring-raw accepts {}",
            case.name
        );
        let jv = jwt_validation(case.jwt_alg);
        let d = jsonwebtoken::decode::<PeerClaims>(token, &case.jwt_key, &jv)
            .expect("jsonwebtoken accepts");
        assert_eq!(d.claims.scope, "mcp:tools mcp:resources");
        let s = simple_verify(&case.simple, token, &opts).expect("jwt-simple accepts");
        assert_eq!(s.custom.scope, "mcp:tools mcp:resources");

        g.bench_function("oauth-core", |b| {
            // One scratch buffer reused across calls, as a server thread would.
            let mut scratch = [0u8; 2048];
            b.iter(|| {
                let r = validation.verify(black_box(token), &case.oauth_key, now, &mut scratch);
                black_box(r.is_ok())
            });
        });
        g.bench_function("ring-raw", |b| {
            b.iter(|| black_box(ring_raw(&case.ring, black_box(token))))
        });
        g.bench_function("jsonwebtoken", |b| {
            b.iter(|| {
                black_box(
                    jsonwebtoken::decode::<PeerClaims>(black_box(token), &case.jwt_key, &jv)
                        .is_ok(),
                )
            });
        });
        g.bench_function("jwt-simple", |b| {
            b.iter(|| black_box(simple_verify(&case.simple, black_box(token), &opts).is_ok()));
        });
        g.finish();
    }
}

/// A JWKS of `n` Ed25519 keys `k-0..k-{n-1}`, plus a token signed by `k-{n/2}`.
fn jwks(n: usize, now: UnixTime) -> (String, String) {
    let rng = ring::rand::SystemRandom::new();
    let mut keys = Vec::with_capacity(n);
    let mut token = String::new();
    for i in 0..n {
        let pkcs8 = signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let kp = signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let kid = format!("k-{i}");
        keys.push(serde_json::json!({
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA",
            "kid": kid, "x": b64(kp.public_key().as_ref()),
        }));
        if i == n / 2 {
            let sk = SigningKey::from_pkcs8(Algorithm::EdDSA, pkcs8.as_ref())
                .unwrap()
                .with_kid(&kid)
                .unwrap();
            token = sign_jwt(&claims(now), &sk, Some("at+jwt")).unwrap();
        }
    }
    (serde_json::json!({ "keys": keys }).to_string(), token)
}

fn bench_jwks(c: &mut Criterion) {
    let now = now();
    let validation = Validation::access_token(ISSUER, AUDIENCE);
    let sets: Vec<(usize, String, String)> = [1usize, 10, 1000]
        .into_iter()
        .map(|n| {
            let (doc, token) = jwks(n, now);
            (n, doc, token)
        })
        .collect();

    let mut g = c.benchmark_group("jwks/install");
    g.sample_size(30);
    for (n, doc, _) in &sets {
        let set = JwkSet::parse(doc.as_bytes(), &JwkSetOptions::default()).unwrap();
        assert_eq!((set.len(), set.skipped().len()), (*n, 0));
        g.bench_with_input(BenchmarkId::from_parameter(n), doc, |b, doc| {
            b.iter(|| {
                JwkSet::parse(black_box(doc.as_bytes()), &JwkSetOptions::default()).map(|s| s.len())
            });
        });
    }
    g.finish();

    let mut g = c.benchmark_group("jwks/lookup");
    for (n, doc, _) in &sets {
        let set = JwkSet::parse(doc.as_bytes(), &JwkSetOptions::default()).unwrap();
        let kid_doc = format!(r#"{{"kid":"k-{}"}}"#, n / 2);
        let obj = json::parse_object(kid_doc.as_bytes(), &Limits::default()).unwrap();
        let kid = obj.get("kid").and_then(|v| v.as_str()).unwrap();
        let want = format!("k-{}", n / 2);
        assert_eq!(
            set.resolve(Some(kid), Algorithm::EdDSA).unwrap().kid(),
            Some(want.as_str())
        );
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| set.resolve(black_box(Some(kid)), Algorithm::EdDSA).is_ok());
        });
    }
    g.finish();

    let mut g = c.benchmark_group("jwks/verify");
    g.sample_size(40).measurement_time(Duration::from_secs(3));
    for (n, doc, token) in &sets {
        let set = JwkSet::parse(doc.as_bytes(), &JwkSetOptions::default()).unwrap();
        let mut scratch = [0u8; 2048];
        let jwt = validation
            .verify(token, &set, now, &mut scratch)
            .expect("verifies via the set");
        assert!(jwt.header().kid().unwrap().eq_str(&format!("k-{}", n / 2)));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            let mut scratch = [0u8; 2048];
            b.iter(|| {
                validation
                    .verify(black_box(token), &set, now, &mut scratch)
                    .is_ok()
            });
        });
    }
    g.finish();
}

/// The sub-steps of an HS256 verification, each timed alone.
fn bench_steps(c: &mut Criterion) {
    let now = now();
    let sk = SigningKey::hmac(Algorithm::HS256, HMAC_SECRET)
        .unwrap()
        .with_kid("k1")
        .unwrap();
    let token = sign_jwt(&claims(now), &sk, Some("at+jwt")).unwrap();
    let token = token.as_str();
    let jws = CompactJws::parse(token).unwrap();
    let (hseg, pseg, sseg) = (jws.header_b64(), jws.payload_b64(), jws.signature_b64());
    let mut hbuf = [0u8; 256];
    let header = base64url::decode_public(hseg.as_bytes(), &mut hbuf)
        .unwrap()
        .to_vec();
    let mut pbuf = [0u8; 1024];
    let payload = base64url::decode_public(pseg.as_bytes(), &mut pbuf)
        .unwrap()
        .to_vec();
    let mut sbuf = [0u8; 64];
    let sig = base64url::decode_public(sseg.as_bytes(), &mut sbuf)
        .unwrap()
        .to_vec();
    let policy = HeaderPolicy::default();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, HMAC_SECRET);
    let vk = VerifyingKey::hmac(Algorithm::HS256, HMAC_SECRET)
        .unwrap()
        .with_kid("k1")
        .unwrap();
    assert_eq!(
        Header::parse(&header, &policy).unwrap().alg(),
        Algorithm::HS256
    );
    assert!(Claims::parse(&payload).unwrap().exp().is_some());
    assert!(ring::hmac::verify(&key, jws.signing_input(), &sig).is_ok());
    assert!(vk.verify_signature(jws.signing_input(), &sig).is_ok());

    let mut g = c.benchmark_group("steps");
    g.bench_function("split", |b| {
        b.iter(|| CompactJws::parse(black_box(token)).is_ok())
    });
    g.bench_function("b64-header", |b| {
        b.iter(|| {
            let mut out = [0u8; 256];
            base64url::decode_public(black_box(hseg.as_bytes()), &mut out).map(<[u8]>::len)
        });
    });
    g.bench_function("Header::parse", |b| {
        b.iter(|| Header::parse(black_box(&header), &policy).is_ok())
    });
    g.bench_function("b64-signature", |b| {
        b.iter(|| {
            let mut out = [0u8; 64];
            base64url::decode_public(black_box(sseg.as_bytes()), &mut out).map(<[u8]>::len)
        });
    });
    g.bench_function("hmac-sha256", |b| {
        b.iter(|| ring::hmac::verify(&key, black_box(jws.signing_input()), &sig).is_ok());
    });
    g.bench_function("verify_signature", |b| {
        b.iter(|| {
            vk.verify_signature(black_box(jws.signing_input()), &sig)
                .is_ok()
        });
    });
    g.bench_function("b64-claims", |b| {
        b.iter(|| {
            let mut out = [0u8; 1024];
            base64url::decode_public(black_box(pseg.as_bytes()), &mut out).map(<[u8]>::len)
        });
    });
    g.bench_function("Claims::parse", |b| {
        b.iter(|| Claims::parse(black_box(&payload)).is_ok())
    });
    // Post-parse checks that rescan: `typ` comparison and the required-claim
    // lookup of a non-registered claim (`client_id` is found by a member scan).
    let parsed_header = Header::parse(&header, &policy).unwrap();
    let parsed_claims = Claims::parse(&payload).unwrap();
    assert!(parsed_header.typ_is("at+jwt") && parsed_claims.contains("client_id"));
    g.bench_function("typ_is", |b| {
        b.iter(|| black_box(&parsed_header).typ_is(black_box("at+jwt")))
    });
    g.bench_function("contains-client_id", |b| {
        b.iter(|| black_box(&parsed_claims).contains(black_box("client_id")));
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_verify, bench_jwks, bench_steps
}
criterion_main!(benches);
