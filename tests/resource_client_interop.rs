//! The resource server against this crate's client role (team C's modules):
//! DPoP proofs made by `client::dpop::DpopKey` authenticate here, the challenges
//! rendered here parse with `client::www_authenticate`, and the introspection
//! request comes from `client::introspection_request`.
#![cfg(feature = "std")]

mod resource_support;

use std::sync::Arc;

use oauth_core::client::dpop::DpopKey;
use oauth_core::client::www_authenticate;
use oauth_core::dpop::{InMemoryReplayStore, NonceIssuer};
use oauth_core::http::{HttpRequest, Method};
use oauth_core::jose::Algorithm;
use oauth_core::rand::SystemRandom;
use oauth_core::resource::{ChallengeError, DpopConfig, DpopMode, ResourceServer, TokenScheme};
use oauth_core::time::{Duration, UnixTime};
use resource_support::*;
use serde_json::json;

fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

#[test]
fn client_dpop_proofs_authenticate_and_nonce_retry_works() {
    let mut rng = SystemRandom::new();
    let as_key = EcKey::generate("k1");
    let client = DpopKey::generate_es256(&mut rng).unwrap();
    let nonces = NonceIssuer::new(&[1u8; 32], Duration::from_secs(300)).unwrap();
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[&as_key]))
        .with_required_scopes(&["mcp:tools"])
        .with_dpop(
            DpopConfig::new(DpopMode::Required, Arc::new(InMemoryReplayStore::default()))
                .with_algorithms(&[Algorithm::ES256])
                .with_nonces(nonces),
        );
    let mut c = claims();
    c["cnf"] = json!({"jkt": client.thumbprint()});
    let token = as_key.token("at+jwt", &c);
    // First try: no nonce, the server asks for one (RFC 9449 §9).
    let mut req = HttpRequest::new(Method::Post, RESOURCE);
    client
        .attach(&mut req, Some(&token), None, now(), &mut rng)
        .unwrap();
    let challenge = rs.authenticate(&req, now()).unwrap_err();
    assert_eq!(challenge.error(), ChallengeError::UseDpopNonce);
    let resp = challenge.to_http_response();
    let parsed = www_authenticate::parse_response(&resp).unwrap();
    let dpop = parsed
        .as_slice()
        .iter()
        .find(|c| c.is_scheme("DPoP"))
        .unwrap();
    assert_eq!(dpop.error(), Some("use_dpop_nonce"));
    assert_eq!(dpop.resource_metadata(), Some(rs.metadata_url()));
    assert_eq!(dpop.algs().collect::<Vec<_>>(), ["ES256"]);
    // Retry with the nonce: accepted.
    let nonce = resp.header("DPoP-Nonce").unwrap().to_owned();
    let mut req = HttpRequest::new(Method::Post, RESOURCE);
    client
        .attach(&mut req, Some(&token), Some(&nonce), now(), &mut rng)
        .unwrap();
    let p = rs.authenticate(&req, now()).unwrap();
    assert_eq!(p.scheme(), TokenScheme::DPoP);
    assert_eq!(p.cnf_jkt(), Some(client.thumbprint()));
}

#[test]
fn rendered_challenges_parse_with_the_client_parser() {
    let as_key = EcKey::generate("k1");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_issuer(ISSUER, jwk_set(&[&as_key]))
        .with_required_scopes(&["mcp:tools", "mcp:write"])
        .with_realm("a \"quoted\" realm");
    let token = as_key.token("at+jwt", &claims());
    let req = get("/mcp", &format!("Bearer {token}"));
    let c = rs.authenticate(&req, now()).unwrap_err();
    assert_eq!(c.status(), 403);
    let parsed = www_authenticate::parse(&c.www_authenticate()).unwrap();
    let bearer = &parsed.as_slice()[0];
    assert!(bearer.is_scheme("bearer"));
    assert_eq!(bearer.error(), Some("insufficient_scope"));
    assert_eq!(
        bearer.scopes().collect::<Vec<_>>(),
        ["mcp:tools", "mcp:write"]
    );
    assert_eq!(bearer.realm(), Some("a \"quoted\" realm"));
    assert_eq!(bearer.resource_metadata(), Some(rs.metadata_url()));
}

#[test]
fn introspection_flow_with_the_client_request_builder() {
    use oauth_core::client::ClientAuth;
    use oauth_core::encoding::form::parse_form;
    use oauth_core::http::HttpResponse;
    use oauth_core::metadata::AuthorizationServerMetadata;
    use oauth_core::resource::{
        IntrospectionCache, IntrospectionCheck, introspection_request,
        process_introspection_response,
    };
    let mut rng = SystemRandom::new();
    let mut meta = AuthorizationServerMetadata::new(ISSUER);
    meta.introspection_endpoint = Some(format!("{ISSUER}/introspect"));
    let auth = ClientAuth::client_secret_basic("mcp-rs", "rs-secret");
    let rs = ResourceServer::new(RESOURCE)
        .unwrap()
        .with_trusted_issuer(ISSUER)
        .with_token_kinds(false, true);
    let req = get("/mcp", "Bearer opaque-token-123");
    let creds = rs.credentials(&req).unwrap();
    let mut cache = IntrospectionCache::new(100, Duration::from_secs(60));
    assert!(cache.get(creds.as_credentials().token(), now()).is_none());
    let ireq =
        introspection_request(&meta, &auth, &creds.as_credentials(), now(), &mut rng).unwrap();
    assert_eq!(ireq.method, Method::Post);
    assert_eq!(ireq.url, format!("{ISSUER}/introspect"));
    assert!(ireq.header("authorization").unwrap().starts_with("Basic "));
    let form = parse_form(&ireq.body).unwrap();
    assert_eq!(form.get("token").unwrap(), Some("opaque-token-123"));
    assert_eq!(form.get("token_type_hint").unwrap(), Some("access_token"));
    // The AS answers (RFC 7662 §2.2).
    let body = json!({"active": true, "iss": ISSUER, "aud": RESOURCE, "sub": "user-1",
        "client_id": "agent-1", "scope": "mcp:tools", "exp": NOW + 300});
    let resp = HttpResponse::json(200, body.to_string().into_bytes());
    let check = IntrospectionCheck::new(ISSUER, RESOURCE);
    let token = creds.as_credentials().token();
    let result = process_introspection_response(&resp, token, &check, now()).unwrap();
    cache.insert(token, result, now());
    let cached = cache.get(token, now()).unwrap();
    let p = rs
        .authenticate_introspected(&req, cached, "mcp:tools", now())
        .unwrap();
    assert_eq!(p.subject(), Some("user-1"));
}
