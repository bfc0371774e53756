use super::*;

fn bytes(v: &[u8]) -> Bytes {
    Bytes::copy_from_slice(v)
}

/// A minimal avcC: High profile, 4-byte lengths, one SPS, one PPS.
fn avcc() -> Vec<u8> {
    vec![
        1, 100, 0, 31, 0xFF, 0xE1, 0, 4, 0x67, 100, 0, 31, 1, 0, 2, 0x68, 0xEE,
    ]
}

#[test]
fn legacy_avc_sequence_header_and_nalus() {
    let mut body = vec![0x17, 0, 0, 0, 0];
    body.extend(avcc());
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(tag.frame_type, FrameType::Key);
    assert_eq!(tag.codec, VideoCodec::Avc);
    assert!(!tag.enhanced);
    let VideoPacket::SequenceStart(config) = tag.packet else {
        panic!("not a sequence start: {tag:?}");
    };
    let config = AvcConfig::parse(&config).unwrap();
    assert_eq!(
        (config.profile, config.level, config.nal_length_size),
        (100, 31, 4)
    );
    assert_eq!(config.sps, vec![bytes(&[0x67, 100, 0, 31])]);
    assert_eq!(config.pps, vec![bytes(&[0x68, 0xEE])]);

    // An inter frame with composition time -40 (0xFFFFD8) and two NAL units.
    let body = [
        0x27, 1, 0xFF, 0xFF, 0xD8, 0, 0, 0, 2, 0x41, 0x9A, 0, 0, 0, 1, 0x06,
    ];
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(tag.frame_type, FrameType::Inter);
    let VideoPacket::CodedFrames {
        composition_time,
        data,
    } = tag.packet
    else {
        panic!("not coded frames");
    };
    assert_eq!(composition_time, -40);
    assert_eq!(
        split_nalus(&data, 4).unwrap(),
        vec![bytes(&[0x41, 0x9A]), bytes(&[0x06])]
    );
}

#[test]
fn enhanced_avc1_packet_types() {
    let mut body = vec![0x80 | 0x10, b'a', b'v', b'c', b'1'];
    body.extend(avcc());
    let tag = parse_video(&bytes(&body)).unwrap();
    assert!(tag.enhanced);
    assert_eq!(
        (tag.frame_type, tag.codec),
        (FrameType::Key, VideoCodec::Avc)
    );
    assert!(matches!(tag.packet, VideoPacket::SequenceStart(_)));

    let body = [
        0x80 | 0x20 | 1,
        b'a',
        b'v',
        b'c',
        b'1',
        0,
        0,
        80,
        0,
        0,
        0,
        1,
        0x41,
    ];
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(
        tag.packet,
        VideoPacket::CodedFrames {
            composition_time: 80,
            data: bytes(&[0, 0, 0, 1, 0x41])
        }
    );

    let body = [0x80 | 0x20 | 3, b'a', b'v', b'c', b'1', 0, 0, 0, 1, 0x41];
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(
        tag.packet,
        VideoPacket::CodedFrames {
            composition_time: 0,
            data: bytes(&[0, 0, 0, 1, 0x41])
        }
    );

    let body = [0x80 | 0x10 | 2, b'a', b'v', b'c', b'1'];
    assert_eq!(
        parse_video(&bytes(&body)).unwrap().packet,
        VideoPacket::SequenceEnd
    );

    // AV1 coded frames carry no composition time.
    let body = [0x80 | 0x10 | 1, b'a', b'v', b'0', b'1', 0x12, 0x00];
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(tag.codec, VideoCodec::Av1);
    assert_eq!(
        tag.packet,
        VideoPacket::CodedFrames {
            composition_time: 0,
            data: bytes(&[0x12, 0x00])
        }
    );
}

#[test]
fn enhanced_mod_ex_is_skipped_and_multitrack_reported() {
    // ModEx with 3 bytes of data (size byte 2), then packet type CodedFramesX.
    let body = [
        0x80 | 0x10 | 7,
        2,
        9,
        9,
        9,
        0x03,
        b'h',
        b'v',
        b'c',
        b'1',
        0xAB,
    ];
    let tag = parse_video(&bytes(&body)).unwrap();
    assert_eq!(tag.codec, VideoCodec::Hevc);
    assert_eq!(
        tag.packet,
        VideoPacket::CodedFrames {
            composition_time: 0,
            data: bytes(&[0xAB])
        }
    );
    let body = [0x80 | 0x10 | 6, 0x00, b'a', b'v', b'c', b'1'];
    assert_eq!(
        parse_video(&bytes(&body)).unwrap().packet,
        VideoPacket::Unsupported(6)
    );
    // An endless ModEx chain is cut off, not followed.
    let mut body = vec![0x80 | 0x10 | 7];
    for _ in 0..20 {
        body.extend_from_slice(&[0, 0, 0x07]);
    }
    assert_eq!(
        parse_video(&bytes(&body)).unwrap().packet,
        VideoPacket::Unsupported(7)
    );
}

#[test]
fn truncated_and_empty_video_is_refused() {
    assert_eq!(parse_video(&Bytes::new()), Err(FlvError::Empty));
    assert_eq!(
        parse_video(&bytes(&[0x17, 1, 0])),
        Err(FlvError::Truncated("composition time"))
    );
    assert_eq!(
        parse_video(&bytes(&[0x90, b'a', b'v'])),
        Err(FlvError::Truncated("FourCC"))
    );
    assert_eq!(
        split_nalus(&bytes(&[0, 0, 0, 9, 1]), 4),
        Err(FlvError::NaluOverrun { len: 9 })
    );
    assert_eq!(
        split_nalus(&bytes(&[0, 0]), 4),
        Err(FlvError::Truncated("NAL unit length"))
    );
    assert_eq!(
        AvcConfig::parse(&bytes(&[1, 100, 0, 31, 0xFF, 0xE1, 0, 40, 0x67])),
        Err(FlvError::Truncated("avcC SPS"))
    );
    assert_eq!(
        AvcConfig::parse(&bytes(&[0])),
        Err(FlvError::AvcConfigVersion(0))
    );
}

