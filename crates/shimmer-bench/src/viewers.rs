//! `shimmer-bench viewers`: viewer-count correctness under churn. `--viewers` distinct viewers
//! (each a WHEP viewer key; every `--tabs-every`-th one opens a second session, a "tab") join
//! and leave a live channel of a running server over real WHEP sessions (str0m: ICE, DTLS,
//! SRTP), in four phases, and the server's counts are checked exactly after each. A phase
//! starts when the previous one is checked; its leavers go at one signal, however late they
//! connected:
//!
//! | phase | what happens                                              | concurrent | peak | unique |
//! |-------|-----------------------------------------------------------|-----------:|-----:|-------:|
//! | join  | viewers 0..⅘N join                                        | ⅘N         | ⅘N   | ⅘N     |
//! | churn | viewers 0..⅖N leave; the second tabs of those who stay too| ⅖N         | ⅘N   | ⅘N     |
//! | rejoin| viewers 0..⅕N come back, ⅘N..N join for the first time    | ⅘N         | ⅘N   | N      |
//! | leave | everyone leaves                                           | 0          | ⅘N   | N      |
//!
//! Counts are read from `GET /api/channels/{id}/viewers`, polled until they match or
//! `--settle-seconds` (after the phase's last join) pass; one JSON line reports every phase. Each viewer's HTTP requests come from
//! its own loopback address (127.0.x.y), so the server's per-address offer limit is not the
//! bottleneck and need not be raised.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use shimmer_testkit::whep_client::{run_viewer, ViewerOptions, ViewerReport};

/// Options of the viewer-count benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Base URL of a running server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// The live channel to watch (username).
    #[arg(long)]
    channel: String,
    /// Distinct viewers over the whole run.
    #[arg(long, default_value_t = 500)]
    viewers: usize,
    /// Every n-th viewer opens a second session with the same key (0: none).
    #[arg(long, default_value_t = 5)]
    tabs_every: usize,
    /// Delay between two joins, ms.
    #[arg(long, default_value_t = 4)]
    ramp_ms: u64,
    /// Seconds each phase waits, after its joins or leaves, for the counts to settle.
    #[arg(long, default_value_t = 30)]
    settle_seconds: u64,
    /// Worker threads of the viewers' runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Counts {
    viewers: Option<i64>,
    peak: Option<i64>,
    unique: Option<i64>,
}

#[derive(Debug, Serialize)]
struct PhaseResult {
    phase: &'static str,
    expected: Counts,
    observed: Counts,
    /// Milliseconds from the phase's start until the counts matched.
    settled_ms: Option<u64>,
    ok: bool,
}

#[derive(Debug, Serialize)]
struct Summary {
    mode: &'static str,
    viewers: usize,
    sessions: usize,
    connected: usize,
    failed: usize,
    seconds: f64,
    phases: Vec<PhaseResult>,
    ok: bool,
}

/// When a session leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leave {
    /// At the churn phase.
    Churn,
    /// At the end.
    End,
}

/// One WHEP session of the plan.
#[derive(Debug, Clone, Copy)]
struct Session {
    viewer: usize,
    /// Joins in the first phase (else in the rejoin phase).
    first: bool,
    leave: Leave,
}

/// The sessions of the documented phases for `n` viewers (a multiple of 5).
fn plan(n: usize, tabs_every: usize) -> Vec<Session> {
    let (first_join_end, churn_end, back_end) = (n * 4 / 5, n * 2 / 5, n / 5);
    let has_tab = |viewer: usize| tabs_every > 0 && viewer % tabs_every == 0;
    let mut sessions = Vec::new();
    for viewer in 0..first_join_end {
        let leave = if viewer < churn_end {
            Leave::Churn
        } else {
            Leave::End
        };
        sessions.push(Session {
            viewer,
            first: true,
            leave,
        });
        if has_tab(viewer) {
            // The second tab of a viewer who stays closes at the churn: the viewer still counts.
            sessions.push(Session {
                viewer,
                first: true,
                leave: Leave::Churn,
            });
        }
    }
    for viewer in (0..back_end).chain(first_join_end..n) {
        for _ in 0..if has_tab(viewer) { 2 } else { 1 } {
            sessions.push(Session {
                viewer,
                first: false,
                leave: Leave::End,
            });
        }
    }
    sessions
}

/// A client whose connections come from their own loopback address.
/// An HTTP client whose requests come from the viewer's own loopback address.
pub(crate) fn client_for(viewer: usize) -> reqwest::Client {
    let address = Ipv4Addr::new(127, 1, (viewer / 250) as u8, (viewer % 250 + 2) as u8);
    reqwest::Client::builder()
        .local_address(IpAddr::V4(address))
        .pool_max_idle_per_host(1)
        .build()
        .unwrap_or_default()
}

