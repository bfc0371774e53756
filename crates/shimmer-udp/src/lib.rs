//! Batched UDP for the media ports: receive (FTL media, the WebRTC socket) and, in [`send`],
//! the WebRTC socket's sends to many viewers.
//!
//! A 4 Mbit/s stream is ~400 datagrams a second, so a node taking hundreds of streams makes
//! hundreds of thousands of receive calls a second if it reads one datagram per call.
//! [`BatchReceiver`] reads up to [`quinn_udp::BATCH_SIZE`] datagrams per system call (`recvmmsg`
//! on Linux, one at a time elsewhere) and, where the kernel coalesces a burst of equal-sized
//! datagrams from one sender into one buffer (UDP GRO, which `quinn-udp` turns on), splits them
//! back apart, so callers always see one datagram at a time.

pub mod send;

use std::io::{self, IoSliceMut};
use std::net::SocketAddr;

use quinn_udp::{RecvMeta, UdpSockRef, UdpSocketState};
use tokio::io::Interest;
use tokio::net::UdpSocket;

pub use send::{BatchSender, SendError};

/// Bytes of one receive buffer: the largest train of coalesced datagrams the kernel builds.
const BUFFER_BYTES: usize = 64 * 1024;

/// Receives a socket's datagrams in batches. A socket read through a receiver must be read only
/// through it: GRO is on, so a plain `recv_from` with a small buffer would cut trains short.
pub struct BatchReceiver {
    state: UdpSocketState,
    buffers: Vec<Box<[u8]>>,
    meta: Vec<RecvMeta>,
    /// Buffers the last call filled.
    filled: usize,
}

impl BatchReceiver {
    /// Prepares `socket` for batched receive.
    pub fn new(socket: &UdpSocket) -> io::Result<Self> {
        let state = UdpSocketState::new(UdpSockRef::from(socket))?;
        let count = quinn_udp::BATCH_SIZE.max(1);
        Ok(Self {
            state,
            buffers: (0..count)
                .map(|_| vec![0u8; BUFFER_BYTES].into_boxed_slice())
                .collect(),
            meta: vec![RecvMeta::default(); count],
            filled: 0,
        })
    }

    /// Waits for datagrams and returns every one that a single system call brought in.
    pub async fn recv(&mut self, socket: &UdpSocket) -> io::Result<Datagrams<'_>> {
        loop {
            socket.readable().await?;
            match self.read(socket) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => return Err(error),
                Ok(()) => return Ok(self.datagrams()),
            }
        }
    }

    /// The datagrams already queued, without waiting: none when there are none.
    pub fn try_recv(&mut self, socket: &UdpSocket) -> io::Result<Datagrams<'_>> {
        match self.read(socket) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.filled = 0;
                Ok(self.datagrams())
            }
            Err(error) => Err(error),
            Ok(()) => Ok(self.datagrams()),
        }
    }

    fn read(&mut self, socket: &UdpSocket) -> io::Result<()> {
        self.filled = 0;
        let Self {
            state,
            buffers,
            meta,
            ..
        } = self;
        let filled = socket.try_io(Interest::READABLE, || {
            let mut slices: Vec<IoSliceMut<'_>> = buffers
                .iter_mut()
                .map(|buffer| IoSliceMut::new(buffer))
                .collect();
            state.recv(UdpSockRef::from(socket), &mut slices, meta)
        })?;
        self.filled = filled;
        Ok(())
    }

    fn datagrams(&self) -> Datagrams<'_> {
        Datagrams {
            buffers: &self.buffers[..self.filled],
            meta: &self.meta[..self.filled],
        }
    }
}

/// The datagrams of one receive call, in arrival order.
pub struct Datagrams<'a> {
    buffers: &'a [Box<[u8]>],
    meta: &'a [RecvMeta],
}

impl<'a> Datagrams<'a> {
    /// Each datagram with its source address.
    pub fn iter(&self) -> impl Iterator<Item = (SocketAddr, &'a [u8])> + 'a {
        self.buffers
            .iter()
            .zip(self.meta)
            .flat_map(|(buffer, meta)| {
                let data = &buffer[..meta.len.min(buffer.len())];
                // A stride smaller than the length means a GRO train of datagrams that size
                // (the last may be shorter); no stride means one datagram, perhaps empty.
                let stride = if meta.stride == 0 || meta.stride > data.len() {
                    data.len()
                } else {
                    meta.stride
                };
                let count = if stride == 0 {
                    1
                } else {
                    data.len().div_ceil(stride)
                };
                (0..count).map(move |i| {
                    let start = i * stride;
                    (meta.addr, &data[start..(start + stride).min(data.len())])
                })
            })
    }

    /// Whether the call brought nothing.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_arrives_in_few_calls_and_in_order() {
        let receiver_socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = receiver_socket.local_addr().unwrap();
        let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mut receiver = BatchReceiver::new(&receiver_socket).unwrap();
        // Equal-sized datagrams (what GRO coalesces) and a last short one, and an empty one.
        let mut sent = Vec::new();
        // 50 fit the default receive buffer (each takes ~2.3 KB of it).
        for n in 0..50u32 {
            let size = if n == 49 { 40 } else { 1200 };
            let mut datagram = vec![(n % 251) as u8; size];
            datagram[..4].copy_from_slice(&n.to_be_bytes());
            sender.send_to(&datagram, address).await.unwrap();
            sent.push(datagram);
        }
        sender.send_to(&[], address).await.unwrap();
        sent.push(Vec::new());

        let mut received = Vec::new();
        let mut calls = 0;
        while received.len() < sent.len() {
            let datagrams = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                receiver.recv(&receiver_socket),
            )
            .await
            .unwrap_or_else(|_| panic!("the burst arrives: {} of {}", received.len(), sent.len()))
            .unwrap();
            calls += 1;
            for (from, data) in datagrams.iter() {
                assert_eq!(from, sender.local_addr().unwrap());
                received.push(data.to_vec());
            }
        }
        assert_eq!(received, sent, "every datagram, whole and in order");
        if cfg!(target_os = "linux") {
            assert!(calls < 25, "{calls} calls for 51 datagrams");
        }
        assert!(receiver.try_recv(&receiver_socket).unwrap().is_empty());
    }
}
