//! The FTL control path: framing arbitrary bytes into lines and driving the control machine
//! through every phase (the secret lookup and stream start are answered so later phases are
//! reached too).
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use shimmer_ftl::control::{ControlLimits, ControlMachine, Step, NONCE_LEN};
use shimmer_ftl::line::LineFramer;

fuzz_target!(|data: &[u8]| {
    let t0 = Instant::now();
    let mut m = ControlMachine::new(ControlLimits::default(), [3u8; NONCE_LEN], t0);
    let mut f = LineFramer::new(1024);
    // Feed in two chunks to exercise partial lines.
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    for (i, chunk) in [&data[..split], &data[split..]].into_iter().enumerate() {
        f.extend(chunk);
        loop {
            let line = match f.next_line() {
                Ok(Some(l)) => l,
                Ok(None) | Err(_) => break,
            };
            let now = t0 + Duration::from_millis(i as u64 * 100);
            match m.handle_line(&line, now) {
                Step::LookupSecret { .. } => {
                    let _ = m.on_secret(Some("secret"));
                }
                Step::Start { .. } => {
                    let _ = m.on_started(9000, now);
                    m.on_media(now);
                }
                _ => {}
            }
        }
    }
    let _ = m.next_deadline();
    let _ = m.poll_timeout(t0 + Duration::from_secs(60));
});
