//! The resource server role: what an MCP server needs to accept only the right tokens
//! (RFC 6750 bearer tokens, RFC 9068 JWT access tokens, RFC 7662 introspection, RFC 9728 metadata).
//!
//! Core tier (no allocator): [`extract_credentials`] reads the `Authorization` and
//! `DPoP` headers, and [`Challenge`] renders `WWW-Authenticate` into a caller
//! buffer. Under `alloc`: the [`ResourceServer`] policy and its `authenticate`,
//! the [`JwksCache`] state machine, introspection response processing and its
//! cache, and the protected resource metadata endpoint.

mod bearer;
mod challenge;

pub use bearer::{
    BearerError, Credentials, ExtractOptions, TokenMethod, TokenScheme, extract_credentials,
    is_token68,
};
#[cfg(feature = "alloc")]
pub use bearer::{ExtractedCredentials, extract_from_request};
pub use challenge::{Challenge, ChallengeError, MAX_NONCE_LEN, write_quoted};

#[cfg(feature = "alloc")]
mod introspection;
#[cfg(feature = "alloc")]
mod jwks;
#[cfg(feature = "alloc")]
mod principal;
#[cfg(feature = "alloc")]
mod server;

#[cfg(feature = "alloc")]
pub use introspection::{
    Actor, IntrospectedToken, IntrospectionCache, IntrospectionCheck, IntrospectionError,
    MAX_ACT_DEPTH, TOKEN_INTROSPECTION_JWT, process_introspection_response, token_hash,
};
#[cfg(feature = "alloc")]
pub use jwks::{JwksCache, JwksCachePolicy, JwksError, JwksLookup};
#[cfg(feature = "alloc")]
pub use principal::{Principal, TokenKind};
#[cfg(feature = "alloc")]
pub use server::{DpopConfig, DpopMode, Pending, ResourceServer};
