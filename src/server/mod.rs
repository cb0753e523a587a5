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
//! ## Authorization codes ([`authorize`])
//! The authorization endpoint hands the caller an [`AuthorizationCodeRecord`] to persist under its
//! [`CodeHash`]; the token endpoint computes [`CodeHash::of`] the presented code, takes the record
//! (single use) and redeems it.

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

pub use authorize::{AuthorizationCodeRecord, CodeHash};
pub use client::{
    ApplicationType, AssertionAudience, AssertionReplayRecord, AuthenticatedClient,
    ClientAuthError, ClientCredentials, ClientSecret, ClientType, RegisteredClient,
    TokenEndpointAuthMethod, authenticate_client, extract_client_credentials,
};
