//! FLV tags written by Debian's ffmpeg (libx264 + its AAC encoder), parsed and transcoded.

mod common;

use std::path::Path;

use bytes::Bytes;
use common::make_clip;
use shimmer_rtmp::flv::{
    self, AudioCodec, AudioPacket, AudioSpecificConfig, AvcConfig, FrameType, VideoCodec,
    VideoPacket,
};
use shimmer_rtmp::transcode::{
    AacToOpus, OpusFrame, OpusSettings, TranscodeError, UnsupportedAudio, OPUS_FRAME_SAMPLES,
};

const TAG_AUDIO: u8 = 8;
const TAG_VIDEO: u8 = 9;

/// One tag of an FLV file: type (8 audio, 9 video, 18 script), timestamp, body.
pub struct FlvFileTag {
    pub tag_type: u8,
    pub timestamp: u32,
    pub body: Bytes,
}

/// Reads the tags of an FLV file (header, then tag + previous-tag-size pairs).
pub fn read_flv(path: &Path) -> Vec<FlvFileTag> {
    let data = std::fs::read(path).expect("read FLV");
    assert_eq!(&data[..3], b"FLV", "not an FLV file");
    let header_len = u32::from_be_bytes(data[5..9].try_into().unwrap()) as usize;
    let mut pos = header_len + 4;
    let mut tags = Vec::new();
    while pos + 11 <= data.len() {
        let tag_type = data[pos] & 0x1F;
        let size = u32::from_be_bytes([0, data[pos + 1], data[pos + 2], data[pos + 3]]) as usize;
        let timestamp =
            u32::from_be_bytes([data[pos + 7], data[pos + 4], data[pos + 5], data[pos + 6]]);
        let body = Bytes::copy_from_slice(&data[pos + 11..pos + 11 + size]);
        tags.push(FlvFileTag {
            tag_type,
            timestamp,
            body,
        });
        pos += 11 + size + 4;
    }
    tags
}

fn flv_clip(dir: &std::path::Path, bframes: u32, audio_rate: u32) -> Vec<FlvFileTag> {
    let clip = make_clip(
        dir,
        &format!("clip-bf{bframes}-{audio_rate}.flv"),
        2,
        bframes,
        audio_rate,
    );
    read_flv(&clip)
}

#[test]
fn avc_tags_from_libx264_parse_into_parameter_sets_and_nal_units() {
    let dir = tempfile::tempdir().unwrap();
    let tags = flv_clip(dir.path(), 0, 44100);
    let video: Vec<_> = tags.iter().filter(|t| t.tag_type == TAG_VIDEO).collect();
    assert!(video.len() >= 50, "2 s at 25 fps plus the sequence header");

    let first = flv::parse_video(&video[0].body).unwrap();
    assert_eq!(
        (first.codec, first.frame_type),
        (VideoCodec::Avc, FrameType::Key)
    );
    let VideoPacket::SequenceStart(record) = first.packet else {
        panic!("first video tag is not the sequence header: {first:?}");
    };
    let config = AvcConfig::parse(&record).unwrap();
    assert_eq!(config.nal_length_size, 4);
    assert_eq!(config.sps.len(), 1);
    assert_eq!(config.sps[0][0] & 0x1F, 7, "SPS NAL type");
    assert_eq!(config.pps[0][0] & 0x1F, 8, "PPS NAL type");

    let mut keyframes = 0;
    for tag in &video[1..] {
        let parsed = flv::parse_video(&tag.body).unwrap();
        let VideoPacket::CodedFrames {
            composition_time,
            data,
        } = parsed.packet
        else {
            continue;
        };
        assert_eq!(composition_time, 0, "no B-frames, so no reordering");
        let nalus = flv::split_nalus(&data, config.nal_length_size).unwrap();
        let types: Vec<u8> = nalus.iter().map(|n| n[0] & 0x1F).collect();
        if parsed.frame_type == FrameType::Key {
            keyframes += 1;
            assert!(types.contains(&5), "keyframe without IDR slice: {types:?}");
        } else {
            assert!(types.contains(&1), "inter frame without a slice: {types:?}");
        }
    }
    assert_eq!(keyframes, 2, "one keyframe per second");
}

