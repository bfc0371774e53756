//! `shimmer-bench chat`: one channel's chat under load. N viewer sockets (visitors) and K
//! signed-in sender sockets on `GET /chat/<channel_id>/socket`; the senders send M messages/s in
//! total, each text carrying its sequence number and send time (`cb <seq> <µs>`, µs since the
//! bench started, so sender and viewers share one clock), and every viewer measures the delivery
//! latency of every message it gets. `--flood` instead sends as fast as the server accepts: each
//! sender waits for its message to come back (accepted) or be refused, honours `retry_after_ms`,
//! and stays under the socket's 10 frames/s.
//!
//! Two ways to point it at a server:
//! - `--url http://127.0.0.1:PORT [--server-pid PID]`: a running server; the channel owner and
//!   the senders (`<prefix>0..<prefix>K-1`, password `--password`) must exist already.
//! - `--spawn path/to/shimmer`: starts `shimmer serve` itself on free ports in `--data-dir`
//!   (kept, so accounts are created once; a temporary one by default), creates the missing
//!   accounts with `shimmer user create --confirmed`, trusts 127.0.0.1 as a proxy and gives each
//!   sender its own `X-Forwarded-For` address (10.x.y.z), so the per-address limits apply per
//!   sender as for real chatters and log-ins are not throttled, measures the server's CPU from
//!   /proc, and stops it by PID at the end. `SHIMMER_*` variables in the environment (for example
//!   `SHIMMER_CHAT__IP_BURST`) reach the server. `--strict-channel` turns the channel's
//!   verified-email and block-links rules on before the server starts.
//!
//! Prints one JSON line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use crate::websocket::Socket;

/// Options of the chat benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Base URL of a running server (http://127.0.0.1:PORT). Either this or --spawn.
    #[arg(long, conflicts_with = "spawn")]
    url: Option<String>,
    /// Start this `shimmer` binary (`serve`) and create the accounts; see the module docs.
    #[arg(long, value_name = "SHIMMER_BIN")]
    spawn: Option<PathBuf>,
    /// With --spawn: the data directory (kept; accounts are reused). Default: a temporary one.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The channel's owner (username); its chat page gives the channel id.
    #[arg(long, default_value = "chatbench")]
    channel: String,
    /// Viewer sockets (visitors).
    #[arg(long, default_value_t = 100)]
    viewers: usize,
    /// Messages per second, in total over the senders (ignored with --flood).
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Signed-in sender sockets (accounts `<prefix>0` ... `<prefix>K-1`).
    #[arg(long, default_value_t = 20)]
    senders: usize,
    /// Password of the sender accounts.
    #[arg(long, default_value = "bench-password-1")]
    password: String,
    /// Username prefix of the sender accounts.
    #[arg(long, default_value = "chatbench")]
    sender_prefix: String,
    /// Send as fast as the server accepts instead of --rate.
    #[arg(long)]
    flood: bool,
    /// PID of the server with --url, to measure its CPU.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Give each sender its own X-Forwarded-For address (the server must trust 127.0.0.1 as a
    /// proxy; always on with --spawn).
    #[arg(long)]
    forwarded_for: bool,
    /// With --spawn: require verified email and block links in the channel (every rule active).
    #[arg(long)]
    strict_channel: bool,
    /// Seconds to wait for late deliveries after the last send.
    #[arg(long, default_value_t = 3.0)]
    drain: f64,
    /// Sockets opened at once while connecting.
    #[arg(long, default_value_t = 64)]
    connect_parallel: usize,
    /// For CI: fail (exit 1 after printing) unless every accepted message reached every viewer,
    /// nothing was refused or left unanswered, and the viewers' p99 is under this many ms.
    #[arg(long, value_name = "MS")]
    assert_p99_ms: Option<f64>,
    /// Worker threads of the bench's runtime.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

