//! Pushed authorization requests: client authentication, JSON-only errors, and the pushed request usable exactly once at the authorization endpoint.
//!
//! The properties live in `fuzz/properties_server.rs`, shared with `tests/fuzz_corpus_server.rs`.
#![no_main]

#[path = "../properties_server.rs"]
mod properties_server;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_server::par_request(data));
