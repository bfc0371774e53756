//! The `Subcategory` type: a game, style or topic within a category.

use async_graphql::dynamic::{FieldValue, Object, ResolverContext, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::Subcategory;

use super::category::{self, NO_TIME};
use super::naive_datetime;
use crate::schema::fields::{id, plain, resolve, Resolved};

pub const NAME: &str = "Subcategory";

pub struct SubcategoryNode(pub Subcategory);

/// The subcategory a channel is listed in, if any.
pub async fn of_channel(ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let placed = category::placement(ctx, channel_id).await?;
    Ok(placed
        .subcategory
        .map(|subcategory| FieldValue::owned_any(SubcategoryNode(subcategory))))
}

pub fn object() -> Object {
    Object::new(NAME)
        .description("A game, style or topic within a category.")
        .field(plain!(
            "id",
            TypeRef::named(TypeRef::ID),
            SubcategoryNode,
            |s| id(s.0.id)
        ))
        .field(plain!(
            "name",
            TypeRef::named(TypeRef::STRING),
            SubcategoryNode,
            |s| Value::from(s.0.name.clone())
        ))
        .field(plain!(
            "slug",
            TypeRef::named(TypeRef::STRING),
            SubcategoryNode,
            |s| Value::from(s.0.slug.clone())
        ))
        .field(plain!(
            "backgroundImageUrl",
            TypeRef::named(TypeRef::STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "source",
            TypeRef::named(TypeRef::STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "sourceId",
            TypeRef::named(TypeRef::STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "userCreated",
            TypeRef::named(TypeRef::BOOLEAN),
            SubcategoryNode,
            |_s| Value::from(true)
        ))
        .field(naive_datetime::field(
            "insertedAt",
            |_s: &SubcategoryNode| NO_TIME,
        ))
        .field(naive_datetime::field(
            "updatedAt",
            |_s: &SubcategoryNode| NO_TIME,
        ))
        .field(resolve!(
            "category",
            TypeRef::named(category::NAME),
            SubcategoryNode,
            |ctx, s| category::by_id(&ctx, s.0.category_id).await
        ))
}
