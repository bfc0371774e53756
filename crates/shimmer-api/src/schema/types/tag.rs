//! The `Tag` type: a label streamers give their stream, within a category.

use async_graphql::dynamic::{FieldValue, Object, ResolverContext, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::Tag;

use super::category::{self, NO_TIME};
use super::naive_datetime;
use crate::schema::fields::{id, plain, resolve, Resolved};

pub const NAME: &str = "Tag";

pub struct TagNode(pub Tag);

/// The tags a channel is listed under.
pub async fn of_channel(ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let placed = category::placement(ctx, channel_id).await?;
    Ok(Some(FieldValue::list(
        placed
            .tags
            .into_iter()
            .map(|tag| FieldValue::owned_any(TagNode(tag))),
    )))
}

pub fn object() -> Object {
    Object::new(NAME)
        .description("A label streamers give their stream, within a category.")
        .field(plain!("id", TypeRef::named(TypeRef::ID), TagNode, |t| id(
            t.0.id
        )))
        .field(plain!(
            "name",
            TypeRef::named(TypeRef::STRING),
            TagNode,
            |t| Value::from(t.0.name.clone())
        ))
        .field(plain!(
            "slug",
            TypeRef::named(TypeRef::STRING),
            TagNode,
            |t| Value::from(t.0.slug.clone())
        ))
        .field(plain!(
            "countUsage",
            TypeRef::named(TypeRef::INT),
            TagNode,
            |t| Value::from(t.0.usage_count)
        ))
        .field(naive_datetime::field("insertedAt", |_t: &TagNode| NO_TIME))
        .field(naive_datetime::field("updatedAt", |_t: &TagNode| NO_TIME))
        .field(resolve!(
            "category",
            TypeRef::named(category::NAME),
            TagNode,
            |ctx, t| category::by_id(&ctx, t.0.category_id).await
        ))
}
