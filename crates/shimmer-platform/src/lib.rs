//! Shimmer's domain layer: the rules and workflows of the platform over the [`Store`] and the
//! [`Bus`]. It decides who may do what; transports (web pages, the API, ingest protocols) only
//! translate requests into calls here and errors into their own wire formats.
//!
//! The store is private to this crate. Transports get [`views`]: [`UserView`] and
//! [`ChannelView`] carry no password hash and no stream key, and a secret leaves only through
//! a method that checks who asks ([`Platform::stream_key`] for a channel's owner,
//! [`Platform::ingest_stream_key`] for the ingest credential). Who may manage a channel is
//! decided in one place, [`Platform::may_manage_channel`]; what staff may do, by level and named
//! permission, in [`staff`]. `crates/shimmer/tests/layering.rs`
//! fails if the web or API crate depends on the store or can name a row that carries a secret.

pub mod accounts;
pub mod analytics;
pub mod auto_host;
mod avatar_versions;
mod channel_lookups;
pub mod channels;
pub mod chat;
pub mod chat_backgrounds;
pub mod community;
mod directory;
pub mod emotes;
mod error;
pub mod expiry_sweep;
pub mod growth_report;
pub mod mail;
pub mod markdown;
pub mod oauth;
pub mod panels;
pub mod payments;
pub mod posters;
pub mod preferences;
pub mod profiles;
pub mod raids;
mod random_tokens;
pub mod rate_limits;
pub mod reports;
pub mod staff;
pub mod stream_lifecycle;
pub mod support;
pub mod views;

use std::sync::Arc;

use rate_limits::{LimitBackend, Limiter, Rate};
use shimmer_bus::Bus;
use shimmer_store::Store;

pub use error::{FieldError, PlatformError};
pub use random_tokens::{hash_token, random_token};
pub use views::{now_ms, AppView, ChannelView, UserView};

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
    /// Where uploaded files (emotes) are kept.
    pub data_dir: std::path::PathBuf,
    /// Costs and social figures for the growth and financial report.
    pub report: growth_report::ReportSettings,
    /// Who is emailed about support requests.
    pub support: support::SupportSettings,
}

impl Default for PlatformSettings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            site_name: "Shimmer".into(),
            confirm_token_ttl: std::time::Duration::from_secs(48 * 3600),
            reset_token_ttl: std::time::Duration::from_secs(3600),
            data_dir: std::path::PathBuf::from("shimmer-data"),
            report: growth_report::ReportSettings::default(),
            support: support::SupportSettings::default(),
        }
    }
}

/// The whole domain, shared by every transport. Cheap to clone.
#[derive(Clone)]
pub struct Platform {
    /// Private to the domain: transports read and write through [`Platform`]'s methods, which
    /// decide what an actor may see.
    pub(crate) store: Store,
    pub bus: Arc<dyn Bus>,
    pub mailer: Arc<dyn mail::Mailer>,
    pub settings: Arc<PlatformSettings>,
    limits: Arc<accounts::LoginLimits>,
    pub(crate) signup: Arc<accounts::SignupConfig>,
    pub(crate) signup_limits: Arc<accounts::SignupLimits>,
    pub(crate) oauth_limits: Arc<oauth::TokenLimits>,
    pub(crate) client_ids: Arc<oauth::ClientIdCache>,
    pub(crate) channel_lookups: Arc<channel_lookups::ChannelLookups>,
    pub(crate) avatar_versions: Arc<avatar_versions::AvatarVersions>,
    pub(crate) chat_config: Arc<chat::ChatConfig>,
    pub(crate) chat_limits: Arc<chat::ChatLimits>,
    pub(crate) chat_rules: Arc<Vec<Box<dyn chat::rules::ChatRule>>>,
    /// Loaded chat rooms; apply bus events from other nodes with `rooms.apply`.
    pub rooms: Arc<chat::Rooms>,
    pub(crate) community: Arc<community::CommunityConfig>,
    pub(crate) viewers: Arc<community::viewers::ViewerCounter>,
    /// Money features; None unless the operator turned payments on.
    pub(crate) payments: Option<Arc<payments::Payments>>,
    /// Page views counted and not written yet.
    pub(crate) analytics: Arc<analytics::Tally>,
    /// Where the rate limits below are counted.
    pub(crate) limit_backend: rate_limits::LimitBackend,
    pub(crate) report_limits: Arc<rate_limits::Limiter>,
    pub(crate) support_limits: Arc<rate_limits::Limiter>,
    /// Chatter cards opened, per reader.
    pub(crate) card_limits: Arc<rate_limits::Limiter>,
}

