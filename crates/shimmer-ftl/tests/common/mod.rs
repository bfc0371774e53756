//! Shared helpers for the server tests: an in-memory platform, a server on ephemeral ports,
//! ffmpeg-made media and a raw control-connection client.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shimmer_ftl::control::compute_hmac;
use shimmer_ftl::ingest_control::StreamEndReason;
use shimmer_ftl::{
    ControlError, FtlConfig, FtlServer, IngestControl, StartError, StreamStartInfo, StreamStats,
};
use shimmer_media::HubRegistry;
use shimmer_testkit::media::{Bitrate, Opus, H264};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_util::sync::CancellationToken;

pub const SECRET: &str = "secretKey123";

/// What the platform saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Start(i64),
    End(i64, i64, StreamEndReason),
}

#[derive(Default)]
pub struct MemoryControl {
    pub secrets: Mutex<HashMap<i64, String>>,
    pub refuse: Mutex<Option<StartError>>,
    pub calls: Mutex<Vec<Call>>,
    pub metadata: Mutex<Vec<(i64, StreamStats)>>,
    next_stream: Mutex<i64>,
}

impl MemoryControl {
    pub fn with_channels(ids: &[i64]) -> Arc<Self> {
        let c = Self::default();
        for id in ids {
            c.secrets.lock().unwrap().insert(*id, SECRET.to_string());
        }
        Arc::new(c)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    pub fn ends(&self) -> Vec<(i64, StreamEndReason)> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::End(ch, _, r) => Some((ch, r)),
                _ => None,
            })
            .collect()
    }

    /// Waits until `n` streams have ended.
    pub async fn wait_ends(&self, n: usize) -> Vec<(i64, StreamEndReason)> {
        for _ in 0..200 {
            let e = self.ends();
            if e.len() >= n {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} ended streams, calls: {:?}", self.calls());
    }
}

#[async_trait::async_trait]
impl IngestControl for MemoryControl {
    async fn channel_secret(&self, channel_id: i64) -> Result<Option<String>, ControlError> {
        Ok(self.secrets.lock().unwrap().get(&channel_id).cloned())
    }

    async fn start_stream(
        &self,
        channel_id: i64,
        _info: &StreamStartInfo,
    ) -> Result<i64, StartError> {
        if let Some(e) = self.refuse.lock().unwrap().clone() {
            return Err(e);
        }
        let mut n = self.next_stream.lock().unwrap();
        *n += 1;
        self.calls.lock().unwrap().push(Call::Start(channel_id));
        Ok(*n)
    }

    async fn report_metadata(
        &self,
        channel_id: i64,
        _stream_id: i64,
        stats: &StreamStats,
    ) -> Result<(), ControlError> {
        self.metadata
            .lock()
            .unwrap()
            .push((channel_id, stats.clone()));
        Ok(())
    }

    async fn end_stream(
        &self,
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    ) -> Result<(), ControlError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::End(channel_id, stream_id, reason));
        Ok(())
    }
}

pub struct TestServer {
    pub control_addr: std::net::SocketAddr,
    pub media_port: u16,
    pub hubs: Arc<HubRegistry>,
    pub platform: Arc<MemoryControl>,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<()>,
}

pub fn test_config() -> FtlConfig {
    FtlConfig {
        bind_address: "127.0.0.1".parse().unwrap(),
        control_port: 0,
        media_port: 0,
        metadata_interval_ms: 500,
        ..Default::default()
    }
}

pub async fn start_server(config: FtlConfig, platform: Arc<MemoryControl>) -> TestServer {
    let hubs = Arc::new(HubRegistry::default());
    let server = FtlServer::bind(config, platform.clone(), hubs.clone())
        .await
        .unwrap();
    let control_addr = server.control_addr();
    let media_port = server.media_addr().port();
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(server.run(shutdown.clone()));
    TestServer {
        control_addr,
        media_port,
        hubs,
        platform,
        shutdown,
        task,
    }
}

