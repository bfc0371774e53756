//! One viewer's WebRTC session, in two layers:
//!
//! - [`machine::ViewerCore`], sans-IO: the str0m `Rtc` (ICE-lite, RTP mode), the per-track header
//!   rewriters and the session's policy (connect deadline, keyframe replays and their rate limit,
//!   resynchronisation after a queue overflow, how and when it ends) and the pacing of its video
//!   ([`pacer`]: keyframe bursts spread at a multiple of the stream's bitrate). Its inputs are datagrams,
//!   hub packets and the time; its outputs are datagrams to send, actions for the driver
//!   (subscribe to the hub, ask the publisher for a keyframe) and the next deadline. It never
//!   reads a clock or touches a socket, so its tests run minutes of protocol time in
//!   milliseconds, and nothing in it ties one core to one task.
//! - [`shard`], the tokio tasks that run the cores, each many: one per CPU by default. A driver
//!   reads each stream once (one hub subscription per stream it serves) and hands every batch
//!   to all its viewers of that stream, sends their datagrams together (`sendmmsg`, GSO runs),
//!   keeps their deadlines in one queue and reads their datagrams from one inbox.
//!
//! - The core nominates the path a viewer's DTLS arrives on ([`crate::nominate`]), so the DTLS
//!   handshake does not wait for the browser's nominating check (about 50 ms in Chromium).
//!
//! Every mutation of the `Rtc` is followed by draining `poll_output` until `Timeout`, as str0m
//! requires, inside `catch_unwind`: a bug that makes str0m panic ends this one session, never
//! the process or other viewers.

pub(crate) mod machine;
pub(crate) mod pacer;
pub(crate) mod shard;
#[cfg(test)]
mod tests;

use str0m::media::{Mid, Pt};
use str0m::rtp::Ssrc;

use crate::rewrite::Rewriter;

/// Why a session ended (logged, and useful in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// DELETE on the session URL.
    Deleted,
    /// The engine is shutting down.
    Shutdown,
    /// The stream ended (hub ended).
    StreamEnded,
    /// ICE and DTLS did not complete in time.
    ConnectTimeout,
    /// ICE consent lost (the viewer went away without DELETE).
    IceDisconnected,
    /// The peer closed DTLS, or str0m reported the session dead.
    Closed,
    /// str0m returned an error or panicked.
    Failed,
}

impl EndReason {
    /// Whether the viewer is told (DTLS close_notify, RTCP BYE) before the session goes: when
    /// the server ends it. A viewer that left, failed or never connected is not written to.
    fn tells_viewer(self) -> bool {
        matches!(self, Self::Deleted | Self::Shutdown | Self::StreamEnded)
    }
}

/// Where one outgoing track goes.
#[derive(Debug, Clone)]
pub(crate) struct TrackOut {
    pub(crate) mid: Mid,
    pub(crate) pt: Pt,
    pub(crate) ssrc: Ssrc,
    pub(crate) rewriter: Rewriter,
}
