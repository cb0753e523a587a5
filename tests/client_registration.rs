//! Dynamic client registration (RFC 7591 §3) and Client ID Metadata Documents.
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    CimdAuth, CimdPolicy, ClientError, cimd_client_id, client_id_metadata_document,
    process_registration_response, registration_request,
};
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpResponse, Method};
use oauth_core::metadata::{AuthorizationServerMetadata, ClientMetadata};

fn meta() -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new("https://server.example.com");
    m.registration_endpoint = Some("https://server.example.com/register".into());
    m
}

/// RFC 7591 §3.1, the example request body, plus the `application_type` MCP requires.
const RFC7591_REQUEST: &str = r#"{
 "redirect_uris": [
   "https://client.example.org/callback",
   "https://client.example.org/callback2"],
 "client_name": "My Example Client",
 "client_name#ja-Jpan-JP":
    "\u30AF\u30E9\u30A4\u30A2\u30F3\u30C8\u540D",
 "token_endpoint_auth_method": "client_secret_basic",
 "logo_uri": "https://client.example.org/logo.png",
 "jwks_uri": "https://client.example.org/my_public_keys.jwks",
 "example_extension_parameter": "example_value",
 "application_type": "web"
}"#;

/// RFC 7591 §3.2.1, the example response body.
const RFC7591_RESPONSE: &str = r#"{
 "client_id": "s6BhdRkqt3",
 "client_secret": "cf136dc3c1fc93f31185e5885805d",
 "client_id_issued_at": 2893256800,
 "client_secret_expires_at": 2893276800,
 "redirect_uris": [
   "https://client.example.org/callback",
   "https://client.example.org/callback2"],
 "grant_types": ["authorization_code", "refresh_token"],
 "client_name": "My Example Client",
 "client_name#ja-Jpan-JP":
    "\u30AF\u30E9\u30A4\u30A2\u30F3\u30C8\u540D",
 "token_endpoint_auth_method": "client_secret_basic",
 "logo_uri": "https://client.example.org/logo.png",
 "jwks_uri": "https://client.example.org/my_public_keys.jwks",
 "example_extension_parameter": "example_value"
}"#;

fn requested() -> ClientMetadata {
    ClientMetadata::from_json(RFC7591_REQUEST.as_bytes()).unwrap()
}

#[test]
fn rfc7591_request_and_response() {
    let md = requested();
    let req = registration_request(&meta(), &md, None).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://server.example.com/register");
    assert_eq!(req.header("content-type"), Some("application/json"));
    let sent = ClientMetadata::from_json(&req.body).unwrap();
    assert_eq!(sent, md);
    assert_eq!(
        sent.additional["client_name#ja-Jpan-JP"],
        "\u{30AF}\u{30E9}\u{30A4}\u{30A2}\u{30F3}\u{30C8}\u{540D}"
    );
    let with_token = registration_request(&meta(), &md, Some("ey.initial")).unwrap();
    assert_eq!(
        with_token.header("authorization"),
        Some("Bearer ey.initial")
    );

    let resp = HttpResponse::json(201, RFC7591_RESPONSE.as_bytes().to_vec());
    let info = process_registration_response(&md, &resp).unwrap();
    assert_eq!(info.client_id, "s6BhdRkqt3");
    assert_eq!(
        info.client_secret.as_deref(),
        Some("cf136dc3c1fc93f31185e5885805d")
    );
    assert_eq!(info.client_secret_expires_at, Some(2893276800));
    assert!(!format!("{info:?}").contains("cf136dc3"));
}

#[test]
fn registration_failures() {
    let md = requested();
    // application_type is required (MCP); client_id is the server's to assign.
    let mut no_type = md.clone();
    no_type.application_type = None;
    assert!(matches!(
        registration_request(&meta(), &no_type, None),
        Err(ClientError::InvalidRequest(_))
    ));
    let mut with_id = md.clone();
    with_id.client_id = Some("mine".into());
    assert!(matches!(
        registration_request(&meta(), &with_id, None),
        Err(ClientError::InvalidRequest(_))
    ));
    assert_eq!(
        registration_request(
            &AuthorizationServerMetadata::new("https://x.example"),
            &md,
            None
        )
        .unwrap_err(),
        ClientError::MissingEndpoint("registration_endpoint")
    );
    // The server dropped a redirect URI.
    let dropped = RFC7591_RESPONSE.replace(",\n   \"https://client.example.org/callback2\"", "");
    assert_eq!(
        process_registration_response(&md, &HttpResponse::json(201, dropped.into_bytes()))
            .unwrap_err(),
        ClientError::RedirectUrisNotRegistered
    );
    // RFC 7591 §3.2.1 requires 201.
    assert_eq!(
        process_registration_response(
            &md,
            &HttpResponse::json(200, RFC7591_RESPONSE.as_bytes().to_vec())
        )
        .unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 201,
            actual: 200
        }
    );
    // RFC 7591 §3.2.2 example error.
    let err = process_registration_response(
        &md,
        &HttpResponse::json(
            400,
            br#"{"error": "invalid_redirect_uri", "error_description": "The redirection URI http://sketchy.example.com is not allowed by this server."}"#.to_vec(),
        ),
    )
    .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidRedirectUri)
    );
    // A secret without its expiry is refused (RFC 7591 §3.2.1).
    let no_expiry = RFC7591_RESPONSE.replace(" \"client_secret_expires_at\": 2893276800,\n", "");
    assert!(matches!(
        process_registration_response(&md, &HttpResponse::json(201, no_expiry.into_bytes())),
        Err(ClientError::Document(_))
    ));
}

