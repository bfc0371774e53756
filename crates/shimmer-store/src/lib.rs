//! Shimmer's database.
//!
//! One set of queries serves both backends: SQLite (the zero-configuration default, in WAL mode)
//! and PostgreSQL (for deployments split over several nodes). Queries go through sqlx's `Any`
//! driver with `$N` placeholders, which both backends accept, and use only types both map alike:
//! 64-bit integers (ids, flags as 0 or 1, and times as milliseconds since the Unix epoch), text
//! and doubles. Each backend has its own migration folder because their DDL differs.

mod account_lifecycle;
mod allowances;
mod analytics;
mod audit;
mod auto_hosts;
mod categories;
mod channels;
mod chat;
mod chat_backgrounds;
mod discovery;
mod editors;
mod email_tokens;
mod emotes;
mod expired_rows;
mod follows;
mod growth;
mod oauth;
mod panels;
mod payments;
mod posters;
mod profiles;
mod reports;
mod search;
mod sessions;
mod staff;
mod streams;
mod support;
mod tags;
mod two_factor;
mod users;
mod viewers;

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use account_lifecycle::ExportedChatMessage;
pub use allowances::AllowanceCheck;
pub use analytics::AnalyticsDay;
pub use audit::{AuditEntry, AuditFilter, NewAuditEntry};
pub use categories::{Category, Subcategory};
pub use channels::{Channel, ChannelSettings, LiveStatus};
pub use chat::{
    ChannelBan, ChatSettings, ModerationLogEntry, Moderator, ModeratorPermissions, NewChatLine,
    StoredChatMessage, StoredReplyParent,
};
pub use discovery::{LiveChannel, LiveFilter};
pub use email_tokens::{EmailToken, TokenPurpose};
pub use emotes::{Emote, EmoteStatus, NewEmote};
pub use expired_rows::{ExpiredRows, ExpiryCutoffs};
pub use follows::{Follow, FollowListEntry, NotificationLimits, NotificationRecipient};
pub use growth::{GrowthDay, GrowthFigures};
pub use oauth::{
    AppDetails, ExpiredOAuthRows, GrantedToken, NewOAuthApp, NewOAuthCode, NewOAuthToken, OAuthApp,
    OAuthCode, OAuthToken,
};
pub use panels::ChannelPanel;
pub use payments::{
    NewPayable, NewPayment, NewPayoutLine, Payable, Payday, PaymentEvent, PayoutAccount,
    PayoutLine, PendingPayout, Subscription, SubscriptionUpsert, TransferConfirmation,
    UnsettledFee,
};
pub use posters::{NewPoster, PosterSize, StoredPoster};
pub use profiles::{Preferences, Profile, AVATAR_VERSIONS_BATCH};
pub use reports::{NewReport, Report};
pub use search::{ChannelMatch, ChannelMatchPage, LiveCategory, TagMatch, SEARCH_MATCHES_MAX};
pub use sessions::Session;
pub use staff::{AccountChatMessage, AccountMatch, AccountModeration, HiddenMessages, PlatformBan};
pub use streams::{StoredStreamMetadata, Stream, StreamMetadata, StreamOwner};
pub use support::{
    NewSupportMessage, NewSupportTicket, SupportAssignee, SupportMessage, SupportTicket,
};
pub use tags::{Tag, TagName};
pub use two_factor::{PendingLogin, TwoFactor};
pub use users::{NewUser, User, ADMIN_STAFF_LEVEL};
pub use viewers::{StreamMinute, ViewerStats};

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (named by the field) is already in use.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not lock the database for migrations: {0}")]
    Lock(String),
}

impl StoreError {
    /// Whether the database could not be reached at all (no connection within the acquire
    /// timeout, a dropped connection, a server shutting down), rather than refusing a query:
    /// callers answer "unavailable, try again" instead of "something went wrong".
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Database(
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed,
            ) => true,
            // SQLSTATE class 08 (connection exception) and 57P (the server is shutting down
            // or cannot connect now).
            Self::Database(sqlx::Error::Database(error)) => error
                .code()
                .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the store uses its connection pool.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// How long a query waits for a pooled connection before failing. Short, so that while
    /// the database is unreachable pages and `/healthz` answer 503 at once instead of hanging.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: String,
    /// The node whose streams this handle opens and recovers (None: unowned streams).
    owner: Option<StreamOwner>,
}

