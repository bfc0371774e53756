//! Auto-host lists: which accounts' channels a channel shows while it is offline, in order.

use crate::{Result, Store};

impl Store {
    /// The usernames `channel_id` hosts while offline, first choice first.
    pub async fn auto_host_usernames(&self, channel_id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT u.username FROM auto_hosts a JOIN users u ON u.id = a.target_user_id \
             WHERE a.channel_id = $1 ORDER BY a.position",
        )
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The id of the first channel on `channel_id`'s list that is live and not marked mature.
    pub async fn first_live_auto_host(&self, channel_id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT c.id FROM auto_hosts a JOIN channels c ON c.user_id = a.target_user_id \
             WHERE a.channel_id = $1 AND c.status = 'live' AND c.mature = 0 \
             ORDER BY a.position LIMIT 1",
        )
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Replaces the channel's list with `targets`, in this order, in one transaction.
    pub async fn replace_auto_hosts(&self, channel_id: i64, targets: &[i64]) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM auto_hosts WHERE channel_id = $1")
            .bind(channel_id)
            .execute(&mut *transaction)
            .await?;
        for (position, target) in targets.iter().enumerate() {
            sqlx::query(
                "INSERT INTO auto_hosts (channel_id, position, target_user_id) VALUES ($1, $2, $3)",
            )
            .bind(channel_id)
            .bind(position as i64)
            .bind(*target)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}
