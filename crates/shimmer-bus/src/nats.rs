use async_trait::async_trait;
use futures::StreamExt;

use crate::{Bus, BusError, Event, EventStream};

/// Subject prefix; the full subject is `shimmer.events.<kind>.<channel_id>`.
const SUBJECT_PREFIX: &str = "shimmer.events";

/// The bus of a multi-node deployment: core NATS publish/subscribe with JSON payloads.
#[derive(Clone)]
pub struct NatsBus {
    client: async_nats::Client,
}

impl NatsBus {
    /// Connects to the NATS server at `url` (for example `nats://127.0.0.1:4222`).
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let client = async_nats::connect(url)
            .await
            .map_err(|error| BusError::Connect {
                url: url.to_owned(),
                reason: error.to_string(),
            })?;
        Ok(Self { client })
    }
}

impl NatsBus {
    /// Waits until everything published so far has reached the server.
    pub async fn flush(&self) -> Result<(), BusError> {
        self.client
            .flush()
            .await
            .map_err(|e| BusError::Publish(e.to_string()))
    }
}

#[async_trait]
impl Bus for NatsBus {
    async fn publish(&self, event: Event) -> Result<(), BusError> {
        let subject = format!("{SUBJECT_PREFIX}.{}.{}", event.kind(), event.channel_id());
        let payload = serde_json::to_vec(&event).map_err(|e| BusError::Publish(e.to_string()))?;
        self.client
            .publish(subject, payload.into())
            .await
            .map_err(|e| BusError::Publish(e.to_string()))
    }

    async fn subscribe(&self) -> Result<EventStream, BusError> {
        let subscriber = self
            .client
            .subscribe(format!("{SUBJECT_PREFIX}.>"))
            .await
            .map_err(|e| BusError::Subscribe(e.to_string()))?;
        // Make sure the server has registered the interest before the caller relies on it.
        self.client
            .flush()
            .await
            .map_err(|e| BusError::Subscribe(e.to_string()))?;
        Ok(subscriber
            .filter_map(|message| async move {
                match serde_json::from_slice::<Event>(&message.payload) {
                    Ok(event) => Some(event),
                    Err(error) => {
                        tracing::warn!(%error, subject = %message.subject, "ignoring malformed bus event");
                        None
                    }
                }
            })
            .boxed())
    }
}
