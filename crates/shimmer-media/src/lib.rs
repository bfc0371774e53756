#![warn(missing_docs)]
//! # shimmer-media: the media core
//!
//! Everything Shimmer knows about media packets, without any I/O. Ingest protocols (FTL today,
//! WHIP and RTMP later) parse packets with these types, track sequence numbers and ask for
//! retransmissions with [`recovery::RecoveryBuffer`], and hand packets in order to the channel's
//! [`hub::StreamHub`]. Playback (WHEP viewers, relays, the thumbnailer) subscribes to the hub.
//!
//! ```text
//!  datagram ──► rtp::RtpPacket::parse ──► recovery::RecoveryBuffer (per SSRC)
//!                                           │  in order, gaps NACKed (rtcp::build_nack)
//!                                           ▼
//!                                     hub::StreamHub::publish
//!                     ┌───────────────┬─────┴─────────┬──────────────────┐
//!               keyframe cache   packet history   bounded queue     bounded queue
//!              (new viewers)     (viewer NACKs)   subscriber 1 ...  subscriber N
//! ```
//!
//! Design rules (see ARCHITECTURE.md):
//! - **Sans-IO.** No sockets, no runtime, no clock: every time-dependent call takes `now: Instant`,
//!   so tests drive minutes of protocol in milliseconds. The hub uses `tokio::sync::mpsc` channels
//!   only because they are bounded and runtime-agnostic.
//! - **Parsers never panic** on input; each one has a fuzz target in `/fuzz`.
//! - **Packetize once.** A packet is an `Arc<MediaPacket>` whose payload is a `bytes::Bytes`; fan-out
//!   clones a pointer, never the bytes.
//! - **Publishing never blocks.** A subscriber that falls behind is skipped to the next keyframe.

pub mod h264;
pub mod hub;
pub mod opus;
pub mod recovery;
pub mod rtcp;
pub mod rtp;
pub mod seq;

pub use hub::{
    HubEvent, HubRegistry, MediaKind, MediaPacket, StreamHub, StreamInfo, Subscriber,
    SubscriberOptions,
};
