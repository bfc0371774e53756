//! AAC-LC → Opus, once per stream: browsers' WebRTC plays Opus, RTMP encoders send AAC.
//!
//! Each raw AAC frame (1024 samples) is decoded with symphonia's AAC-LC decoder, made stereo,
//! resampled to 48 kHz with rubato's FFT resampler when the source rate differs, cut into 20 ms
//! frames (960 samples) and encoded with libopus (application `audio`, configurable bitrate,
//! in-band FEC). One [`AacToOpus`] serves every viewer of the stream.
//!
//! **Timestamps** come from the source, not from a free-running counter: the first sample of a
//! run sits at the AAC frame's RTMP timestamp (× 48 on the 48 kHz RTP clock), and Opus frames
//! follow at 960-sample steps. When a source timestamp strays from that position by more than
//! [`RESYNC_THRESHOLD_MS`] (a gap, a reconnect, an encoder clock jump) the run restarts at the
//! source timestamp, so audio stays aligned with video whose RTP clock is also the RTMP
//! timestamp. The resampler's delay is dropped at the start of each run so output sample 0 is
//! input sample 0.
//!
//! HE-AAC (SBR/PS), AAC other than LC, more than two channels, MP3 and other codecs are
//! [`UnsupportedAudio`]: the stream goes on with video only and the streamer is told why.

use std::panic::AssertUnwindSafe;

use bytes::Bytes;
use rubato::{FftFixedIn, Resampler};
use symphonia_codec_aac::AacDecoder;
use symphonia_core::audio::{Channels, Position};
use symphonia_core::codecs::audio::well_known::CODEC_ID_AAC;
use symphonia_core::codecs::audio::{AudioCodecParameters, AudioDecoder, AudioDecoderOptions};
use symphonia_core::packet::PacketRef;
use symphonia_core::units::{Duration, Timestamp};
use thiserror::Error;

use crate::flv::{AudioCodec, AudioSpecificConfig, FlvError};

/// The Opus and RTP clock rate.
pub const OPUS_RATE: u32 = 48_000;
/// Samples per channel in one 20 ms Opus frame.
pub const OPUS_FRAME_SAMPLES: usize = 960;
/// Samples per channel in one AAC-LC frame.
const AAC_FRAME_SAMPLES: usize = 1024;
/// How far a source timestamp may stray from the running position before the run restarts.
pub const RESYNC_THRESHOLD_MS: i64 = 200;
/// The largest Opus packet libopus is asked to produce (its documented maximum is 1275 bytes per
/// frame).
const MAX_OPUS_PACKET: usize = 1500;

/// Opus encoder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpusSettings {
    /// Target bitrate in bits per second (stereo).
    pub bitrate: u32,
    /// In-band forward error correction (LBRR), so a viewer can rebuild a lost frame from the
    /// next one.
    pub fec: bool,
    /// Expected packet loss in percent; libopus spends FEC bits only when this is above zero.
    pub expected_loss_percent: u8,
}

impl Default for OpusSettings {
    fn default() -> Self {
        Self {
            bitrate: 128_000,
            fec: true,
            expected_loss_percent: 5,
        }
    }
}

/// Audio that cannot be passed on or transcoded: the stream continues with video only, and this
/// is what the streamer is told.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnsupportedAudio {
    /// HE-AAC or HE-AAC v2 (spectral band replication, parametric stereo).
    #[error("the encoder sends HE-AAC, which cannot be converted for web viewers: set the audio codec to AAC-LC (plain AAC)")]
    HeAac,
    /// An AAC object type other than LC.
    #[error("the encoder sends AAC object type {0}, which cannot be converted for web viewers: set the audio codec to AAC-LC (plain AAC)")]
    AacObjectType(u8),
    /// More than two channels, or a channel layout in a program config element.
    #[error(
        "the encoder sends AAC with channel configuration {0}: set the audio to mono or stereo"
    )]
    Channels(u8),
    /// A sampling rate the resampler refuses.
    #[error("the encoder sends audio at {0} Hz: use 44.1 or 48 kHz")]
    SampleRate(u32),
    /// A codec other than AAC or Opus.
    #[error("the encoder sends {0} audio, which web viewers cannot play: set the audio codec to AAC-LC or Opus")]
    Codec(String),
    /// An AAC sequence header that cannot be read.
    #[error("the encoder's AAC configuration cannot be read: {0}")]
    BadConfig(FlvError),
}

impl UnsupportedAudio {
    /// The warning for a codec other than AAC or Opus.
    pub fn codec(codec: AudioCodec) -> Self {
        UnsupportedAudio::Codec(codec.name())
    }
}

/// A transcoding step failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TranscodeError {
    /// The audio cannot be transcoded at all.
    #[error(transparent)]
    Unsupported(#[from] UnsupportedAudio),
    /// One AAC frame could not be decoded (it is skipped; the stream goes on).
    #[error("AAC frame could not be decoded: {0}")]
    Decode(String),
    /// The resampler failed.
    #[error("resampling failed: {0}")]
    Resample(String),
    /// libopus failed.
    #[error("Opus encoder: {0}")]
    Encode(String),
}

