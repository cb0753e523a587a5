//! Token endpoint requests and responses: RFC 6749 §4.1.3/§4.1.4/§5.1/§5.2, RFC 6750 §4, refresh
//! rotation, client credentials, RFC 8693 §2.3 token exchange, RFC 7523 §2.1 JWT bearer, and the
//! ID-JAG flow (token exchange at the IdP, then JWT bearer at the resource's AS).
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

use oauth_core::client::{
    AuthorizationState, ClientAuth, ClientError, GRANT_TYPE_JWT_BEARER, GRANT_TYPE_TOKEN_EXCHANGE,
    Secret, TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TokenExchange,
    TokenLeniency, TokenResponseOptions, TokenType, authorization_code_request,
    client_credentials_request, jwt_bearer_request, process_id_jag_response,
    process_refresh_token_response, process_token_exchange_response, process_token_response,
    refresh_token_request, token_exchange_request,
};
use oauth_core::encoding::form;
use oauth_core::error::ErrorCode;
use oauth_core::http::{HttpResponse, Method};
use oauth_core::metadata::AuthorizationServerMetadata;
use oauth_core::rand::RandomError;
use oauth_core::time::UnixTime;

const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

fn rng() -> impl FnMut(&mut [u8]) -> Result<(), RandomError> {
    let mut n = 0u8;
    move |b: &mut [u8]| {
        for x in b.iter_mut() {
            n = n.wrapping_add(1);
            *x = n;
        }
        Ok(())
    }
}

fn meta(issuer: &str) -> AuthorizationServerMetadata {
    let mut m = AuthorizationServerMetadata::new(issuer);
    m.token_endpoint = Some(format!("{issuer}/token"));
    m
}

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse::json(status, body.as_bytes().to_vec())
}

fn strict() -> TokenResponseOptions {
    TokenResponseOptions::new()
}

fn state() -> AuthorizationState {
    serde_json::from_value(serde_json::json!({
        "issuer": "https://server.example.com",
        "iss_parameter_supported": false,
        "client_id": "s6BhdRkqt3",
        "redirect_uri": "https://client.example.com/cb",
        "state": "xyz",
        "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "resources": ["https://mcp.example.com/mcp"],
    }))
    .unwrap()
}

#[test]
fn rfc6749_code_exchange_request() {
    let m = meta("https://server.example.com");
    let st = state();
    let code = st
        .process_callback("https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz")
        .unwrap();
    // RFC 6749 §4.1.3: client s6BhdRkqt3 with secret gX1fBat3bV (§2.3.1's example credentials).
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let req = authorization_code_request(&m, &auth, &st, &code, NOW, &mut rng()).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://server.example.com/token");
    assert_eq!(
        req.header("authorization"),
        Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
    );
    assert!(req.content_type_is_form());
    assert_eq!(req.header("accept"), Some("application/json"));
    let body = form::parse_form(&req.body).unwrap();
    body.ensure_no_duplicates(&["resource"]).unwrap();
    assert_eq!(body.get("grant_type").unwrap(), Some("authorization_code"));
    assert_eq!(body.get("code").unwrap(), Some("SplxlOBeZQQYbYS6WxSbIA"));
    assert_eq!(
        body.get("redirect_uri").unwrap(),
        Some("https://client.example.com/cb")
    );
    // RFC 7636 §4.5 and Appendix B.
    assert_eq!(
        body.get("code_verifier").unwrap(),
        Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    );
    // RFC 8707 §2.2 / MCP: the resource goes in the token request too.
    assert_eq!(
        body.get_all("resource").collect::<Vec<_>>(),
        ["https://mcp.example.com/mcp"]
    );
    assert_eq!(body.get("client_id").unwrap(), None);
    assert!(!format!("{req:?}").contains("SplxlOBeZQQYbYS6WxSbIA"));

    // Mix-up defence: the code never goes to another server's token endpoint.
    assert_eq!(
        authorization_code_request(
            &meta("https://other.example.com"),
            &auth,
            &st,
            &code,
            NOW,
            &mut rng()
        )
        .unwrap_err(),
        ClientError::StateIssuerMismatch
    );
    assert!(matches!(
        authorization_code_request(
            &m,
            &ClientAuth::none("someone-else"),
            &st,
            &code,
            NOW,
            &mut rng()
        ),
        Err(ClientError::InvalidRequest(_))
    ));
    let mut no_endpoint = m.clone();
    no_endpoint.token_endpoint = None;
    assert_eq!(
        authorization_code_request(&no_endpoint, &auth, &st, &code, NOW, &mut rng()).unwrap_err(),
        ClientError::MissingEndpoint("token_endpoint")
    );
}

