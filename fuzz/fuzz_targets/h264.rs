//! H.264 helpers: SPS parser, payload classification, depacketizer, access-unit rebuilding,
//! Annex-B splitter, packetizer round trip; and Opus header/TOC helpers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shimmer_media::h264::{self, annexb, Depacketizer};
use shimmer_media::opus;

fuzz_target!(|data: &[u8]| {
    let _ = h264::parse_sps(data);
    let mut sps = vec![0x67];
    sps.extend_from_slice(data);
    let _ = h264::parse_sps(&sps);
    let _ = h264::payload_kind(data);
    let _ = h264::begins_keyframe_nal(data);
    let _ = h264::find_sps(data);
    let mut d = Depacketizer::default();
    for chunk in data.chunks(97) {
        let _ = d.push(chunk);
    }
    // Access-unit rebuilding with sequence gaps wherever a chunk starts with an odd byte.
    let mut sequence = 0u16;
    let packets = data.chunks(61).map(|chunk| {
        sequence = sequence.wrapping_add(1 + u16::from(chunk[0] & 1));
        (sequence, chunk)
    });
    let _ = h264::access_unit_annexb(packets);
    for nal in annexb::split_nal_units(data) {
        let parts = h264::packetize_nal(nal, 100);
        let mut d = Depacketizer::default();
        let out: Vec<Vec<u8>> = parts.iter().flat_map(|p| d.push(p)).collect();
        // Types 1-23 round-trip whole (other types are not valid NAL units to packetize).
        if (1..=23).contains(&(nal[0] & 0x1f)) {
            assert_eq!(out, vec![nal.to_vec()]);
        }
    }
    let _ = opus::OpusHead::parse(data);
    let _ = opus::packet_samples(data);
    let _ = opus::toc_channels(data);
});
