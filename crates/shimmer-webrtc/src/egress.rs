//! Batched UDP egress of one session: the datagrams one str0m drain produced are sent together,
//! consecutive ones to the same viewer and of equal size (the packets of one video frame) as one
//! UDP GSO `sendmsg` through quinn-udp, so the kernel's per-datagram path (syscall, route
//! lookup, socket accounting) runs once per run instead of once per packet.
//!
//! GSO is only used where the kernel supports it (quinn-udp probes it, and turns it off for good
//! if a send fails with EIO/EINVAL); otherwise, and for single datagrams, plain `sendto`. A run
//! the socket refuses (`WouldBlock`) goes to the session's pending queue like any datagram.

use std::net::SocketAddr;
use std::sync::Arc;

use quinn_udp::{Transmit, UdpSockRef, UdpSocketState};
use tokio::io::Interest;
use tokio::net::UdpSocket;

/// Most datagrams in one GSO send (the kernel allows 64 or more; a video frame is rarely longer).
const MAX_SEGMENTS: usize = 64;
/// Most bytes in one GSO send: below the 65,507-byte limit of a UDP/IPv4 datagram.
const MAX_RUN_BYTES: usize = 60_000;

/// The socket state for GSO sends, when the platform supports segmentation offload.
pub(crate) fn gso_state(socket: &UdpSocket) -> Option<Arc<UdpSocketState>> {
    let state = UdpSocketState::new(UdpSockRef::from(socket)).ok()?;
    (state.max_gso_segments() > 1).then(|| Arc::new(state))
}

/// Length of the run at the start of `datagrams` that one GSO send can carry: the same
/// destination, equal sizes with at most a shorter last one, bounded in count and bytes.
pub(crate) fn run_length(datagrams: &[(SocketAddr, Vec<u8>)], max_segments: usize) -> usize {
    let Some((to, first)) = datagrams.first() else {
        return 0;
    };
    let size = first.len();
    let mut total = size;
    let mut n = 1;
    while n < datagrams.len() && n < max_segments {
        let (t, d) = &datagrams[n];
        if t != to || d.len() > size || d.is_empty() || total + d.len() > MAX_RUN_BYTES {
            break;
        }
        total += d.len();
        n += 1;
        if d.len() < size {
            break;
        }
    }
    n
}

/// Sends one run: GSO for several datagrams, `sendto` for one. `scratch` holds the
/// concatenated segments.
pub(crate) fn send_run(
    socket: &UdpSocket,
    gso: Option<&UdpSocketState>,
    run: &[(SocketAddr, Vec<u8>)],
    scratch: &mut Vec<u8>,
) -> std::io::Result<()> {
    let (to, first) = &run[0];
    match gso {
        Some(state) if run.len() > 1 => {
            scratch.clear();
            for (_, d) in run {
                scratch.extend_from_slice(d);
            }
            let transmit = Transmit {
                destination: *to,
                ecn: None,
                contents: scratch,
                segment_size: Some(first.len()),
                src_ip: None,
            };
            socket.try_io(Interest::WRITABLE, || {
                state.try_send(UdpSockRef::from(socket), &transmit)
            })
        }
        _ => socket.try_send_to(first, *to).map(|_| ()),
    }
}

/// Most segments per GSO send for this socket state.
pub(crate) fn max_segments(gso: Option<&UdpSocketState>) -> usize {
    gso.map_or(1, |s| s.max_gso_segments().clamp(1, MAX_SEGMENTS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(port: u16, len: usize) -> (SocketAddr, Vec<u8>) {
        (SocketAddr::from(([127, 0, 0, 1], port)), vec![0; len])
    }

    #[test]
    fn runs_split_on_destination_size_and_limits() {
        let v = vec![
            d(1, 1200),
            d(1, 1200),
            d(1, 700),
            d(1, 1200),
            d(2, 1200),
            d(2, 90),
        ];
        assert_eq!(run_length(&v, 64), 3); // equal sizes, then one shorter ends the run
        assert_eq!(run_length(&v[3..], 64), 1); // other destination next
        assert_eq!(run_length(&v[4..], 64), 2);
        assert_eq!(run_length(&v, 2), 2);
        assert_eq!(run_length(&[d(1, 100), d(1, 200)], 64), 1); // a longer one cannot follow
        assert_eq!(run_length(&[], 64), 0);
        let big: Vec<_> = (0..64).map(|_| d(1, 1500)).collect();
        assert_eq!(run_length(&big, 64), MAX_RUN_BYTES / 1500);
    }

    /// A GSO run arrives as separate datagrams of the original sizes, in order.
    #[tokio::test]
    async fn gso_run_arrives_as_separate_datagrams() {
        let rx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let tx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = rx.local_addr().unwrap();
        let Some(state) = gso_state(&tx) else {
            eprintln!("no UDP GSO on this kernel; skipped");
            return;
        };
        let run: Vec<_> = (0..5u8)
            .map(|i| (to, vec![i; if i == 4 { 300 } else { 1000 }]))
            .collect();
        let mut scratch = Vec::new();
        tx.writable().await.unwrap();
        send_run(&tx, Some(&state), &run, &mut scratch).unwrap();
        let mut buf = vec![0; 65536];
        for (_, want) in &run {
            let n = tokio::time::timeout(std::time::Duration::from_secs(2), rx.recv(&mut buf))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(&buf[..n], &want[..]);
        }
    }
}
