//! Corpus regression for the client role's fuzz targets: every file of
//! `fuzz/regressions/<target>/` goes through the same property checks as the cargo-fuzz target
//! of that name (`fuzz/properties_client.rs`).
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

#[path = "../fuzz/properties_client.rs"]
mod properties_client;

mod fuzz_support;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(properties_client::TARGETS, properties_client::run, target);
}

#[test]
fn token_response() {
    check("token_response");
}

#[test]
fn authorization_response() {
    check("authorization_response");
}

#[test]
fn as_metadata() {
    check("as_metadata");
}

#[test]
fn every_target_has_a_regression_directory() {
    for t in properties_client::TARGETS {
        check(t);
    }
}
