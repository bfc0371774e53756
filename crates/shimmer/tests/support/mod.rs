//! Starts a real `shimmer serve` process on kernel-chosen ports in a temporary directory, and
//! stops it by PID when dropped (also when a test fails).

#![allow(dead_code)]

pub mod chat;
pub mod services;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub struct Server {
    pub base_url: String,
    pub data_dir: PathBuf,
    /// The FTL control port encoders dial.
    pub ftl_port: u16,
    /// The RTMP port encoders publish to (None when `rtmp_enabled = false`).
    pub rtmp_port: Option<u16>,
    /// The Prometheus listener (`metrics_bind`): `{metrics_url}/metrics`.
    pub metrics_url: String,
    /// The WebRTC engine's UDP address (None on a web-only node of a cluster, which has none).
    pub webrtc_addr: Option<String>,
    /// The environment the server started with, given to `cli` too (so a CLI command reaches
    /// the same database, PostgreSQL included).
    env: Vec<(String, String)>,
    child: Option<Child>,
    _temp: Option<tempfile::TempDir>,
}

/// A client WebSocket (chat sockets here, API sockets in `api_support`).
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

static READY_COUNTER: AtomicU32 = AtomicU32::new(0);

/// The `shimmer` binary under test: this build's, or `SHIMMER_TEST_BIN` (to check that a test
/// fails against an older build).
pub fn shimmer() -> Command {
    let binary =
        std::env::var("SHIMMER_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_shimmer").into());
    let mut command = Command::new(binary);
    command
        .env_remove("SHIMMER_CONFIG")
        .env("SHIMMER_LOG", "warn");
    command
}

