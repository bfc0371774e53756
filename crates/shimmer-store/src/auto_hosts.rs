//! Auto-host lists: which accounts' channels a channel shows while it is offline, in order.

use crate::{Result, Store};

impl Store {
    /// The accounts `channel_id` hosts while offline, first choice first.
    pub async fn auto_host_targets(&self, channel_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT target_user_id FROM auto_hosts WHERE channel_id = $1 ORDER BY position",
        )
        .bind(channel_id)
        .fetch_all(&self.pool)
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
