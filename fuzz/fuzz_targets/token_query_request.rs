//! A token-side request parser (`token_query_request`): strict form rules, re-encoding round
//! trip, error rendering.
//!
//! The properties live in `fuzz/properties_server_token.rs`, shared with
//! `tests/fuzz_corpus_server_token.rs`.
#![no_main]

#[path = "../properties_server_token.rs"]
mod properties_server_token;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_server_token::token_query_request(data));
