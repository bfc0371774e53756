#![warn(missing_docs)]
//! # shimmer-ftl: FTL ingest
//!
//! Streamers' encoders speak FTL (Mixer's "Faster Than Light" protocol, as implemented by
//! ftl-sdk, which OBS used): a text control connection on TCP 8084 and RTP media over UDP.
//! This crate has three layers:
//!
//! - **Sans-IO cores**: [`control::ControlMachine`] (the handshake, keepalive and deadlines),
//!   [`session::MediaSession`] (datagram classification, per-SSRC loss recovery and NACKs,
//!   stats), and over both [`stream::StreamMachine`], the policy of one connection and its
//!   stream: when to sample and report metadata (one report in flight at most), the bitrate cap,
//!   how a platform's "stream ended", a replacement or a shutdown ends it, and which code and end
//!   reason each ending gets. [`live::LiveStreams`] decides, across connections, whom a new
//!   stream replaces and which SSRCs collide. They take `now: Instant` as input and never touch
//!   a socket or a clock, so tests drive minutes of a stream in milliseconds.
//! - **The tokio driver**, [`server::FtlServer`]: a TCP listener and one UDP socket; a task per
//!   connection feeds its `StreamMachine` bytes, datagrams, platform answers and the time, and
//!   carries out what it asks: replies, NACKs, packets in order into the channel's
//!   [`shimmer_media::StreamHub`], platform calls through the [`ingest_control::IngestControl`]
//!   trait, each under a deadline and off the packet path.
//! - **The client**, [`client::push`], behind `shimmer push`: reads Annex-B H.264 and Ogg Opus,
//!   packetizes like ftl-sdk, paces by timestamps, answers NACKs.
//!
//! ```text
//!  encoder ──TCP 8084──────────────► connection task ◄──► StreamMachine
//!     │                                 ▲    │  │         (ControlMachine, MediaSession)
//!     │                                 │    │  └──► IngestControl: secret, start, report, end
//!     └──UDP media port──► demux task ──┘    ├──in order──► StreamHub
//!            ▲            (by address)       │
//!            └───── NACKs, ping echoes ◄─────┘
//! ```
//!
//! ## Decisions
//!
//! - **One shared UDP port** (`media_port`, default 8084/udp) for every stream, rather than a
//!   port per stream. The client's source address is learned from its first RTP packet or sender
//!   report, which must come from the control connection's IP and carry one of the announced
//!   SSRCs; after that the address alone routes datagrams, and datagrams from any other address
//!   are dropped. One socket means one firewall rule and one receive loop. Because two streams
//!   from the same IP are told apart by SSRC until bound (adjacent channels share one SSRC, as
//!   encoders number audio and video from the channel id), a datagram binds a waiting stream only
//!   when its SSRC names that stream alone; a stream whose every SSRC belongs to another live
//!   stream from the same IP is refused with 403 (audio) / 404 (video).
//! - **406 is never sent.** A new authenticated connection for a channel that is live *replaces*
//!   the old session (which ends with reason `Replaced` and gets 410): encoders reconnect after
//!   network blips faster than the old session would time out, and the key holder is the owner.
//!   The old stream is ended (end_stream) before the new one is started (start_stream).
//! - **Reply codes**: 400 malformed line/command/announcement, oversized line or attribute flood;
//!   401 `.` before authentication or the platform refuses the channel; 405 unknown channel or
//!   wrong key; 403/404 SSRC collision; 408 no media within 10 s of the handshake or media
//!   silent for 10 s; 409 blocked category; 410 handshake timeout (5 s), keepalive timeout (30 s
//!   without PING), replaced, bitrate cap, shutdown; 500 platform failure or timeout. After any
//!   of these the connection is closed.
//! - **NACK budget**: one stream asks for at most `nack_budget_per_second` sequence numbers a
//!   second (500 by default, a second's worth at once), over its tracks and retries; loss beyond
//!   that is skipped rather than asked for again, so a receiver already dropping datagrams under
//!   load is not sent even more.
//! - **RTT** is measured from NACK round trips (NACK sent → retransmission received): the FTL
//!   pings the client sends carry only the client's clock, so the server can echo them (the
//!   client measures its RTT from them) but cannot time them itself.
//! - **Speed test**: audio before the first video packet is ignored (ftl-sdk's speed test sends
//!   junk on the audio SSRC), and the audio sequence reset after it is handled as a source
//!   restart (RFC 3550 A.1).

pub mod client;
pub mod config;
pub mod control;
pub mod ingest_control;
pub mod line;
pub mod live;
pub mod reply;
pub mod rolling;
pub mod server;
pub mod session;
pub mod stats;
pub mod stream;

pub use config::FtlConfig;
pub use ingest_control::{ControlError, IngestControl, StartError, StreamStartInfo};
pub use server::{FtlServer, ServerError};
pub use stats::{IngestProtocol, StreamStats};
