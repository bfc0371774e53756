//! The edge's reading of an ingest node's relay stream: arbitrary bytes, fed in two pieces, must
//! decode to frames or a named error, never a panic; every frame decoded re-encodes to bytes
//! that decode to the same frame.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use shimmer_cluster::relay::frame::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let mut buffer = BytesMut::new();
    for piece in [&data[..split], &data[split..]] {
        buffer.extend_from_slice(piece);
        loop {
            match decode(&mut buffer) {
                Ok(Some(frame)) => {
                    let mut again = BytesMut::new();
                    encode(&frame, &mut again);
                    assert_eq!(decode(&mut again), Ok(Some(frame)));
                    assert!(again.is_empty());
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});
