//! Live cross-signing with two JOSE libraries we did not write: `jose` (npm, run by node)
//! and `joserfc` (PyPI, run by python), through the small scripts in `tests/data/interop/`.
//!
//! For every algorithm both sides implement (HS256/384/512, RS256/384/512, PS256/384/512,
//! ES256/384, ES512 where this build has it, EdDSA with Ed25519):
//! - the peer generates a key pair and signs a JWT; oauth-core verifies it from the peer's
//!   public JWK (RFC 7517) with the algorithm pinned, and refuses the same token with its
//!   payload swapped, under an unrelated key of the same type, and the peer's own unsecured
//!   (`alg: none`) JWT (RFC 8725 §3.1);
//! - oauth-core signs with the peer's private JWK; the peer verifies our token (algorithm
//!   pinned, `iss`, `aud`, `exp` checked) and refuses it tampered, under the unrelated key,
//!   and as an unsecured JWT.
//!
//! Not part of plain `cargo test`: the target needs `--features interop` and the peers that
//! `.ci/interop` installs (`$OAUTH_CORE_INTEROP_NODE_DIR/node_modules/jose`,
//! `$OAUTH_CORE_INTEROP_PYTHON` with joserfc; both default to the cache folder it uses).
#![cfg(feature = "std")]

mod interop_support;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use interop_support::{cache_dir, data};
use oauth_core::jose::{
    Algorithm, JoseError, Jwk, KeyError, SigningKey, Validation, VerifyingKey, sign_jwt,
};
use oauth_core::rand::{SecureRandom as _, SystemRandom};
use oauth_core::time::UnixTime;
use serde_json::{Value, json};

const ISS: &str = "https://issuer.interop.example";
const AUD: &str = "https://rs.interop.example/api";

/// ES512 is there with the RustCrypto backend (P-521: ring has none); with ring alone it is
/// refused as not supported by the backend.
const ES512: bool = cfg!(all(
    feature = "es512",
    any(feature = "rustcrypto", not(feature = "ring"))
));

#[derive(Clone, Copy)]
enum Peer {
    Jose,
    Joserfc,
}

impl Peer {
    /// Runs the peer's script with one JSON request; returns its answer.
    fn call(self, request: &Value) -> Value {
        let mut cmd = match self {
            Peer::Jose => {
                let node_dir = std::env::var_os("OAUTH_CORE_INTEROP_NODE_DIR")
                    .map_or_else(|| cache_dir().join("interop/node"), PathBuf::from);
                let node = std::env::var_os("OAUTH_CORE_INTEROP_NODE").unwrap_or("node".into());
                let mut c = Command::new(node);
                c.arg(data("jose_peer.mjs"))
                    .env("OAUTH_CORE_INTEROP_NODE_DIR", node_dir);
                c
            }
            Peer::Joserfc => {
                let python = std::env::var_os("OAUTH_CORE_INTEROP_PYTHON").map_or_else(
                    || cache_dir().join("interop/venv/bin/python"),
                    PathBuf::from,
                );
                let mut c = Command::new(python);
                c.arg(data("joserfc_peer.py"));
                c
            }
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the peer (run .ci/interop first): {e}"));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(request.to_string().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "peer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn algorithms() -> Vec<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .filter(|a| ES512 || *a != Algorithm::ES512)
        .collect()
}

fn now() -> UnixTime {
    UnixTime::from_system_time(std::time::SystemTime::now()).unwrap()
}

fn claims(now: UnixTime, sub: &str) -> Value {
    json!({
        "iss": ISS, "aud": AUD, "sub": sub,
        "iat": now.as_secs(), "exp": now.as_secs() + 600,
        "jti": format!("{sub}-{}", now.as_secs()),
    })
}

fn alg_of(r: &Value) -> Algorithm {
    Algorithm::from_name(r["alg"].as_str().unwrap().as_bytes()).unwrap()
}

fn public_key(jwk: &Value, alg: Algorithm) -> VerifyingKey {
    Jwk::parse(jwk.to_string().as_bytes())
        .unwrap()
        .to_verifying_key(Some(alg))
        .unwrap_or_else(|e| panic!("{alg:?}: the peer's public JWK: {e}"))
}

/// The token with its payload replaced (signature kept).
fn with_payload(token: &str, payload: &Value) -> String {
    let mut parts = token.split('.');
    let (h, _, s) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    format!("{h}.{}.{s}", B64.encode(payload.to_string()))
}

fn verify_here(token: &str, key: &VerifyingKey, alg: Algorithm) -> Result<String, JoseError> {
    let mut scratch = vec![0u8; token.len()];
    let algs = [alg];
    let v = Validation::new(ISS, AUD)
        .algorithms(&algs)
        .verify(token, key, now(), &mut scratch)?;
    Ok(v.claims().sub().unwrap().to_cow().into_owned())
}

/// Tokens the peer signed verify here; tampered, wrong-key and `none` tokens do not.
fn peer_tokens_verify_here(peer: Peer) {
    let t = now();
    let algs: Vec<&str> = algorithms().iter().map(|a| a.name()).collect();
    let answer = peer.call(&json!({ "op": "sign", "algs": algs, "claims": claims(t, "alice") }));
    let name = answer["peer"].as_str().unwrap().to_owned();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), algs.len());
    let mut checks = 0;
    for r in results {
        let alg = alg_of(r);
        let token = r["token"].as_str().unwrap();
        let key = public_key(&r["public_jwk"], alg);
        assert_eq!(
            verify_here(token, &key, alg).as_deref(),
            Ok("alice"),
            "{name} {alg:?}"
        );
        checks += 1;
        let tampered = with_payload(token, &claims(t, "mallory"));
        assert_eq!(
            verify_here(&tampered, &key, alg),
            Err(JoseError::InvalidSignature),
            "{name} {alg:?} tampered"
        );
        checks += 1;
        let other = public_key(&r["other_public_jwk"], alg);
        assert_eq!(
            verify_here(token, &other, alg),
            Err(JoseError::InvalidSignature),
            "{name} {alg:?} wrong key"
        );
        checks += 1;
        // RFC 8725 §3.1: the peer's unsecured JWT is refused whatever key is offered.
        assert_eq!(
            verify_here(r["none_token"].as_str().unwrap(), &key, alg),
            Err(JoseError::AlgorithmNone),
            "{name} {alg:?} none"
        );
        checks += 1;
        // The algorithm is pinned by the key: the same token is refused under another
        // algorithm of the family (RFC 8725 §3.1).
        if let Some(sibling) = algorithms()
            .into_iter()
            .find(|a| *a != alg && a.family() == alg.family())
        {
            let sib = Jwk::parse(r["public_jwk"].to_string().as_bytes())
                .unwrap()
                .to_verifying_key(Some(sibling));
            if let Ok(sib) = sib {
                assert!(
                    verify_here(token, &sib, sibling).is_err(),
                    "{name} {alg:?} as {sibling:?}"
                );
                checks += 1;
            }
        }
    }
    println!(
        "interop: {name} -> oauth-core: {} algorithms, {checks} checks passed",
        results.len()
    );
}

