use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// A signed-in browser. The cookie holds a random token; only its hash is stored, so a leaked
/// database does not leak live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub csrf_token: String,
    pub remember: bool,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

impl FromRow<'_, AnyRow> for Session {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            remember: row.try_get::<i64, _>("remember")? != 0,
            user_agent: row.try_get("user_agent")?,
            created_at: row.try_get("created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            expires_at: row.try_get("expires_at")?,
        })
    }
}

const SESSION_COLUMNS: &str =
    "id, user_id, csrf_token, remember, user_agent, created_at, last_seen_at, expires_at";

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        remember: bool,
        user_agent: &str,
        expires_at: i64,
    ) -> Result<Session> {
        let now = now_ms();
        Ok(sqlx::query_as(&format!(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, remember, user_agent, \
             created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING {SESSION_COLUMNS}"
        ))
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(i64::from(remember))
        .bind(user_agent)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The unexpired session with this token hash.
    pub async fn session_by_token_hash(&self, token_hash: &str) -> Result<Option<Session>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1 AND expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records activity, at most once a minute per session to spare the database.
    pub async fn touch_session(&self, session: &Session) -> Result<()> {
        let now = now_ms();
        if now - session.last_seen_at < 60_000 {
            return Ok(());
        }
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn sessions_of_user(&self, user_id: i64) -> Result<Vec<Session>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 \
             ORDER BY last_seen_at DESC"
        ))
        .bind(user_id)
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends one session of this user; returns whether it existed.
    pub async fn delete_session(&self, user_id: i64, session_id: i64) -> Result<bool> {
        let result = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(session_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Ends every session of the user but `keep` (the one making the change, if any).
    pub async fn delete_other_sessions(&self, user_id: i64, keep: Option<i64>) -> Result<u64> {
        let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(-1))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}
