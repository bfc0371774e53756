//! Logging set-up: human-readable lines by default, JSON when `log_format = "json"`, and panics
//! logged as one line each.

use std::panic::PanicHookInfo;

use tracing_subscriber::EnvFilter;

pub fn init(format: &str) {
    let filter = EnvFilter::try_from_env("SHIMMER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    std::panic::set_hook(Box::new(log_panic));
}

/// The panic hook: one ERROR line with the location and the message, in the current span (a
/// request's span carries its request id), instead of the standard hook's block on stderr and,
/// with `RUST_BACKTRACE` set, a backtrace of hundreds of lines for every request that hits the
/// same defect. Request handlers' panics are caught (a 500 page) and WebRTC sessions' end only
/// their session, so the log stays readable while the defect is found and fixed.
fn log_panic(info: &PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let message: Vec<&str> = message.lines().map(str::trim).collect();
    let location = info.location().map_or_else(
        || "unknown".to_owned(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    let thread = std::thread::current();
    tracing::error!(
        %location,
        thread = thread.name().unwrap_or("unnamed"),
        "panic: {}",
        message.join("; ")
    );
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// Log output captured in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_is_one_log_line_with_its_location_and_message() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(super::log_panic));
        let line = line!() + 3;
        let result = tracing::subscriber::with_default(subscriber, || {
            std::panic::catch_unwind(|| {
                panic!("Pt locked multiple times: 111\nsecond line");
            })
        });
        std::panic::set_hook(previous);
        assert!(result.is_err());
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 1, "{log}");
        assert!(lines[0].contains("ERROR"), "{log}");
        assert!(
            lines[0].contains(&format!("src/telemetry.rs:{line}")),
            "{log}"
        );
        assert!(
            lines[0].contains("panic: Pt locked multiple times: 111; second line"),
            "{log}"
        );
    }
}
