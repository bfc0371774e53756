//! The stream lifecycle: the single writer of a channel's live state.
//!
//! Ingest sessions ask it to start a stream, report metadata while live, and end the stream.
//! Every transition is written conditionally on the stream id it expects (so a late or duplicate
//! end cannot take a newer stream offline) and announced on the bus.

use shimmer_bus::{Event, StreamEndReason};
use shimmer_store::{Channel, Stream, StreamMetadata};

use crate::{now_ms, ChannelView, Platform, PlatformError};

/// What an ingest reports about a live stream every few seconds (Glimesh's StreamMetadata
/// fields, plus recovery and frame figures). Absent figures are empty or zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestReport {
    pub ingest_server: String,
    pub vendor_name: String,
    pub vendor_version: String,
    pub video_codec: String,
    pub audio_codec: String,
    pub video_width: i64,
    pub video_height: i64,
    /// Bits per second.
    pub source_bitrate: i64,
    /// Milliseconds.
    pub source_ping: i64,
    pub recv_packets: i64,
    pub lost_packets: i64,
    pub nack_packets: i64,
    pub recovered_packets: i64,
    pub frame_rate: f64,
    pub keyframe_interval_ms: i64,
    pub stream_time_seconds: i64,
    /// H.264 SDP profile-level-id from the SPS (six hex digits); empty when unknown.
    pub video_profile: String,
    /// H.264 chroma_format_idc from the SPS (1 = 4:2:0).
    pub video_chroma_format: i64,
    /// H.264 sample bit depth from the SPS.
    pub video_bit_depth: i64,
    /// The protocol carrying the stream (`ftl`, `rtmp`, `whip`); empty when unknown.
    pub ingest_protocol: String,
    /// The encoder sends B-frames, which WebRTC players cannot reorder.
    pub video_b_frames: bool,
}

/// What became of an ingest's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Recorded,
    /// The stream is no longer the channel's live one; its ingest should stop.
    StreamEnded,
}

impl Platform {
    /// The secret half of a channel's stream key, for verifying an ingest handshake.
    pub async fn stream_key_secret(
        &self,
        channel_id: i64,
    ) -> Result<Option<String>, PlatformError> {
        Ok(self
            .store
            .channel_by_id(channel_id)
            .await?
            .map(|channel| channel.stream_key_secret))
    }

    /// Takes a channel live with a new stream. Refused while the owner's email is unconfirmed,
    /// while staff have turned streaming off for the account, and while it is banned.
    /// A stream the channel still had open is closed as replaced.
    pub async fn start_stream(&self, channel_id: i64) -> Result<Stream, PlatformError> {
        let channel: Channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let owner =
            self.store
                .user_by_id(channel.user_id)
                .await?
                .ok_or(PlatformError::NotFound(
                    "That channel's owner no longer exists.",
                ))?;
        if !owner.email_confirmed() {
            return Err(PlatformError::Refused(
                "Streaming requires a confirmed email address.".into(),
            ));
        }
        if !owner.can_stream {
            return Err(PlatformError::Refused(
                "Staff turned streaming off for this account.".into(),
            ));
        }
        self.refuse_banned(owner.id).await?;
        let stream = self
            .store
            .start_stream(channel_id, StreamEndReason::Replaced.as_str())
            .await?;
        if let Some(replaced) = channel.current_stream_id {
            self.publish(Event::StreamEnded {
                channel_id,
                stream_id: replaced,
                reason: StreamEndReason::Replaced,
            })
            .await;
        }
        tracing::info!(channel_id, stream_id = stream.id, username = %channel.username, "stream started");
        self.publish(Event::StreamStarted {
            channel_id,
            stream_id: stream.id,
        })
        .await;
        Ok(stream)
    }

