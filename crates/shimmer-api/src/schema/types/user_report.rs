//! The `UserReport` type: a report someone filed about an account, as staff see it
//! (`User.reports`).

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::Report;

use super::{naive_datetime, user};
use crate::schema::fields::{id, plain};

pub const NAME: &str = "UserReport";

/// The `UserReport` object type.
pub fn object() -> Object {
    let text = |name: &str, pick: fn(&Report) -> &str| {
        plain!(name, TypeRef::named_nn(TypeRef::STRING), Report, |r| {
            Value::from(pick(r).to_owned())
        })
    };
    Object::new(NAME)
        .description("A report filed about an account. Staff only.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            Report,
            |r| id(r.id)
        ))
        .field(text("location", |r| &r.location))
        .field(text("reason", |r| &r.reason))
        .field(text("notes", |r| &r.notes))
        .field(text("status", |r| &r.status))
        .field(user::field(
            "reporter",
            TypeRef::named(user::NAME),
            |r: &Report| r.reporter_id,
        ))
        .field(naive_datetime::field("insertedAt", |r: &Report| {
            r.created_at
        }))
        .field(naive_datetime::field("updatedAt", |r: &Report| {
            r.updated_at
        }))
}
