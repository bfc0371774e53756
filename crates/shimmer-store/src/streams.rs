use crate::{now_ms, Result, Store};

/// One broadcast of a channel, from going live to going offline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stream {
    pub id: i64,
    pub channel_id: i64,
    pub title: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub end_reason: Option<String>,
    /// The node that ingests (or ingested) the stream; None for streams from before owners
    /// were recorded.
    pub node_id: Option<String>,
    /// That node's host name, for people.
    pub node_host: Option<String>,
}

/// The node a store opens streams for: a stable id (kept in the node's data directory or set
/// in its configuration) and its host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamOwner {
    pub node_id: String,
    pub host: String,
}

/// A periodic snapshot of an ingest's statistics (the fields of Glimesh's StreamMetadata, plus
/// recovery and frame figures).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StreamMetadata {
    pub stream_id: i64,
    pub recorded_at: i64,
    pub ingest_server: String,
    pub vendor_name: String,
    pub vendor_version: String,
    pub video_codec: String,
    pub audio_codec: String,
    pub video_width: i64,
    pub video_height: i64,
    pub source_bitrate: i64,
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
    /// `ftl`, `rtmp` or `whip`; empty when an external ingest logged the metadata through the API.
    pub ingest_protocol: String,
    /// 1 when the encoder sends B-frames (frames out of presentation order), else 0.
    pub video_b_frames: i64,
}

/// A stored metadata snapshot with its row id, as the API pages them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredStreamMetadata {
    pub id: i64,
    #[sqlx(flatten)]
    pub metadata: StreamMetadata,
}

const METADATA_COLUMNS: &str = "stream_id, recorded_at, ingest_server, vendor_name, \
     vendor_version, video_codec, audio_codec, video_width, video_height, source_bitrate, \
     source_ping, recv_packets, lost_packets, nack_packets, recovered_packets, frame_rate, \
     keyframe_interval_ms, stream_time_seconds, video_profile, video_chroma_format, video_bit_depth, \
     ingest_protocol, video_b_frames";

const STREAM_COLUMNS: &str =
    "id, channel_id, title, started_at, ended_at, end_reason, node_id, node_host";

impl Store {
    /// Opens a stream owned by this store's node and marks the channel live with it, in one
    /// transaction. A stream the channel still had open is closed first with `replaced_reason`.
    pub async fn start_stream(&self, channel_id: i64, replaced_reason: &str) -> Result<Stream> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "UPDATE streams SET ended_at = $1, end_reason = $2 \
             WHERE channel_id = $3 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(replaced_reason)
        .bind(channel_id)
        .execute(&mut *transaction)
        .await?;
        let stream: Stream = sqlx::query_as(&format!(
            "INSERT INTO streams (channel_id, title, category_id, subcategory_id, started_at, \
             node_id, node_host) \
             SELECT id, title, category_id, subcategory_id, $1, $3, $4 FROM channels \
             WHERE id = $2 RETURNING {STREAM_COLUMNS}"
        ))
        .bind(now)
        .bind(channel_id)
        .bind(self.owner.as_ref().map(|owner| owner.node_id.clone()))
        .bind(self.owner.as_ref().map(|owner| owner.host.clone()))
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE channels SET status = 'live', current_stream_id = $1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(stream.id)
        .bind(now)
        .bind(channel_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(stream)
    }

    /// Closes the stream and takes the channel offline, but only if the channel is still live
    /// with this very stream: a late or duplicate end cannot end a newer stream. Returns whether
    /// the stream was open.
    pub async fn end_stream(&self, channel_id: i64, stream_id: i64, reason: &str) -> Result<bool> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE streams SET ended_at = $1, end_reason = $2 \
             WHERE id = $3 AND channel_id = $4 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(reason)
        .bind(stream_id)
        .bind(channel_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE channels SET status = 'offline', current_stream_id = NULL, updated_at = $1 \
             WHERE id = $2 AND current_stream_id = $3",
        )
        .bind(now)
        .bind(channel_id)
        .bind(stream_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(closed == 1)
    }

