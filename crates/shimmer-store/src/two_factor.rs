use sqlx::Row;

use crate::{now_ms, Result, Store};

/// A user's TOTP enrolment. The secret is sealed by the domain before it gets here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactor {
    pub user_id: i64,
    pub secret_sealed: String,
    pub enabled_at: Option<i64>,
    pub last_step: i64,
}

/// A password-verified log-in waiting for its second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub id: i64,
    pub user_id: i64,
    pub remember: bool,
}

impl Store {
    pub async fn two_factor(&self, user_id: i64) -> Result<Option<TwoFactor>> {
        let row = sqlx::query(
            "SELECT user_id, secret_sealed, enabled_at, last_step FROM two_factor WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(TwoFactor {
                user_id: row.try_get(0)?,
                secret_sealed: row.try_get(1)?,
                enabled_at: row.try_get(2)?,
                last_step: row.try_get(3)?,
            }),
            None => None,
        })
    }

    /// Whether the user signs in with a second factor.
    pub async fn two_factor_enabled(&self, user_id: i64) -> Result<bool> {
        let row =
            sqlx::query("SELECT 1 FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// Starts (or restarts) an enrolment with a new sealed secret, not yet enabled. Refused
    /// (returns false) while two-factor sign-in is enabled.
    pub async fn begin_two_factor(&self, user_id: i64, secret_sealed: &str) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO two_factor (user_id, secret_sealed, enabled_at, last_step, created_at) \
             VALUES ($1, $2, NULL, 0, $3) ON CONFLICT (user_id) DO UPDATE SET \
             secret_sealed = excluded.secret_sealed, last_step = 0, created_at = excluded.created_at \
             WHERE two_factor.enabled_at IS NULL",
        )
        .bind(user_id)
        .bind(secret_sealed)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records `step` as used if it is later than every step used before; false means the code
    /// was already used (a replay) or is older than one that was.
    pub async fn claim_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE two_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Turns two-factor sign-in on and replaces the recovery codes, in one transaction.
    pub async fn enable_two_factor(&self, user_id: i64, recovery_hashes: &[String]) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("UPDATE two_factor SET enabled_at = $1 WHERE user_id = $2")
            .bind(now_ms())
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Removes the enrolment and the recovery codes.
    pub async fn disable_two_factor(&self, user_id: i64) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Marks an unused recovery code as used; false when there is no such unused code.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now_ms())
        .bind(user_id)
        .bind(code_hash)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// How many recovery codes are left.
    pub async fn unused_recovery_codes(&self, user_id: i64) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    pub async fn create_pending_login(
        &self,
        token_hash: &str,
        user_id: i64,
        remember: bool,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO pending_logins (token_hash, user_id, remember, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(i64::from(remember))
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The unexpired pending log-in with this token hash.
    pub async fn pending_login(&self, token_hash: &str) -> Result<Option<PendingLogin>> {
        let row = sqlx::query(
            "SELECT id, user_id, remember FROM pending_logins \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(PendingLogin {
                id: row.try_get(0)?,
                user_id: row.try_get(1)?,
                remember: row.try_get::<i64, _>(2)? != 0,
            }),
            None => None,
        })
    }

    /// Consumes a pending log-in; false when another request already did. Abandoned ones are
    /// left to the housekeeping sweep.
    pub async fn delete_pending_login(&self, id: i64) -> Result<bool> {
        let result = sqlx::query("DELETE FROM pending_logins WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}
