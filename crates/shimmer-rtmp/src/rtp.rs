//! FLV tags to the hub's RTP-shaped packets, sans-IO: what every ingest adapter hands the
//! [`shimmer_media::StreamHub`].
//!
//! - **Video** (H.264 only): the avcC of the sequence header gives the NAL length size and the
//!   SPS/PPS; every keyframe is sent with SPS and PPS in front (RTMP carries them out of band,
//!   but a WebRTC viewer joining at a keyframe needs them in band). NAL units are packetized once
//!   per stream (single NAL or FU-A, [`shimmer_media::h264::packetize_nal`]); the RTP timestamp
//!   is the presentation time (decode timestamp + composition time) on the 90 kHz clock, and the
//!   marker bit is set on the frame's last packet.
//! - **Audio**: Opus frames (passed through from Enhanced RTMP, or from the
//!   [`crate::transcode::AacToOpus`] transcoder) with their 48 kHz timestamps.
//!
//! Both clocks start at the RTMP timestamp (milliseconds × 90 or × 48), so audio and video stay
//! in sync for the viewer exactly as the encoder stamped them.

use std::time::Instant;

use bytes::Bytes;
use shimmer_media::h264::{self, packetize_nal};
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket};
use thiserror::Error;

use crate::flv::{self, AvcConfig, FlvError, FrameType, VideoCodec, VideoPacket, VideoTag};
use crate::transcode::OpusFrame;

/// Largest RTP payload made, leaving room under a 1280-byte path MTU for the RTP header and
/// the extensions and SRTP tag a WebRTC forwarder adds.
pub const MAX_RTP_PAYLOAD: usize = 1200;
/// Payload type of the video track in the hub.
pub const VIDEO_PAYLOAD_TYPE: u8 = 96;
/// Payload type of the audio track in the hub.
pub const AUDIO_PAYLOAD_TYPE: u8 = 97;

/// Why a video tag produced no packets.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VideoIssue {
    /// A codec other than H.264 (this server's WebRTC playback takes H.264 only).
    #[error("{0} video is not supported; set the encoder to H.264")]
    UnsupportedCodec(String),
    /// Coded frames before any AVC sequence header.
    #[error("video frame before the AVC sequence header")]
    NoSequenceHeader,
    /// The tag or its avcC record is malformed.
    #[error(transparent)]
    Malformed(#[from] FlvError),
}

/// What a video tag turned into.
#[derive(Debug, Default)]
pub struct VideoOutput {
    /// Packets to publish, in order.
    pub packets: Vec<MediaPacket>,
    /// The frame had a composition time offset (the encoder sends B-frames).
    pub reordered: bool,
    /// A keyframe.
    pub keyframe: bool,
    /// Bytes of coded video in the tag.
    pub bytes: usize,
}

/// Packetizes H.264 tags of one stream.
#[derive(Debug)]
pub struct VideoPacketizer {
    ssrc: u32,
    sequence: u16,
    config: Option<AvcConfig>,
}

impl VideoPacketizer {
    /// A packetizer for the track with this SSRC (sequence numbers start at `first_sequence`).
    pub fn new(ssrc: u32, first_sequence: u16) -> Self {
        Self {
            ssrc,
            sequence: first_sequence,
            config: None,
        }
    }

    /// The current decoder configuration, once a sequence header has arrived.
    pub fn config(&self) -> Option<&AvcConfig> {
        self.config.as_ref()
    }

