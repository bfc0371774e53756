//! The `PlatformBan` type: a platform ban in force on an account, as staff see it
//! (`User.platformBan`).

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::PlatformBan;

use super::naive_datetime;
use crate::schema::fields::{id, opt, plain};

pub const NAME: &str = "PlatformBan";

/// The `PlatformBan` object type.
pub fn object() -> Object {
    Object::new(NAME)
        .description("A platform ban in force on an account. Staff only.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            PlatformBan,
            |b| id(b.id)
        ))
        .field(plain!(
            "reason",
            TypeRef::named_nn(TypeRef::STRING),
            PlatformBan,
            |b| Value::from(b.reason.clone())
        ))
        .field(plain!(
            "bannedBy",
            TypeRef::named(TypeRef::STRING),
            PlatformBan,
            |b| opt(b.banned_by.clone())
        ))
        .field(naive_datetime::field("insertedAt", |b: &PlatformBan| {
            b.created_at
        }))
}
