//! Categories, subcategories, tags and follows: their types, the fields they add to users,
//! channels and streams, the `categories`/`category`/`followers` queries, the `follow` and
//! `unfollow` mutations and the `followers` subscription.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, Subscription,
    SubscriptionField, SubscriptionFieldFuture, TypeRef,
};
use async_graphql::Value;
use futures::StreamExt;
use shimmer_bus::Event;
use shimmer_platform::oauth::Scope;
use shimmer_platform::views::{Category, FollowListEntry, Subcategory, Tag};
use tokio::sync::OnceCell;

use super::connection::{collect, collection_type, paged, Node, MAX_PAGE};
use super::mutations::required_id;
use super::nodes::{naive_datetime, ChannelNode, StreamNode, UserNode};
use super::query::{id_arg, string_arg};
use super::subscriptions::scope_arg;
use super::{caller, fail, plain, resolve, shared, Api};
use crate::events::filtered;

const STRING: &str = TypeRef::STRING;
const ID: &str = TypeRef::ID;
const DATETIME: &str = "NaiveDateTime";

/// Categories, subcategories and tags keep no creation time; they report the epoch.
const NO_TIME: i64 = 0;

struct TagNode(Tag);
struct SubcategoryNode(Subcategory);

/// One user following another.
struct FollowerNode {
    follower: UserNode,
    streamer: UserNode,
    created_at: i64,
    live_notifications: OnceCell<bool>,
}

impl FollowerNode {
    fn new(follower: UserNode, streamer: UserNode, created_at: i64) -> Self {
        Self {
            follower,
            streamer,
            created_at,
            live_notifications: OnceCell::new(),
        }
    }

    /// A numeric id from the pair (follows have no id of their own); clients parse ids as
    /// integers.
    fn id(&self) -> i64 {
        (self.follower.id << 32) | (self.streamer.id & 0xffff_ffff)
    }
}

fn id(value: i64) -> Value {
    Value::from(value.to_string())
}

fn category_type(api: Api) -> Object {
    Object::new("Category")
        .description("A top-level category of streams (Art, Music, Tech, IRL, Education, Gaming).")
        .field(plain!("id", TypeRef::named(ID), Category, |c| id(c.id)))
        .field(plain!("name", TypeRef::named(STRING), Category, |c| {
            Value::from(c.name.clone())
        }))
        .field(plain!("slug", TypeRef::named(STRING), Category, |c| {
            Value::from(c.slug.clone())
        }))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            Category,
            |_c| naive_datetime(NO_TIME)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            Category,
            |_c| naive_datetime(NO_TIME)
        ))
        .field(paged(
            api,
            Field::new(
                "subcategories",
                collection_type(api, "Subcategory"),
                move |ctx| {
                    FieldFuture::new(async move {
                        let category = ctx.parent_value.try_downcast_ref::<Category>()?;
                        let all = shared(&ctx)
                            .platform
                            .subcategories(category.id, MAX_PAGE)
                            .await
                            .map_err(fail)?;
                        in_memory(api, &ctx, all, |s| Box::new(SubcategoryNode(s)) as Node).await
                    })
                },
            ),
        ))
        .field(paged(
            api,
            Field::new("tags", collection_type(api, "Tag"), move |ctx| {
                FieldFuture::new(async move {
                    let category = ctx.parent_value.try_downcast_ref::<Category>()?;
                    let all = shared(&ctx)
                        .platform
                        .tags_of_category(category.id, MAX_PAGE)
                        .await
                        .map_err(fail)?;
                    in_memory(api, &ctx, all, |t| Box::new(TagNode(t)) as Node).await
                })
            }),
        ))
}

/// A collection already read into memory, windowed as the arguments ask.
async fn in_memory<T>(
    api: Api,
    ctx: &ResolverContext<'_>,
    items: Vec<T>,
    node: impl Fn(T) -> Node,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let total = items.len() as i64;
    collect(
        api,
        ctx,
        || async move { Ok(total) },
        |window| async move {
            Ok(items
                .into_iter()
                .skip(window.offset as usize)
                .take(window.limit as usize)
                .map(node)
                .collect())
        },
    )
    .await
}

async fn category_field(
    ctx: &ResolverContext<'_>,
    category_id: i64,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    Ok(shared(ctx)
        .platform
        .category_by_id(category_id)
        .await
        .map_err(fail)?
        .map(FieldValue::owned_any))
}

