//! The per-stream audio thread: AAC → Opus (or Opus passed through) into the hub.
//!
//! Decoding and encoding cost about a millisecond per AAC frame in an unoptimised build; on its
//! own thread that never delays the connection task reading video. The queue is bounded: if the
//! thread falls behind, frames are dropped (counted and logged) rather than buffered without
//! bound.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use shimmer_media::StreamHub;

use crate::rtp::AudioPacketizer;
use crate::transcode::{AacToOpus, OpusSettings, TranscodeError, UnsupportedAudio};

/// Frames queued for the audio thread (about 3 s of AAC).
const QUEUE: usize = 128;

/// Work for the audio thread.
pub(super) enum AudioJob {
    /// A new AAC sequence header (AudioSpecificConfig).
    AacConfig(Bytes),
    /// A raw AAC frame and its RTMP timestamp.
    Aac(Bytes, u32),
    /// An Opus packet passed through, with its RTMP timestamp.
    Opus(Bytes, u32),
}

/// The connection task's handle on the audio thread.
pub(super) struct AudioThread {
    tx: Option<SyncSender<AudioJob>>,
    /// The latest reason the audio cannot be used, for the stream's warning.
    pub warning: Arc<Mutex<Option<UnsupportedAudio>>>,
    dropped: u64,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl AudioThread {
    pub(super) fn spawn(
        hub: Arc<StreamHub>,
        ssrc: u32,
        settings: OpusSettings,
        channel_id: i64,
    ) -> Self {
        let (tx, rx) = sync_channel(QUEUE);
        let warning = Arc::new(Mutex::new(None));
        let shared_warning = Arc::clone(&warning);
        let handle = std::thread::Builder::new()
            .name(format!("rtmp-audio-{channel_id}"))
            .spawn(move || run(rx, hub, ssrc, settings, shared_warning, channel_id))
            .ok();
        Self {
            tx: Some(tx),
            warning,
            dropped: 0,
            handle,
        }
    }

    /// Queues a job without waiting; a full queue drops it.
    pub(super) fn send(&mut self, job: AudioJob) {
        let Some(tx) = &self.tx else { return };
        match tx.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.dropped += 1;
                metrics::counter!("shimmer_rtmp_audio_frames_dropped_total").increment(1);
                if self.dropped.is_power_of_two() {
                    tracing::warn!(
                        dropped = self.dropped,
                        "RTMP audio thread behind; frames dropped"
                    );
                }
            }
            Err(TrySendError::Disconnected(_)) => self.tx = None,
        }
    }
}

impl Drop for AudioThread {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn run(
    rx: Receiver<AudioJob>,
    hub: Arc<StreamHub>,
    ssrc: u32,
    settings: OpusSettings,
    warning: Arc<Mutex<Option<UnsupportedAudio>>>,
    channel_id: i64,
) {
    let mut packetizer = AudioPacketizer::new(ssrc, rand::random());
    let mut transcoder: Option<AacToOpus> = None;
    let mut decode_errors = 0u64;
    let set_warning = |w: Option<UnsupportedAudio>| {
        *warning.lock().unwrap_or_else(|e| e.into_inner()) = w;
    };
    while let Ok(job) = rx.recv() {
        match job {
            AudioJob::AacConfig(config) => match AacToOpus::new(&config, settings) {
                Ok(t) => {
                    transcoder = Some(t);
                    set_warning(None);
                }
                Err(TranscodeError::Unsupported(reason)) => {
                    tracing::warn!(channel_id, %reason, "RTMP audio cannot be transcoded; the stream goes on with video only");
                    transcoder = None;
                    set_warning(Some(reason));
                }
                Err(error) => {
                    tracing::warn!(channel_id, %error, "RTMP audio transcoder could not start");
                    transcoder = None;
                }
            },
            AudioJob::Aac(frame, timestamp) => {
                let Some(t) = transcoder.as_mut() else {
                    continue;
                };
                match t.push(&frame, timestamp) {
                    Ok(frames) => {
                        let now = Instant::now();
                        for f in frames {
                            hub.publish(packetizer.frame(f, now));
                        }
                    }
                    Err(error) => {
                        decode_errors += 1;
                        metrics::counter!("shimmer_rtmp_audio_decode_errors_total").increment(1);
                        if decode_errors.is_power_of_two() {
                            tracing::warn!(channel_id, %error, decode_errors, "AAC frame skipped");
                        }
                    }
                }
            }
            AudioJob::Opus(packet, timestamp) => {
                hub.publish(packetizer.passthrough(packet, timestamp, Instant::now()));
            }
        }
    }
}
