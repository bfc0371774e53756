//! The tokio driver: a TCP listener and one task per connection around a
//! [`crate::session::ServerSession`].
//!
//! The publish name is the stream key (`<channel id>-<secret>`), checked through the same
//! [`IngestControl`] the FTL server uses; the platform sees the same start, metadata and end calls
//! whatever the encoder spoke. A new authenticated publish for a live channel replaces the
//! running one (the same rule as FTL: encoders reconnect faster than a dead TCP connection
//! times out, and the key holder is the owner). Audio is transcoded on a thread per stream
//! ([`audio`]) so decoding never delays video.
//!
//! Shutdown: cancel the token given to [`RtmpServer::run`]; every live stream is ended with
//! `end_stream(.., Shutdown)` and `run` returns once they all have.

mod audio;
mod connection;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shimmer_ftl::IngestControl;
use shimmer_media::HubRegistry;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::session::SessionConfig;
use crate::transcode::OpusSettings;

/// Settings of the RTMP server.
#[derive(Debug, Clone)]
pub struct RtmpServerConfig {
    /// Address to listen on (port 0 picks a free one).
    pub bind: SocketAddr,
    /// Limits and deadlines of each connection.
    pub session: SessionConfig,
    /// The AAC → Opus encoder settings.
    pub opus: OpusSettings,
    /// This node's name in stream metadata.
    pub ingest_name: String,
    /// Deadline of each platform call.
    pub call_timeout: Duration,
    /// Interval of metadata reports.
    pub metadata_interval: Duration,
    /// A stream whose bitrate over a metadata interval exceeds this is ended (0: no cap); the
    /// same cap as FTL's `max_bitrate_bps`.
    pub max_bitrate_bps: u64,
}

impl Default for RtmpServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([0, 0, 0, 0], 1935)),
            session: SessionConfig::default(),
            opus: OpusSettings::default(),
            ingest_name: "shimmer".into(),
            call_timeout: Duration::from_secs(5),
            metadata_interval: Duration::from_secs(10),
            max_bitrate_bps: 8_000_000,
        }
    }
}

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding the listener failed.
    #[error("binding RTMP port {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// A live RTMP stream, as a replacing connection needs to see it.
#[derive(Debug)]
struct LiveEntry {
    session: u64,
    /// Cancelled to end this publisher's connection with `Replaced`.
    replace: CancellationToken,
    /// Cancelled by the session once `end_stream` has returned.
    done: CancellationToken,
}

/// State shared by connection tasks (control path only).
struct Shared {
    config: RtmpServerConfig,
    control: Arc<dyn IngestControl>,
    hubs: Arc<HubRegistry>,
    live: Mutex<HashMap<i64, LiveEntry>>,
    next_session: AtomicU64,
}

impl Shared {
    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<i64, LiveEntry>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A bound RTMP server, ready to [`run`](RtmpServer::run).
pub struct RtmpServer {
    listener: TcpListener,
    shared: Arc<Shared>,
}

impl RtmpServer {
    /// Binds the listener.
    pub async fn bind(
        config: RtmpServerConfig,
        control: Arc<dyn IngestControl>,
        hubs: Arc<HubRegistry>,
    ) -> Result<Self, ServerError> {
        let listener =
            TcpListener::bind(config.bind)
                .await
                .map_err(|source| ServerError::Bind {
                    addr: config.bind,
                    source,
                })?;
        Ok(Self {
            listener,
            shared: Arc::new(Shared {
                config,
                control,
                hubs,
                live: Mutex::new(HashMap::new()),
                next_session: AtomicU64::new(1),
            }),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.shared.config.bind)
    }

    /// Serves until `shutdown` is cancelled, then ends every live stream and returns.
    pub async fn run(self, shutdown: CancellationToken) {
        let tracker = TaskTracker::new();
        tracing::info!(address = %self.local_addr(), "RTMP ingest listening");
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        tracker.spawn(connection::serve(
                            stream,
                            peer,
                            Arc::clone(&self.shared),
                            shutdown.child_token(),
                        ));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "RTMP accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
            }
        }
        drop(self.listener);
        tracker.close();
        tracker.wait().await;
        tracing::info!("RTMP ingest stopped");
    }
}
