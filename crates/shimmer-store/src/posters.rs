//! Channel posters: the JPEG renditions (two card sizes) an offline channel shows. Written whole
//! in one statement, so a poster is never half replaced.

use sqlx::Row;

use crate::{now_ms, Result, Store};

/// Which of a poster's two renditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosterSize {
    /// 832×468.
    Large,
    /// 416×234.
    Small,
}

impl PosterSize {
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Self::Large => ("large", "large_etag"),
            Self::Small => ("small", "small_etag"),
        }
    }
}

/// A poster to store: both renditions with their entity tags.
#[derive(Debug, Clone)]
pub struct NewPoster<'a> {
    pub large: &'a [u8],
    pub small: &'a [u8],
    pub large_etag: &'a str,
    pub small_etag: &'a str,
    pub uploaded_by: i64,
}

/// One stored rendition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPoster {
    pub bytes: Vec<u8>,
    pub etag: String,
    pub updated_at: i64,
}

impl StoredPoster {
    /// A stored picture from a row of (bytes, etag, updated_at), the order every picture query
    /// selects them in.
    pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self> {
        Ok(Self {
            bytes: row.try_get(0)?,
            etag: row.try_get(1)?,
            updated_at: row.try_get(2)?,
        })
    }
}

impl Store {
    /// Sets or replaces a channel's poster.
    pub async fn set_channel_poster(&self, channel_id: i64, poster: &NewPoster<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO channel_posters \
             (channel_id, large, small, large_etag, small_etag, uploaded_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (channel_id) DO UPDATE SET large = excluded.large, \
             small = excluded.small, large_etag = excluded.large_etag, \
             small_etag = excluded.small_etag, uploaded_by = excluded.uploaded_by, \
             updated_at = excluded.updated_at",
        )
        .bind(channel_id)
        .bind(poster.large.to_vec())
        .bind(poster.small.to_vec())
        .bind(poster.large_etag)
        .bind(poster.small_etag)
        .bind(poster.uploaded_by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One rendition of a channel's poster, if it has one.
    pub async fn channel_poster(
        &self,
        channel_id: i64,
        size: PosterSize,
    ) -> Result<Option<StoredPoster>> {
        let (bytes, etag) = size.columns();
        let row = sqlx::query(&format!(
            "SELECT {bytes}, {etag}, updated_at FROM channel_posters WHERE channel_id = $1"
        ))
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(StoredPoster::from_row).transpose()
    }

    /// When a channel's poster was last set, or None without one (cheap: no image bytes read).
    pub async fn channel_poster_updated_at(&self, channel_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT updated_at FROM channel_posters WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// Removes a channel's poster; returns whether it had one.
    pub async fn delete_channel_poster(&self, channel_id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM channel_posters WHERE channel_id = $1")
            .bind(channel_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
