//! Batched UDP send: many datagrams, to many destinations, per system call.
//!
//! A WebRTC node sends every viewer its own copy of each packet, so one video frame to three
//! hundred viewers is thousands of datagrams. [`BatchSender`] hands the kernel a whole list at
//! once (`sendmmsg` on Linux): consecutive datagrams to one destination of one size (the last may
//! be shorter), such as the packets of a frame to one viewer, become one message the kernel
//! segments itself (UDP GSO, where the kernel has it), and up to [`MAX_MESSAGES`] messages go in
//! one call. The datagrams are gathered from where they lie (one `iovec` each), never copied.

use std::io;
use std::net::SocketAddr;

use quinn_udp::{UdpSockRef, UdpSocketState};
use tokio::io::Interest;
use tokio::net::UdpSocket;

/// Most messages in one system call.
pub const MAX_MESSAGES: usize = 64;
/// Most datagrams in one GSO message (the kernel allows 64; a video frame run is rarely longer).
const MAX_SEGMENTS: usize = 64;
/// Most bytes in one GSO message: below the 65,507-byte limit of a UDP/IPv4 datagram.
const MAX_MESSAGE_BYTES: usize = 60_000;

/// Why [`BatchSender::try_send`] sent nothing.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The socket's buffer is full: wait until it is writable and try again.
    #[error("the socket's send buffer is full")]
    WouldBlock,
    /// The kernel refused the first message; its `datagrams` are lost, the rest may be tried.
    #[error("sending {datagrams} datagrams failed: {source}")]
    Failed {
        /// How many datagrams the refused message carried.
        datagrams: usize,
        /// What the kernel said.
        source: io::Error,
    },
}

/// Sends lists of datagrams with as few system calls as the platform allows.
#[derive(Debug)]
pub struct BatchSender {
    /// GSO segments per message: 1 where the kernel cannot segment (or refused to once).
    max_segments: usize,
    /// Whether the socket is IPv6 (IPv4 destinations are then written as mapped addresses).
    ipv6: bool,
}

impl BatchSender {
    /// Prepares batched sends on `socket`, probing the kernel for UDP GSO.
    pub fn new(socket: &UdpSocket) -> io::Result<Self> {
        let state = UdpSocketState::new(UdpSockRef::from(socket))?;
        Ok(Self {
            max_segments: state.max_gso_segments().clamp(1, MAX_SEGMENTS),
            ipv6: socket.local_addr()?.is_ipv6(),
        })
    }

    /// Whether several datagrams can go as one segmented message.
    pub fn gso(&self) -> bool {
        self.max_segments > 1
    }

    /// Sends datagrams from the front of `datagrams`, in order, in one system call without
    /// waiting. Returns how many were sent (whole messages only; 0 after GSO was found not to
    /// work and was turned off, so the same list can simply be offered again).
    pub fn try_send(
        &mut self,
        socket: &UdpSocket,
        datagrams: &[(SocketAddr, Vec<u8>)],
    ) -> Result<usize, SendError> {
        let mut runs = [0usize; MAX_MESSAGES];
        let mut count = 0;
        let mut start = 0;
        while start < datagrams.len() && count < MAX_MESSAGES {
            let n = run_length(&datagrams[start..], self.max_segments);
            runs[count] = n;
            count += 1;
            start += n;
        }
        let runs = &runs[..count];
        if runs.is_empty() {
            return Ok(0);
        }
        let result = socket.try_io(Interest::WRITABLE, || {
            platform::send(socket, self.ipv6, datagrams, runs)
        });
        match result {
            Ok(messages) => Ok(runs[..messages].iter().sum()),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(SendError::WouldBlock),
            // EIO (no checksum offload on the route's device) or EINVAL: no GSO on this path.
            Err(e) if runs[0] > 1 && platform::refuses_gso(&e) => {
                self.max_segments = 1;
                Ok(0)
            }
            Err(source) => Err(SendError::Failed {
                datagrams: runs[0],
                source,
            }),
        }
    }
}

