use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// A channel's chat safety and display settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSettings {
    /// Accounts younger than this may not chat (0 = no minimum).
    pub min_account_age_hours: i64,
    pub require_verified_email: bool,
    /// Refuse messages that contain links.
    pub block_links: bool,
    /// Show links as links (otherwise as plain text).
    pub links_clickable: bool,
    /// Seconds between two messages of one chatter (0 = off).
    pub slow_mode_seconds: i64,
    /// History on join shows only the last hour.
    pub recent_only: bool,
    /// Only the channel's subscribers (and those who moderate it) may chat.
    pub subscribers_only: bool,
    /// Other streamers may raid the channel (send their viewers here).
    pub accept_raids: bool,
}

impl Default for ChatSettings {
    /// No rules, links clickable as text is, raids accepted: a new channel's settings.
    fn default() -> Self {
        Self {
            min_account_age_hours: 0,
            require_verified_email: false,
            block_links: false,
            links_clickable: false,
            slow_mode_seconds: 0,
            recent_only: false,
            subscribers_only: false,
            accept_raids: true,
        }
    }
}

/// A stored message with its author's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChatMessage {
    pub id: i64,
    pub channel_id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub badges: String,
    pub body: String,
    pub tokens: String,
    pub created_at: i64,
    /// `message`, `action` (/me) or `follow`.
    pub kind: String,
    /// The palette key of the author's name colour when sent (None before it was recorded).
    pub color: Option<String>,
    /// The message this one answers, as it is now.
    pub reply_to: Option<StoredReplyParent>,
}

/// The message a reply answers: its author and body (None once it was hidden).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReplyParent {
    pub id: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub body: Option<String>,
}

/// A line to store: a typed message, a `/me` action or a system line.
#[derive(Debug, Clone, Copy)]
pub struct NewChatLine<'a> {
    pub channel_id: i64,
    pub user_id: i64,
    pub badges: &'a str,
    pub body: &'a str,
    pub tokens: &'a str,
    pub created_at: i64,
    pub kind: &'a str,
    pub color: Option<&'a str>,
    pub reply_to_id: Option<i64>,
}

impl FromRow<'_, AnyRow> for StoredChatMessage {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            channel_id: row.try_get("channel_id")?,
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            badges: row.try_get("badges")?,
            body: row.try_get("body")?,
            tokens: row.try_get("tokens")?,
            created_at: row.try_get("created_at")?,
            kind: row.try_get("kind")?,
            color: row.try_get("color")?,
            reply_to: match row.try_get::<Option<i64>, _>("reply_to_id")? {
                Some(id) => {
                    let hidden: Option<i64> = row.try_get("reply_hidden_at")?;
                    Some(StoredReplyParent {
                        id,
                        user_id: row.try_get("reply_user_id")?,
                        username: row.try_get("reply_username")?,
                        display_name: row.try_get("reply_display_name")?,
                        body: match hidden {
                            Some(_) => None,
                            None => row.try_get("reply_body")?,
                        },
                    })
                }
                None => None,
            },
        })
    }
}

/// What a channel moderator may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModeratorPermissions {
    pub short_timeout: bool,
    pub long_timeout: bool,
    pub ban: bool,
    pub unban: bool,
    pub delete: bool,
}

impl ModeratorPermissions {
    pub const ALL: Self = Self {
        short_timeout: true,
        long_timeout: true,
        ban: true,
        unban: true,
        delete: true,
    };
}

/// A channel moderator with their permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderator {
    pub user_id: i64,
    pub username: String,
    pub permissions: ModeratorPermissions,
}

/// An active ban (`expires_at` None) or timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelBan {
    pub user_id: i64,
    pub username: String,
    pub expires_at: Option<i64>,
    pub created_at: i64,
}

/// One entry of a channel's moderation log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationLogEntry {
    pub id: i64,
    pub moderator: Option<String>,
    pub target: Option<String>,
    pub action: String,
    pub message_id: Option<i64>,
    pub created_at: i64,
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.channel_id, m.user_id, u.username, u.display_name, \
     m.badges, m.body, m.tokens, m.created_at, m.kind, m.color, m.reply_to_id, \
     p.user_id AS reply_user_id, pu.username AS reply_username, \
     pu.display_name AS reply_display_name, p.body AS reply_body, p.hidden_at AS reply_hidden_at \
     FROM chat_messages m LEFT JOIN users u ON u.id = m.user_id \
     LEFT JOIN chat_messages p ON p.id = m.reply_to_id LEFT JOIN users pu ON pu.id = p.user_id";