#[derive(Debug, Serialize, Default)]
struct Latency {
    count: usize,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

/// The JSON summary line.
#[derive(Debug, Serialize)]
struct Summary {
    mode: &'static str,
    channel_id: i64,
    viewers: usize,
    viewers_connected: usize,
    viewers_disconnected: usize,
    senders: usize,
    senders_connected: usize,
    seconds: f64,
    target_rate: Option<f64>,
    messages_sent: u64,
    accepted: u64,
    accepted_per_s: f64,
    refused: BTreeMap<String, u64>,
    unanswered: u64,
    deliveries_expected: u64,
    deliveries_received: u64,
    loss_pct: f64,
    deliveries_per_s: f64,
    /// Send to arrival at the viewers.
    latency: Latency,
    /// Send to the sender's own copy coming back (the acceptance round trip).
    echo_latency: Latency,
    connect_s: f64,
    server_cpu_cores: Option<f64>,
    client_cpu_cores: f64,
    load_average_before: String,
    load_average_after: String,
    errors: Vec<String>,
}

/// Counters shared by every task.
#[derive(Default)]
struct Shared {
    sent: AtomicU64,
    accepted: AtomicU64,
    disconnected: AtomicU64,
    refused: Mutex<BTreeMap<String, u64>>,
    errors: Mutex<Vec<String>>,
    stop: AtomicBool,
}

impl Shared {
    fn error(&self, error: impl std::fmt::Display) {
        let mut errors = self.errors.lock().unwrap();
        if errors.len() < 10 {
            errors.push(error.to_string());
        }
    }
}

/// µs since the bench started: the one clock of send and receive times.
fn now_us(base: Instant) -> u64 {
    base.elapsed().as_micros() as u64
}

/// The `cb <seq> <sent_us>` markers of a message frame or a batch of them, found without
/// parsing the JSON.
fn markers(frame: &str) -> impl Iterator<Item = (u64, u64)> + '_ {
    const TEXT: &str = "\"text\":\"cb ";
    let carries_messages =
        frame.starts_with("{\"type\":\"message\"") || frame.starts_with("{\"type\":\"batch\"");
    let mut rest = if carries_messages { frame } else { "" };
    std::iter::from_fn(move || loop {
        let start = rest.find(TEXT)? + TEXT.len();
        rest = &rest[start..];
        let marker = (|| {
            let space = rest.find(' ')?;
            let seq = rest[..space].parse().ok()?;
            let after = &rest[space + 1..];
            let end = after.find('"')?;
            Some((seq, after[..end].parse().ok()?))
        })();
        if marker.is_some() {
            return marker;
        }
    })
}

/// A server started by the bench, stopped by PID when dropped.
struct Spawned {
    child: Child,
    base_url: String,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Creates the accounts missing from `accounts.txt` in the data directory, two at a time.
fn ensure_accounts(
    bin: &Path,
    data_dir: &Path,
    names: &[String],
    password: &str,
) -> anyhow::Result<()> {
    let list = data_dir.join("chatbench-accounts.txt");
    let existing: std::collections::HashSet<String> = std::fs::read_to_string(&list)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    let missing: Vec<&String> = names.iter().filter(|n| !existing.contains(*n)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "creating {} accounts (Argon2: this takes a while)",
        missing.len()
    );
    for chunk in missing.chunks(2) {
        let children: Vec<(String, Child)> = chunk
            .iter()
            .map(|name| {
                let child = Command::new(bin)
                    .args(["user", "create", "--username", name, "--email"])
                    .arg(format!("{name}@example.com"))
                    .args(["--password", password, "--confirmed", "--data-dir"])
                    .arg(data_dir)
                    .env("SHIMMER_LOG", "warn")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .context("run shimmer user create")?;
                Ok(((*name).clone(), child))
            })
            .collect::<anyhow::Result<_>>()?;
        for (name, child) in children {
            let output = child.wait_with_output()?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            // A rerun after an interrupted one may find the account there already.
            if !output.status.success() && !stderr.contains("taken") && !stderr.contains("exists") {
                bail!("creating {name} failed: {stderr}");
            }
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&list)?;
            writeln!(file, "{name}")?;
        }
    }
    Ok(())
}

