//! The `UserSocial` type: a linked social account. Shimmer links none yet, so every user's
//! `socials` list is empty and the type only keeps clients' documents valid.

use async_graphql::dynamic::{Object, TypeRef};

use super::naive_datetime;
use crate::schema::fields::absent;

pub const NAME: &str = "UserSocial";

pub fn object() -> Object {
    Object::new(NAME)
        .description("A linked social account (Shimmer links none yet).")
        .field(absent("id", TypeRef::named_nn(TypeRef::ID)))
        .field(absent("identifier", TypeRef::named(TypeRef::STRING)))
        .field(absent(
            "insertedAt",
            TypeRef::named_nn(naive_datetime::NAME),
        ))
        .field(absent("updatedAt", TypeRef::named_nn(naive_datetime::NAME)))
        .field(absent("platform", TypeRef::named(TypeRef::STRING)))
        .field(absent("username", TypeRef::named(TypeRef::STRING)))
}
