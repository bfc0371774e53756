//! The StreamHub: one per live channel, between the ingest session (the only publisher) and
//! everything that plays the stream (WebRTC viewers, relays, thumbnailer).
//!
//! - **Publishing never blocks.** [`StreamHub::publish`] takes a short per-hub lock, tries to
//!   enqueue a pointer on each subscriber's bounded queue and returns. A full queue marks that
//!   subscriber as behind: it gets nothing until the next keyframe, then a [`HubEvent::Resync`]
//!   and the keyframe. So a slow or stuck viewer costs the publisher one failed `try_send` per
//!   packet and never delays anyone else.
//! - **New viewers start at once.** The keyframe cache holds the last keyframe and what followed;
//!   a new [`Subscriber`] reads that first, then live packets, with nothing lost or duplicated
//!   between the two (both are taken under the same lock).
//! - **Retransmissions:** the packet history ([`StreamHub::lookup`]) keeps recent packets by
//!   original sequence number for forwarders that answer losses themselves. WebRTC viewers' NACKs
//!   are answered by str0m's per-session send cache instead, because str0m owns the
//!   retransmission stream's sequence numbers and SRTP indexes (BENCHMARKS.md, WebRTC fan-out).
//! - **Keyframe requests:** a viewer that lost its picture asks the hub
//!   ([`StreamHub::request_keyframe`]); a publisher that can make keyframes on request (WHIP)
//!   waits on [`StreamHub::keyframe_requested`] and asks its encoder, rate-limited on its side.
//!   Publishers that cannot (FTL, RTMP) never wait, and the requests cost one atomic store.
//! - **End of stream:** [`StreamHub::end`] drops every queue's sender, so each subscriber's
//!   `recv` returns None after the queued packets.
//!
//! A forwarder (e.g. WHEP on str0m in RTP mode) uses: [`StreamHub::info`] for the SDP, then per
//! [`MediaPacket`]: `kind`, `sequence`, `timestamp`, `marker`, `payload_type`, `ssrc`, `payload`
//! and `keyframe_start`.

mod aac;
mod history;
mod info;
mod keyframe_cache;
mod packet;
mod registry;
mod subscriber;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use metrics::Counter;
use tokio::sync::mpsc;

pub use aac::{AacConfig, AacFrame};
pub use info::{AudioCodec, AudioTrackInfo, StreamInfo, VideoCodec, VideoTrackInfo};
pub use packet::{MediaKind, MediaPacket};
pub use registry::HubRegistry;
pub use subscriber::{HubEvent, Subscriber, SubscriberOptions, TryRecvError};

use crate::h264::{self, H264Format};
use crate::opus;
use aac::AacTrack;
use history::PacketHistory;
use keyframe_cache::KeyframeCache;
use subscriber::SubscriberCounters;

/// Sizes of a hub's buffers.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Default per-subscriber queue length in packets.
    pub subscriber_queue: usize,
    /// Longest GOP (packets, audio included) the keyframe cache holds.
    pub keyframe_cache_packets: usize,
    /// Video packets kept for NACKs.
    pub history_video: usize,
    /// Audio packets kept for NACKs.
    pub history_audio: usize,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            subscriber_queue: 1024,
            keyframe_cache_packets: 8192,
            history_video: 2048,
            history_audio: 512,
        }
    }
}

/// Counters of one hub.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubStats {
    /// Packets published.
    pub packets: u64,
    /// Video packets published.
    pub video_packets: u64,
    /// Audio packets published.
    pub audio_packets: u64,
    /// Keyframes that became current in the cache.
    pub keyframes: u64,
    /// Current subscribers.
    pub subscribers: usize,
    /// Subscriber queue overflows (each one skips that subscriber to the next keyframe).
    pub overflows: u64,
}

#[derive(Debug, PartialEq, Eq)]
enum SlotState {
    Live,
    /// Behind: waiting for a keyframe; counts packets not delivered.
    WaitingKeyframe {
        skipped: u64,
    },
}

