//! End-to-end demo of the JOSE hot path (until the full MCP demo of issue F lands):
//! for each algorithm, an authorization server signs an RFC 9068 access token and a
//! resource server verifies it, then the demo shows the checks that reject bad
//! tokens. Run with `cargo run --example demo`.

use oauth_core::jose::{Algorithm, JoseError, Jwk, SigningKey, Validation, VerifyingKey, sign_jwt};
use oauth_core::time::UnixTime;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair,
};

const ISSUER: &str = "https://as.example.com";
const RESOURCE: &str = "https://mcp.example.com/mcp";
/// RFC 7520 §3.4: an RSA-2048 private key as a JWK (used for RS256 and PS256).
const RSA_JWK: &str = include_str!("../vectors/rfc7520/jwk/3_4.rsa_private_key.json");

fn signer(alg: Algorithm) -> Result<SigningKey, Box<dyn std::error::Error>> {
    let rng = ring::rand::SystemRandom::new();
    let key = match alg {
        Algorithm::HS256 => {
            let mut secret = [0u8; 32];
            ring::rand::SecureRandom::fill(&rng, &mut secret).map_err(|_| "rng")?;
            SigningKey::hmac(alg, &secret)?
        }
        // The RFC 7520 key carries no `alg`: pin it here.
        Algorithm::RS256 | Algorithm::PS256 => {
            Jwk::parse(RSA_JWK.as_bytes())?.to_signing_key(Some(alg))?
        }
        Algorithm::ES256 => {
            let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .map_err(|_| "keygen")?;
            SigningKey::from_pkcs8(alg, doc.as_ref())?
        }
        Algorithm::ES384 => {
            let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng)
                .map_err(|_| "keygen")?;
            SigningKey::from_pkcs8(alg, doc.as_ref())?
        }
        _ => {
            let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| "keygen")?;
            SigningKey::from_pkcs8(Algorithm::EdDSA, doc.as_ref())?
        }
    };
    Ok(key.with_kid(&format!("{alg}-1"))?)
}

fn verifier(
    alg: Algorithm,
    signer: &SigningKey,
    hmac_secret: Option<&[u8]>,
) -> Result<VerifyingKey, Box<dyn std::error::Error>> {
    Ok(match hmac_secret {
        Some(s) => VerifyingKey::hmac(alg, s)?.with_kid(signer.kid().unwrap_or_default())?,
        None => signer.verifying_key()?,
    })
}

fn check(label: &str, result: Result<(), JoseError>, expect_ok: bool) -> bool {
    let pass = result.is_ok() == expect_ok;
    let outcome = match &result {
        Ok(()) => "accepted".to_string(),
        Err(e) => format!("rejected: {e}"),
    };
    println!(
        "  [{}] {label}: {outcome}",
        if pass { "ok" } else { "FAIL" }
    );
    pass
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = UnixTime::from_secs(1_750_000_000);
    let claims = serde_json::json!({
        "iss": ISSUER, "aud": RESOURCE, "sub": "alice", "client_id": "agent-7",
        "scope": "mcp:tools", "iat": now.as_secs(), "exp": now.as_secs() + 300, "jti": "demo-1",
    });
    let validation = Validation::access_token(ISSUER, RESOURCE);
    let mut all_ok = true;
    let mut scratch = [0u8; 4096];

    for alg in [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::PS256,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
    ] {
        println!("{alg}:");
        // HMAC: sign and verify with one shared secret.
        let secret = [0x5au8; 32];
        let sk = if alg == Algorithm::HS256 {
            SigningKey::hmac(alg, &secret)?.with_kid("HS256-1")?
        } else {
            signer(alg)?
        };
        let vk = verifier(alg, &sk, (alg == Algorithm::HS256).then_some(&secret[..]))?;
        let token = sign_jwt(&claims, &sk, Some("at+jwt"))?;
        println!(
            "  token: {}...{} ({} bytes)",
            &token[..24],
            &token[token.len() - 8..],
            token.len()
        );

        let verified = validation.verify(&token, &vk, now, &mut scratch);
        let sub_ok = verified
            .as_ref()
            .is_ok_and(|j| j.claims().sub().is_some_and(|s| s.eq_str("alice")));
        all_ok &= check("valid token, sub=alice", verified.map(|_| ()), true) && sub_ok;

        let mut tampered = token.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered)?;
        all_ok &= check(
            "tampered signature",
            validation
                .verify(&tampered, &vk, now, &mut scratch)
                .map(|_| ()),
            false,
        );
        all_ok &= check(
            "expired (now = exp + 61 s)",
            validation
                .verify(
                    &token,
                    &vk,
                    UnixTime::from_secs(now.as_secs() + 361),
                    &mut scratch,
                )
                .map(|_| ()),
            false,
        );
        let other_rs = Validation::access_token(ISSUER, "https://other.example.com/mcp");
        all_ok &= check(
            "audience is another resource",
            other_rs.verify(&token, &vk, now, &mut scratch).map(|_| ()),
            false,
        );
        let plain_jwt = sign_jwt(&claims, &sk, Some("JWT"))?;
        all_ok &= check(
            "typ JWT where at+jwt is required",
            validation
                .verify(&plain_jwt, &vk, now, &mut scratch)
                .map(|_| ()),
            false,
        );
    }

    // Algorithm confusion (RFC 8725 §2.1): an HS256 token whose HMAC secret is an
    // attacker-known public key must not verify against that public key.
    println!("alg confusion:");
    let es = signer(Algorithm::ES256)?;
    let es_pub = es.verifying_key()?;
    let attacker = SigningKey::hmac(Algorithm::HS256, &[1u8; 65])?.with_kid("ES256-1")?;
    let forged = sign_jwt(&claims, &attacker, Some("at+jwt"))?;
    all_ok &= check(
        "HS256 token against an ES256 key",
        validation
            .verify(&forged, &es_pub, now, &mut scratch)
            .map(|_| ()),
        false,
    );
    let none = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UifQ.";
    all_ok &= check(
        "alg none",
        validation
            .verify(none, &es_pub, now, &mut scratch)
            .map(|_| ()),
        false,
    );

    if all_ok {
        println!("demo: all checks behaved as expected");
        Ok(())
    } else {
        Err("demo: a check did not behave as expected".into())
    }
}
