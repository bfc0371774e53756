//! Configuration: defaults, then a TOML file, then `SHIMMER_*` environment variables, then flags.

use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use shimmer_ftl::FtlConfig;
use shimmer_webrtc::WebRtcConfig;

use crate::cli::GlobalArgs;

/// Shown by `--help`: every configuration key.
pub const KEYS_HELP: &str = "\
Configuration keys (TOML file or SHIMMER_<KEY>, nested with a double underscore):
  data_dir            folder for the SQLite database, outbox and uploads [./shimmer-data]
  database_url        sqlite://PATH or postgres://... [sqlite://<data_dir>/shimmer.db]
  bind                website and API address [127.0.0.1:8080]
  base_url            public URL used in emailed links [http://<bind>]
  dev_mode            development conveniences such as /dev/mailbox
                      [true when no --config file is given, else false]
  database_acquire_timeout_ms
                      how long a request waits for a database connection before the
                      page answers 503 [3000 for PostgreSQL, 10000 for SQLite]
  nats_url            NATS server for multi-node deployments [none: in-process bus]
  node_id             this node's id, recorded on the streams it ingests so start-up
                      recovery closes only its own; letters, digits, '-' and '_'
                      [generated once, kept in <data_dir>/node-id]
  roles               the parts this node runs: ingest, edge, web, comma-separated
                      (also --roles) [ingest,edge,web]; anything less than all three needs
                      nats_url and a PostgreSQL database_url shared by every node
  zone                placement hint (a region or rack); viewers are sent to an edge in the
                      channel's ingest zone first [none]
  relay_bind          UDP address of an ingest node's relay, which edges pull channels from
                      (QUIC) [0.0.0.0:8190]
  relay_advertise     the relay's host:port as edges reach it, resolved at start-up
                      [relay_bind; 127.0.0.1 with the bind's port when it is 0.0.0.0 or ::]
  edge_origins        origins pages may always send WHEP offers to, besides the edges the
                      registry lists when a page loads, such as https://*.edge.example.com
                      (an edge started later is then reachable without a reload) [none]
  shutdown_timeout_secs
                      longest a SIGTERM/SIGINT shutdown waits for clients and streams to
                      finish before the process exits anyway [10]
  log_format          text or json [text]
  trusted_proxies     addresses whose X-Forwarded-For is believed [none]
  max_form_bytes      largest accepted form body [65536]
  ingest_host         host name shown to streamers for their encoder [127.0.0.1]
  metrics_bind        address of the Prometheus metrics listener, GET /metrics
                      [127.0.0.1:9090; empty: no listener]
  metrics_token       bearer token required for /metrics on both listeners; with it the
                      site's own /metrics answers too (without it only in dev_mode) [none]
  smtp.host, smtp.port, smtp.username, smtp.password, smtp.security (starttls|tls|none),
  smtp.from           send email over SMTP instead of writing it to the outbox
  mail_from           sender address of every email [Shimmer <noreply@localhost>]
  ftl.bind_address, ftl.control_port [8084], ftl.media_port [8084, UDP], ftl.max_bitrate_bps,
  ftl.metadata_interval_ms, ftl.ingest_name, ftl.*_timeout_ms,
  ftl.nack_max_age_ms [800], ftl.nack_budget_per_second [500, 0 = no limit]
                      FTL ingest (see the shimmer-ftl crate docs for every key)
  rtmp_enabled [true], rtmp_bind [0.0.0.0:1935], rtmp_opus_bitrate [128000]
                      RTMP ingest (the stream key is the publish name) and the bitrate of the
                      Opus audio made from its AAC for web viewers; RTMP uses the ftl.*
                      metadata interval, call timeout, ingest name and max_bitrate_bps
  whip_enabled [true] WHIP ingest (OBS 30+, browsers) at POST /api/whip with the stream key as
                      bearer token (or POST /api/whip/<key>), on the WebRTC UDP port; WHIP
                      uses the ftl.* metadata interval, call timeout, ingest name and
                      max_bitrate_bps
  hls_enabled [true]  Low-Latency HLS at /hls/<username>/index.m3u8 on nodes that serve viewers,
                      packaged only while someone watches over HLS
  hls_part_ms [200], hls_segment_ms [1000]
                      LL-HLS part target and the shortest segment (segments are cut at
                      keyframes and never pass 2 s)
  chat.max_message_chars [500], chat.history_messages [50], chat.user_burst [8],
  chat.user_interval_ms [700], chat.ip_burst [40], chat.ip_interval_ms [100]
                      chat message limits and per-chatter and per-address rate limits
  chat.batch_us_per_listener [10], chat.batch_max_ms [50]
                      a busy chat room sends at most one frame per tick (its listeners times
                      the first, at most the second; under 1 ms, every frame at once; 0 = off)
  signup.per_address_burst [10], signup.per_address_interval_secs [360],
  signup.global_burst [60], signup.global_interval_secs [2],
  signup.mails_per_recipient [3], signup.mail_interval_secs [1200],
  signup.min_fill_secs [3; 0 in dev_mode]
                      sign-ups per client address (IPv6: per /64) and site-wide, then one per
                      interval; confirmation emails per address; least seconds between
                      showing the sign-up form and sending it (with a hidden honeypot field)
  thumbnails.interval_ms [45000], thumbnails.max_concurrent [half the cores, at least 1]
                      live thumbnails: time between two of one channel, renders at once
  community.notify_delay_secs [60], community.notify_per_streamer_secs [3600],
  community.daily_cap [5], community.viewer_sample_secs [60]
                      live-notification emails (delay after going live, at most one per
                      streamer per user in the window, per-user daily cap) and viewer sampling
  api.requests_per_second [50], api.burst [100], api.max_subscriptions_per_socket [50],
  api.slow_operation_ms [500], api.socket_idle_timeout_secs [60],
  api.max_upload_bytes [2097152, 64 KiB to 16 MiB]
                      public API limits per token or client id, the slow-operation log, how
                      long a socket may stay silent, and the largest file upload request
  housekeeping.interval_secs [600]
                      how often expired rows are deleted: sessions, pending two-factor
                      log-ins, used or expired emailed links, ended username holds and chat
                      timeouts, old live-notification records, OAuth2 codes and tokens
                      (oauth.cleanup_interval_secs, its former name, still works)
  report.bandwidth_price_per_gb_centicents [0], report.server_cost_per_month_cents [0],
  report.social [{}]   the growth report's cost estimate (egress price per GB in hundredths of a
                      cent, fixed monthly server cost in cents) and follower counts elsewhere,
                      for example report.social = { discord = 1200 }
  support.alert_staff [true]
                      email staff with the support permission about each new support request
  payments.enabled [false], payments.currency [usd], payments.prices.supporter_cents [500],
  payments.prices.founder_cents [2500], payments.prices.channel_cents [500],
  payments.platform_cut [[{ from = \"2020-01-01\", percent_bp = 1000 }]],
  payments.donation_min_cents [100], payments.donation_max_cents [10000],
  payments.fee_percent_bp [290], payments.fee_fixed_cents [30], payments.event_attempts [6],
  payments.event_retry_secs [10]
                      money features (subscriptions, donations, payouts; see docs/payments.md):
                      off unless enabled, with stripe.secret_key and stripe.webhook_secret;
                      the cut of channel subscriptions in hundredths of a percent from each date
  stripe.secret_key, stripe.webhook_secret, stripe.connect_webhook_secret,
  stripe.api_base [https://api.stripe.com]
                      Stripe's API key, the signing secrets of the webhook endpoint and of its
                      Connect twin (connected accounts' payout events), and the API's address
                      (`shimmer dev stripe` gives a local stand-in)
  webrtc.bind [0.0.0.0:8189, UDP], webrtc.public_ip, webrtc.candidate_ips, webrtc.max_sessions
                      WebRTC playback (see the shimmer-webrtc crate docs for every key)
  webrtc.pace_multiplier [3], webrtc.pace_burst_ms [10], webrtc.pace_first_burst_kib [256]
                      pacing of each viewer's video at a multiple of the stream's bitrate
                      (0: off); a new viewer's first keyframe goes at once up to the allowance
  webrtc.viewer_drivers [0: one per CPU]
                      tasks that run the viewers, each serving many from one subscription per stream
";

/// Chat limits (`[chat]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatLimitsConfig {
    pub max_message_chars: usize,
    pub history_messages: i64,
    pub user_burst: u32,
    pub user_interval_ms: u64,
    pub ip_burst: u32,
    pub ip_interval_ms: u64,
    /// How much each listener stretches a busy room's batching tick.
    pub batch_us_per_listener: u64,
    /// The longest a chat frame waits for its room's batch.
    pub batch_max_ms: u64,
}

impl Default for ChatLimitsConfig {
    fn default() -> Self {
        let defaults = shimmer_platform::chat::ChatConfig::default();
        let batching = shimmer_web::chat::coalesce::BatchTiming::default();
        Self {
            max_message_chars: defaults.max_message_chars,
            history_messages: defaults.history_messages,
            user_burst: defaults.user_burst,
            user_interval_ms: defaults.user_interval.as_millis() as u64,
            ip_burst: defaults.ip_burst,
            ip_interval_ms: defaults.ip_interval.as_millis() as u64,
            batch_us_per_listener: batching.per_listener.as_micros() as u64,
            batch_max_ms: batching.max.as_millis() as u64,
        }
    }
}

impl ChatLimitsConfig {
    pub fn to_chat_config(&self) -> shimmer_platform::chat::ChatConfig {
        shimmer_platform::chat::ChatConfig {
            max_message_chars: self.max_message_chars.clamp(1, 10_000),
            history_messages: self.history_messages.clamp(0, 500),
            user_burst: self.user_burst,
            user_interval: std::time::Duration::from_millis(self.user_interval_ms),
            ip_burst: self.ip_burst,
            ip_interval: std::time::Duration::from_millis(self.ip_interval_ms),
        }
    }

    /// How busy rooms batch their frames; a batch never waits more than 1 s.
    pub fn batch_timing(&self) -> shimmer_web::chat::coalesce::BatchTiming {
        shimmer_web::chat::coalesce::BatchTiming {
            per_listener: std::time::Duration::from_micros(self.batch_us_per_listener),
            max: std::time::Duration::from_millis(self.batch_max_ms.min(1_000)),
        }
    }
}

/// Live thumbnails (`[thumbnails]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ThumbnailsConfig {
    pub interval_ms: u64,
    /// 0 picks half the cores.
    pub max_concurrent: usize,
}

impl Default for ThumbnailsConfig {
    fn default() -> Self {
        Self {
            interval_ms: 45_000,
            max_concurrent: 0,
        }
    }
}

/// Limits of the public API (`[api]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiLimitsConfig {
    pub requests_per_second: u32,
    pub burst: u32,
    pub max_subscriptions_per_socket: usize,
    /// Largest multipart (file upload) request, such as `uploadStreamThumbnail`'s.
    pub max_upload_bytes: usize,
    pub slow_operation_ms: u64,
    pub socket_idle_timeout_secs: u64,
}

impl Default for ApiLimitsConfig {
    fn default() -> Self {
        let defaults = shimmer_api::ApiConfig::default();
        Self {
            requests_per_second: defaults.requests_per_second,
            burst: defaults.burst,
            max_subscriptions_per_socket: defaults.max_subscriptions_per_socket,
            max_upload_bytes: defaults.max_upload_bytes,
            slow_operation_ms: defaults.slow_operation.as_millis() as u64,
            socket_idle_timeout_secs: defaults.socket_idle_timeout.as_secs(),
        }
    }
}

impl ThumbnailsConfig {
    pub fn to_config(&self) -> shimmer_thumbnail::ThumbnailerConfig {
        let defaults = shimmer_thumbnail::ThumbnailerConfig::default();
        shimmer_thumbnail::ThumbnailerConfig {
            interval: std::time::Duration::from_millis(self.interval_ms.clamp(1_000, 600_000)),
            max_concurrent: match self.max_concurrent {
                0 => defaults.max_concurrent,
                n => n.min(64),
            },
            ..defaults
        }
    }
}

impl ApiLimitsConfig {
    pub fn to_api_config(&self) -> shimmer_api::ApiConfig {
        shimmer_api::ApiConfig {
            requests_per_second: self.requests_per_second.max(1),
            burst: self.burst.max(1),
            max_subscriptions_per_socket: self.max_subscriptions_per_socket.clamp(1, 1000),
            max_upload_bytes: self.max_upload_bytes.clamp(64 * 1024, 16 * 1024 * 1024),
            slow_operation: std::time::Duration::from_millis(self.slow_operation_ms),
            socket_idle_timeout: std::time::Duration::from_secs(
                self.socket_idle_timeout_secs.clamp(1, 3600),
            ),
            ..shimmer_api::ApiConfig::default()
        }
    }
}

/// The periodic sweep of expired rows (`[housekeeping]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HousekeepingConfig {
    /// Seconds between two sweeps; unset means `oauth.cleanup_interval_secs`, else 600.
    pub interval_secs: Option<u64>,
}

/// `[oauth]`: only the sweep's former interval key, still honoured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthConfig {
    /// The former name of `housekeeping.interval_secs`, from when the sweep deleted only
    /// OAuth2 codes and tokens; a configuration that sets it keeps its interval.
    pub cleanup_interval_secs: Option<u64>,
}

/// Outgoing mail server; when `host` is empty, mail goes to the outbox folder.
/// Stripe's keys and address, read only by the Stripe client.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StripeConfig {
    pub secret_key: Option<String>,
    pub webhook_secret: Option<String>,
    /// The signing secret of a second endpoint at the same URL that listens to connected
    /// accounts (Stripe sends their payout events only to such an endpoint).
    pub connect_webhook_secret: Option<String>,
    pub api_base: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: Option<u16>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub security: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub bind: String,
    pub base_url: Option<String>,
    pub dev_mode: Option<bool>,
    pub database_acquire_timeout_ms: Option<u64>,
    pub nats_url: Option<String>,
    pub node_id: Option<String>,
    pub roles: String,
    pub zone: String,
    pub relay_bind: String,
    pub relay_advertise: Option<String>,
    pub edge_origins: Vec<String>,
    pub shutdown_timeout_secs: u64,
    pub log_format: String,
    pub trusted_proxies: Vec<IpAddr>,
    pub max_form_bytes: usize,
    pub ingest_host: String,
    /// The metrics listener's address; empty turns it off.
    pub metrics_bind: String,
    pub metrics_token: Option<String>,
    pub mail_from: String,
    pub smtp: SmtpConfig,
    pub ftl: FtlConfig,
    pub rtmp_enabled: bool,
    pub rtmp_bind: String,
    pub rtmp_opus_bitrate: u32,
    pub whip_enabled: bool,
    pub hls_enabled: bool,
    pub hls_part_ms: u64,
    pub hls_segment_ms: u64,
    pub chat: ChatLimitsConfig,
    pub thumbnails: ThumbnailsConfig,
    pub community: shimmer_platform::community::CommunityConfig,
    pub signup: shimmer_platform::accounts::SignupConfig,
    pub api: ApiLimitsConfig,
    pub housekeeping: HousekeepingConfig,
    pub oauth: OAuthConfig,
    pub payments: shimmer_platform::payments::PaymentsConfig,
    pub stripe: StripeConfig,
    pub report: shimmer_platform::growth_report::ReportSettings,
    pub support: shimmer_platform::support::SupportSettings,
    /// Not serialised: it has no serialisable form, and figment fills it from its defaults.
    #[serde(skip_serializing)]
    pub webrtc: WebRtcConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("shimmer-data"),
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            base_url: None,
            dev_mode: None,
            database_acquire_timeout_ms: None,
            nats_url: None,
            node_id: None,
            roles: "ingest,edge,web".into(),
            zone: String::new(),
            relay_bind: "0.0.0.0:8190".into(),
            relay_advertise: None,
            edge_origins: Vec::new(),
            shutdown_timeout_secs: 10,
            log_format: "text".into(),
            trusted_proxies: Vec::new(),
            max_form_bytes: 64 * 1024,
            ingest_host: "127.0.0.1".into(),
            metrics_bind: "127.0.0.1:9090".into(),
            metrics_token: None,
            mail_from: "Shimmer <noreply@localhost>".into(),
            smtp: SmtpConfig::default(),
            ftl: FtlConfig::default(),
            rtmp_enabled: true,
            rtmp_bind: "0.0.0.0:1935".into(),
            rtmp_opus_bitrate: 128_000,
            whip_enabled: true,
            hls_enabled: true,
            hls_part_ms: 200,
            hls_segment_ms: 1000,
            chat: ChatLimitsConfig::default(),
            thumbnails: ThumbnailsConfig::default(),
            community: Default::default(),
            signup: Default::default(),
            api: ApiLimitsConfig::default(),
            housekeeping: HousekeepingConfig::default(),
            oauth: OAuthConfig::default(),
            payments: Default::default(),
            stripe: StripeConfig::default(),
            report: Default::default(),
            support: Default::default(),
            webrtc: WebRtcConfig::default(),
        }
    }
}

