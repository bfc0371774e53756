//! The stream lifecycle: the single writer of a channel's live state.
//!
//! Ingest sessions ask it to start a stream, report metadata while live, and end the stream.
//! Every transition is written conditionally on the stream id it expects (so a late or duplicate
//! end cannot take a newer stream offline) and announced on the bus.

use shimmer_bus::{Event, StreamEndReason};
use shimmer_store::{Channel, Stream, StreamMetadata};

use crate::{Platform, PlatformError};

impl Platform {
    /// The secret half of a channel's stream key, for verifying an ingest handshake.
    pub async fn stream_key_secret(
        &self,
        channel_id: i64,
    ) -> Result<Option<String>, PlatformError> {
        Ok(self
            .store
            .channel_by_id(channel_id)
            .await?
            .map(|channel| channel.stream_key_secret))
    }

    /// Takes a channel live with a new stream. Refused while the owner's email is unconfirmed.
    /// A stream the channel still had open is closed as replaced.
    pub async fn start_stream(&self, channel_id: i64) -> Result<Stream, PlatformError> {
        let channel: Channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let owner =
            self.store
                .user_by_id(channel.user_id)
                .await?
                .ok_or(PlatformError::NotFound(
                    "That channel's owner no longer exists.",
                ))?;
        if !owner.email_confirmed() {
            return Err(PlatformError::Refused(
                "Streaming requires a confirmed email address.".into(),
            ));
        }
        let stream = self
            .store
            .start_stream(channel_id, StreamEndReason::Replaced.as_str())
            .await?;
        if let Some(replaced) = channel.current_stream_id {
            self.publish(Event::StreamEnded {
                channel_id,
                stream_id: replaced,
                reason: StreamEndReason::Replaced,
            })
            .await;
        }
        tracing::info!(channel_id, stream_id = stream.id, username = %channel.username, "stream started");
        self.publish(Event::StreamStarted {
            channel_id,
            stream_id: stream.id,
        })
        .await;
        Ok(stream)
    }

    /// Stores a periodic statistics snapshot of a live stream.
    pub async fn record_stream_metadata(
        &self,
        metadata: &StreamMetadata,
    ) -> Result<(), PlatformError> {
        self.store.insert_stream_metadata(metadata).await?;
        Ok(())
    }

    /// The newest statistics snapshot of the channel's live stream; None when the channel is
    /// offline or its ingest has not reported yet. For the streamer's own pages: the caller
    /// has already checked that `channel` is the actor's.
    pub async fn live_stream_metadata(
        &self,
        channel: &Channel,
    ) -> Result<Option<StreamMetadata>, PlatformError> {
        let Some(stream_id) = channel.current_stream_id else {
            return Ok(None);
        };
        Ok(self.store.latest_stream_metadata(stream_id).await?)
    }

    /// Ends the stream and takes the channel offline, if that stream is still the channel's.
    /// Returns whether anything changed.
    pub async fn end_stream(
        &self,
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    ) -> Result<bool, PlatformError> {
        let closed = self
            .store
            .end_stream(channel_id, stream_id, reason.as_str())
            .await?;
        if closed {
            tracing::info!(
                channel_id,
                stream_id,
                reason = reason.as_str(),
                "stream ended"
            );
            self.publish(Event::StreamEnded {
                channel_id,
                stream_id,
                reason,
            })
            .await;
        }
        Ok(closed)
    }

    /// Closes the streams this node left open in a crash (and unowned ones from before
    /// streams recorded their node); run at start-up before ingest accepts connections.
    /// Other nodes' streams in a shared database are never touched: a node that crashed and
    /// never comes back leaves its streams open until a lease on them expires (not built yet).
    pub async fn recover_open_streams(&self) -> Result<usize, PlatformError> {
        let closed = self
            .store
            .close_open_streams(StreamEndReason::Recovered.as_str())
            .await?;
        for (channel_id, stream_id) in &closed {
            tracing::warn!(
                channel_id,
                stream_id,
                "closed a stream left open by an earlier run"
            );
            self.publish(Event::StreamEnded {
                channel_id: *channel_id,
                stream_id: *stream_id,
                reason: StreamEndReason::Recovered,
            })
            .await;
        }
        Ok(closed.len())
    }
}
