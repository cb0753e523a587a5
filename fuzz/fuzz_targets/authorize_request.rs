//! The authorization endpoint's request parsing and validation: refusals redirect only to registered URIs, accepted requests satisfy every rule and re-encode to the same request.
//!
//! The properties live in `fuzz/properties_server.rs`, shared with `tests/fuzz_corpus_server.rs`.
#![no_main]

#[path = "../properties_server.rs"]
mod properties_server;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_server::authorize_request(data));
