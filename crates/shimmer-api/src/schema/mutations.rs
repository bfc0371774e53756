//! Root mutations. Each checks the OAuth scope it needs here (scopes are the API's own notion);
//! whether the user may act on the channel is the domain's decision.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, TypeRef,
};
use shimmer_bus::StreamEndReason;
use shimmer_platform::chat::{ChatError, ModerationKind};
use shimmer_platform::lifecycle::{IngestReport, Reported};

use super::nodes::{ChannelNode, LogNode, MessageNode, StreamNode};
use super::query::id_arg;
use super::{caller, community, fail, shared, Api};
use crate::ClientIp;
use shimmer_platform::oauth::Scope;

/// Longest text accepted in a stream metadata field.
const METADATA_TEXT_MAX: usize = 64;

/// A required `ID!` argument that must name a row.
pub(crate) fn required_id(ctx: &ResolverContext<'_>, name: &str) -> async_graphql::Result<i64> {
    id_arg(ctx, name)
        .flatten()
        .ok_or_else(|| async_graphql::Error::new("Could not find resource"))
}

fn id_argument(name: &str) -> InputValue {
    InputValue::new(name, TypeRef::named_nn(TypeRef::ID))
}

fn create_chat_message() -> Field {
    Field::new("createChatMessage", TypeRef::named("ChatMessage"), |ctx| {
        FieldFuture::new(async move {
            let user = caller(&ctx).user_with(Scope::Chat)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let message = ctx.args.try_get("message")?.object()?;
            let body = message
                .get("message")
                .filter(|value| !value.is_null())
                .map(|value| value.string())
                .transpose()?
                .unwrap_or_default();
            let ip = ctx.data_unchecked::<ClientIp>().0;
            let sent = shared(&ctx)
                .platform
                .send_chat_message(user, channel_id, body, ip)
                .await
                .map_err(|error| match error {
                    ChatError::Refused(refusal) => async_graphql::Error::new(refusal.message),
                    ChatError::Platform(error) => fail(error),
                })?;
            Ok(Some(FieldValue::owned_any(MessageNode(sent))))
        })
    })
    .argument(id_argument("channelId"))
    .argument(InputValue::new(
        "message",
        TypeRef::named_nn("ChatMessageInput"),
    ))
}

fn moderate(name: &'static str, kind: ModerationKind) -> Field {
    Field::new(name, TypeRef::named("ChannelModerationLog"), move |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::Chat)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let user_id = required_id(&ctx, "userId")?;
            let outcome = shared(&ctx)
                .platform
                .moderate_user_logged(actor, channel_id, user_id, kind)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::owned_any(LogNode {
                id: Some(outcome.log_id),
                channel_id,
                moderator_id: actor.id,
                user_id: outcome.target_user_id,
                action: kind.as_str().to_owned(),
                expires_at: outcome.expires_at,
                at: shimmer_platform::now_ms(),
            })))
        })
    })
    .argument(id_argument("channelId"))
    .argument(id_argument("userId"))
}

fn delete_message(name: &'static str) -> Field {
    Field::new(name, TypeRef::named("ChannelModerationLog"), |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::Chat)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let message_id = required_id(&ctx, "messageId")?;
            let outcome = shared(&ctx)
                .platform
                .delete_chat_message_logged(actor, channel_id, message_id)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::owned_any(LogNode {
                id: Some(outcome.log_id),
                channel_id,
                moderator_id: actor.id,
                user_id: outcome.target_user_id,
                action: "delete_message".to_owned(),
                expires_at: None,
                at: shimmer_platform::now_ms(),
            })))
        })
    })
    .argument(id_argument("channelId"))
    .argument(id_argument("messageId"))
}

fn update_stream_info() -> Field {
    Field::new("updateStreamInfo", TypeRef::named("Channel"), |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::StreamInfo)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let title = ctx.args.try_get("title")?.string()?;
            let platform = &shared(&ctx).platform;
            // Glimesh's mutation sets the title only: the channel keeps its tags.
            let tags: Vec<String> = platform
                .channel_category(channel_id)
                .await
                .map_err(fail)?
                .tags
                .into_iter()
                .map(|tag| tag.name)
                .collect();
            platform
                .edit_title_and_tags(actor, channel_id, title, &tags)
                .await
                .map_err(fail)?;
            let updated = platform
                .channel(channel_id)
                .await
                .map_err(fail)?
                .ok_or_else(|| async_graphql::Error::new("Could not find resource"))?;
            Ok(Some(FieldValue::owned_any(ChannelNode::new(updated))))
        })
    })
    .argument(id_argument("channelId"))
    .argument(InputValue::new("title", TypeRef::named_nn(TypeRef::STRING)))
}

pub(super) async fn stream_of(
    ctx: &ResolverContext<'_>,
    stream_id: i64,
) -> async_graphql::Result<shimmer_platform::views::Stream> {
    shared(ctx)
        .platform
        .stream(stream_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| async_graphql::Error::new("Could not find resource"))
}