impl Server {
    pub fn start() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let data_dir = temp.path().to_path_buf();
        let mut server = Self::start_in(&data_dir, &[]);
        server._temp = Some(temp);
        server
    }

    /// Starts a server on an existing data directory (for restart tests) with extra env vars.
    /// Every port is chosen by the kernel (port 0) and read back from `--ready-file`, so
    /// concurrent tests can never race for a port.
    pub fn start_in(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        Self::start_logging(data_dir, env, None)
    }

    /// Like [`Server::start_with_ftl`], with the server's log (at `SHIMMER_LOG=info`, unless
    /// `env` says otherwise) written to the returned file for assertions.
    pub fn start_with_log(env: &[(&str, &str)]) -> (Self, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let log = temp.path().join("server.log");
        let file = std::fs::File::create(&log).unwrap();
        let mut env = env.to_vec();
        if !env.iter().any(|(key, _)| *key == "SHIMMER_LOG") {
            env.push(("SHIMMER_LOG", "info"));
        }
        let mut server = Self::start_logging(temp.path(), &env, Some(file));
        server._temp = Some(temp);
        (server, log)
    }

    /// Starts the server; its log (written to stdout) goes to `log` when given.
    fn start_logging(data_dir: &Path, env: &[(&str, &str)], log: Option<std::fs::File>) -> Self {
        let ready_file = data_dir.join(format!(
            "ready-{}.json",
            READY_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&ready_file);
        let mut command = shimmer();
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--ready-file")
            .arg(&ready_file)
            .env("SHIMMER_FTL__BIND_ADDRESS", "127.0.0.1")
            .env("SHIMMER_FTL__CONTROL_PORT", "0")
            .env("SHIMMER_FTL__MEDIA_PORT", "0")
            .env("SHIMMER_WEBRTC__BIND", "127.0.0.1:0")
            .env("SHIMMER_RTMP_BIND", "127.0.0.1:0")
            .env("SHIMMER_METRICS_BIND", "127.0.0.1:0")
            .env("SHIMMER_RELAY_BIND", "127.0.0.1:0")
            .stdout(match &log {
                Some(file) => Stdio::from(file.try_clone().unwrap()),
                None => Stdio::null(),
            })
            .stderr(log.map_or_else(Stdio::inherit, Stdio::from));
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start shimmer serve");
        let deadline = Instant::now() + Duration::from_secs(30);
        let ready: serde_json::Value = loop {
            if let Ok(text) = std::fs::read_to_string(&ready_file) {
                break serde_json::from_str(&text).expect("a JSON ready file");
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("shimmer serve exited before it was ready: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "shimmer serve was not ready within 30 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let port = |key: &str| -> u16 {
            ready[key]
                .as_str()
                .and_then(|address| address.rsplit(':').next())
                .and_then(|port| port.parse().ok())
                .unwrap_or_else(|| panic!("no {key} port in the ready file: {ready}"))
        };
        Self {
            base_url: format!("http://127.0.0.1:{}", port("web")),
            data_dir: data_dir.to_path_buf(),
            // Nodes without the ingest role have no FTL listener.
            ftl_port: ready["ftl_control"]
                .as_str()
                .map_or(0, |_| port("ftl_control")),
            rtmp_port: ready["rtmp"].as_str().map(|_| port("rtmp")),
            webrtc_addr: ready["webrtc"].as_str().map(str::to_owned),
            // Builds from before the metrics listener served metrics on the site itself.
            metrics_url: match ready["metrics"].is_string() {
                true => format!("http://127.0.0.1:{}", port("metrics")),
                false => format!("http://127.0.0.1:{}", port("web")),
            },
            env: env
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect(),
            child: Some(child),
            _temp: None,
        }
    }

    /// Stops the server with SIGTERM and waits for it to exit; returns whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }

    /// The server process's resident memory in KiB (`VmRSS` in `/proc/<pid>/status`).
    pub fn resident_kib(&self) -> u64 {
        let pid = self.child.as_ref().expect("a running server").id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status")
    }

    /// Sends a signal (`STOP`, `CONT`, ...) to the server process.
    pub fn signal(&self, signal: &str) {
        if let Some(child) = &self.child {
            let status = Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .status()
                .unwrap();
            assert!(status.success(), "kill -{signal}");
        }
    }

    /// Kills the server with SIGKILL (a crash) and waits for it to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends SIGTERM and waits up to `limit` for the exit; returns the exit status and how
    /// long the shutdown took, or None (and kills the server) when it did not exit in time.
    pub fn terminate_within(
        &mut self,
        limit: Duration,
    ) -> Option<(std::process::ExitStatus, Duration)> {
        let mut child = self.child.take()?;
        let started = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = child.try_wait() {
                return Some((status, started.elapsed()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Runs a CLI command against this server's data directory.
    pub fn cli(&self, args: &[&str]) -> Output {
        shimmer()
            .envs(self.env.iter().map(|(key, value)| (key, value)))
            .args(args)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .output()
            .unwrap()
    }

    pub fn create_user(&self, username: &str, password: &str, confirmed: bool) -> i64 {
        self.create_account(username, password, &[confirmed.then_some("--confirmed")])
    }

    /// Creates a confirmed staff account (`--admin`) at `{username}@example.com`, as an operator
    /// does with the CLI; returns its user id.
    pub fn create_admin(&self, username: &str, password: &str) -> i64 {
        self.create_account(username, password, &[Some("--confirmed"), Some("--admin")])
    }

    fn create_account(&self, username: &str, password: &str, flags: &[Option<&str>]) -> i64 {
        let email = format!("{username}@example.com");
        let mut args = vec![
            "user",
            "create",
            "--username",
            username,
            "--email",
            &email,
            "--password",
            password,
        ];
        args.extend(flags.iter().flatten());
        let output = self.cli(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// Registers an OAuth application with `shimmer app create`; returns (client id, secret).
    pub fn create_app(
        &self,
        owner: &str,
        name: &str,
        redirect_uri: Option<&str>,
        ingest: bool,
    ) -> (String, String) {
        let mut args = vec!["app", "create", "--owner", owner, "--name", name];
        if let Some(uri) = redirect_uri {
            args.extend(["--redirect-uri", uri]);
        }
        if ingest {
            args.push("--ingest");
        }
        let output = self.cli(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        let value = |key: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .unwrap_or_else(|| panic!("no {key} in {stdout}"))
                .to_owned()
        };
        (value("client_id="), value("client_secret="))
    }

    /// The Prometheus text from the metrics listener.
    pub async fn metrics(&self) -> String {
        let response = reqwest::get(format!("{}/metrics", self.metrics_url))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "the metrics listener answers");
        response.text().await.unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Every mail in the outbox (newest first) as (to, body).
    pub fn mails(&self) -> Vec<(String, String)> {
        let mut mails: Vec<(String, String, i64)> = std::fs::read_dir(self.data_dir.join("outbox"))
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok())
                    .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
                    .map(|entry| {
                        let json: serde_json::Value =
                            serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
                        (
                            json["to"].as_str().unwrap().to_owned(),
                            json["body"].as_str().unwrap().to_owned(),
                            json["sent_at"].as_i64().unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        mails.sort_by_key(|mail| std::cmp::Reverse(mail.2));
        mails.into_iter().map(|(to, body, _)| (to, body)).collect()
    }

    /// The first link in the newest mail to `to` whose path contains `needle`.
    pub fn link_for(&self, to: &str, needle: &str) -> String {
        self.mails()
            .into_iter()
            .filter(|(address, _)| address == to)
            .find_map(|(_, body)| {
                body.split_whitespace()
                    .find(|word| word.starts_with("http") && word.contains(needle))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("no mail to {to} with a link containing {needle}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A browser-like client: keeps cookies, does not follow redirects, and reads CSRF tokens.
pub struct Browser {
    pub client: reqwest::Client,
    base_url: String,
}

impl Browser {
    pub fn new(server: &Server) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("shimmer-tests")
            // A server may close a connection after refusing a request (413 before reading the
            // body); a fresh connection per request keeps such tests deterministic.
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        Self {
            client,
            base_url: server.base_url.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let (status, body) = self.get_bytes(path).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// A GET whose body is not text (pictures).
    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{}", self.base_url, path))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// The CSRF token from a page's forms.
    pub async fn csrf(&self, path: &str) -> String {
        let (_, body) = self.get(path).await;
        let marker = "name=\"_csrf\" value=\"";
        let start = body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF token on {path}"))
            + marker.len();
        body[start..start + body[start..].find('"').unwrap()].to_owned()
    }

    /// Submits a form with the CSRF token of `page` added; returns status, Location and body.
    pub async fn post_form(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Option<String>, String) {
        let token = self.csrf(page).await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &token)];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Submits a form exactly as given (no CSRF token added).
    pub async fn post_raw(
        &self,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Option<String>, String) {
        let response = self
            .client
            .post(format!("{}{}", self.base_url, action))
            .form(fields)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        (status, location, response.text().await.unwrap())
    }

    /// Logs in and returns the session cookie header, for clients that do not share the cookie
    /// store (chat WebSockets).
    pub async fn session_cookie(&self, login: &str, password: &str) -> String {
        let token = self.csrf("/users/login").await;
        let response = self
            .client
            .post(format!("{}/users/login", self.base_url))
            .form(&[
                ("_csrf", token.as_str()),
                ("login", login),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("shimmer_session="))
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    }

    /// Posts a multipart form (a file upload) with the CSRF token of `page` in the query string,
    /// as the upload forms do; returns status and body.
    pub async fn post_multipart(
        &self,
        page: &str,
        action: &str,
        form: reqwest::multipart::Form,
    ) -> (u16, String) {
        let token = self.csrf(page).await;
        let response = self
            .client
            .post(format!("{}{action}?_csrf={token}", self.base_url))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn login(&self, login: &str, password: &str) -> u16 {
        self.post_form(
            "/users/login",
            "/users/login",
            &[("login", login), ("password", password)],
        )
        .await
        .0
    }
}

/// A PNG of one colour, made here with the `image` crate, for upload tests.
pub fn png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb(colour))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// The H.264 + Opus pair most tests push, made by ffmpeg once per test process.
pub use shimmer_testkit::media::test_media;

/// Ports of a server's FTL ingest.
impl Server {
    /// A server in a temporary directory, with its FTL control port.
    pub fn start_with_ftl(env: &[(&str, &str)]) -> (Self, u16) {
        let temp = tempfile::tempdir().unwrap();
        let mut server = Self::start_in(temp.path(), env);
        server._temp = Some(temp);
        let port = server.ftl_port;
        (server, port)
    }

    pub fn channel_status(&self, username: &str) -> String {
        String::from_utf8(self.cli(&["channel", "status", username]).stdout)
            .unwrap()
            .trim()
            .to_owned()
    }

    pub fn stream_key(&self, username: &str) -> String {
        String::from_utf8(self.cli(&["channel", "key", username]).stdout)
            .unwrap()
            .trim()
            .to_owned()
    }

    /// Opens the server's SQLite database for assertions.
    pub async fn database(&self) -> sqlx::SqliteConnection {
        use sqlx::Connection;
        sqlx::SqliteConnection::connect(&format!("sqlite://{}/shimmer.db", self.data_dir.display()))
            .await
            .unwrap()
    }
}

/// Starts `shimmer push` in the background.
pub fn push(control_port: u16, key: &str, extra: &[&str]) -> Child {
    let (video, audio) = test_media();
    push_media(control_port, key, &video, &audio, extra)
}

/// Starts `shimmer push` of the given H.264 and Ogg Opus files in the background.
pub fn push_media(
    control_port: u16,
    key: &str,
    video: &Path,
    audio: &Path,
    extra: &[&str],
) -> Child {
    shimmer()
        .args([
            "push",
            "--server",
            &format!("127.0.0.1:{control_port}"),
            "--key",
            key,
            "--video",
        ])
        .arg(video)
        .arg("--audio")
        .arg(audio)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Polls `check` every 100 ms until it is true or `seconds` pass.
pub fn wait_until(seconds: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// An authenticator app for a manual key (SHA-1, 6 digits, 30 s steps).
pub fn authenticator(manual_key: &str) -> totp_rs::TOTP {
    let seed = totp_rs::Secret::Encoded(manual_key.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, seed)
}

/// The code for the time step `offset` steps from now.
pub fn totp_code(totp: &totp_rs::TOTP, offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp.generate((now + offset * 30) as u64)
}

/// Enrols the signed-in browser's account in two-factor sign-in (staff must) from the manual
/// key on the enrolment page; returns the authenticator and the ten recovery codes.
pub async fn enrol_two_factor(browser: &Browser) -> (totp_rs::TOTP, Vec<String>) {
    let (status, page) = browser.get("/users/settings/two-factor").await;
    assert_eq!(status, 200, "{page}");
    let marker = "data-testid=\"totp-key\">";
    let start = page.find(marker).expect("a manual key") + marker.len();
    let key = &page[start..start + page[start..].find('<').unwrap()];
    let totp = authenticator(key);
    let (status, _, page) = browser
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/confirm",
            &[("code", &totp_code(&totp, 0))],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|part| part[..part.find("</code>").unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{page}");
    (totp, codes)
}
