//! The schema's types, one module each: its name (`NAME`), the node its resolvers read (what
//! the domain returned, plus whatever was already known, so nested fields do not query again),
//! its fields with their resolvers, and the root fields that answer with it.

pub mod category;
pub mod channel;
pub mod channel_ban;
pub mod channel_moderation_log;
pub mod channel_moderator;
pub mod channel_status;
pub mod chat_message;
pub mod chat_message_metadata;
pub mod chat_message_token;
pub mod chat_messages_deleted;
pub mod edge_route;
pub mod follower;
pub mod moderation_event;
pub mod naive_datetime;
pub mod platform_ban;
pub mod staff_chat_message;
pub mod staff_moderation_entry;
pub mod stream;
pub mod stream_metadata;
pub mod subcategory;
pub mod subscription;
pub mod support_ticket;
pub mod tag;
pub mod user;
pub mod user_report;
pub mod user_session;
pub mod user_social;

use async_graphql::dynamic::SchemaBuilder;

use super::connection;
use super::Api;

/// Registers every type of one API's schema but the root types.
pub fn register(api: Api, builder: SchemaBuilder) -> SchemaBuilder {
    let mut builder = builder
        .register(naive_datetime::scalar())
        .register(channel_status::enumeration())
        .register(user::object(api))
        .register(user_social::object())
        .register(platform_ban::object())
        .register(user_session::object())
        .register(user_report::object())
        .register(support_ticket::object())
        .register(staff_chat_message::object())
        .register(staff_moderation_entry::object())
        .register(channel::object(api))
        .register(stream::object(api))
        .register(stream_metadata::object())
        .register(stream_metadata::input())
        .register(edge_route::object())
        .register(chat_message::object())
        .register(chat_message::input())
        .register(chat_message_metadata::object())
        .register(chat_message_token::interface())
        .register(channel_moderation_log::object())
        .register(moderation_event::object())
        .register(chat_messages_deleted::object())
        .register(channel_moderator::object())
        .register(channel_ban::object())
        .register(category::object(api))
        .register(subcategory::object())
        .register(tag::object())
        .register(follower::object());
    for token in chat_message_token::objects() {
        builder = builder.register(token);
    }
    match api {
        Api::Legacy => builder.register(subscription::object()),
        Api::Graph => {
            // The types a connection (`<Name>Connection`, `<Name>Edge`) is made for.
            let nodes = [
                user::NAME,
                channel::NAME,
                chat_message::NAME,
                channel_moderator::NAME,
                channel_ban::NAME,
                channel_moderation_log::NAME,
                stream::NAME,
                stream_metadata::NAME,
                subcategory::NAME,
                tag::NAME,
                follower::NAME,
            ];
            builder = builder.register(connection::page_info_type());
            for node in nodes {
                for object in connection::connection_types(node) {
                    builder = builder.register(object);
                }
            }
            builder
        }
    }
}
