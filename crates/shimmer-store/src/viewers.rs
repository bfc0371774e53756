//! Viewer statistics of a stream: who watched (each distinct viewer once), the peak, and a
//! per-minute series of concurrent viewers and ingest bitrate for the streamer's dashboard.

use crate::{Result, Store};

/// One minute of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct StreamMinute {
    /// The start of the minute, in milliseconds since the epoch.
    pub minute_at: i64,
    /// Concurrent viewers at the sample.
    pub viewers: i64,
    /// The ingest's last reported bitrate, in bits per second.
    pub bitrate: i64,
}

/// A stream's audience figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewerStats {
    pub peak_viewers: i64,
    pub unique_viewers: i64,
    /// The mean of the per-minute samples (0 without samples).
    pub average_viewers: f64,
}

impl Store {
    /// Records that `viewer_key` watched the stream; returns whether they are new to it.
    pub async fn add_stream_viewer(
        &self,
        stream_id: i64,
        viewer_key: &str,
        seen_at: i64,
    ) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO stream_viewers (stream_id, viewer_key, first_seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (stream_id, viewer_key) DO NOTHING",
        )
        .bind(stream_id)
        .bind(viewer_key)
        .bind(seen_at)
        .execute(&self.pool)
        .await?;
        if result.rows_affected() == 1 {
            sqlx::query("UPDATE streams SET unique_viewers = unique_viewers + 1 WHERE id = $1")
                .bind(stream_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(result.rows_affected() == 1)
    }

    /// Raises the stream's peak to `viewers` if that is higher (never lowers it).
    pub async fn raise_peak_viewers(&self, stream_id: i64, viewers: i64) -> Result<()> {
        sqlx::query("UPDATE streams SET peak_viewers = $1 WHERE id = $2 AND peak_viewers < $3")
            .bind(viewers)
            .bind(stream_id)
            .bind(viewers)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores (or replaces) the sample of one minute.
    pub async fn record_stream_minute(&self, stream_id: i64, minute: StreamMinute) -> Result<()> {
        sqlx::query(
            "INSERT INTO stream_minutes (stream_id, minute_at, viewers, bitrate) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (stream_id, minute_at) \
             DO UPDATE SET viewers = excluded.viewers, bitrate = excluded.bitrate",
        )
        .bind(stream_id)
        .bind(minute.minute_at)
        .bind(minute.viewers)
        .bind(minute.bitrate)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The stream's samples, oldest first.
    pub async fn stream_minutes(&self, stream_id: i64) -> Result<Vec<StreamMinute>> {
        Ok(sqlx::query_as(
            "SELECT minute_at, viewers, bitrate FROM stream_minutes WHERE stream_id = $1 \
             ORDER BY minute_at",
        )
        .bind(stream_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Peak, unique and average viewers of the stream (None for an unknown stream).
    pub async fn viewer_stats(&self, stream_id: i64) -> Result<Option<ViewerStats>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT peak_viewers, unique_viewers FROM streams WHERE id = $1")
                .bind(stream_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((peak_viewers, unique_viewers)) = row else {
            return Ok(None);
        };
        let (count, sum): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), CAST(SUM(viewers) AS BIGINT) FROM stream_minutes WHERE stream_id = $1",
        )
        .bind(stream_id)
        .fetch_one(&self.pool)
        .await?;
        let average_viewers = if count == 0 {
            0.0
        } else {
            sum.unwrap_or(0) as f64 / count as f64
        };
        Ok(Some(ViewerStats {
            peak_viewers,
            unique_viewers,
            average_viewers,
        }))
    }

    /// The last bitrate the stream's ingest reported (0 before the first report).
    pub async fn latest_bitrate(&self, stream_id: i64) -> Result<i64> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT source_bitrate FROM stream_metadata WHERE stream_id = $1 \
             ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(stream_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map_or(0, |(bitrate,)| bitrate))
    }
}
