//! The one UDP socket's receive side: routes every datagram to the session it belongs to (to
//! its viewer driver's inbox, tagged with the viewer's key, or to a publisher session's).
//!
//! A STUN binding request names its session by the local ICE ufrag (USERNAME attribute); the
//! source address it came from is then remembered for that session, so DTLS and SRTP datagrams
//! (which carry no session id) are routed by source address. This task is the only owner of the
//! routing tables: sessions register and unregister through a bounded command channel, and the
//! packet path takes no lock.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};

use crate::stun;

/// One received datagram on its way to a session.
#[derive(Debug)]
pub(crate) struct Datagram {
    /// The tag its route was registered with (a viewer's key in its driver).
    pub(crate) route: u64,
    pub(crate) source: SocketAddr,
    pub(crate) received_at: Instant,
    pub(crate) data: Vec<u8>,
}

/// Changes to the routing table.
#[derive(Debug)]
pub(crate) enum DemuxCommand {
    /// Routes ufrag `ufrag` to `inbox`, each datagram tagged with `route`.
    Register {
        ufrag: String,
        inbox: mpsc::Sender<Datagram>,
        route: u64,
    },
    Unregister {
        ufrag: String,
    },
}

struct Route {
    inbox: mpsc::Sender<Datagram>,
    tag: u64,
    addrs: Vec<SocketAddr>,
}

/// Routing state, separate from the IO loop so it can be tested without sockets.
#[derive(Default)]
pub(crate) struct Router {
    by_ufrag: HashMap<String, Route>,
    by_addr: HashMap<SocketAddr, String>,
}

/// What happened to a datagram.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Routed {
    Delivered,
    /// No session knows this source or ufrag.
    Unknown,
    /// The inbox (a viewer driver's or a publisher session's) is full; dropped like a congested
    /// link would.
    Dropped,
}

/// Most addresses one session may be reached from (a browser's host, srflx and relay paths).
const MAX_ADDRS_PER_SESSION: usize = 8;

impl Router {
    pub(crate) fn apply(&mut self, cmd: DemuxCommand) {
        match cmd {
            DemuxCommand::Register {
                ufrag,
                inbox,
                route,
            } => {
                self.remove(&ufrag);
                self.by_ufrag.insert(
                    ufrag,
                    Route {
                        inbox,
                        tag: route,
                        addrs: Vec::new(),
                    },
                );
            }
            DemuxCommand::Unregister { ufrag } => self.remove(&ufrag),
        }
    }

    fn remove(&mut self, ufrag: &str) {
        if let Some(route) = self.by_ufrag.remove(ufrag) {
            for a in route.addrs {
                if self.by_addr.get(&a).is_some_and(|u| u == ufrag) {
                    self.by_addr.remove(&a);
                }
            }
        }
    }

    pub(crate) fn sessions(&self) -> usize {
        self.by_ufrag.len()
    }

    pub(crate) fn route(&mut self, mut d: Datagram) -> Routed {
        let ufrag = match stun::local_ufrag(&d.data) {
            Some(u) if self.by_ufrag.contains_key(u) => {
                let u = u.to_owned();
                self.learn(&u, d.source);
                u
            }
            _ => match self.by_addr.get(&d.source) {
                Some(u) => u.clone(),
                None => return Routed::Unknown,
            },
        };
        let Some(route) = self.by_ufrag.get(&ufrag) else {
            return Routed::Unknown;
        };
        d.route = route.tag;
        match route.inbox.try_send(d) {
            Ok(()) => Routed::Delivered,
            Err(mpsc::error::TrySendError::Full(_)) => Routed::Dropped,
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.remove(&ufrag);
                Routed::Unknown
            }
        }
    }

    fn learn(&mut self, ufrag: &str, addr: SocketAddr) {
        if self.by_addr.get(&addr).is_some_and(|u| u == ufrag) {
            return;
        }
        if let Some(old) = self.by_addr.insert(addr, ufrag.to_owned()) {
            if let Some(r) = self.by_ufrag.get_mut(&old) {
                r.addrs.retain(|a| *a != addr);
            }
        }
        if let Some(route) = self.by_ufrag.get_mut(ufrag) {
            if route.addrs.len() >= MAX_ADDRS_PER_SESSION {
                let oldest = route.addrs.remove(0);
                self.by_addr.remove(&oldest);
            }
            route.addrs.push(addr);
        }
    }
}

