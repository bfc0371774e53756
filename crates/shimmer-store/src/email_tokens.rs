use crate::{now_ms, Result, Store};

/// What a one-time emailed link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    ConfirmEmail,
    ResetPassword,
    /// Confirms a new address; the account's email changes only when the link is opened.
    ChangeEmail,
    /// Signs in once, without the password step: sent when a correct password meets an
    /// account whose log-ins are limited.
    SignIn,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmEmail => "confirm_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
            Self::SignIn => "sign_in",
        }
    }
}

/// A one-time token sent by email. Only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmailToken {
    pub id: i64,
    pub user_id: i64,
    /// The address the link was sent to; a confirmation only counts for that address.
    pub email: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn create_email_token(
        &self,
        token_hash: &str,
        user_id: i64,
        purpose: TokenPurpose,
        email: &str,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(email)
        .bind(now_ms())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks the token used and returns it, if it exists, has this purpose, is unexpired and
    /// unused. The update is conditional, so two concurrent uses cannot both succeed.
    pub async fn consume_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
    ) -> Result<Option<EmailToken>> {
        let now = now_ms();
        Ok(sqlx::query_as(
            "UPDATE email_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4 \
             RETURNING id, user_id, email, expires_at",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether a token exists with this purpose and can still be used: `None` when unknown,
    /// `Some(false)` when used or expired. Lets a page say which before anything is submitted.
    pub async fn email_token_usable(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
    ) -> Result<Option<bool>> {
        let found: Option<(Option<i64>, i64)> = sqlx::query_as(
            "SELECT used_at, expires_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(|(used_at, expires_at)| used_at.is_none() && expires_at > now_ms()))
    }

    /// Invalidates every outstanding token of this purpose for the user, e.g. after a reset.
    pub async fn revoke_email_tokens(&self, user_id: i64, purpose: TokenPurpose) -> Result<()> {
        sqlx::query(
            "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now_ms())
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
