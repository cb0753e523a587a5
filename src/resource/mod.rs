//! The resource server role: what an MCP server needs to accept only the right tokens
//! (RFC 6750 bearer tokens, RFC 9068 JWT access tokens, RFC 7662 introspection, RFC 9728 metadata).
//!
//! Core tier (no allocator): [`extract_credentials`] reads the `Authorization` and
//! `DPoP` headers, and [`Challenge`] renders `WWW-Authenticate` into a caller
//! buffer. Under `alloc`: the `ResourceServer` policy and its `authenticate`,
//! the `JwksCache` state machine, introspection response processing and its
//! cache, and the protected resource metadata endpoint.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use oauth_core::http::HttpRequest;
//! use oauth_core::jose::{Algorithm, JwkSet, SigningKey, VerifyingKey, sign_jwt};
//! use oauth_core::resource::{ChallengeError, ResourceServer};
//! use oauth_core::time::UnixTime;
//!
//! let secret = [7u8; 32];
//! let keys = JwkSet::from_keys(vec![VerifyingKey::hmac(Algorithm::HS256, &secret)?]);
//! let rs = ResourceServer::new("https://mcp.example.com/mcp")?
//!     .with_issuer("https://as.example", keys)
//!     .with_required_scopes(&["mcp:tools"]);
//!
//! // No credentials: 401 pointing at the metadata (RFC 9728 §5.1).
//! let now = UnixTime::from_secs(1_700_000_100);
//! let challenge = rs.authenticate(&HttpRequest::get("/mcp"), now).unwrap_err();
//! assert_eq!(challenge.error(), ChallengeError::NoCredentials);
//! let response = challenge.to_http_response(); // 401 + WWW-Authenticate
//! assert_eq!(response.status, 401);
//!
//! // A token for this resource, with the scope: a principal (never the token).
//! let signer = SigningKey::hmac(Algorithm::HS256, &secret)?;
//! let token = sign_jwt(&serde_json::json!({
//!     "iss": "https://as.example", "aud": "https://mcp.example.com/mcp", "sub": "alice",
//!     "client_id": "agent-1", "scope": "mcp:tools", "iat": 1_700_000_000u64,
//!     "exp": 1_700_000_300u64, "jti": "t-1",
//! }), &signer, Some("at+jwt"))?;
//! let request = HttpRequest::get("/mcp").with_header("Authorization", format!("Bearer {token}"))?;
//! let principal = rs.authenticate(&request, now).expect("valid token");
//! assert_eq!(principal.subject(), Some("alice"));
//! # }
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

#![cfg_attr(
    feature = "alloc",
    doc = "
Opaque tokens (RFC 7662): take the token with [`ResourceServer::credentials`],
look it up in an [`IntrospectionCache`], else send [`introspection_request`]
and check the answer with [`process_introspection_response`]; then
[`ResourceServer::authenticate_introspected`]. JWKS rotation:
[`ResourceServer::authenticate_with_jwks`] answers [`Pending::FetchJwks`]
when the [`JwksCache`] needs the issuer's keys first
([`ResourceServer::authenticate_with_jwks_and_scopes`] for an operation's own
scopes). Scope hierarchies (MCP 2026-07-28: servers MUST honour them):
[`ResourceServer::with_scope_hierarchy`] with a [`ScopeHierarchy`]."
)]

mod bearer;
mod challenge;
mod handle;

pub use bearer::{
    BearerError, Credentials, ExtractOptions, TokenMethod, TokenScheme, extract_credentials,
    is_token68,
};
#[cfg(feature = "alloc")]
pub use bearer::{ExtractedCredentials, extract_from_request};
pub use challenge::{Challenge, ChallengeError, MAX_NONCE_LEN, write_quoted};
pub use handle::HandleHash;

#[cfg(feature = "alloc")]
mod introspection;
#[cfg(feature = "alloc")]
mod jwks;
#[cfg(feature = "alloc")]
mod principal;
#[cfg(feature = "alloc")]
mod scope;
#[cfg(feature = "alloc")]
mod server;

#[cfg(feature = "alloc")]
pub use introspection::{
    Actor, IntrospectedToken, IntrospectionCache, IntrospectionCheck, IntrospectionError,
    MAX_ACT_DEPTH, TOKEN_INTROSPECTION_JWT, introspection_request, process_introspection_response,
    token_hash,
};
#[cfg(feature = "alloc")]
pub use jwks::{JwksCache, JwksCachePolicy, JwksError, JwksLookup};
#[cfg(feature = "alloc")]
pub use principal::{Principal, TokenKind};
#[cfg(feature = "alloc")]
pub use scope::{ScopeHierarchy, ScopeHierarchyError};
#[cfg(feature = "alloc")]
pub use server::{DpopConfig, DpopMode, Pending, ResourceServer};