/// One encoded 20 ms Opus frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpusFrame {
    /// The Opus packet.
    pub data: Bytes,
    /// RTP timestamp on the 48 kHz clock, derived from the RTMP timestamp (milliseconds × 48).
    pub rtp_timestamp: u32,
}

fn new_decoder(params: &AudioCodecParameters) -> Result<AacDecoder, TranscodeError> {
    AacDecoder::try_new(params, &AudioDecoderOptions::default())
        .map_err(|e| TranscodeError::Decode(e.to_string()))
}

/// The once-per-stream AAC → Opus transcoder.
pub struct AacToOpus {
    decoder: AacDecoder,
    /// The decoder's parameters, to rebuild it after it panicked.
    params: AudioCodecParameters,
    /// Interleaved samples of the last decoded AAC frame (kept to reuse its allocation).
    samples: Vec<f32>,
    source_channels: usize,
    source_rate: u32,
    resampler: Option<FftFixedIn<f32>>,
    /// Planar stereo at the source rate, waiting for a full resampler chunk.
    pending_in: [Vec<f32>; 2],
    /// Interleaved stereo at 48 kHz, waiting for a full Opus frame.
    pending_out: Vec<f32>,
    /// Resampler output frames still to drop at the start of a run (its delay).
    skip_out: usize,
    encoder: opus::Encoder,
    /// The 48 kHz position of the run's first sample, in RTP ticks (extended, not wrapped).
    anchor: Option<i64>,
    /// Source frames fed since the anchor.
    fed: u64,
    /// 48 kHz frames encoded since the anchor.
    emitted: u64,
}

impl std::fmt::Debug for AacToOpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AacToOpus")
            .field("source_rate", &self.source_rate)
            .field("source_channels", &self.source_channels)
            .field("anchor", &self.anchor)
            .finish_non_exhaustive()
    }
}

impl AacToOpus {
    /// A transcoder for the stream whose AAC sequence header carried `audio_specific_config`.
    pub fn new(
        audio_specific_config: &[u8],
        settings: OpusSettings,
    ) -> Result<Self, TranscodeError> {
        let asc = AudioSpecificConfig::parse(audio_specific_config)
            .map_err(UnsupportedAudio::BadConfig)?;
        if asc.sbr || asc.ps {
            return Err(UnsupportedAudio::HeAac.into());
        }
        if asc.object_type != 2 {
            return Err(UnsupportedAudio::AacObjectType(asc.object_type).into());
        }
        if !asc.is_plain_lc() {
            return Err(UnsupportedAudio::Channels(asc.channel_config).into());
        }
        let layout = Channels::Positioned(if asc.channel_config == 1 {
            Position::FRONT_LEFT
        } else {
            Position::FRONT_LEFT | Position::FRONT_RIGHT
        });
        let mut params = AudioCodecParameters::new();
        params
            .for_codec(CODEC_ID_AAC)
            .with_sample_rate(asc.sample_rate)
            .with_channels(layout)
            .with_extra_data(audio_specific_config.to_vec().into_boxed_slice());
        let decoder = new_decoder(&params)?;

        let mut encoder =
            opus::Encoder::new(OPUS_RATE, opus::Channels::Stereo, opus::Application::Audio)
                .map_err(|e| TranscodeError::Encode(e.to_string()))?;
        let bitrate = i32::try_from(settings.bitrate.clamp(6_000, 510_000)).unwrap_or(128_000);
        let configure = |encoder: &mut opus::Encoder| -> Result<(), opus::Error> {
            encoder.set_bitrate(opus::Bitrate::Bits(bitrate))?;
            encoder.set_inband_fec(settings.fec)?;
            encoder.set_packet_loss_perc(i32::from(settings.expected_loss_percent.min(100)))
        };
        configure(&mut encoder).map_err(|e| TranscodeError::Encode(e.to_string()))?;

        let mut transcoder = Self {
            decoder,
            params,
            samples: Vec::new(),
            source_channels: usize::from(asc.channel_config),
            source_rate: asc.sample_rate,
            resampler: None,
            pending_in: [Vec::new(), Vec::new()],
            pending_out: Vec::new(),
            skip_out: 0,
            encoder,
            anchor: None,
            fed: 0,
            emitted: 0,
        };
        transcoder.restart_run()?;
        Ok(transcoder)
    }

    /// The source sampling rate.
    pub fn source_rate(&self) -> u32 {
        self.source_rate
    }