fn start_stream() -> Field {
    Field::new("startStream", TypeRef::named("Stream"), |ctx| {
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
    .argument(id_argument("channelId"))
}

fn end_stream() -> Field {
    Field::new("endStream", TypeRef::named("Stream"), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = stream_of(&ctx, required_id(&ctx, "streamId")?).await?;
            shared(&ctx)
                .platform
                .end_stream(stream.channel_id, stream.id, StreamEndReason::Disconnect)
                .await
                .map_err(fail)?;
            // At once, not only when the bus delivers the end: no card shows an ended stream.
            shared(&ctx)
                .thumbnails
                .forget_stream(stream.channel_id, stream.id);
            let ended = stream_of(&ctx, stream.id).await?;
            Ok(Some(FieldValue::owned_any(StreamNode(ended))))
        })
    })
    .argument(id_argument("streamId"))
}

fn log_stream_metadata() -> Field {
    Field::new("logStreamMetadata", TypeRef::named("Stream"), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = stream_of(&ctx, required_id(&ctx, "streamId")?).await?;
            if stream.ended_at.is_some() {
                return Err(async_graphql::Error::new("That stream has ended."));
            }
            let input = ctx.args.try_get("metadata")?.object()?;
            let text = |name: &str| -> async_graphql::Result<String> {
                let value = match input.get(name).filter(|value| !value.is_null()) {
                    Some(value) => value.string()?.to_owned(),
                    None => String::new(),
                };
                if value.chars().count() > METADATA_TEXT_MAX {
                    return Err(async_graphql::Error::new(format!(
                        "`{name}` can be at most {METADATA_TEXT_MAX} characters."
                    )));
                }
                Ok(value)
            };
            let number = |name: &str| -> async_graphql::Result<i64> {
                match input.get(name).filter(|value| !value.is_null()) {
                    Some(value) => value.i64(),
                    None => Ok(0),
                }
            };
            let report = IngestReport {
                ingest_server: text("ingestServer")?,
                vendor_name: text("vendorName")?,
                vendor_version: text("vendorVersion")?,
                video_codec: text("videoCodec")?,
                audio_codec: text("audioCodec")?,
                video_width: number("videoWidth")?,
                video_height: number("videoHeight")?,
                source_bitrate: number("sourceBitrate")?,
                source_ping: number("sourcePing")?,
                recv_packets: number("recvPackets")?,
                lost_packets: number("lostPackets")?,
                nack_packets: number("nackPackets")?,
                stream_time_seconds: number("streamTimeSeconds")?,
                video_profile: String::new(),
                video_chroma_format: 1,
                video_bit_depth: 8,
                ingest_protocol: String::new(),
                video_b_frames: false,
                ..IngestReport::default()
            };
            let reported = shared(&ctx)
                .platform
                .report_stream_metadata(stream.channel_id, stream.id, &report)
                .await
                .map_err(fail)?;
            if reported == Reported::StreamEnded {
                return Err(async_graphql::Error::new("That stream has ended."));
            }
            Ok(Some(FieldValue::owned_any(StreamNode(stream))))
        })
    })
    .argument(id_argument("streamId"))
    .argument(InputValue::new(
        "metadata",
        TypeRef::named_nn("StreamMetadataInput"),
    ))
}

pub fn input_types() -> [InputObject; 2] {
    let mut metadata = InputObject::new("StreamMetadataInput");
    for name in [
        "audioCodec",
        "ingestServer",
        "vendorName",
        "vendorVersion",
        "videoCodec",
    ] {
        metadata = metadata.field(InputValue::new(name, TypeRef::named(TypeRef::STRING)));
    }
    for name in [
        "ingestViewers",
        "lostPackets",
        "nackPackets",
        "recvPackets",
        "sourceBitrate",
        "sourcePing",
        "streamTimeSeconds",
        "videoHeight",
        "videoWidth",
    ] {
        metadata = metadata.field(InputValue::new(name, TypeRef::named(TypeRef::INT)));
    }
    [
        InputObject::new("ChatMessageInput")
            .field(InputValue::new("message", TypeRef::named(TypeRef::STRING))),
        metadata,
    ]
}

pub fn root(api: Api) -> Object {
    let mut mutation = Object::new("RootMutationType")
        .field(create_chat_message())
        .field(moderate("shortTimeoutUser", ModerationKind::ShortTimeout))
        .field(moderate("longTimeoutUser", ModerationKind::LongTimeout))
        .field(moderate("banUser", ModerationKind::Ban))
        .field(moderate("unbanUser", ModerationKind::Unban))
        // The legacy name, which one client also sends to the current API.
        .field(delete_message("deleteMessage"))
        .field(super::stream_thumbnail::upload_stream_thumbnail());
    if api == Api::Graph {
        mutation = mutation
            .field(delete_message("deleteChatMessage"))
            .field(update_stream_info())
            .field(start_stream())
            .field(end_stream())
            .field(log_stream_metadata())
            .field(super::watch::watch_channel());
    }
    community::mutation_fields(api, mutation)
}
