//! Corpus regression for the client role's fuzz targets: every file of
//! `fuzz/regressions/<target>/` goes through the same property checks as the cargo-fuzz target
//! of that name (`fuzz/properties_client.rs`).
// The client role needs the `alloc` tier.
#![cfg(feature = "alloc")]

#[path = "../fuzz/properties_client.rs"]
mod properties_client;

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
        match std::panic::catch_unwind(|| properties_client::run(target, &data)) {
            Ok(ran) => assert!(ran, "{target} is not a target of properties_client"),
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
