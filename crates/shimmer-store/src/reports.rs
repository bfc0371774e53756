use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// A report about an account, as filed and as handled by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    pub reporter_id: Option<i64>,
    pub reporter_username: Option<String>,
    pub reported_user_id: Option<i64>,
    pub reported_username: String,
    pub location: String,
    pub reason: String,
    pub notes: String,
    pub chat_message_id: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for Report {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            reporter_id: row.try_get("reporter_id")?,
            reporter_username: row.try_get("reporter_username")?,
            reported_user_id: row.try_get("reported_user_id")?,
            reported_username: row.try_get("reported_username")?,
            location: row.try_get("location")?,
            reason: row.try_get("reason")?,
            notes: row.try_get("notes")?,
            chat_message_id: row.try_get("chat_message_id")?,
            status: row.try_get("status")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// What filing a report writes; validated by the domain.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub reporter_id: i64,
    pub reported_user_id: i64,
    pub reported_username: &'a str,
    pub location: &'a str,
    pub reason: &'a str,
    pub notes: &'a str,
    pub chat_message_id: Option<i64>,
}

pub(crate) const REPORT_SELECT: &str =
    "SELECT r.id, r.reporter_id, u.username AS reporter_username, \
     r.reported_user_id, r.reported_username, r.location, r.reason, r.notes, r.chat_message_id, \
     r.status, r.created_at, r.updated_at FROM reports r LEFT JOIN users u ON u.id = r.reporter_id";

impl Store {
    pub async fn create_report(&self, new: &NewReport<'_>) -> Result<i64> {
        let now = now_ms();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO reports (reporter_id, reported_user_id, reported_username, location, \
             reason, notes, chat_message_id, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9) RETURNING id",
        )
        .bind(new.reporter_id)
        .bind(new.reported_user_id)
        .bind(new.reported_username)
        .bind(new.location)
        .bind(new.reason)
        .bind(new.notes)
        .bind(new.chat_message_id)
        .bind(now)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Reports with the given status, oldest first (the queue order), at most `limit`.
    pub async fn reports_with_status(&self, status: &str, limit: i64) -> Result<Vec<Report>> {
        Ok(sqlx::query_as(&format!(
            "{REPORT_SELECT} WHERE r.status = $1 ORDER BY r.created_at, r.id LIMIT $2"
        ))
        .bind(status)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn report(&self, id: i64) -> Result<Option<Report>> {
        Ok(sqlx::query_as(&format!("{REPORT_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Sets a report's status; false when there is no such report.
    pub async fn set_report_status(&self, id: i64, status: &str, handled_by: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE reports SET status = $1, handled_by = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(handled_by)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Ids and email addresses of the staff accounts at `level` or above, for support alerts.
    pub async fn staff_contacts_from_level(&self, level: i64) -> Result<Vec<(i64, String)>> {
        Ok(
            sqlx::query_as("SELECT id, email FROM users WHERE staff_level >= $1 ORDER BY id")
                .bind(level)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Email addresses of every staff account, for report alerts.
    pub async fn staff_emails(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT email FROM users WHERE is_admin = 1 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
    }
}
