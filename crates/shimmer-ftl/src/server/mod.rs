//! The tokio driver: a TCP listener for control connections and one UDP socket for media.
//!
//! One task per connection owns everything about its stream: its [`StreamMachine`] decides, the
//! task moves bytes, datagrams and media packets and runs the platform calls the machine asks
//! for. The table of live streams ([`LiveStreams`]) is shared under a lock, taken only on the
//! control path. One task owns the UDP socket's receive side and routes datagrams to sessions
//! (`demux`). Platform calls run in the connection's task outside the packet path, each under a
//! deadline; metadata reports are spawned so a slow platform never delays media.
//!
//! Shutdown: cancel the token given to [`FtlServer::run`]; every live stream is told `410`, ended
//! with `end_stream(.., Shutdown)`, and `run` returns once they all have.
//!
//! [`StreamMachine`]: crate::stream::StreamMachine

mod connection;
mod demux;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use shimmer_media::HubRegistry;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::FtlConfig;
use crate::ingest_control::IngestControl;
use crate::live::LiveStreams;

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding the control (TCP) listener failed.
    #[error("binding FTL control port {addr}: {source}")]
    BindControl {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// Binding the media (UDP) socket failed.
    #[error("binding FTL media port {addr}: {source}")]
    BindMedia {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// How other connections reach a live stream's task, kept in the [`LiveStreams`] table.
#[derive(Debug, Clone, Default)]
pub(crate) struct LiveHandle {
    /// Cancelled to make this session end with `Replaced`.
    replace: CancellationToken,
    /// Cancelled by the session once it has fully ended (end_stream returned).
    done: CancellationToken,
}

/// State shared by connection tasks. Only touched on the control path.
pub(crate) struct Shared {
    config: FtlConfig,
    control: Arc<dyn IngestControl>,
    hubs: Arc<HubRegistry>,
    socket: Arc<UdpSocket>,
    media_port: u16,
    demux: mpsc::UnboundedSender<demux::DemuxCommand>,
    live: Mutex<LiveStreams<LiveHandle>>,
    next_session: AtomicU64,
}

impl Shared {
    fn live(&self) -> std::sync::MutexGuard<'_, LiveStreams<LiveHandle>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Binds the media socket with large kernel buffers: one socket carries every stream, and a
/// keyframe burst from many encoders at once must not overflow the default buffer.
fn bind_udp(addr: SocketAddr, buffer: usize) -> std::io::Result<UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if buffer > 0 {
        // Best effort: the kernel caps these at net.core.[rw]mem_max.
        let _ = socket.set_recv_buffer_size(buffer);
        let _ = socket.set_send_buffer_size(buffer);
        #[cfg(target_os = "linux")]
        if socket.recv_buffer_size().unwrap_or(0) < buffer {
            force_recv_buffer(&socket, buffer);
        }
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    UdpSocket::from_std(socket.into())
}

/// Raises the receive buffer past net.core.rmem_max when the process may (CAP_NET_ADMIN);
/// silently keeps the capped size otherwise.
#[cfg(target_os = "linux")]
fn force_recv_buffer(socket: &socket2::Socket, size: usize) {
    use std::os::fd::AsRawFd;
    let value = libc::c_int::try_from(size).unwrap_or(libc::c_int::MAX);
    // SAFETY: setsockopt reads `size_of::<c_int>()` bytes from a valid pointer to `value`, and the
    // descriptor is owned by `socket` for the duration of the call.
    unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUFFORCE,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// A bound FTL server, ready to [`run`](FtlServer::run).
pub struct FtlServer {
    listener: TcpListener,
    socket: Arc<UdpSocket>,
    config: FtlConfig,
    control: Arc<dyn IngestControl>,
    hubs: Arc<HubRegistry>,
}

impl FtlServer {
    /// Binds the control and media ports. Ports 0 pick free ones (tests, benchmarks).
    pub async fn bind(
        config: FtlConfig,
        control: Arc<dyn IngestControl>,
        hubs: Arc<HubRegistry>,
    ) -> Result<Self, ServerError> {
        let caddr = SocketAddr::new(config.bind_address, config.control_port);
        let listener =
            TcpListener::bind(caddr)
                .await
                .map_err(|source| ServerError::BindControl {
                    addr: caddr,
                    source,
                })?;
        let maddr = SocketAddr::new(config.bind_address, config.media_port);
        let socket =
            bind_udp(maddr, config.udp_buffer_bytes).map_err(|source| ServerError::BindMedia {
                addr: maddr,
                source,
            })?;
        Ok(Self {
            listener,
            socket: Arc::new(socket),
            config,
            control,
            hubs,
        })
    }

    /// The bound control address.
    pub fn control_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::new(self.config.bind_address, self.config.control_port))
    }

    /// The bound media address.
    pub fn media_addr(&self) -> SocketAddr {
        self.socket
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::new(self.config.bind_address, self.config.media_port))
    }

    /// Serves until `shutdown` is cancelled, then ends every live stream (`Shutdown`) and returns.
    pub async fn run(self, shutdown: CancellationToken) {
        let media_port = self
            .config
            .advertised_media_port
            .unwrap_or(self.media_addr().port());
        let (demux_tx, demux_rx) = mpsc::unbounded_channel();
        let demux_stop = CancellationToken::new();
        let demux_task = tokio::spawn(demux::run(
            Arc::clone(&self.socket),
            demux_rx,
            demux_stop.clone(),
        ));
        let shared = Arc::new(Shared {
            config: self.config,
            control: self.control,
            hubs: self.hubs,
            socket: self.socket,
            media_port,
            demux: demux_tx,
            live: Mutex::new(LiveStreams::default()),
            next_session: AtomicU64::new(1),
        });
        let tracker = TaskTracker::new();
        tracing::info!(control = %self.listener.local_addr().map(|a| a.to_string()).unwrap_or_default(), media_port, "FTL ingest listening");
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        tracker.spawn(connection::serve(
                            stream,
                            peer,
                            Arc::clone(&shared),
                            shutdown.child_token(),
                        ));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "FTL accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                },
            }
        }
        drop(self.listener);
        tracker.close();
        tracker.wait().await;
        demux_stop.cancel();
        let _ = demux_task.await;
        tracing::info!("FTL ingest stopped");
    }
}
