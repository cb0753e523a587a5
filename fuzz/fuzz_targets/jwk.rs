//! JWK and JWK Set parsing: never panics; a key that builds has a stable
//! thumbprint and an algorithm fitting its type; a set accounts for every entry.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_core::jose::{Jwk, JwkSet, JwkSetOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(jwk) = Jwk::parse(data) {
        let t1 = jwk.thumbprint();
        assert_eq!(t1, jwk.thumbprint());
        if let Ok(key) = jwk.to_verifying_key(None) {
            assert_eq!(Ok(key.algorithm().family()), jwk.family());
        }
    }
    if let Ok(set) = JwkSet::parse(data, &JwkSetOptions::default()) {
        // Every element of `keys` is either installed or reported as skipped.
        let doc: serde_json::Value = serde_json::from_slice(data).expect("accepted invalid JSON");
        let n = doc["keys"].as_array().expect("accepted a set without a keys array").len();
        assert_eq!(set.len() + set.skipped().len(), n);
    }
});
