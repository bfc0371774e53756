use std::time::Duration;

/// A problem with one submitted field, worded for the person who filled in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Why a domain operation was refused or failed. Every variant but the last two is the caller's
/// to fix, and transports map them to 4xx answers.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("You need to log in first.")]
    Unauthenticated,
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// Not allowed, with the reason (a staff level or permission that is missing).
    #[error("{0}")]
    Denied(String),
    #[error("Incorrect username, email or password.")]
    BadCredentials,
    #[error("{message}")]
    TokenUnusable { message: &'static str },
    #[error("Too many attempts. Try again in {} seconds.", .retry_after.as_secs().max(1))]
    RateLimited { retry_after: Duration },
    /// A limit with its own explanation (sign-ups, emails to one address, a throttled account).
    #[error("{message}")]
    Throttled {
        message: String,
        retry_after: Duration,
    },
    #[error("{0}")]
    Refused(String),
    #[error("the database failed: {0}")]
    Store(#[from] shimmer_store::StoreError),
    #[error("sending email failed: {0}")]
    Mail(String),
    /// A server-side fault outside the database and mail (files, keys, encoders).
    #[error("internal failure: {0}")]
    Internal(String),
}

impl PlatformError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    /// How long to wait before trying again, for the limits' refusals.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } | Self::Throttled { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// Whether the database could not be reached (see `StoreError::is_unavailable`).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Store(error) if error.is_unavailable())
    }

    /// Whether the fault is the server's rather than the caller's.
    pub fn is_internal(&self) -> bool {
        matches!(self, Self::Store(_) | Self::Mail(_) | Self::Internal(_))
    }
}
