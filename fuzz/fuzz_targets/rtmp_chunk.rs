//! The RTMP server session after a good handshake: arbitrary bytes as the chunk stream, fed in
//! two pieces, with every publish accepted so media parsing is reached too.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use shimmer_rtmp::chunk::ChunkLimits;
use shimmer_rtmp::handshake::HANDSHAKE_LEN;
use shimmer_rtmp::{ServerSession, SessionConfig, SessionEvent};

fuzz_target!(|data: &[u8]| {
    let t0 = Instant::now();
    let config = SessionConfig {
        chunk: ChunkLimits {
            max_chunk_size: 1 << 16,
            max_message_size: 1 << 16,
            max_chunk_streams: 8,
            max_buffered_bytes: 1 << 17,
        },
        ..SessionConfig::default()
    };
    let mut session = ServerSession::new(config, t0, &[5; 16]);
    let mut handshake = vec![3u8];
    handshake.resize(1 + 2 * HANDSHAKE_LEN, 0);
    if session.handle_input(t0, &handshake).is_err() {
        return;
    }
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    for (i, piece) in [&data[..split], &data[split..]].into_iter().enumerate() {
        let now = t0 + Duration::from_millis(i as u64 * 10);
        match session.handle_input(now, piece) {
            Ok(events) => {
                if events
                    .iter()
                    .any(|e| matches!(e, SessionEvent::PublishRequested { .. }))
                {
                    session.accept_publish();
                }
            }
            Err(_) => break,
        }
        let _ = session.take_transmit();
    }
    let _ = session.next_deadline();
    let _ = session.handle_timeout(t0 + Duration::from_secs(60));
});
