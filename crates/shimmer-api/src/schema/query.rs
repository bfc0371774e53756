//! Root queries. A lookup of something that does not exist answers null without an error; a
//! lookup given none of its arguments is an error that says which ones it takes.

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_platform::views::LiveStatus;

use super::connection::{collect, collection_type, paged, Node};
use super::fail;
use super::nodes::{ChannelNode, UserNode};
use super::{caller, community, shared, Api};
use crate::auth::UNAUTHORIZED;

/// An argument that names something by id: absent (or null), or present with the integer it
/// holds (`None` when it is not an integer, which can match nothing).
pub(crate) fn id_arg(ctx: &ResolverContext<'_>, name: &str) -> Option<Option<i64>> {
    let value = ctx.args.get(name).filter(|value| !value.is_null())?;
    Some(match value.as_value() {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A string argument, when present and not null.
pub(crate) fn string_arg<'b>(ctx: &'b ResolverContext<'_>, name: &str) -> Option<&'b str> {
    ctx.args
        .get(name)
        .filter(|value| !value.is_null())
        .and_then(|value| value.string().ok())
}

fn no_arguments(names: &str) -> async_graphql::Error {
    async_graphql::Error::new(format!("Give one of these arguments: {names}."))
}

fn channel_lookup(api: Api) -> Field {
    let field = Field::new("channel", TypeRef::named("Channel"), move |ctx| {
        FieldFuture::new(async move {
            let platform = &shared(&ctx).platform;
            let by_name = match api {
                Api::Graph => string_arg(&ctx, "streamerUsername"),
                Api::Legacy => string_arg(&ctx, "username"),
            };
            let channel = if let Some(id) = id_arg(&ctx, "id") {
                match id {
                    Some(id) => platform.channel(id).await.map_err(fail)?,
                    None => None,
                }
            } else if let Some(user_id) = id_arg(&ctx, "streamerId") {
                match user_id {
                    Some(user_id) => platform.channel_by_user(user_id).await.map_err(fail)?,
                    None => None,
                }
            } else if let Some(username) = by_name {
                shared(&ctx)
                    .platform
                    .channel_by_username_recent(username)
                    .await
                    .map_err(super::fail)?
            } else {
                return Err(no_arguments(match api {
                    Api::Graph => "id, streamerId or streamerUsername",
                    Api::Legacy => "id or username",
                }));
            };
            Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(TypeRef::ID)));
    match api {
        Api::Graph => field
            .argument(InputValue::new("streamerId", TypeRef::named(TypeRef::INT)))
            .argument(InputValue::new(
                "streamerUsername",
                TypeRef::named(TypeRef::STRING),
            )),
        Api::Legacy => field.argument(InputValue::new("username", TypeRef::named(TypeRef::STRING))),
    }
}

fn user_lookup(api: Api) -> Field {
    let id_type = match api {
        Api::Graph => TypeRef::INT,
        Api::Legacy => TypeRef::ID,
    };
    Field::new("user", TypeRef::named("User"), |ctx| {
        FieldFuture::new(async move {
            let platform = &shared(&ctx).platform;
            let user = if let Some(id) = id_arg(&ctx, "id") {
                match id {
                    Some(id) => platform.user(id).await.map_err(fail)?,
                    None => None,
                }
            } else if let Some(username) = string_arg(&ctx, "username") {
                platform.user_by_username(username).await.map_err(fail)?
            } else {
                return Err(no_arguments("id or username"));
            };
            Ok(user.map(|user| FieldValue::owned_any(UserNode::full(user))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(id_type)))
    .argument(InputValue::new("username", TypeRef::named(TypeRef::STRING)))
}

fn status_arg(ctx: &ResolverContext<'_>) -> async_graphql::Result<Option<LiveStatus>> {
    match ctx.args.get("status").filter(|value| !value.is_null()) {
        None => Ok(None),
        Some(value) => Ok(Some(match value.enum_name()? {
            "LIVE" => LiveStatus::Live,
            _ => LiveStatus::Offline,
        })),
    }
}

/// Channels, optionally only live or offline ones; `live_only` for the homepage.
fn channel_list(api: Api, name: &'static str, live_only: bool) -> Field {
    let field = Field::new(name, collection_type(api, "Channel"), move |ctx| {
        FieldFuture::new(async move {
            let status = if live_only {
                Some(LiveStatus::Live)
            } else {
                status_arg(&ctx)?
            };
            let platform = &shared(&ctx).platform;
            // An unknown category matches no channel (id -1 names none).
            let category = match string_arg(&ctx, "categorySlug") {
                Some(slug) => Some(
                    platform
                        .find_category(slug)
                        .await
                        .map_err(fail)?
                        .map_or(-1, |category| category.id),
                ),
                None => None,
            };
            collect(
                api,
                &ctx,
                || async { platform.channel_count(status, category).await.map_err(fail) },
                |window| async move {
                    let channels = platform
                        .channels_page(status, category, window.offset, window.limit)
                        .await
                        .map_err(fail)?;
                    Ok(channels
                        .into_iter()
                        .map(|channel| Box::new(ChannelNode::new(channel)) as Node)
                        .collect())
                },
            )
            .await
        })
    });
    let field = if live_only {
        field
    } else {
        field
            .argument(InputValue::new("status", TypeRef::named("ChannelStatus")))
            .argument(InputValue::new(
                "categorySlug",
                TypeRef::named(TypeRef::STRING),
            ))
    };
    paged(api, field)
}

fn users(api: Api) -> Field {
    paged(
        api,
        Field::new("users", collection_type(api, "User"), move |ctx| {
            FieldFuture::new(async move {
                let platform = &shared(&ctx).platform;
                collect(
                    api,
                    &ctx,
                    || async { platform.user_count().await.map_err(fail) },
                    |window| async move {
                        let users = platform
                            .users_page(window.offset, window.limit)
                            .await
                            .map_err(fail)?;
                        Ok(users
                            .into_iter()
                            .map(|user| Box::new(UserNode::full(user)) as Node)
                            .collect())
                    },
                )
                .await
            })
        }),
    )
}

fn myself() -> Field {
    Field::new("myself", TypeRef::named("User"), |ctx| {
        FieldFuture::new(async move {
            let user = caller(&ctx)
                .user
                .clone()
                .ok_or_else(|| async_graphql::Error::new(UNAUTHORIZED))?;
            Ok(Some(FieldValue::owned_any(UserNode::full(user))))
        })
    })
}

pub fn root(api: Api) -> Object {
    let mut query = Object::new("RootQueryType")
        .field(myself())
        .field(user_lookup(api))
        .field(users(api))
        .field(channel_lookup(api))
        .field(channel_list(api, "channels", false));
    if api == Api::Graph {
        query = query.field(channel_list(api, "homepageChannels", true));
    }
    community::query_fields(api, query)
}
