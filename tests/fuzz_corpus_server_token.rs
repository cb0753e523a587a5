//! Corpus regression on stable for the token endpoint's fuzz target: every file
//! of `fuzz/regressions/token_request/` goes through the same properties as the
//! cargo-fuzz target (`fuzz/properties_server_token.rs`).
#![cfg(feature = "std")]

#[path = "../fuzz/properties_server_token.rs"]
mod properties_server_token;

mod fuzz_support;

/// Runs every regression input of `target` (see [`fuzz_support::check`]).
fn check(target: &str) {
    fuzz_support::check(
        properties_server_token::TARGETS,
        properties_server_token::run,
        target,
    );
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
    // Ordered by content, not by file name: the same rounds as ever.
    let mut seeds = fuzz_support::inputs("token_request");
    seeds.sort();
    let mut next = fuzz_support::xorshift(0x9E37_79B9_7F4A_7C15);
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
