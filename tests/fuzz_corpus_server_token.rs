//! Corpus regression on stable for the token endpoint's fuzz target: every file
//! of `fuzz/regressions/token_request/` goes through the same properties as the
//! cargo-fuzz target (`fuzz/properties_server_token.rs`).
#![cfg(feature = "std")]

#[path = "../fuzz/properties_server_token.rs"]
mod properties_server_token;

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
    for file in &files {
        let data = std::fs::read(file).expect("read regression input");
        assert!(
            properties_server_token::run(target, &data),
            "{target} is not a target"
        );
    }
    assert!(properties_server_token::TARGETS.contains(&target));
}

#[test]
fn token_request() {
    check("token_request");
}

#[test]
fn device_authorization_request() {
    check("device_authorization_request");
}

#[test]
fn token_query_request() {
    check("token_query_request");
}

/// Deterministic mutations of the seeds (byte flips, `&`/`=`/`%` insertions,
/// truncations, duplicated pieces): a bounded stand-in for the fuzzer on stable.
#[test]
fn token_request_mutations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/token_request");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..4000 {
        let mut d = seeds[round % seeds.len()].clone();
        for _ in 0..(next() % 4 + 1) {
            let pos = (next() as usize) % (d.len() + 1);
            match next() % 5 {
                0 if pos < d.len() => d[pos] ^= 1 << (next() % 8),
                1 => d.insert(pos, b"&=%+#"[(next() % 5) as usize]),
                2 => d.truncate(pos),
                3 => {
                    let tail = d[pos..].to_vec();
                    d.extend_from_slice(b"&");
                    d.extend_from_slice(&tail);
                }
                _ => d.insert(pos, (next() % 256) as u8),
            }
        }
        properties_server_token::token_request(&d);
        properties_server_token::device_authorization_request(&d);
        properties_server_token::token_query_request(&d);
    }
}