/// Tokens we sign (with the peer's private JWK) verify in the peer; tampered, wrong-key and
/// `none` tokens are refused by it.
fn our_tokens_verify_in_peer(peer: Peer) {
    let t = now();
    let algs: Vec<&str> = algorithms().iter().map(|a| a.name()).collect();
    let keys = peer.call(&json!({ "op": "sign", "algs": algs, "claims": claims(t, "unused") }));
    let name = keys["peer"].as_str().unwrap().to_owned();
    let none = format!(
        "{}.{}.",
        B64.encode(r#"{"alg":"none"}"#),
        B64.encode(claims(t, "bob").to_string())
    );
    let mut items = Vec::new();
    for r in keys["results"].as_array().unwrap() {
        let alg = alg_of(r);
        let signing = Jwk::parse(r["private_jwk"].to_string().as_bytes())
            .unwrap()
            .to_signing_key(Some(alg))
            .unwrap_or_else(|e| panic!("{alg:?}: the peer's private JWK: {e}"));
        let ours = sign_jwt(&claims(t, "bob"), &signing, Some("JWT")).unwrap();
        // Our own verifier agrees before the peer is asked.
        assert_eq!(
            verify_here(&ours, &public_key(&r["public_jwk"], alg), alg).as_deref(),
            Ok("bob")
        );
        let item = |token: &str, jwk: &Value| json!({ "alg": alg.name(), "jwk": jwk, "token": token, "iss": ISS, "aud": AUD });
        items.push(item(&ours, &r["public_jwk"]));
        items.push(item(
            &with_payload(&ours, &claims(t, "mallory")),
            &r["public_jwk"],
        ));
        items.push(item(&ours, &r["other_public_jwk"]));
        items.push(item(&none, &r["public_jwk"]));
    }
    let verdicts = peer.call(&json!({ "op": "verify", "items": items }));
    let verdicts = verdicts["results"].as_array().unwrap();
    assert_eq!(verdicts.len(), items.len());
    for (item, (verdict, expect_ok)) in items.iter().zip(
        verdicts
            .iter()
            .zip([true, false, false, false].into_iter().cycle()),
    ) {
        let what = format!(
            "{name} verifying our {} token ({})",
            item["alg"],
            if expect_ok {
                "genuine"
            } else {
                "must be refused"
            }
        );
        assert_eq!(verdict["ok"], expect_ok, "{what}: {verdict}");
        if expect_ok {
            assert_eq!(verdict["alg"], item["alg"], "{what}");
            assert_eq!(verdict["claims"]["sub"], "bob", "{what}");
            assert_eq!(verdict["claims"]["iss"], ISS, "{what}");
        }
    }
    println!(
        "interop: oauth-core -> {name}: {} algorithms, {} checks passed",
        items.len() / 4,
        items.len()
    );
}

/// Tokens we sign with PKCS#8 PEM keys (tests/data/pem) and an HMAC secret of our own
/// verify in the peer from the SubjectPublicKeyInfo PEM (and the secret as a JWK); the same
/// tokens tampered are refused.
fn our_pem_keys_verify_in_peer(peer: Peer) {
    let t = now();
    let pem = |name: &str| std::fs::read_to_string(data(&format!("../pem/{name}"))).unwrap();
    let mut keys: Vec<(Algorithm, SigningKey, Value)> = Vec::new();
    for (alg, file) in [
        (Algorithm::RS256, "rs256"),
        (Algorithm::RS384, "rs256"),
        (Algorithm::RS512, "rs256"),
        (Algorithm::PS256, "rs256"),
        (Algorithm::PS384, "rs256"),
        (Algorithm::PS512, "rs256"),
        (Algorithm::ES256, "es256"),
        (Algorithm::ES384, "es384"),
        (Algorithm::EdDSA, "eddsa"),
    ] {
        let key =
            SigningKey::from_pkcs8_pem(alg, &pem(&format!("{file}_private_pkcs8.pem"))).unwrap();
        keys.push((
            alg,
            key,
            json!({ "pem": pem(&format!("{file}_public.pem")) }),
        ));
    }
    let mut rng = SystemRandom::new();
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let mut secret = vec![0u8; alg.hash().output_len()];
        rng.fill(&mut secret).unwrap();
        let key = SigningKey::hmac(alg, &secret).unwrap();
        keys.push((
            alg,
            key,
            json!({ "jwk": { "kty": "oct", "k": B64.encode(&secret) } }),
        ));
    }
    let mut items = Vec::new();
    for (alg, key, public) in &keys {
        let ours = sign_jwt(&claims(t, "dave"), key, Some("JWT")).unwrap();
        for token in [ours.clone(), with_payload(&ours, &claims(t, "mallory"))] {
            let mut item = public.clone();
            item["alg"] = alg.name().into();
            item["token"] = token.into();
            item["iss"] = ISS.into();
            item["aud"] = AUD.into();
            items.push(item);
        }
    }
    let answer = peer.call(&json!({ "op": "verify", "items": items }));
    let name = answer["peer"].as_str().unwrap();
    let verdicts = answer["results"].as_array().unwrap();
    assert_eq!(verdicts.len(), items.len());
    for (i, (item, verdict)) in items.iter().zip(verdicts).enumerate() {
        let genuine = i % 2 == 0;
        assert_eq!(
            verdict["ok"], genuine,
            "{name}, our {} token: {verdict}",
            item["alg"]
        );
        if genuine {
            assert_eq!(verdict["claims"]["sub"], "dave");
        }
    }
    println!(
        "interop: oauth-core (PEM and HMAC keys) -> {name}: {} algorithms, {} checks passed",
        keys.len(),
        items.len()
    );
}