    /// Handles one video tag with its RTMP (decode) timestamp.
    pub fn push(
        &mut self,
        timestamp: u32,
        tag: &VideoTag,
        now: Instant,
    ) -> Result<VideoOutput, VideoIssue> {
        if tag.codec != VideoCodec::Avc {
            return Err(VideoIssue::UnsupportedCodec(tag.codec.name()));
        }
        let (composition_time, data) = match &tag.packet {
            VideoPacket::SequenceStart(record) => {
                self.config = Some(AvcConfig::parse(record)?);
                return Ok(VideoOutput::default());
            }
            VideoPacket::CodedFrames {
                composition_time,
                data,
            } => (*composition_time, data),
            _ => return Ok(VideoOutput::default()),
        };
        let config = self.config.as_ref().ok_or(VideoIssue::NoSequenceHeader)?;
        let nalus = flv::split_nalus(data, config.nal_length_size)?;
        let keyframe = tag.frame_type == FrameType::Key
            || nalus.iter().any(|n| h264::nal_type(n[0]) == h264::NAL_IDR);
        let has_parameter_sets = nalus.iter().any(|n| h264::nal_type(n[0]) == h264::NAL_SPS);
        let mut units: Vec<&Bytes> = Vec::with_capacity(nalus.len() + 2);
        if keyframe && !has_parameter_sets {
            units.extend(config.sps.iter().chain(config.pps.iter()));
        }
        units.extend(
            nalus
                .iter()
                // Access unit delimiters carry nothing a WebRTC decoder needs.
                .filter(|n| h264::nal_type(n[0]) != h264::NAL_AUD),
        );
        let pts = i64::from(timestamp) + i64::from(composition_time);
        let rtp_timestamp = (pts * 90) as u32;
        let payloads: Vec<Vec<u8>> = units
            .iter()
            .flat_map(|nal| packetize_nal(nal, MAX_RTP_PAYLOAD))
            .collect();
        let last = payloads.len().saturating_sub(1);
        let packets = payloads
            .into_iter()
            .enumerate()
            .map(|(i, payload)| {
                let header = RtpHeader::new(
                    VIDEO_PAYLOAD_TYPE,
                    self.next_sequence(),
                    rtp_timestamp,
                    self.ssrc,
                    i == last,
                );
                MediaPacket::new(MediaKind::Video, &header, Bytes::from(payload), now)
            })
            .collect();
        Ok(VideoOutput {
            packets,
            reordered: composition_time != 0,
            keyframe,
            bytes: data.len(),
        })
    }

    fn next_sequence(&mut self) -> u16 {
        let s = self.sequence;
        self.sequence = self.sequence.wrapping_add(1);
        s
    }
}

/// Numbers Opus frames as RTP packets of one stream.
#[derive(Debug)]
pub struct AudioPacketizer {
    ssrc: u32,
    sequence: u16,
}

impl AudioPacketizer {
    /// A packetizer for the track with this SSRC.
    pub fn new(ssrc: u32, first_sequence: u16) -> Self {
        Self {
            ssrc,
            sequence: first_sequence,
        }
    }

    /// One Opus frame from the transcoder.
    pub fn frame(&mut self, frame: OpusFrame, now: Instant) -> MediaPacket {
        self.packet(frame.data, frame.rtp_timestamp, now)
    }

    /// One Opus packet passed through from Enhanced RTMP, stamped with its RTMP timestamp.
    pub fn passthrough(&mut self, data: Bytes, timestamp_ms: u32, now: Instant) -> MediaPacket {
        self.packet(data, timestamp_ms.wrapping_mul(48), now)
    }

