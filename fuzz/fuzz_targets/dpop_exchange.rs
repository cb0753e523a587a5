//! DPoP exchanges (RFC 9449 §8, §9) fed scripted responses: one retry at most, proofs carry
//! the origin's latest nonce.
//!
//! The properties live in `fuzz/properties_oidc.rs`, shared with `tests/fuzz_corpus_oidc.rs`.
#![no_main]

#[path = "../properties_oidc.rs"]
mod properties_oidc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_oidc::dpop_exchange(data));