#[test]
fn oauth_core_pem_keys_verify_in_jose_npm() {
    our_pem_keys_verify_in_peer(Peer::Jose);
}

#[test]
fn oauth_core_pem_keys_verify_in_joserfc() {
    our_pem_keys_verify_in_peer(Peer::Joserfc);
}

#[test]
fn jose_npm_tokens_verify_in_oauth_core() {
    peer_tokens_verify_here(Peer::Jose);
}

#[test]
fn oauth_core_tokens_verify_in_jose_npm() {
    our_tokens_verify_in_peer(Peer::Jose);
}

#[test]
fn joserfc_tokens_verify_in_oauth_core() {
    peer_tokens_verify_here(Peer::Joserfc);
}

#[test]
fn oauth_core_tokens_verify_in_joserfc() {
    our_tokens_verify_in_peer(Peer::Joserfc);
}

/// Without the RustCrypto backend, ES512 keys are refused with a typed error, never
/// accepted and mis-verified (the peers' ES512 tokens are then left out above).
#[test]
fn es512_is_there_or_refused_as_unsupported() {
    let answer = Peer::Jose.call(&json!({
        "op": "sign", "algs": ["ES512"], "claims": claims(now(), "carol"),
    }));
    let r = &answer["results"][0];
    let text = r["public_jwk"].to_string();
    let jwk = Jwk::parse(text.as_bytes()).unwrap();
    match (ES512, jwk.to_verifying_key(Some(Algorithm::ES512))) {
        (true, Ok(key)) => {
            assert_eq!(
                verify_here(r["token"].as_str().unwrap(), &key, Algorithm::ES512).as_deref(),
                Ok("carol")
            );
        }
        (false, Err(e)) => assert_eq!(e, KeyError::NotSupportedByBackend),
        (expected, got) => panic!("ES512 expected: {expected}, got {:?}", got.err()),
    }
}