#[derive(Debug)]
struct Slot {
    id: u64,
    tx: mpsc::Sender<HubEvent>,
    capacity: usize,
    state: SlotState,
    counters: Arc<SubscriberCounters>,
    /// [`SubscriberOptions::frame_runs`]: the packets of the frame in progress, each with
    /// whether it is a sync point, held until the run ends.
    frame_runs: bool,
    held: Vec<(Arc<MediaPacket>, bool)>,
}

#[derive(Debug)]
struct HubState {
    info: StreamInfo,
    cache: KeyframeCache,
    history: PacketHistory,
    slots: Vec<Slot>,
    next_id: u64,
    stats: HubStats,
    /// Timestamp of the current video access unit and whether its keyframe start was marked.
    video_au: Option<(u32, bool)>,
    last_sps: Vec<u8>,
}

/// Metric handles, registered once per hub so publishing does not build labels.
#[derive(Debug)]
struct HubMetrics {
    packets: Counter,
    overflows: Counter,
    keyframes: Counter,
}

/// See the module docs.
#[derive(Debug)]
pub struct StreamHub {
    channel_id: i64,
    config: HubConfig,
    ended: AtomicBool,
    /// A video frame came with an earlier timestamp than the one before it: the source sends
    /// B-frames, which WebRTC players show out of order (such viewers are better served by HLS).
    reorders: AtomicBool,
    state: Mutex<HubState>,
    /// The encoder's AAC, when it sent AAC (RTMP), for HLS.
    aac: Mutex<AacTrack>,
    metrics: HubMetrics,
    /// Viewers' keyframe requests, coalesced into one stored permit until the publisher reads it.
    keyframe_wanted: tokio::sync::Notify,
}

