//! OAuth2 provider records: developer applications, authorization codes and access/refresh
//! tokens. Client secrets, codes and tokens are stored only as hashes, so a leaked database does
//! not leak working credentials. Consuming a code and rotating a refresh token are conditional
//! updates, so two concurrent uses cannot both succeed.

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{conflict_or, now_ms, Result, Store};

/// A developer application (an OAuth2 client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthApp {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    pub description: String,
    pub homepage_url: String,
    /// The logo's file name under the data directory, if one was uploaded.
    pub logo_path: Option<String>,
    /// Every registered redirect URI; an authorization request must name one exactly.
    pub redirect_uris: Vec<String>,
    pub client_id: String,
    pub secret_hash: String,
    /// The dedicated ingest credential, made only by the operator.
    pub ingest: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for OAuthApp {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        let redirect_uris: String = row.try_get("redirect_uris")?;
        Ok(Self {
            id: row.try_get("id")?,
            owner_id: row.try_get("owner_id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            homepage_url: row.try_get("homepage_url")?,
            logo_path: row.try_get("logo_path")?,
            redirect_uris: redirect_uris
                .lines()
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            client_id: row.try_get("client_id")?,
            secret_hash: row.try_get("secret_hash")?,
            ingest: row.try_get::<i64, _>("ingest")? != 0,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

const APP_COLUMNS: &str = "id, owner_id, name, description, homepage_url, logo_path, \
                           redirect_uris, client_id, secret_hash, ingest, created_at, updated_at";

/// The editable description of an application. Validation happens in the domain layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDetails {
    pub name: String,
    pub description: String,
    pub homepage_url: String,
    pub redirect_uris: Vec<String>,
}

/// What creating an application writes.
#[derive(Debug, Clone)]
pub struct NewOAuthApp<'a> {
    pub owner_id: i64,
    pub details: &'a AppDetails,
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub ingest: bool,
}

/// An authorization code as stored (its value only as a hash).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OAuthCode {
    pub id: i64,
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: String,
    /// Space-separated scope names.
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const CODE_COLUMNS: &str =
    "id, app_id, user_id, redirect_uri, scopes, code_challenge, created_at, expires_at, used_at";

/// What issuing an authorization code writes.
#[derive(Debug, Clone)]
pub struct NewOAuthCode<'a> {
    pub code_hash: &'a str,
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: &'a str,
    pub scopes: &'a str,
    pub code_challenge: Option<&'a str>,
    pub expires_at: i64,
}

/// An access token (with its refresh token, if any) as stored, with its application's client id
/// and ingest flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthToken {
    pub id: i64,
    pub app_id: i64,
    pub client_id: String,
    pub app_ingest: bool,
    /// The user who granted access; `None` for client_credentials tokens.
    pub user_id: Option<i64>,
    pub code_id: Option<i64>,
    /// Issued to a public (PKCE) client, which may refresh without a secret.
    pub public_client: bool,
    /// Space-separated scope names.
    pub scopes: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub refresh_expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl OAuthToken {
    /// Whether the access token can be used at `now` (milliseconds).
    pub fn access_active(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }

    /// Whether the refresh token can be used at `now` (milliseconds).
    pub fn refresh_active(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.refresh_expires_at.is_some_and(|at| at > now)
    }
}

impl FromRow<'_, AnyRow> for OAuthToken {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            app_id: row.try_get("app_id")?,
            client_id: row.try_get("client_id")?,
            app_ingest: row.try_get::<i64, _>("ingest")? != 0,
            user_id: row.try_get("user_id")?,
            code_id: row.try_get("code_id")?,
            public_client: row.try_get::<i64, _>("public_client")? != 0,
            scopes: row.try_get("scopes")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            refresh_expires_at: row.try_get("refresh_expires_at")?,
            revoked_at: row.try_get("revoked_at")?,
        })
    }
}

const TOKEN_SELECT: &str = "SELECT t.id, t.app_id, a.client_id, a.ingest, t.user_id, t.code_id, \
     t.public_client, t.scopes, t.created_at, t.expires_at, t.refresh_expires_at, t.revoked_at \
     FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id";

