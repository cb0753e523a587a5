//! The claims scanner and serde_json agree on every input both accept
//! (differential): same top-level member names in order, same string values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_core::encoding::json::{JsonValue, Limits, parse_object};

fuzz_target!(|data: &[u8]| {
    let Ok(obj) = parse_object(data, &Limits::default()) else { return };
    let theirs: serde_json::Value = serde_json::from_slice(data).expect("we accepted what serde_json rejects");
    let map = theirs.as_object().expect("we accepted a non-object");
    // We reject duplicates, so member counts must agree.
    assert_eq!(obj.len(), map.len());
    for (name, value) in obj.members() {
        let name = name.to_cow();
        let their = map.get(name.as_ref()).expect("member missing in serde_json");
        if let JsonValue::String(s) = value {
            assert_eq!(Some(s.to_cow().as_ref()), their.as_str());
        }
    }
});
