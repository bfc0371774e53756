//! The `User` type: a streamer, a viewer or both; and the `myself`, `user`, `users` and
//! `staffSearch` queries.
//!
//! Staff fields (`email` of anyone, `isAdmin`, `staffLevel`, `canStream`, `twoFactorEnabled`,
//! `platformBan`, `sessions`, `reports`, `moderationHistory`, `chatHistory`, `supportTickets`) and staff lookups (`user(email:)`,
//! `staffSearch`) need a token that acts for a staff account and holds the `staff` scope, and a
//! staff level whose permission covers them; anyone else gets null with an `unauthorized`
//! error, as Glimesh answered its admin-only fields. They read the `/staff` page's facts
//! through the same audited domain lookup, once per user in a document.

use std::any::Any;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_platform::oauth::Scope;
use shimmer_platform::staff::lookups::AccountFacts;
use shimmer_platform::{Platform, UserView};
use tokio::sync::OnceCell;

use super::{
    channel, follower, naive_datetime, platform_ban, staff_chat_message, staff_moderation_entry,
    support_ticket, user_report, user_session, user_social,
};
use crate::schema::args::{id_arg, no_arguments, string_arg};
use crate::schema::avatars::{avatar_path, Avatars};
use crate::schema::connection::{collection_type, paged, rows, Node};
use crate::schema::errors::{fail, not_found};
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
    staff: OnceCell<AccountFacts>,
}

