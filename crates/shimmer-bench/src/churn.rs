//! `shimmer-bench churn`: `--viewers` WHEP viewers (str0m: ICE, DTLS, SRTP) keep joining and
//! leaving a running server's live channel for `--seconds`: each viewer slot stays between
//! `--min-stay` and `--max-stay` seconds, leaves (DELETE), and joins again at once, so the
//! server sees a steady population with sessions opening and closing all the time, as a soak
//! test needs. Packets are counted, not decrypted, to keep the client cheap.
//!
//! Every `--report-every` seconds one JSON line gives what the sessions that ended in that
//! interval saw (sessions, failures, packets and loss), so loss that grows over a long run shows;
//! a final line sums the run. Each slot's HTTP requests come from its own loopback address
//! (127.1.x.y, as in `viewers`), so the per-address offer limit does not apply.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use shimmer_testkit::whep_client::{run_viewer, ViewerOptions, ViewerReport};
use tokio::sync::mpsc;

use crate::viewers::client_for;

/// Options of the churn load.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Base URL of a running server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// The live channel to watch (username).
    #[arg(long)]
    channel: String,
    /// Viewer slots (concurrent viewers, less those between two sessions).
    #[arg(long, default_value_t = 200)]
    viewers: usize,
    /// Seconds of churn.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Shortest stay of one session, seconds.
    #[arg(long, default_value_t = 5)]
    min_stay: u64,
    /// Longest stay of one session, seconds.
    #[arg(long, default_value_t = 30)]
    max_stay: u64,
    /// Delay between the first joins of two slots, ms.
    #[arg(long, default_value_t = 20)]
    ramp_ms: u64,
    /// Seconds between two interval lines.
    #[arg(long, default_value_t = 60)]
    report_every: u64,
    /// Worker threads of the viewers' runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
}

/// Sessions that ended in one interval (or in the whole run).
#[derive(Debug, Default, Clone, Serialize)]
struct Tally {
    sessions: u64,
    connected: u64,
    failed: u64,
    /// Sessions the server ended before the viewer left.
    ended_by_server: u64,
    packets: u64,
    expected: u64,
    lost: u64,
    loss_pct: f64,
}

impl Tally {
    fn add(&mut self, report: &ViewerReport) {
        self.sessions += 1;
        if report.connected {
            self.connected += 1;
        } else {
            self.failed += 1;
        }
        if report.ended_by_server {
            self.ended_by_server += 1;
        }
        for track in [&report.video, &report.audio] {
            self.packets += track.packets;
            self.expected += track.expected;
            self.lost += track.lost;
        }
        self.loss_pct = if self.expected == 0 {
            0.0
        } else {
            self.lost as f64 * 100.0 / self.expected as f64
        };
    }
}

#[derive(Debug, Serialize)]
struct Interval {
    mode: &'static str,
    interval: u64,
    elapsed_s: f64,
    #[serde(flatten)]
    tally: Tally,
}

#[derive(Debug, Serialize)]
struct Summary {
    mode: &'static str,
    viewers: usize,
    seconds: f64,
    #[serde(flatten)]
    tally: Tally,
    /// Loss in the first and the last interval that ended sessions.
    loss_pct_first_interval: Option<f64>,
    loss_pct_last_interval: Option<f64>,
    /// Distinct errors with their counts (at most 10 kinds).
    errors: BTreeMap<String, u64>,
}

/// A stay between `min` and `max` seconds, varied per slot and round without a random source:
/// the spread only has to keep the slots from leaving in step.
fn stay(slot: usize, round: u64, min: u64, max: u64) -> Duration {
    let span = max.saturating_sub(min) + 1;
    let mix = (slot as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(round.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    Duration::from_secs(min + (mix >> 32) % span)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.viewers > 0, "--viewers must be at least 1");
    anyhow::ensure!(
        args.min_stay >= 1 && args.min_stay <= args.max_stay,
        "--min-stay must be at least 1 and not above --max-stay"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .thread_name("churn")
        .enable_all()
        .build()?;
    let summary = runtime.block_on(churn(&args));
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

async fn churn(args: &Args) -> Summary {
    let base = args.url.trim_end_matches('/');
    let whep = format!("{base}/api/whep/{}", args.channel);
    let begin = Instant::now();
    let deadline = begin + Duration::from_secs_f64(args.seconds);
    let (tx, mut rx) = mpsc::unbounded_channel::<ViewerReport>();
    for slot in 0..args.viewers {
        let (tx, whep) = (tx.clone(), whep.clone());
        let first_join = begin + Duration::from_millis(args.ramp_ms) * slot as u32;
        let (min, max) = (args.min_stay, args.max_stay);
        tokio::spawn(async move {
            tokio::time::sleep_until(first_join.into()).await;
            let client = client_for(slot);
            let mut round = 0;
            while Instant::now() + Duration::from_secs(1) < deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                let mut options =
                    ViewerOptions::new(whep.clone(), stay(slot, round, min, max).min(left));
                options.decrypt = false;
                options.viewer_key = Some(format!("churn-{slot}"));
                options.connect_timeout = Duration::from_secs(30);
                let report = run_viewer(&client, &options).await;
                let failed = !report.connected;
                if tx.send(report).is_err() {
                    return;
                }
                if failed {
                    // Do not hammer a server that refuses: wait a moment before the next try.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                round += 1;
            }
        });
    }
    drop(tx);

    let mut total = Tally::default();
    let mut interval = Tally::default();
    let mut index = 0;
    let mut first_loss = None;
    let mut last_loss = None;
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let every = Duration::from_secs(args.report_every.max(1));
    let mut next = tokio::time::Instant::from_std(begin + every);
    let mut flush = |interval: &mut Tally, index: &mut u64| {
        *index += 1;
        if interval.expected > 0 {
            first_loss.get_or_insert(interval.loss_pct);
            last_loss = Some(interval.loss_pct);
        }
        let line = Interval {
            mode: "churn-interval",
            interval: *index,
            elapsed_s: begin.elapsed().as_secs_f64(),
            tally: std::mem::take(interval),
        };
        if let Ok(line) = serde_json::to_string(&line) {
            println!("{line}");
        }
    };
    loop {
        tokio::select! {
            report = rx.recv() => match report {
                Some(report) => {
                    total.add(&report);
                    interval.add(&report);
                    if let Some(error) = &report.error {
                        let kind: String = error.chars().take(80).collect();
                        if errors.len() < 10 || errors.contains_key(&kind) {
                            *errors.entry(kind).or_default() += 1;
                        }
                    }
                }
                None => break,
            },
            () = tokio::time::sleep_until(next) => {
                next += every;
                flush(&mut interval, &mut index);
            }
        }
    }
    if interval.sessions > 0 {
        flush(&mut interval, &mut index);
    }
    Summary {
        mode: "churn",
        viewers: args.viewers,
        seconds: begin.elapsed().as_secs_f64(),
        tally: total,
        loss_pct_first_interval: first_loss,
        loss_pct_last_interval: last_loss,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_spread_within_the_bounds() {
        let stays: Vec<u64> = (0..200)
            .map(|slot| stay(slot, 3, 5, 30).as_secs())
            .collect();
        assert!(stays.iter().all(|s| (5..=30).contains(s)));
        let distinct: std::collections::BTreeSet<_> = stays.iter().collect();
        assert!(distinct.len() > 15, "{distinct:?}");
        assert_eq!(stay(7, 1, 4, 4), Duration::from_secs(4));
    }
}
