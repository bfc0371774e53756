//! The `ChatMessagesDeleted` type: messages removed from a chat; and the
//! `chatMessagesDeleted` subscription that pushes it.

use async_graphql::dynamic::{
    FieldValue, InputValue, Object, SubscriptionField, SubscriptionFieldFuture, TypeRef,
};
use async_graphql::Value;
use futures::StreamExt;
use shimmer_bus::Event;

use super::{channel, user};
use crate::events::filtered;
use crate::schema::args::{in_scope, scope_arg};
use crate::schema::fields::{id, plain};
use crate::schema::shared;

pub const NAME: &str = "ChatMessagesDeleted";

/// Messages removed from a chat: one deleted, or all of a user's after a timeout or ban.
struct HiddenNode {
    channel_id: i64,
    message_ids: Vec<i64>,
    user_id: Option<i64>,
}

pub fn object() -> Object {
    Object::new(NAME)
        .description(
            "Messages removed from a chat: one deleted by a moderator, or every message of `user` \
             after a timeout or ban. Remove exactly these.",
        )
        .field(plain!(
            "messageIds",
            TypeRef::named_nn_list_nn(TypeRef::ID),
            HiddenNode,
            |h| Value::List(h.message_ids.iter().map(|message| id(*message)).collect())
        ))
        .field(channel::field(|h: &HiddenNode| h.channel_id))
        .field(user::field(
            "user",
            TypeRef::named(user::NAME),
            |h: &HiddenNode| h.user_id,
        ))
}

/// The `chatMessagesDeleted` subscription: removals in one channel's chat or every chat.
pub fn subscription() -> SubscriptionField {
    SubscriptionField::new("chatMessagesDeleted", TypeRef::named(NAME), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "channelId")?;
            let events = shared(&ctx).events.subscribe();
            Ok(filtered(events, move |event| match event {
                Event::ChatMessagesHidden {
                    channel_id,
                    message_ids,
                    user_id,
                } if in_scope(wanted, *channel_id) => Some(HiddenNode {
                    channel_id: *channel_id,
                    message_ids: message_ids.clone(),
                    user_id: *user_id,
                }),
                _ => None,
            })
            .map(|hidden| Ok(FieldValue::owned_any(hidden))))
        })
    })
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}
