//! `uploadStreamThumbnail`: an external ingest server's snapshot of a live stream becomes the
//! channel's card picture. Like the other ingest mutations it is open to the dedicated ingest
//! credential only. The picture is checked by decoding and re-encoded
//! ([`shimmer_thumbnail::LiveThumbnails::put_uploaded`]); the newest picture wins, so it stands
//! until a local thumbnailer renders the channel's next keyframe, the next upload, or the end of
//! the stream, when it is forgotten.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, TypeRef};
use shimmer_thumbnail::ThumbnailError;

use super::mutations::{required_id, stream_of};
use super::nodes::StreamNode;
use super::{caller, shared};
use crate::upload;

const ENDED: &str = "That stream has ended: thumbnails can only be sent for a live stream.";

/// The `uploadStreamThumbnail(streamId: ID!, thumbnail: Upload!): Stream` root field.
pub fn upload_stream_thumbnail() -> Field {
    Field::new("uploadStreamThumbnail", TypeRef::named("Stream"), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = stream_of(&ctx, required_id(&ctx, "streamId")?).await?;
            if stream.ended_at.is_some() {
                return Err(async_graphql::Error::new(ENDED));
            }
            let picture = upload::file(&ctx, "thumbnail")?;
            let thumbnails = shared(&ctx).thumbnails.clone();
            let (channel_id, stream_id) = (stream.channel_id, stream.id);
            tokio::task::spawn_blocking(move || {
                thumbnails.put_uploaded(channel_id, stream_id, &picture)
            })
            .await
            .map_err(|error| {
                tracing::error!(%error, "a thumbnail upload task failed");
                async_graphql::Error::new("Something went wrong on our side. Try again later.")
            })?
            .map_err(|error| match error {
                ThumbnailError::InvalidThumbnail(message) => async_graphql::Error::new(message),
                error => {
                    tracing::error!(%error, stream_id, "could not store an uploaded thumbnail");
                    async_graphql::Error::new("Something went wrong on our side. Try again later.")
                }
            })?;
            // The stream may have ended while the picture was decoded: then it must not stay.
            let current = stream_of(&ctx, stream_id).await?;
            if current.ended_at.is_some() {
                shared(&ctx).thumbnails.forget_stream(channel_id, stream_id);
                return Err(async_graphql::Error::new(ENDED));
            }
            Ok(Some(FieldValue::owned_any(StreamNode(current))))
        })
    })
    .argument(InputValue::new("streamId", TypeRef::named_nn(TypeRef::ID)))
    .argument(InputValue::new(
        "thumbnail",
        TypeRef::named_nn(TypeRef::UPLOAD),
    ))
}