/// What issuing a token writes.
#[derive(Debug, Clone)]
pub struct NewOAuthToken<'a> {
    pub access_hash: &'a str,
    pub refresh_hash: Option<&'a str>,
    pub app_id: i64,
    pub user_id: Option<i64>,
    pub code_id: Option<i64>,
    pub public_client: bool,
    pub scopes: &'a str,
    pub expires_at: i64,
    pub refresh_expires_at: Option<i64>,
}

/// How many expired rows one housekeeping pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiredOAuthRows {
    pub codes: u64,
    pub tokens: u64,
}

/// The housekeeping deletes remove at most `$2` rows expired before `$1`, chosen by id through
/// an index, so one statement holds the (SQLite) write lock only briefly. Codes go by their
/// expiry, used or not.
const DELETE_EXPIRED_CODES: &str = "DELETE FROM oauth_codes WHERE id IN \
     (SELECT id FROM oauth_codes WHERE expires_at < $1 LIMIT $2)";

/// Tokens go only when nothing in them works any more, revoked or not: without a refresh token
/// once the access token expired, with one once both expired.
const DELETE_EXPIRED_TOKENS: [&str; 2] = [
    "DELETE FROM oauth_tokens WHERE id IN (SELECT id FROM oauth_tokens \
     WHERE refresh_expires_at IS NULL AND expires_at < $1 LIMIT $2)",
    "DELETE FROM oauth_tokens WHERE id IN (SELECT id FROM oauth_tokens \
     WHERE refresh_expires_at < $1 AND expires_at < $1 LIMIT $2)",
];

/// One token a user granted an application that is still usable (by access or refresh).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GrantedToken {
    pub app_id: i64,
    pub scopes: String,
    pub created_at: i64,
}