/// RFC 6750 §4, the example access token response.
const RFC6750_RESPONSE: &str = r#"{
  "access_token":"mF_9.B5f-4.1JqM",
  "token_type":"Bearer",
  "expires_in":3600,
  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"
}"#;

/// RFC 6749 §4.1.4 / §5.1, the example response (token_type "example").
const RFC6749_RESPONSE: &str = r#"{
  "access_token":"2YotnFZFEjr1zCsicMWpAA",
  "token_type":"example",
  "expires_in":3600,
  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
  "example_parameter":"example_value"
}"#;

#[test]
fn rfc6750_response_is_accepted() {
    let resp = json(200, RFC6750_RESPONSE)
        .with_header("Cache-Control", "no-store")
        .unwrap();
    let t = process_token_response(&resp, strict()).unwrap();
    assert_eq!(t.access_token().expose(), "mF_9.B5f-4.1JqM");
    assert_eq!(t.token_type(), TokenType::Bearer);
    assert_eq!(t.expires_in(), Some(3600));
    assert_eq!(t.expires_at(NOW), Some(UnixTime::from_secs(1_700_003_600)));
    assert_eq!(
        t.refresh_token().map(Secret::expose),
        Some("tGzv3JOkF0XG5Qx2TlKWIA")
    );
    assert!(t.refresh_token_is_new());
    assert_eq!(t.scope(), None);
    assert!(t.id_token().is_none());
    // Cache-Control / Pragma are not required of the response.
    assert!(process_token_response(&json(200, RFC6750_RESPONSE), strict()).is_ok());
    // Debug never prints a token.
    let debug = format!("{t:?}");
    assert!(
        !debug.contains("mF_9") && !debug.contains("tGzv3"),
        "{debug}"
    );
}

