//! The LL-HLS packager fed what a publisher controls: arbitrary H.264 and Opus payloads with
//! arbitrary timestamps, sequence numbers, markers and keyframe starts. It must never panic, and
//! every playlist it writes must stay well formed.
#![no_main]

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use shimmer_hls::playlist::{self, Names};
use shimmer_hls::{Packager, PackagerConfig};
use shimmer_media::hub::{HubEvent, MediaKind, MediaPacket, StreamInfo};
use shimmer_media::rtp::RtpHeader;

fuzz_target!(|data: &[u8]| {
    let info = StreamInfo {
        video: Some(StreamInfo::h264(96, 1)),
        audio: Some(StreamInfo::opus(97, 2, 2)),
    };
    let mut packager = Packager::new(&info, PackagerConfig::default());
    let names = Names { run: "f".into() };
    let start = Instant::now();
    let (mut video_ts, mut audio_ts) = (0u32, 0u32);
    let mut rest = data;
    let mut count = 0u64;
    // Each record: flags, timestamp step (2 bytes), sequence step, payload length, payload.
    while rest.len() >= 5 {
        let (flags, step, sequence_step, length) = (
            rest[0],
            u16::from_be_bytes([rest[1], rest[2]]),
            rest[3],
            usize::from(rest[4]),
        );
        let payload = &rest[5..(5 + length).min(rest.len())];
        rest = &rest[(5 + length).min(rest.len())..];
        count += 1;
        let received = start + Duration::from_millis(count * 7);
        let event = if flags & 0x80 != 0 {
            HubEvent::Resync { skipped: 1 }
        } else if flags & 0x01 != 0 {
            audio_ts = audio_ts.wrapping_add(u32::from(step));
            let header = RtpHeader::new(97, count as u16, audio_ts, 2, false);
            HubEvent::Packet(Arc::new(MediaPacket::new(
                MediaKind::Audio,
                &header,
                Bytes::copy_from_slice(payload),
                received,
            )))
        } else {
            // Steps above 0x8000 go backwards, as B-frames and broken encoders do.
            video_ts = video_ts.wrapping_add(u32::from(step).wrapping_mul(3)).wrapping_sub(0x8000 * 3);
            let sequence = (count as u16).wrapping_add(u16::from(sequence_step & 0x03));
            let header = RtpHeader::new(96, sequence, video_ts, 1, flags & 0x02 != 0);
            let mut packet =
                MediaPacket::new(MediaKind::Video, &header, Bytes::copy_from_slice(payload), received);
            packet.keyframe_start = flags & 0x04 != 0;
            HubEvent::Packet(Arc::new(packet))
        };
        if packager.push(&event).is_err() {
            return;
        }
    }
    let media = playlist::media(&packager, &names, data.first().is_some_and(|b| b & 1 == 1));
    assert!(media.starts_with("#EXTM3U\n"));
    assert!(media.contains("#EXT-X-PRELOAD-HINT:TYPE=PART"));
    let multivariant = playlist::multivariant(&packager);
    assert!(multivariant.starts_with("#EXTM3U\n"));
});
