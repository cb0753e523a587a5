//! Client role: see `fuzz/properties_client.rs` for the properties checked.
#![no_main]

#[path = "../properties_client.rs"]
mod properties_client;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_client::authorization_response(data));
