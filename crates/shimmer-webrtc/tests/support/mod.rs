//! Shared set-up: an engine on loopback, the WHEP router on an ephemeral HTTP port, a hub fed
//! with real ffmpeg-made H.264 and Opus.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use shimmer_bus::{Bus, InProcessBus};
use shimmer_media::hub::HubConfig;
use shimmer_media::{HubRegistry, StreamHub, StreamInfo};
use shimmer_testkit::stream::TestStream;
use shimmer_webrtc::{whep_router, ChannelResolver, Engine, WebRtcConfig};

/// Channel names the test resolver knows.
pub struct MapResolver(pub HashMap<String, i64>);

#[async_trait]
impl ChannelResolver for MapResolver {
    async fn resolve(&self, name_or_id: &str) -> Option<i64> {
        if let Ok(id) = name_or_id.parse::<i64>() {
            return self.0.values().any(|v| *v == id).then_some(id);
        }
        self.0.get(&name_or_id.to_ascii_lowercase()).copied()
    }
}

pub fn resolver() -> Arc<dyn ChannelResolver> {
    Arc::new(MapResolver(HashMap::from([
        ("alice".to_owned(), 1),
        ("bob".to_owned(), 2),
    ])))
}

/// The ffmpeg-made test stream, encoded once per test binary (4 s GOP, 720p, 2.5 Mbit/s).
pub fn stream() -> Arc<TestStream> {
    static STREAM: OnceLock<Arc<TestStream>> = OnceLock::new();
    Arc::clone(STREAM.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        Arc::new(
            TestStream::generate_profile(dir.path(), "main", 1280, 720, 8, 120, 2500)
                .expect("ffmpeg must be installed (apt-get install -y ffmpeg)"),
        )
    }))
}

pub struct Server {
    pub engine: Engine,
    pub hubs: Arc<HubRegistry>,
    pub bus: Arc<InProcessBus>,
    pub http: SocketAddr,
}

impl Server {
    pub async fn start(config: WebRtcConfig) -> Self {
        let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
        let bus = Arc::new(InProcessBus::new());
        let engine = Engine::start(config, Arc::clone(&hubs), Arc::clone(&bus) as Arc<dyn Bus>)
            .await
            .expect("engine starts");
        let router = whep_router(engine.clone(), resolver());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let http = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        Self {
            engine,
            hubs,
            bus,
            http,
        }
    }

    pub fn url(&self, name: &str) -> String {
        format!("http://{}/api/whep/{}", self.http, name)
    }

    /// Makes `channel` live with the test stream and waits for its first keyframe.
    pub async fn go_live(&self, channel: i64) -> Arc<StreamHub> {
        let info = StreamInfo {
            video: Some(StreamInfo::h264(96, 0x1111)),
            audio: Some(StreamInfo::opus(97, 0x2222, 2)),
        };
        let hub = self.hubs.create(channel, info);
        tokio::spawn(stream().publish(Arc::clone(&hub), None));
        for _ in 0..100 {
            if hub.has_keyframe() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(hub.has_keyframe(), "test stream produced no keyframe");
        hub
    }

    /// Waits until the engine has `n` sessions (or the deadline passes).
    pub async fn wait_sessions(&self, n: usize, within: Duration) -> usize {
        let until = tokio::time::Instant::now() + within;
        loop {
            let c = self.engine.session_count();
            if c == n || tokio::time::Instant::now() >= until {
                return c;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
