use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{conflict_or, now_ms, Result, Store};

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub email_confirmed_at: Option<i64>,
    /// Any staff level (kept equal to `staff_level > 0`).
    pub is_admin: bool,
    /// 0 for members, 1 (trial member) to 5 (admin) for staff.
    pub staff_level: i64,
    /// Whether the account may go live (staff turn it off).
    pub can_stream: bool,
    /// The platform subscription held now: '' (none), 'supporter' or 'founder'.
    pub platform_tier: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for User {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
            email_confirmed_at: row.try_get("email_confirmed_at")?,
            is_admin: row.try_get::<i64, _>("is_admin")? != 0,
            staff_level: row.try_get("staff_level")?,
            can_stream: row.try_get::<i64, _>("can_stream")? != 0,
            platform_tier: row.try_get("platform_tier")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl User {
    pub fn email_confirmed(&self) -> bool {
        self.email_confirmed_at.is_some()
    }
}

/// What registration writes. Validation happens in the domain layer before this.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub email_confirmed: bool,
    /// Staff from the start, at the admin level.
    pub is_admin: bool,
    /// The new channel's stream-key secret.
    pub stream_key_secret: &'a str,
}

const USER_COLUMNS: &str = "id, username, display_name, email, password_hash, email_confirmed_at, \
                            is_admin, staff_level, can_stream, platform_tier, created_at, updated_at";

/// The staff level an account made with `is_admin` gets: the highest.
pub const ADMIN_STAFF_LEVEL: i64 = 5;

impl Store {
    /// Creates a user and their channel in one transaction: both exist, or neither.
    pub async fn create_user(&self, new: &NewUser<'_>) -> Result<User> {
        let now = now_ms();
        let confirmed_at = new.email_confirmed.then_some(now);
        let mut transaction = self.pool.begin().await?;
        let user: User = sqlx::query_as(&format!(
            "INSERT INTO users (username, username_lower, display_name, email, email_lower, \
             password_hash, email_confirmed_at, is_admin, staff_level, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {USER_COLUMNS}"
        ))
        .bind(new.username)
        .bind(new.username.to_lowercase())
        .bind(new.username)
        .bind(new.email)
        .bind(new.email.to_lowercase())
        .bind(new.password_hash)
        .bind(confirmed_at)
        .bind(i64::from(new.is_admin))
        .bind(if new.is_admin { ADMIN_STAFF_LEVEL } else { 0 })
        .bind(now)
        .bind(now)
        .fetch_one(&mut *transaction)
        .await
        .map_err(|error| {
            conflict_or(
                error,
                &[("username_lower", "username"), ("email_lower", "email")],
            )
        })?;
        sqlx::query(
            "INSERT INTO channels (user_id, title, language, mature, stream_key_secret, status, \
             created_at, updated_at) VALUES ($1, $2, 'en', 0, $3, 'offline', $4, $5)",
        )
        .bind(user.id)
        .bind(format!("{}'s stream", new.username))
        .bind(new.stream_key_secret)
        .bind(now)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(user)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Looks a user up by username, ignoring case.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username_lower = $1"
        ))
        .bind(username.to_lowercase())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Looks a user up by email address, ignoring case.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email_lower = $1"
        ))
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Marks the user's current address as confirmed.
    pub async fn confirm_email(&self, user_id: i64, email: &str) -> Result<bool> {
        let now = now_ms();
        let result = sqlx::query(
            "UPDATE users SET email_confirmed_at = $1, updated_at = $2 \
             WHERE id = $3 AND email_lower = $4",
        )
        .bind(now)
        .bind(now)
        .bind(user_id)
        .bind(email.to_lowercase())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now_ms())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Changes the address to one whose owner just confirmed it (by opening an emailed link).
    pub async fn set_confirmed_email(&self, user_id: i64, email: &str) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE users SET email = $1, email_lower = $2, email_confirmed_at = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(email)
        .bind(email.to_lowercase())
        .bind(now)
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await
        .map_err(|error| conflict_or(error, &[("email_lower", "email")]))?;
        Ok(())
    }

    /// Display names may only differ from the username in letter case.
    pub async fn set_display_name(&self, user_id: i64, display_name: &str) -> Result<()> {
        sqlx::query("UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3")
            .bind(display_name)
            .bind(now_ms())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// One page of users by id, for the API's user listing.
    pub async fn users_page(&self, offset: i64, limit: i64) -> Result<Vec<User>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY id LIMIT $1 OFFSET $2"
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn count_users(&self) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }
}
