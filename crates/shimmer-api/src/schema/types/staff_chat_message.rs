//! The `StaffChatMessage` type: one of an account's chat messages in any channel, hidden ones
//! too, as staff see them (`User.chatHistory`).

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::AccountChatMessage;

use super::{channel, naive_datetime};
use crate::schema::fields::{id, opt, plain};

pub const NAME: &str = "StaffChatMessage";

/// The `StaffChatMessage` object type.
pub fn object() -> Object {
    Object::new(NAME)
        .description("A chat message of an account in any channel, hidden ones too. Staff only.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            AccountChatMessage,
            |m| id(m.id)
        ))
        .field(plain!(
            "message",
            TypeRef::named_nn(TypeRef::STRING),
            AccountChatMessage,
            |m| Value::from(m.body.clone())
        ))
        .field(
            plain!(
                "hiddenReason",
                TypeRef::named(TypeRef::STRING),
                AccountChatMessage,
                |m| opt(m.hidden_reason.clone())
            )
            .description(
                "Why the message is hidden (`deleted`, `ban`, `platform_ban`, ...); null if shown.",
            ),
        )
        .field(channel::field(|m: &AccountChatMessage| m.channel_id))
        .field(naive_datetime::field(
            "insertedAt",
            |m: &AccountChatMessage| m.created_at,
        ))
}
