//! Root subscriptions, fed by the bus: a message sent through either API, or the web chat,
//! reaches subscribers of both. Each subscription without its argument hears every channel.

use async_graphql::dynamic::{
    FieldValue, InputValue, Subscription, SubscriptionField, SubscriptionFieldFuture, TypeRef,
};
use futures::StreamExt;
use shimmer_bus::Event;

use super::nodes::{ChannelNode, HiddenNode, LogNode, MessageNode};
use super::query::id_arg;
use super::{community, shared};
use crate::events::filtered;

/// The channel a subscription is limited to: `Ok(None)` for all channels, `Err` when the
/// argument names nothing (such a subscription can never fire, so it is refused).
pub(crate) fn scope_arg(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    name: &str,
) -> async_graphql::Result<Option<i64>> {
    match id_arg(ctx, name) {
        None => Ok(None),
        Some(Some(id)) => Ok(Some(id)),
        Some(None) => Err(async_graphql::Error::new(format!(
            "`{name}` must be a numeric id."
        ))),
    }
}

fn matches(wanted: Option<i64>, channel_id: i64) -> bool {
    wanted.is_none_or(|wanted| wanted == channel_id)
}

fn chat_message() -> SubscriptionField {
    SubscriptionField::new("chatMessage", TypeRef::named("ChatMessage"), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "channelId")?;
            let events = shared(&ctx).events.subscribe();
            Ok(filtered(events, move |event| match event {
                Event::ChatMessage {
                    channel_id,
                    message,
                } if matches(wanted, *channel_id) => Some(message.clone()),
                _ => None,
            })
            .map(|message| Ok(FieldValue::owned_any(MessageNode(message)))))
        })
    })
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}

fn channel() -> SubscriptionField {
    SubscriptionField::new("channel", TypeRef::named("Channel"), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "id")?;
            let events = shared(&ctx).events.subscribe();
            let platform = shared(&ctx).platform.clone();
            Ok(filtered(events, move |event| match event {
                Event::ChannelUpdated { channel_id }
                | Event::StreamStarted { channel_id, .. }
                | Event::StreamEnded { channel_id, .. }
                    if matches(wanted, *channel_id) =>
                {
                    Some(*channel_id)
                }
                _ => None,
            })
            .filter_map(move |channel_id| {
                let platform = platform.clone();
                async move {
                    match platform.channel(channel_id).await {
                        Ok(channel) => channel,
                        Err(error) => {
                            tracing::error!(%error, channel_id, "could not load a channel for its subscribers");
                            None
                        }
                    }
                }
            })
            .map(|channel| Ok(FieldValue::owned_any(ChannelNode::new(channel)))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(TypeRef::ID)))
}

fn moderation_action() -> SubscriptionField {
    SubscriptionField::new(
        "moderationAction",
        TypeRef::named("ModerationEvent"),
        |ctx| {
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
                    } if matches(wanted, *channel_id) => Some(LogNode {
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
        },
    )
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}

fn messages_deleted() -> SubscriptionField {
    SubscriptionField::new(
        "chatMessagesDeleted",
        TypeRef::named("ChatMessagesDeleted"),
        |ctx| {
            SubscriptionFieldFuture::new(async move {
                let wanted = scope_arg(&ctx, "channelId")?;
                let events = shared(&ctx).events.subscribe();
                Ok(filtered(events, move |event| match event {
                    Event::ChatMessagesHidden {
                        channel_id,
                        message_ids,
                        user_id,
                    } if matches(wanted, *channel_id) => Some(HiddenNode {
                        channel_id: *channel_id,
                        message_ids: message_ids.clone(),
                        user_id: *user_id,
                    }),
                    _ => None,
                })
                .map(|hidden| Ok(FieldValue::owned_any(hidden))))
            })
        },
    )
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}

pub fn root() -> Subscription {
    let subscription = Subscription::new("RootSubscriptionType")
        .field(chat_message())
        .field(channel())
        .field(moderation_action())
        .field(messages_deleted());
    community::subscription_fields(subscription)
}
