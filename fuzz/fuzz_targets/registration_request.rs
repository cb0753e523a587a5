//! Dynamic registration and Client ID Metadata Documents: strict JSON, registered redirect URIs valid, secrets only for secret methods, responses round-trip.
//!
//! The properties live in `fuzz/properties_server.rs`, shared with `tests/fuzz_corpus_server.rs`.
#![no_main]

#[path = "../properties_server.rs"]
mod properties_server;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_server::registration_request(data));
