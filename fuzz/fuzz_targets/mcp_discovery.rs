//! The MCP discovery state machine (MCP authorization; RFC 9728, RFC 8414) fed a script of
//! responses: requests handed out exactly when asked, plans only for the canonical resource
//! with S256, step-ups bounded.
//!
//! The properties live in `fuzz/properties_oidc.rs`, shared with `tests/fuzz_corpus_oidc.rs`.
#![no_main]

#[path = "../properties_oidc.rs"]
mod properties_oidc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_oidc::mcp_discovery(data));
