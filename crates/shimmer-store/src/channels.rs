use sqlx::Row;

use crate::{now_ms, Result, Store};

/// Whether a channel is streaming right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveStatus {
    Live,
    Offline,
}

impl LiveStatus {
    fn from_column(status: &str) -> Self {
        if status == "live" {
            Self::Live
        } else {
            Self::Offline
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Offline => "offline",
        }
    }
}

/// A channel with its owner's public names.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub language: String,
    pub mature: bool,
    pub stream_key_secret: String,
    pub status: LiveStatus,
    pub current_stream_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Channel {
    /// The full stream key an encoder is given: `<channel_id>-<secret>`.
    pub fn stream_key(&self) -> String {
        format!("{}-{}", self.id, self.stream_key_secret)
    }

    pub fn is_live(&self) -> bool {
        self.status == LiveStatus::Live
    }
}

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: i64,
    user_id: i64,
    username: String,
    display_name: String,
    title: String,
    language: String,
    mature: i64,
    stream_key_secret: String,
    status: String,
    current_stream_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl From<ChannelRow> for Channel {
    fn from(row: ChannelRow) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            username: row.username,
            display_name: row.display_name,
            title: row.title,
            language: row.language,
            mature: row.mature != 0,
            stream_key_secret: row.stream_key_secret,
            status: LiveStatus::from_column(&row.status),
            current_stream_id: row.current_stream_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The fields a streamer may change on the settings page. Deliberately nothing else: the live
/// state and the stream key have their own writers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSettings {
    pub title: String,
    pub language: String,
    pub mature: bool,
}

const CHANNEL_SELECT: &str = "SELECT c.id, c.user_id, u.username, u.display_name, c.title, \
     c.language, c.mature, c.stream_key_secret, c.status, c.current_stream_id, c.created_at, \
     c.updated_at FROM channels c JOIN users u ON u.id = c.user_id";

/// The channels a discovery list of streamers names (`c` the channel, `u` its user): they have
/// streamed, staff have not hidden them from discovery and the account is not banned.
const LISTED_STREAMED: &str = "EXISTS (SELECT 1 FROM streams s WHERE s.channel_id = c.id) \
     AND c.hidden_from_discovery = 0 \
     AND NOT EXISTS (SELECT 1 FROM platform_bans b WHERE b.user_id = u.id AND b.lifted_at IS NULL)";

impl Store {
    pub async fn channel_by_id(&self, id: i64) -> Result<Option<Channel>> {
        let row: Option<ChannelRow> = sqlx::query_as(&format!("{CHANNEL_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Channel::from))
    }

    pub async fn channel_by_user(&self, user_id: i64) -> Result<Option<Channel>> {
        let row: Option<ChannelRow> =
            sqlx::query_as(&format!("{CHANNEL_SELECT} WHERE c.user_id = $1"))
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(Channel::from))
    }

    /// The channel of the user with this name, ignoring case.
    pub async fn channel_by_username(&self, username: &str) -> Result<Option<Channel>> {
        let row: Option<ChannelRow> =
            sqlx::query_as(&format!("{CHANNEL_SELECT} WHERE u.username_lower = $1"))
                .bind(username.to_lowercase())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(Channel::from))
    }

    /// Channels that have streamed at least once, live ones first, then by their latest
    /// stream's start, newest first. Accounts that never streamed (viewers, staff) are not
    /// channels anyone looks for, and channels staff hid from discovery or whose account is
    /// banned are left out, as every discovery listing leaves them out.
    pub async fn channels_that_streamed(&self, limit: i64) -> Result<Vec<Channel>> {
        self.channels_that_streamed_page(0, limit).await
    }

    /// [`Store::channels_that_streamed`] from the `offset`th on, at most `limit` of them.
    pub async fn channels_that_streamed_page(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
            "{CHANNEL_SELECT} WHERE {LISTED_STREAMED} \
             ORDER BY CASE WHEN c.status = 'live' THEN 0 ELSE 1 END, \
             (SELECT MAX(s.started_at) FROM streams s WHERE s.channel_id = c.id) DESC, \
             c.id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Channel::from).collect())
    }

    /// How many channels [`Store::channels_that_streamed`] lists in all.
    pub async fn channels_that_streamed_count(&self) -> Result<i64> {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) FROM channels c JOIN users u ON u.id = c.user_id \
             WHERE {LISTED_STREAMED}"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Writes the streamer-editable settings and nothing else.
    pub async fn update_channel_settings(
        &self,
        channel_id: i64,
        settings: &ChannelSettings,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE channels SET title = $1, language = $2, mature = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(&settings.title)
        .bind(&settings.language)
        .bind(i64::from(settings.mature))
        .bind(now_ms())
        .bind(channel_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the stream-key secret; the old key stops working at once.
    pub async fn set_stream_key_secret(&self, channel_id: i64, secret: &str) -> Result<()> {
        sqlx::query("UPDATE channels SET stream_key_secret = $1, updated_at = $2 WHERE id = $3")
            .bind(secret)
            .bind(now_ms())
            .bind(channel_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// One page of channels (optionally only live or offline ones, optionally only those of a
    /// category), oldest first, for the API's connections; ordered by id so offsets stay stable
    /// while pages are read.
    pub async fn channels_page(
        &self,
        status: Option<LiveStatus>,
        category_id: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
            "{CHANNEL_SELECT} WHERE ($1 = '' OR c.status = $1) \
             AND ($2 = 0 OR c.category_id = $2) ORDER BY c.id LIMIT $3 OFFSET $4"
        ))
        .bind(status.map_or("", LiveStatus::as_str))
        .bind(category_id.unwrap_or(0))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Channel::from).collect())
    }

    /// How many channels [`Store::channels_page`] pages through.
    pub async fn count_channels(
        &self,
        status: Option<LiveStatus>,
        category_id: Option<i64>,
    ) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM channels WHERE ($1 = '' OR status = $1) \
             AND ($2 = 0 OR category_id = $2)",
        )
        .bind(status.map_or("", LiveStatus::as_str))
        .bind(category_id.unwrap_or(0))
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}
