//! The `UserSession` type: one signed-in device of an account, as staff see it
//! (`User.sessions`). Nothing that could resume the session is part of it.

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::Session;

use super::naive_datetime;
use crate::schema::fields::{id, plain};

pub const NAME: &str = "UserSession";

/// The `UserSession` object type.
pub fn object() -> Object {
    Object::new(NAME)
        .description("A device signed in to an account. Staff only.")
        .field(plain!("id", TypeRef::named_nn(TypeRef::ID), Session, |s| {
            id(s.id)
        }))
        .field(plain!(
            "userAgent",
            TypeRef::named_nn(TypeRef::STRING),
            Session,
            |s| Value::from(s.user_agent.clone())
        ))
        .field(plain!(
            "rememberMe",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            Session,
            |s| Value::from(s.remember)
        ))
        .field(naive_datetime::field("insertedAt", |s: &Session| {
            s.created_at
        }))
        .field(naive_datetime::field("lastSeenAt", |s: &Session| {
            s.last_seen_at
        }))
        .field(naive_datetime::field("expiresAt", |s: &Session| {
            s.expires_at
        }))
}
