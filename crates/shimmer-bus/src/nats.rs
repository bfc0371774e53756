use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream;
use async_nats::jetstream::consumer::push::OrderedConfig;
use async_nats::jetstream::consumer::DeliverPolicy;
use async_nats::jetstream::stream::{Config as StreamConfig, DiscardPolicy, StorageType};
use async_trait::async_trait;
use futures::StreamExt;

use crate::{Bus, BusError, BusHealth, Event, EventStream};

/// Subject prefix; the full subject is `shimmer.events.<kind>.<channel_id>`.
const SUBJECT_PREFIX: &str = "shimmer.events";
/// Chat messages travel through JetStream instead, on `shimmer.chat.<channel_id>`: a
/// message is acknowledged once stored, and a node that was cut off reads what it missed.
const CHAT_SUBJECT_PREFIX: &str = "shimmer.chat";
const CHAT_STREAM: &str = "SHIMMER_CHAT";
/// How long chat messages stay in the stream: long enough to outlast an outage of the NATS
/// server or a node's connection, short enough to keep the stream small.
const CHAT_RETENTION: Duration = Duration::from_secs(15 * 60);
const CHAT_MAX_BYTES: i64 = 256 * 1024 * 1024;
/// How long a chat publish waits for the server's acknowledgement.
const CHAT_ACK_TIMEOUT: Duration = Duration::from_secs(3);

/// The bus of a multi-node deployment: core NATS publish/subscribe with JSON payloads, and a
/// JetStream stream for chat messages (which must not be lost silently). The server must
/// have JetStream enabled (`nats-server -js`).
#[derive(Clone)]
pub struct NatsBus {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    disconnects: Arc<AtomicU64>,
}

impl NatsBus {
    /// Connects to the NATS server at `url` (for example `nats://127.0.0.1:4222`) and makes
    /// sure the chat stream exists. Losing and regaining the connection is logged at WARN
    /// and INFO and kept in the `bus_connected` gauge and `bus_disconnects_total` counter.
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let disconnects = Arc::new(AtomicU64::new(0));
        let counted = disconnects.clone();
        let client = async_nats::ConnectOptions::new()
            .event_callback(move |event| {
                let counted = counted.clone();
                async move { note_connection_event(&event, &counted) }
            })
            .connect(url)
            .await
            .map_err(|error| BusError::Connect {
                url: url.to_owned(),
                reason: error.to_string(),
            })?;
        metrics::gauge!("bus_connected").set(1.0);
        let mut jetstream = jetstream::new(client.clone());
        jetstream.set_timeout(CHAT_ACK_TIMEOUT);
        jetstream
            .get_or_create_stream(StreamConfig {
                name: CHAT_STREAM.into(),
                subjects: vec![format!("{CHAT_SUBJECT_PREFIX}.>")],
                max_age: CHAT_RETENTION,
                max_bytes: CHAT_MAX_BYTES,
                discard: DiscardPolicy::Old,
                storage: StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(|error| BusError::Connect {
                url: url.to_owned(),
                reason: format!(
                    "could not set up the chat stream (is JetStream enabled? start \
                     nats-server with -js): {error}"
                ),
            })?;
        Ok(Self {
            client,
            jetstream,
            disconnects,
        })
    }

    /// The NATS connection, for the cluster's registry (JetStream KV) on the same server.
    pub fn client(&self) -> async_nats::Client {
        self.client.clone()
    }

    /// Waits until everything published so far has reached the server.
    pub async fn flush(&self) -> Result<(), BusError> {
        self.client
            .flush()
            .await
            .map_err(|e| BusError::Publish(e.to_string()))
    }

    /// Stores a chat message in the chat stream and waits for the acknowledgement.
    async fn publish_chat(&self, event: &Event, payload: Vec<u8>) -> Result<(), BusError> {
        let subject = format!("{CHAT_SUBJECT_PREFIX}.{}", event.channel_id());
        let acknowledgement = self
            .jetstream
            .publish(subject, payload.into())
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        acknowledgement
            .await
            .map(drop)
            .map_err(|e| BusError::Publish(e.to_string()))
    }

    /// Every chat message from now on, through an ordered consumer that the client recreates
    /// from the last message seen whenever the connection comes back: a node cut off from
    /// the server reads the messages it missed, in order.
    async fn subscribe_chat(&self) -> Result<EventStream, BusError> {
        let consumer = self
            .jetstream
            .create_consumer_on_stream(
                OrderedConfig {
                    deliver_subject: self.client.new_inbox(),
                    filter_subject: format!("{CHAT_SUBJECT_PREFIX}.>"),
                    deliver_policy: DeliverPolicy::New,
                    ..Default::default()
                },
                CHAT_STREAM,
            )
            .await
            .map_err(|e| BusError::Subscribe(e.to_string()))?;
        let messages = consumer
            .messages()
            .await
            .map_err(|e| BusError::Subscribe(e.to_string()))?;
        Ok(messages
            .filter_map(|message| async move {
                match message {
                    Ok(message) => decode(&message.subject, &message.payload),
                    Err(error) => {
                        tracing::warn!(%error, "the chat stream's consumer failed; it is recreated");
                        None
                    }
                }
            })
            .boxed())
    }
}

fn note_connection_event(event: &async_nats::Event, disconnects: &AtomicU64) {
    match event {
        async_nats::Event::Disconnected => {
            disconnects.fetch_add(1, Ordering::Relaxed);
            metrics::gauge!("bus_connected").set(0.0);
            metrics::counter!("bus_disconnects_total").increment(1);
            tracing::warn!(
                "lost the connection to NATS: events from other nodes are not seen, and chat \
                 messages are refused until it is back"
            );
        }
        async_nats::Event::Connected => {
            metrics::gauge!("bus_connected").set(1.0);
            tracing::info!("connected to NATS again");
        }
        other => tracing::warn!(event = %other, "NATS connection event"),
    }
}

fn decode(subject: &async_nats::Subject, payload: &[u8]) -> Option<Event> {
    match serde_json::from_slice::<Event>(payload) {
        Ok(event) => Some(event),
        Err(error) => {
            tracing::warn!(%error, %subject, "ignoring malformed bus event");
            None
        }
    }
}

#[async_trait]
impl Bus for NatsBus {
    async fn publish(&self, event: Event) -> Result<(), BusError> {
        let payload = serde_json::to_vec(&event).map_err(|e| BusError::Publish(e.to_string()))?;
        if matches!(event, Event::ChatMessage { .. }) {
            if self.client.connection_state() != async_nats::connection::State::Connected {
                return Err(BusError::Disconnected);
            }
            return self.publish_chat(&event, payload).await;
        }
        let subject = format!("{SUBJECT_PREFIX}.{}.{}", event.kind(), event.channel_id());
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
        let events = subscriber
            .filter_map(|message| async move { decode(&message.subject, &message.payload) })
            .boxed();
        let chat = self.subscribe_chat().await?;
        Ok(futures::stream::select(events, chat).boxed())
    }

    fn health(&self) -> BusHealth {
        BusHealth {
            backend: "nats",
            connected: self.client.connection_state() == async_nats::connection::State::Connected,
            disconnects: self.disconnects.load(Ordering::Relaxed),
        }
    }
}