    fn packet(&mut self, data: Bytes, rtp_timestamp: u32, now: Instant) -> MediaPacket {
        let header = RtpHeader::new(
            AUDIO_PAYLOAD_TYPE,
            self.sequence,
            rtp_timestamp,
            self.ssrc,
            false,
        );
        self.sequence = self.sequence.wrapping_add(1);
        MediaPacket::new(MediaKind::Audio, &header, data, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn avcc() -> Bytes {
        Bytes::from_static(&[
            1, 66, 0xC0, 30, 0xFF, 0xE1, 0, 4, 0x67, 66, 0xC0, 30, 1, 0, 2, 0x68, 0xCE,
        ])
    }

    fn tag(frame_type: FrameType, packet: VideoPacket) -> VideoTag {
        VideoTag {
            frame_type,
            codec: VideoCodec::Avc,
            enhanced: false,
            packet,
        }
    }

    fn frame(nalus: &[&[u8]]) -> Bytes {
        let mut out = Vec::new();
        for n in nalus {
            out.extend_from_slice(&(n.len() as u32).to_be_bytes());
            out.extend_from_slice(n);
        }
        Bytes::from(out)
    }

    #[test]
    fn keyframes_get_parameter_sets_and_large_nalus_fu_a() {
        let now = Instant::now();
        let mut p = VideoPacketizer::new(0x1234, 65535);
        let out = p
            .push(
                0,
                &tag(FrameType::Key, VideoPacket::SequenceStart(avcc())),
                now,
            )
            .unwrap();
        assert!(out.packets.is_empty());

        let idr = vec![0x65; 3000];
        let out = p
            .push(
                40,
                &tag(
                    FrameType::Key,
                    VideoPacket::CodedFrames {
                        composition_time: 0,
                        data: frame(&[&[0x09, 0xF0], &idr]),
                    },
                ),
                now,
            )
            .unwrap();
        assert!(out.keyframe && !out.reordered);
        let packets = out.packets;
        // SPS, PPS, then the IDR in three FU-A fragments; the AUD is dropped.
        assert_eq!(packets.len(), 5);
        assert_eq!(packets[0].payload.as_ref(), &[0x67, 66, 0xC0, 30]);
        assert_eq!(packets[1].payload.as_ref(), &[0x68, 0xCE]);
        assert_eq!(packets[2].payload[0] & 0x1F, 28, "FU-A");
        assert!(packets
            .iter()
            .all(|p| p.timestamp == 40 * 90 && p.ssrc == 0x1234));
        let seqs: Vec<u16> = packets.iter().map(|p| p.sequence).collect();
        assert_eq!(seqs, vec![65535, 0, 1, 2, 3]);
        let markers: Vec<bool> = packets.iter().map(|p| p.marker).collect();
        assert_eq!(markers, vec![false, false, false, false, true]);
        assert!(packets.iter().all(|p| p.payload.len() <= MAX_RTP_PAYLOAD));
    }

    #[test]
    fn composition_time_gives_presentation_timestamps() {
        let now = Instant::now();
        let mut p = VideoPacketizer::new(1, 0);
        p.push(
            0,
            &tag(FrameType::Key, VideoPacket::SequenceStart(avcc())),
            now,
        )
        .unwrap();
        let out = p
            .push(
                80,
                &tag(
                    FrameType::Inter,
                    VideoPacket::CodedFrames {
                        composition_time: 40,
                        data: frame(&[&[0x41, 1, 2]]),
                    },
                ),
                now,
            )
            .unwrap();
        assert!(out.reordered && !out.keyframe);
        assert_eq!(out.packets.len(), 1);
        assert_eq!(out.packets[0].timestamp, 120 * 90);
    }

    #[test]
    fn frames_before_the_sequence_header_and_other_codecs_are_refused() {
        let now = Instant::now();
        let mut p = VideoPacketizer::new(1, 0);
        let coded = VideoPacket::CodedFrames {
            composition_time: 0,
            data: frame(&[&[0x65]]),
        };
        assert_eq!(
            p.push(0, &tag(FrameType::Key, coded.clone()), now)
                .unwrap_err(),
            VideoIssue::NoSequenceHeader
        );
        let hevc = VideoTag {
            codec: VideoCodec::Hevc,
            ..tag(FrameType::Key, coded)
        };
        assert_eq!(
            p.push(0, &hevc, now).unwrap_err(),
            VideoIssue::UnsupportedCodec("H.265".into())
        );
    }

    #[test]
    fn opus_passthrough_uses_the_48_khz_clock() {
        let mut a = AudioPacketizer::new(9, 10);
        let packet = a.passthrough(Bytes::from_static(&[0xFC]), 1000, Instant::now());
        assert_eq!(
            (packet.timestamp, packet.sequence, packet.ssrc),
            (48_000, 10, 9)
        );
        assert_eq!(packet.payload_type, AUDIO_PAYLOAD_TYPE);
    }
}
