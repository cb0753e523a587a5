//! A token that verifies under key A of a mixed HS256 + ES256 + EdDSA set verifies
//! under a subset exactly when A is in it.
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::jws_multi_key(data));
