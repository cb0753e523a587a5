//! The device authorization grant (RFC 8628): §3.1 request, §3.2 response, and the §3.4/§3.5
//! polling state machine on a virtual clock.
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    ClientAuth, ClientError, DeviceFlow, DevicePoll, GRANT_TYPE_DEVICE_CODE, TokenResponseOptions,
    device_authorization_request, process_device_authorization_response,
};
use oauth_core::encoding::form;
use oauth_core::error::ErrorCode;
use oauth_core::http::HttpResponse;
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::rand::RandomError;
use oauth_core::time::{Duration, UnixTime};

const T0: UnixTime = UnixTime::from_secs(1_700_000_000);

fn at(secs: u64) -> UnixTime {
    T0.saturating_add(Duration::from_secs(secs))
}

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    |b: &mut [u8]| {
        b.fill(9);
        Ok(())
    }
}

fn meta() -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new("https://example.com");
    m.token_endpoint = Some("https://example.com/token".into());
    m.device_authorization_endpoint = Some("https://example.com/device_authorization".into());
    m
}

/// RFC 8628 §3.2, the example response.
const RFC8628_RESPONSE: &str = r#"{
  "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
  "user_code": "WDJB-MJHT",
  "verification_uri": "https://example.com/device",
  "verification_uri_complete":
      "https://example.com/device?user_code=WDJB-MJHT",
  "expires_in": 1800,
  "interval": 5
}"#;

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse::json(status, body.as_bytes().to_vec())
}

