//! The worker that applies stored events: takes due ones (leased, so several web nodes share
//! the queue without doing one twice), reads each into a fact and applies it; a failure is
//! retried with backoff and, after the last attempt, left failed for staff to see and replay.
//! Each round also asks the processor for the actual fees of new payments (the ledger starts
//! from the configured estimate).

use std::sync::Arc;
use std::time::Duration;

use shimmer_platform::payments::{FactOutcome, QueuedEvent};
use shimmer_platform::Platform;
use tokio::sync::Notify;

use crate::facts::fact_of;

/// Events taken per round.
const BATCH: i64 = 20;
/// How often the queue is looked at without a wake-up (retries coming due, other nodes'
/// deliveries).
const POLL: Duration = Duration::from_secs(2);

/// Applies queued events until `shutdown` resolves.
pub async fn run(
    platform: Platform,
    wake: Arc<Notify>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        match platform.take_payment_events(BATCH).await {
            Ok(events) => {
                for event in events {
                    process(&platform, event).await;
                }
            }
            Err(error) => tracing::warn!(%error, "could not read the payment event queue"),
        }
        if let Err(error) = platform.reconcile_fees().await {
            tracing::warn!(%error, "could not reconcile payment fees");
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Applies one event and records how it went.
pub async fn process(platform: &Platform, event: QueuedEvent) {
    let outcome = match serde_json::from_str::<serde_json::Value>(&event.payload)
        .map_err(|error| error.to_string())
        .and_then(|value| fact_of(&event.event_type, &value).map_err(|error| error.to_string()))
    {
        Err(unreadable) => {
            // Retrying cannot make a payload readable: fail it at once for staff.
            record_failure(platform, &event, &unreadable, true).await;
            return;
        }
        Ok(None) => Ok(FactOutcome::UnknownObject(format!(
            "{} needs nothing from Shimmer",
            event.event_type
        ))),
        Ok(Some(fact)) => platform.apply_payment_fact(fact).await,
    };
    let recorded = match outcome {
        Ok(FactOutcome::Applied | FactOutcome::AlreadyApplied) => {
            platform.payment_event_done(&event.id, false).await
        }
        Ok(FactOutcome::UnknownObject(why)) => {
            tracing::info!(event = %event.id, kind = %event.event_type, %why, "payment event ignored");
            platform.payment_event_done(&event.id, true).await
        }
        Err(error) => {
            record_failure(platform, &event, &error.to_string(), false).await;
            return;
        }
    };
    if let Err(error) = recorded {
        tracing::warn!(%error, event = %event.id, "could not record a processed payment event");
    }
}

async fn record_failure(
    platform: &Platform,
    event: &QueuedEvent,
    error: &str,
    final_attempt: bool,
) {
    match platform
        .payment_event_failed(event, error, final_attempt)
        .await
    {
        Ok(status) => tracing::warn!(
            event = %event.id, kind = %event.event_type, attempt = event.attempt, status, error,
            "a payment event failed"
        ),
        Err(store_error) => {
            tracing::error!(%store_error, event = %event.id, "could not record a failed payment event")
        }
    }
}
