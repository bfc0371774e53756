//! The `ChatMessage` type: a chat message sent to a channel by a user; its input type
//! `ChatMessageInput`, the `createChatMessage` mutation and the `chatMessage` subscription.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext,
    SubscriptionField, SubscriptionFieldFuture, TypeRef,
};
use async_graphql::Value;
use futures::StreamExt;
use shimmer_bus::chat::{ChatMessage, ChatToken};
use shimmer_bus::Event;
use shimmer_platform::chat::ChatError;
use shimmer_platform::oauth::Scope;

use super::chat_message_metadata::{self, MetadataNode};
use super::chat_message_token::{self, TokenNode};
use super::user::{self, UserNode};
use super::{channel, naive_datetime};
use crate::events::filtered;
use crate::schema::args::{in_scope, required_id, required_id_argument, scope_arg};
use crate::schema::connection::{rows, Node};
use crate::schema::errors::fail;
use crate::schema::fields::{id, nested, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};
use shimmer_http::ClientIp;

pub const NAME: &str = "ChatMessage";

pub const INPUT_NAME: &str = "ChatMessageInput";

struct MessageNode(ChatMessage);

impl MessageNode {
    /// The message as typed: the text of its tokens in order.
    fn text(&self) -> String {
        self.0
            .tokens
            .iter()
            .map(|token| match token {
                ChatToken::Text { text }
                | ChatToken::Link { text, .. }
                | ChatToken::Emote { text, .. } => text.as_str(),
            })
            .collect()
    }

    fn author(&self) -> UserNode {
        UserNode::named(
            self.0.user_id.unwrap_or_default(),
            &self.0.username,
            &self.0.display_name,
        )
    }
}

pub fn object() -> Object {
    Object::new(NAME)
        .description("A chat message sent to a channel by a user.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            MessageNode,
            |m| id(m.0.id)
        ))
        .field(plain!(
            "message",
            TypeRef::named(TypeRef::STRING),
            MessageNode,
            |m| Value::from(m.text())
        ))
        .field(naive_datetime::field("insertedAt", |m: &MessageNode| {
            m.0.created_at
        }))
        .field(naive_datetime::field("updatedAt", |m: &MessageNode| {
            m.0.created_at
        }))
        .field(plain!(
            "isFollowedMessage",
            TypeRef::named(TypeRef::BOOLEAN),
            MessageNode,
            |_m| Value::from(false)
        ))
        .field(plain!(
            "isSubscriptionMessage",
            TypeRef::named(TypeRef::BOOLEAN),
            MessageNode,
            |_m| Value::from(false)
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn(user::NAME),
            MessageNode,
            |_ctx, m| Ok(nested(m.author()))
        ))
        .field(channel::field(|m: &MessageNode| m.0.channel_id))
        .field(resolve!(
            "tokens",
            TypeRef::named_list(chat_message_token::NAME),
            MessageNode,
            |_ctx, m| {
                Ok(Some(FieldValue::list(m.0.tokens.iter().map(|token| {
                    let node = TokenNode(token.clone());
                    let type_name = node.type_name();
                    FieldValue::owned_any(node).with_type(type_name)
                }))))
            }
        ))
        .field(resolve!(
            "metadata",
            TypeRef::named(chat_message_metadata::NAME),
            MessageNode,
            |_ctx, m| Ok(nested(MetadataNode(m.0.badges.clone())))
        ))
}

/// `Channel.chatMessages`: the channel's chat history.
pub async fn of_channel(api: Api, ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let platform = &shared(ctx).platform;
    rows(
        api,
        ctx,
        || platform.chat_message_count(channel_id),
        |window| platform.chat_messages_page(channel_id, window.offset, window.limit),
        |message| Box::new(MessageNode(message)) as Node,
    )
    .await
}

/// The `ChatMessageInput` input type.
pub fn input() -> InputObject {
    InputObject::new(INPUT_NAME).field(InputValue::new("message", TypeRef::named(TypeRef::STRING)))
}

/// The `createChatMessage` mutation: the user sends a message to a channel's chat, under the
/// same rules as the website's chat.
pub fn create() -> Field {
    Field::new("createChatMessage", TypeRef::named(NAME), |ctx| {
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
    .argument(required_id_argument("channelId"))
    .argument(InputValue::new("message", TypeRef::named_nn(INPUT_NAME)))
}

/// The `chatMessage` subscription: messages as they are sent, through either API or the
/// website's chat, to one channel or every channel.
pub fn subscription() -> SubscriptionField {
    SubscriptionField::new("chatMessage", TypeRef::named(NAME), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "channelId")?;
            let events = shared(&ctx).events.subscribe();
            Ok(filtered(events, move |event| match event {
                Event::ChatMessage {
                    channel_id,
                    message,
                } if in_scope(wanted, *channel_id) => Some(message.clone()),
                _ => None,
            })
            .map(|message| Ok(FieldValue::owned_any(MessageNode(message)))))
        })
    })
    .argument(InputValue::new("channelId", TypeRef::named(TypeRef::ID)))
}
