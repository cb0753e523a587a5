//! The JSON scanner against serde_json (differential), value by value.
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::json_scanner(data));