impl StreamHub {
    /// A hub for a channel's stream. Normally created through [`HubRegistry::create`].
    pub fn new(channel_id: i64, info: StreamInfo, config: HubConfig) -> Self {
        let label = channel_id.to_string();
        Self {
            channel_id,
            ended: AtomicBool::new(false),
            reorders: AtomicBool::new(false),
            state: Mutex::new(HubState {
                info,
                cache: KeyframeCache::new(config.keyframe_cache_packets),
                history: PacketHistory::new(config.history_video, config.history_audio),
                slots: Vec::new(),
                next_id: 1,
                stats: HubStats::default(),
                video_au: None,
                last_sps: Vec::new(),
            }),
            aac: Mutex::new(AacTrack::default()),
            metrics: HubMetrics {
                packets: metrics::counter!("shimmer_hub_packets_total", "channel" => label.clone()),
                overflows: metrics::counter!("shimmer_hub_subscriber_overflows_total", "channel" => label.clone()),
                keyframes: metrics::counter!("shimmer_hub_keyframes_total", "channel" => label),
            },
            config,
            keyframe_wanted: tokio::sync::Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HubState> {
        // State stays consistent across a panic in a subscriber-independent section; keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The channel this hub belongs to.
    pub fn channel_id(&self) -> i64 {
        self.channel_id
    }

    fn aac(&self) -> MutexGuard<'_, AacTrack> {
        self.aac.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps the encoder's AAC configuration (an RTMP sequence header); false when it cannot be
    /// read, and the AAC side track then stays off.
    pub fn set_aac_config(&self, asc: &[u8]) -> bool {
        match AacConfig::parse(asc) {
            Some(config) => {
                self.aac().set_config(config);
                true
            }
            None => false,
        }
    }

    /// The encoder's AAC configuration, if it sends AAC.
    pub fn aac_config(&self) -> Option<AacConfig> {
        self.aac().config()
    }

    /// Hands an AAC frame to the side track's subscribers (never blocks; a full queue drops it).
    pub fn publish_aac(&self, frame: AacFrame) {
        if !self.is_ended() {
            self.aac().publish(frame);
        }
    }

    /// Subscribes to the AAC side track, starting with the kept frames received at or after
    /// `since`; None when the stream has no AAC. The receiver ends with the stream.
    pub fn subscribe_aac(
        &self,
        since: std::time::Instant,
    ) -> Option<(AacConfig, mpsc::Receiver<Arc<AacFrame>>)> {
        if self.is_ended() {
            return None;
        }
        self.aac().subscribe(since)
    }

    /// True once the video was seen to reorder frames (the source sends B-frames).
    pub fn reorders(&self) -> bool {
        self.reorders.load(Ordering::Relaxed)
    }

    /// True once the stream has ended.
    pub fn is_ended(&self) -> bool {
        self.ended.load(Ordering::Acquire)
    }

    /// The stream's description for building an SDP. The SPS fields appear with the first SPS.
    pub fn info(&self) -> StreamInfo {
        self.lock().info.clone()
    }

    /// True once a complete keyframe is cached (a new subscriber will start playing at once).
    pub fn has_keyframe(&self) -> bool {
        self.lock().cache.has_keyframe()
    }

    /// The video packets of the last complete keyframe (SPS, PPS and IDR slices, in order), or
    /// None before the first one. Copies pointers only, under the same short lock as a publish, so
    /// a reader such as the thumbnailer never holds up the ingest; decoding happens elsewhere.
    pub fn latest_keyframe(&self) -> Option<Vec<Arc<MediaPacket>>> {
        let packets = self.lock().cache.keyframe();
        (!packets.is_empty()).then_some(packets)
    }

    /// The hub's counters.
    pub fn stats(&self) -> HubStats {
        let s = self.lock();
        HubStats {
            subscribers: s.slots.len(),
            ..s.stats
        }
    }

    /// Asks the publisher for a new keyframe (a viewer's PLI or FIR). Never blocks; requests
    /// made before the publisher looks are coalesced into one.
    pub fn request_keyframe(&self) {
        if !self.is_ended() {
            self.keyframe_wanted.notify_one();
        }
    }

    /// Resolves when a viewer asked for a keyframe since the last call (for publishers whose
    /// encoder can make one on request).
    pub async fn keyframe_requested(&self) {
        self.keyframe_wanted.notified().await;
    }

    /// A recent packet by kind and original sequence number, to answer a viewer's NACK.
    pub fn lookup(&self, kind: MediaKind, sequence: u16) -> Option<Arc<MediaPacket>> {
        self.lock().history.get(kind, sequence)
    }

    /// Subscribes. The subscriber first reads the cached GOP (if a keyframe is cached), then live
    /// packets; without a cached keyframe it starts at the next keyframe. After the hub ended it
    /// gets an already-ended subscription.
    pub fn subscribe(self: &Arc<Self>, options: SubscriberOptions) -> Subscriber {
        let capacity = options
            .queue_capacity
            .unwrap_or(self.config.subscriber_queue)
            .max(4);
        let (tx, rx) = mpsc::channel(capacity);
        let counters = Arc::new(SubscriberCounters::default());
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        let mut backlog = VecDeque::new();
        if !self.is_ended() {
            backlog.extend(state.cache.snapshot());
            let slot_state = if backlog.is_empty() {
                SlotState::WaitingKeyframe { skipped: 0 }
            } else {
                SlotState::Live
            };
            state.slots.push(Slot {
                id,
                tx,
                capacity,
                state: slot_state,
                counters: Arc::clone(&counters),
                frame_runs: options.frame_runs,
                held: Vec::new(),
            });
        }
        Subscriber {
            id,
            backlog,
            rx,
            counters,
            hub: Arc::clone(self),
        }
    }

    /// Where a consumer that shares one subscription among many viewers starts a new one: the
    /// cached GOP (empty without a cached keyframe) and the index of the last packet published,
    /// taken together. Packets of the shared subscription up to that index are already in the
    /// backlog (or before it); without a backlog the viewer starts at the next keyframe.
    pub fn join_point(&self) -> JoinPoint {
        let state = self.lock();
        JoinPoint {
            backlog: state.cache.snapshot(),
            after: state.stats.packets,
        }
    }

    /// Publishes one packet (in sequence order per track) to the cache, the history and every
    /// subscriber. Never blocks. Sets `keyframe_start`, learns the SPS and Opus channel count.
    /// Returns the shared packet, or None if the hub has ended.
    pub fn publish(&self, mut packet: MediaPacket) -> Option<Arc<MediaPacket>> {
        if self.is_ended() {
            return None;
        }
        let mut guard = self.lock();
        let state = &mut *guard;
        let mut new_format = None;
        packet.keyframe_start = false;
        match packet.kind {
            MediaKind::Video => {
                state.stats.video_packets += 1;
                let marked = match state.video_au {
                    Some((ts, marked)) if ts == packet.timestamp => marked,
                    Some((ts, _)) => {
                        if (packet.timestamp.wrapping_sub(ts) as i32) < 0 {
                            self.reorders.store(true, Ordering::Relaxed);
                        }
                        false
                    }
                    None => false,
                };
                if !marked && h264::begins_keyframe_nal(&packet.payload) {
                    packet.keyframe_start = true;
                }
                state.video_au = Some((packet.timestamp, marked || packet.keyframe_start));
                if let Some(sps) = h264::find_sps(&packet.payload) {
                    if sps != state.last_sps.as_slice() {
                        state.last_sps = sps.to_vec();
                        if let (Ok(parsed), Some(v)) =
                            (h264::parse_sps(sps), state.info.video.as_mut())
                        {
                            let format = H264Format::of(&parsed);
                            if v.sps.map(|old| H264Format::of(&old)) != Some(format) {
                                new_format = Some(format);
                            }
                            v.sps = Some(parsed);
                        }
                    }
                }
            }
            MediaKind::Audio => {
                state.stats.audio_packets += 1;
                if let (Some(2), Some(a)) = (
                    opus::toc_channels(&packet.payload),
                    state.info.audio.as_mut(),
                ) {
                    a.channels = 2;
                }
            }
        }
        state.stats.packets += 1;
        packet.set_hub_index(state.stats.packets);
        let packet = Arc::new(packet);
        self.metrics.packets.increment(1);
        state.history.insert(&packet);
        if state.cache.push(&packet) {
            state.stats.keyframes += 1;
            self.metrics.keyframes.increment(1);
        }
        // A packet where a skipped subscriber can rejoin: a keyframe start, or any audio packet
        // when there is no video (every Opus packet decodes on its own).
        let sync_point = packet.keyframe_start
            || (packet.kind == MediaKind::Audio && state.info.video.is_none());
        let mut overflows = 0;
        state
            .slots
            .retain_mut(|slot| deliver(slot, &packet, sync_point, &mut overflows));
        state.stats.overflows += overflows;
        self.metrics.overflows.increment(overflows);
        drop(guard);
        if let Some(format) = new_format {
            self.log_format(format);
        }
        Some(packet)
    }

    /// Tells the operator, once per stream and format, when browsers may not play the stream.
    /// Encoders cannot be told (FTL has no message channel back); the streamer's dashboard says
    /// the same from the recorded stream metadata.
    fn log_format(&self, format: H264Format) {
        let channel_id = self.channel_id;
        let profile = format.profile_name();
        match format.playback_warning() {
            Some(warning @ h264::PlaybackWarning::NotPlayable { .. }) => tracing::warn!(
                channel_id,
                %profile,
                chroma_format_idc = format.chroma_format_idc,
                bit_depth = format.bit_depth,
                "{warning} (viewers get audio only; the streamer's dashboard shows this warning)"
            ),
            Some(warning) => tracing::info!(channel_id, %profile, "{warning}"),
            None => tracing::debug!(channel_id, %profile, "stream format"),
        }
    }

    /// Ends the stream: every subscriber's queue is closed (their `recv` returns None after the
    /// queued packets) and the buffers are freed. Idempotent.
    pub fn end(&self) {
        if self.ended.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut state = self.lock();
        // What frame-run subscribers still hold goes first: they read to the end.
        let mut overflows = 0;
        for slot in &mut state.slots {
            release_held(slot, &mut overflows);
        }
        state.slots.clear();
        state.cache.clear();
        state.history.clear();
        drop(state);
        self.aac().end();
    }
}

/// See [`StreamHub::join_point`].
#[derive(Debug, Clone, Default)]
pub struct JoinPoint {
    /// The cached GOP from its keyframe, in order; empty when no keyframe is cached.
    pub backlog: Vec<Arc<MediaPacket>>,
    /// The [`MediaPacket::hub_index`] of the last packet published when the point was taken.
    pub after: u64,
}

/// The most packets a frame-run subscriber's slot holds back: ~19 KB, a typical P-frame of a
/// 4 Mbit/s stream, about a burst of a viewer's pacer.
pub const FRAME_RUN_PACKETS: usize = 16;

/// Offers one packet to one subscriber, at once or, for a frame-run subscriber, with the rest
/// of its frame. Returns false when the subscriber is gone.
fn deliver(
    slot: &mut Slot,
    packet: &Arc<MediaPacket>,
    sync_point: bool,
    overflows: &mut u64,
) -> bool {
    if !slot.frame_runs {
        return fan_out(slot, packet, sync_point, overflows);
    }
    let video = packet.kind == MediaKind::Video;
    let next_frame = video
        && slot
            .held
            .last()
            .is_some_and(|(held, _)| held.timestamp != packet.timestamp);
    // A new frame began without the last one's marker: the last one is as whole as it gets.
    if next_frame && !release_held(slot, overflows) {
        return false;
    }
    slot.held.push((Arc::clone(packet), sync_point));
    if !video || packet.marker || slot.held.len() >= FRAME_RUN_PACKETS {
        return release_held(slot, overflows);
    }
    true
}

/// Offers a frame-run subscriber what its slot holds, in order. Returns false when the
/// subscriber is gone.
fn release_held(slot: &mut Slot, overflows: &mut u64) -> bool {
    let mut held = std::mem::take(&mut slot.held);
    let mut alive = true;
    for (packet, sync_point) in held.drain(..) {
        alive = alive && fan_out(slot, &packet, sync_point, overflows);
    }
    slot.held = held;
    alive
}

/// Offers one packet to one subscriber. Returns false when the subscriber is gone.
fn fan_out(
    slot: &mut Slot,
    packet: &Arc<MediaPacket>,
    sync_point: bool,
    overflows: &mut u64,
) -> bool {
    use mpsc::error::TrySendError;
    if let SlotState::WaitingKeyframe { skipped } = &mut slot.state {
        if slot.tx.is_closed() {
            return false;
        }
        // Rejoin only with room for the keyframe burst to start, so a still-slow subscriber does
        // not overflow again on the very next packet.
        if !(sync_point && slot.tx.capacity() >= (slot.capacity / 4).max(2)) {
            *skipped += 1;
            slot.counters.skipped.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        let skipped = *skipped;
        if skipped > 0 && slot.tx.try_send(HubEvent::Resync { skipped }).is_err() {
            return !slot.tx.is_closed();
        }
        slot.state = SlotState::Live;
    }
    match slot.tx.try_send(HubEvent::Packet(Arc::clone(packet))) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => {
            *overflows += 1;
            slot.counters.overflows.fetch_add(1, Ordering::Relaxed);
            slot.counters.skipped.fetch_add(1, Ordering::Relaxed);
            slot.state = SlotState::WaitingKeyframe { skipped: 1 };
            tracing::debug!(
                subscriber = slot.id,
                "subscriber queue full; skipping to next keyframe"
            );
            true
        }
        Err(TrySendError::Closed(_)) => false,
    }
}

#[cfg(test)]
mod tests;