fn flag(value: bool) -> i64 {
    i64::from(value)
}

impl Store {
    pub async fn chat_settings(&self, channel_id: i64) -> Result<Option<ChatSettings>> {
        let row = sqlx::query(
            "SELECT chat_min_account_age_hours, chat_require_verified_email, chat_block_links, \
             chat_links_clickable, chat_slow_mode_seconds, chat_recent_only, chat_subscribers_only, \
             chat_accept_raids FROM channels WHERE id = $1",
        )
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(ChatSettings {
                min_account_age_hours: row.try_get(0)?,
                require_verified_email: row.try_get::<i64, _>(1)? != 0,
                block_links: row.try_get::<i64, _>(2)? != 0,
                links_clickable: row.try_get::<i64, _>(3)? != 0,
                slow_mode_seconds: row.try_get(4)?,
                recent_only: row.try_get::<i64, _>(5)? != 0,
                subscribers_only: row.try_get::<i64, _>(6)? != 0,
                accept_raids: row.try_get::<i64, _>(7)? != 0,
            }),
            None => None,
        })
    }

    pub async fn update_chat_settings(
        &self,
        channel_id: i64,
        settings: &ChatSettings,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE channels SET chat_min_account_age_hours = $1, chat_require_verified_email = $2, \
             chat_block_links = $3, chat_links_clickable = $4, chat_slow_mode_seconds = $5, \
             chat_recent_only = $6, chat_subscribers_only = $7, chat_accept_raids = $8, \
             updated_at = $9 WHERE id = $10",
        )
        .bind(settings.min_account_age_hours)
        .bind(flag(settings.require_verified_email))
        .bind(flag(settings.block_links))
        .bind(flag(settings.links_clickable))
        .bind(settings.slow_mode_seconds)
        .bind(flag(settings.recent_only))
        .bind(flag(settings.subscribers_only))
        .bind(flag(settings.accept_raids))
        .bind(now_ms())
        .bind(channel_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a message; returns its id.
    pub async fn insert_chat_message(
        &self,
        channel_id: i64,
        user_id: i64,
        badges: &str,
        body: &str,
        tokens: &str,
        created_at: i64,
    ) -> Result<i64> {
        self.insert_chat_line(&NewChatLine {
            channel_id,
            user_id,
            badges,
            body,
            tokens,
            created_at,
            kind: "message",
            color: None,
            reply_to_id: None,
        })
        .await
    }

    /// Stores a line of any kind; returns its id.
    pub async fn insert_chat_line(&self, line: &NewChatLine<'_>) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO chat_messages (channel_id, user_id, badges, body, tokens, created_at, \
             kind, color, reply_to_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(line.channel_id)
        .bind(line.user_id)
        .bind(line.badges)
        .bind(line.body)
        .bind(line.tokens)
        .bind(line.created_at)
        .bind(line.kind)
        .bind(line.color)
        .bind(line.reply_to_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// A visible message of the channel, as a reply's parent: None when it does not exist, is
    /// in another channel or was hidden.
    pub async fn visible_chat_message_in(
        &self,
        channel_id: i64,
        message_id: i64,
    ) -> Result<Option<StoredChatMessage>> {
        Ok(sqlx::query_as(&format!(
            "{MESSAGE_SELECT} WHERE m.id = $1 AND m.channel_id = $2 AND m.hidden_at IS NULL"
        ))
        .bind(message_id)
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Hides every visible message of a channel (a moderator cleared the chat); returns their
    /// ids.
    pub async fn hide_channel_chat_messages(
        &self,
        channel_id: i64,
        reason: &str,
    ) -> Result<Vec<i64>> {
        let mut transaction = self.pool.begin().await?;
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM chat_messages WHERE channel_id = $1 AND hidden_at IS NULL",
        )
        .bind(channel_id)
        .fetch_all(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE chat_messages SET hidden_at = $1, hidden_reason = $2 \
             WHERE channel_id = $3 AND hidden_at IS NULL",
        )
        .bind(now_ms())
        .bind(reason)
        .bind(channel_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Removes a message that was stored but could not be delivered (its sender was told so
    /// and may send it again), so history does not show a message nobody saw live.
    pub async fn remove_undelivered_chat_message(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM chat_messages WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The last `limit` visible messages (optionally only those newer than `since`), oldest first.
    pub async fn recent_chat_messages(
        &self,
        channel_id: i64,
        limit: i64,
        since: Option<i64>,
    ) -> Result<Vec<StoredChatMessage>> {
        let mut messages: Vec<StoredChatMessage> = sqlx::query_as(&format!(
            "{MESSAGE_SELECT} WHERE m.channel_id = $1 AND m.hidden_at IS NULL AND m.created_at >= $2 \
             ORDER BY m.id DESC LIMIT $3"
        ))
        .bind(channel_id)
        .bind(since.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        messages.reverse();
        Ok(messages)
    }

    /// One page of a channel's visible messages, oldest first, for the API's connections.
    pub async fn chat_messages_page(
        &self,
        channel_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<StoredChatMessage>> {
        Ok(sqlx::query_as(&format!(
            "{MESSAGE_SELECT} WHERE m.channel_id = $1 AND m.hidden_at IS NULL \
             ORDER BY m.id LIMIT $2 OFFSET $3"
        ))
        .bind(channel_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn count_chat_messages(&self, channel_id: i64) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM chat_messages WHERE channel_id = $1 AND hidden_at IS NULL",
        )
        .bind(channel_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    pub async fn chat_message(&self, message_id: i64) -> Result<Option<StoredChatMessage>> {
        Ok(sqlx::query_as(&format!("{MESSAGE_SELECT} WHERE m.id = $1"))
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Hides one message; returns whether it was visible.
    pub async fn hide_chat_message(
        &self,
        channel_id: i64,
        message_id: i64,
        reason: &str,
    ) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE chat_messages SET hidden_at = $1, hidden_reason = $2 \
             WHERE id = $3 AND channel_id = $4 AND hidden_at IS NULL",
        )
        .bind(now_ms())
        .bind(reason)
        .bind(message_id)
        .bind(channel_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Hides every visible message of a user in a channel; returns their ids.
    pub async fn hide_user_chat_messages(
        &self,
        channel_id: i64,
        user_id: i64,
        reason: &str,
    ) -> Result<Vec<i64>> {
        let mut transaction = self.pool.begin().await?;
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM chat_messages WHERE channel_id = $1 AND user_id = $2 AND hidden_at IS NULL",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_all(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE chat_messages SET hidden_at = $1, hidden_reason = $2 \
             WHERE channel_id = $3 AND user_id = $4 AND hidden_at IS NULL",
        )
        .bind(now_ms())
        .bind(reason)
        .bind(channel_id)
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    pub async fn moderators(&self, channel_id: i64) -> Result<Vec<Moderator>> {
        let rows = sqlx::query(
            "SELECT m.user_id, u.username, m.can_short_timeout, m.can_long_timeout, m.can_ban, \
             m.can_unban, m.can_delete FROM channel_moderators m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = $1 ORDER BY u.username_lower",
        )
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Moderator {
                    user_id: row.try_get(0)?,
                    username: row.try_get(1)?,
                    permissions: permissions_from(row, 2)?,
                })
            })
            .collect()
    }

    pub async fn moderator_permissions(
        &self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<ModeratorPermissions>> {
        let row = sqlx::query(
            "SELECT can_short_timeout, can_long_timeout, can_ban, can_unban, can_delete \
             FROM channel_moderators WHERE channel_id = $1 AND user_id = $2",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| permissions_from(&row, 0))
            .transpose()
            .map_err(Into::into)
    }

    /// Adds a moderator or changes their permissions.
    pub async fn upsert_moderator(
        &self,
        channel_id: i64,
        user_id: i64,
        permissions: ModeratorPermissions,
    ) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM channel_moderators WHERE channel_id = $1 AND user_id = $2")
            .bind(channel_id)
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query(
            "INSERT INTO channel_moderators (channel_id, user_id, can_short_timeout, can_long_timeout, \
             can_ban, can_unban, can_delete, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(flag(permissions.short_timeout))
        .bind(flag(permissions.long_timeout))
        .bind(flag(permissions.ban))
        .bind(flag(permissions.unban))
        .bind(flag(permissions.delete))
        .bind(now_ms())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    pub async fn remove_moderator(&self, channel_id: i64, user_id: i64) -> Result<bool> {
        let result =
            sqlx::query("DELETE FROM channel_moderators WHERE channel_id = $1 AND user_id = $2")
                .bind(channel_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Bans (no expiry) or times out (with expiry) a user in a channel.
    pub async fn add_channel_ban(
        &self,
        channel_id: i64,
        user_id: i64,
        expires_at: Option<i64>,
        created_by: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO channel_bans (channel_id, user_id, expires_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(expires_at)
        .bind(created_by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Lifts every ban and timeout of the user in the channel; returns how many there were.
    pub async fn remove_channel_bans(&self, channel_id: i64, user_id: i64) -> Result<u64> {
        let result = sqlx::query(
            "DELETE FROM channel_bans WHERE channel_id = $1 AND user_id = $2 \
             AND (expires_at IS NULL OR expires_at > $3)",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Bans and unexpired timeouts in force in the channel, newest first.
    pub async fn active_channel_bans(&self, channel_id: i64) -> Result<Vec<ChannelBan>> {
        let rows = sqlx::query(
            "SELECT b.user_id, u.username, b.expires_at, b.created_at FROM channel_bans b \
             JOIN users u ON u.id = b.user_id WHERE b.channel_id = $1 \
             AND (b.expires_at IS NULL OR b.expires_at > $2) ORDER BY b.created_at DESC",
        )
        .bind(channel_id)
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ChannelBan {
                    user_id: row.try_get(0)?,
                    username: row.try_get(1)?,
                    expires_at: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn log_moderation(
        &self,
        channel_id: i64,
        moderator_id: i64,
        target_user_id: Option<i64>,
        action: &str,
        message_id: Option<i64>,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moderation_log (channel_id, moderator_id, target_user_id, action, message_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(channel_id)
        .bind(moderator_id)
        .bind(target_user_id)
        .bind(action)
        .bind(message_id)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// The moderation log's entries about one chatter in a channel, newest first.
    pub async fn moderation_log_of_user(
        &self,
        channel_id: i64,
        target_user_id: i64,
        limit: i64,
    ) -> Result<Vec<ModerationLogEntry>> {
        let rows = sqlx::query(
            "SELECT l.id, m.username, t.username, l.action, l.message_id, l.created_at FROM moderation_log l \
             LEFT JOIN users m ON m.id = l.moderator_id LEFT JOIN users t ON t.id = l.target_user_id \
             WHERE l.channel_id = $1 AND l.target_user_id = $2 ORDER BY l.id DESC LIMIT $3",
        )
        .bind(channel_id)
        .bind(target_user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(log_entry).collect()
    }

    /// The channel's moderation log, newest first.
    pub async fn moderation_log(
        &self,
        channel_id: i64,
        limit: i64,
    ) -> Result<Vec<ModerationLogEntry>> {
        let rows = sqlx::query(
            "SELECT l.id, m.username, t.username, l.action, l.message_id, l.created_at FROM moderation_log l \
             LEFT JOIN users m ON m.id = l.moderator_id LEFT JOIN users t ON t.id = l.target_user_id \
             WHERE l.channel_id = $1 ORDER BY l.id DESC LIMIT $2",
        )
        .bind(channel_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(log_entry).collect()
    }
}

/// A moderation log row as both log queries select it.
fn log_entry(row: &AnyRow) -> Result<ModerationLogEntry> {
    Ok(ModerationLogEntry {
        id: row.try_get(0)?,
        moderator: row.try_get(1)?,
        target: row.try_get(2)?,
        action: row.try_get(3)?,
        message_id: row.try_get(4)?,
        created_at: row.try_get(5)?,
    })
}

fn permissions_from(row: &AnyRow, first: usize) -> sqlx::Result<ModeratorPermissions> {
    let at = |offset: usize| {
        row.try_get::<i64, _>(first + offset)
            .map(|value| value != 0)
    };
    Ok(ModeratorPermissions {
        short_timeout: at(0)?,
        long_timeout: at(1)?,
        ban: at(2)?,
        unban: at(3)?,
        delete: at(4)?,
    })
}