    /// Stores an ingest's periodic statistics snapshot, if the stream is still the one live on
    /// the channel: a report for an ended or unknown stream, or one claimed by another channel,
    /// is not kept, and the ingest is told so that it stops.
    pub async fn report_stream_metadata(
        &self,
        channel_id: i64,
        stream_id: i64,
        report: &IngestReport,
    ) -> Result<Reported, PlatformError> {
        let stream = self.store.stream_by_id(stream_id).await?;
        if stream.is_none_or(|stream| stream.ended_at.is_some() || stream.channel_id != channel_id)
        {
            return Ok(Reported::StreamEnded);
        }
        let metadata = StreamMetadata {
            stream_id,
            recorded_at: now_ms(),
            ingest_server: report.ingest_server.clone(),
            vendor_name: report.vendor_name.clone(),
            vendor_version: report.vendor_version.clone(),
            video_codec: report.video_codec.clone(),
            audio_codec: report.audio_codec.clone(),
            video_width: report.video_width,
            video_height: report.video_height,
            source_bitrate: report.source_bitrate,
            source_ping: report.source_ping,
            recv_packets: report.recv_packets,
            lost_packets: report.lost_packets,
            nack_packets: report.nack_packets,
            recovered_packets: report.recovered_packets,
            frame_rate: report.frame_rate,
            keyframe_interval_ms: report.keyframe_interval_ms,
            stream_time_seconds: report.stream_time_seconds,
            video_profile: report.video_profile.clone(),
            video_chroma_format: report.video_chroma_format,
            video_bit_depth: report.video_bit_depth,
            ingest_protocol: report.ingest_protocol.clone(),
            video_b_frames: i64::from(report.video_b_frames),
        };
        self.store.insert_stream_metadata(&metadata).await?;
        Ok(Reported::Recorded)
    }

    /// The newest statistics snapshot of the channel's live stream; None when the channel is
    /// offline or its ingest has not reported yet. For the streamer's own pages: the caller
    /// has already checked that `channel` is the actor's.
    pub async fn live_stream_metadata(
        &self,
        channel: &ChannelView,
    ) -> Result<Option<StreamMetadata>, PlatformError> {
        let Some(stream_id) = channel.current_stream_id else {
            return Ok(None);
        };
        Ok(self.store.latest_stream_metadata(stream_id).await?)
    }

    /// Ends the stream and takes the channel offline, if that stream is still the channel's.
    /// Returns whether anything changed.
    pub async fn end_stream(
        &self,
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    ) -> Result<bool, PlatformError> {
        let closed = self
            .store
            .end_stream(channel_id, stream_id, reason.as_str())
            .await?;
        if closed {
            tracing::info!(
                channel_id,
                stream_id,
                reason = reason.as_str(),
                "stream ended"
            );
            self.publish(Event::StreamEnded {
                channel_id,
                stream_id,
                reason,
            })
            .await;
        }
        Ok(closed)
    }

    /// Closes the streams this node left open in a crash (and unowned ones from before
    /// streams recorded their node); run at start-up before ingest accepts connections.
    /// Other nodes' streams in a shared database are never touched: a node that crashed and
    /// never comes back leaves its streams open until a lease on them expires (not built yet).
    pub async fn recover_open_streams(&self) -> Result<usize, PlatformError> {
        let closed = self
            .store
            .close_open_streams(StreamEndReason::Recovered.as_str())
            .await?;
        for (channel_id, stream_id) in &closed {
            tracing::warn!(
                channel_id,
                stream_id,
                "closed a stream left open by an earlier run"
            );
            self.publish(Event::StreamEnded {
                channel_id: *channel_id,
                stream_id: *stream_id,
                reason: StreamEndReason::Recovered,
            })
            .await;
        }
        Ok(closed.len())
    }

    /// The nodes that ingest the open streams.
    pub async fn open_stream_nodes(
        &self,
    ) -> Result<std::collections::HashSet<String>, PlatformError> {
        Ok(self
            .store
            .open_streams_by_node()
            .await?
            .into_iter()
            .filter_map(|(_, _, node_id)| node_id)
            .collect())
    }

    /// Ends the open streams whose ingest node is gone from the cluster (not in `live_nodes`:
    /// its lease in the node registry ran out, so it crashed or was cut off), so their channels
    /// go offline everywhere and the streamer can go live again on another node. Streams
    /// without a recorded node are left to start-up recovery. Returns how many were ended.
    pub async fn end_streams_of_lost_nodes(
        &self,
        live_nodes: &std::collections::HashSet<String>,
    ) -> Result<usize, PlatformError> {
        let mut ended = 0;
        for (channel_id, stream_id, node_id) in self.store.open_streams_by_node().await? {
            let Some(node_id) = node_id else { continue };
            if live_nodes.contains(&node_id) {
                continue;
            }
            tracing::warn!(
                channel_id,
                stream_id,
                node_id,
                "ending a stream whose ingest node is gone"
            );
            if self
                .end_stream(channel_id, stream_id, StreamEndReason::NodeLost)
                .await?
            {
                ended += 1;
            }
        }
        Ok(ended)
    }
}
