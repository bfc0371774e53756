use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{conflict_or, now_ms, Result, Store, StoreError};

/// Where an emote is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmoteStatus {
    Pending,
    Approved,
    Rejected,
}

impl EmoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            _ => Self::Pending,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emote {
    pub id: i64,
    /// None for a global emote.
    pub channel_id: Option<i64>,
    pub name: String,
    pub content_type: String,
    pub animated: bool,
    pub width: i64,
    pub height: i64,
    pub size_bytes: i64,
    pub status: EmoteStatus,
    pub rejected_reason: Option<String>,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
    /// Only the channel's subscribers (and those who moderate it) may use it.
    pub subscribers_only: bool,
}

impl Emote {
    /// The file name under the emote folder, and the path it is served at (`/emotes/<file>`).
    pub fn file_name(&self) -> String {
        let extension = if self.content_type == "image/gif" {
            "gif"
        } else {
            "png"
        };
        format!("{}.{extension}", self.id)
    }
}

impl FromRow<'_, AnyRow> for Emote {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            channel_id: row.try_get("channel_id")?,
            name: row.try_get("name")?,
            content_type: row.try_get("content_type")?,
            animated: row.try_get::<i64, _>("animated")? != 0,
            width: row.try_get("width")?,
            height: row.try_get("height")?,
            size_bytes: row.try_get("size_bytes")?,
            status: EmoteStatus::parse(&row.try_get::<String, _>("status")?),
            rejected_reason: row.try_get("rejected_reason")?,
            uploaded_by: row.try_get("uploaded_by")?,
            created_at: row.try_get("created_at")?,
            subscribers_only: row.try_get::<i64, _>("subscribers_only")? != 0,
        })
    }
}

/// What an upload writes.
#[derive(Debug, Clone)]
pub struct NewEmote<'a> {
    pub channel_id: Option<i64>,
    pub name: &'a str,
    pub content_type: &'a str,
    pub animated: bool,
    pub width: i64,
    pub height: i64,
    pub size_bytes: i64,
    pub status: EmoteStatus,
    pub uploaded_by: i64,
}

const EMOTE_COLUMNS: &str =
    "id, channel_id, name, content_type, animated, width, height, size_bytes, \
     status, rejected_reason, uploaded_by, created_at, subscribers_only";

impl Store {
    /// Makes a channel emote usable by subscribers only, or by everyone; false when unknown.
    pub async fn set_emote_subscribers_only(&self, id: i64, only: bool) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE emotes SET subscribers_only = $1 WHERE id = $2 AND channel_id IS NOT NULL",
        )
        .bind(i64::from(only))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn emote_prefix(&self, channel_id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT emote_prefix FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(prefix,)| prefix))
    }

    /// Sets the channel's emote prefix; fails with a conflict when another channel has it.
    pub async fn set_emote_prefix(&self, channel_id: i64, prefix: &str) -> Result<()> {
        sqlx::query("UPDATE channels SET emote_prefix = $1 WHERE id = $2")
            .bind(prefix)
            .bind(channel_id)
            .execute(&self.pool)
            .await
            .map_err(|error| conflict_or(error, &[("emote_prefix", "emote prefix")]))?;
        Ok(())
    }

    pub async fn insert_emote(&self, emote: &NewEmote<'_>) -> Result<Emote> {
        sqlx::query_as(&format!(
            "INSERT INTO emotes (channel_id, name, name_lower, content_type, animated, width, height, \
             size_bytes, status, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             RETURNING {EMOTE_COLUMNS}"
        ))
        .bind(emote.channel_id)
        .bind(emote.name)
        .bind(emote.name.to_lowercase())
        .bind(emote.content_type)
        .bind(i64::from(emote.animated))
        .bind(emote.width)
        .bind(emote.height)
        .bind(emote.size_bytes)
        .bind(emote.status.as_str())
        .bind(emote.uploaded_by)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await
        .map_err(|error| conflict_or(error, &[("name_lower", "emote name")]))
    }

    pub async fn emote(&self, id: i64) -> Result<Option<Emote>> {
        Ok(
            sqlx::query_as(&format!("SELECT {EMOTE_COLUMNS} FROM emotes WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// A channel's emotes (every status), or the global ones with `None`, by name.
    pub async fn emotes_of(&self, channel_id: Option<i64>) -> Result<Vec<Emote>> {
        let query = match channel_id {
            Some(_) => format!(
                "SELECT {EMOTE_COLUMNS} FROM emotes WHERE channel_id = $1 ORDER BY name_lower"
            ),
            None => format!(
                "SELECT {EMOTE_COLUMNS} FROM emotes WHERE channel_id IS NULL ORDER BY name_lower"
            ),
        };
        let mut query = sqlx::query_as(&query);
        if let Some(channel_id) = channel_id {
            query = query.bind(channel_id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Emotes waiting for review, oldest first.
    pub async fn pending_emotes(&self) -> Result<Vec<Emote>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EMOTE_COLUMNS} FROM emotes WHERE status = 'pending' ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a review decision, only for a pending emote; returns whether it was pending.
    pub async fn review_emote(
        &self,
        id: i64,
        status: EmoteStatus,
        reason: Option<&str>,
        reviewer: i64,
    ) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE emotes SET status = $1, rejected_reason = $2, reviewed_by = $3, reviewed_at = $4 \
             WHERE id = $5 AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(reason)
        .bind(reviewer)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn delete_emote(&self, id: i64) -> Result<bool> {
        let result = sqlx::query("DELETE FROM emotes WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn count_channel_emotes(&self, channel_id: i64) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM emotes WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::from)?;
        Ok(count)
    }
}