#[test]
fn cimd_document_and_policy() {
    let url = "https://app.example.com/oauth/client-metadata.json";
    let doc = client_id_metadata_document(
        url,
        "Example Agent",
        &["http://127.0.0.1:8765/cb"],
        CimdAuth::None,
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&doc.to_json()).unwrap();
    assert_eq!(json["client_id"], url);
    assert_eq!(json["client_name"], "Example Agent");
    assert_eq!(
        json["redirect_uris"],
        serde_json::json!(["http://127.0.0.1:8765/cb"])
    );
    assert_eq!(json["token_endpoint_auth_method"], "none");
    assert!(json.get("client_secret").is_none());

    let keyed = client_id_metadata_document(
        url,
        "Example Agent",
        &["https://app.example.com/cb"],
        CimdAuth::PrivateKeyJwtUri("https://app.example.com/jwks.json".into()),
    )
    .unwrap();
    assert_eq!(
        keyed.token_endpoint_auth_method.as_deref(),
        Some("private_key_jwt")
    );
    assert_eq!(
        keyed.jwks_uri.as_deref(),
        Some("https://app.example.com/jwks.json")
    );

    // The client_id URL: https with a path.
    for bad in [
        "http://app.example.com/c.json",
        "https://app.example.com",
        "https://app.example.com/",
        "https://app.example.com/c#x",
    ] {
        assert!(
            client_id_metadata_document(bad, "n", &["https://a.example/cb"], CimdAuth::None)
                .is_err(),
            "{bad}"
        );
    }
    assert!(client_id_metadata_document(url, "n", &[], CimdAuth::None).is_err());

    // The URL is the client_id only where the server advertises support, unless told.
    let mut m = meta();
    assert_eq!(
        cimd_client_id(&m, &doc, CimdPolicy::RequireAdvertised).unwrap_err(),
        ClientError::ClientIdMetadataDocumentNotSupported
    );
    assert_eq!(
        cimd_client_id(&m, &doc, CimdPolicy::AssumeSupported).unwrap(),
        url
    );
    m.client_id_metadata_document_supported = Some(true);
    assert_eq!(
        cimd_client_id(&m, &doc, CimdPolicy::RequireAdvertised).unwrap(),
        url
    );
    m.client_id_metadata_document_supported = Some(false);
    assert!(cimd_client_id(&m, &doc, CimdPolicy::RequireAdvertised).is_err());
}

/// RFC 7591 §3.2.1 requires `client_secret_expires_at` with a secret; the MCP
/// conformance suite's DCR server leaves it out (response recorded in
/// tests/data/conformance/dcr-response-no-expiry.json). Strict by default; the
/// named leniency reads the omission as 0 ("does not expire") and nothing else.
#[test]
fn missing_secret_expiry_is_refused_unless_the_leniency_is_named() {
    use oauth_core::client::process_registration_response_with;
    use oauth_core::metadata::{ClientInformation, RegistrationLeniency};
    let raw = include_bytes!("data/conformance/dcr-response-no-expiry.json");
    let resp = HttpResponse::json(201, raw.to_vec());
    let mut wanted = ClientMetadata::default();
    wanted.redirect_uris = Some(vec!["http://localhost:3000/callback".into()]);
    assert!(process_registration_response(&wanted, &resp).is_err());
    assert!(ClientInformation::from_json(raw).is_err());
    let info = process_registration_response_with(
        &wanted,
        &resp,
        RegistrationLeniency::MissingSecretExpiry,
    )
    .unwrap();
    assert_eq!(info.client_id, "test-client-id");
    assert_eq!(info.client_secret.as_deref(), Some("test-client-secret"));
    assert_eq!(info.client_secret_expires_at, Some(0));
    // A present value is kept; the other rules still apply.
    let lenient =
        |b: &[u8]| ClientInformation::from_json_with(b, RegistrationLeniency::MissingSecretExpiry);
    let kept = lenient(br#"{"client_id":"a","client_secret":"s","client_secret_expires_at":5}"#);
    assert_eq!(kept.unwrap().client_secret_expires_at, Some(5));
    assert!(lenient(br#"{"client_id":"","client_secret":"s"}"#).is_err());
    assert!(lenient(br#"{"client_id":"a","client_id":"b","client_secret":"s"}"#).is_err());
    // A public client has no secret and no expiry to invent.
    assert_eq!(
        lenient(br#"{"client_id":"a"}"#)
            .unwrap()
            .client_secret_expires_at,
        None
    );
}
