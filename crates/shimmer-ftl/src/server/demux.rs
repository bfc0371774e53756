//! The UDP media socket's receive task: one socket for every stream, demultiplexed by the
//! client's address.
//!
//! A client's UDP source port is unknown until its first datagram, so a new session registers
//! its control connection's IP and its announced SSRCs. The first RTP packet or sender report from
//! that IP carrying one of those SSRCs binds its source address to the session; from then on the
//! address alone routes datagrams (pings carry no SSRC). Datagrams from any other address are
//! dropped and counted. This task owns the routing table; sessions change it through commands,
//! so no lock is taken per packet.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use metrics::Counter;
use shimmer_udp::BatchReceiver;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::session::{FTL_PING, SENDER_REPORT};

/// A datagram for a session, with the address it came from.
pub(crate) type Datagram = (SocketAddr, Bytes);

/// Changes to the routing table.
#[derive(Debug)]
pub(crate) enum DemuxCommand {
    /// Route datagrams from `ip` carrying one of `ssrcs` to `tx`.
    Register {
        session: u64,
        ip: IpAddr,
        ssrcs: Vec<u32>,
        tx: mpsc::Sender<Datagram>,
    },
    /// Stop routing to this session.
    Unregister { session: u64 },
}

struct Pending {
    ip: IpAddr,
    ssrcs: Vec<u32>,
    tx: mpsc::Sender<Datagram>,
}

struct Route {
    session: u64,
    tx: mpsc::Sender<Datagram>,
}

/// The SSRC a datagram names, if it is RTP or a sender report.
fn datagram_ssrc(d: &[u8]) -> Option<u32> {
    let at = match *d.get(1)? {
        FTL_PING => return None,
        SENDER_REPORT => 4,
        _ => 8,
    };
    let b = d.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Routes one datagram: by bound address, or by (IP, SSRC) to a session waiting for its first.
fn route(
    routes: &mut HashMap<SocketAddr, Route>,
    pending: &mut HashMap<u64, Pending>,
    from: SocketAddr,
    data: &[u8],
    unknown: &Counter,
    overflow: &Counter,
) {
    if let Some(route) = routes.get(&from) {
        match route.tx.try_send((from, Bytes::copy_from_slice(data))) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => overflow.increment(1),
            Err(mpsc::error::TrySendError::Closed(_)) => {
                routes.remove(&from);
            }
        }
        return;
    }
    let Some(ssrc) = datagram_ssrc(data) else {
        unknown.increment(1);
        return;
    };
    // Sessions from one address may share an SSRC (OBS numbers audio and video from the channel
    // id, so adjacent channels overlap). Bind only on a datagram that names one session; the
    // other track's first packets settle it within milliseconds.
    let mut candidates = pending
        .iter()
        .filter(|(_, p)| p.ip == from.ip() && p.ssrcs.contains(&ssrc))
        .map(|(id, _)| *id);
    let found = match (candidates.next(), candidates.next()) {
        (Some(id), None) => Some(id),
        _ => None,
    };
    let Some((id, p)) = found.and_then(|id| pending.remove(&id).map(|p| (id, p))) else {
        unknown.increment(1);
        return;
    };
    tracing::debug!(session = id, %from, "bound client media address");
    let _ = p.tx.try_send((from, Bytes::copy_from_slice(data)));
    routes.insert(
        from,
        Route {
            session: id,
            tx: p.tx,
        },
    );
}

pub(crate) async fn run(
    socket: Arc<UdpSocket>,
    mut commands: mpsc::UnboundedReceiver<DemuxCommand>,
    stop: CancellationToken,
) {
    let mut routes: HashMap<SocketAddr, Route> = HashMap::new();
    let mut pending: HashMap<u64, Pending> = HashMap::new();
    let unknown: Counter = metrics::counter!("shimmer_ftl_udp_unknown_source_total");
    let overflow: Counter = metrics::counter!("shimmer_ftl_udp_session_queue_full_total");
    let mut receiver = match BatchReceiver::new(&socket) {
        Ok(receiver) => receiver,
        Err(error) => {
            tracing::error!(%error, "FTL media socket cannot receive");
            return;
        }
    };
    loop {
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            cmd = commands.recv() => match cmd {
                None => return,
                Some(DemuxCommand::Register { session, ip, ssrcs, tx }) => {
                    pending.insert(session, Pending { ip, ssrcs, tx });
                }
                Some(DemuxCommand::Unregister { session }) => {
                    pending.remove(&session);
                    routes.retain(|_, r| r.session != session);
                }
            },
            // Up to a batch of datagrams per system call (recvmmsg).
            received = receiver.recv(&socket) => {
                let Ok(datagrams) = received else { continue };
                for (from, data) in datagrams.iter() {
                    route(&mut routes, &mut pending, from, data, &unknown, &overflow);
                }
            }
        }
    }
}
