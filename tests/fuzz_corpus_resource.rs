//! Corpus regression on stable for the resource-server fuzz targets: every file
//! of `fuzz/regressions/<target>/` goes through the same property checks as the
//! cargo-fuzz target (`fuzz/properties_resource.rs`).

#[path = "../fuzz/properties_resource.rs"]
mod properties_resource;

use std::path::{Path, PathBuf};

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
        match std::panic::catch_unwind(|| properties_resource::run(target, &data)) {
            Ok(ran) => assert!(ran, "{target} is not a target of this build"),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| p.downcast_ref::<&str>().copied())
                    .unwrap_or("(non-string panic)");
                failures.push(format!("{}: {msg}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{target}:\n{}", failures.join("\n"));
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
