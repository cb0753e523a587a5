//! ID tokens (OIDC Core §3.1.3.7): acceptance implies every rule, checked independently.
//!
//! The properties live in `fuzz/properties_oidc.rs`, shared with `tests/fuzz_corpus_oidc.rs`.
#![no_main]

#[path = "../properties_oidc.rs"]
mod properties_oidc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_oidc::id_token(data));
