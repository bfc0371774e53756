//! Channel posters and the thumbnail address of every channel.
//!
//! A poster is what an offline channel shows in its player and on discovery cards. Only the
//! channel's owner (or staff) may set or remove it. The upload is validated by decoding and
//! stored as our own JPEG renditions (see `shimmer_images::poster`), never as uploaded.

use crate::UserView;
use shimmer_bus::Event;
use shimmer_images::ImageError;
use shimmer_store::{NewPoster, PosterSize, StoredPoster};

use crate::{Platform, PlatformError};

pub use shimmer_images::poster::MAX_POSTER_BYTES;
/// The card sizes, re-exported so transports (pages, the API) name them without depending on
/// the image crate.
pub use shimmer_images::ThumbnailSize;

/// The absolute URL of a channel's card picture: its live thumbnail while live, else its poster,
/// else the placeholder. Stable per channel and size, so APIs (the GraphQL `thumbnailUrl`) and
/// pages can hand it out once; freshness comes from the short cache lifetime it is served with.
pub fn thumbnail_url(base_url: &str, channel_id: i64, size: ThumbnailSize) -> String {
    format!(
        "{}/channels/{channel_id}/thumbnail/{}.jpg",
        base_url.trim_end_matches('/'),
        size.width()
    )
}

fn store_size(size: ThumbnailSize) -> PosterSize {
    match size {
        ThumbnailSize::Large => PosterSize::Large,
        ThumbnailSize::Small => PosterSize::Small,
    }
}

impl Platform {
    /// [`thumbnail_url`] on this site's base URL.
    pub fn thumbnail_url(&self, channel_id: i64, size: ThumbnailSize) -> String {
        thumbnail_url(&self.settings.base_url, channel_id, size)
    }

    /// Sets a channel's poster from an uploaded file. Refusals name the `poster` field with a
    /// message for the uploader; nothing is stored unless the whole image was good.
    pub async fn set_poster(
        &self,
        actor: &UserView,
        channel_id: i64,
        upload: Vec<u8>,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        let renditions =
            tokio::task::spawn_blocking(move || shimmer_images::poster::prepare(&upload))
                .await
                .map_err(|error| {
                    PlatformError::Refused(format!("the poster could not be processed: {error}"))
                })?
                .map_err(|error| match error {
                    ImageError::InvalidPoster(message) => PlatformError::invalid("poster", message),
                    other => PlatformError::Refused(format!(
                        "the poster could not be processed: {other}"
                    )),
                })?;
        self.store
            .set_channel_poster(
                channel_id,
                &NewPoster {
                    large: &renditions.large.bytes,
                    small: &renditions.small.bytes,
                    large_etag: &renditions.large.etag,
                    small_etag: &renditions.small.etag,
                    uploaded_by: actor.id,
                },
            )
            .await?;
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }

    /// Removes a channel's poster (its owner or staff). Removing a missing poster is fine.
    pub async fn remove_poster(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        if self.store.delete_channel_poster(channel_id).await? {
            self.publish(Event::ChannelUpdated { channel_id }).await;
        }
        Ok(())
    }

    /// One rendition of a channel's poster, if it has one. Posters are public.
    pub async fn poster(
        &self,
        channel_id: i64,
        size: ThumbnailSize,
    ) -> Result<Option<StoredPoster>, PlatformError> {
        Ok(self
            .store
            .channel_poster(channel_id, store_size(size))
            .await?)
    }

    /// When the channel's poster was set, or None without one.
    pub async fn poster_updated_at(&self, channel_id: i64) -> Result<Option<i64>, PlatformError> {
        Ok(self.store.channel_poster_updated_at(channel_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnail_urls_are_absolute_and_name_the_width() {
        assert_eq!(
            thumbnail_url("https://stream.example.com/", 42, ThumbnailSize::Small),
            "https://stream.example.com/channels/42/thumbnail/416.jpg"
        );
        assert_eq!(
            thumbnail_url("http://127.0.0.1:8080", 7, ThumbnailSize::Large),
            "http://127.0.0.1:8080/channels/7/thumbnail/832.jpg"
        );
    }
}
