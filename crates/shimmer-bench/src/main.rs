//! `shimmer-bench`: load generators. Each subcommand lives in its own module and prints one JSON
//! line of results, so runs can be compared and pasted into BENCHMARKS.md.

mod api_chat;
mod api_http;
mod chat;
mod churn;
mod cpu;
mod ftl_ingest;
mod hls;
mod netlink;
mod relay;
mod seed;
mod thumbnail;
mod transcode;
mod viewers;
mod websocket;
mod whep;
mod whip;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "shimmer-bench", about = "Shimmer load generators")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// N concurrent FTL streams pushed into an FTL server (in-process or remote).
    Ingest(ftl_ingest::Args),
    /// One channel's chat: N viewer sockets, K senders at M messages/s (or --flood); latency,
    /// loss, accepted messages/s and CPU.
    Chat(chat::Args),
    /// N WHEP viewers (str0m) watching one stream from an in-process or remote server.
    Whep(whep::Args),
    /// The delay WHIP ingest adds on its way to WHEP viewers (p50/p99 per packet, loopback):
    /// an in-process server, a str0m WHIP publisher and str0m WHEP viewers.
    WhipDelay(whip::Args),
    /// CPU time of one live thumbnail: decode a 1280×720 keyframe, scale, encode two JPEGs.
    Thumbnail(thumbnail::Args),
    /// Viewer-count correctness under churn: N viewers (some with two tabs) join and leave a
    /// running server's live channel over WHEP; exact concurrent, peak and unique counts.
    Viewers(viewers::Args),
    /// Steady WHEP churn for soak runs: N viewer slots join, stay a while, leave and join
    /// again for a duration; one JSON line per interval (sessions, failures, loss) and a summary.
    Churn(churn::Args),
    /// `channel(streamerUsername:)` over HTTP with a client id: requests/s and latency.
    ApiHttp(api_http::Args),
    /// Chat through the API's Phoenix sockets: N subscribed sockets, M messages/s sent with
    /// `createChatMessage`; delivery latency.
    ApiChat(api_chat::Args),
    /// The ingest → edge relay on loopback, over QUIC or NATS: added delay (p50/p99 per video
    /// packet) and CPU per relayed stream.
    Relay(relay::Args),
    /// RTMP audio for WebRTC: N streams transcoding AAC→Opus at once, one thread each; CPU
    /// per second of audio (share of a core per stream).
    Transcode(transcode::Args),
    /// LL-HLS: CPU per packaged stream and ingest → part delay, then N low-latency clients
    /// on one stream (blocking reloads and parts): requests/s and reload latency.
    Hls(hls::Args),
    /// Fill a database with a generated history (accounts, streams, views, page views,
    /// money) for the growth report; prints what it wrote per day as JSON.
    Seed(seed::Args),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Ingest(args) => ftl_ingest::run(args),
        Command::Whep(args) => whep::run(args),
        Command::Relay(args) => relay::run(args),
        Command::Chat(args) => chat::run(args),
        Command::Thumbnail(args) => thumbnail::run(args),
        Command::WhipDelay(args) => whip::run(args),
        Command::Viewers(args) => viewers::run(args),
        Command::Churn(args) => churn::run(args),
        Command::ApiHttp(args) => api_http::run(args),
        Command::ApiChat(args) => api_chat::run(args),
        Command::Transcode(args) => transcode::run(args),
        Command::Seed(args) => seed::run(args),
        Command::Hls(args) => hls::run(args),
    }
}
