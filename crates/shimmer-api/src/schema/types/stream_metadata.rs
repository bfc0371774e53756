//! The `StreamMetadata` type: a snapshot of a stream's ingest statistics; its input type
//! `StreamMetadataInput` and the `logStreamMetadata` mutation an external ingest server reports
//! them with.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_platform::stream_lifecycle::{IngestReport, Reported};
use shimmer_platform::views::StoredStreamMetadata;

use super::naive_datetime;
use super::stream::{self, StreamNode};
use crate::schema::args::{required_id, required_id_argument};
use crate::schema::connection::{rows, Node};
use crate::schema::errors::fail;
use crate::schema::fields::{id, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "StreamMetadata";

pub const INPUT_NAME: &str = "StreamMetadataInput";

/// Longest text accepted in a stream metadata field.
const METADATA_TEXT_MAX: usize = 64;

/// A metadata snapshot as its resolvers see it.
struct StreamMetadataNode(StoredStreamMetadata);

pub fn object() -> Object {
    let text = |name: &str, get: fn(&StoredStreamMetadata) -> &str| {
        Field::new(name, TypeRef::named(TypeRef::STRING), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<StreamMetadataNode>()?;
                Ok(Some(FieldValue::value(get(&node.0).to_owned())))
            })
        })
    };
    let number = |name: &str, get: fn(&StoredStreamMetadata) -> i64| {
        Field::new(name, TypeRef::named(TypeRef::INT), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<StreamMetadataNode>()?;
                Ok(Some(FieldValue::value(get(&node.0))))
            })
        })
    };
    Object::new(NAME)
        .description("A snapshot of a stream's ingest statistics.")
        .field(plain!(
            "id",
            TypeRef::named(TypeRef::ID),
            StreamMetadataNode,
            |m| id(m.0.id)
        ))
        .field(text("audioCodec", |m| &m.metadata.audio_codec))
        .field(text("videoCodec", |m| &m.metadata.video_codec))
        .field(text("ingestServer", |m| &m.metadata.ingest_server))
        .field(text("vendorName", |m| &m.metadata.vendor_name))
        .field(text("vendorVersion", |m| &m.metadata.vendor_version))
        .field(plain!(
            "ingestViewers",
            TypeRef::named(TypeRef::STRING),
            StreamMetadataNode,
            |_m| Value::Null
        ))
        .field(number("lostPackets", |m| m.metadata.lost_packets))
        .field(number("nackPackets", |m| m.metadata.nack_packets))
        .field(number("recvPackets", |m| m.metadata.recv_packets))
        .field(number("sourceBitrate", |m| m.metadata.source_bitrate))
        .field(number("sourcePing", |m| m.metadata.source_ping))
        .field(number("streamTimeSeconds", |m| {
            m.metadata.stream_time_seconds
        }))
        .field(naive_datetime::field(
            "insertedAt",
            |m: &StreamMetadataNode| m.0.metadata.recorded_at,
        ))
        .field(naive_datetime::field(
            "updatedAt",
            |m: &StreamMetadataNode| m.0.metadata.recorded_at,
        ))
        .field(resolve!(
            "stream",
            TypeRef::named_nn(stream::NAME),
            StreamMetadataNode,
            |ctx, m| stream::by_id(&ctx, m.0.metadata.stream_id).await
        ))
}

/// `Stream.metadata`: a stream's snapshots, oldest first.
pub async fn of_stream(api: Api, ctx: &ResolverContext<'_>, stream_id: i64) -> Resolved {
    let platform = &shared(ctx).platform;
    rows(
        api,
        ctx,
        || platform.stream_metadata_count(stream_id),
        |window| platform.stream_metadata_page(stream_id, window.offset, window.limit),
        |row| Box::new(StreamMetadataNode(row)) as Node,
    )
    .await
}

/// The `StreamMetadataInput` input type.
pub fn input() -> InputObject {
    let mut metadata = InputObject::new(INPUT_NAME);
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
    metadata
}

/// The `logStreamMetadata` mutation (the ingest credential only): a live stream's statistics
/// from an external ingest server, recorded as the next snapshot.
pub fn log() -> Field {
    Field::new("logStreamMetadata", TypeRef::named(stream::NAME), |ctx| {
        FieldFuture::new(async move {
            caller(&ctx).require_ingest()?;
            let stream = stream::named(&ctx, required_id(&ctx, "streamId")?).await?;
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
    .argument(required_id_argument("streamId"))
    .argument(InputValue::new("metadata", TypeRef::named_nn(INPUT_NAME)))
}