/// Length of the run at the start of `datagrams` that one message can carry: one destination,
/// equal sizes with at most a shorter last one, bounded in count and bytes.
fn run_length(datagrams: &[(SocketAddr, Vec<u8>)], max_segments: usize) -> usize {
    let Some((to, first)) = datagrams.first() else {
        return 0;
    };
    let size = first.len();
    let mut total = size;
    let mut n = 1;
    while n < datagrams.len() && n < max_segments {
        let (t, d) = &datagrams[n];
        if t != to || d.len() > size || d.is_empty() || total + d.len() > MAX_MESSAGE_BYTES {
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

#[cfg(target_os = "linux")]
mod platform {
    //! `sendmmsg` with a `UDP_SEGMENT` control message on each multi-datagram message.

    use std::io;
    use std::mem::{size_of, zeroed};
    use std::net::{IpAddr, SocketAddr};
    use std::os::fd::AsRawFd;

    use tokio::net::UdpSocket;

    /// Room for one control message carrying a `u16`, aligned as `cmsghdr` requires.
    #[repr(C, align(8))]
    #[derive(Clone, Copy)]
    struct ControlBuffer([u8; 32]);

    pub(super) fn refuses_gso(e: &io::Error) -> bool {
        matches!(e.raw_os_error(), Some(libc::EIO) | Some(libc::EINVAL))
    }

    /// Sends `runs` (lengths of consecutive groups of `datagrams`), one message per run.
    /// Returns how many messages the kernel took.
    pub(super) fn send(
        socket: &UdpSocket,
        ipv6: bool,
        datagrams: &[(SocketAddr, Vec<u8>)],
        runs: &[usize],
    ) -> io::Result<usize> {
        let total: usize = runs.iter().sum();
        let mut iovecs: Vec<libc::iovec> = datagrams[..total]
            .iter()
            .map(|(_, d)| libc::iovec {
                iov_base: d.as_ptr() as *mut libc::c_void,
                iov_len: d.len(),
            })
            .collect();
        let mut addresses: Vec<libc::sockaddr_storage> = Vec::with_capacity(runs.len());
        let mut controls = vec![ControlBuffer([0; 32]); runs.len()];
        let mut headers: Vec<libc::mmsghdr> = Vec::with_capacity(runs.len());
        let mut first = 0;
        for &n in runs {
            let (to, _) = &datagrams[first];
            let (storage, length) = socket_address(*to, ipv6);
            addresses.push(storage);
            // SAFETY: an all-zero mmsghdr is valid (null pointers, zero lengths).
            let mut header: libc::mmsghdr = unsafe { zeroed() };
            header.msg_hdr.msg_namelen = length;
            header.msg_hdr.msg_iovlen = n as _;
            if n > 1 {
                header.msg_hdr.msg_controllen = control_space() as _;
            }
            headers.push(header);
            first += n;
        }
        // Pointers are taken once every vector has its final size, so none moves after.
        let mut first = 0;
        for (i, header) in headers.iter_mut().enumerate() {
            let n = runs[i];
            header.msg_hdr.msg_name = (&mut addresses[i] as *mut libc::sockaddr_storage).cast();
            header.msg_hdr.msg_iov = iovecs[first..].as_mut_ptr();
            if n > 1 {
                header.msg_hdr.msg_control = controls[i].0.as_mut_ptr().cast();
                let segment = datagrams[first].1.len() as u16;
                // SAFETY: msg_control points at a buffer of msg_controllen bytes, aligned for
                // cmsghdr and large enough for one u16 control message (CMSG_SPACE(2) <= 32).
                unsafe {
                    let cmsg = libc::CMSG_FIRSTHDR(&header.msg_hdr);
                    (*cmsg).cmsg_level = libc::SOL_UDP;
                    (*cmsg).cmsg_type = libc::UDP_SEGMENT;
                    (*cmsg).cmsg_len = libc::CMSG_LEN(size_of::<u16>() as u32) as _;
                    std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<u16>(), segment);
                }
            }
            first += n;
        }
        // SAFETY: every header points into `addresses`, `iovecs` and `controls`, which outlive
        // the call and are not touched during it; the iovecs point into `datagrams`.
        let sent = unsafe {
            libc::sendmmsg(
                socket.as_raw_fd(),
                headers.as_mut_ptr(),
                headers.len() as _,
                0,
            )
        };
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(sent as usize)
    }

    fn control_space() -> usize {
        // SAFETY: CMSG_SPACE only computes a size.
        unsafe { libc::CMSG_SPACE(size_of::<u16>() as u32) as usize }
    }

    /// `to` as a socket address for a socket of the given family.
    fn socket_address(to: SocketAddr, ipv6: bool) -> (libc::sockaddr_storage, libc::socklen_t) {
        // SAFETY: an all-zero sockaddr_storage is valid.
        let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
        let ip = match to.ip() {
            IpAddr::V4(v4) if ipv6 => IpAddr::V6(v4.to_ipv6_mapped()),
            ip => ip,
        };
        match ip {
            IpAddr::V4(v4) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: to.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(v4.octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_storage is larger than sockaddr_in and suitably aligned.
                unsafe {
                    std::ptr::write(
                        (&mut storage as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in>(),
                        sin,
                    )
                };
                (storage, size_of::<libc::sockaddr_in>() as libc::socklen_t)
            }
            IpAddr::V6(v6) => {
                let scope_id = match to {
                    SocketAddr::V6(a) => a.scope_id(),
                    SocketAddr::V4(_) => 0,
                };
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: to.port().to_be(),
                    sin6_flowinfo: 0,
                    sin6_addr: libc::in6_addr {
                        s6_addr: v6.octets(),
                    },
                    sin6_scope_id: scope_id,
                };
                // SAFETY: sockaddr_storage is larger than sockaddr_in6 and suitably aligned.
                unsafe {
                    std::ptr::write(
                        (&mut storage as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in6>(),
                        sin6,
                    )
                };
                (storage, size_of::<libc::sockaddr_in6>() as libc::socklen_t)
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    //! One `send_to` per datagram where `sendmmsg` is not available (GSO is not either).

    use std::io;
    use std::net::SocketAddr;

    use tokio::net::UdpSocket;

    pub(super) fn refuses_gso(_: &io::Error) -> bool {
        false
    }

    pub(super) fn send(
        socket: &UdpSocket,
        _ipv6: bool,
        datagrams: &[(SocketAddr, Vec<u8>)],
        runs: &[usize],
    ) -> io::Result<usize> {
        let mut first = 0;
        for (i, &n) in runs.iter().enumerate() {
            for (to, data) in &datagrams[first..first + n] {
                if let Err(e) = socket.try_send_to(data, *to) {
                    return if i == 0 { Err(e) } else { Ok(i) };
                }
            }
            first += n;
        }
        Ok(runs.len())
    }
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
        assert_eq!(run_length(&big, 64), MAX_MESSAGE_BYTES / 1500);
    }

    /// Datagrams for several receivers, in runs and alone, arrive whole, in order, each at its
    /// receiver, from few system calls.
    #[tokio::test]
    async fn a_list_for_many_receivers_arrives_whole_and_in_order() {
        let tx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mut receivers = Vec::new();
        for _ in 0..3 {
            receivers.push(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        }
        let mut list = Vec::new();
        let mut want: Vec<Vec<Vec<u8>>> = vec![Vec::new(); 3];
        for frame in 0..4u8 {
            for (r, socket) in receivers.iter().enumerate() {
                let to = socket.local_addr().unwrap();
                // A run of equal datagrams and a shorter last one, then a lone small one.
                for i in 0..5u8 {
                    let size = if i == 4 { 300 } else { 1000 };
                    let datagram = vec![frame * 16 + i; size];
                    want[r].push(datagram.clone());
                    list.push((to, datagram));
                }
                let lone = vec![200 + frame; 60];
                want[r].push(lone.clone());
                list.push((to, lone));
            }
        }
        let mut sender = BatchSender::new(&tx).unwrap();
        let mut sent = 0;
        let mut calls = 0;
        while sent < list.len() {
            tx.writable().await.unwrap();
            match sender.try_send(&tx, &list[sent..]) {
                Ok(n) => sent += n,
                Err(SendError::WouldBlock) => continue,
                Err(e) => panic!("{e}"),
            }
            calls += 1;
        }
        if cfg!(target_os = "linux") && sender.gso() {
            // 24 messages (a run and a lone datagram per receiver and frame) in one call.
            assert_eq!(calls, 1, "{} datagrams in {calls} calls", list.len());
        }
        let mut buf = vec![0; 65536];
        for (r, socket) in receivers.iter().enumerate() {
            for expected in &want[r] {
                let n =
                    tokio::time::timeout(std::time::Duration::from_secs(2), socket.recv(&mut buf))
                        .await
                        .expect("datagram arrives")
                        .unwrap();
                assert_eq!(&buf[..n], &expected[..], "receiver {r}");
            }
        }
    }

    /// An IPv6 socket reaches an IPv4 receiver (the address is written as a mapped one).
    #[tokio::test]
    async fn a_dual_stack_socket_sends_to_ipv4() {
        let Ok(tx) = UdpSocket::bind("[::]:0").await else {
            eprintln!("no IPv6 here; skipped");
            return;
        };
        let rx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = rx.local_addr().unwrap();
        let mut sender = BatchSender::new(&tx).unwrap();
        let list = vec![(to, vec![1u8; 500]), (to, vec![2u8; 500])];
        tx.writable().await.unwrap();
        let mut sent = 0;
        while sent < list.len() {
            sent += sender.try_send(&tx, &list[sent..]).unwrap();
        }
        let mut buf = vec![0; 2048];
        for (_, expected) in &list {
            let n = tokio::time::timeout(std::time::Duration::from_secs(2), rx.recv(&mut buf))
                .await
                .expect("datagram arrives")
                .unwrap();
            assert_eq!(&buf[..n], &expected[..]);
        }
    }
}
