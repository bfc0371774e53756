//! The `User` type: a streamer, a viewer or both; and the `myself`, `user` and `users` queries.

use std::any::Any;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_platform::oauth::Scope;
use shimmer_platform::{Platform, UserView};
use tokio::sync::OnceCell;

use super::{channel, follower, naive_datetime, user_social};
use crate::schema::args::{id_arg, no_arguments, string_arg};
use crate::schema::avatars::{avatar_path, Avatars};
use crate::schema::connection::{collection_type, paged, rows, Node};
use crate::schema::errors::{fail, not_found, unauthorized};
use crate::schema::fields::{absent, id, opt, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "User";

/// A user: complete, or names only until another field needs the rest (a chat message knows
/// its author's names, so `user { username }` costs nothing per subscriber).
pub struct UserNode {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    full: OnceCell<Option<UserView>>,
    avatar: OnceCell<String>,
}

impl UserNode {
    pub fn full(user: UserView) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            full: OnceCell::new_with(Some(Some(user))),
            avatar: OnceCell::new(),
        }
    }

    pub fn named(id: i64, username: &str, display_name: &str) -> Self {
        Self {
            id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            full: OnceCell::new(),
            avatar: OnceCell::new(),
        }
    }

    /// The whole account, read once.
    pub async fn load(&self, platform: &Platform) -> async_graphql::Result<&UserView> {
        self.full
            .get_or_try_init(|| async { platform.user(self.id).await.map_err(fail) })
            .await?
            .as_ref()
            .ok_or_else(not_found)
    }

    /// The avatar's path, read once per node through the request's batching loader. The
    /// executor resolves the fields of a nested object one after another, so without this
    /// `avatar` and `avatarUrl` side by side would cost a batch each.
    pub async fn avatar(&self, avatars: &Avatars) -> async_graphql::Result<&str> {
        self.avatar
            .get_or_try_init(|| avatar_path(avatars, self.id))
            .await
            .map(String::as_str)
    }
}

/// The user with this id, or null when there is none (or no id is given).
pub async fn by_id(ctx: &ResolverContext<'_>, id: Option<i64>) -> Resolved {
    let Some(id) = id else {
        return Ok(None);
    };
    let user = shared(ctx).platform.user(id).await.map_err(fail)?;
    Ok(user.map(|user| FieldValue::owned_any(UserNode::full(user))))
}

/// The user an id argument or, when it is not given, a username argument names: `None` when
/// neither is given, `Some(None)` when they name nobody.
pub async fn named_by(
    ctx: &ResolverContext<'_>,
    id_name: &str,
    username_name: &str,
) -> async_graphql::Result<Option<Option<UserView>>> {
    let platform = &shared(ctx).platform;
    Ok(Some(if let Some(id) = id_arg(ctx, id_name) {
        match id {
            Some(id) => platform.user(id).await.map_err(fail)?,
            None => None,
        }
    } else if let Some(username) = string_arg(ctx, username_name) {
        platform.user_by_username(username).await.map_err(fail)?
    } else {
        return Ok(None);
    }))
}

/// A field of a node of type `N` that answers with the user whose id `user_id` picks, or null
/// where it picks none.
pub fn field<N: Any + Send + Sync>(
    name: &str,
    ty: TypeRef,
    user_id: fn(&N) -> Option<i64>,
) -> Field {
    Field::new(name, ty, move |ctx| {
        FieldFuture::new(async move {
            let node = ctx.parent_value.try_downcast_ref::<N>()?;
            by_id(&ctx, user_id(node)).await
        })
    })
}