fn spawn_server(args: &Args, bin: &Path, data_dir: &Path) -> anyhow::Result<Spawned> {
    let mut names = vec![args.channel.clone()];
    names.extend((0..args.senders).map(|i| format!("{}{i}", args.sender_prefix)));
    ensure_accounts(bin, data_dir, &names, &args.password)?;
    if args.strict_channel {
        let db = data_dir.join("shimmer.db");
        let status = Command::new("sqlite3")
            .arg(&db)
            .arg(
                "UPDATE channels SET chat_require_verified_email = 1, chat_block_links = 1, \
                 chat_min_account_age_hours = 0, chat_slow_mode_seconds = 0;",
            )
            .status()
            .context("run sqlite3 for --strict-channel")?;
        if !status.success() {
            bail!("sqlite3 could not update the channel settings");
        }
    }
    let port = free_port()?;
    let log = std::fs::File::create(data_dir.join("chatbench-server.log"))?;
    let child = Command::new(bin)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .env("SHIMMER_FTL__BIND_ADDRESS", "127.0.0.1")
        .env("SHIMMER_FTL__CONTROL_PORT", free_port()?.to_string())
        .env("SHIMMER_FTL__MEDIA_PORT", "0")
        .env("SHIMMER_WEBRTC__BIND", "127.0.0.1:0")
        .env("SHIMMER_METRICS_BIND", "127.0.0.1:0")
        .env("SHIMMER_TRUSTED_PROXIES", "[\"127.0.0.1\"]")
        .env(
            "SHIMMER_LOG",
            std::env::var("SHIMMER_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .context("start shimmer serve")?;
    let spawned = Spawned {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("shimmer serve did not listen within 30 s (see chatbench-server.log)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(spawned)
}

/// User + system CPU time of a process, from /proc.
fn proc_cpu(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / 100.0))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn forwarded_address(index: usize) -> String {
    format!(
        "10.{}.{}.{}",
        (index >> 16) & 255,
        (index >> 8) & 255,
        (index & 255).max(1)
    )
}

/// Logs a sender in and returns its `shimmer_session=...` cookie.
async fn log_in(
    base: &str,
    username: &str,
    password: &str,
    forwarded: Option<&str>,
) -> anyhow::Result<String> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(address) = forwarded {
        headers.insert("x-forwarded-for", address.parse()?);
    }
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()?;
    let page = client
        .get(format!("{base}/users/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"_csrf\" value=\"";
    let start = page
        .find(marker)
        .context("no CSRF token on the login page")?
        + marker.len();
    let token = &page[start..start + page[start..].find('"').context("bad CSRF input")?];
    let response = client
        .post(format!("{base}/users/login"))
        .form(&[
            ("_csrf", token),
            ("login", username),
            ("password", password),
        ])
        .send()
        .await?;
    let status = response.status();
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("shimmer_session="))
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
        .with_context(|| format!("logging in {username} gave no session (HTTP {status})"))
}

/// The channel id, from the socket address on the owner's chat page.
async fn channel_id(base: &str, username: &str) -> anyhow::Result<i64> {
    let page = reqwest::get(format!("{base}/{username}/chat"))
        .await?
        .error_for_status()
        .with_context(|| format!("no chat page for {username}"))?
        .text()
        .await?;
    let marker = "data-socket=\"/chat/";
    let start = page.find(marker).context("no chat socket on the page")? + marker.len();
    let end = page[start..].find('/').context("bad socket address")?;
    Ok(page[start..start + end].parse()?)
}

/// Opens a chat socket and waits for its history frame.
async fn connect(
    base: &str,
    channel_id: i64,
    cookie: Option<&str>,
    forwarded: Option<&str>,
) -> anyhow::Result<Socket> {
    let url = format!("{base}/chat/{channel_id}/socket").replacen("http", "ws", 1);
    let mut request = url.into_client_request()?;
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse()?);
    }
    if let Some(address) = forwarded {
        request
            .headers_mut()
            .insert("x-forwarded-for", address.parse()?);
    }
    let mut socket = crate::websocket::connect(request).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) if text.starts_with("{\"type\":\"history\"") => {
                return Ok(socket)
            }
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(error))) => return Err(error.into()),
            Ok(None) => bail!("socket closed before its history"),
            Err(_) => bail!("no history within 30 s"),
        }
    }
}