#[test]
fn token_type_missing_or_unknown_is_refused() {
    // The RFC 6749 example's "example" token type is not one this client can use.
    assert_eq!(
        process_token_response(&json(200, RFC6749_RESPONSE), strict()).unwrap_err(),
        ClientError::UnsupportedTokenType
    );
    // With a usable type, the extension member is kept.
    let t = process_token_response(
        &json(
            200,
            &RFC6749_RESPONSE.replace("\"example\",", "\"Bearer\","),
        ),
        strict(),
    )
    .unwrap();
    assert_eq!(t.additional()["example_parameter"], "example_value");
    for body in [
        r#"{"access_token":"a"}"#,
        r#"{"access_token":"a","token_type":""}"#,
        r#"{"access_token":"a","token_type":null}"#,
        r#"{"access_token":"a","token_type":1}"#,
        r#"{"access_token":"a","token_type":"MAC"}"#,
        r#"{"access_token":"a","token_type":"N_A"}"#,
        r#"{"access_token":"a","token_type":"Bearer "}"#,
    ] {
        assert_eq!(
            process_token_response(&json(200, body), strict()).unwrap_err(),
            ClientError::UnsupportedTokenType,
            "{body}"
        );
    }
    // RFC 6749 §5.1: case-insensitive.
    for ty in ["bearer", "BEARER", "Bearer"] {
        let body = format!(r#"{{"access_token":"a","token_type":"{ty}"}}"#);
        assert_eq!(
            process_token_response(&json(200, &body), strict())
                .unwrap()
                .token_type(),
            TokenType::Bearer
        );
    }
}

#[test]
fn dpop_token_type_rules() {
    let dpop = r#"{"access_token":"a","token_type":"DPoP","expires_in":60}"#;
    let opts = strict().dpop();
    assert_eq!(
        process_token_response(&json(200, dpop), opts)
            .unwrap()
            .token_type(),
        TokenType::DPoP
    );
    assert_eq!(
        process_token_response(&json(200, &dpop.replace("DPoP", "dpop")), opts)
            .unwrap()
            .token_type(),
        TokenType::DPoP
    );
    // A proof was sent: a Bearer answer is a downgrade.
    assert_eq!(
        process_token_response(&json(200, RFC6750_RESPONSE), opts).unwrap_err(),
        ClientError::DpopTokenTypeRequired
    );
    // No proof was sent: a DPoP-bound token is unusable.
    assert!(matches!(
        process_token_response(&json(200, dpop), strict()),
        Err(ClientError::InvalidResponse(_))
    ));
}

#[test]
fn expires_in_as_string_needs_the_named_leniency() {
    let body = r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600"}"#;
    assert!(matches!(
        process_token_response(&json(200, body), strict()),
        Err(ClientError::InvalidResponse(_))
    ));
    let lenient = strict().leniency(TokenLeniency::ExpiresInAsString);
    assert_eq!(
        process_token_response(&json(200, body), lenient)
            .unwrap()
            .expires_in(),
        Some(3600)
    );
    for bad in [r#""""#, r#""-1""#, r#""1e3""#, r#"" 60""#, r#""abc""#] {
        let body = format!(r#"{{"access_token":"a","token_type":"Bearer","expires_in":{bad}}}"#);
        assert!(
            process_token_response(&json(200, &body), lenient).is_err(),
            "{bad}"
        );
    }
    for bad in ["-1", "1.5", "null", "true", "[]", "1e400"] {
        let body = format!(r#"{{"access_token":"a","token_type":"Bearer","expires_in":{bad}}}"#);
        assert!(
            process_token_response(&json(200, &body), strict()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn scope_refresh_and_id_token_members() {
    let t = process_token_response(
        &json(
            200,
            r#"{"access_token":"a","token_type":"Bearer","scope":"openid tools:read","id_token":"h.p.s"}"#,
        ),
        strict(),
    )
    .unwrap();
    assert_eq!(t.scope().unwrap(), ["openid", "tools:read"]);
    // The raw ID token, for the oidc module to validate.
    assert_eq!(t.id_token().unwrap().expose(), "h.p.s");
    assert!(!format!("{t:?}").contains("h.p.s"));
    for body in [
        r#"{"access_token":"","token_type":"Bearer"}"#,
        r#"{"access_token":5,"token_type":"Bearer"}"#,
        r#"{"token_type":"Bearer"}"#,
        r#"{"access_token":"a","token_type":"Bearer","scope":"a  b"}"#,
        r#"{"access_token":"a","token_type":"Bearer","scope":" a"}"#,
        r#"{"access_token":"a","token_type":"Bearer","scope":"a\"b"}"#,
        r#"{"access_token":"a","token_type":"Bearer","scope":["a"]}"#,
        r#"{"access_token":"a","token_type":"Bearer","refresh_token":""}"#,
        r#"{"access_token":"a","token_type":"Bearer","refresh_token":1}"#,
        r#"{"access_token":"a","token_type":"Bearer","id_token":null}"#,
        r#"{"access_token":"a","token_type":"Bearer","access_token":"b"}"#,
        r#"{"access_token":"a","token_type":"Bearer"} x"#,
        r#"["access_token"]"#,
    ] {
        assert!(
            matches!(
                process_token_response(&json(200, body), strict()),
                Err(ClientError::InvalidResponse(_) | ClientError::Document(_))
            ),
            "{body}"
        );
    }
    let text = HttpResponse::new(200)
        .with_header("Content-Type", "text/plain")
        .unwrap()
        .with_body(RFC6750_RESPONSE.as_bytes().to_vec());
    assert_eq!(
        process_token_response(&text, strict()).unwrap_err(),
        ClientError::NotJson
    );
}

#[test]
fn error_responses_are_typed() {
    // RFC 6749 §5.2 example.
    let err =
        process_token_response(&json(400, r#"{"error":"invalid_request"}"#), strict()).unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidRequest)
    );
    assert!(matches!(
        err,
        ClientError::ErrorResponse {
            status: Some(400),
            dpop_nonce: None,
            ..
        }
    ));
    let err = process_token_response(
        &json(
            401,
            r#"{"error":"invalid_client","error_description":"bad secret"}"#,
        ),
        strict(),
    )
    .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidClient)
    );
    // RFC 9449 §8: the nonce to retry with.
    let resp = json(400, r#"{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}"#)
        .with_header("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v")
        .unwrap();
    let err = process_token_response(&resp, strict().dpop()).unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::UseDpopNonce)
    );
    assert_eq!(err.dpop_nonce(), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
    // Not an OAuth error body: the status is what is reported.
    assert_eq!(
        process_token_response(
            &HttpResponse::new(502).with_body(b"<html>".to_vec()),
            strict()
        )
        .unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 200,
            actual: 502
        }
    );
    assert_eq!(
        process_token_response(&json(201, RFC6750_RESPONSE), strict()).unwrap_err(),
        ClientError::UnexpectedStatus {
            expected: 200,
            actual: 201
        }
    );
}

#[test]
fn refresh_rotation() {
    let m = meta("https://server.example.com");
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let old = Secret::new("tGzv3JOkF0XG5Qx2TlKWIA");
    // RFC 6749 §6 example: grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA
    let req = refresh_token_request(
        &m,
        &auth,
        &old,
        Some("read"),
        &["https://mcp.example.com/mcp"],
        NOW,
        &mut rng(),
    )
    .unwrap();
    let body = form::parse_form(&req.body).unwrap();
    assert_eq!(body.get("grant_type").unwrap(), Some("refresh_token"));
    assert_eq!(
        body.get("refresh_token").unwrap(),
        Some("tGzv3JOkF0XG5Qx2TlKWIA")
    );
    assert_eq!(body.get("scope").unwrap(), Some("read"));
    assert_eq!(
        body.get("resource").unwrap(),
        Some("https://mcp.example.com/mcp")
    );
    // A new refresh token replaces the old one...
    let rotated = process_refresh_token_response(
        &json(
            200,
            r#"{"access_token":"a2","token_type":"Bearer","refresh_token":"r2"}"#,
        ),
        &old,
        strict(),
    )
    .unwrap();
    assert_eq!(rotated.refresh_token().unwrap().expose(), "r2");
    assert!(rotated.refresh_token_is_new());
    // ...and the old one is kept when none is returned.
    let kept = process_refresh_token_response(
        &json(200, r#"{"access_token":"a2","token_type":"Bearer"}"#),
        &old,
        strict(),
    )
    .unwrap();
    assert_eq!(
        kept.refresh_token().unwrap().expose(),
        "tGzv3JOkF0XG5Qx2TlKWIA"
    );
    assert!(!kept.refresh_token_is_new());
    // invalid_grant (revoked or reused refresh token) is typed.
    let err =
        process_refresh_token_response(&json(400, r#"{"error":"invalid_grant"}"#), &old, strict())
            .unwrap_err();
    assert_eq!(
        err.error_response().unwrap().code(),
        Some(ErrorCode::InvalidGrant)
    );
}

#[test]
fn client_credentials() {
    let m = meta("https://server.example.com");
    // RFC 6749 §4.4.2 example: grant_type=client_credentials, Basic auth.
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let req = client_credentials_request(
        &m,
        &auth,
        Some("tools:call"),
        &["https://mcp.example.com/mcp"],
        NOW,
        &mut rng(),
    )
    .unwrap();
    assert_eq!(
        req.header("authorization"),
        Some("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")
    );
    let body = form::parse_form(&req.body).unwrap();
    assert_eq!(body.get("grant_type").unwrap(), Some("client_credentials"));
    assert_eq!(body.get("scope").unwrap(), Some("tools:call"));
    assert_eq!(
        body.get("resource").unwrap(),
        Some("https://mcp.example.com/mcp")
    );
    // RFC 6749 §4.4: confidential clients only.
    assert!(matches!(
        client_credentials_request(&m, &ClientAuth::none("c"), None, &[], NOW, &mut rng()),
        Err(ClientError::InvalidRequest(_))
    ));
}

/// RFC 8693 §2.3, the example response.
const RFC8693_RESPONSE: &str = r#"{
  "access_token":"eyJhbGciOiJFUzI1NiIsImtpZCI6IjllciJ9.eyJhdWQiOiJodHRwczovL2JhY2tlbmQuZXhhbXBsZS5jb20iLCJpc3MiOiJodHRwczovL2FzLmV4YW1wbGUuY29tIiwiZXhwIjoxNDQxOTE3NTkzLCJpYXQiOjE0NDE5MTc1MzMsInN1YiI6ImJkY0BleGFtcGxlLmNvbSIsInNjb3BlIjoiYXBpIn0.40y3ZgQedw6rxf59WlwHDD9jryFOr0_Wh3CGozQBihNBhnXEQgU85AI9x3KmsPottVMLPIWvmDCMy5-kdXjwhw",
  "issued_token_type":
      "urn:ietf:params:oauth:token-type:access_token",
  "token_type":"Bearer",
  "expires_in":60
}"#;

#[test]
fn rfc8693_token_exchange() {
    let m = meta("https://as.example.com");
    // RFC 8693 §2.3: the resource server rs08 authenticates with Basic
    // (cnMwODpsb25nLXNlY3VyZS1yYW5kb20tc2VjcmV0 = rs08:long-secure-random-secret).
    let auth = ClientAuth::client_secret_basic("rs08", "long-secure-random-secret");
    let exchange = TokenExchange::new(
        "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC",
        TOKEN_TYPE_ACCESS_TOKEN,
    )
    .resource("https://backend.example.com/api");
    let req = token_exchange_request(&m, &auth, &exchange, NOW, &mut rng()).unwrap();
    assert_eq!(
        req.header("authorization"),
        Some("Basic cnMwODpsb25nLXNlY3VyZS1yYW5kb20tc2VjcmV0")
    );
    // The example body, byte for byte.
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
         &resource=https%3A%2F%2Fbackend.example.com%2Fapi\
         &subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC\
         &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
    );
    assert!(!format!("{exchange:?}").contains("accVkjcJyb4"));
    let t = process_token_exchange_response(
        &json(200, RFC8693_RESPONSE),
        exchange.expected_issued_token_type(),
        strict(),
    )
    .unwrap();
    assert_eq!(t.issued_token_type(), Some(TOKEN_TYPE_ACCESS_TOKEN));
    assert_eq!(t.token_type(), TokenType::Bearer);
    assert_eq!(t.expires_in(), Some(60));
    assert!(
        t.access_token()
            .expose()
            .starts_with("eyJhbGciOiJFUzI1NiIsImtpZCI6IjllciJ9.")
    );
    // issued_token_type is REQUIRED and must be the one requested.
    assert_eq!(
        process_token_exchange_response(
            &json(200, RFC6750_RESPONSE),
            TOKEN_TYPE_ACCESS_TOKEN,
            strict()
        )
        .unwrap_err(),
        ClientError::IssuedTokenTypeMismatch
    );
    assert_eq!(
        process_token_exchange_response(&json(200, RFC8693_RESPONSE), TOKEN_TYPE_ID_JAG, strict())
            .unwrap_err(),
        ClientError::IssuedTokenTypeMismatch
    );
    // A plain token response never accepts N_A.
    assert_eq!(
        process_token_response(
            &json(200, &RFC8693_RESPONSE.replace("Bearer", "N_A")),
            strict()
        )
        .unwrap_err(),
        ClientError::UnsupportedTokenType
    );
}

#[test]
fn token_exchange_with_actor_and_audience() {
    let m = meta("https://as.example.com");
    let auth = ClientAuth::client_secret_post("agent", "s3cret");
    let exchange = TokenExchange::new("user-token", TOKEN_TYPE_ACCESS_TOKEN)
        .actor("agent-token", "urn:ietf:params:oauth:token-type:jwt")
        .requested_token_type(TOKEN_TYPE_ACCESS_TOKEN)
        .audience("https://a.example")
        .audience("https://b.example")
        .resource("https://mcp.example.com/mcp")
        .scope("read");
    let req = token_exchange_request(&m, &auth, &exchange, NOW, &mut rng()).unwrap();
    let body = form::parse_form(&req.body).unwrap();
    body.ensure_no_duplicates(&["audience", "resource"])
        .unwrap();
    assert_eq!(
        body.get("grant_type").unwrap(),
        Some(GRANT_TYPE_TOKEN_EXCHANGE)
    );
    assert_eq!(body.get("actor_token").unwrap(), Some("agent-token"));
    assert_eq!(
        body.get("actor_token_type").unwrap(),
        Some("urn:ietf:params:oauth:token-type:jwt")
    );
    assert_eq!(
        body.get("requested_token_type").unwrap(),
        Some(TOKEN_TYPE_ACCESS_TOKEN)
    );
    assert_eq!(
        body.get_all("audience").collect::<Vec<_>>(),
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(body.get("scope").unwrap(), Some("read"));
    // client_secret_post puts the credentials in the body.
    assert_eq!(body.get("client_id").unwrap(), Some("agent"));
    assert_eq!(body.get("client_secret").unwrap(), Some("s3cret"));
    assert_eq!(req.header("authorization"), None);
    // actor_token_type goes with actor_token.
    let half = TokenExchange::new("user-token", TOKEN_TYPE_ACCESS_TOKEN).actor("agent-token", "");
    assert!(matches!(
        token_exchange_request(&m, &auth, &half, NOW, &mut rng()),
        Err(ClientError::InvalidRequest(_))
    ));
    let empty = TokenExchange::new("", TOKEN_TYPE_ACCESS_TOKEN);
    assert!(token_exchange_request(&m, &auth, &empty, NOW, &mut rng()).is_err());
}

#[test]
fn id_jag_flow() {
    let idp = meta("https://idp.example.com");
    let mcp_as = meta("https://auth.mcp.example.com");
    let idp_auth = ClientAuth::client_secret_basic("agent-at-idp", "idp-secret");
    // 1. Token exchange at the IdP: the ID token for an ID-JAG addressed to the MCP AS.
    let exchange = TokenExchange::id_jag("id.token.jwt", &mcp_as.issuer)
        .resource("https://mcp.example.com/mcp")
        .scope("tools:read");
    let req = token_exchange_request(&idp, &idp_auth, &exchange, NOW, &mut rng()).unwrap();
    assert_eq!(req.url, "https://idp.example.com/token");
    let body = form::parse_form(&req.body).unwrap();
    assert_eq!(
        body.get("grant_type").unwrap(),
        Some(GRANT_TYPE_TOKEN_EXCHANGE)
    );
    assert_eq!(
        body.get("requested_token_type").unwrap(),
        Some(TOKEN_TYPE_ID_JAG)
    );
    assert_eq!(
        body.get("audience").unwrap(),
        Some("https://auth.mcp.example.com")
    );
    assert_eq!(
        body.get("resource").unwrap(),
        Some("https://mcp.example.com/mcp")
    );
    assert_eq!(body.get("scope").unwrap(), Some("tools:read"));
    assert_eq!(body.get("subject_token").unwrap(), Some("id.token.jwt"));
    assert_eq!(
        body.get("subject_token_type").unwrap(),
        Some(TOKEN_TYPE_ID_TOKEN)
    );
    assert_eq!(body.get("actor_token").unwrap(), None);
    // 2. The IdP's answer (SEP-990 / draft-ietf-oauth-identity-assertion-authz-grant §4.3 shape).
    let answer = r#"{"issued_token_type":"urn:ietf:params:oauth:token-type:id-jag","access_token":"eyJ.jag.sig","token_type":"N_A","scope":"tools:read","expires_in":300}"#;
    let jag = process_id_jag_response(&json(200, answer)).unwrap();
    assert_eq!(jag.assertion().expose(), "eyJ.jag.sig");
    assert_eq!(jag.expires_in(), Some(300));
    assert_eq!(jag.scope().unwrap(), ["tools:read"]);
    assert!(!format!("{jag:?}").contains("eyJ.jag"));
    // Wrong issued type, or an access token type, is refused.
    assert_eq!(
        process_id_jag_response(&json(200, &answer.replace("id-jag", "access_token"))).unwrap_err(),
        ClientError::IssuedTokenTypeMismatch
    );
    assert_eq!(
        process_id_jag_response(&json(200, &answer.replace("N_A", "Bearer"))).unwrap_err(),
        ClientError::UnsupportedTokenType
    );
    let no_type = r#"{"access_token":"eyJ.jag.sig","token_type":"N_A"}"#;
    assert_eq!(
        process_id_jag_response(&json(200, no_type)).unwrap_err(),
        ClientError::IssuedTokenTypeMismatch
    );
    // 3. JWT bearer grant (RFC 7523 §2.1) at the MCP AS.
    let as_auth = ClientAuth::client_secret_basic("agent-at-mcp", "mcp-secret");
    let req = jwt_bearer_request(
        &mcp_as,
        &as_auth,
        jag.assertion(),
        None,
        &["https://mcp.example.com/mcp"],
        NOW,
        &mut rng(),
    )
    .unwrap();
    assert_eq!(req.url, "https://auth.mcp.example.com/token");
    let body = form::parse_form(&req.body).unwrap();
    assert_eq!(body.get("grant_type").unwrap(), Some(GRANT_TYPE_JWT_BEARER));
    assert_eq!(body.get("assertion").unwrap(), Some("eyJ.jag.sig"));
    assert_eq!(
        body.get("resource").unwrap(),
        Some("https://mcp.example.com/mcp")
    );
}

/// RFC 8707 §2: a resource indicator is an absolute URI and "MUST NOT include a fragment
/// component". Every token endpoint grant refuses what the authorization request refuses,
/// before anything is sent.
#[test]
fn rfc8707_resource_indicators_are_checked_in_every_grant() {
    use oauth_core::client::device_authorization_request;
    use oauth_core::metadata::well_known::WellKnownError;

    let mut m = meta("https://server.example.com");
    m.device_authorization_endpoint = Some("https://server.example.com/device".into());
    let auth = ClientAuth::client_secret_basic("s6BhdRkqt3", "gX1fBat3bV");
    let refresh = Secret::from("tGzv3JOkF0XG5Qx2TlKWIA");
    let assertion = Secret::from("eyJhbGciOiJFUzI1NiJ9.e30.sig");
    let bad: [(&str, WellKnownError); 5] = [
        (
            "https://mcp.example.com/mcp#frag",
            WellKnownError::HasFragment,
        ),
        ("/mcp", WellKnownError::NotAbsoluteUrl),
        ("mcp.example.com", WellKnownError::NotAbsoluteUrl),
        (
            "http://mcp.example.com/mcp",
            WellKnownError::SchemeNotAllowed,
        ),
        (
            "https://user:pw@mcp.example.com/mcp",
            WellKnownError::HasUserinfo,
        ),
    ];
    for (resource, want) in bad {
        let r = [resource];
        let results = [
            refresh_token_request(&m, &auth, &refresh, None, &r, NOW, &mut rng()).map(|_| ()),
            client_credentials_request(&m, &auth, None, &r, NOW, &mut rng()).map(|_| ()),
            jwt_bearer_request(&m, &auth, &assertion, None, &r, NOW, &mut rng()).map(|_| ()),
            device_authorization_request(&m, &auth, None, &r, NOW, &mut rng()).map(|_| ()),
            token_exchange_request(
                &m,
                &auth,
                &TokenExchange::new(Secret::from("subject"), TOKEN_TYPE_ACCESS_TOKEN)
                    .resource(resource),
                NOW,
                &mut rng(),
            )
            .map(|_| ()),
        ];
        for (i, got) in results.into_iter().enumerate() {
            match got {
                Err(ClientError::InvalidUrl(e)) => assert_eq!(e, want, "{resource} in grant {i}"),
                other => panic!("{resource} in grant {i}: expected InvalidUrl, got {other:?}"),
            }
        }
    }
    // Loopback http is allowed (local development, the MCP conformance suite), as in the
    // authorization request, and the value is sent unchanged.
    let req = client_credentials_request(
        &m,
        &auth,
        None,
        &["http://127.0.0.1:3000/mcp", "https://a.example/x?y=1"],
        NOW,
        &mut rng(),
    )
    .unwrap();
    let body = form::parse_form(&req.body).unwrap();
    let resources: Vec<&str> = body
        .iter()
        .filter(|(k, _)| *k == "resource")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        resources,
        ["http://127.0.0.1:3000/mcp", "https://a.example/x?y=1"]
    );
}
