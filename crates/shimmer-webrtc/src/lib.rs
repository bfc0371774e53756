//! # shimmer-webrtc: WebRTC playback (WHEP) on str0m
//!
//! Viewers' browsers POST an SDP offer to the WHEP endpoint ([`http::whep_router`]); the
//! [`Engine`] answers it with one str0m `Rtc` per viewer (ICE-lite, RTP mode), all sharing one
//! UDP port. Each viewer starts on its channel's `StreamHub` once ICE and DTLS are up, on the
//! cached keyframe (first frame at once); its headers are rewritten (SSRC, sequence numbers,
//! timestamps), encrypted (SRTP, AES-GCM preferred) and sent. The viewers are run by a few
//! driver tasks (one per CPU), each reading a stream once for all its viewers of it.
//!
//! ```text
//!  ingest ─► StreamHub ─┬─► driver 1: viewers a, b, ... (one Rtc each) ─┐
//!                       └─► driver 2: viewers c, d, ...                 ┴─► UDP :8189 ─► browsers
//!  browsers ─► UDP :8189 ─► demux (STUN ufrag, then source address) ─► driver inboxes
//! ```
//!
//! Rules kept (see ARCHITECTURE.md): one owner per stateful thing (a driver owns its viewers,
//! the demux task owns the routing table), bounded queues everywhere (a hub queue per driver and
//! stream, an inbox per driver, a pacer queue per viewer), deadlines on every wait (connect
//! timeout, ICE consent, bus publish, shutdown), no lock across an await, and every str0m call
//! inside `catch_unwind`.
//!
//! [`publisher`] is the WHIP client behind `shimmer push --protocol whip`. The WHEP viewer the
//! tests and `shimmer-bench` use lives in the dev-only `shimmer-testkit` crate.

pub mod candidates;
pub mod config;
mod demux;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod metrics;
mod nominate;
pub mod offer;
pub mod profile;
pub mod publisher;
pub mod rewrite;
pub mod source;
pub mod stun;
mod viewer;
pub mod whip;

pub use config::WebRtcConfig;
pub use engine::{CreatedSession, Engine, EngineError, HubSource, SessionError};
pub use http::{
    forwarding_whep_router, placed_whep_router, whep_router, ChannelResolver, Placement,
    ViewerPlacement,
};
pub use viewer::EndReason;
pub use whip::{whip_router, WhipConfig, WhipIngest};
