//! Encodings shared by every role: base64url (RFC 4648 §5), JSON scanning
//! (RFC 8259), and `application/x-www-form-urlencoded` / query strings.

pub mod base64url;
#[cfg(feature = "alloc")]
pub mod document;
#[cfg(feature = "alloc")]
pub mod form;
pub mod json;
