#![warn(missing_docs)]
//! # shimmer-rtmp: RTMP ingest
//!
//! Encoders of every kind (OBS, ffmpeg, vMix, hardware boxes) publish over RTMP. This crate is
//! the server side (and a small publisher for `shimmer push`). Its protocol core is sans-IO like `shimmer-ftl`'s: bytes and `now` go in,
//! bytes to send and events come out, and only [`server`] touches a socket or spawns a task.
//!
//! - [`handshake`]: the plain C0/C1/C2 ↔ S0/S1/S2 handshake.
//! - [`chunk`]: the chunk stream (all four header formats, extended timestamps, interleaved
//!   chunk streams, Set Chunk Size, Abort), bounded by [`chunk::ChunkLimits`].
//! - [`amf0`]: AMF0 values for commands and metadata, bounded by [`amf0::Amf0Limits`].
//! - [`protocol`]: protocol control messages and user control events.
//! - [`flv`]: FLV audio/video tag bodies, Enhanced RTMP (`ExVideoTagHeader`, FourCC), the AVC
//!   decoder configuration record and the AAC AudioSpecificConfig.
//! - [`session`]: one publisher connection from handshake to `deleteStream`.
//! - [`transcode`]: AAC-LC → Opus, once per stream, for WebRTC viewers.
//! - [`rtp`]: FLV tags to the hub's packets (H.264 packetized once, Opus frames numbered).
//! - [`client`]: the publisher `shimmer push --protocol rtmp` runs (FLV, H.264 + Opus or AAC).
//! - [`server`]: the tokio driver (listener, connection tasks, the stream-key check through
//!   `shimmer_ftl::IngestControl`, the per-stream audio thread). Only this module does I/O.
//!
//! ## Decisions
//!
//! - **Written here rather than taken from a crate.** Of the Rust RTMP crates only
//!   `scuffle-rtmp` reads Enhanced RTMP, and its own README calls it unstable; the server subset
//!   is small, and owning it lets every limit be explicit and every error an enum variant.
//! - **Plain handshake only.** Publishers (ffmpeg, librtmp/OBS) do not verify the server's
//!   digest, so the digest handshake Flash players needed is not implemented.
//! - **Lenient where harmless, strict where costly.** Unknown commands, malformed tags and
//!   media before `publish` are reported as [`session::Ignored`] and the stream goes on;
//!   anything that would make the server buffer or parse without bound closes the connection
//!   with a [`session::SessionError`].

pub mod amf0;
pub mod chunk;
pub mod client;
pub mod flv;
pub mod handshake;
pub mod protocol;
pub mod rtp;
pub mod server;
pub mod session;
pub mod transcode;

pub use server::{RtmpServer, RtmpServerConfig, ServerError};
pub use session::{PublishRefusal, ServerSession, SessionConfig, SessionError, SessionEvent};