    /// Transcodes one raw AAC frame with its RTMP timestamp; returns the Opus frames completed.
    pub fn push(
        &mut self,
        aac_frame: &[u8],
        timestamp_ms: u32,
    ) -> Result<Vec<OpusFrame>, TranscodeError> {
        self.resync(timestamp_ms)?;
        let packet = PacketRef::new(
            0,
            Timestamp::ZERO,
            Duration::new(AAC_FRAME_SAMPLES as u64),
            aac_frame,
        );
        // The decoder is third-party code fed by the streamer: a panic on a malformed frame
        // costs that frame (and a fresh decoder), not the stream's audio.
        let decoder = &mut self.decoder;
        let samples = &mut self.samples;
        let decoded = std::panic::catch_unwind(AssertUnwindSafe(|| {
            decoder
                .decode_ref(&packet)
                .map(|buffer| buffer.copy_to_vec_interleaved(samples))
        }));
        match decoded {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(TranscodeError::Decode(e.to_string())),
            Err(_) => {
                self.decoder = new_decoder(&self.params)?;
                return Err(TranscodeError::Decode(
                    "the AAC decoder failed on a malformed frame and was restarted".into(),
                ));
            }
        }
        let interleaved = &self.samples;
        let channels = self.source_channels.max(1);
        let frames = interleaved.len() / channels;
        for frame in interleaved.chunks_exact(channels) {
            let left = frame[0];
            let right = frame.get(1).copied().unwrap_or(left);
            self.pending_in[0].push(left);
            self.pending_in[1].push(right);
        }
        self.fed += frames as u64;
        self.drain_input()?;
        self.encode_ready()
    }

    /// Restarts the run at `timestamp_ms` when it strays too far from the running position.
    fn resync(&mut self, timestamp_ms: u32) -> Result<(), TranscodeError> {
        let source = i64::from(timestamp_ms) * i64::from(OPUS_RATE / 1000);
        if let Some(anchor) = self.anchor {
            let position =
                anchor + (self.fed * u64::from(OPUS_RATE) / u64::from(self.source_rate)) as i64;
            let drift = (source - position).abs();
            if drift <= RESYNC_THRESHOLD_MS * i64::from(OPUS_RATE / 1000) {
                return Ok(());
            }
            self.restart_run()?;
        }
        self.anchor = Some(source);
        Ok(())
    }

    fn restart_run(&mut self) -> Result<(), TranscodeError> {
        self.pending_in.iter_mut().for_each(Vec::clear);
        self.pending_out.clear();
        self.fed = 0;
        self.emitted = 0;
        self.anchor = None;
        self.resampler = if self.source_rate == OPUS_RATE {
            None
        } else {
            let resampler = FftFixedIn::<f32>::new(
                self.source_rate as usize,
                OPUS_RATE as usize,
                AAC_FRAME_SAMPLES,
                2,
                2,
            )
            .map_err(|_| UnsupportedAudio::SampleRate(self.source_rate))?;
            Some(resampler)
        };
        self.skip_out = self.resampler.as_ref().map_or(0, |r| r.output_delay());
        Ok(())
    }

    /// Moves source samples through the resampler (or straight across at 48 kHz).
    fn drain_input(&mut self) -> Result<(), TranscodeError> {
        let Some(resampler) = &mut self.resampler else {
            let [left, right] = &mut self.pending_in;
            for (l, r) in left.drain(..).zip(right.drain(..)) {
                self.pending_out.extend_from_slice(&[l, r]);
            }
            return Ok(());
        };
        while self.pending_in[0].len() >= resampler.input_frames_next() {
            let needed = resampler.input_frames_next();
            let chunk = [&self.pending_in[0][..needed], &self.pending_in[1][..needed]];
            let out = resampler
                .process(&chunk, None)
                .map_err(|e| TranscodeError::Resample(e.to_string()))?;
            self.pending_in.iter_mut().for_each(|c| {
                c.drain(..needed);
            });
            let skip = self.skip_out.min(out[0].len());
            self.skip_out -= skip;
            for (l, r) in out[0][skip..].iter().zip(&out[1][skip..]) {
                self.pending_out.extend_from_slice(&[*l, *r]);
            }
        }
        Ok(())
    }

    fn encode_ready(&mut self) -> Result<Vec<OpusFrame>, TranscodeError> {
        let mut frames = Vec::new();
        let frame_len = OPUS_FRAME_SAMPLES * 2;
        let anchor = self.anchor.unwrap_or_default();
        let mut consumed = 0;
        let mut packet = [0u8; MAX_OPUS_PACKET];
        while self.pending_out.len() - consumed >= frame_len {
            let pcm = &self.pending_out[consumed..consumed + frame_len];
            let len = self
                .encoder
                .encode_float(pcm, &mut packet)
                .map_err(|e| TranscodeError::Encode(e.to_string()))?;
            frames.push(OpusFrame {
                data: Bytes::copy_from_slice(&packet[..len]),
                rtp_timestamp: (anchor + self.emitted as i64) as u32,
            });
            self.emitted += OPUS_FRAME_SAMPLES as u64;
            consumed += frame_len;
        }
        self.pending_out.drain(..consumed);
        Ok(frames)
    }
}