#[test]
fn b_frames_show_as_composition_time_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let tags = flv_clip(dir.path(), 3, 44100);
    let offsets: Vec<i32> = tags
        .iter()
        .filter(|t| t.tag_type == TAG_VIDEO)
        .filter_map(|t| match flv::parse_video(&t.body).unwrap().packet {
            VideoPacket::CodedFrames {
                composition_time, ..
            } => Some(composition_time),
            _ => None,
        })
        .collect();
    assert!(
        offsets.iter().any(|&ct| ct > 0),
        "libx264 with -bf 3 reorders frames: {offsets:?}"
    );
}

/// Transcodes every AAC tag of the clip and decodes the Opus frames back to PCM.
fn transcode_clip(tags: &[FlvFileTag]) -> (AudioSpecificConfig, Vec<OpusFrame>) {
    let mut asc = None;
    let mut transcoder = None;
    let mut frames = Vec::new();
    for tag in tags.iter().filter(|t| t.tag_type == TAG_AUDIO) {
        let parsed = flv::parse_audio(&tag.body).unwrap();
        assert_eq!(parsed.codec, AudioCodec::Aac);
        match parsed.packet {
            AudioPacket::SequenceStart(config) => {
                asc = Some(AudioSpecificConfig::parse(&config).unwrap());
                transcoder = Some(AacToOpus::new(&config, OpusSettings::default()).unwrap());
            }
            AudioPacket::CodedFrames(aac) => {
                let transcoder = transcoder.as_mut().expect("AAC before its sequence header");
                frames.extend(transcoder.push(&aac, tag.timestamp).unwrap());
            }
            other => panic!("unexpected audio packet {other:?}"),
        }
    }
    (asc.expect("no AAC sequence header"), frames)
}

/// Decodes Opus frames to the left channel's samples.
fn decode_left(frames: &[OpusFrame]) -> Vec<f32> {
    let mut decoder = opus::Decoder::new(48_000, opus::Channels::Stereo).unwrap();
    let mut left = Vec::new();
    let mut pcm = vec![0f32; 2 * 5760];
    for frame in frames {
        let n = decoder.decode_float(&frame.data, &mut pcm, false).unwrap();
        assert_eq!(n, OPUS_FRAME_SAMPLES, "20 ms frames");
        left.extend(pcm[..2 * n].iter().step_by(2));
    }
    left
}

/// Frequency of a tone from its zero crossings.
fn frequency(samples: &[f32], rate: f32) -> f32 {
    let crossings = samples
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    crossings as f32 / 2.0 / (samples.len() as f32 / rate)
}

fn check_tone_and_timestamps(audio_rate: u32) {
    let dir = tempfile::tempdir().unwrap();
    let tags = flv_clip(dir.path(), 0, audio_rate);
    let (asc, frames) = transcode_clip(&tags);
    assert!(asc.is_plain_lc());
    assert_eq!((asc.sample_rate, asc.channel_config), (audio_rate, 2));

    // 2 s of audio is 100 frames of 20 ms; the encoder's priming and the last partial frame
    // may cost one or two.
    assert!(
        (97..=101).contains(&frames.len()),
        "{} Opus frames",
        frames.len()
    );
    let first_aac = tags
        .iter()
        .find(|t| t.tag_type == TAG_AUDIO && t.body[1] == 1)
        .unwrap();
    assert_eq!(frames[0].rtp_timestamp, first_aac.timestamp * 48);
    for pair in frames.windows(2) {
        assert_eq!(
            pair[1].rtp_timestamp.wrapping_sub(pair[0].rtp_timestamp),
            OPUS_FRAME_SAMPLES as u32,
            "contiguous 20 ms steps"
        );
    }
    let bits = frames.iter().map(|f| f.data.len() * 8).sum::<usize>() as f64
        / (frames.len() as f64 * 0.02);
    assert!(
        (90_000.0..170_000.0).contains(&bits),
        "about 128 kbit/s, got {bits}"
    );

    let left = decode_left(&frames);
    // Skip the first 200 ms (codec start-up), measure the rest.
    let steady = &left[9600..];
    let peak = steady.iter().fold(0f32, |m, s| m.max(s.abs()));
    assert!(peak > 0.05, "audio is not silent (peak {peak})");
    let hz = frequency(steady, 48_000.0);
    assert!(
        (430.0..450.0).contains(&hz),
        "440 Hz tone came out at {hz} Hz"
    );
}

