//! `StreamMetadata`: the ingest statistics snapshots of a stream, and the `Stream.metadata`
//! connection (a plain list on the legacy API) that pages them oldest first.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::StoredStreamMetadata;

use super::connection::{collect, collection_type, paged, Node};
use super::fail;
use super::nodes::{naive_datetime, StreamNode};
use super::{plain, resolve, shared, Api};

const ID: &str = TypeRef::ID;
const INT: &str = TypeRef::INT;
const STRING: &str = TypeRef::STRING;
const DATETIME: &str = "NaiveDateTime";

/// A metadata snapshot as its resolvers see it.
pub struct StreamMetadataNode(pub StoredStreamMetadata);

/// The `StreamMetadata` object type.
pub fn object() -> Object {
    let text = |name: &str, get: fn(&StoredStreamMetadata) -> &str| {
        Field::new(name, TypeRef::named(STRING), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<StreamMetadataNode>()?;
                Ok(Some(FieldValue::value(get(&node.0).to_owned())))
            })
        })
    };
    let number = |name: &str, get: fn(&StoredStreamMetadata) -> i64| {
        Field::new(name, TypeRef::named(INT), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<StreamMetadataNode>()?;
                Ok(Some(FieldValue::value(get(&node.0))))
            })
        })
    };
    Object::new("StreamMetadata")
        .description("A snapshot of a stream's ingest statistics.")
        .field(plain!("id", TypeRef::named(ID), StreamMetadataNode, |m| {
            Value::from(m.0.id.to_string())
        }))
        .field(text("audioCodec", |m| &m.metadata.audio_codec))
        .field(text("videoCodec", |m| &m.metadata.video_codec))
        .field(text("ingestServer", |m| &m.metadata.ingest_server))
        .field(text("vendorName", |m| &m.metadata.vendor_name))
        .field(text("vendorVersion", |m| &m.metadata.vendor_version))
        .field(plain!(
            "ingestViewers",
            TypeRef::named(STRING),
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
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            StreamMetadataNode,
            |m| naive_datetime(m.0.metadata.recorded_at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            StreamMetadataNode,
            |m| naive_datetime(m.0.metadata.recorded_at)
        ))
        .field(resolve!(
            "stream",
            TypeRef::named_nn("Stream"),
            StreamMetadataNode,
            |ctx, m| {
                let stream = shared(&ctx)
                    .platform
                    .stream(m.0.metadata.stream_id)
                    .await
                    .map_err(fail)?;
                Ok(stream.map(|stream| FieldValue::owned_any(StreamNode(stream))))
            }
        ))
}

/// The `Stream.metadata` field.
pub fn field(api: Api) -> Field {
    paged(
        api,
        Field::new(
            "metadata",
            collection_type(api, "StreamMetadata"),
            move |ctx| {
                FieldFuture::new(async move {
                    let stream_id = ctx.parent_value.try_downcast_ref::<StreamNode>()?.0.id;
                    let platform = &shared(&ctx).platform;
                    collect(
                        api,
                        &ctx,
                        || async {
                            platform
                                .stream_metadata_count(stream_id)
                                .await
                                .map_err(fail)
                        },
                        |window| async move {
                            let rows = platform
                                .stream_metadata_page(stream_id, window.offset, window.limit)
                                .await
                                .map_err(fail)?;
                            Ok(rows
                                .into_iter()
                                .map(|row| Box::new(StreamMetadataNode(row)) as Node)
                                .collect())
                        },
                    )
                    .await
                })
            },
        ),
    )
}
