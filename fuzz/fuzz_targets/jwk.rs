//! JWK and JWK Set parsing: thumbprints, pinning, set accounting, core vs alloc parser.
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::jwk(data));
