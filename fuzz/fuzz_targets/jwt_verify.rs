//! Compact JWS/JWT verification with a fixed key set and clock.
//!
//! Properties: never panics; anything that verifies under one HMAC key fails under
//! a different one; a verified token re-verifies identically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_core::jose::{Algorithm, Validation, VerifyingKey};
use oauth_core::time::UnixTime;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    let key = VerifyingKey::hmac(Algorithm::HS256, &[0x42; 32]).expect("key");
    let other = VerifyingKey::hmac(Algorithm::HS256, &[0x43; 32]).expect("key");
    let v = Validation::new("https://as.example.com", "https://rs.example.com");
    let now = UnixTime::from_secs(1_700_000_000);
    let mut scratch = [0u8; 8192];
    let first = v.verify(token, &key, now, &mut scratch).map(|j| j.claims().exp());
    if first.is_ok() {
        let mut scratch2 = [0u8; 8192];
        assert!(v.verify(token, &other, now, &mut scratch2).is_err(), "verified under two keys");
        let again = v.verify(token, &key, now, &mut scratch2).map(|j| j.claims().exp());
        assert_eq!(first, again);
    }
});
