//! The metadata documents that tie the roles together, and where to find them.
//!
//! - [`AuthorizationServerMetadata`]: RFC 8414, which OpenID Connect Discovery 1.0 extends.
//! - [`ProtectedResourceMetadata`]: RFC 9728, what an MCP server publishes.
//! - [`ClientMetadata`]: RFC 7591 §2, used by dynamic registration and by Client ID Metadata
//!   Documents (the `client_id` is the https URL of the document).
//! - [`well_known`]: the well-known URLs of those documents, in the order MCP clients try them,
//!   and the canonical resource URI of RFC 8707.
//!
//! Every type keeps the members it does not know in `additional`, so a document survives a
//! parse/render round trip. Parsing is strict (see [`crate::encoding::document`]): one JSON object,
//! no duplicate member names, every registered member of the right type.

mod authorization_server;
mod client;
mod protected_resource;
pub mod well_known;

pub use authorization_server::AuthorizationServerMetadata;
pub use client::{ClientInformation, ClientMetadata, RegistrationLeniency};
pub use protected_resource::ProtectedResourceMetadata;
pub use well_known::WellKnownError;

/// Members a document type does not name, kept as parsed (in name order).
pub type AdditionalMembers = alloc::collections::BTreeMap<alloc::string::String, serde_json::Value>;
