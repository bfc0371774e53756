//! What staff tools read and write about accounts: staff levels, the can-stream switch, platform
//! bans, hiding a channel from discovery, and the lookups behind `/staff` (search, an account's
//! facts, its chat messages and moderation across channels, reports about it).

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::discovery::escape_like;
use crate::{now_ms, Report, Result, Store};

/// An account found by a staff search, with its channel.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountMatch {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub staff_level: i64,
    pub channel_id: Option<i64>,
    pub banned: i64,
    pub created_at: i64,
}

/// A platform ban in force or lifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformBan {
    pub id: i64,
    pub user_id: i64,
    pub reason: String,
    pub banned_by: Option<String>,
    pub created_at: i64,
    pub lifted_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for PlatformBan {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            reason: row.try_get("reason")?,
            banned_by: row.try_get("banned_by_username")?,
            created_at: row.try_get("created_at")?,
            lifted_at: row.try_get("lifted_at")?,
        })
    }
}

/// A chat message of one account in any channel, hidden or not, for the staff account page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChatMessage {
    pub id: i64,
    pub channel_id: i64,
    /// The username of the channel's owner.
    pub channel: String,
    pub body: String,
    pub created_at: i64,
    /// Why it is hidden (`deleted`, `ban`, `platform_ban`, ...), if it is.
    pub hidden_reason: Option<String>,
}

impl FromRow<'_, AnyRow> for AccountChatMessage {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            channel_id: row.try_get("channel_id")?,
            channel: row.try_get("channel")?,
            body: row.try_get("body")?,
            created_at: row.try_get("created_at")?,
            hidden_reason: row.try_get("hidden_reason")?,
        })
    }
}

/// A chat moderation of one account in any channel, for the staff account page.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountModeration {
    /// The username of the channel's owner.
    pub channel: String,
    pub moderator: Option<String>,
    pub action: String,
    pub created_at: i64,
}

/// Messages hidden across channels by a platform ban: ids per channel.
pub type HiddenMessages = Vec<(i64, Vec<i64>)>;

const BAN_SELECT: &str = "SELECT b.id, b.user_id, b.reason, u.username AS banned_by_username, \
     b.created_at, b.lifted_at FROM platform_bans b LEFT JOIN users u ON u.id = b.banned_by";

