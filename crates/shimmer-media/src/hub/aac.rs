//! AAC as an RTMP encoder sent it, kept beside the hub's RTP fan-out for HTTP delivery (HLS).
//! WebRTC viewers get Opus (transcoded at ingest); HLS players get the original AAC, which every
//! HLS player plays (Safari's native HLS does not play Opus). It is not relayed to edges.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::mpsc;

/// Sampling frequencies by `samplingFrequencyIndex` (ISO/IEC 14496-3).
const SAMPLE_RATES: [u32; 13] = [
    96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000,
    7_350,
];

/// How long recent frames are kept, so a new subscriber starts with audio as old as the cached
/// video keyframe.
const KEEP: Duration = Duration::from_secs(4);

/// Frames queued per subscriber (about 10 s at 48 kHz); a full queue drops frames.
const QUEUE: usize = 512;

/// An AudioSpecificConfig, read far enough to describe the track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AacConfig {
    /// The AudioSpecificConfig as sent.
    pub asc: Bytes,
    /// Audio object type (2 = AAC-LC).
    pub object_type: u8,
    /// Samples per second.
    pub sample_rate: u32,
    /// Channel configuration (1 mono, 2 stereo, ...).
    pub channels: u8,
}

impl AacConfig {
    /// Reads an AudioSpecificConfig; None when it is too short or its sample rate is not one
    /// of the standard ones (encoders send a standard rate).
    pub fn parse(asc: &[u8]) -> Option<Self> {
        let bits = u16::from_be_bytes([*asc.first()?, *asc.get(1)?]);
        let object_type = (bits >> 11) as u8;
        let sample_rate = *SAMPLE_RATES.get(usize::from((bits >> 7) & 0x0f))?;
        let channels = ((bits >> 3) & 0x0f) as u8;
        (object_type > 0).then(|| Self {
            asc: Bytes::copy_from_slice(asc),
            object_type,
            sample_rate,
            channels: channels.max(1),
        })
    }

    /// The RFC 6381 codec string, e.g. `mp4a.40.2`.
    pub fn codec_string(&self) -> String {
        format!("mp4a.40.{}", self.object_type)
    }
}

/// One raw AAC frame (1024 samples) and its RTMP timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AacFrame {
    /// The encoder's timestamp, milliseconds.
    pub timestamp_ms: u32,
    /// The raw frame (no ADTS header).
    pub data: Bytes,
    /// When the ingest received it.
    pub received_at: Instant,
}

/// The side track's state inside the hub.
#[derive(Debug, Default)]
pub(crate) struct AacTrack {
    config: Option<AacConfig>,
    recent: VecDeque<Arc<AacFrame>>,
    subscribers: Vec<mpsc::Sender<Arc<AacFrame>>>,
}

impl AacTrack {
    pub(crate) fn set_config(&mut self, config: AacConfig) {
        if self.config.as_ref() != Some(&config) {
            self.recent.clear();
        }
        self.config = Some(config);
    }

    pub(crate) fn config(&self) -> Option<AacConfig> {
        self.config.clone()
    }

    pub(crate) fn publish(&mut self, frame: AacFrame) {
        if self.config.is_none() {
            return;
        }
        let frame = Arc::new(frame);
        while self
            .recent
            .front()
            .is_some_and(|old| frame.received_at.duration_since(old.received_at) > KEEP)
        {
            self.recent.pop_front();
        }
        self.recent.push_back(Arc::clone(&frame));
        self.subscribers
            .retain(|tx| match tx.try_send(Arc::clone(&frame)) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    metrics::counter!("shimmer_hub_aac_frames_dropped_total").increment(1);
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            });
    }

    /// A subscription starting with the kept frames received at or after `since`.
    pub(crate) fn subscribe(
        &mut self,
        since: Instant,
    ) -> Option<(AacConfig, mpsc::Receiver<Arc<AacFrame>>)> {
        let config = self.config.clone()?;
        let (tx, rx) = mpsc::channel(QUEUE);
        for frame in self
            .recent
            .iter()
            .filter(|frame| frame.received_at >= since)
        {
            let _ = tx.try_send(Arc::clone(frame));
        }
        self.subscribers.push(tx);
        Some((config, rx))
    }

    pub(crate) fn end(&mut self) {
        self.subscribers.clear();
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_specific_configs_are_read() {
        let lc_48k_stereo = AacConfig::parse(&[0x11, 0x90]).unwrap();
        assert_eq!(
            (
                lc_48k_stereo.object_type,
                lc_48k_stereo.sample_rate,
                lc_48k_stereo.channels
            ),
            (2, 48_000, 2)
        );
        assert_eq!(lc_48k_stereo.codec_string(), "mp4a.40.2");
        let lc_44k_stereo = AacConfig::parse(&[0x12, 0x10]).unwrap();
        assert_eq!(lc_44k_stereo.sample_rate, 44_100);
        assert_eq!(AacConfig::parse(&[0x12]), None);
        assert_eq!(
            AacConfig::parse(&[0x17, 0x90]),
            None,
            "index 14 is reserved"
        );
    }

    #[test]
    fn subscribers_get_recent_frames_then_live_ones_and_end_with_the_track() {
        let mut track = AacTrack::default();
        let start = Instant::now();
        let frame = |ms: u32| AacFrame {
            timestamp_ms: ms,
            data: Bytes::from_static(b"aac"),
            received_at: start + Duration::from_millis(u64::from(ms)),
        };
        track.publish(frame(0));
        assert!(track.subscribe(start).is_none(), "no config, no track");
        track.set_config(AacConfig::parse(&[0x11, 0x90]).unwrap());
        for ms in [0, 21, 42] {
            track.publish(frame(ms));
        }
        let (_, mut rx) = track.subscribe(start + Duration::from_millis(20)).unwrap();
        track.publish(frame(64));
        let got: Vec<u32> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|frame| frame.timestamp_ms)
            .collect();
        assert_eq!(got, [21, 42, 64]);
        track.end();
        assert!(rx.try_recv().is_err());
    }
}
