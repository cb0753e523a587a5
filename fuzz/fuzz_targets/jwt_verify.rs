//! Compact JWS/JWT verification with `vectors/jwt_cases.json`'s key set and clock;
//! input: a token, or `!` HEADER NUL PAYLOAD (MAC'd with the set's HS256 key).
//!
//! The properties live in `fuzz/properties.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

#[path = "../properties.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::jwt_verify(data));