impl Platform {
    pub fn new(
        store: Store,
        bus: Arc<dyn Bus>,
        mailer: Arc<dyn mail::Mailer>,
        settings: PlatformSettings,
    ) -> Self {
        Self::with_chat_config(store, bus, mailer, settings, chat::ChatConfig::default())
    }

    pub fn with_chat_config(
        store: Store,
        bus: Arc<dyn Bus>,
        mailer: Arc<dyn mail::Mailer>,
        settings: PlatformSettings,
        chat_config: chat::ChatConfig,
    ) -> Self {
        Self {
            store,
            bus,
            mailer,
            settings: Arc::new(settings),
            limits: Arc::new(accounts::LoginLimits::new(&LimitBackend::Local)),
            signup: Arc::new(accounts::SignupConfig::default()),
            signup_limits: Arc::new(accounts::SignupLimits::new(
                &accounts::SignupConfig::default(),
                &LimitBackend::Local,
            )),
            oauth_limits: Arc::new(oauth::TokenLimits::new(&LimitBackend::Local)),
            client_ids: Arc::new(oauth::ClientIdCache::default()),
            chat_limits: Arc::new(chat::ChatLimits::new(&chat_config)),
            chat_config: Arc::new(chat_config),
            chat_rules: Arc::new(chat::rules::default_chain()),
            rooms: Arc::new(chat::Rooms::default()),
            channel_lookups: Arc::default(),
            avatar_versions: Arc::default(),
            community: Arc::new(community::CommunityConfig::default()),
            viewers: Arc::new(community::viewers::ViewerCounter::default()),
            payments: None,
            analytics: Arc::default(),
            limit_backend: LimitBackend::Local,
            report_limits: Arc::new(Limiter::new(
                "reports",
                reports::REPORT_RATE,
                &LimitBackend::Local,
            )),
            support_limits: Arc::new(Limiter::new(
                "support requests",
                support::REQUESTER_RATE,
                &LimitBackend::Local,
            )),
            card_limits: Arc::new(Limiter::new(
                "chatter cards",
                chat::CARD_RATE,
                &LimitBackend::Local,
            )),
        }
    }

    /// The same platform counting its rate limits in the database, for nodes that share it:
    /// a client then has one allowance on the whole site, not one per node.
    pub fn with_shared_limits(mut self) -> Self {
        let backend = LimitBackend::Shared(self.store.clone());
        self.limits = Arc::new(accounts::LoginLimits::new(&backend));
        self.signup_limits = Arc::new(accounts::SignupLimits::new(&self.signup, &backend));
        self.oauth_limits = Arc::new(oauth::TokenLimits::new(&backend));
        self.report_limits = Arc::new(Limiter::new("reports", reports::REPORT_RATE, &backend));
        self.support_limits = Arc::new(Limiter::new(
            "support requests",
            support::REQUESTER_RATE,
            &backend,
        ));
        self.card_limits = Arc::new(Limiter::new("chatter cards", chat::CARD_RATE, &backend));
        self.limit_backend = backend;
        self
    }

    /// A limit counted where this platform counts its own (for transports' limits, such as
    /// the API's per-token allowance).
    pub fn limiter(&self, name: &'static str, rate: Rate) -> Limiter {
        Limiter::new(name, rate, &self.limit_backend)
    }

    /// The same platform with these community settings (notification limits, sampling).
    pub fn with_community_config(mut self, config: community::CommunityConfig) -> Self {
        self.community = Arc::new(config);
        self
    }

    /// The same platform with these sign-up limits and bot check.
    pub fn with_signup_config(mut self, config: accounts::SignupConfig) -> Self {
        self.signup_limits = Arc::new(accounts::SignupLimits::new(&config, &self.limit_backend));
        self.signup = Arc::new(config);
        self
    }

    /// The chat limits in force.
    pub fn chat_config(&self) -> &chat::ChatConfig {
        &self.chat_config
    }

    /// Keeps this node's chat rooms and remembered channels current with changes made on any
    /// node. Runs until the bus closes.
    pub async fn follow_bus(&self) -> Result<(), shimmer_bus::BusError> {
        use futures::StreamExt;
        let mut events = self.bus.subscribe().await?;
        while let Some(event) = events.next().await {
            self.rooms.apply(&event);
            self.channel_lookups.apply(&event);
        }
        Ok(())
    }
}
