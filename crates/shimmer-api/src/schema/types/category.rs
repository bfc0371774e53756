//! The `Category` type: a top-level category of streams; and the `categories` and `category`
//! queries.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_platform::community::categories::ChannelCategory;
use shimmer_platform::views::Category;

use super::naive_datetime;
use super::subcategory::{self, SubcategoryNode};
use super::tag::{self, TagNode};
use crate::schema::args::string_arg;
use crate::schema::connection::{collection_type, in_memory, paged, Node, MAX_PAGE};
use crate::schema::errors::fail;
use crate::schema::fields::{id, plain, resolve, Resolved};
use crate::schema::{shared, Api};

pub const NAME: &str = "Category";

/// Categories, subcategories and tags keep no creation time; they report the epoch.
pub const NO_TIME: i64 = 0;

pub fn object(api: Api) -> Object {
    Object::new(NAME)
        .description("A top-level category of streams (Art, Music, Tech, IRL, Education, Gaming).")
        .field(plain!("id", TypeRef::named(TypeRef::ID), Category, |c| id(
            c.id
        )))
        .field(plain!(
            "name",
            TypeRef::named(TypeRef::STRING),
            Category,
            |c| Value::from(c.name.clone())
        ))
        .field(plain!(
            "slug",
            TypeRef::named(TypeRef::STRING),
            Category,
            |c| Value::from(c.slug.clone())
        ))
        .field(naive_datetime::field("insertedAt", |_c: &Category| NO_TIME))
        .field(naive_datetime::field("updatedAt", |_c: &Category| NO_TIME))
        .field(paged(
            api,
            resolve!(
                "subcategories",
                collection_type(api, subcategory::NAME),
                Category,
                |ctx, category| {
                    let all = shared(&ctx)
                        .platform
                        .subcategories(category.id, MAX_PAGE)
                        .await
                        .map_err(fail)?;
                    in_memory(api, &ctx, all, |s| Box::new(SubcategoryNode(s)) as Node).await
                }
            ),
        ))
        .field(paged(
            api,
            resolve!(
                "tags",
                collection_type(api, tag::NAME),
                Category,
                |ctx, category| {
                    let all = shared(&ctx)
                        .platform
                        .tags_of_category(category.id, MAX_PAGE)
                        .await
                        .map_err(fail)?;
                    in_memory(api, &ctx, all, |t| Box::new(TagNode(t)) as Node).await
                }
            ),
        ))
}

/// The category with this id, or null when there is none.
pub async fn by_id(ctx: &ResolverContext<'_>, category_id: i64) -> Resolved {
    Ok(shared(ctx)
        .platform
        .category_by_id(category_id)
        .await
        .map_err(fail)?
        .map(FieldValue::owned_any))
}

/// Where a channel is listed: its category, subcategory and tags.
pub async fn placement(
    ctx: &ResolverContext<'_>,
    channel_id: i64,
) -> async_graphql::Result<ChannelCategory> {
    shared(ctx)
        .platform
        .channel_category(channel_id)
        .await
        .map_err(fail)
}

/// The category a channel is listed in, if any.
pub async fn of_channel(ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let placed = placement(ctx, channel_id).await?;
    Ok(placed.category.map(FieldValue::owned_any))
}

/// The `categories` query: every category.
pub fn list() -> Field {
    Field::new("categories", TypeRef::named_list(NAME), |ctx| {
        FieldFuture::new(async move {
            let categories = shared(&ctx).platform.categories().await.map_err(fail)?;
            Ok(Some(FieldValue::list(
                categories.into_iter().map(FieldValue::owned_any),
            )))
        })
    })
}

/// The `category` query: one category by its slug.
pub fn lookup() -> Field {
    Field::new("category", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let slug = string_arg(&ctx, "slug")
                .ok_or_else(|| async_graphql::Error::new("Give the category's slug."))?;
            Ok(shared(&ctx)
                .platform
                .find_category(slug)
                .await
                .map_err(fail)?
                .map(FieldValue::owned_any))
        })
    })
    .argument(InputValue::new("slug", TypeRef::named(TypeRef::STRING)))
}