#[test]
fn audio_tags_legacy_and_enhanced() {
    // AAC LC 44.1 kHz stereo: AudioSpecificConfig 0x12 0x10.
    let tag = parse_audio(&bytes(&[0xAF, 0, 0x12, 0x10])).unwrap();
    assert_eq!(tag.codec, AudioCodec::Aac);
    assert_eq!(tag.packet, AudioPacket::SequenceStart(bytes(&[0x12, 0x10])));
    let tag = parse_audio(&bytes(&[0xAF, 1, 0x21, 0x1B])).unwrap();
    assert_eq!(tag.packet, AudioPacket::CodedFrames(bytes(&[0x21, 0x1B])));

    let tag = parse_audio(&bytes(&[0x2F, 0xFF, 0xFB])).unwrap();
    assert_eq!(tag.codec, AudioCodec::Mp3);

    let tag = parse_audio(&bytes(&[0x90, b'O', b'p', b'u', b's', b'O', b'p'])).unwrap();
    assert_eq!(tag.codec, AudioCodec::Opus);
    assert!(tag.enhanced);
    assert_eq!(tag.packet, AudioPacket::SequenceStart(bytes(b"Op")));
    let tag = parse_audio(&bytes(&[0x91, b'O', b'p', b'u', b's', 0xFC, 0x01])).unwrap();
    assert_eq!(tag.packet, AudioPacket::CodedFrames(bytes(&[0xFC, 0x01])));
    let tag = parse_audio(&bytes(&[0x91, b'm', b'p', b'4', b'a', 0x21])).unwrap();
    assert_eq!(tag.codec, AudioCodec::Aac);

    assert_eq!(parse_audio(&Bytes::new()), Err(FlvError::Empty));
    assert_eq!(
        parse_audio(&bytes(&[0xAF])),
        Err(FlvError::Truncated("AAC packet type"))
    );
    assert_eq!(
        parse_audio(&bytes(&[0x95])).unwrap().packet,
        AudioPacket::Unsupported(5)
    );
}

/// Writes `value` in `n` bits, most significant first.
fn push_bits(bits: &mut Vec<bool>, value: u32, n: usize) {
    for i in (0..n).rev() {
        bits.push((value >> i) & 1 == 1);
    }
}

fn pack(bits: &[bool]) -> Vec<u8> {
    bits.chunks(8)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |acc, (i, &b)| acc | (u8::from(b) << (7 - i)))
        })
        .collect()
}

#[test]
fn audio_specific_config_tells_lc_from_he_aac() {
    let lc = AudioSpecificConfig::parse(&[0x12, 0x10]).unwrap();
    assert_eq!(
        (lc.object_type, lc.sample_rate, lc.channel_config),
        (2, 44100, 2)
    );
    assert!(lc.is_plain_lc());
    let lc48 = AudioSpecificConfig::parse(&[0x11, 0x90]).unwrap();
    assert_eq!((lc48.sample_rate, lc48.channel_config), (48000, 2));

    // Explicit HE-AAC: object type 5, 24 kHz core, stereo, 48 kHz extension, core LC.
    let mut bits = Vec::new();
    push_bits(&mut bits, 5, 5);
    push_bits(&mut bits, 6, 4);
    push_bits(&mut bits, 2, 4);
    push_bits(&mut bits, 3, 4);
    push_bits(&mut bits, 2, 5);
    let he = AudioSpecificConfig::parse(&pack(&bits)).unwrap();
    assert!(he.sbr && !he.ps);
    assert!(!he.is_plain_lc());

    // Backward-compatible HE-AAC: LC config followed by the 0x2B7 sync extension with SBR.
    let mut bits = Vec::new();
    push_bits(&mut bits, 2, 5);
    push_bits(&mut bits, 6, 4);
    push_bits(&mut bits, 2, 4);
    push_bits(&mut bits, 0, 3);
    push_bits(&mut bits, 0x2B7, 11);
    push_bits(&mut bits, 5, 5);
    push_bits(&mut bits, 1, 1);
    let he = AudioSpecificConfig::parse(&pack(&bits)).unwrap();
    assert!(he.sbr);
    assert!(!he.is_plain_lc());

    // HE-AAC v2 (object type 29) and an explicit 24-bit sampling rate.
    let mut bits = Vec::new();
    push_bits(&mut bits, 29, 5);
    push_bits(&mut bits, 15, 4);
    push_bits(&mut bits, 32000, 24);
    push_bits(&mut bits, 1, 4);
    push_bits(&mut bits, 3, 4);
    push_bits(&mut bits, 2, 5);
    let v2 = AudioSpecificConfig::parse(&pack(&bits)).unwrap();
    assert!(v2.ps && v2.sbr);
    assert_eq!(v2.sample_rate, 32000);

    assert_eq!(
        AudioSpecificConfig::parse(&[0x16, 0x90]),
        Err(FlvError::SampleRateIndex(13))
    );
    assert_eq!(
        AudioSpecificConfig::parse(&[0x12]),
        Err(FlvError::Truncated("AudioSpecificConfig"))
    );
}
