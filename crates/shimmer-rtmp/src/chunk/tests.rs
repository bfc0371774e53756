use super::*;

fn decode_all(decoder: &mut ChunkDecoder, bytes: &[u8]) -> Vec<Message> {
    let mut buf = BytesMut::from(bytes);
    let mut messages = Vec::new();
    while let Some(message) = decoder.next_message(&mut buf).unwrap() {
        messages.push(message);
    }
    assert!(buf.is_empty(), "{} bytes left over", buf.len());
    messages
}

/// Hand-built header of format 0.
fn fmt0(csid: u8, ts: u32, len: u32, type_id: u8, stream_id: u32) -> Vec<u8> {
    let mut out = vec![csid];
    out.extend_from_slice(&ts.min(EXTENDED_TIMESTAMP).to_be_bytes()[1..]);
    out.extend_from_slice(&len.to_be_bytes()[1..]);
    out.push(type_id);
    out.extend_from_slice(&stream_id.to_le_bytes());
    if ts >= EXTENDED_TIMESTAMP {
        out.extend_from_slice(&ts.to_be_bytes());
    }
    out
}

#[test]
fn encoder_output_round_trips_across_chunk_boundaries() {
    let payload: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    for chunk_size in [1, 128, 999, 1000, 4096] {
        let mut encoder = ChunkEncoder::default();
        encoder.set_chunk_size(chunk_size);
        let mut wire = Vec::new();
        encoder.write(6, 40, 9, 1, &payload, &mut wire);
        encoder.write(6, 80, 9, 1, &[], &mut wire);
        let mut decoder = ChunkDecoder::new(ChunkLimits::default());
        decoder.set_chunk_size(chunk_size).unwrap();
        let messages = decode_all(&mut decoder, &wire);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].payload, payload);
        assert_eq!(
            (
                messages[0].timestamp,
                messages[0].type_id,
                messages[0].stream_id
            ),
            (40, 9, 1)
        );
        assert!(messages[1].payload.is_empty());
        assert_eq!(messages[1].timestamp, 80);
    }
}

#[test]
fn byte_by_byte_arrival_consumes_only_whole_chunks() {
    let payload = vec![7u8; 300];
    let mut wire = Vec::new();
    ChunkEncoder::default().write(4, 1, 8, 1, &payload, &mut wire);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    for byte in wire {
        buf.extend_from_slice(&[byte]);
        while let Some(message) = decoder.next_message(&mut buf).unwrap() {
            got.push(message);
        }
    }
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].payload.len(), 300);
}

#[test]
fn interleaved_chunk_streams_reassemble_separately() {
    // Audio on csid 4 and video on csid 6, their chunks alternating (chunk size 128).
    let video: Vec<u8> = vec![0xAA; 200];
    let audio: Vec<u8> = vec![0xBB; 150];
    let mut wire = fmt0(6, 100, 200, 9, 1);
    wire.extend_from_slice(&video[..128]);
    wire.extend(fmt0(4, 90, 150, 8, 1));
    wire.extend_from_slice(&audio[..128]);
    wire.push(0xC6); // format 3, csid 6
    wire.extend_from_slice(&video[128..]);
    wire.push(0xC4);
    wire.extend_from_slice(&audio[128..]);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages.len(), 2);
    assert_eq!((messages[0].csid, messages[0].type_id), (6, 9));
    assert_eq!(messages[0].payload, video);
    assert_eq!(messages[0].timestamp, 100);
    assert_eq!((messages[1].csid, messages[1].type_id), (4, 8));
    assert_eq!(messages[1].payload, audio);
    assert_eq!(messages[1].timestamp, 90);
}

#[test]
fn all_four_header_formats_compute_timestamps() {
    let mut wire = fmt0(4, 1000, 2, 8, 1);
    wire.extend_from_slice(&[1, 1]);
    // Format 1: delta 20, new length 3, type 8.
    wire.extend_from_slice(&[0x44, 0, 0, 20, 0, 0, 3, 8]);
    wire.extend_from_slice(&[2, 2, 2]);
    // Format 2: delta 25.
    wire.extend_from_slice(&[0x84, 0, 0, 25]);
    wire.extend_from_slice(&[3, 3, 3]);
    // Format 3 starting a new message: the same delta again.
    wire.push(0xC4);
    wire.extend_from_slice(&[4, 4, 4]);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let messages = decode_all(&mut decoder, &wire);
    let stamps: Vec<u32> = messages.iter().map(|m| m.timestamp).collect();
    assert_eq!(stamps, vec![1000, 1020, 1045, 1070]);
    assert_eq!(messages[1].payload.as_ref(), &[2, 2, 2]);
    assert!(messages.iter().all(|m| m.stream_id == 1));
}

