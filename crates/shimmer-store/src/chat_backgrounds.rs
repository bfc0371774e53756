//! Chat backgrounds: the one JPEG a channel shows behind its chat, written whole in one
//! statement.

use sqlx::Row;

use crate::{now_ms, Result, Store, StoredPoster};

impl Store {
    /// Sets or replaces a channel's chat background: our JPEG and its entity tag.
    pub async fn set_chat_background(
        &self,
        channel_id: i64,
        image: &[u8],
        etag: &str,
        uploaded_by: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO channel_chat_backgrounds \
             (channel_id, image, etag, uploaded_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (channel_id) DO UPDATE SET image = excluded.image, \
             etag = excluded.etag, uploaded_by = excluded.uploaded_by, \
             updated_at = excluded.updated_at",
        )
        .bind(channel_id)
        .bind(image.to_vec())
        .bind(etag)
        .bind(uploaded_by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A channel's chat background, if it has one.
    pub async fn chat_background(&self, channel_id: i64) -> Result<Option<StoredPoster>> {
        let row = sqlx::query(
            "SELECT image, etag, updated_at FROM channel_chat_backgrounds WHERE channel_id = $1",
        )
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(StoredPoster::from_row).transpose()
    }

    /// When a channel's chat background was last set, or None without one (no image read).
    pub async fn chat_background_updated_at(&self, channel_id: i64) -> Result<Option<i64>> {
        let row =
            sqlx::query("SELECT updated_at FROM channel_chat_backgrounds WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    /// Removes a channel's chat background; returns whether it had one.
    pub async fn delete_chat_background(&self, channel_id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM channel_chat_backgrounds WHERE channel_id = $1")
            .bind(channel_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
