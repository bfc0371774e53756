//! The `StaffModerationEntry` type: a chat moderation step taken against an account in any
//! channel, as staff see it (`User.moderationHistory`).

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::AccountModeration;

use super::naive_datetime;
use crate::schema::fields::{opt, plain};

pub const NAME: &str = "StaffModerationEntry";

/// The `StaffModerationEntry` object type.
pub fn object() -> Object {
    Object::new(NAME)
        .description("Chat moderation of an account in a channel. Staff only.")
        .field(plain!(
            "streamerUsername",
            TypeRef::named_nn(TypeRef::STRING),
            AccountModeration,
            |m| Value::from(m.channel.clone())
        ))
        .field(plain!(
            "moderatorUsername",
            TypeRef::named(TypeRef::STRING),
            AccountModeration,
            |m| opt(m.moderator.clone())
        ))
        .field(plain!(
            "action",
            TypeRef::named_nn(TypeRef::STRING),
            AccountModeration,
            |m| Value::from(m.action.clone())
        ))
        .field(naive_datetime::field(
            "insertedAt",
            |m: &AccountModeration| m.created_at,
        ))
}
