//! Token revocation (RFC 7009 §2) and the introspection request (RFC 7662 §2.1).
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    ClientAuth, ClientError, Secret, TokenTypeHint, introspection_request,
    process_revocation_response, revocation_request,
};
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpResponse, Method};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::rand::RandomError;
use oauth_core::time::UnixTime;

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    |b: &mut [u8]| {
        b.fill(1);
        Ok(())
    }
}

fn meta() -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new("https://server.example.com");
    m.revocation_endpoint = Some("https://server.example.com/revoke".into());
    m.introspection_endpoint = Some("https://server.example.com/introspect".into());
    m
}

#[test]
fn rfc7009_revocation() {
    // RFC 7009 §2.1 example request.
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let req = revocation_request(
        &meta(),
        &auth,
        &Secret::new("45ghiukldjahdnhzdauz"),
        Some(TokenTypeHint::RefreshToken),
        NOW,
        &mut rng(),
    )
    .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://server.example.com/revoke");
    assert_eq!(
        req.header("authorization"),
        Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
    );
    assert!(req.content_type_is_form());
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token"
    );
    // RFC 7009 §2.2: 200 whether or not the token was valid; the body is ignored.
    process_revocation_response(&HttpResponse::new(200)).unwrap();
    process_revocation_response(&HttpResponse::new(200).with_body(b"whatever".to_vec())).unwrap();
    // RFC 7009 §2.2.1 errors.
    let err = process_revocation_response(&HttpResponse::json(
        400,
        br#"{"error":"unsupported_token_type"}"#.to_vec(),
    ))
    .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::UnsupportedTokenType)
    );
    let err = process_revocation_response(
        &HttpResponse::json(503, br#"{"error":"temporarily_unavailable"}"#.to_vec())
            .with_header("Retry-After", "30")
            .unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::TemporarilyUnavailable)
    );
    assert_eq!(
        process_revocation_response(&HttpResponse::new(503)).unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 200,
            actual: 503
        }
    );
    assert_eq!(
        revocation_request(
            &AuthorizationServerMetadata::new("https://x.example"),
            &auth,
            &Secret::new("t"),
            None,
            NOW,
            &mut rng()
        )
        .unwrap_err(),
        ClientError::MissingEndpoint("revocation_endpoint")
    );
}

#[test]
fn rfc7662_introspection_request() {
    // RFC 7662 §2.1, the second example request.
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let req = introspection_request(
        &meta(),
        &auth,
        &Secret::new("mF_9.B5f-4.1JqM"),
        Some(TokenTypeHint::AccessToken),
        NOW,
        &mut rng(),
    )
    .unwrap();
    assert_eq!(req.url, "https://server.example.com/introspect");
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(
        req.header("authorization"),
        Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
    );
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "token=mF_9.B5f-4.1JqM&token_type_hint=access_token"
    );
    let no_hint =
        introspection_request(&meta(), &auth, &Secret::new("t"), None, NOW, &mut rng()).unwrap();
    assert_eq!(std::str::from_utf8(&no_hint.body).unwrap(), "token=t");
}