fn error(code: &str) -> HttpResponse {
    json(400, &format!(r#"{{"error":"{code}"}}"#))
}

const TOKENS: &str = r#"{"access_token":"at","token_type":"Bearer","expires_in":3600}"#;

fn flow() -> DeviceFlow {
    let auth = process_device_authorization_response(&json(200, RFC8628_RESPONSE)).unwrap();
    DeviceFlow::new(&auth, T0)
}

#[test]
fn rfc8628_request_and_response() {
    // RFC 8628 §3.1: client_id=1406020730&scope=example_scope
    let auth = ClientAuth::none("1406020730");
    let req =
        device_authorization_request(&meta(), &auth, Some("example_scope"), &[], T0, &mut rng())
            .unwrap();
    assert_eq!(req.url, "https://example.com/device_authorization");
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "scope=example_scope&client_id=1406020730"
    );
    let d = process_device_authorization_response(&json(200, RFC8628_RESPONSE)).unwrap();
    assert_eq!(d.user_code(), "WDJB-MJHT");
    assert_eq!(d.verification_uri(), "https://example.com/device");
    assert_eq!(
        d.verification_uri_complete(),
        Some("https://example.com/device?user_code=WDJB-MJHT")
    );
    assert_eq!(d.expires_in(), 1800);
    assert_eq!(d.interval(), Duration::from_secs(5));
    assert!(!format!("{d:?}").contains("GmRhmhcx"));
    // `interval` defaults to 5 seconds.
    let no_interval = RFC8628_RESPONSE.replace(",\n  \"interval\": 5", "");
    assert_eq!(
        process_device_authorization_response(&json(200, &no_interval))
            .unwrap()
            .interval(),
        Duration::from_secs(5)
    );
    for bad in [
        RFC8628_RESPONSE.replace("\"expires_in\": 1800", "\"expires_in\": \"1800\""),
        RFC8628_RESPONSE.replace("\"expires_in\": 1800", "\"expires_in\": 0"),
        RFC8628_RESPONSE.replace("\"interval\": 5", "\"interval\": -5"),
        RFC8628_RESPONSE.replace("\"user_code\": \"WDJB-MJHT\",", ""),
        RFC8628_RESPONSE.replace("https://example.com/device\",", "javascript:alert(1)\","),
        RFC8628_RESPONSE.replace("GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS", ""),
    ] {
        assert!(
            process_device_authorization_response(&json(200, &bad)).is_err(),
            "{bad}"
        );
    }
    let err = process_device_authorization_response(&json(400, r#"{"error":"invalid_client"}"#))
        .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidClient)
    );
}

#[test]
fn polling_waits_pending_then_tokens() {
    let m = meta();
    let auth = ClientAuth::none("1406020730");
    let mut f = flow();
    // The first poll waits one interval.
    assert_eq!(f.poll(T0).unwrap(), DevicePoll::WaitUntil(at(5)));
    assert!(matches!(
        f.token_request(&m, &auth, at(4), &mut rng()),
        Err(ClientError::InvalidRequest(_))
    ));
    assert_eq!(f.poll(at(5)).unwrap(), DevicePoll::SendRequest);
    // RFC 8628 §3.4 request.
    let req = f.token_request(&m, &auth, at(5), &mut rng()).unwrap();
    let body = form::parse_form(&req.body).unwrap();
    assert_eq!(
        body.get("grant_type").unwrap(),
        Some(GRANT_TYPE_DEVICE_CODE)
    );
    assert_eq!(
        body.get("device_code").unwrap(),
        Some("GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS")
    );
    assert_eq!(body.get("client_id").unwrap(), Some("1406020730"));
    assert_eq!(f.poll(at(6)).unwrap(), DevicePoll::WaitUntil(at(10)));
    // authorization_pending: keep the interval.
    assert!(
        f.handle_response(
            &error("authorization_pending"),
            at(6),
            TokenResponseOptions::new()
        )
        .unwrap()
        .is_none()
    );
    assert_eq!(f.poll(at(6)).unwrap(), DevicePoll::WaitUntil(at(11)));
    assert_eq!(f.interval(), Duration::from_secs(5));
    assert_eq!(f.poll(at(11)).unwrap(), DevicePoll::SendRequest);
    f.token_request(&m, &auth, at(11), &mut rng()).unwrap();
    let tokens = f
        .handle_response(&json(200, TOKENS), at(12), TokenResponseOptions::new())
        .unwrap()
        .unwrap();
    assert_eq!(tokens.access_token().expose(), "at");
    assert_eq!(f.poll(at(13)).unwrap_err(), ClientError::DeviceFlowFinished);
}

#[test]
fn slow_down_adds_five_seconds_each_time() {
    let m = meta();
    let auth = ClientAuth::none("1406020730");
    let mut f = flow();
    f.token_request(&m, &auth, at(5), &mut rng()).unwrap();
    assert!(
        f.handle_response(&error("slow_down"), at(5), TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    assert_eq!(f.interval(), Duration::from_secs(10));
    assert_eq!(f.poll(at(5)).unwrap(), DevicePoll::WaitUntil(at(15)));
    assert_eq!(f.poll(at(14)).unwrap(), DevicePoll::WaitUntil(at(15)));
    f.token_request(&m, &auth, at(15), &mut rng()).unwrap();
    assert!(
        f.handle_response(&error("slow_down"), at(15), TokenResponseOptions::new())
            .unwrap()
            .is_none()
    );
    assert_eq!(f.interval(), Duration::from_secs(15));
    assert_eq!(f.poll(at(15)).unwrap(), DevicePoll::WaitUntil(at(30)));
    // The increase is kept after authorization_pending ("for this and all subsequent requests").
    f.token_request(&m, &auth, at(30), &mut rng()).unwrap();
    assert!(
        f.handle_response(
            &error("authorization_pending"),
            at(30),
            TokenResponseOptions::new()
        )
        .unwrap()
        .is_none()
    );
    assert_eq!(f.poll(at(30)).unwrap(), DevicePoll::WaitUntil(at(45)));
}

#[test]
fn device_expiry() {
    let m = meta();
    let auth = ClientAuth::none("1406020730");
    // Local expiry: expires_in 1800 s after the response.
    let f = flow();
    assert_eq!(f.expires_at(), at(1800));
    assert_eq!(f.poll(at(1799)).unwrap(), DevicePoll::SendRequest);
    assert_eq!(
        f.poll(at(1800)).unwrap_err(),
        ClientError::DeviceCodeExpired
    );
    let mut f = flow();
    assert_eq!(
        f.token_request(&m, &auth, at(1800), &mut rng())
            .unwrap_err(),
        ClientError::DeviceCodeExpired
    );
    // The server says expired_token.
    let mut f = flow();
    f.token_request(&m, &auth, at(5), &mut rng()).unwrap();
    assert_eq!(
        f.handle_response(&error("expired_token"), at(6), TokenResponseOptions::new())
            .unwrap_err(),
        ClientError::DeviceCodeExpired
    );
    assert_eq!(f.poll(at(7)).unwrap_err(), ClientError::DeviceFlowFinished);
}

#[test]
fn access_denied_and_other_errors_end_the_flow() {
    let m = meta();
    let auth = ClientAuth::none("1406020730");
    let mut f = flow();
    f.token_request(&m, &auth, at(5), &mut rng()).unwrap();
    let err = f
        .handle_response(&error("access_denied"), at(6), TokenResponseOptions::new())
        .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::AccessDenied)
    );
    assert_eq!(f.poll(at(20)).unwrap_err(), ClientError::DeviceFlowFinished);
    assert_eq!(
        f.handle_response(&json(200, TOKENS), at(21), TokenResponseOptions::new())
            .unwrap_err(),
        ClientError::DeviceFlowFinished
    );
    let mut f = flow();
    f.token_request(&m, &auth, at(5), &mut rng()).unwrap();
    assert!(
        f.handle_response(&HttpResponse::new(500), at(6), TokenResponseOptions::new())
            .is_err()
    );
    assert_eq!(f.poll(at(20)).unwrap_err(), ClientError::DeviceFlowFinished);
}
