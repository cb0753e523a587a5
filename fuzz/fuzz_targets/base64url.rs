//! Strict base64url: the two decoders agree; what decodes re-encodes identically.
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::base64url(data));
