//! Resource-server property target `introspection_response` (see `fuzz/properties_resource.rs`).
#![no_main]

#[path = "../properties_resource.rs"]
mod properties_resource;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties_resource::introspection_response(data));