pub fn object(api: Api) -> Object {
    let mut user = Object::new(NAME)
        .description("A user of Shimmer: a streamer, a viewer or both.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            UserNode,
            |u| id(u.id)
        ))
        .field(plain!(
            "username",
            TypeRef::named_nn(TypeRef::STRING),
            UserNode,
            |u| Value::from(u.username.to_lowercase())
        ))
        .field(plain!(
            "displayname",
            TypeRef::named_nn(TypeRef::STRING),
            UserNode,
            |u| Value::from(u.display_name.clone())
        ))
        .field(resolve!(
            "avatarUrl",
            TypeRef::named(TypeRef::STRING),
            UserNode,
            |ctx, u| {
                let path = u.avatar(ctx.data::<Avatars>()?).await?;
                Ok(Some(FieldValue::value(format!(
                    "{}{path}",
                    shared(&ctx).platform.settings.base_url
                ))))
            }
        ))
        .field(resolve!(
            "avatar",
            TypeRef::named(TypeRef::STRING),
            UserNode,
            |ctx, u| {
                let path = u.avatar(ctx.data::<Avatars>()?).await?;
                Ok(Some(FieldValue::value(path.to_owned())))
            }
        ))
        .field(resolve!(
            "email",
            TypeRef::named(TypeRef::STRING),
            UserNode,
            |ctx, u| {
                let me = caller(&ctx).user_with(Scope::Email)?;
                if me.id != u.id {
                    return Err(unauthorized());
                }
                Ok(Some(FieldValue::value(me.email.clone())))
            }
        ))
        .field(resolve!(
            "confirmedAt",
            TypeRef::named(naive_datetime::NAME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(opt(user
                    .email_confirmed_at
                    .map(naive_datetime::value)))))
            }
        ))
        .field(resolve!(
            "insertedAt",
            TypeRef::named_nn(naive_datetime::NAME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(naive_datetime::value(
                    user.created_at,
                ))))
            }
        ))
        .field(resolve!(
            "updatedAt",
            TypeRef::named_nn(naive_datetime::NAME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(naive_datetime::value(
                    user.updated_at,
                ))))
            }
        ))
        .field(resolve!(
            "channel",
            TypeRef::named(channel::NAME),
            UserNode,
            |ctx, u| channel::by_streamer(&ctx, u.id).await
        ))
        .field(Field::new(
            "socials",
            TypeRef::named_list(user_social::NAME),
            |_| FieldFuture::new(async { Ok(Some(FieldValue::list(Vec::<FieldValue>::new()))) }),
        ))
        .field(plain!(
            "profileContentMd",
            TypeRef::named(TypeRef::STRING),
            UserNode,
            |_u| Value::from("")
        ))
        .field(plain!(
            "profileContentHtml",
            TypeRef::named(TypeRef::STRING),
            UserNode,
            |_u| Value::from("")
        ))
        .field(plain!(
            "allowGlimeshNewsletterEmails",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            UserNode,
            |_u| Value::from(false)
        ))
        .field(plain!(
            "allowLiveSubscriptionEmails",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            UserNode,
            |_u| Value::from(false)
        ));
    for name in [
        "socialDiscord",
        "socialGuilded",
        "socialInstagram",
        "socialYoutube",
        "teamRole",
        "youtubeIntroUrl",
    ] {
        user = user.field(absent(name, TypeRef::named(TypeRef::STRING)));
    }
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
            collection_type(api, follower::NAME),
            UserNode,
            |ctx, u| follower::followers_of(api, &ctx, u).await
        ),
    ))
    .field(paged(
        api,
        resolve!(
            "following",
            collection_type(api, follower::NAME),
            UserNode,
            |ctx, u| follower::followed_by(api, &ctx, u).await
        ),
    ))
}

/// The `myself` query: the user the token acts for.
pub fn myself() -> Field {
    Field::new("myself", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let user = caller(&ctx).signed_in()?.clone();
            Ok(Some(FieldValue::owned_any(UserNode::full(user))))
        })
    })
}

/// The `user` query: one user by id or username.
pub fn lookup(api: Api) -> Field {
    let id_type = match api {
        Api::Graph => TypeRef::INT,
        Api::Legacy => TypeRef::ID,
    };
    Field::new("user", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let user = named_by(&ctx, "id", "username")
                .await?
                .ok_or_else(|| no_arguments("id or username"))?;
            Ok(user.map(|user| FieldValue::owned_any(UserNode::full(user))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(id_type)))
    .argument(InputValue::new("username", TypeRef::named(TypeRef::STRING)))
}

/// The `users` query: every user.
pub fn list(api: Api) -> Field {
    paged(
        api,
        Field::new("users", collection_type(api, NAME), move |ctx| {
            FieldFuture::new(async move {
                let platform = &shared(&ctx).platform;
                rows(
                    api,
                    &ctx,
                    || platform.user_count(),
                    |window| platform.users_page(window.offset, window.limit),
                    |user| Box::new(UserNode::full(user)) as Node,
                )
                .await
            })
        }),
    )
}
