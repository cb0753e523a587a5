//! Corpus regression on stable for the resource-server fuzz targets: every file
//! of `fuzz/regressions/<target>/` goes through the same property checks as the
//! cargo-fuzz target (`fuzz/properties_resource.rs`).

#[path = "../fuzz/properties_resource.rs"]
mod properties_resource;

mod fuzz_support;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(
        properties_resource::TARGETS,
        properties_resource::run,
        target,
    );
}

#[test]
fn targets_are_listed() {
    assert_eq!(
        properties_resource::TARGETS,
        ["bearer", "dpop_proof", "introspection_response"]
    );
}

#[test]
fn bearer() {
    check("bearer");
}

#[cfg(feature = "alloc")]
#[test]
fn dpop_proof() {
    check("dpop_proof");
}

#[cfg(feature = "alloc")]
#[test]
fn introspection_response() {
    check("introspection_response");
}
