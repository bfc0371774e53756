//! Shimmer's domain layer: the rules and workflows of the platform over the [`Store`] and the
//! [`Bus`]. It decides who may do what; transports (web pages, the API, ingest protocols) only
//! translate requests into calls here and errors into their own wire formats.

pub mod accounts;
pub mod channels;
mod error;
pub mod lifecycle;
pub mod mail;
mod tokens;

use std::sync::Arc;

use shimmer_bus::Bus;
use shimmer_store::Store;

pub use error::{FieldError, PlatformError};
pub use tokens::{hash_token, random_token};

/// Settings the domain needs from the configuration.
#[derive(Debug, Clone)]
pub struct PlatformSettings {
    /// The site's public base URL, used in emailed links (for example `http://127.0.0.1:8080`).
    pub base_url: String,
    /// The name shown in emails and page titles.
    pub site_name: String,
    /// How long an email confirmation link stays valid.
    pub confirm_token_ttl: std::time::Duration,
    /// How long a password reset link stays valid.
    pub reset_token_ttl: std::time::Duration,
}

impl Default for PlatformSettings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            site_name: "Shimmer".into(),
            confirm_token_ttl: std::time::Duration::from_secs(48 * 3600),
            reset_token_ttl: std::time::Duration::from_secs(3600),
        }
    }
}

/// The whole domain, shared by every transport. Cheap to clone.
#[derive(Clone)]
pub struct Platform {
    pub store: Store,
    pub bus: Arc<dyn Bus>,
    pub mailer: Arc<dyn mail::Mailer>,
    pub settings: Arc<PlatformSettings>,
    limits: Arc<accounts::LoginLimits>,
}

impl Platform {
    pub fn new(
        store: Store,
        bus: Arc<dyn Bus>,
        mailer: Arc<dyn mail::Mailer>,
        settings: PlatformSettings,
    ) -> Self {
        Self {
            store,
            bus,
            mailer,
            settings: Arc::new(settings),
            limits: Arc::new(accounts::LoginLimits::new()),
        }
    }
}
