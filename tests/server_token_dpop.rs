//! DPoP at the token endpoint (RFC 9449 §5, §8, §10) with real proofs: the
//! client side is team C's `client::dpop` (proof creation, one nonce retry), the
//! proof check is the `dpop` module, the binding is the token endpoint's.
#![cfg(feature = "std")]

mod server_token_support;

use oauth_core::client::dpop::{DpopExchange, DpopKey as ClientDpopKey, DpopNonces, DpopStep};
use oauth_core::dpop::NonceIssuer;
use oauth_core::time::Duration;
use server_token_support::*;

#[test]
fn code_flow_with_dpop_jkt_nonce_retry_bound_tokens_and_replay() {
    let mut s = server();
    s.dpop_nonces = Some(NonceIssuer::new(&[42u8; 32], Duration::from_secs(300)).unwrap());
    let key = ClientDpopKey::generate_es256(&mut rng(77)).unwrap();
    // RFC 9449 §10: dpop_jkt at the authorization endpoint binds the code.
    let (code, verifier) = authorize(
        &mut s,
        "public-app",
        &[
            ("redirect_uri", REDIRECT),
            ("scope", "read"),
            ("resource", RESOURCE),
            ("dpop_jkt", key.thumbprint()),
        ],
        now(0),
    );
    let mut nonces = DpopNonces::new();
    let mut exchange = DpopExchange::new(code_request("public-app", &code, &verifier, &[]), None);
    // First try without a nonce: RFC 9449 §8 use_dpop_nonce with DPoP-Nonce, 400.
    let first = exchange
        .request(&key, &nonces, now(1), &mut rng(1))
        .unwrap();
    let resp = s.token(&first, now(1), &mut rng(2));
    assert_eq!(resp.status, 400);
    assert_eq!(error_of(&resp), "use_dpop_nonce");
    assert!(resp.header("DPoP-Nonce").is_some());
    assert_eq!(
        exchange.handle_response(&mut nonces, &resp).unwrap(),
        DpopStep::Retry
    );
    // The code was not consumed by the nonce round trip.
    let second = exchange
        .request(&key, &nonces, now(2), &mut rng(3))
        .unwrap();
    let ok = s.token(&second, now(2), &mut rng(4));
    assert_eq!(ok.status, 200, "{:?}", String::from_utf8_lossy(&ok.body));
    assert!(
        ok.header("DPoP-Nonce").is_some(),
        "RFC 9449 §8.2: a nonce for the next proof"
    );
    let body = json(&ok);
    // RFC 9449 §5: token_type DPoP; §6.1: cnf.jkt.
    assert_eq!(body["token_type"], "DPoP");
    let claims = verify_at(&s, body["access_token"].as_str().unwrap(), RESOURCE, now(3));
    assert_eq!(claims["cnf"]["jkt"], key.thumbprint());
    // The same proof again is a replay (RFC 9449 §11.1).
    let replayed = s.token(&second, now(3), &mut rng(5));
    assert_eq!(error_of(&replayed), "invalid_dpop_proof");

    // The public client's refresh token is bound: another key cannot use it.
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    let refresh = |key: &ClientDpopKey, nonces: &DpopNonces, t: u64| {
        let req = form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
            ("client_id", "public-app"),
        ]);
        DpopExchange::new(req, None)
            .request(key, nonces, now(t), &mut rng(t))
            .unwrap()
    };
    let thief = ClientDpopKey::generate_es256(&mut rng(99)).unwrap();
    let stolen = s.token(&refresh(&thief, &nonces, 10), now(10), &mut rng(10));
    assert_eq!(error_of(&stolen), "invalid_grant");
    let mine = s.token(&refresh(&key, &nonces, 11), now(11), &mut rng(11));
    assert_eq!(
        mine.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&mine.body)
    );
    let c = verify_at(
        &s,
        json(&mine)["access_token"].as_str().unwrap(),
        RESOURCE,
        now(12),
    );
    assert_eq!(c["cnf"]["jkt"], key.thumbprint());
}

#[test]
fn proof_for_another_endpoint_is_refused() {
    // RFC 9449 §4.3: htu must be the token endpoint.
    let mut s = server();
    let key = ClientDpopKey::generate_es256(&mut rng(5)).unwrap();
    let req = basic(
        form(&[("grant_type", "client_credentials")]),
        "s6BhdRkqt3",
        "gX1fBat3bV",
    );
    let mut elsewhere = req.clone();
    elsewhere.url = "https://as.example.com/other".into();
    let signed = DpopExchange::new(elsewhere, None)
        .request(&key, &DpopNonces::new(), now(0), &mut rng(6))
        .unwrap();
    let mut sent = req;
    sent.headers
        .insert("DPoP", signed.header("DPoP").unwrap())
        .unwrap();
    assert_eq!(
        error_of(&s.token(&sent, now(0), &mut rng(7))),
        "invalid_dpop_proof"
    );
    // Without DPoP, client credentials are Bearer.
    let plain = s.token(
        &basic(
            form(&[("grant_type", "client_credentials")]),
            "s6BhdRkqt3",
            "gX1fBat3bV",
        ),
        now(0),
        &mut rng(8),
    );
    assert_eq!(json(&plain)["token_type"], "Bearer");
}
