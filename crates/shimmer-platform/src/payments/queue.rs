//! The durable queue of the processor's events: stored once by event id when they arrive
//! (so a replayed or duplicated delivery changes nothing), processed by a worker with retries
//! and growing backoff, failed ones shown to staff, who may replay them.

use std::time::Duration;

use super::PaymentsError;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::staff::Permission;
use crate::{now_ms, Platform, PlatformError, UserView};

/// How long a worker holds an event it took before another node may try it.
const CLAIM_LEASE: Duration = Duration::from_secs(120);

/// An event taken for processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedEvent {
    pub id: String,
    pub event_type: String,
    pub payload: String,
    /// 1 for the first try.
    pub attempt: i64,
}

/// An event as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    pub id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub received_at: i64,
}

/// The wait before attempt `attempt + 1`: `first`, then four times longer each time, at most
/// an hour (10 s, 40 s, 160 s, ... by default).
pub fn retry_delay(attempt: i64, first: Duration) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 8) - 1).unwrap_or(0);
    (first * 4u32.pow(exponent)).min(Duration::from_secs(3600))
}

impl Platform {
    /// Stores an event that arrived; false when one with its id was stored before.
    pub async fn receive_payment_event(
        &self,
        id: &str,
        event_type: &str,
        payload: &str,
    ) -> Result<bool, PaymentsError> {
        self.payments()?;
        let stored = self
            .store
            .insert_payment_event(id, event_type, payload)
            .await?;
        metrics::counter!(
            "shimmer_payment_events_received_total",
            "duplicate" => if stored { "no" } else { "yes" }
        )
        .increment(1);
        Ok(stored)
    }

    /// Takes up to `limit` due events for this worker, each leased so no other node processes
    /// it at the same time.
    pub async fn take_payment_events(&self, limit: i64) -> Result<Vec<QueuedEvent>, PaymentsError> {
        let now = now_ms();
        let lease_until = now + CLAIM_LEASE.as_millis() as i64;
        let mut taken = Vec::new();
        for event in self.store.due_payment_events(now, limit).await? {
            if self
                .store
                .claim_payment_event(&event.id, event.next_attempt_at, lease_until)
                .await?
            {
                taken.push(QueuedEvent {
                    id: event.id,
                    event_type: event.event_type,
                    payload: event.payload,
                    attempt: event.attempts + 1,
                });
            }
        }
        Ok(taken)
    }

    /// Records that an event was applied (`ignored`: it needed nothing).
    pub async fn payment_event_done(&self, id: &str, ignored: bool) -> Result<(), PaymentsError> {
        let status = if ignored { "ignored" } else { "done" };
        self.store
            .finish_payment_event(id, status, now_ms(), "")
            .await?;
        metrics::counter!("shimmer_payment_events_processed_total", "status" => status)
            .increment(1);
        Ok(())
    }

    /// Records a failed attempt: due again after the backoff, or failed for good after the
    /// configured attempts (at once when `final_attempt`: retrying cannot help); the returned
    /// status says which.
    pub async fn payment_event_failed(
        &self,
        event: &QueuedEvent,
        error: &str,
        final_attempt: bool,
    ) -> Result<&'static str, PaymentsError> {
        let config = &self.payments()?.config;
        let (status, next) = if final_attempt || event.attempt >= config.event_attempts {
            ("failed", now_ms())
        } else {
            let delay = retry_delay(event.attempt, Duration::from_secs(config.event_retry_secs));
            ("pending", now_ms() + delay.as_millis() as i64)
        };
        let error: String = error.chars().take(500).collect();
        self.store
            .finish_payment_event(&event.id, status, next, &error)
            .await?;
        metrics::counter!("shimmer_payment_events_processed_total", "status" => status)
            .increment(1);
        Ok(status)
    }

    /// The newest events (only `status` ones when given), for staff with the payouts
    /// permission.
    pub async fn payment_events(
        &self,
        actor: &UserView,
        status: Option<&str>,
    ) -> Result<Vec<EventView>, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        Ok(self
            .store
            .recent_payment_events(status, 100)
            .await?
            .into_iter()
            .map(|event| EventView {
                id: event.id,
                event_type: event.event_type,
                status: event.status,
                attempts: event.attempts,
                last_error: event.last_error,
                received_at: event.received_at,
            })
            .collect())
    }

    /// Puts an event back in the queue with fresh attempts (staff with the payouts
    /// permission; audited).
    pub async fn replay_payment_event(
        &self,
        actor: &UserView,
        id: &str,
    ) -> Result<(), PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        let Some(before) = self.store.payment_event(id).await? else {
            return Err(PlatformError::NotFound("No payment event has that id.").into());
        };
        self.store.replay_payment_event(id).await?;
        self.audit(
            actor,
            AuditStep {
                action: "payment_event_replay",
                target: AuditTarget::default(),
                before: Some(serde_json::json!({
                    "event": before.id,
                    "type": before.event_type,
                    "status": before.status,
                    "attempts": before.attempts,
                    "last_error": before.last_error,
                })),
                after: Some(serde_json::json!({ "status": "pending" })),
                reason: "",
            },
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_growing_at_an_hour() {
        let first = Duration::from_secs(10);
        let delays: Vec<u64> = (1..=9)
            .map(|attempt| retry_delay(attempt, first).as_secs())
            .collect();
        assert_eq!(delays, [10, 40, 160, 640, 2560, 3600, 3600, 3600, 3600]);
        assert_eq!(retry_delay(2, Duration::from_secs(1)).as_secs(), 4);
    }
}