/// Reads a viewer socket until stopped; returns the latencies (µs) of the bench's messages.
async fn view(
    mut socket: Socket,
    base: Instant,
    shared: Arc<Shared>,
    stop: CancellationToken,
) -> Vec<u32> {
    let mut latencies = Vec::new();
    loop {
        let frame = tokio::select! {
            frame = socket.next() => frame,
            _ = stop.cancelled() => break,
        };
        let Some(frame) = frame else { break };
        match frame {
            Ok(Message::Text(text)) => {
                let now = now_us(base);
                for (_, sent_us) in markers(&text) {
                    latencies.push(now.saturating_sub(sent_us) as u32);
                }
            }
            Ok(Message::Close(_)) | Err(_) => {
                if !shared.stop.load(Ordering::Relaxed) {
                    shared.disconnected.fetch_add(1, Ordering::Relaxed);
                }
                break;
            }
            Ok(_) => {}
        }
    }
    latencies
}

/// What a sender's reader tells its writer about its own messages.
enum Answer {
    Accepted,
    Refused { retry_after_ms: Option<u64> },
}

/// Reads a sender socket: its own messages coming back (accepted), refusals, and everyone
/// else's messages (read and dropped). Returns the echo latencies (µs).
async fn sender_reader(
    mut stream: futures::stream::SplitStream<Socket>,
    sender: u64,
    senders: u64,
    base: Instant,
    shared: Arc<Shared>,
    answers: tokio::sync::mpsc::UnboundedSender<Answer>,
    stop: CancellationToken,
) -> Vec<u32> {
    let mut echoes = Vec::new();
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            _ = stop.cancelled() => break,
        };
        let Some(frame) = frame else { break };
        let text = match frame {
            Ok(Message::Text(text)) => text,
            Ok(Message::Close(_)) | Err(_) => {
                if !shared.stop.load(Ordering::Relaxed) {
                    shared.error(format!("sender {sender} disconnected"));
                }
                break;
            }
            Ok(_) => continue,
        };
        let now = now_us(base);
        let mut carried = false;
        for (seq, sent_us) in markers(&text) {
            carried = true;
            if seq % senders == sender {
                echoes.push(now.saturating_sub(sent_us) as u32);
                shared.accepted.fetch_add(1, Ordering::Relaxed);
                let _ = answers.send(Answer::Accepted);
            }
        }
        if carried {
            continue;
        }
        if text.starts_with("{\"type\":\"refused\"") || text.starts_with("{\"type\":\"error\"") {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let code = value["code"].as_str().unwrap_or("error").to_owned();
            if code == "error" {
                shared.error(format!("server error: {}", value["message"]));
            }
            *shared.refused.lock().unwrap().entry(code).or_default() += 1;
            let _ = answers.send(Answer::Refused {
                retry_after_ms: value["retry_after_ms"].as_u64(),
            });
        }
    }
    echoes
}

fn summarise(mut latencies: Vec<u32>) -> Latency {
    if latencies.is_empty() {
        return Latency::default();
    }
    latencies.sort_unstable();
    let at = |q: f64| {
        let index = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index] as f64 / 1000.0
    };
    Latency {
        count: latencies.len(),
        p50_ms: at(0.50),
        p90_ms: at(0.90),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()?;
    // Keep a spawned server (and its temporary data directory) alive until the end.
    let mut temp_dir = None;
    let spawned = match &args.spawn {
        Some(bin) => {
            let data_dir = match &args.data_dir {
                Some(dir) => dir.clone(),
                None => {
                    let dir = std::env::temp_dir()
                        .join(format!("shimmer-chatbench-{}", std::process::id()));
                    temp_dir = Some(dir.clone());
                    dir
                }
            };
            std::fs::create_dir_all(&data_dir)?;
            Some(spawn_server(&args, bin, &data_dir)?)
        }
        None => None,
    };
    let base_url = match (&spawned, &args.url) {
        (Some(spawned), _) => spawned.base_url.clone(),
        (None, Some(url)) => url.trim_end_matches('/').to_owned(),
        (None, None) => bail!("give --url of a running server or --spawn path/to/shimmer"),
    };
    let server_pid = spawned
        .as_ref()
        .map(|s| s.child.id())
        .or(args.server_pid)
        .map(|pid| pid.to_string());
    let forwarded = args.forwarded_for || spawned.is_some();
    let result = runtime.block_on(bench(&args, &base_url, server_pid.as_deref(), forwarded));
    drop(spawned);
    if let Some(dir) = temp_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    let summary = result?;
    println!("{}", serde_json::to_string(&summary)?);
    if let Some(limit) = args.assert_p99_ms {
        let clean = summary.accepted > 0
            && summary.accepted == summary.messages_sent
            && summary.deliveries_received == summary.deliveries_expected
            && summary.viewers_connected == summary.viewers
            && summary.errors.is_empty();
        if !clean || summary.latency.p99_ms >= limit {
            bail!("chat smoke failed: loss, refusals, errors or p99 >= {limit} ms");
        }
    }
    Ok(())
}

