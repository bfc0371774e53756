//! FLV audio and video tag bodies (legacy and Enhanced RTMP), the avcC record, NAL unit
//! splitting, the AAC AudioSpecificConfig, and AAC frames through the transcoder.
#![no_main]

use std::sync::Mutex;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use shimmer_rtmp::flv::{self, AudioSpecificConfig, AvcConfig, VideoPacket};
use shimmer_rtmp::transcode::{AacToOpus, OpusSettings};

static TRANSCODER: Mutex<Option<AacToOpus>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let bytes = Bytes::copy_from_slice(data);
    if let Ok(tag) = flv::parse_video(&bytes) {
        if let VideoPacket::CodedFrames { data, .. } = &tag.packet {
            for size in [1, 2, 4] {
                let _ = flv::split_nalus(data, size);
            }
        }
    }
    let _ = flv::parse_audio(&bytes);
    let _ = AvcConfig::parse(&bytes);
    let _ = AudioSpecificConfig::parse(data);
    let _ = AacToOpus::new(data, OpusSettings::default());

    // AAC-LC 44.1 kHz stereo, the transcoder kept across inputs like a live stream's.
    let mut slot = TRANSCODER.lock().unwrap_or_else(|e| e.into_inner());
    let transcoder =
        slot.get_or_insert_with(|| AacToOpus::new(&[0x12, 0x10], OpusSettings::default()).unwrap());
    let timestamp = data
        .get(..4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let _ = transcoder.push(data, timestamp);
});