impl Config {
    /// The report's settings, in the payments' currency unless one is given.
    pub fn report_settings(&self) -> shimmer_platform::growth_report::ReportSettings {
        let mut report = self.report.clone();
        if report.currency.is_empty() {
            report.currency = self.payments.currency.clone();
        }
        report
    }

    /// Loads the layered configuration for a command.
    pub fn load(global: &GlobalArgs) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = &global.config {
            if !path.exists() {
                anyhow::bail!("the configuration file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(
            Env::prefixed("SHIMMER_")
                .split("__")
                .ignore(&["config", "log"])
                .filter(|key| {
                    !key.as_str().starts_with("test_") && !key.as_str().starts_with("require_")
                }),
        );
        let mut config: Config = figment.extract().context("invalid configuration")?;
        if let Some(data_dir) = &global.data_dir {
            config.data_dir = data_dir.clone();
        }
        if let Some(database_url) = &global.database_url {
            config.database_url = Some(database_url.clone());
        }
        if config.dev_mode.is_none() {
            config.dev_mode = Some(global.config.is_none());
        }
        Ok(config)
    }

    /// The metrics bearer token, if one is set (an empty value counts as none).
    pub fn metrics_token(&self) -> Option<String> {
        self.metrics_token
            .as_deref()
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(str::to_owned)
    }

    pub fn dev_mode(&self) -> bool {
        self.dev_mode.unwrap_or(false)
    }

    /// The sign-up limits, with no minimum form-fill time in development mode unless one is
    /// set (scripts and tests there sign up as fast as they like).
    pub fn signup(&self) -> shimmer_platform::accounts::SignupConfig {
        let mut signup = self.signup.clone();
        if self.dev_mode() && signup.min_fill_secs.is_none() {
            signup.min_fill_secs = Some(0);
        }
        signup
    }

    /// Time between two housekeeping sweeps, kept between a second and a day.
    pub fn housekeeping_interval(&self) -> std::time::Duration {
        let seconds = self
            .housekeeping
            .interval_secs
            .or(self.oauth.cleanup_interval_secs)
            .unwrap_or(600);
        std::time::Duration::from_secs(seconds.clamp(1, 86_400))
    }

    /// How long a query waits for a pooled connection: short on PostgreSQL, so an outage
    /// gives 503s at once; longer on SQLite, whose only waits are for a busy local file.
    pub fn database_acquire_timeout(&self) -> std::time::Duration {
        let default = if self.database_url().starts_with("sqlite:") {
            10_000
        } else {
            3_000
        };
        let millis = self.database_acquire_timeout_ms.unwrap_or(default);
        std::time::Duration::from_millis(millis.clamp(100, 60_000))
    }

    /// The bound on a graceful shutdown, between one second and ten minutes.
    pub fn shutdown_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.shutdown_timeout_secs.clamp(1, 600))
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("shimmer.db").display()))
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
