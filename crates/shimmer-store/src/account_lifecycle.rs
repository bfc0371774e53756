use sqlx::Row;

use crate::{conflict_or, now_ms, Result, Store, StoreError};

/// One chat message of a user, as the data export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedChatMessage {
    pub id: i64,
    pub channel: String,
    pub body: String,
    pub created_at: i64,
}

impl Store {
    /// When the user last changed their username, if ever.
    pub async fn last_username_change(&self, user_id: i64) -> Result<Option<i64>> {
        let (latest,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(changed_at) FROM username_history WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(latest)
    }

    /// Renames a user (display name follows) and holds the old name back. A name given up by
    /// someone else after `held_since` is refused with a conflict, like a taken one.
    pub async fn rename_user(
        &self,
        user_id: i64,
        new_username: &str,
        held_since: i64,
    ) -> Result<()> {
        let lower = new_username.to_lowercase();
        let mut transaction = self.pool.begin().await?;
        let held = sqlx::query(
            "SELECT 1 FROM username_history WHERE old_username_lower = $1 AND changed_at > $2 \
             AND (user_id IS NULL OR user_id <> $3)",
        )
        .bind(&lower)
        .bind(held_since)
        .bind(user_id)
        .fetch_optional(&mut *transaction)
        .await?;
        if held.is_some() {
            transaction.rollback().await?;
            return Err(StoreError::Conflict("username"));
        }
        let old: (String,) = sqlx::query_as("SELECT username_lower FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *transaction)
            .await?;
        let now = now_ms();
        let renamed = sqlx::query(
            "UPDATE users SET username = $1, username_lower = $2, display_name = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(new_username)
        .bind(&lower)
        .bind(new_username)
        .bind(now)
        .bind(user_id)
        .execute(&mut *transaction)
        .await;
        if let Err(error) = renamed {
            // Roll back now, not when the connection is next used: on SQLite the failed
            // transaction would otherwise keep its write lock while the pool hands out another
            // connection, and the next writer finds the database locked.
            transaction.rollback().await?;
            return Err(conflict_or(error, &[("username_lower", "username")]));
        }
        sqlx::query(
            "INSERT INTO username_history (user_id, old_username_lower, changed_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(&old.0)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Whether a name was given up (by a rename or deletion) after `since`, by anyone.
    pub async fn username_held(&self, username: &str, since: i64) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 FROM username_history WHERE old_username_lower = $1 AND changed_at > $2",
        )
        .bind(username.to_lowercase())
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Deletes an account. Its channel, sessions, profile and enrolments go with it; its chat
    /// messages elsewhere stay, with no author (shown as from a deleted user). The name is held.
    pub async fn delete_user(&self, user_id: i64) -> Result<bool> {
        let mut transaction = self.pool.begin().await?;
        let Some(row) = sqlx::query("SELECT username_lower FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *transaction)
            .await?
        else {
            return Ok(false);
        };
        let username: String = row.try_get(0)?;
        sqlx::query(
            "INSERT INTO username_history (user_id, old_username_lower, changed_at) \
             VALUES (NULL, $1, $2)",
        )
        .bind(&username)
        .bind(now_ms())
        .execute(&mut *transaction)
        .await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// The user's most recent chat messages in every channel, newest first.
    pub async fn chat_messages_of_user(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<ExportedChatMessage>> {
        let rows = sqlx::query(
            "SELECT m.id, u.username, m.body, m.created_at FROM chat_messages m \
             JOIN channels c ON c.id = m.channel_id JOIN users u ON u.id = c.user_id \
             WHERE m.user_id = $1 ORDER BY m.id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ExportedChatMessage {
                    id: row.try_get(0)?,
                    channel: row.try_get(1)?,
                    body: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                })
            })
            .collect()
    }
}
