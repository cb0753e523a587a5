//! The authorization server role: parse, decide, render. The crate parses and validates each
//! endpoint's request, tells the caller what to look up and what to persist, and renders the
//! response; storage stays with the caller.
//!
//! ## Clients and client authentication ([`client`])
//! A [`RegisteredClient`] is what the server registered: id, [`TokenEndpointAuthMethod`], a
//! [`ClientSecret`] (a SHA-256 verifier, or the secret itself for `client_secret_jwt`), public
//! keys, redirect URIs, `application_type`, grant types, allowed scopes and resources.
//!
//! At the token, PAR, introspection and revocation endpoints:
//! ```text
//! let form = parse_form(&http_req.body)?;                        // the caller, or the endpoint parser
//! let creds = extract_client_credentials(&http_req, &form)?;     // Basic / post / assertion / none
//! let client = store.client(creds.client_id())?;                  // caller's lookup (unknown: invalid_client)
//! let audience = AssertionAudience::issuer(ISSUER).also_accept(&[TOKEN_ENDPOINT]);
//! let authed = authenticate_client(&client, &creds, &audience, now)?;  // -> AuthenticatedClient
//! if let Some(r) = authed.replay_record() {                       // JWT assertions only
//!     store.insert_jti_once(&r.client_id, &r.jti, r.expires_at)   // seen before: AssertionReplayed
//! }
//! ```
//! Errors render through [`ClientAuthError::error_code`] (`invalid_request` 400 or
//! `invalid_client` 401).
//!
//! ## The authorization endpoint ([`authorize`], [`par`], [`jar`])
//! ```text
//! let parsed = parse_authorization_request(&http_req)?;            // GET query or POST form
//! let client = store.client(parsed.client_id());                    // unknown: AuthorizeError::UnknownClient
//! let pushed = parsed.request_uri().and_then(|u| store.take_par(u)); // RFC 9126: take = single use
//! let request = validate_authorization_request(&policy, &client, parsed, pushed, now)
//!     .map_err(|failure| failure.to_response())?;                  // redirects only when allowed
//! // login and consent: the caller's (request.scopes(), .resources(), .prompt(), .max_age())
//! let approved = request.approve(AuthorizationDecision::new(subject), now, rng)?;
//! store.put_code(approved.record);                                  // AuthorizationCodeRecord
//! approved.response                                                 // 302 ?code&state&iss
//! ```
//! Errors about the client or the redirect URI are never redirected (RFC 6749 §4.1.2.1); all
//! others go back to the client with `error`, `state` and `iss` (RFC 9207). A `request` object
//! (RFC 9101) is verified with the client's keys and its claims replace the query. The PAR
//! endpoint ([`par::parse_par_request`], [`par::process_par_request`]) authenticates the client,
//! runs the same checks and returns a [`par::PushedAuthorizationRecord`] to store under its
//! `request_uri`.
//!
//! ## Authorization codes
//! The authorization endpoint hands the caller an [`AuthorizationCodeRecord`] to persist under its
//! [`HandleHash`] (the code itself is never stored); the token endpoint computes [`HandleHash::of`]
//! the presented code, takes the record (single use) and redeems it.
//!
//! ## Clients from elsewhere ([`registration`], [`cimd`])
//! Dynamic registration (RFC 7591): [`registration::parse_registration_request`], the caller's
//! own policy on the parsed metadata, then [`registration::register_client`]. A `client_id` that
//! is an https URL is a Client ID Metadata Document: [`cimd::client_metadata_request`] builds the
//! fetch (SSRF-checked URL; the caller's resolver applies [`cimd::is_forbidden_ip`]) and
//! [`cimd::process_client_metadata_response`] validates it into a [`RegisteredClient`].
//!
//! ## Metadata ([`metadata`])
//! [`metadata::authorization_server_metadata`] and [`metadata::openid_configuration`] build the
//! RFC 8414 / OIDC Discovery documents from a [`metadata::ServerConfig`];
//! [`metadata::well_known_urls`] lists where to serve them.
//!
//! ## Errors ([`error`])
//! Each area's error maps to the OAuth `error` code and HTTP status it renders as
//! ([`error::AuthorizeError::error_code`], [`ClientAuthError::error_code`], ...);
//! [`error::json_error_response`] renders the RFC 6749 §5.2 body.

pub mod authorize;
pub mod cimd;
pub mod client;
pub mod error;
pub mod introspection;
pub mod issue;
pub mod jar;
pub mod keys;
pub mod memory;
pub mod metadata;
pub mod par;
pub mod registration;
pub mod revocation;
pub mod token;

pub use authorize::{
    AuthorizationCodeRecord, AuthorizationDecision, AuthorizationRequest, AuthorizeFailure,
    AuthorizePolicy, parse_authorization_request, validate_authorization_request,
};
pub use client::{
    ApplicationType, AssertionAudience, AssertionReplayRecord, AuthenticatedClient,
    ClientAuthError, ClientCredentials, ClientSecret, ClientType, RegisteredClient,
    TokenEndpointAuthMethod, authenticate_client, extract_client_credentials,
};
pub use error::AuthorizeError;
pub use issue::HandleHash;