fn subcategory_type() -> Object {
    Object::new("Subcategory")
        .description("A game, style or topic within a category.")
        .field(plain!("id", TypeRef::named(ID), SubcategoryNode, |s| id(s
            .0
            .id)))
        .field(plain!(
            "name",
            TypeRef::named(STRING),
            SubcategoryNode,
            |s| Value::from(s.0.name.clone())
        ))
        .field(plain!(
            "slug",
            TypeRef::named(STRING),
            SubcategoryNode,
            |s| Value::from(s.0.slug.clone())
        ))
        .field(plain!(
            "backgroundImageUrl",
            TypeRef::named(STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "source",
            TypeRef::named(STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "sourceId",
            TypeRef::named(STRING),
            SubcategoryNode,
            |_s| Value::Null
        ))
        .field(plain!(
            "userCreated",
            TypeRef::named(TypeRef::BOOLEAN),
            SubcategoryNode,
            |_s| Value::from(true)
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            SubcategoryNode,
            |_s| naive_datetime(NO_TIME)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            SubcategoryNode,
            |_s| naive_datetime(NO_TIME)
        ))
        .field(resolve!(
            "category",
            TypeRef::named("Category"),
            SubcategoryNode,
            |ctx, s| category_field(&ctx, s.0.category_id).await
        ))
}

fn tag_type() -> Object {
    Object::new("Tag")
        .description("A label streamers give their stream, within a category.")
        .field(plain!("id", TypeRef::named(ID), TagNode, |t| id(t.0.id)))
        .field(plain!("name", TypeRef::named(STRING), TagNode, |t| {
            Value::from(t.0.name.clone())
        }))
        .field(plain!("slug", TypeRef::named(STRING), TagNode, |t| {
            Value::from(t.0.slug.clone())
        }))
        .field(plain!(
            "countUsage",
            TypeRef::named(TypeRef::INT),
            TagNode,
            |t| Value::from(t.0.usage_count)
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            TagNode,
            |_t| naive_datetime(NO_TIME)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            TagNode,
            |_t| naive_datetime(NO_TIME)
        ))
        .field(resolve!(
            "category",
            TypeRef::named("Category"),
            TagNode,
            |ctx, t| category_field(&ctx, t.0.category_id).await
        ))
}

fn follower_type() -> Object {
    Object::new("Follower")
        .description("A user following a streamer.")
        .field(plain!("id", TypeRef::named_nn(ID), FollowerNode, |f| id(
            f.id()
        )))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            FollowerNode,
            |f| naive_datetime(f.created_at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            FollowerNode,
            |f| naive_datetime(f.created_at)
        ))
        .field(resolve!(
            "hasLiveNotifications",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            FollowerNode,
            |ctx, f| {
                let enabled = f
                    .live_notifications
                    .get_or_try_init(|| async {
                        shared(&ctx)
                            .platform
                            .live_notifications_enabled(f.follower.id, f.streamer.id)
                            .await
                            .map(|enabled| enabled.unwrap_or(false))
                            .map_err(fail)
                    })
                    .await?;
                Ok(Some(FieldValue::value(*enabled)))
            }
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn("User"),
            FollowerNode,
            |_ctx, f| Ok(Some(FieldValue::borrowed_any(&f.follower)))
        ))
        .field(resolve!(
            "streamer",
            TypeRef::named_nn("User"),
            FollowerNode,
            |_ctx, f| Ok(Some(FieldValue::borrowed_any(&f.streamer)))
        ))
}

/// The legacy API's channel subscriptions (payments do not exist, so the list is empty).
fn subscription_type() -> Object {
    let absent = |name: &str, ty: TypeRef| Field::new(name, ty, |_| FieldFuture::from_value(None));
    Object::new("Subscription")
        .description("A paid channel subscription. Shimmer has no payments yet, so there are none.")
        .field(absent("id", TypeRef::named_nn(ID)))
        .field(absent("isActive", TypeRef::named(TypeRef::BOOLEAN)))
        .field(absent("price", TypeRef::named(TypeRef::INT)))
        .field(absent("productName", TypeRef::named(STRING)))
        .field(absent("streamer", TypeRef::named("User")))
        .field(absent("user", TypeRef::named("User")))
        .field(absent("insertedAt", TypeRef::named(DATETIME)))
        .field(absent("updatedAt", TypeRef::named(DATETIME)))
}

pub fn types(api: Api) -> Vec<Object> {
    let mut types = vec![
        category_type(api),
        subcategory_type(),
        tag_type(),
        follower_type(),
    ];
    if api == Api::Legacy {
        types.push(subscription_type());
    }
    types
}

pub fn connection_nodes() -> impl Iterator<Item = &'static str> {
    ["Subcategory", "Tag", "Follower"].into_iter()
}

