//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Shimmer: live streaming you can host yourself.
///
/// Configuration comes from built-in defaults, then the TOML file given with --config, then
/// SHIMMER_* environment variables (nested keys with a double underscore, for example
/// SHIMMER_SMTP__HOST), then command-line flags. With no configuration at all, `shimmer serve`
/// keeps its data in ./shimmer-data (SQLite), serves the site on 127.0.0.1:8080, takes FTL
/// streams on port 8084, and turns development mode on (email goes to an outbox listed at
/// /dev/mailbox).
#[derive(Debug, Parser)]
#[command(name = "shimmer", version, propagate_version = true, after_long_help = crate::config::KEYS_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// A TOML configuration file [env: SHIMMER_CONFIG]
    #[arg(long, global = true, env = "SHIMMER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where Shimmer keeps its database, outbox and uploads (key: data_dir)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB; defaults to SQLite in the data directory
    /// (key: database_url)
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the platform: website, API and ingest.
    #[command(after_long_help = crate::config::KEYS_HELP)]
    Serve(ServeArgs),
    /// Apply database migrations and exit (serve applies them too).
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Inspect channels.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// The growth and financial report for a period of UTC days (both ends included),
    /// compared with the period of the same length before it.
    Report(ReportArgs),
    /// Manage OAuth applications (API clients).
    #[command(subcommand)]
    App(AppCommand),
    /// Stream H.264 and Opus files to a server over FTL or WHIP, as an encoder would.
    Push(PushArgs),
    /// Inspect a deployment split over several nodes (reads the registry on NATS).
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Development tools.
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Run a local stand-in for Stripe's API, with hosted checkout, portal and onboarding
    /// pages and signed webhooks, to try payments without a Stripe account. Point the server
    /// at it with stripe.api_base, stripe.secret_key and stripe.webhook_secret.
    Stripe(DevStripeArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The first day, YYYY-MM-DD
    #[arg(long)]
    pub from: String,
    /// The last day, YYYY-MM-DD
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    /// Tables to paste into a post
    Markdown,
    /// One JSON object, for tools
    Json,
}

#[derive(Debug, Args)]
pub struct DevStripeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:12111")]
    pub bind: String,
    /// The secret key clients must send
    #[arg(long, default_value = "sk_test_standin")]
    pub api_key: String,
    /// The webhook signing secret
    #[arg(long, default_value = "whsec_standin")]
    pub webhook_secret: String,
    /// Where events are delivered [default: http://127.0.0.1:8080/api/webhooks/stripe]
    #[arg(long)]
    pub webhook_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Nodes with their roles, load and capacity, and live streams with their ingest node and
    /// the edges relaying them.
    Status {
        /// Print JSON instead of tables
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The protocol to publish with
    #[arg(long, value_enum, default_value_t = PushProtocol::Ftl)]
    pub protocol: PushProtocol,
    /// FTL: the server's host, or host:port (port 8084 when omitted). RTMP:
    /// rtmp://host[:port]/app (port 1935 and app `live` when omitted). WHIP: the endpoint
    /// URL, http(s)://host[:port]/api/whip
    #[arg(long)]
    pub server: String,
    /// The channel's stream key, `<channel_id>-<secret>`
    #[arg(long)]
    pub key: String,
    /// An Annex-B H.264 file (no B-frames), e.g. made with ffmpeg `-f h264`
    #[arg(long, value_name = "FILE.h264")]
    pub video: Option<PathBuf>,
    /// An Ogg Opus file; with RTMP also an ADTS AAC file (ffmpeg `-c:a aac -f adts`)
    #[arg(long, value_name = "FILE.opus|FILE.aac")]
    pub audio: Option<PathBuf>,
    /// RTMP only: an FLV file to send as it is (H.264 and AAC or Opus), instead of --video
    /// and --audio
    #[arg(long, value_name = "FILE.flv", conflicts_with_all = ["video", "audio"])]
    pub flv: Option<PathBuf>,
    /// Start over at the end of the files until stopped
    #[arg(long = "loop")]
    pub looping: bool,
    /// Video frame rate for pacing and timestamps
    #[arg(long, default_value_t = 30.0)]
    pub fps: f64,
    /// Drop this share of outgoing packets (percent), to test loss recovery
    #[arg(long, default_value_t = 0.0)]
    pub loss: f64,
    /// Stop after this many seconds (with a goodbye)
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
}

/// The protocols `shimmer push` speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PushProtocol {
    /// FTL: TCP control on 8084 and RTP over UDP
    Ftl,
    /// RTMP on 1935 (Enhanced RTMP for Opus)
    Rtmp,
    /// WHIP (RFC 9725): WebRTC, the key as bearer token
    Whip,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address for the website and API (key: bind); port 0 picks a free one
    #[arg(long, value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    /// Once listening, write the bound addresses as JSON to this file ({"web", "ftl_control",
    /// "ftl_media", "webrtc", "rtmp", "whip"}), for supervisors and tests that start servers on
    /// port 0
    #[arg(long, value_name = "FILE")]
    pub ready_file: Option<std::path::PathBuf>,
    /// The parts this node runs, comma-separated: ingest, edge, web (key: roles) [all three]
    #[arg(long, value_name = "ROLES")]
    pub roles: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (and its channel); prints the new user's id.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Mark the email as already confirmed.
        #[arg(long)]
        confirmed: bool,
        /// Make the user staff (an administrator).
        #[arg(long)]
        admin: bool,
    },
    /// Set a user's staff level and print what changed: 0 removes staff, 1 trial member,
    /// 2 member, 3 lead, 4 manager, 5 admin. Staff sign in with two factors.
    Staff {
        username: String,
        #[arg(long, value_name = "N")]
        level: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Print the channel's stream key.
    Key { username: String },
    /// Print `live <stream id>` or `offline`, from the database.
    Status { username: String },
}

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Register an OAuth application owned by a user; prints `client_id=...` and
    /// `client_secret=...` (the secret is shown only this once).
    Create {
        /// The owner's username
        #[arg(long)]
        owner: String,
        /// The application's name (3 to 50 characters)
        #[arg(long)]
        name: String,
        /// A redirect URI for the authorization-code flow (repeatable); https, or http to
        /// 127.0.0.1, localhost or [::1]
        #[arg(long = "redirect-uri", value_name = "URI")]
        redirect_uris: Vec<String>,
        /// Make the dedicated ingest credential: its client_credentials tokens may use the
        /// ingest mutations and read stream keys
        #[arg(long)]
        ingest: bool,
    },
}
