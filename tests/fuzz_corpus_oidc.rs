//! Corpus regression on stable for the `www_authenticate`, `id_token`, `mcp_discovery` and
//! `dpop_exchange` fuzz targets:
//! every file of `fuzz/regressions/<target>/` goes through the same properties as the
//! cargo-fuzz target (`fuzz/properties_oidc.rs`).

#![cfg(feature = "alloc")]

#[path = "../fuzz/properties_oidc.rs"]
mod properties_oidc;

use std::path::{Path, PathBuf};

/// Runs every regression input of `target`; reports all failing files at once.
fn check(target: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("read regression input");
        match std::panic::catch_unwind(|| properties_oidc::run(target, &data)) {
            Ok(ran) => assert!(ran, "{target} is not a target"),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(non-string panic)");
                failures.push(format!("{}: {msg}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {target} regression inputs fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
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