impl UserNode {
    pub fn full(user: UserView) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            full: OnceCell::new_with(Some(Some(user))),
            avatar: OnceCell::new(),
            staff: OnceCell::new(),
        }
    }

    pub fn named(id: i64, username: &str, display_name: &str) -> Self {
        Self {
            id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            full: OnceCell::new(),
            avatar: OnceCell::new(),
            staff: OnceCell::new(),
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

    /// What staff see of this account (the `/staff` page's facts), read once per node through
    /// the domain's audited lookup; refused unless the caller may look accounts up.
    pub async fn staff_facts(
        &self,
        ctx: &ResolverContext<'_>,
    ) -> async_graphql::Result<&AccountFacts> {
        self.staff
            .get_or_try_init(|| async {
                let (actor, via) = caller(ctx).staff()?;
                shared(ctx)
                    .platform
                    .staff_account(actor, &self.username, 1, via)
                    .await
                    .map_err(fail)
            })
            .await
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
        .field(
            resolve!(
                "email",
                TypeRef::named(TypeRef::STRING),
                UserNode,
                |ctx, u| {
                    // One's own address with the `email` scope, as on Glimesh; anyone's for staff.
                    if let Ok(me) = caller(&ctx).user_with(Scope::Email) {
                        if me.id == u.id {
                            return Ok(Some(FieldValue::value(me.email.clone())));
                        }
                    }
                    let facts = u.staff_facts(&ctx).await?;
                    Ok(Some(FieldValue::value(facts.user.email.clone())))
                }
            )
            .description(
                "The account's email address: your own with the `email` scope, anyone's for staff \
             (a `staff` token of a level that may look accounts up).",
            ),
        )
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
    staff_fields(user)
        .field(resolve!(
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

/// The fields only staff may read, after `email`: the `/staff` page's facts, and the
/// account's support requests for staff with the support permission.
fn staff_fields(user: Object) -> Object {
    let fact = |name: &str, ty: &str, about: &str, pick: fn(&AccountFacts) -> Value| {
        Field::new(name, TypeRef::named(ty), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<UserNode>()?;
                let facts = node.staff_facts(&ctx).await?;
                Ok(Some(FieldValue::value(pick(facts))))
            })
        })
        .description(about)
    };
    user.field(fact(
        "isAdmin",
        TypeRef::BOOLEAN,
        "Staff only: whether the account is staff (any level).",
        |f| Value::from(f.user.is_admin),
    ))
    .field(fact(
        "staffLevel",
        TypeRef::INT,
        "Staff only: the account's staff level, 1 (trial member) to 5 (admin); null if not staff.",
        |f| opt(f.user.staff_level.map(|level| level.number())),
    ))
    .field(fact(
        "canStream",
        TypeRef::BOOLEAN,
        "Staff only: whether the account may go live.",
        |f| Value::from(f.can_stream),
    ))
    .field(fact(
        "twoFactorEnabled",
        TypeRef::BOOLEAN,
        "Staff only: whether the account signs in with two factors.",
        |f| Value::from(f.two_factor),
    ))
    .field(resolve!(
        "platformBan",
        TypeRef::named(platform_ban::NAME),
        UserNode,
        |ctx, u| {
            let facts = u.staff_facts(&ctx).await?;
            Ok(facts.ban.clone().map(FieldValue::owned_any))
        }
    )
    .description(
        "Staff only: the platform ban in force; null if none.",
    ))
    .field(resolve!(
        "sessions",
        TypeRef::named_nn_list(user_session::NAME),
        UserNode,
        |ctx, u| {
            let facts = u.staff_facts(&ctx).await?;
            Ok(Some(FieldValue::list(
                facts.sessions.iter().cloned().map(FieldValue::owned_any),
            )))
        }
    )
    .description(
        "Staff only: the devices signed in, newest first.",
    ))
    .field(resolve!(
        "reports",
        TypeRef::named_nn_list(user_report::NAME),
        UserNode,
        |ctx, u| {
            let facts = u.staff_facts(&ctx).await?;
            Ok(Some(FieldValue::list(
                facts.reports.iter().cloned().map(FieldValue::owned_any),
            )))
        }
    )
    .description(
        "Staff only: reports filed about the account, newest first (at most 50).",
    ))
    .field(resolve!(
        "moderationHistory",
        TypeRef::named_nn_list(staff_moderation_entry::NAME),
        UserNode,
        |ctx, u| {
            let facts = u.staff_facts(&ctx).await?;
            Ok(Some(FieldValue::list(
                facts.moderation.iter().cloned().map(FieldValue::owned_any),
            )))
        }
    )
    .description(
        "Staff only: chat moderation of the account in every channel, newest first (at most 50).",
    ))
    .field(
        resolve!(
            "chatHistory",
            TypeRef::named_nn_list(staff_chat_message::NAME),
            UserNode,
            |ctx, u| {
                let page = ctx
                    .args
                    .get("page")
                    .and_then(|page| page.i64().ok())
                    .unwrap_or(1);
                let messages = if page == 1 {
                    u.staff_facts(&ctx).await?.messages.clone()
                } else {
                    // Another page is another look, audited with its number as on the site.
                    let (actor, via) = caller(&ctx).staff()?;
                    shared(&ctx)
                        .platform
                        .staff_account(actor, &u.username, page, via)
                        .await
                        .map_err(fail)?
                        .messages
                };
                Ok(Some(FieldValue::list(
                    messages.into_iter().map(FieldValue::owned_any),
                )))
            }
        )
        .argument(InputValue::new("page", TypeRef::named(TypeRef::INT)))
        .description(
            "Staff only: the account's chat messages in every channel, hidden ones too, newest \
             first, 25 a page (`page` from 1).",
        ),
    )
    .field(resolve!(
        "supportTickets",
        TypeRef::named_nn_list(support_ticket::NAME),
        UserNode,
        |ctx, u| {
            let (actor, via) = caller(&ctx).staff()?;
            let platform = &shared(&ctx).platform;
            let requester = u.load(platform).await?;
            let tickets = platform
                .staff_support_tickets_of(actor, requester, via)
                .await
                .map_err(fail)?;
            Ok(Some(FieldValue::list(
                tickets.into_iter().map(FieldValue::owned_any),
            )))
        }
    )
    .description(
        "Staff with the support permission only: the support requests the account filed, newest first.",
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
            let user = match named_by(&ctx, "id", "username").await? {
                Some(user) => user,
                None => {
                    let email = string_arg(&ctx, "email")
                        .ok_or_else(|| no_arguments("id, username or email"))?;
                    let (actor, via) = caller(&ctx).staff()?;
                    shared(&ctx)
                        .platform
                        .staff_user_by_email(actor, email, via)
                        .await
                        .map_err(fail)?
                }
            };
            Ok(user.map(|user| FieldValue::owned_any(UserNode::full(user))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(id_type)))
    .argument(InputValue::new("username", TypeRef::named(TypeRef::STRING)))
    .argument(InputValue::new("email", TypeRef::named(TypeRef::STRING)))
    .description("One user by id or username; staff may also look one up by `email`.")
}

/// The `staffSearch` query: accounts whose username or email contains `query`, or whose user
/// or channel id it is, as the `/staff` search finds them. Staff only; audited.
pub fn search() -> Field {
    Field::new("staffSearch", TypeRef::named_nn_list(NAME), |ctx| {
        FieldFuture::new(async move {
            let (actor, via) = caller(&ctx).staff()?;
            let platform = &shared(&ctx).platform;
            let text = string_arg(&ctx, "query").unwrap_or_default();
            let found = platform
                .staff_search(actor, text, via)
                .await
                .map_err(fail)?;
            let mut users = Vec::with_capacity(found.len());
            for found in found {
                if let Some(user) = platform.user(found.user_id).await.map_err(fail)? {
                    users.push(FieldValue::owned_any(UserNode::full(user)));
                }
            }
            Ok(Some(FieldValue::list(users)))
        })
    })
    .description(
        "Staff only: accounts whose username or email contains the text, or whose user or \
         channel id it is (at most 50).",
    )
    .argument(InputValue::new("query", TypeRef::named_nn(TypeRef::STRING)))
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
