//! Chat backgrounds: a picture a streamer puts behind their channel's chat, on the channel page
//! and the pop-out chat (never the transparent overlay). Only the channel's owner (or staff) may
//! set or remove it. The upload is validated by decoding and stored as our own JPEG (see
//! `shimmer_images::chat_background`), never as uploaded.

use shimmer_bus::Event;
use shimmer_images::ImageError;
use shimmer_store::StoredPoster;

use crate::{Platform, PlatformError, UserView};

pub use shimmer_images::chat_background::MAX_CHAT_BACKGROUND_BYTES;

/// The address of a channel's chat background set at `updated_at`: the time in the query lets
/// browsers keep the picture until it is replaced.
pub fn chat_background_path(channel_id: i64, updated_at: i64) -> String {
    format!("/channels/{channel_id}/chat-background.jpg?v={updated_at}")
}

impl Platform {
    /// Sets a channel's chat background from an uploaded file. Refusals name the
    /// `chat_background` field with a message for the uploader; nothing is stored unless the
    /// whole image was good.
    pub async fn set_chat_background(
        &self,
        actor: &UserView,
        channel_id: i64,
        upload: Vec<u8>,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        let processing = |error: String| {
            PlatformError::Refused(format!(
                "the chat background could not be processed: {error}"
            ))
        };
        let jpeg =
            tokio::task::spawn_blocking(move || shimmer_images::chat_background::prepare(&upload))
                .await
                .map_err(|error| processing(error.to_string()))?
                .map_err(|error| match error {
                    ImageError::InvalidChatBackground(message) => {
                        PlatformError::invalid("chat_background", message)
                    }
                    other => processing(other.to_string()),
                })?;
        self.store
            .set_chat_background(channel_id, &jpeg.bytes, &jpeg.etag, actor.id)
            .await?;
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }

    /// Removes a channel's chat background (its owner or staff). Removing a missing one is fine.
    pub async fn remove_chat_background(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        if self.store.delete_chat_background(channel_id).await? {
            self.publish(Event::ChannelUpdated { channel_id }).await;
        }
        Ok(())
    }

    /// A channel's chat background, if it has one. Chat backgrounds are public.
    pub async fn chat_background(
        &self,
        channel_id: i64,
    ) -> Result<Option<StoredPoster>, PlatformError> {
        Ok(self.store.chat_background(channel_id).await?)
    }

    /// The address of the channel's chat background ([`chat_background_path`]), or None
    /// without one.
    pub async fn chat_background_src(
        &self,
        channel_id: i64,
    ) -> Result<Option<String>, PlatformError> {
        Ok(self
            .store
            .chat_background_updated_at(channel_id)
            .await?
            .map(|updated_at| chat_background_path(channel_id, updated_at)))
    }
}

#[cfg(test)]
mod tests {
    use super::chat_background_path;

    #[test]
    fn the_address_changes_with_each_upload() {
        assert_eq!(
            chat_background_path(7, 1_700_000_000_123),
            "/channels/7/chat-background.jpg?v=1700000000123"
        );
    }
}