async fn bench(
    args: &Args,
    base_url: &str,
    server_pid: Option<&str>,
    forwarded: bool,
) -> anyhow::Result<Summary> {
    let base = Instant::now();
    let shared = Arc::new(Shared::default());
    let channel_id = channel_id(base_url, &args.channel).await?;
    let senders = args.senders.max(1);
    if !args.flood && args.rate / senders as f64 > 1.2 {
        eprintln!(
            "warning: {:.2} messages/s per sender; the default per-user limit sustains ~1.4/s",
            args.rate / senders as f64
        );
    }

    // Log the senders in (Argon2 on the server: a few at a time).
    let connect_start = Instant::now();
    let logins = Arc::new(Semaphore::new(4));
    let mut cookies = Vec::new();
    for index in 0..senders {
        let logins = logins.clone();
        let base_url = base_url.to_owned();
        let username = format!("{}{index}", args.sender_prefix);
        let password = args.password.clone();
        let address = forwarded.then(|| forwarded_address(index + 1));
        cookies.push(tokio::spawn(async move {
            let _permit = logins.acquire().await?;
            log_in(&base_url, &username, &password, address.as_deref()).await
        }));
    }
    let mut sessions = Vec::new();
    for cookie in cookies {
        sessions.push(cookie.await??);
    }

    // Open the viewers, then the senders.
    let opening = Arc::new(Semaphore::new(args.connect_parallel.max(1)));
    let mut viewer_sockets = Vec::new();
    for _ in 0..args.viewers {
        let opening = opening.clone();
        let base_url = base_url.to_owned();
        viewer_sockets.push(tokio::spawn(async move {
            let _permit = opening.acquire().await?;
            connect(&base_url, channel_id, None, None).await
        }));
    }
    let mut viewers = Vec::new();
    for socket in viewer_sockets {
        match socket.await? {
            Ok(socket) => viewers.push(socket),
            Err(error) => shared.error(format!("viewer: {error:#}")),
        }
    }
    let mut sender_sockets = Vec::new();
    for (index, cookie) in sessions.iter().enumerate() {
        let address = forwarded.then(|| forwarded_address(index + 1));
        match connect(base_url, channel_id, Some(cookie), address.as_deref()).await {
            Ok(socket) => sender_sockets.push(socket),
            Err(error) => bail!("sender {index} could not connect: {error:#}"),
        }
    }
    let connect_s = connect_start.elapsed().as_secs_f64();
    let viewers_connected = viewers.len();

    let stop = CancellationToken::new();
    let viewer_tasks: Vec<_> = viewers
        .into_iter()
        .map(|socket| tokio::spawn(view(socket, base, shared.clone(), stop.clone())))
        .collect();

    let load_before = load_average();
    let server_cpu_before = server_pid.and_then(proc_cpu);
    let client_cpu_before = crate::cpu::process();
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let end = start + Duration::from_secs_f64(args.seconds);
    let k = senders as u64;
    let mut reader_tasks = Vec::new();
    let mut writer_tasks = Vec::new();
    for (index, socket) in sender_sockets.into_iter().enumerate() {
        let (mut sink, stream) = socket.split();
        let (answer_tx, mut answers) = tokio::sync::mpsc::unbounded_channel();
        reader_tasks.push(tokio::spawn(sender_reader(
            stream,
            index as u64,
            k,
            base,
            shared.clone(),
            answer_tx,
            stop.clone(),
        )));
        let shared = shared.clone();
        let flood = args.flood;
        let rate = args.rate;
        writer_tasks.push(tokio::spawn(async move {
            let send = |seq: u64| {
                let text = format!("cb {seq} {}", now_us(base));
                Message::Text(
                    serde_json::json!({"type": "send", "text": text})
                        .to_string()
                        .into(),
                )
            };
            let mut n = 0u64;
            if flood {
                // Closed loop: one message in flight, at most 9 frames/s (the socket allows 10).
                let gap = Duration::from_millis(111);
                let mut next = start;
                while next < end {
                    tokio::time::sleep_until(next).await;
                    if sink.send(send(n * k + index as u64)).await.is_err() {
                        break;
                    }
                    shared.sent.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                    next += gap;
                    match tokio::time::timeout_at(end, answers.recv()).await {
                        Ok(Some(Answer::Refused {
                            retry_after_ms: Some(ms),
                        })) => {
                            next = next.max(tokio::time::Instant::now() + Duration::from_millis(ms))
                        }
                        Ok(Some(_)) => {}
                        Ok(None) | Err(_) => break,
                    }
                    next = next.max(tokio::time::Instant::now());
                }
            } else {
                // Open loop: message i of the whole run at start + i/rate, on sender i % K.
                loop {
                    let seq = n * k + index as u64;
                    let at = start + Duration::from_secs_f64(seq as f64 / rate);
                    if at >= end {
                        break;
                    }
                    tokio::time::sleep_until(at).await;
                    if sink.send(send(seq)).await.is_err() {
                        break;
                    }
                    shared.sent.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            }
            sink
        }));
    }
    let mut sinks = Vec::new();
    for task in writer_tasks {
        sinks.push(task.await?);
    }
    tokio::time::sleep_until(end).await;
    let sending_s = end.duration_since(start).as_secs_f64();
    let server_cpu = server_pid
        .and_then(proc_cpu)
        .zip(server_cpu_before)
        .map(|(after, before)| (after - before).as_secs_f64() / sending_s);
    let client_cpu = (crate::cpu::process() - client_cpu_before).as_secs_f64() / sending_s;
    let load_after = load_average();

    // Give late deliveries --drain seconds.
    let drain_end = tokio::time::Instant::now() + Duration::from_secs_f64(args.drain);
    tokio::time::sleep_until(drain_end).await;
    shared.stop.store(true, Ordering::Relaxed);
    stop.cancel();
    let mut echoes = Vec::new();
    for task in reader_tasks {
        echoes.extend(task.await?);
    }
    drop(sinks);
    let mut latencies = Vec::new();
    for task in viewer_tasks {
        latencies.extend(task.await?);
    }
    let received = latencies.len() as u64;

    let sent = shared.sent.load(Ordering::Relaxed);
    let accepted = shared.accepted.load(Ordering::Relaxed);
    let refused = shared.refused.lock().unwrap().clone();
    let answered = accepted + refused.values().sum::<u64>();
    let expected = accepted * viewers_connected as u64;
    let errors = shared.errors.lock().unwrap().clone();
    Ok(Summary {
        mode: if args.flood { "flood" } else { "rate" },
        channel_id,
        viewers: args.viewers,
        viewers_connected,
        viewers_disconnected: shared.disconnected.load(Ordering::Relaxed) as usize,
        senders,
        senders_connected: senders,
        seconds: sending_s,
        target_rate: (!args.flood).then_some(args.rate),
        messages_sent: sent,
        accepted,
        accepted_per_s: accepted as f64 / sending_s,
        refused,
        unanswered: sent.saturating_sub(answered),
        deliveries_expected: expected,
        deliveries_received: received,
        loss_pct: if expected == 0 {
            0.0
        } else {
            100.0 * expected.saturating_sub(received) as f64 / expected as f64
        },
        deliveries_per_s: received as f64 / sending_s,
        latency: summarise(latencies),
        echo_latency: summarise(echoes),
        connect_s,
        server_cpu_cores: server_cpu,
        client_cpu_cores: client_cpu,
        load_average_before: load_before,
        load_average_after: load_after,
        errors,
    })
}
