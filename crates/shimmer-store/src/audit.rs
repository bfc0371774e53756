//! The staff audit log: append and read, nothing else. No query here changes or removes a row,
//! and the table's triggers refuse it to anyone else (migration 0013).

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::discovery::escape_like;
use crate::{now_ms, Result, Store};

/// What one audit row records; the domain fills it.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry<'a> {
    pub actor_id: i64,
    pub actor_username: &'a str,
    pub action: &'a str,
    pub target_user_id: Option<i64>,
    pub target_username: Option<&'a str>,
    pub target_channel_id: Option<i64>,
    /// JSON of the state before the action, if it changed one.
    pub before: Option<String>,
    /// JSON of the state after the action, or what was looked at.
    pub after: Option<String>,
    pub reason: &'a str,
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: i64,
    pub actor_username: String,
    pub action: String,
    pub target_user_id: Option<i64>,
    pub target_username: Option<String>,
    pub target_channel_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for AuditEntry {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            actor_id: row.try_get("actor_id")?,
            actor_username: row.try_get("actor_username")?,
            action: row.try_get("action")?,
            target_user_id: row.try_get("target_user_id")?,
            target_username: row.try_get("target_username")?,
            target_channel_id: row.try_get("target_channel_id")?,
            before: row.try_get("before_json")?,
            after: row.try_get("after_json")?,
            reason: row.try_get("reason")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Which rows a search wants; empty fields match everything. Names match ignoring case, as
/// prefixes.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub target: String,
    pub action: String,
}

impl Store {
    pub async fn append_audit(&self, entry: &NewAuditEntry<'_>) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO staff_audit (actor_id, actor_username, action, target_user_id, \
             target_username, target_channel_id, before_json, after_json, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(entry.actor_id)
        .bind(entry.actor_username)
        .bind(entry.action)
        .bind(entry.target_user_id)
        .bind(entry.target_username)
        .bind(entry.target_channel_id)
        .bind(entry.before.as_deref())
        .bind(entry.after.as_deref())
        .bind(entry.reason)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Matching rows, newest first: `limit` of them after skipping `offset`.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let prefix = |text: &str| format!("{}%", escape_like(&text.trim().to_lowercase()));
        Ok(sqlx::query_as(
            "SELECT id, actor_id, actor_username, action, target_user_id, target_username, \
             target_channel_id, before_json, after_json, reason, created_at FROM staff_audit \
             WHERE LOWER(actor_username) LIKE $1 ESCAPE '\\' \
             AND ($2 = '%' OR LOWER(target_username) LIKE $3 ESCAPE '\\') \
             AND action LIKE $4 ESCAPE '\\' ORDER BY id DESC LIMIT $5 OFFSET $6",
        )
        .bind(prefix(&filter.actor))
        .bind(prefix(&filter.target))
        .bind(prefix(&filter.target))
        .bind(prefix(&filter.action))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }
}