#[test]
fn format3_after_format0_reuses_the_absolute_timestamp_as_delta() {
    let mut wire = fmt0(4, 23, 1, 8, 1);
    wire.push(1);
    wire.push(0xC4);
    wire.push(2);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages[1].timestamp, 46);
}

#[test]
fn extended_timestamps_in_every_chunk_of_a_message() {
    let ts = 0x0100_0000;
    let payload = vec![9u8; 300];
    let mut wire = Vec::new();
    ChunkEncoder::default().write(6, ts, 9, 1, &payload, &mut wire);
    // 12-byte header + 4 extended, then two continuation chunks of 1 + 4 bytes each.
    assert_eq!(wire.len(), 12 + 4 + 300 + 2 * 5);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages[0].timestamp, ts);
    assert_eq!(messages[0].payload, payload);

    // Format 2 with an extended delta.
    let mut wire = fmt0(4, 10, 1, 8, 1);
    wire.push(0);
    wire.extend_from_slice(&[0x84, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 5]);
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages[1].timestamp, 10 + 0x0100_0000);
}

#[test]
fn two_and_three_byte_chunk_stream_ids() {
    for csid in [64u32, 319, 320, 65599] {
        let mut wire = Vec::new();
        ChunkEncoder::default().write(csid, 5, 20, 0, b"hello", &mut wire);
        let mut decoder = ChunkDecoder::new(ChunkLimits::default());
        let messages = decode_all(&mut decoder, &wire);
        assert_eq!(messages[0].csid, csid);
        assert_eq!(messages[0].payload.as_ref(), b"hello");
    }
}

#[test]
fn abort_drops_the_unfinished_message() {
    let mut wire = fmt0(4, 0, 200, 8, 1);
    wire.extend_from_slice(&[1; 128]);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    assert!(decode_all(&mut decoder, &wire).is_empty());
    assert_eq!(decoder.buffered, 128);
    decoder.abort(4);
    assert_eq!(decoder.buffered, 0);
    let mut wire = fmt0(4, 0, 2, 8, 1);
    wire.extend_from_slice(&[5, 5]);
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages[0].payload.as_ref(), &[5, 5]);
}

#[test]
fn limits_refuse_hostile_streams() {
    let limits = ChunkLimits {
        max_chunk_size: 4096,
        max_message_size: 1000,
        max_chunk_streams: 2,
        max_buffered_bytes: 300,
    };
    let mut decoder = ChunkDecoder::new(limits);
    assert_eq!(
        decoder.set_chunk_size(0x8000_0001),
        Err(ChunkError::ChunkSizeOutOfRange {
            size: 0x8000_0001,
            max: 4096
        })
    );
    assert!(decoder.set_chunk_size(0).is_err());
    assert!(decoder.set_chunk_size(4097).is_err());

    let mut buf = BytesMut::from(&fmt0(4, 0, 1001, 9, 1)[..]);
    assert_eq!(
        decoder.next_message(&mut buf),
        Err(ChunkError::MessageTooLarge {
            len: 1001,
            max: 1000
        })
    );

    let mut buf = BytesMut::from(&[0xC5u8, 1, 2][..]);
    assert_eq!(
        decoder.next_message(&mut buf),
        Err(ChunkError::NoPreviousHeader { csid: 5 })
    );

    let mut decoder = ChunkDecoder::new(limits);
    let mut wire = Vec::new();
    for csid in [3u8, 4] {
        wire.extend(fmt0(csid, 0, 1000, 9, 1));
        wire.extend_from_slice(&[0; 128]);
    }
    let mut buf = BytesMut::from(&wire[..]);
    assert_eq!(decoder.next_message(&mut buf), Ok(None));
    let mut buf = BytesMut::from(&fmt0(5, 0, 1, 9, 1)[..]);
    assert_eq!(
        decoder.next_message(&mut buf),
        Err(ChunkError::TooManyChunkStreams(2))
    );
    let mut buf = BytesMut::from(&[0xC3u8; 1][..]);
    buf.extend_from_slice(&[0; 128]);
    assert_eq!(
        decoder.next_message(&mut buf),
        Err(ChunkError::TooMuchBuffered(300))
    );
}

#[test]
fn new_header_mid_message_discards_the_unfinished_one() {
    let mut wire = fmt0(4, 0, 200, 8, 1);
    wire.extend_from_slice(&[1; 128]);
    wire.extend(fmt0(4, 50, 3, 8, 1));
    wire.extend_from_slice(&[2, 2, 2]);
    let mut decoder = ChunkDecoder::new(ChunkLimits::default());
    let messages = decode_all(&mut decoder, &wire);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].payload.as_ref(), &[2, 2, 2]);
    assert_eq!(decoder.buffered, 0);
}
