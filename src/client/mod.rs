//! The client role (RFC 6749, OAuth 2.1): sans-IO request builders and response processors in the
//! style of oauth4webapi: each `*_request` function returns an [`crate::http::HttpRequest`] for the
//! caller to send, and each `process_*_response` runs every check the specification requires.
//!
//! The authorization code flow with PKCE, end to end (the caller sends each request):
//! ```
//! # use oauth_core::client::*; use oauth_core::http::HttpResponse; use oauth_core::time::UnixTime;
//! # fn main() -> Result<(), ClientError> {
//! # let mut rng = |b: &mut [u8]| { b.fill(7); Ok(()) }; let now = UnixTime::from_secs(1_700_000_000);
//! let issuer = "https://as.example";
//! let _req = discovery_request(issuer)?; // GET https://as.example/.well-known/oauth-authorization-server
//! # let resp = HttpResponse::json(200, br#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/authorize",
//! #   "token_endpoint":"https://as.example/token","code_challenge_methods_supported":["S256"],
//! #   "authorization_response_iss_parameter_supported":true}"#.to_vec());
//! let meta = process_discovery_response(issuer, &resp)?; // issuer echo, S256 listed, ...
//! let (url, state) = AuthorizationRequest::new(&meta, "agent", "http://127.0.0.1:8765/cb")
//!     .scope("tools:read")
//!     .resource("https://mcp.example/mcp")?
//!     .build(&mut rng)?;
//! assert!(url.starts_with("https://as.example/authorize?response_type=code&client_id=agent"));
//! // Persist `state`, send the user to `url`; the redirect comes back to the loopback server:
//! let callback = format!("http://127.0.0.1:8765/cb?code=c0de&state={}&iss=https%3A%2F%2Fas.example",
//!     state.state().expose());
//! let code = state.process_callback(&callback)?; // redirect URI, state, RFC 9207 iss, error
//! let auth = ClientAuth::none("agent");
//! let req = authorization_code_request(&meta, &auth, &state, &code, now, &mut rng)?;
//! assert_eq!(req.url, "https://as.example/token");
//! # let resp = HttpResponse::json(200, br#"{"access_token":"at","token_type":"Bearer","expires_in":300}"#.to_vec());
//! let tokens = process_token_response(&resp, TokenResponseOptions::new())?;
//! assert_eq!(tokens.token_type(), TokenType::Bearer);
//! assert_eq!(tokens.expires_in(), Some(300));
//! # Ok(()) }
//! ```
//!
//! Other exchanges: [`AuthorizationRequest::build_pushed`] + [`process_par_response`] (RFC 9126),
//! [`refresh_token_request`] + [`process_refresh_token_response`] (rotation),
//! [`client_credentials_request`], [`device_authorization_request`] + [`DeviceFlow`] (RFC 8628),
//! [`token_exchange_request`] + [`process_token_exchange_response`] (RFC 8693),
//! [`TokenExchange::id_jag`] + [`process_id_jag_response`] + [`jwt_bearer_request`] (ID-JAG,
//! RFC 7523), [`registration_request`] + [`process_registration_response`] (RFC 7591),
//! [`client_id_metadata_document`], [`revocation_request`] + [`process_revocation_response`]
//! (RFC 7009), [`introspection_request`] (RFC 7662). Client authentication for all of them:
//! [`ClientAuth`].

mod auth;
mod authorization;
mod common;
mod device;
mod discovery;
pub mod dpop;
mod error;
mod grants;
mod registration;
mod revocation;
mod token;
pub mod www_authenticate;

pub use auth::{ClientAuth, DEFAULT_ASSERTION_LIFETIME, JWT_BEARER_ASSERTION_TYPE};
pub use authorization::{
    AuthorizationCode, AuthorizationLeniency, AuthorizationRequest, AuthorizationState,
    PushedAuthorization, process_par_response, should_push,
};
pub use common::Secret;
pub use device::{
    DEFAULT_INTERVAL, DeviceAuthorization, DeviceFlow, DevicePoll, SLOW_DOWN_INCREMENT,
    device_authorization_request, process_device_authorization_response,
};
pub use discovery::{discovery_request, discovery_requests, process_discovery_response};
pub use error::ClientError;
pub use grants::{
    GRANT_TYPE_DEVICE_CODE, GRANT_TYPE_JWT_BEARER, GRANT_TYPE_TOKEN_EXCHANGE, TokenExchange,
    authorization_code_request, client_credentials_request, jwt_bearer_request,
    refresh_token_request, token_exchange_request,
};
pub use registration::{
    CimdAuth, CimdPolicy, cimd_client_id, client_id_metadata_document,
    process_registration_response, process_registration_response_with, registration_request,
};
pub use revocation::{
    TokenTypeHint, introspection_request, process_revocation_response, revocation_request,
};
pub use token::{
    IdJag, TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_JWT,
    TOKEN_TYPE_REFRESH_TOKEN, TOKEN_TYPE_SAML2, TokenLeniency, TokenResponse, TokenResponseOptions,
    TokenType, process_id_jag_response, process_refresh_token_response,
    process_token_exchange_response, process_token_response,
};
