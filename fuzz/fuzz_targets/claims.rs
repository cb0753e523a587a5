//! `Claims::parse` against serde_json on the registered claims (differential).
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::claims(data));
