//! About panels: the Markdown sections a channel shows below its player, in order.

use crate::{now_ms, Result, Store};

/// One stored panel, as written (Markdown is rendered by the domain when shown).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChannelPanel {
    pub title: String,
    pub body: String,
}

impl Store {
    /// The channel's panels, first to last.
    pub async fn channel_panels(&self, channel_id: i64) -> Result<Vec<ChannelPanel>> {
        Ok(sqlx::query_as(
            "SELECT title, body FROM channel_panels WHERE channel_id = $1 ORDER BY position",
        )
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces the channel's panels with `panels`, in this order, in one transaction.
    pub async fn replace_channel_panels(
        &self,
        channel_id: i64,
        panels: &[ChannelPanel],
    ) -> Result<()> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM channel_panels WHERE channel_id = $1")
            .bind(channel_id)
            .execute(&mut *transaction)
            .await?;
        for (position, panel) in panels.iter().enumerate() {
            sqlx::query(
                "INSERT INTO channel_panels (channel_id, position, title, body, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(channel_id)
            .bind(position as i64)
            .bind(&panel.title)
            .bind(&panel.body)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}
