//! The corpus runner shared by the `tests/fuzz_corpus*.rs` files: every file of
//! `fuzz/regressions/<target>/` (a curated seed set, plus every crash or timeout input the
//! fuzzer ever found) goes through the `run` of the properties file that the cargo-fuzz target
//! of that name uses, so `cargo test` keeps guarding what the fuzzer once found.
#![allow(dead_code)] // each corpus test uses a different subset

use std::path::{Path, PathBuf};

/// `fuzz/regressions/`: one directory per fuzz target.
pub fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

/// The regression files of `target`, sorted by path; fails when there are none.
pub fn files(target: &str) -> Vec<PathBuf> {
    let dir = regressions().join(target);
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
    files
}

/// The contents of [`files`]`(target)`, in the same order (seeds for mutation tests).
pub fn inputs(target: &str) -> Vec<Vec<u8>> {
    files(target)
        .iter()
        .map(|f| std::fs::read(f).expect("read regression input"))
        .collect()
}

/// Runs every regression input of `target` through `run` (a properties file's `run`, whose
/// `TARGETS` list is `targets` and must name `target`); a panicking input does not stop the
/// others, and all failing files are reported at once.
pub fn check(targets: &[&str], run: fn(&str, &[u8]) -> bool, target: &str) {
    assert!(
        targets.contains(&target),
        "{target} is not in the TARGETS list"
    );
    let files = files(target);
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("read regression input");
        match std::panic::catch_unwind(|| run(target, &data)) {
            Ok(ran) => assert!(ran, "{target} is not a target of this build"),
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

/// A xorshift64 generator from `seed` (Marsaglia 2003, shifts 13, 7, 17): the deterministic
/// choices of the mutation tests, a bounded stand-in for the fuzzer on stable.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
