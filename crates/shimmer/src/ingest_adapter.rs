//! Connects the media crates to the platform: FTL ingest to the stream lifecycle (the platform's
//! implementation of [`IngestControl`]) and WHEP playback URLs to channels. These only
//! translate; the rules live in `shimmer-platform`.

use std::sync::Arc;

use shimmer_bus::StreamEndReason;
use shimmer_ftl::{ControlError, IngestControl, StartError, StreamStartInfo, StreamStats};
use shimmer_platform::stream_lifecycle::{IngestReport, Reported};
use shimmer_platform::{Platform, PlatformError};

pub struct PlatformIngest {
    pub platform: Platform,
}

fn failed(error: PlatformError) -> ControlError {
    ControlError::Failed(error.to_string())
}

fn clamp(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[async_trait::async_trait]
impl IngestControl for PlatformIngest {
    async fn channel_secret(&self, channel_id: i64) -> Result<Option<String>, ControlError> {
        self.platform
            .stream_key_secret(channel_id)
            .await
            .map_err(failed)
    }

    async fn start_stream(
        &self,
        channel_id: i64,
        _info: &StreamStartInfo,
    ) -> Result<i64, StartError> {
        match self.platform.start_stream(channel_id).await {
            Ok(stream) => Ok(stream.id),
            Err(
                error @ (PlatformError::Refused(_)
                | PlatformError::NotFound(_)
                | PlatformError::Forbidden),
            ) => Err(StartError::NotAuthorized(error.to_string())),
            Err(error) => Err(StartError::Internal(error.to_string())),
        }
    }

    async fn report_metadata(
        &self,
        channel_id: i64,
        stream_id: i64,
        stats: &StreamStats,
    ) -> Result<(), ControlError> {
        let report = IngestReport {
            ingest_server: stats.ingest_server.clone(),
            vendor_name: stats.vendor_name.clone().unwrap_or_default(),
            vendor_version: stats.vendor_version.clone().unwrap_or_default(),
            video_codec: stats.video_codec.clone().unwrap_or_default(),
            audio_codec: stats.audio_codec.clone().unwrap_or_default(),
            video_width: i64::from(stats.video_width.unwrap_or(0)),
            video_height: i64::from(stats.video_height.unwrap_or(0)),
            source_bitrate: clamp(stats.source_bitrate),
            source_ping: i64::from(stats.source_ping_ms.unwrap_or(0)),
            recv_packets: clamp(stats.recv_packets),
            lost_packets: clamp(stats.lost_packets),
            nack_packets: clamp(stats.nack_packets),
            recovered_packets: clamp(stats.recovered_packets),
            frame_rate: stats.fps,
            keyframe_interval_ms: i64::from(stats.keyframe_interval_ms.unwrap_or(0)),
            stream_time_seconds: clamp(stats.stream_time_seconds),
            video_profile: stats.video_profile.clone().unwrap_or_default(),
            video_chroma_format: i64::from(stats.video_chroma_format.unwrap_or(1)),
            video_bit_depth: i64::from(stats.video_bit_depth.unwrap_or(8)),
            ingest_protocol: stats.ingest_protocol.as_str().to_owned(),
            video_b_frames: stats.video_b_frames,
        };
        match self
            .platform
            .report_stream_metadata(channel_id, stream_id, &report)
            .await
            .map_err(failed)?
        {
            Reported::Recorded => Ok(()),
            Reported::StreamEnded => Err(ControlError::StreamEnded),
        }
    }

    async fn end_stream(
        &self,
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    ) -> Result<(), ControlError> {
        self.platform
            .end_stream(channel_id, stream_id, reason)
            .await
            .map(drop)
            .map_err(failed)
    }
}

/// Where the HLS routes find channels (by the WHEP resolver) and streams (by the engine: this
/// node's hubs, or on an edge the relay's).
pub struct HlsStreams {
    pub resolver: Arc<StoreChannelResolver>,
    pub engine: shimmer_webrtc::Engine,
}

#[async_trait::async_trait]
impl shimmer_hls::StreamSource for HlsStreams {
    async fn channel(&self, name: &str) -> Option<i64> {
        use shimmer_webrtc::ChannelResolver;
        self.resolver.resolve(name).await
    }

    async fn hub(&self, channel_id: i64) -> Option<Arc<shimmer_media::hub::StreamHub>> {
        self.engine.find_hub(channel_id).await
    }
}

/// Counts HLS viewers with the WebRTC ones: their comings and goings go on the bus as viewer
/// events, like a WebRTC session's, without making the packager wait on the bus.
pub struct HlsViewers {
    pub bus: Arc<dyn shimmer_bus::Bus>,
}

impl HlsViewers {
    fn publish(&self, event: shimmer_bus::Event) {
        let bus = self.bus.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(std::time::Duration::from_secs(5), bus.publish(event)).await
            {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(%error, "could not publish an HLS viewer event"),
                Err(_) => tracing::warn!("publishing an HLS viewer event timed out"),
            }
        });
    }
}

impl shimmer_hls::ViewerEvents for HlsViewers {
    fn joined(&self, channel_id: i64, session: String, viewer_key: String) {
        self.publish(shimmer_bus::Event::ViewerJoined {
            channel_id,
            session_id: session,
            viewer_key: Some(viewer_key),
        });
    }

    fn left(&self, channel_id: i64, session: String) {
        self.publish(shimmer_bus::Event::ViewerLeft {
            channel_id,
            session_id: session,
        });
    }
}

/// Resolves `/api/whep/<name or id>` to a channel. Names (what viewers' links carry) go
/// through the platform's short cache of channels by name, so a burst of viewers joining one
/// channel does not queue for database connections.
pub struct StoreChannelResolver {
    pub platform: Platform,
}

#[async_trait::async_trait]
impl shimmer_webrtc::ChannelResolver for StoreChannelResolver {
    async fn resolve(&self, name_or_id: &str) -> Option<i64> {
        let channel = match name_or_id.parse::<i64>() {
            Ok(id) => self.platform.channel(id).await,
            Err(_) => self.platform.channel_by_username_recent(name_or_id).await,
        };
        match channel {
            Ok(channel) => channel.map(|channel| channel.id),
            Err(error) => {
                tracing::error!(%error, "could not resolve a WHEP channel");
                None
            }
        }
    }
}
