//! The ingest → edge media relay: point-to-point QUIC (quinn), one connection per ingest–edge
//! pair, one stream per channel ([`frame`] is the wire format). Chosen over NATS subjects for
//! media because a slow NATS consumer gets its whole connection (every channel) closed by the
//! server, NATS keeps nothing for a late joiner (the keyframe cache), and it would put a third
//! process in the media path; here a slow edge only skips to the next keyframe on its own
//! streams, and the keyframe cache is the first thing on every stream.

mod client;
pub mod frame;
mod server;
mod tls;

use std::time::Duration;

pub use client::{Locate, Origin, RelayClient, RelayClientConfig};
pub use server::RelayServer;

/// Why the relay could not do something. Logged; the viewer who asked gets "offline".
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("could not open the relay's UDP socket: {0}")]
    Bind(std::io::Error),
    #[error("the relay's TLS set-up failed: {0}")]
    Tls(String),
    #[error("could not reach the ingest node's relay: {0}")]
    Connect(String),
    #[error("the relay stream broke the protocol: {0}")]
    Frame(frame::FrameError),
    #[error("the relay stream broke the protocol: {0}")]
    Protocol(&'static str),
}

/// QUIC settings both ends share: a dead peer is noticed within seconds, and enough flow-control
/// window for a few high-bitrate channels per connection.
fn transport() -> quinn::TransportConfig {
    let mut transport = quinn::TransportConfig::default();
    transport.keep_alive_interval(Some(Duration::from_secs(1)));
    transport.max_idle_timeout(Some(
        quinn::IdleTimeout::try_from(Duration::from_secs(4)).expect("4 s is a valid idle timeout"),
    ));
    transport.max_concurrent_bidi_streams(4096u32.into());
    transport.stream_receive_window((8u32 * 1024 * 1024).into());
    transport.receive_window((64u32 * 1024 * 1024).into());
    transport.send_window(64 * 1024 * 1024);
    transport
}
