//! Follows (user to user, as in Glimesh) and the bookkeeping of what they trigger: live
//! notification emails and "just followed" chat lines.

use crate::{now_ms, Result, Store};

/// One user following another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub follower_id: i64,
    pub streamer_id: i64,
    /// Whether the follower asked for an email when the streamer goes live.
    pub live_notifications: bool,
    pub created_at: i64,
}

/// A row of a followers or following list: the other user and when the follow began.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FollowListEntry {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
}

/// A follower to email when a streamer goes live.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRecipient {
    pub user_id: i64,
    pub username: String,
    pub email: String,
}

/// The limits a live-notification email must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationLimits {
    /// No second email about the same streamer to the same user sent after this time.
    pub same_streamer_since: i64,
    /// The window of the per-user daily cap starts here.
    pub daily_since: i64,
    /// At most this many live-notification emails per user in the daily window.
    pub daily_cap: i64,
}

impl Store {
    /// Follows `streamer_id`; returns false when the follow already existed (left unchanged).
    pub async fn follow(
        &self,
        follower_id: i64,
        streamer_id: i64,
        live_notifications: bool,
    ) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO follows (follower_id, streamer_id, live_notifications, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (follower_id, streamer_id) DO NOTHING",
        )
        .bind(follower_id)
        .bind(streamer_id)
        .bind(i64::from(live_notifications))
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Ends a follow; returns whether there was one.
    pub async fn unfollow(&self, follower_id: i64, streamer_id: i64) -> Result<bool> {
        let result = sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND streamer_id = $2")
            .bind(follower_id)
            .bind(streamer_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn follow_of(&self, follower_id: i64, streamer_id: i64) -> Result<Option<Follow>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT live_notifications, created_at FROM follows \
             WHERE follower_id = $1 AND streamer_id = $2",
        )
        .bind(follower_id)
        .bind(streamer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(live_notifications, created_at)| Follow {
            follower_id,
            streamer_id,
            live_notifications: live_notifications != 0,
            created_at,
        }))
    }

    /// Turns live notifications of a follow on or off; returns whether the follow exists.
    pub async fn set_live_notifications(
        &self,
        follower_id: i64,
        streamer_id: i64,
        enabled: bool,
    ) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE follows SET live_notifications = $1 WHERE follower_id = $2 AND streamer_id = $3",
        )
        .bind(i64::from(enabled))
        .bind(follower_id)
        .bind(streamer_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Who follows the streamer, newest first.
    pub async fn followers(
        &self,
        streamer_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<FollowListEntry>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.username, u.display_name, f.created_at FROM follows f \
             JOIN users u ON u.id = f.follower_id WHERE f.streamer_id = $1 \
             ORDER BY f.created_at DESC, u.id DESC LIMIT $2 OFFSET $3",
        )
        .bind(streamer_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whom the user follows, newest first.
    pub async fn following(
        &self,
        follower_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<FollowListEntry>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.username, u.display_name, f.created_at FROM follows f \
             JOIN users u ON u.id = f.streamer_id WHERE f.follower_id = $1 \
             ORDER BY f.created_at DESC, u.id DESC LIMIT $2 OFFSET $3",
        )
        .bind(follower_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn follower_count(&self, streamer_id: i64) -> Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM follows WHERE streamer_id = $1")
                .bind(streamer_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }

    pub async fn following_count(&self, follower_id: i64) -> Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM follows WHERE follower_id = $1")
                .bind(follower_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }

    /// Followers of the streamer who opted in to live emails and have a confirmed address.
    pub async fn live_notification_recipients(
        &self,
        streamer_id: i64,
    ) -> Result<Vec<NotificationRecipient>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.username, u.email FROM follows f \
             JOIN users u ON u.id = f.follower_id WHERE f.streamer_id = $1 \
             AND f.live_notifications = 1 AND u.email_confirmed_at IS NOT NULL \
             ORDER BY u.id",
        )
        .bind(streamer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Claims the right to send `user_id` an email about `stream_id` of `streamer_id`, in one
    /// statement: refused when this stream was already announced to them, when they had an
    /// email about this streamer within the hourly window, or when they reached the daily cap.
    /// Returns whether the caller may send.
    pub async fn claim_live_notification(
        &self,
        user_id: i64,
        streamer_id: i64,
        stream_id: i64,
        limits: NotificationLimits,
    ) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO live_notifications (user_id, streamer_id, stream_id, sent_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM live_notifications \
             WHERE user_id = $5 AND streamer_id = $6 AND sent_at > $7) \
             AND (SELECT COUNT(*) FROM live_notifications WHERE user_id = $8 AND sent_at > $9) < $10 \
             ON CONFLICT (user_id, stream_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(streamer_id)
        .bind(stream_id)
        .bind(now_ms())
        .bind(user_id)
        .bind(streamer_id)
        .bind(limits.same_streamer_since)
        .bind(user_id)
        .bind(limits.daily_since)
        .bind(limits.daily_cap)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Claims the right to post a "just followed" line for the user in the channel: granted
    /// when none was posted after `not_since`. Returns whether the caller may post.
    pub async fn claim_follow_announcement(
        &self,
        channel_id: i64,
        user_id: i64,
        not_since: i64,
    ) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO follow_announcements (channel_id, user_id, announced_at) \
             VALUES ($1, $2, $3) ON CONFLICT (channel_id, user_id) DO UPDATE \
             SET announced_at = excluded.announced_at \
             WHERE follow_announcements.announced_at <= $4",
        )
        .bind(channel_id)
        .bind(user_id)
        .bind(now_ms())
        .bind(not_since)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The value of a server-side secret, storing `candidate` when it has none yet. Every node
    /// ends up with the same value.
    pub async fn site_secret(&self, name: &str, candidate: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO site_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        let (value,): (String,) = sqlx::query_as("SELECT value FROM site_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(value)
    }
}
