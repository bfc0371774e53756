//! The `Stream` type: one broadcast of a channel, live now or in the past; and the ingest
//! credential's `startStream`, `endStream` and `uploadStreamThumbnail` mutations.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_bus::StreamEndReason;
use shimmer_images::ImageError;
use shimmer_platform::views::Stream;

use super::{category, channel, naive_datetime, stream_metadata};
use crate::schema::args::{required_id, required_id_argument};
use crate::schema::connection::{collection_type, paged, rows, Node};
use crate::schema::errors::{fail, internal, not_found};
use crate::schema::fields::{id, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};
use crate::upload;

pub const NAME: &str = "Stream";

/// Why a thumbnail upload for a stream that is not live is refused.
const ENDED: &str = "That stream has ended: thumbnails can only be sent for a live stream.";

pub struct StreamNode(pub Stream);

/// The stream with this id, or null when there is none.
pub async fn by_id(ctx: &ResolverContext<'_>, stream_id: i64) -> Resolved {
    let stream = shared(ctx).platform.stream(stream_id).await.map_err(fail)?;
    Ok(stream.map(|stream| FieldValue::owned_any(StreamNode(stream))))
}

/// The stream a mutation's argument names, which must exist.
pub async fn named(ctx: &ResolverContext<'_>, stream_id: i64) -> async_graphql::Result<Stream> {
    shared(ctx)
        .platform
        .stream(stream_id)
        .await
        .map_err(fail)?
        .ok_or_else(not_found)
}

/// `Channel.streams`: the channel's streams.
pub async fn of_channel(api: Api, ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let platform = &shared(ctx).platform;
    rows(
        api,
        ctx,
        || platform.stream_count_of_channel(channel_id),
        |window| platform.streams_of_channel_page(channel_id, window.offset, window.limit),
        |stream| Box::new(StreamNode(stream)) as Node,
    )
    .await
}

pub fn object(api: Api) -> Object {
    let mut stream = Object::new(NAME)
        .description("One broadcast of a channel, live now or in the past.")
        .field(plain!("id", TypeRef::named(TypeRef::ID), StreamNode, |s| {
            id(s.0.id)
        }))
        .field(plain!(
            "title",
            TypeRef::named(TypeRef::STRING),
            StreamNode,
            |s| Value::from(s.0.title.clone())
        ))
        .field(naive_datetime::field("startedAt", |s: &StreamNode| {
            s.0.started_at
        }))
        .field(naive_datetime::field("insertedAt", |s: &StreamNode| {
            s.0.started_at
        }))
        .field(naive_datetime::optional_field(
            "endedAt",
            |s: &StreamNode| s.0.ended_at,
        ))
        .field(naive_datetime::field("updatedAt", |s: &StreamNode| {
            s.0.ended_at.unwrap_or(s.0.started_at)
        }))
        .field(live_thumbnail_url("thumbnailUrl"))
        .field(channel::field(|s: &StreamNode| s.0.channel_id));
    if api == Api::Legacy {
        for name in [
            "avgViewers",
            "avgChatters",
            "countChatters",
            "newSubscribers",
            "peakChatters",
            "resubSubscribers",
        ] {
            stream = stream.field(plain!(
                name,
                TypeRef::named(TypeRef::INT),
                StreamNode,
                |_s| Value::from(0)
            ));
        }
        stream = stream.field(live_thumbnail_url("thumbnail"));
    }
    stream
        .field(paged(
            api,
            resolve!(
                "metadata",
                collection_type(api, stream_metadata::NAME),
                StreamNode,
                |ctx, s| stream_metadata::of_stream(api, &ctx, s.0.id).await
            ),
        ))
        .field(resolve!(
            "category",
            TypeRef::named(category::NAME),
            StreamNode,
            |ctx, s| category::of_channel(&ctx, s.0.channel_id).await
        ))
        .field(resolve!(
            "countViewers",
            TypeRef::named(TypeRef::INT),
            StreamNode,
            |ctx, s| {
                let live = s.0.ended_at.is_none();
                let count = if live {
                    shared(&ctx).platform.viewer_count(s.0.channel_id)
                } else {
                    0
                };
                Ok(Some(FieldValue::value(count)))
            }
        ))
        .field(resolve!(
            "peakViewers",
            TypeRef::named(TypeRef::INT),
            StreamNode,
            |ctx, s| {
                let stats = shared(&ctx)
                    .platform
                    .stream_viewer_stats(s.0.id)
                    .await
                    .map_err(fail)?;
                Ok(Some(FieldValue::value(stats.peak_viewers)))
            }
        ))
}