/// Receives datagrams until shutdown and hands them to sessions.
pub(crate) async fn run(
    socket: Arc<UdpSocket>,
    mut commands: mpsc::Receiver<DemuxCommand>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut router = Router::default();
    let unknown = metrics::counter!("shimmer_webrtc_datagrams_unrouted_total");
    let dropped = metrics::counter!("shimmer_webrtc_datagrams_dropped_total");
    // One receive call brings up to a batch of datagrams (recvmmsg); GRO is on for the socket
    // (for GSO sends too), so only a batch receiver splits coalesced trains correctly.
    let mut receiver = match shimmer_udp::BatchReceiver::new(&socket) {
        Ok(receiver) => receiver,
        Err(error) => {
            tracing::error!(%error, "webrtc socket cannot receive");
            return;
        }
    };
    loop {
        tokio::select! {
            biased;
            _ = shutdown.changed() => break,
            cmd = commands.recv() => match cmd {
                Some(cmd) => router.apply(cmd),
                None => break,
            },
            res = receiver.recv(&socket) => match res {
                Ok(datagrams) => {
                    let received_at = Instant::now();
                    for (source, data) in datagrams.iter() {
                        let d = Datagram { route: 0, source, received_at, data: data.to_vec() };
                        match router.route(d) {
                            Routed::Delivered => {}
                            Routed::Unknown => unknown.increment(1),
                            Routed::Dropped => dropped.increment(1),
                        }
                    }
                }
                // ICMP port unreachable from a gone viewer surfaces here on Linux; keep going.
                Err(e) => tracing::trace!(error = %e, "udp receive error"),
            },
        }
    }
    tracing::debug!(sessions = router.sessions(), "webrtc demux stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stun_for(ufrag: &str) -> Vec<u8> {
        let user = format!("{ufrag}:remote");
        let mut attrs = vec![0x00, 0x06];
        attrs.extend_from_slice(&(user.len() as u16).to_be_bytes());
        attrs.extend_from_slice(user.as_bytes());
        while attrs.len() % 4 != 0 {
            attrs.push(0);
        }
        let mut m = vec![0x00, 0x01];
        m.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        m.extend_from_slice(&[0x21, 0x12, 0xa4, 0x42]);
        m.extend_from_slice(&[1; 12]);
        m.extend_from_slice(&attrs);
        m
    }

    fn dgram(source: &str, data: Vec<u8>) -> Datagram {
        Datagram {
            route: 0,
            source: source.parse().unwrap(),
            received_at: Instant::now(),
            data,
        }
    }

    #[test]
    fn stun_learns_address_then_media_follows_it() {
        let mut r = Router::default();
        let (tx_a, mut rx_a) = mpsc::channel(4);
        let (tx_b, mut rx_b) = mpsc::channel(4);
        r.apply(DemuxCommand::Register {
            ufrag: "aaaa".into(),
            inbox: tx_a,
            route: 1,
        });
        r.apply(DemuxCommand::Register {
            ufrag: "bbbb".into(),
            inbox: tx_b,
            route: 2,
        });
        // DTLS from an unknown address is not routable yet.
        assert_eq!(
            r.route(dgram("127.0.0.1:1000", vec![22, 254, 253])),
            Routed::Unknown
        );
        assert_eq!(
            r.route(dgram("127.0.0.1:1000", stun_for("aaaa"))),
            Routed::Delivered
        );
        assert_eq!(
            r.route(dgram("127.0.0.1:2000", stun_for("bbbb"))),
            Routed::Delivered
        );
        assert_eq!(
            r.route(dgram("127.0.0.1:1000", vec![22, 254, 253])),
            Routed::Delivered
        );
        assert_eq!(
            r.route(dgram("127.0.0.1:2000", vec![0x80, 1])),
            Routed::Delivered
        );
        // Each datagram carries its route's tag (a driver serving both tells them apart by it).
        let got = |rx: &mut mpsc::Receiver<Datagram>| {
            let d = rx.try_recv().unwrap();
            (d.route, d.data)
        };
        assert_eq!(got(&mut rx_a), (1, stun_for("aaaa")));
        assert_eq!(got(&mut rx_a), (1, vec![22, 254, 253]));
        assert_eq!(got(&mut rx_b), (2, stun_for("bbbb")));
        assert_eq!(got(&mut rx_b), (2, vec![0x80, 1]));
        r.apply(DemuxCommand::Unregister {
            ufrag: "aaaa".into(),
        });
        assert_eq!(r.route(dgram("127.0.0.1:1000", vec![22])), Routed::Unknown);
        assert_eq!(r.sessions(), 1);
    }

    #[test]
    fn full_inbox_drops_and_closed_inbox_unregisters() {
        let mut r = Router::default();
        let (tx, rx) = mpsc::channel(1);
        r.apply(DemuxCommand::Register {
            ufrag: "cccc".into(),
            inbox: tx,
            route: 0,
        });
        assert_eq!(
            r.route(dgram("127.0.0.1:3000", stun_for("cccc"))),
            Routed::Delivered
        );
        assert_eq!(r.route(dgram("127.0.0.1:3000", vec![1])), Routed::Dropped);
        drop(rx);
        assert_eq!(r.route(dgram("127.0.0.1:3000", vec![1])), Routed::Unknown);
        assert_eq!(r.sessions(), 0);
    }
}
