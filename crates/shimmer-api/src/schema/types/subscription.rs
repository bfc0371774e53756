//! The legacy API's `Subscription` type: a channel (or platform) subscription; and its
//! `subscriptions` query. A streamer sees their channel's subscribers and an account its own
//! subscriptions; anyone else gets an empty list, so payment data never leaks to other users,
//! apps acting for them or moderators.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, Object, TypeRef};
use async_graphql::Value;
use shimmer_platform::payments::{PaymentsError, SubscriptionRecord};
use shimmer_platform::PlatformError;

use super::{naive_datetime, user};
use crate::schema::errors::fail;
use crate::schema::fields::{id, plain};
use crate::schema::{caller, shared};

pub const NAME: &str = "Subscription";

pub fn object() -> Object {
    Object::new(NAME)
        .description(
            "A paid subscription: to a channel (streamer set) or to the platform (streamer null). \
             Visible to its subscriber and to the channel's streamer only.",
        )
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            SubscriptionRecord,
            |s| id(s.id)
        ))
        .field(plain!(
            "isActive",
            TypeRef::named(TypeRef::BOOLEAN),
            SubscriptionRecord,
            |s| Value::from(s.active)
        ))
        .field(plain!(
            "price",
            TypeRef::named(TypeRef::INT),
            SubscriptionRecord,
            |s| Value::from(s.price_cents)
        ))
        .field(plain!(
            "productName",
            TypeRef::named(TypeRef::STRING),
            SubscriptionRecord,
            |s| Value::from(s.product_name.clone())
        ))
        .field(user::field(
            "streamer",
            TypeRef::named(user::NAME),
            |s: &SubscriptionRecord| s.streamer_id,
        ))
        .field(user::field(
            "user",
            TypeRef::named(user::NAME),
            |s: &SubscriptionRecord| Some(s.user_id),
        ))
        .field(naive_datetime::field(
            "insertedAt",
            |s: &SubscriptionRecord| s.created_at,
        ))
        .field(naive_datetime::field(
            "updatedAt",
            |s: &SubscriptionRecord| s.updated_at,
        ))
}

/// The legacy `subscriptions` query.
pub fn list() -> Field {
    Field::new("subscriptions", TypeRef::named_list(NAME), |ctx| {
        FieldFuture::new(async move {
            let streamer = user::named_by(&ctx, "streamerId", "streamerUsername").await?;
            let user = user::named_by(&ctx, "userId", "userUsername").await?;
            if matches!(streamer, Some(None)) || matches!(user, Some(None)) {
                return Ok(Some(FieldValue::list(Vec::<FieldValue>::new())));
            }
            let records = shared(&ctx)
                .platform
                .visible_subscriptions(
                    caller(&ctx).user.as_ref(),
                    streamer.flatten().as_ref(),
                    user.flatten().as_ref(),
                )
                .await
                .map_err(|error| match error {
                    PaymentsError::Platform(error) => fail(error),
                    other => fail(PlatformError::Internal(other.to_string())),
                })?;
            Ok(Some(FieldValue::list(
                records.into_iter().map(FieldValue::owned_any),
            )))
        })
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
