//! The `SupportTicket` type: a support request an account filed, as staff with the support
//! permission see it (`User.supportTickets`). The conversation stays on the site.

use async_graphql::dynamic::{Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::SupportTicket;

use super::naive_datetime;
use crate::schema::fields::{id, opt, plain};

pub const NAME: &str = "SupportTicket";

/// The `SupportTicket` object type.
pub fn object() -> Object {
    let text = |name: &str, pick: fn(&SupportTicket) -> &str| {
        plain!(
            name,
            TypeRef::named_nn(TypeRef::STRING),
            SupportTicket,
            |t| Value::from(pick(t).to_owned())
        )
    };
    Object::new(NAME)
        .description(
            "A support request filed by an account. Staff with the support permission only.",
        )
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            SupportTicket,
            |t| id(t.id)
        ))
        .field(text("category", |t| &t.category))
        .field(text("subject", |t| &t.subject))
        .field(text("status", |t| &t.status))
        .field(plain!(
            "assignee",
            TypeRef::named(TypeRef::STRING),
            SupportTicket,
            |t| opt(t.assignee_username.clone())
        ))
        .field(naive_datetime::field("insertedAt", |t: &SupportTicket| {
            t.created_at
        }))
        .field(naive_datetime::field("updatedAt", |t: &SupportTicket| {
            t.updated_at
        }))
}
