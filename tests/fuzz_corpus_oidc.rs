//! Corpus regression on stable for the `www_authenticate`, `id_token`, `mcp_discovery` and
//! `dpop_exchange` fuzz targets:
//! every file of `fuzz/regressions/<target>/` goes through the same properties as the
//! cargo-fuzz target (`fuzz/properties_oidc.rs`).

#![cfg(feature = "alloc")]

#[path = "../fuzz/properties_oidc.rs"]
mod properties_oidc;

mod fuzz_support;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(properties_oidc::TARGETS, properties_oidc::run, target);
}

#[test]
fn www_authenticate() {
    check("www_authenticate");
}

#[test]
fn id_token() {
    check("id_token");
}

/// The seeds reach the accepting paths (a corpus of refusals would prove little).
#[test]
fn seeds_exercise_acceptance() {
    use oauth_core::client::www_authenticate::parse;
    let dir = fuzz_support::regressions();
    let header =
        std::fs::read_to_string(dir.join("www_authenticate/seed-rfc9110-newauth")).unwrap();
    assert_eq!(parse(&header).unwrap().len(), 2);
    for (seed, accepted) in [
        ("seed-claims-valid", true),
        ("seed-claims-multi-aud", true),
        ("seed-claims-azp-missing", false),
        ("seed-claims-at-hash-mismatch", false),
    ] {
        let data = std::fs::read(dir.join("id_token").join(seed)).unwrap();
        assert_eq!(
            properties_oidc::id_token_claims_accepted(&data[1..]),
            accepted,
            "{seed}"
        );
    }
    assert_eq!(
        properties_oidc::TARGETS,
        [
            "www_authenticate",
            "id_token",
            "mcp_discovery",
            "dpop_exchange"
        ]
    );
}

#[test]
fn mcp_discovery() {
    check("mcp_discovery");
}

#[test]
fn dpop_exchange() {
    check("dpop_exchange");
}
