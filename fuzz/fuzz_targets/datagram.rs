//! The FTL media session: arbitrary datagrams (classified by their second byte, then parsed as
//! RTP/RTCP, routed by SSRC, sequence-tracked and NACKed).
#![no_main]

use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use shimmer_ftl::control::{MediaAnnounce, TrackAnnounce};
use shimmer_ftl::session::{classify, MediaSession, MediaSessionConfig};

fuzz_target!(|data: &[u8]| {
    let announce = MediaAnnounce {
        video: Some(TrackAnnounce {
            codec: "H264".into(),
            payload_type: 96,
            ssrc: 43,
        }),
        audio: Some(TrackAnnounce {
            codec: "OPUS".into(),
            payload_type: 97,
            ssrc: 42,
        }),
        ..Default::default()
    };
    let mut s = MediaSession::new(announce, MediaSessionConfig::default());
    let t0 = Instant::now();
    // The input is a sequence of datagrams, each prefixed by a one-byte length.
    let mut rest = data;
    let mut i = 0u64;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (d, next) = tail.split_at(n);
        let _ = classify(d);
        let now = t0 + Duration::from_millis(i * 7);
        s.handle_datagram(Bytes::copy_from_slice(d), now);
        s.handle_timeout(now);
        while s.poll_output().is_some() {}
        rest = next;
        i += 1;
    }
    let _ = s.stats(t0 + Duration::from_secs(5), Duration::from_secs(5), "fuzz");
});