impl Store {
    /// Sets the account's staff level (0 ends staff membership) and keeps `is_admin` equal to
    /// "any staff". Returns whether the account exists.
    pub async fn set_staff_level(&self, user_id: i64, level: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE users SET staff_level = $1, is_admin = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(level)
        .bind(i64::from(level > 0))
        .bind(now_ms())
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn set_can_stream(&self, user_id: i64, can_stream: bool) -> Result<()> {
        sqlx::query("UPDATE users SET can_stream = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(can_stream))
            .bind(now_ms())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn channel_hidden_from_discovery(&self, channel_id: i64) -> Result<bool> {
        let hidden: Option<(i64,)> =
            sqlx::query_as("SELECT hidden_from_discovery FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(hidden.is_some_and(|(hidden,)| hidden != 0))
    }

    pub async fn set_channel_hidden_from_discovery(
        &self,
        channel_id: i64,
        hidden: bool,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE channels SET hidden_from_discovery = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(i64::from(hidden))
        .bind(now_ms())
        .bind(channel_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Accounts whose username or email contains `text` (ignoring case), or whose user or
    /// channel id is `text`, by id, at most `limit`.
    pub async fn search_accounts(&self, text: &str, limit: i64) -> Result<Vec<AccountMatch>> {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        let id: i64 = text.parse().unwrap_or(-1);
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.username, u.email, u.staff_level, c.id AS channel_id, \
             CASE WHEN EXISTS (SELECT 1 FROM platform_bans b WHERE b.user_id = u.id \
             AND b.lifted_at IS NULL) THEN 1 ELSE 0 END AS banned, u.created_at \
             FROM users u LEFT JOIN channels c ON c.user_id = u.id \
             WHERE u.username_lower LIKE $1 ESCAPE '\\' OR u.email_lower LIKE $2 ESCAPE '\\' \
             OR u.id = $3 OR c.id = $4 ORDER BY u.id LIMIT $5",
        )
        .bind(&pattern)
        .bind(&pattern)
        .bind(id)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The account's ban in force, if any.
    pub async fn active_platform_ban(&self, user_id: i64) -> Result<Option<PlatformBan>> {
        Ok(sqlx::query_as(&format!(
            "{BAN_SELECT} WHERE b.user_id = $1 AND b.lifted_at IS NULL ORDER BY b.id DESC"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether a ban in force was recorded with this address (ignoring case).
    pub async fn email_banned(&self, email: &str) -> Result<bool> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM platform_bans WHERE email_lower = $1 AND lifted_at IS NULL",
        )
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Records a ban unless one is in force; returns whether it was recorded.
    pub async fn create_platform_ban(
        &self,
        user_id: i64,
        email: &str,
        reason: &str,
        banned_by: i64,
    ) -> Result<bool> {
        let mut transaction = self.pool.begin().await?;
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM platform_bans WHERE user_id = $1 AND lifted_at IS NULL")
                .bind(user_id)
                .fetch_optional(&mut *transaction)
                .await?;
        if existing.is_some() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO platform_bans (user_id, email_lower, reason, banned_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(email.to_lowercase())
        .bind(reason)
        .bind(banned_by)
        .bind(now_ms())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Lifts the ban in force; returns whether there was one.
    pub async fn lift_platform_ban(&self, user_id: i64, lifted_by: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE platform_bans SET lifted_at = $1, lifted_by = $2 \
             WHERE user_id = $3 AND lifted_at IS NULL",
        )
        .bind(now_ms())
        .bind(lifted_by)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Revokes every token that acts as the account: those it granted any application, and the
    /// client_credentials tokens of its own applications. Returns how many.
    pub async fn revoke_oauth_tokens_of_user(&self, user_id: i64) -> Result<u64> {
        let result = sqlx::query(
            "UPDATE oauth_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND (user_id = $2 \
             OR (user_id IS NULL AND app_id IN (SELECT id FROM oauth_apps WHERE owner_id = $3)))",
        )
        .bind(now_ms())
        .bind(user_id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Hides every visible message of the account in every channel; returns their ids per
    /// channel, so each channel's chat can be told.
    pub async fn hide_chat_messages_everywhere(
        &self,
        user_id: i64,
        reason: &str,
    ) -> Result<HiddenMessages> {
        let mut transaction = self.pool.begin().await?;
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT channel_id, id FROM chat_messages WHERE user_id = $1 AND hidden_at IS NULL \
             ORDER BY channel_id, id",
        )
        .bind(user_id)
        .fetch_all(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE chat_messages SET hidden_at = $1, hidden_reason = $2 \
             WHERE user_id = $3 AND hidden_at IS NULL",
        )
        .bind(now_ms())
        .bind(reason)
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        let mut hidden: HiddenMessages = Vec::new();
        for (channel_id, id) in rows {
            match hidden.last_mut() {
                Some((last, ids)) if *last == channel_id => ids.push(id),
                _ => hidden.push((channel_id, vec![id])),
            }
        }
        Ok(hidden)
    }

    /// One page of the account's chat messages in every channel, newest first, hidden ones
    /// included.
    pub async fn account_chat_messages(
        &self,
        user_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<AccountChatMessage>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.channel_id, u.username AS channel, m.body, m.created_at, \
             m.hidden_reason FROM chat_messages m JOIN channels c ON c.id = m.channel_id \
             JOIN users u ON u.id = c.user_id WHERE m.user_id = $1 \
             ORDER BY m.id DESC LIMIT $2 OFFSET $3",
        )
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Chat moderation of the account in every channel, newest first, at most `limit`.
    pub async fn account_moderation(
        &self,
        user_id: i64,
        limit: i64,
    ) -> Result<Vec<AccountModeration>> {
        Ok(sqlx::query_as(
            "SELECT o.username AS channel, m.username AS moderator, l.action, l.created_at \
             FROM moderation_log l JOIN channels c ON c.id = l.channel_id \
             JOIN users o ON o.id = c.user_id LEFT JOIN users m ON m.id = l.moderator_id \
             WHERE l.target_user_id = $1 ORDER BY l.id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Reports filed about the account, newest first, at most `limit`.
    pub async fn reports_about(&self, user_id: i64, limit: i64) -> Result<Vec<Report>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE r.reported_user_id = $1 ORDER BY r.id DESC LIMIT $2",
            crate::reports::REPORT_SELECT
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
