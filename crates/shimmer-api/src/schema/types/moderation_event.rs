//! The `ModerationEvent` type: a timeout, ban, unban or message deletion as it happens; and the
//! `moderationAction` subscription that pushes it.

use async_graphql::dynamic::{
    FieldValue, InputValue, Object, SubscriptionField, SubscriptionFieldFuture, TypeRef,
};
use async_graphql::Value;
use futures::StreamExt;
use shimmer_bus::Event;

use super::channel_moderation_log::{with_parties, LogNode};
use super::{naive_datetime, user};
use crate::events::filtered;
use crate::schema::args::{in_scope, scope_arg};
use crate::schema::fields::plain;
use crate::schema::shared;

pub const NAME: &str = "ModerationEvent";

pub fn object() -> Object {
    let event = Object::new(NAME)
        .description(
            "A timeout, ban, unban or message deletion, as it happens. `expiresAt` is when a \
             timeout ends.",
        )
        .field(plain!(
            "action",
            TypeRef::named_nn(TypeRef::STRING),
            LogNode,
            |l| Value::from(l.action.clone())
        ))
        .field(naive_datetime::optional_field(
            "expiresAt",
            |l: &LogNode| l.expires_at,
        ))
        .field(naive_datetime::field("insertedAt", |l: &LogNode| l.at));
    with_parties(event, TypeRef::named(user::NAME))
}

/// The `moderationAction` subscription: moderation in one channel or every channel.
pub fn subscription() -> SubscriptionField {
    SubscriptionField::new("moderationAction", TypeRef::named(NAME), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "channelId")?;
            let events = shared(&ctx).events.subscribe();
            Ok(filtered(events, move |event| match event {
                Event::ModerationAction {
                    channel_id,
                    moderator_id,
                    target_user_id,
                    action,
                    expires_at,
                } if in_scope(wanted, *channel_id) => Some(LogNode {
                    id: None,
                    channel_id: *channel_id,
                    moderator_id: *moderator_id,
                    user_id: *target_user_id,
                    action: action.clone(),
                    expires_at: *expires_at,
                    at: shimmer_platform::now_ms(),
                }),
                _ => None,
            })
            .map(|log| Ok(FieldValue::owned_any(log))))
        })
    })
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}
