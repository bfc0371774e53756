//! Throwaway PostgreSQL and NATS servers that a test owns, so it can stop and restart them
//! (the servers of `scripts/with-services.sh` are shared and must stay up). Both listen on a
//! free loopback port in a temporary directory and are stopped by PID (NATS) or `pg_ctl`
//! (PostgreSQL) when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether the machine has the services; without them a test is skipped, unless the test
/// command asks for them (`SHIMMER_REQUIRE_POSTGRES`, set by `scripts/with-services.sh`).
pub fn available(test: &str) -> bool {
    let present = postgres_bin().is_some() && which("nats-server");
    if !present {
        assert!(
            std::env::var("SHIMMER_REQUIRE_POSTGRES").is_err(),
            "{test}: PostgreSQL and nats-server are required but not installed"
        );
        eprintln!("{test} skipped: PostgreSQL or nats-server is not installed");
    }
    present
}

fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

/// A free TCP port on loopback (bound, read back, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0"))
}

pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl Postgres {
    /// Initialises a cluster and starts it.
    pub fn start() -> Self {
        let bin = postgres_bin().expect("PostgreSQL is installed");
        let dir = tempfile::tempdir().unwrap();
        let postgres = Self {
            bin,
            dir,
            port: free_port(),
        };
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(postgres.dir.path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let data = postgres.data().display().to_string();
        postgres.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "--no-sync"],
        );
        postgres.resume();
        postgres
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        };
        let output = command.args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server again after [`Postgres::stop`], on the same port and data.
    pub fn resume(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let data = self.data().display().to_string();
        let log = self.dir.path().join("log").display().to_string();
        self.run(
            "pg_ctl",
            &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
        );
    }

    /// Stops the server the way an outage looks to clients: connections drop at once.
    pub fn stop(&self) {
        let data = self.data().display().to_string();
        self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let path = self.bin.join("pg_ctl");
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        };
        let _ = command
            .args(["-D", &data, "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

pub struct Nats {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl Nats {
    /// Starts a JetStream-enabled server.
    pub fn start() -> Self {
        let mut nats = Self {
            dir: tempfile::tempdir().unwrap(),
            port: free_port(),
            child: None,
        };
        nats.resume();
        nats
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the server again after [`Nats::stop`], on the same port and JetStream store.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "NATS is already running");
        let child = Command::new("nats-server")
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nats-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "NATS did not listen within 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server by its PID (SIGKILL: clients see the connection drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.stop();
    }
}