/// Followers of a streamer or follows of a user, as follower nodes.
async fn follows(
    api: Api,
    ctx: &ResolverContext<'_>,
    streamer: Option<UserNodeSeed>,
    user: Option<UserNodeSeed>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let platform = &shared(ctx).platform;
    match (streamer, user) {
        (Some(streamer), Some(user)) => {
            let follow = platform
                .follow_of(user.id, streamer.id)
                .await
                .map_err(fail)?;
            let nodes: Vec<FollowerNode> = follow
                .into_iter()
                .map(|follow| FollowerNode::new(user.node(), streamer.node(), follow.created_at))
                .collect();
            in_memory(api, ctx, nodes, |node| Box::new(node) as Node).await
        }
        (Some(streamer), None) => {
            let id = streamer.id;
            collect(
                api,
                ctx,
                move || async move { platform.follower_count(id).await.map_err(fail) },
                |window| async move {
                    let entries = platform
                        .followers_window(streamer.id, window.limit, window.offset)
                        .await
                        .map_err(fail)?;
                    Ok(entries
                        .into_iter()
                        .map(|entry| {
                            Box::new(FollowerNode::new(
                                entry_user(&entry),
                                streamer.node(),
                                entry.created_at,
                            )) as Node
                        })
                        .collect())
                },
            )
            .await
        }
        (None, Some(user)) => {
            let id = user.id;
            collect(
                api,
                ctx,
                move || async move { platform.following_count(id).await.map_err(fail) },
                |window| async move {
                    let entries = platform
                        .following_window(user.id, window.limit, window.offset)
                        .await
                        .map_err(fail)?;
                    Ok(entries
                        .into_iter()
                        .map(|entry| {
                            Box::new(FollowerNode::new(
                                user.node(),
                                entry_user(&entry),
                                entry.created_at,
                            )) as Node
                        })
                        .collect())
                },
            )
            .await
        }
        (None, None) => Err(async_graphql::Error::new(match api {
            Api::Graph => "Give one of these arguments: streamerId or userId.",
            Api::Legacy => {
                "Give one of these arguments: streamerUsername, userUsername, streamerId or userId."
            }
        })),
    }
}

fn entry_user(entry: &FollowListEntry) -> UserNode {
    UserNode::named(entry.user_id, &entry.username, &entry.display_name)
}

/// Enough of a user to make nodes for each row.
#[derive(Clone)]
struct UserNodeSeed {
    id: i64,
    username: String,
    display_name: String,
}

impl UserNodeSeed {
    fn node(&self) -> UserNode {
        UserNode::named(self.id, &self.username, &self.display_name)
    }
}

/// The user an argument names (by id or by username); `Ok(None)` when it names nobody.
async fn user_arg(
    ctx: &ResolverContext<'_>,
    id_name: &str,
    username_name: &str,
) -> async_graphql::Result<Option<Option<UserNodeSeed>>> {
    let platform = &shared(ctx).platform;
    let user = if let Some(id) = id_arg(ctx, id_name) {
        match id {
            Some(id) => platform.user(id).await.map_err(fail)?,
            None => None,
        }
    } else if let Some(username) = string_arg(ctx, username_name) {
        platform.user_by_username(username).await.map_err(fail)?
    } else {
        return Ok(None);
    };
    Ok(Some(user.map(|user| UserNodeSeed {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
    })))
}

fn followers_query(api: Api) -> Field {
    let field = Field::new("followers", collection_type(api, "Follower"), move |ctx| {
        FieldFuture::new(async move {
            let streamer = user_arg(&ctx, "streamerId", "streamerUsername").await?;
            let user = user_arg(&ctx, "userId", "userUsername").await?;
            // A named user who does not exist follows and is followed by no one.
            if matches!(streamer, Some(None)) || matches!(user, Some(None)) {
                return in_memory(api, &ctx, Vec::<FollowerNode>::new(), |n| {
                    Box::new(n) as Node
                })
                .await;
            }
            follows(api, &ctx, streamer.flatten(), user.flatten()).await
        })
    })
    .argument(InputValue::new("streamerId", TypeRef::named(ID)))
    .argument(InputValue::new("userId", TypeRef::named(ID)));
    let field = match api {
        Api::Graph => field,
        Api::Legacy => field
            .argument(InputValue::new("streamerUsername", TypeRef::named(STRING)))
            .argument(InputValue::new("userUsername", TypeRef::named(STRING))),
    };
    paged(api, field)
}

