//! CPU time from /proc: for the whole process, and for a set of threads (so an in-process server
//! can be measured apart from the load generator running next to it).

use std::time::Duration;

/// Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

fn utime_stime(stat: &str) -> Option<Duration> {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / TICKS))
}

/// CPU time (user + system) of this process so far.
pub fn process() -> Duration {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| utime_stime(&s))
        .unwrap_or_default()
}

/// This process's CPU over the next `window`, as a percentage of one core.
pub async fn process_percent_over(window: Duration) -> f64 {
    let before = process();
    tokio::time::sleep(window).await;
    (process() - before).as_secs_f64() / window.as_secs_f64() * 100.0
}

/// CPU time of the calling thread so far.
pub fn thread_self() -> Duration {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| utime_stime(&s))
        .unwrap_or_default()
}

/// The calling thread's id (for [`threads`]).
pub fn current_tid() -> Option<u32> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// CPU time of the given threads of this process (threads that exited are not counted).
pub fn threads(tids: &[u32]) -> Duration {
    tids.iter()
        .filter_map(|t| std::fs::read_to_string(format!("/proc/self/task/{t}/stat")).ok())
        .filter_map(|s| utime_stime(&s))
        .sum()
}

/// The 1-minute load average, printed with every result (these machines are shared).
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU time (user + system) of another process so far (a server measured from outside).
pub fn of_process(pid: u32) -> Duration {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| utime_stime(&s))
        .unwrap_or_default()
}
