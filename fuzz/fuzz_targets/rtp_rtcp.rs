//! RTP and RTCP parsers; a parsed RTP packet must serialize back to an equal packet.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use shimmer_media::rtcp::{parse_compound, GenericNack, Pli, SenderReport};
use shimmer_media::rtp::RtpPacket;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = RtpPacket::parse(Bytes::copy_from_slice(data)) {
        let again = RtpPacket::parse(p.to_bytes()).expect("serialized packet parses");
        assert_eq!(again, p);
    }
    let _ = parse_compound(data);
    let _ = SenderReport::parse(data);
    let _ = Pli::parse(data);
    if let Ok(n) = GenericNack::parse(data) {
        let _ = GenericNack::parse(&n.to_bytes()).expect("serialized NACK parses");
    }
});
