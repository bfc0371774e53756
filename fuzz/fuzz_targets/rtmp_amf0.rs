//! AMF0 decoding of arbitrary bytes; whatever decodes must re-encode to bytes that decode to
//! the same encoding again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shimmer_rtmp::amf0::{decode_all, encode_all, Amf0Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Amf0Limits::default();
    if let Ok(values) = decode_all(data, limits) {
        let once = encode_all(&values);
        let again = decode_all(&once, limits).expect("re-encoded AMF0 must decode");
        assert_eq!(encode_all(&again), once);
    }
});