#[test]
fn aac_at_44_1_khz_becomes_a_48_khz_opus_tone_with_source_timestamps() {
    check_tone_and_timestamps(44100);
}

#[test]
fn aac_at_48_khz_is_encoded_without_resampling() {
    check_tone_and_timestamps(48000);
}

#[test]
fn a_timestamp_jump_restarts_the_run_at_the_source_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let tags = flv_clip(dir.path(), 0, 48000);
    let mut transcoder = None;
    let mut frames = Vec::new();
    for tag in tags.iter().filter(|t| t.tag_type == TAG_AUDIO) {
        match flv::parse_audio(&tag.body).unwrap().packet {
            AudioPacket::SequenceStart(config) => {
                transcoder = Some(AacToOpus::new(&config, OpusSettings::default()).unwrap())
            }
            AudioPacket::CodedFrames(aac) => {
                // After one second the source clock jumps ahead by ten seconds.
                let ts = if tag.timestamp >= 1000 {
                    tag.timestamp + 10_000
                } else {
                    tag.timestamp
                };
                let produced = transcoder.as_mut().unwrap().push(&aac, ts).unwrap();
                frames.extend(produced.into_iter().map(|f| (ts, f)));
            }
            _ => {}
        }
    }
    let jump = frames
        .windows(2)
        .find(|w| {
            w[1].1.rtp_timestamp.wrapping_sub(w[0].1.rtp_timestamp) != OPUS_FRAME_SAMPLES as u32
        })
        .expect("the run restarts once");
    let (ts, frame) = &jump[1];
    assert_eq!(
        frame.rtp_timestamp,
        ts * 48,
        "the new run starts at the source timestamp"
    );
}

/// A raw AAC frame libFuzzer found (a channel pair whose max_sfb overruns the band table) that
/// made the AAC decoder index out of bounds.
const OVERRUNNING_AAC_FRAME: &[u8] = &[
    0x21, 0x2e, 0x02, 0x00, 0x3d, 0x00, 0x18, 0x18, 0x93, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
    0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x57, 0x3e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x00,
];

#[test]
fn a_malformed_aac_frame_mid_stream_is_skipped_and_the_tone_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let tags = flv_clip(dir.path(), 0, 44_100);
    let mut transcoder = None;
    let mut frames = Vec::new();
    let mut refused = 0;
    for (index, tag) in tags.iter().filter(|t| t.tag_type == TAG_AUDIO).enumerate() {
        match flv::parse_audio(&tag.body).unwrap().packet {
            AudioPacket::SequenceStart(config) => {
                transcoder = Some(AacToOpus::new(&config, OpusSettings::default()).unwrap());
            }
            AudioPacket::CodedFrames(aac) => {
                let transcoder = transcoder.as_mut().unwrap();
                if index % 10 == 5 {
                    let bad = transcoder.push(OVERRUNNING_AAC_FRAME, tag.timestamp);
                    assert!(
                        matches!(bad, Err(TranscodeError::Decode(_))),
                        "a malformed frame is a decode error"
                    );
                    refused += 1;
                }
                frames.extend(transcoder.push(&aac, tag.timestamp).unwrap());
            }
            other => panic!("unexpected audio packet {other:?}"),
        }
    }
    assert!(refused >= 5, "{refused} malformed frames pushed");
    let left = decode_left(&frames);
    let steady = &left[9600..];
    let hz = frequency(steady, 48_000.0);
    assert!(
        (430.0..450.0).contains(&hz),
        "440 Hz tone came out at {hz} Hz"
    );
}

#[test]
fn an_explicit_odd_sampling_rate_is_refused_by_name() {
    // AAC-LC with sampling frequency index 15 (explicit 24-bit rate), found by libFuzzer: an odd
    // rate made the resampler's FFT so large that one frame took seconds.
    let refused = AacToOpus::new(&[0x17, 0xf7, 0xc5, 0x01, 0x10], OpusSettings::default());
    assert!(
        matches!(
            refused,
            Err(TranscodeError::Unsupported(UnsupportedAudio::SampleRate(_)))
        ),
        "refused as an unsupported rate"
    );
    assert!(
        AacToOpus::new(&[0x12, 0x10], OpusSettings::default()).is_ok(),
        "44.1 kHz stereo"
    );
}
