//! WWW-Authenticate (RFC 9110 §11.6.1, RFC 6750 §3): bounded, typed errors, render/parse round trip.
//!
//! The properties live in `fuzz/properties_oidc.rs`, shared with `tests/fuzz_corpus_oidc.rs`.
#![no_main]

#[path = "../properties_oidc.rs"]
mod properties_oidc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_oidc::www_authenticate(data));