pub fn query_fields(api: Api, query: Object) -> Object {
    let query = query
        .field(followers_query(api))
        .field(Field::new(
            "categories",
            TypeRef::named_list("Category"),
            |ctx| {
                FieldFuture::new(async move {
                    let categories = shared(&ctx).platform.categories().await.map_err(fail)?;
                    Ok(Some(FieldValue::list(
                        categories.into_iter().map(FieldValue::owned_any),
                    )))
                })
            },
        ))
        .field(
            Field::new("category", TypeRef::named("Category"), |ctx| {
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
            .argument(InputValue::new("slug", TypeRef::named(STRING))),
        );
    match api {
        Api::Graph => query,
        Api::Legacy => query.field(
            Field::new("subscriptions", TypeRef::named_list("Subscription"), |_| {
                FieldFuture::new(async { Ok(Some(FieldValue::list(Vec::<FieldValue>::new()))) })
            })
            .argument(InputValue::new("streamerUsername", TypeRef::named(STRING)))
            .argument(InputValue::new("userUsername", TypeRef::named(STRING)))
            .argument(InputValue::new("streamerId", TypeRef::named(ID)))
            .argument(InputValue::new("userId", TypeRef::named(ID))),
        ),
    }
}

pub fn user_fields(api: Api, user: Object) -> Object {
    user.field(resolve!(
        "countFollowers",
        TypeRef::named(TypeRef::INT),
        UserNode,
        |ctx, u| {
            let count = shared(&ctx)
                .platform
                .follower_count(u.id)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::value(count)))
        }
    ))
    .field(resolve!(
        "countFollowing",
        TypeRef::named(TypeRef::INT),
        UserNode,
        |ctx, u| {
            let count = shared(&ctx)
                .platform
                .following_count(u.id)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::value(count)))
        }
    ))
    .field(paged(
        api,
        resolve!(
            "followers",
            collection_type(api, "Follower"),
            UserNode,
            |ctx, u| {
                let seed = UserNodeSeed {
                    id: u.id,
                    username: u.username.clone(),
                    display_name: u.display_name.clone(),
                };
                follows(api, &ctx, Some(seed), None).await
            }
        ),
    ))
    .field(paged(
        api,
        resolve!(
            "following",
            collection_type(api, "Follower"),
            UserNode,
            |ctx, u| {
                let seed = UserNodeSeed {
                    id: u.id,
                    username: u.username.clone(),
                    display_name: u.display_name.clone(),
                };
                follows(api, &ctx, None, Some(seed)).await
            }
        ),
    ))
}

pub fn channel_fields(_api: Api, channel: Object) -> Object {
    channel
        .field(resolve!(
            "category",
            TypeRef::named("Category"),
            ChannelNode,
            |ctx, c| {
                let placed = shared(&ctx)
                    .platform
                    .channel_category(c.channel.id)
                    .await
                    .map_err(fail)?;
                Ok(placed.category.map(FieldValue::owned_any))
            }
        ))
        .field(resolve!(
            "subcategory",
            TypeRef::named("Subcategory"),
            ChannelNode,
            |ctx, c| {
                let placed = shared(&ctx)
                    .platform
                    .channel_category(c.channel.id)
                    .await
                    .map_err(fail)?;
                Ok(placed
                    .subcategory
                    .map(|s| FieldValue::owned_any(SubcategoryNode(s))))
            }
        ))
        .field(resolve!(
            "tags",
            TypeRef::named_list("Tag"),
            ChannelNode,
            |ctx, c| {
                let placed = shared(&ctx)
                    .platform
                    .channel_category(c.channel.id)
                    .await
                    .map_err(fail)?;
                Ok(Some(FieldValue::list(
                    placed
                        .tags
                        .into_iter()
                        .map(|t| FieldValue::owned_any(TagNode(t))),
                )))
            }
        ))
}

pub fn stream_fields(stream: Object) -> Object {
    stream
        .field(resolve!(
            "category",
            TypeRef::named("Category"),
            StreamNode,
            |ctx, s| {
                let placed = shared(&ctx)
                    .platform
                    .channel_category(s.0.channel_id)
                    .await
                    .map_err(fail)?;
                Ok(placed.category.map(FieldValue::owned_any))
            }
        ))
        .field(resolve!(
            "countViewers",
            TypeRef::named(TypeRef::INT),
            StreamNode,
            |ctx, s| {
                let live = s.0.ended_at.is_none();
                let count = if live {
                    shared(&ctx).platform.viewer_count(s.0.channel_id)
                } else {
                    0
                };
                Ok(Some(FieldValue::value(count)))
            }
        ))
        .field(resolve!(
            "peakViewers",
            TypeRef::named(TypeRef::INT),
            StreamNode,
            |ctx, s| {
                let stats = shared(&ctx)
                    .platform
                    .stream_viewer_stats(s.0.id)
                    .await
                    .map_err(fail)?;
                Ok(Some(FieldValue::value(stats.peak_viewers)))
            }
        ))
}

