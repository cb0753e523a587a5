//! Corpus regression on stable: every file of `fuzz/regressions/<target>/` (a
//! curated seed set, plus every crash or timeout input the fuzzer ever found) goes
//! through the same entry point and property checks as the cargo-fuzz target of
//! that name, so `cargo test` keeps guarding what the fuzzer once found.
//!
//! The checks live in `fuzz/properties.rs`, included here and by the fuzz targets.
//! `form` needs the `alloc` tier; every other target runs in all tiers.

#[path = "../fuzz/properties.rs"]
mod properties;

mod fuzz_support;

use fuzz_support::regressions;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(&properties::TARGETS, properties::run, target);
}

#[test]
fn jwt_verify() {
    check("jwt_verify");
}

#[test]
fn jws_multi_key() {
    check("jws_multi_key");
}

#[test]
fn json_scanner() {
    check("json_scanner");
}

#[test]
fn claims() {
    check("claims");
}

#[test]
fn jwk() {
    check("jwk");
}

#[test]
fn base64url() {
    check("base64url");
}

#[cfg(feature = "alloc")]
#[test]
fn form() {
    check("form");
}

#[test]
fn pkce() {
    check("pkce");
}

/// The `TARGETS` lists of every `fuzz/properties*.rs` (the shared one and one per
/// role), read as text: each file is included by its own corpus test, not here.
fn declared_targets() -> Vec<String> {
    let mut targets = Vec::new();
    for entry in std::fs::read_dir(regressions().join("..")).expect("fuzz/") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !(name.starts_with("properties") && name.ends_with(".rs")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("properties file");
        let start = text
            .find("pub const TARGETS")
            .unwrap_or_else(|| panic!("{name}: no `pub const TARGETS`"));
        let list = &text[start..];
        let list = &list[list.find('=').expect("TARGETS = ...")..];
        let list = &list[..list.find(';').expect("TARGETS ... ;")];
        targets.extend(list.split('"').skip(1).step_by(2).map(str::to_owned));
    }
    targets.sort();
    targets
}

/// Every directory is a target, every target has a directory and a fuzz_targets/
/// file, and the fuzz crate builds exactly these targets (so a target added there
/// gets its checks and its regression set here too).
#[test]
fn regression_directories_match_the_targets() {
    let manifest =
        std::fs::read_to_string(regressions().join("../Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut bins: Vec<String> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|section| {
            let line = section.lines().find(|l| l.starts_with("name = "))?;
            Some(
                line.trim_start_matches("name = ")
                    .trim_matches('"')
                    .to_owned(),
            )
        })
        .collect();
    bins.sort();
    let mut dirs: Vec<String> = std::fs::read_dir(regressions())
        .expect("fuzz/regressions")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    dirs.sort();
    let targets = declared_targets();
    let mut deduped = targets.clone();
    deduped.dedup();
    assert_eq!(deduped, targets, "a target name is declared twice");
    for t in properties::TARGETS {
        assert!(targets.iter().any(|x| x == t), "{t} missing from the scan");
    }
    for t in &targets {
        assert!(
            regressions()
                .join("../fuzz_targets")
                .join(format!("{t}.rs"))
                .is_file(),
            "fuzz/fuzz_targets/{t}.rs"
        );
    }
    assert_eq!(dirs, targets, "fuzz/regressions/ and the TARGETS lists");
    assert_eq!(
        bins, targets,
        "fuzz/Cargo.toml [[bin]]s and the TARGETS lists"
    );
}
