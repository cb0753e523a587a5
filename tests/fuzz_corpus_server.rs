//! Corpus regression on stable for the authorization server's front-channel fuzz targets: every
//! file of `fuzz/regressions/<target>/` goes through the same properties as the cargo-fuzz
//! target (`fuzz/properties_server.rs`), plus deterministic mutations of those seeds.
#![cfg(feature = "std")]

#[path = "../fuzz/properties_server.rs"]
mod properties_server;

mod fuzz_support;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(properties_server::TARGETS, properties_server::run, target);
}

/// Byte flips, separator insertions, truncations and duplicated pieces of the seeds (the flag
/// byte is kept, so each shape is exercised): a bounded stand-in for the fuzzer on stable.
fn mutate(target: &str, rounds: usize) {
    let seeds = fuzz_support::inputs(target);
    let mut next = fuzz_support::xorshift(0x2545_F491_4F6C_DD1D);
    for round in 0..rounds {
        let mut d = seeds[round % seeds.len()].clone();
        for _ in 0..(next() % 3 + 1) {
            if d.len() < 2 {
                break;
            }
            let at = 1 + (next() as usize) % (d.len() - 1);
            match next() % 5 {
                0 => d[at] ^= 1 << (next() % 8),
                1 => d.insert(at, b"&=%\"[]{},:"[(next() % 10) as usize]),
                2 => d.truncate(at),
                3 => {
                    let end = (at + 1 + (next() as usize) % 24).min(d.len());
                    let piece = d[at..end].to_vec();
                    d.splice(at..at, piece);
                }
                _ => {
                    d.remove(at);
                }
            }
        }
        properties_server::run(target, &d);
    }
}

#[test]
fn authorize_request() {
    check("authorize_request");
    mutate("authorize_request", 3000);
}

#[test]
fn par_request() {
    check("par_request");
    mutate("par_request", 3000);
}

#[test]
fn registration_request() {
    check("registration_request");
    mutate("registration_request", 3000);
}
