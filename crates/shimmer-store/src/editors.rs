//! Channel editors: moderators whom the streamer lets edit the stream's title and tags.

use crate::{Result, Store};

impl Store {
    /// Whether the user may edit the channel's title and tags as one of its moderators.
    pub async fn is_channel_editor(&self, channel_id: i64, user_id: i64) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT is_editor FROM channel_moderators WHERE channel_id = $1 AND user_id = $2",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some_and(|(editor,)| editor != 0))
    }

    /// Marks a moderator as an editor or not; returns whether they are a moderator.
    pub async fn set_channel_editor(
        &self,
        channel_id: i64,
        user_id: i64,
        editor: bool,
    ) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE channel_moderators SET is_editor = $1 WHERE channel_id = $2 AND user_id = $3",
        )
        .bind(i64::from(editor))
        .bind(channel_id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }
}
