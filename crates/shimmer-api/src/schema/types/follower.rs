//! The `Follower` type: a user following a streamer; the `followers` query, the `follow` and
//! `unfollow` mutations and the `followers` subscription.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, SubscriptionField,
    SubscriptionFieldFuture, TypeRef,
};
use futures::StreamExt;
use shimmer_bus::Event;
use shimmer_platform::oauth::Scope;
use shimmer_platform::views::FollowListEntry;
use shimmer_platform::UserView;
use tokio::sync::OnceCell;

use super::naive_datetime;
use super::user::{self, UserNode};
use crate::events::filtered;
use crate::schema::args::{in_scope, no_arguments, required_id, required_id_argument, scope_arg};
use crate::schema::connection::{collection_type, in_memory, paged, rows, Node};
use crate::schema::errors::{fail, not_found};
use crate::schema::fields::{id, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "Follower";

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

pub fn object() -> Object {
    Object::new(NAME)
        .description("A user following a streamer.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            FollowerNode,
            |f| id(f.id())
        ))
        .field(naive_datetime::field("insertedAt", |f: &FollowerNode| {
            f.created_at
        }))
        .field(naive_datetime::field("updatedAt", |f: &FollowerNode| {
            f.created_at
        }))
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
            TypeRef::named_nn(user::NAME),
            FollowerNode,
            |_ctx, f| Ok(Some(FieldValue::borrowed_any(&f.follower)))
        ))
        .field(resolve!(
            "streamer",
            TypeRef::named_nn(user::NAME),
            FollowerNode,
            |_ctx, f| Ok(Some(FieldValue::borrowed_any(&f.streamer)))
        ))
}

/// Enough of a user to make nodes for each row.
#[derive(Clone)]
struct UserNodeSeed {
    id: i64,
    username: String,
    display_name: String,
}

impl UserNodeSeed {
    fn of(user: &UserNode) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
        }
    }

    fn node(&self) -> UserNode {
        UserNode::named(self.id, &self.username, &self.display_name)
    }
}

impl From<UserView> for UserNodeSeed {
    fn from(user: UserView) -> Self {
        Self {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
        }
    }
}

/// `User.followers`: who follows the user.
pub async fn followers_of(api: Api, ctx: &ResolverContext<'_>, streamer: &UserNode) -> Resolved {
    follows(api, ctx, Some(UserNodeSeed::of(streamer)), None).await
}

/// `User.following`: whom the user follows.
pub async fn followed_by(api: Api, ctx: &ResolverContext<'_>, user: &UserNode) -> Resolved {
    follows(api, ctx, None, Some(UserNodeSeed::of(user))).await
}

/// Followers of a streamer, follows of a user, or whether one follows the other.
async fn follows(
    api: Api,
    ctx: &ResolverContext<'_>,
    streamer: Option<UserNodeSeed>,
    user: Option<UserNodeSeed>,
) -> Resolved {
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
            rows(
                api,
                ctx,
                || platform.follower_count(streamer.id),
                |window| platform.followers_window(streamer.id, window.limit, window.offset),
                |entry| {
                    let follower = entry_user(&entry);
                    Box::new(FollowerNode::new(
                        follower,
                        streamer.node(),
                        entry.created_at,
                    )) as Node
                },
            )
            .await
        }
        (None, Some(user)) => {
            rows(
                api,
                ctx,
                || platform.following_count(user.id),
                |window| platform.following_window(user.id, window.limit, window.offset),
                |entry| {
                    let streamer = entry_user(&entry);
                    Box::new(FollowerNode::new(user.node(), streamer, entry.created_at)) as Node
                },
            )
            .await
        }
        (None, None) => Err(no_arguments(match api {
            Api::Graph => "streamerId or userId",
            Api::Legacy => "streamerUsername, userUsername, streamerId or userId",
        })),
    }
}

fn entry_user(entry: &FollowListEntry) -> UserNode {
    UserNode::named(entry.user_id, &entry.username, &entry.display_name)
}

