//! The ingest side of the relay: serves its live hubs to edges, one QUIC connection per edge and
//! one stream per channel, each stream fed by an ordinary hub subscription. A slow edge fills its
//! subscription's bounded queue and skips to the next keyframe, like a slow viewer; nothing the
//! relay does can delay the ingest's receive path or another edge.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use shimmer_media::hub::{HubEvent, HubRegistry, SubscriberOptions};
use tokio_util::sync::CancellationToken;

use super::frame::{self, Frame, RelayInfo, RelayPacket, KEYFRAME_REQUEST, REQUEST_LEN};
use super::{tls, RelayError};

/// How long an edge has to name its channel after opening a stream.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Packets written to QUIC in one go when the subscription has several queued.
const WRITE_BATCH: usize = 64;

/// The relay listener of an ingest node.
pub struct RelayServer {
    endpoint: quinn::Endpoint,
    fingerprint: String,
    hubs: Arc<HubRegistry>,
}

impl RelayServer {
    /// Listens on `bind` (UDP) with a fresh self-signed certificate.
    pub fn bind(bind: SocketAddr, hubs: Arc<HubRegistry>) -> Result<Self, RelayError> {
        let identity = tls::self_signed()?;
        let mut config = tls::server_config(&identity)?;
        config.transport_config(Arc::new(super::transport()));
        let endpoint = quinn::Endpoint::server(config, bind).map_err(RelayError::Bind)?;
        Ok(Self {
            endpoint,
            fingerprint: identity.fingerprint,
            hubs,
        })
    }

    /// The bound UDP address.
    pub fn local_addr(&self) -> SocketAddr {
        self.endpoint
            .local_addr()
            .expect("a bound endpoint has an address")
    }

    /// The certificate's fingerprint, for the node registry.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Serves edges until `shutdown`; then closes every relay stream (edges see the end).
    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            let incoming = tokio::select! {
                () = shutdown.cancelled() => break,
                incoming = self.endpoint.accept() => match incoming {
                    Some(incoming) => incoming,
                    None => break,
                },
            };
            let hubs = self.hubs.clone();
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                match incoming.await {
                    Ok(connection) => serve_connection(connection, hubs, shutdown).await,
                    Err(error) => tracing::debug!(%error, "a relay connection failed to open"),
                }
            });
        }
        self.endpoint.close(0u32.into(), b"shutting down");
    }
}

async fn serve_connection(
    connection: quinn::Connection,
    hubs: Arc<HubRegistry>,
    shutdown: CancellationToken,
) {
    let edge = connection.remote_address();
    tracing::info!(%edge, "an edge connected to the relay");
    metrics::gauge!("shimmer_relay_edges").increment(1.0);
    loop {
        let (send, recv) = tokio::select! {
            () = shutdown.cancelled() => break,
            stream = connection.accept_bi() => match stream {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::info!(%edge, %error, "an edge left the relay");
                    break;
                }
            },
        };
        tokio::spawn(serve_channel(send, recv, hubs.clone(), shutdown.clone()));
    }
    metrics::gauge!("shimmer_relay_edges").decrement(1.0);
}

/// One channel to one edge: the keyframe cache first, then live packets, until the stream ends
/// (the stream is finished), the edge lets go, or shutdown.
async fn serve_channel(
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    hubs: Arc<HubRegistry>,
    shutdown: CancellationToken,
) {
    let mut request = [0u8; REQUEST_LEN];
    match tokio::time::timeout(REQUEST_TIMEOUT, recv.read_exact(&mut request)).await {
        Ok(Ok(())) => {}
        _ => return,
    }
    let channel_id = i64::from_be_bytes(request);
    let mut out = BytesMut::with_capacity(16 * 1024);
    let Some(hub) = hubs.get(channel_id).filter(|hub| !hub.is_ended()) else {
        frame::encode(&Frame::Offline, &mut out);
        let _ = send.write_all(&out).await;
        let _ = send.finish();
        return;
    };
    let mut subscriber = hub.subscribe(SubscriberOptions::default());
    frame::encode(&Frame::Info(RelayInfo::of(&hub.info())), &mut out);
    metrics::gauge!("shimmer_relay_streams_served").increment(1.0);
    tracing::debug!(channel_id, "relaying a channel to an edge");
    let mut requests = [0u8; 64];
    let finished = loop {
        if !out.is_empty() {
            if send.write_all(&out).await.is_err() {
                break false;
            }
            out.clear();
        }
        tokio::select! {
            () = shutdown.cancelled() => break true,
            event = subscriber.recv() => match event {
                Some(event) => {
                    push(&event, &mut out);
                    // Take whatever else is queued, so a burst (a keyframe) is one write.
                    for _ in 0..WRITE_BATCH {
                        match subscriber.try_recv() {
                            Ok(event) => push(&event, &mut out),
                            Err(_) => break,
                        }
                    }
                }
                None => break true,
            },
            read = recv.read(&mut requests) => match read {
                Ok(Some(n)) => {
                    if requests[..n].contains(&KEYFRAME_REQUEST) {
                        hub.request_keyframe();
                    }
                }
                // The edge finished or reset its side: it let go of the channel.
                _ => break false,
            },
        }
    };
    if finished {
        let _ = send.finish();
    }
    metrics::gauge!("shimmer_relay_streams_served").decrement(1.0);
}

fn push(event: &HubEvent, out: &mut BytesMut) {
    match event {
        HubEvent::Packet(packet) => {
            metrics::counter!("shimmer_relay_packets_sent_total").increment(1);
            frame::encode(&Frame::Packet(RelayPacket::of(packet)), out);
        }
        // The edge drops video until the keyframe the hub resumes with.
        HubEvent::Resync { skipped } => {
            metrics::counter!("shimmer_relay_packets_skipped_total").increment(*skipped);
            frame::encode(&Frame::Resync, out);
        }
    }
}