async fn channel_id(http: &reqwest::Client, base: &str, channel: &str) -> anyhow::Result<i64> {
    let page = http
        .get(format!("{base}/{channel}"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let marker = "data-channel-id=\"";
    let start = page
        .find(marker)
        .context("no channel id on the channel page")?
        + marker.len();
    let end = page[start..].find('"').context("malformed channel id")?;
    Ok(page[start..start + end].parse()?)
}

async fn counts(http: &reqwest::Client, base: &str, id: i64) -> Counts {
    let body: serde_json::Value = match http
        .get(format!("{base}/api/channels/{id}/viewers"))
        .send()
        .await
    {
        Ok(response) => response.json().await.unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    };
    Counts {
        viewers: body["viewers"].as_i64(),
        peak: body["peak"].as_i64(),
        unique: body["unique"].as_i64(),
    }
}

/// Polls the counts from `from` until they equal `expected` or `until` passes.
async fn check(
    http: &reqwest::Client,
    base: &str,
    id: i64,
    phase: &'static str,
    expected: Counts,
    from: Instant,
    until: Instant,
) -> PhaseResult {
    tokio::time::sleep_until(from.into()).await;
    loop {
        let observed = counts(http, base, id).await;
        let now = Instant::now();
        if observed == expected || now >= until {
            let ok = observed == expected;
            return PhaseResult {
                phase,
                expected,
                observed,
                settled_ms: ok.then(|| now.duration_since(from).as_millis() as u64),
                ok,
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts `sessions` (ramped) that leave when their signal turns true.
fn spawn_sessions(
    sessions: &[Session],
    whep: &str,
    ramp: Duration,
    churn: &tokio::sync::watch::Receiver<bool>,
    end: &tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<ViewerReport>> {
    let start = Instant::now();
    sessions
        .iter()
        .enumerate()
        .map(|(index, session)| {
            // Stays until told to leave (the duration is only a safety net).
            let mut options = ViewerOptions::new(whep.to_owned(), Duration::from_secs(3600));
            options.decrypt = false;
            options.viewer_key = Some(format!("bench-{}", session.viewer));
            options.connect_timeout = Duration::from_secs(60);
            options.leave = Some(match session.leave {
                Leave::Churn => churn.clone(),
                Leave::End => end.clone(),
            });
            let client = client_for(session.viewer);
            let join = start + ramp * index as u32;
            tokio::spawn(async move {
                tokio::time::sleep_until(join.into()).await;
                run_viewer(&client, &options).await
            })
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        (5..=60_000).contains(&args.viewers) && args.viewers % 5 == 0,
        "--viewers must be a multiple of 5 between 5 and 60000 (the phases use fifths)"
    );
    let base = args.url.trim_end_matches('/').to_owned();
    let sessions = plan(args.viewers, args.tabs_every);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .thread_name("viewer")
        .enable_all()
        .build()?;
    let n = args.viewers as i64;
    let summary = runtime.block_on(async {
        let http = reqwest::Client::new();
        let id = channel_id(&http, &base, &args.channel).await?;
        let begin = Instant::now();
        let whep = format!("{base}/api/whep/{}", args.channel);
        let ramp = Duration::from_millis(args.ramp_ms);
        let settle = Duration::from_secs(args.settle_seconds);
        let (churn_tx, churn) = tokio::sync::watch::channel(false);
        let (end_tx, end) = tokio::sync::watch::channel(false);
        let expect = |viewers: i64, peak: i64, unique: i64| Counts {
            viewers: Some(viewers),
            peak: Some(peak),
            unique: Some(unique),
        };
        let (four, two) = (n * 4 / 5, n * 2 / 5);
        let (first, later): (Vec<Session>, Vec<Session>) =
            sessions.iter().partition(|session| session.first);

        let mut tasks = spawn_sessions(&first, &whep, ramp, &churn, &end);
        let mut phases = Vec::new();
        let now = Instant::now();
        let joined = now + ramp * first.len() as u32 + settle;
        phases.push(
            check(
                &http,
                &base,
                id,
                "join",
                expect(four, four, four),
                now,
                joined,
            )
            .await,
        );
        let _ = churn_tx.send(true);
        let now = Instant::now();
        phases.push(
            check(
                &http,
                &base,
                id,
                "churn",
                expect(two, four, four),
                now,
                now + settle,
            )
            .await,
        );
        tasks.extend(spawn_sessions(&later, &whep, ramp, &churn, &end));
        let now = Instant::now();
        let joined = now + ramp * later.len() as u32 + settle;
        phases.push(
            check(
                &http,
                &base,
                id,
                "rejoin",
                expect(four, four, n),
                now,
                joined,
            )
            .await,
        );
        let _ = end_tx.send(true);
        let mut reports: Vec<ViewerReport> = Vec::with_capacity(tasks.len());
        for task in tasks {
            reports.push(task.await.unwrap_or_default());
        }
        let now = Instant::now();
        phases.push(
            check(
                &http,
                &base,
                id,
                "leave",
                expect(0, four, n),
                now,
                now + settle,
            )
            .await,
        );
        let connected = reports.iter().filter(|r| r.connected).count();
        let ok = phases.iter().all(|phase| phase.ok) && connected == reports.len();
        Ok::<_, anyhow::Error>(Summary {
            mode: "remote",
            viewers: args.viewers,
            sessions: reports.len(),
            connected,
            failed: reports.len() - connected,
            seconds: begin.elapsed().as_secs_f64(),
            phases,
            ok,
        })
    })?;
    println!("{}", serde_json::to_string(&summary)?);
    if !summary.ok {
        anyhow::bail!("viewer counts were not exact (see the JSON line)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_matches_the_documented_phases() {
        let sessions = plan(10, 5);
        let distinct = |filter: &dyn Fn(&Session) -> bool| {
            let mut viewers: Vec<usize> = sessions
                .iter()
                .filter(|s| filter(s))
                .map(|s| s.viewer)
                .collect();
            viewers.sort_unstable();
            viewers.dedup();
            viewers.len()
        };
        assert_eq!(distinct(&|s| s.first), 8, "join");
        assert_eq!(distinct(&|s| s.first && s.leave == Leave::End), 4, "churn");
        assert_eq!(distinct(&|s| s.leave == Leave::End), 8, "rejoin");
        assert_eq!(distinct(&|_| true), 10, "unique");
        assert!(sessions.len() > 10, "some viewers open two tabs");
    }
}