/// The `followers` query: a streamer's followers, a user's follows, or (given both) whether
/// the one follows the other. The legacy API also takes usernames.
pub fn query(api: Api) -> Field {
    let field = Field::new("followers", collection_type(api, NAME), move |ctx| {
        FieldFuture::new(async move {
            let streamer = user::named_by(&ctx, "streamerId", "streamerUsername").await?;
            let user = user::named_by(&ctx, "userId", "userUsername").await?;
            // A named user who does not exist follows and is followed by no one.
            if matches!(streamer, Some(None)) || matches!(user, Some(None)) {
                return in_memory(api, &ctx, Vec::<FollowerNode>::new(), |n| {
                    Box::new(n) as Node
                })
                .await;
            }
            follows(
                api,
                &ctx,
                streamer.flatten().map(UserNodeSeed::from),
                user.flatten().map(UserNodeSeed::from),
            )
            .await
        })
    })
    .argument(InputValue::new("streamerId", TypeRef::named(TypeRef::ID)))
    .argument(InputValue::new("userId", TypeRef::named(TypeRef::ID)));
    let field = match api {
        Api::Graph => field,
        Api::Legacy => field
            .argument(InputValue::new(
                "streamerUsername",
                TypeRef::named(TypeRef::STRING),
            ))
            .argument(InputValue::new(
                "userUsername",
                TypeRef::named(TypeRef::STRING),
            )),
    };
    paged(api, field)
}

/// The follow of `follower` to the streamer with `streamer_id`, made at `created_at`.
async fn follow_node(
    ctx: &ResolverContext<'_>,
    follower: &UserView,
    streamer_id: i64,
    created_at: i64,
) -> async_graphql::Result<FollowerNode> {
    let streamer = shared(ctx)
        .platform
        .user(streamer_id)
        .await
        .map_err(fail)?
        .ok_or_else(not_found)?;
    Ok(FollowerNode::new(
        UserNode::full(follower.clone()),
        UserNode::full(streamer),
        created_at,
    ))
}

/// The `follow` mutation: the user follows a streamer, with or without live notifications.
pub fn follow() -> Field {
    Field::new("follow", TypeRef::named(NAME), |ctx| {
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
                .ok_or_else(not_found)?;
            let node = follow_node(&ctx, user, streamer_id, follow.created_at).await?;
            Ok(Some(FieldValue::owned_any(node)))
        })
    })
    .argument(required_id_argument("streamerId"))
    .argument(InputValue::new(
        "liveNotifications",
        TypeRef::named_nn(TypeRef::BOOLEAN),
    ))
}

/// The `unfollow` mutation: answers with the follow it ended.
pub fn unfollow() -> Field {
    Field::new("unfollow", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let user = caller(&ctx).user_with(Scope::Follow)?;
            let streamer_id = required_id(&ctx, "streamerId")?;
            let platform = &shared(&ctx).platform;
            let follow = platform
                .follow_of(user.id, streamer_id)
                .await
                .map_err(fail)?
                .ok_or_else(not_found)?;
            let node = follow_node(&ctx, user, streamer_id, follow.created_at).await?;
            platform
                .unfollow(user.id, streamer_id)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::owned_any(node)))
        })
    })
    .argument(required_id_argument("streamerId"))
}

/// The `followers` subscription: new follows of one streamer or of every streamer.
pub fn subscription() -> SubscriptionField {
    SubscriptionField::new("followers", TypeRef::named(NAME), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "streamerId")?;
            let events = shared(&ctx).events.subscribe();
            let platform = shared(&ctx).platform.clone();
            Ok(filtered(events, move |event| match event {
                Event::FollowerAdded {
                    streamer_id,
                    follower_id,
                    ..
                } if in_scope(wanted, *streamer_id) => Some((*follower_id, *streamer_id)),
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
    .argument(InputValue::new("streamerId", TypeRef::named(TypeRef::ID)))
}