/// ffmpeg-made media (4 s of 640x360 H.264 without B-frames, 2 s GOP, 1,000 kbit/s; stereo
/// Opus 20 ms at 96 kbit/s), generated once per process.
pub fn test_media() -> (PathBuf, PathBuf) {
    let video = H264::new(640, 360, 4)
        .bitrate(Bitrate::Average(1000))
        .cached()
        .expect("ffmpeg makes the test video");
    let audio = Opus::new(4)
        .kbps(96)
        .cached()
        .expect("ffmpeg makes the test audio");
    (video, audio)
}

/// A raw control connection for protocol tests.
pub struct Raw {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Raw {
    pub async fn connect(addr: std::net::SocketAddr) -> Self {
        Self {
            stream: TcpStream::connect(addr).await.unwrap(),
            buf: Vec::new(),
        }
    }

    /// Connects from a chosen local IP (e.g. 127.0.0.2).
    pub async fn connect_from(addr: std::net::SocketAddr, local: &str) -> Self {
        let s = TcpSocket::new_v4().unwrap();
        s.bind(format!("{local}:0").parse().unwrap()).unwrap();
        Self {
            stream: s.connect(addr).await.unwrap(),
            buf: Vec::new(),
        }
    }

    pub async fn send(&mut self, line: &str) {
        let _ = self
            .stream
            .write_all(format!("{line}\r\n\r\n").as_bytes())
            .await;
    }

    /// The next reply line, or None on close / 3 s without one.
    pub async fn reply(&mut self) -> Option<String> {
        loop {
            if let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                return Some(String::from_utf8_lossy(&line[..line.len() - 1]).into_owned());
            }
            let mut b = [0u8; 1024];
            match tokio::time::timeout(Duration::from_secs(3), self.stream.read(&mut b)).await {
                Ok(Ok(n)) if n > 0 => self.buf.extend_from_slice(&b[..n]),
                _ => return None,
            }
        }
    }

    /// True if the server closed the connection (within 3 s).
    pub async fn closed(&mut self) -> bool {
        let mut b = [0u8; 64];
        matches!(
            tokio::time::timeout(Duration::from_secs(3), self.stream.read(&mut b)).await,
            Ok(Ok(0)) | Ok(Err(_))
        )
    }

    /// HMAC + CONNECT with `secret`; returns the CONNECT reply.
    pub async fn auth(&mut self, channel: i64, secret: &str) -> Option<String> {
        self.send("HMAC").await;
        let challenge = self.reply().await?;
        assert!(challenge.starts_with("200 "), "{challenge}");
        let nonce = hex::decode(&challenge[4..]).unwrap();
        assert_eq!(nonce.len(), 128);
        self.send(&format!(
            "CONNECT {channel} ${}",
            hex::encode(compute_hmac(secret.as_bytes(), &nonce))
        ))
        .await;
        self.reply().await
    }

    /// Full handshake announcing SSRCs channel (audio) and channel+1 (video); returns the `.` reply.
    pub async fn handshake(&mut self, channel: i64) -> Option<String> {
        assert_eq!(self.auth(channel, SECRET).await.as_deref(), Some("200"));
        for a in [
            "ProtocolVersion: 0.9".to_string(),
            "VendorName: raw-test".into(),
            "VendorVersion: 1".into(),
            "Video: true".into(),
            "VideoCodec: H264".into(),
            "VideoPayloadType: 96".into(),
            format!("VideoIngestSSRC: {}", channel + 1),
            "Audio: true".into(),
            "AudioCodec: OPUS".into(),
            "AudioPayloadType: 97".into(),
            format!("AudioIngestSSRC: {channel}"),
        ] {
            self.send(&a).await;
        }
        self.send(".").await;
        self.reply().await
    }
}

/// The UDP port from a `200 hi. Use UDP port N` reply.
pub fn port_of(reply: &str) -> u16 {
    reply
        .rsplit_once("Use UDP port ")
        .unwrap()
        .1
        .trim()
        .parse()
        .unwrap()
}