impl Store {
    /// Connects to `url` (`sqlite://path/to/file.db` or `postgres://...`) and applies every
    /// pending migration. A SQLite file is created when it does not exist.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, StoreOptions::default()).await
    }

    /// [`Store::connect`] with pool options.
    pub async fn connect_with(url: &str, store_options: StoreOptions) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool_options = AnyPoolOptions::new().acquire_timeout(store_options.acquire_timeout);
        let pool = match backend {
            Backend::Sqlite => {
                // A pooled SQLite connection is a local file handle that cannot go stale, so
                // it is not pinged before each use: the ping is a round trip to the
                // connection's worker thread and, on a busy server, as costly as the query.
                pool_options
                    .max_connections(8)
                    .test_before_acquire(false)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection
                                .execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                                )
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                pool_options
                    .max_connections(16)
                    .connect_with(options)
                    .await?
            }
        };
        let store = Self {
            pool,
            backend,
            url,
            owner: None,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                // sqlx takes no lock for SQLite migrations, so two processes opening a new
                // database at once (the server and `shimmer user create`) could both apply a
                // migration. A lock file next to the database serialises them.
                let _lock = match self.sqlite_path() {
                    Some(path) => Some(MigrationLock::acquire(&path).await?),
                    None => None,
                };
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// The database file of a SQLite store (None for in-memory databases and PostgreSQL).
    fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty() && !path.starts_with(":memory:")).then(|| std::path::PathBuf::from(path))
    }

    /// The same database, opening and recovering streams as `owner`'s.
    pub fn with_owner(mut self, owner: StreamOwner) -> Self {
        self.owner = Some(owner);
        self
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection; used at shutdown so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether the database answers; used by `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// An exclusive lock on `<database>.migrate-lock`, held while migrations run.
struct MigrationLock {
    _file: std::fs::File,
}

impl MigrationLock {
    async fn acquire(database: &std::path::Path) -> Result<Self> {
        let mut name = database.as_os_str().to_owned();
        name.push(".migrate-lock");
        let path = std::path::PathBuf::from(name);
        let file = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(|error| StoreError::Lock(error.to_string()))?
        .map_err(|error| StoreError::Lock(error.to_string()))?;
        Ok(Self { _file: file })
    }
}

/// The current time in milliseconds since the Unix epoch, the unit of every time column.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or(0)
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`] naming the field, using the
/// column names that both backends mention in their messages.
fn conflict_or(error: sqlx::Error, fields: &[(&str, &'static str)]) -> StoreError {
    if let sqlx::Error::Database(database_error) = &error {
        if database_error.is_unique_violation() {
            let message = format!(
                "{} {}",
                database_error.message(),
                database_error.constraint().unwrap_or_default()
            );
            for (column, field) in fields {
                if message.contains(column) {
                    return StoreError::Conflict(field);
                }
            }
            return StoreError::Conflict("value");
        }
    }
    StoreError::Database(error)
}

/// Helpers for test suites that need a database of their own.
pub mod testing {
    use sqlx::{Connection, Executor, PgConnection};

    /// Creates an empty database on the PostgreSQL server at `admin_url` and returns its URL,
    /// so that concurrent tests never see each other's rows.
    pub async fn fresh_postgres_database(admin_url: &str) -> Result<String, sqlx::Error> {
        // Process, time and a per-process counter: unique across concurrent tests and runs.
        let name = format!(
            "shimmer_test_{}_{}_{}",
            std::process::id(),
            super::now_ms(),
            next_suffix()
        );
        let mut admin = PgConnection::connect(admin_url).await?;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await?;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url, |(base, _)| base);
        Ok(format!("{base}/{name}"))
    }

    fn next_suffix() -> u32 {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        COUNTER.fetch_add(1, Ordering::Relaxed)
    }
}