async fn follow_node(
    ctx: &ResolverContext<'_>,
    follower: &shimmer_platform::UserView,
    streamer_id: i64,
    created_at: i64,
) -> async_graphql::Result<FollowerNode> {
    let streamer = shared(ctx)
        .platform
        .user(streamer_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| async_graphql::Error::new("Could not find resource"))?;
    Ok(FollowerNode::new(
        UserNode::full(follower.clone()),
        UserNode::full(streamer),
        created_at,
    ))
}

pub fn mutation_fields(api: Api, mutation: Object) -> Object {
    if api == Api::Legacy {
        return mutation;
    }
    mutation
        .field(
            Field::new("follow", TypeRef::named("Follower"), |ctx| {
                FieldFuture::new(async move {
                    let user = caller(&ctx).user_with(Scope::Follow)?;
                    let streamer_id = required_id(&ctx, "streamerId")?;
                    let notify = ctx.args.try_get("liveNotifications")?.boolean()?;
                    let platform = &shared(&ctx).platform;
                    platform.follow(user.id, streamer_id).await.map_err(fail)?;
                    platform
                        .set_live_notifications(user.id, streamer_id, notify)
                        .await
                        .map_err(fail)?;
                    let follow = platform
                        .follow_of(user.id, streamer_id)
                        .await
                        .map_err(fail)?
                        .ok_or_else(|| async_graphql::Error::new("Could not find resource"))?;
                    let node = follow_node(&ctx, user, streamer_id, follow.created_at).await?;
                    Ok(Some(FieldValue::owned_any(node)))
                })
            })
            .argument(InputValue::new("streamerId", TypeRef::named_nn(ID)))
            .argument(InputValue::new(
                "liveNotifications",
                TypeRef::named_nn(TypeRef::BOOLEAN),
            )),
        )
        .field(
            Field::new("unfollow", TypeRef::named("Follower"), |ctx| {
                FieldFuture::new(async move {
                    let user = caller(&ctx).user_with(Scope::Follow)?;
                    let streamer_id = required_id(&ctx, "streamerId")?;
                    let platform = &shared(&ctx).platform;
                    let follow = platform
                        .follow_of(user.id, streamer_id)
                        .await
                        .map_err(fail)?
                        .ok_or_else(|| async_graphql::Error::new("Could not find resource"))?;
                    let node = follow_node(&ctx, user, streamer_id, follow.created_at).await?;
                    platform
                        .unfollow(user.id, streamer_id)
                        .await
                        .map_err(fail)?;
                    Ok(Some(FieldValue::owned_any(node)))
                })
            })
            .argument(InputValue::new("streamerId", TypeRef::named_nn(ID))),
        )
}

pub fn subscription_fields(subscription: Subscription) -> Subscription {
    subscription.field(
        SubscriptionField::new("followers", TypeRef::named("Follower"), |ctx| {
            SubscriptionFieldFuture::new(async move {
                let wanted = scope_arg(&ctx, "streamerId")?;
                let events = shared(&ctx).events.subscribe();
                let platform = shared(&ctx).platform.clone();
                Ok(filtered(events, move |event| match event {
                    Event::FollowerAdded {
                        streamer_id,
                        follower_id,
                        ..
                    } if wanted.is_none_or(|wanted| wanted == *streamer_id) => {
                        Some((*follower_id, *streamer_id))
                    }
                    _ => None,
                })
                .filter_map(move |(follower_id, streamer_id)| {
                    let platform = platform.clone();
                    async move {
                        let follower = platform.user(follower_id).await.ok()??;
                        let streamer = platform.user(streamer_id).await.ok()??;
                        Some(FollowerNode::new(
                            UserNode::full(follower),
                            UserNode::full(streamer),
                            shimmer_platform::now_ms(),
                        ))
                    }
                })
                .map(|node| Ok(FieldValue::owned_any(node))))
            })
        })
        .argument(InputValue::new("streamerId", TypeRef::named(ID))),
    )
}
