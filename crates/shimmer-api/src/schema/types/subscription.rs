//! The legacy API's `Subscription` type: a paid channel subscription; and its `subscriptions`
//! query. Shimmer has no payments yet, so the list is always empty.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, Object, TypeRef};

use super::{naive_datetime, user};
use crate::schema::fields::absent;

pub const NAME: &str = "Subscription";

pub fn object() -> Object {
    Object::new(NAME)
        .description("A paid channel subscription. Shimmer has no payments yet, so there are none.")
        .field(absent("id", TypeRef::named_nn(TypeRef::ID)))
        .field(absent("isActive", TypeRef::named(TypeRef::BOOLEAN)))
        .field(absent("price", TypeRef::named(TypeRef::INT)))
        .field(absent("productName", TypeRef::named(TypeRef::STRING)))
        .field(absent("streamer", TypeRef::named(user::NAME)))
        .field(absent("user", TypeRef::named(user::NAME)))
        .field(absent("insertedAt", TypeRef::named(naive_datetime::NAME)))
        .field(absent("updatedAt", TypeRef::named(naive_datetime::NAME)))
}

/// The legacy `subscriptions` query.
pub fn list() -> Field {
    Field::new("subscriptions", TypeRef::named_list(NAME), |_| {
        FieldFuture::new(async { Ok(Some(FieldValue::list(Vec::<FieldValue>::new()))) })
    })
    .argument(InputValue::new(
        "streamerUsername",
        TypeRef::named(TypeRef::STRING),
    ))
    .argument(InputValue::new(
        "userUsername",
        TypeRef::named(TypeRef::STRING),
    ))
    .argument(InputValue::new("streamerId", TypeRef::named(TypeRef::ID)))
    .argument(InputValue::new("userId", TypeRef::named(TypeRef::ID)))
}