/// The URL of a live stream's card picture (the latest frame or uploaded thumbnail, else the
/// poster or placeholder while none has come yet); null once the stream has ended, since an
/// ended stream's pictures are not kept.
fn live_thumbnail_url(name: &'static str) -> Field {
    Field::new(name, TypeRef::named(TypeRef::STRING), |ctx| {
        let url = ctx
            .parent_value
            .downcast_ref::<StreamNode>()
            .filter(|s| s.0.ended_at.is_none())
            .map(|s| {
                Value::from(format!(
                    "{}/channels/{}/thumbnail/832.jpg",
                    shared(&ctx)
                        .platform
                        .settings
                        .base_url
                        .trim_end_matches('/'),
                    s.0.channel_id
                ))
            });
        FieldFuture::from_value(url)
    })
}

/// The `startStream` mutation (the ingest credential only): the channel goes live.
pub fn start() -> Field {
    Field::new("startStream", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let channel_id = required_id(&ctx, "channelId")?;
            let stream = shared(&ctx)
                .platform
                .start_stream(channel_id)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::owned_any(StreamNode(stream))))
        })
    })
    .argument(required_id_argument("channelId"))
}

/// The `endStream` mutation (the ingest credential only).
pub fn end() -> Field {
    Field::new("endStream", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = named(&ctx, required_id(&ctx, "streamId")?).await?;
            shared(&ctx)
                .platform
                .end_stream(stream.channel_id, stream.id, StreamEndReason::Disconnect)
                .await
                .map_err(fail)?;
            // At once, not only when the bus delivers the end: no card shows an ended stream.
            shared(&ctx)
                .thumbnails
                .forget_stream(stream.channel_id, stream.id);
            let ended = named(&ctx, stream.id).await?;
            Ok(Some(FieldValue::owned_any(StreamNode(ended))))
        })
    })
    .argument(required_id_argument("streamId"))
}

/// The `uploadStreamThumbnail(streamId: ID!, thumbnail: Upload!)` mutation: an external ingest
/// server's snapshot of a live stream becomes the channel's card picture. Like the other
/// ingest mutations it is open to the dedicated ingest credential only. The picture is checked
/// by decoding and re-encoded ([`shimmer_images::LiveThumbnails::put_uploaded`]); the
/// newest picture wins, so it stands until a local thumbnailer renders the channel's next
/// keyframe, the next upload, or the end of the stream, when it is forgotten.
pub fn upload_thumbnail() -> Field {
    Field::new("uploadStreamThumbnail", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = named(&ctx, required_id(&ctx, "streamId")?).await?;
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
                internal()
            })?
            .map_err(|error| match error {
                ImageError::InvalidThumbnail(message) => async_graphql::Error::new(message),
                error => {
                    tracing::error!(%error, stream_id, "could not store an uploaded thumbnail");
                    internal()
                }
            })?;
            // The stream may have ended while the picture was decoded: then it must not stay.
            let current = named(&ctx, stream_id).await?;
            if current.ended_at.is_some() {
                shared(&ctx).thumbnails.forget_stream(channel_id, stream_id);
                return Err(async_graphql::Error::new(ENDED));
            }
            Ok(Some(FieldValue::owned_any(StreamNode(current))))
        })
    })
    .argument(required_id_argument("streamId"))
    .argument(InputValue::new(
        "thumbnail",
        TypeRef::named_nn(TypeRef::UPLOAD),
    ))
}