    /// Closes the streams this store's node left open (after a crash), and those without an
    /// owner (from before owners were recorded), and takes their channels offline. Streams of
    /// other nodes sharing the database are never touched. Returns the `(channel_id,
    /// stream_id)` pairs closed, so the caller can announce them.
    pub async fn close_open_streams(&self, reason: &str) -> Result<Vec<(i64, i64)>> {
        let node_id = self.owner.as_ref().map(|owner| owner.node_id.clone());
        let open: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT channel_id, id FROM streams \
             WHERE ended_at IS NULL AND (node_id IS NULL OR node_id = $1)",
        )
        .bind(node_id)
        .fetch_all(&self.pool)
        .await?;
        let mut closed = Vec::with_capacity(open.len());
        for (channel_id, stream_id) in open {
            if self.end_stream(channel_id, stream_id, reason).await? {
                closed.push((channel_id, stream_id));
            }
        }
        // A channel marked live without an open stream is inconsistent too; a channel live
        // with another node's open stream is left alone.
        sqlx::query(
            "UPDATE channels SET status = 'offline', current_stream_id = NULL \
             WHERE status = 'live' AND (current_stream_id IS NULL OR NOT EXISTS \
             (SELECT 1 FROM streams WHERE streams.id = channels.current_stream_id \
             AND streams.ended_at IS NULL))",
        )
        .execute(&self.pool)
        .await?;
        Ok(closed)
    }

    /// Every open stream with the node that ingests it: `(channel_id, stream_id, node_id)`.
    pub async fn open_streams_by_node(&self) -> Result<Vec<(i64, i64, Option<String>)>> {
        Ok(sqlx::query_as(
            "SELECT channel_id, id, node_id FROM streams WHERE ended_at IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn stream_by_id(&self, id: i64) -> Result<Option<Stream>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {STREAM_COLUMNS} FROM streams WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The channel's streams, newest first.
    pub async fn streams_of_channel(&self, channel_id: i64, limit: i64) -> Result<Vec<Stream>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {STREAM_COLUMNS} FROM streams WHERE channel_id = $1 \
             ORDER BY started_at DESC, id DESC LIMIT $2"
        ))
        .bind(channel_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// One page of the channel's streams, newest first, for API connections.
    pub async fn streams_of_channel_page(
        &self,
        channel_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Stream>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {STREAM_COLUMNS} FROM streams WHERE channel_id = $1 \
             ORDER BY started_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(channel_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many streams the channel has had, open one included.
    pub async fn count_streams_of_channel(&self, channel_id: i64) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM streams WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    pub async fn insert_stream_metadata(&self, metadata: &StreamMetadata) -> Result<()> {
        sqlx::query(
            "INSERT INTO stream_metadata (stream_id, recorded_at, ingest_server, vendor_name, \
             vendor_version, video_codec, audio_codec, video_width, video_height, source_bitrate, \
             source_ping, recv_packets, lost_packets, nack_packets, recovered_packets, frame_rate, \
             keyframe_interval_ms, stream_time_seconds, video_profile, video_chroma_format, \
             video_bit_depth, ingest_protocol, video_b_frames) VALUES ($1, $2, $3, $4, $5, $6, \
             $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
        )
        .bind(metadata.stream_id)
        .bind(metadata.recorded_at)
        .bind(&metadata.ingest_server)
        .bind(&metadata.vendor_name)
        .bind(&metadata.vendor_version)
        .bind(&metadata.video_codec)
        .bind(&metadata.audio_codec)
        .bind(metadata.video_width)
        .bind(metadata.video_height)
        .bind(metadata.source_bitrate)
        .bind(metadata.source_ping)
        .bind(metadata.recv_packets)
        .bind(metadata.lost_packets)
        .bind(metadata.nack_packets)
        .bind(metadata.recovered_packets)
        .bind(metadata.frame_rate)
        .bind(metadata.keyframe_interval_ms)
        .bind(metadata.stream_time_seconds)
        .bind(&metadata.video_profile)
        .bind(metadata.video_chroma_format)
        .bind(metadata.video_bit_depth)
        .bind(&metadata.ingest_protocol)
        .bind(metadata.video_b_frames)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The stream's metadata records, oldest first.
    pub async fn stream_metadata(&self, stream_id: i64) -> Result<Vec<StreamMetadata>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {METADATA_COLUMNS} FROM stream_metadata \
             WHERE stream_id = $1 ORDER BY recorded_at, id"
        ))
        .bind(stream_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The stream's newest metadata snapshot, if any.
    pub async fn latest_stream_metadata(&self, stream_id: i64) -> Result<Option<StreamMetadata>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {METADATA_COLUMNS} FROM stream_metadata \
             WHERE stream_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1"
        ))
        .bind(stream_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// One page of the stream's metadata snapshots, oldest first, for API connections.
    pub async fn stream_metadata_page(
        &self,
        stream_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<StoredStreamMetadata>> {
        Ok(sqlx::query_as(&format!(
            "SELECT id, {METADATA_COLUMNS} FROM stream_metadata WHERE stream_id = $1 \
             ORDER BY recorded_at, id LIMIT $2 OFFSET $3"
        ))
        .bind(stream_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many metadata snapshots the stream has.
    pub async fn count_stream_metadata(&self, stream_id: i64) -> Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM stream_metadata WHERE stream_id = $1")
                .bind(stream_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }
}