impl Store {
    pub async fn create_oauth_app(&self, new: &NewOAuthApp<'_>) -> Result<OAuthApp> {
        let now = now_ms();
        sqlx::query_as(&format!(
            "INSERT INTO oauth_apps (owner_id, name, description, homepage_url, redirect_uris, \
             client_id, secret_hash, ingest, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {APP_COLUMNS}"
        ))
        .bind(new.owner_id)
        .bind(&new.details.name)
        .bind(&new.details.description)
        .bind(&new.details.homepage_url)
        .bind(new.details.redirect_uris.join("\n"))
        .bind(new.client_id)
        .bind(new.secret_hash)
        .bind(i64::from(new.ingest))
        .bind(now)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|error| conflict_or(error, &[("client_id", "client id")]))
    }

    pub async fn oauth_app(&self, id: i64) -> Result<Option<OAuthApp>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APP_COLUMNS} FROM oauth_apps WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn oauth_app_by_client_id(&self, client_id: &str) -> Result<Option<OAuthApp>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APP_COLUMNS} FROM oauth_apps WHERE client_id = $1"
        ))
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The applications a user owns, newest first.
    pub async fn oauth_apps_of_owner(&self, owner_id: i64) -> Result<Vec<OAuthApp>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APP_COLUMNS} FROM oauth_apps WHERE owner_id = $1 ORDER BY id DESC"
        ))
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Replaces an application's description; returns whether it exists.
    pub async fn update_oauth_app(&self, id: i64, details: &AppDetails) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE oauth_apps SET name = $1, description = $2, homepage_url = $3, \
             redirect_uris = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&details.name)
        .bind(&details.description)
        .bind(&details.homepage_url)
        .bind(details.redirect_uris.join("\n"))
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn set_oauth_app_logo(&self, id: i64, logo_path: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE oauth_apps SET logo_path = $1, updated_at = $2 WHERE id = $3")
            .bind(logo_path)
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_oauth_app_secret(&self, id: i64, secret_hash: &str) -> Result<()> {
        sqlx::query("UPDATE oauth_apps SET secret_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(secret_hash)
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes an application with its codes and tokens; returns whether it existed.
    pub async fn delete_oauth_app(&self, id: i64) -> Result<bool> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("DELETE FROM oauth_tokens WHERE app_id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM oauth_codes WHERE app_id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        let result = sqlx::query("DELETE FROM oauth_apps WHERE id = $1")
            .bind(id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn create_oauth_code(&self, new: &NewOAuthCode<'_>) -> Result<OAuthCode> {
        Ok(sqlx::query_as(&format!(
            "INSERT INTO oauth_codes (code_hash, app_id, user_id, redirect_uri, scopes, \
             code_challenge, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING {CODE_COLUMNS}"
        ))
        .bind(new.code_hash)
        .bind(new.app_id)
        .bind(new.user_id)
        .bind(new.redirect_uri)
        .bind(new.scopes)
        .bind(new.code_challenge)
        .bind(now_ms())
        .bind(new.expires_at)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The code with this hash, used or not, expired or not: the caller tells reuse apart.
    pub async fn oauth_code_by_hash(&self, code_hash: &str) -> Result<Option<OAuthCode>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {CODE_COLUMNS} FROM oauth_codes WHERE code_hash = $1"
        ))
        .bind(code_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Marks a code used; false when it already was (only one exchange can win).
    pub async fn consume_oauth_code(&self, id: i64) -> Result<bool> {
        let result =
            sqlx::query("UPDATE oauth_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(now_ms())
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Revokes every token descended from a code (after the code was presented twice).
    pub async fn revoke_oauth_tokens_of_code(&self, code_id: i64) -> Result<u64> {
        let result = sqlx::query(
            "UPDATE oauth_tokens SET revoked_at = $1 WHERE code_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(code_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    pub async fn create_oauth_token(&self, new: &NewOAuthToken<'_>) -> Result<OAuthToken> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO oauth_tokens (access_hash, refresh_hash, app_id, user_id, code_id, \
             public_client, scopes, created_at, expires_at, refresh_expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.access_hash)
        .bind(new.refresh_hash)
        .bind(new.app_id)
        .bind(new.user_id)
        .bind(new.code_id)
        .bind(i64::from(new.public_client))
        .bind(new.scopes)
        .bind(now_ms())
        .bind(new.expires_at)
        .bind(new.refresh_expires_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
            .await?)
    }

    /// The token whose access token has this hash, whatever its state.
    pub async fn oauth_token_by_access(&self, access_hash: &str) -> Result<Option<OAuthToken>> {
        Ok(
            sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.access_hash = $1"))
                .bind(access_hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The token whose refresh token has this hash, whatever its state.
    pub async fn oauth_token_by_refresh(&self, refresh_hash: &str) -> Result<Option<OAuthToken>> {
        Ok(
            sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.refresh_hash = $1"))
                .bind(refresh_hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Revokes one token; false when it was already revoked (so of two concurrent refreshes
    /// with one refresh token, only one wins).
    pub async fn revoke_oauth_token(&self, id: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE oauth_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Every usable (by access or refresh) token the user granted, newest first.
    pub async fn oauth_grants_of_user(&self, user_id: i64) -> Result<Vec<GrantedToken>> {
        let now = now_ms();
        Ok(sqlx::query_as(
            "SELECT app_id, scopes, created_at FROM oauth_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL \
             AND (expires_at > $2 OR refresh_expires_at > $3) ORDER BY created_at DESC",
        )
        .bind(user_id)
        .bind(now)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes every token the user granted one application; returns how many.
    pub async fn revoke_oauth_grant(&self, user_id: i64, app_id: i64) -> Result<u64> {
        let result = sqlx::query(
            "UPDATE oauth_tokens SET revoked_at = $1 \
             WHERE user_id = $2 AND app_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(user_id)
        .bind(app_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Deletes authorization codes and tokens that expired before `expired_before`
    /// (milliseconds), `batch` rows per statement until none are left, so a large backlog
    /// never holds the write lock for long. Tokens whose refresh token still works stay.
    pub async fn delete_expired_oauth(
        &self,
        expired_before: i64,
        batch: u32,
    ) -> Result<ExpiredOAuthRows> {
        let batch = i64::from(batch.max(1));
        let mut deleted = ExpiredOAuthRows {
            codes: self
                .delete_in_batches(DELETE_EXPIRED_CODES, expired_before, batch)
                .await?,
            tokens: 0,
        };
        for statement in DELETE_EXPIRED_TOKENS {
            deleted.tokens += self
                .delete_in_batches(statement, expired_before, batch)
                .await?;
        }
        Ok(deleted)
    }
}
