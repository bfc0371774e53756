//! The object types both schemas share. Where the legacy API differs (plain lists instead of
//! connections, a few old fields such as `User.avatar` and `Stream.avgViewers`), the builders
//! take the [`Api`] they build for.

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, FieldValue, Interface, InterfaceField, Object, Scalar, TypeRef,
};
use async_graphql::Value;
use shimmer_bus::chat::{Badge, ChatToken};

use super::avatars::Avatars;
use super::connection::{collect, collection_type, paged, Node};
use super::nodes::{
    fail_store, naive_datetime, user_by_id, BanNode, ChannelNode, HiddenNode, LogNode, MessageNode,
    MetadataNode, ModeratorNode, StreamNode, TokenNode, UserNode,
};
use super::{caller, fail, plain, resolve, shared, Api};
use crate::auth::UNAUTHORIZED;
use shimmer_platform::oauth::Scope;

const STRING: &str = TypeRef::STRING;
const INT: &str = TypeRef::INT;
const BOOLEAN: &str = TypeRef::BOOLEAN;
const ID: &str = TypeRef::ID;
const DATETIME: &str = "NaiveDateTime";

fn id(value: i64) -> Value {
    Value::from(value.to_string())
}

fn opt<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

fn object<T: std::any::Any + Send + Sync>(value: T) -> Option<FieldValue<'static>> {
    Some(FieldValue::owned_any(value))
}

pub fn scalars_and_enums() -> (Scalar, Enum) {
    (
        Scalar::new(DATETIME).description(
            "A date and time in UTC without a zone, as ISO 8601 (`2021-03-21T19:32:21`).",
        ),
        Enum::new("ChannelStatus")
            .description("Whether a channel is streaming now.")
            .item("LIVE")
            .item("OFFLINE"),
    )
}

pub fn user(api: Api) -> Object {
    let absent = |name: &str, ty: &str| {
        Field::new(name, TypeRef::named(ty), |_| FieldFuture::from_value(None))
    };
    let mut user = Object::new("User")
        .description("A user of Shimmer: a streamer, a viewer or both.")
        .field(plain!("id", TypeRef::named_nn(ID), UserNode, |u| id(u.id)))
        .field(plain!(
            "username",
            TypeRef::named_nn(STRING),
            UserNode,
            |u| Value::from(u.username.to_lowercase())
        ))
        .field(plain!(
            "displayname",
            TypeRef::named_nn(STRING),
            UserNode,
            |u| Value::from(u.display_name.clone())
        ))
        .field(resolve!(
            "avatarUrl",
            TypeRef::named(STRING),
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
            TypeRef::named(STRING),
            UserNode,
            |ctx, u| {
                let path = u.avatar(ctx.data::<Avatars>()?).await?;
                Ok(Some(FieldValue::value(path.to_owned())))
            }
        ))
        .field(resolve!(
            "email",
            TypeRef::named(STRING),
            UserNode,
            |ctx, u| {
                let me = caller(&ctx).user_with(Scope::Email)?;
                if me.id != u.id {
                    return Err(async_graphql::Error::new(UNAUTHORIZED));
                }
                Ok(Some(FieldValue::value(me.email.clone())))
            }
        ))
        .field(resolve!(
            "confirmedAt",
            TypeRef::named(DATETIME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(opt(user
                    .email_confirmed_at
                    .map(naive_datetime)))))
            }
        ))
        .field(resolve!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(naive_datetime(user.created_at))))
            }
        ))
        .field(resolve!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            UserNode,
            |ctx, u| {
                let user = u.load(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(naive_datetime(user.updated_at))))
            }
        ))
        .field(resolve!(
            "channel",
            TypeRef::named("Channel"),
            UserNode,
            |ctx, u| {
                let channel = shared(&ctx)
                    .platform
                    .store
                    .channel_by_user(u.id)
                    .await
                    .map_err(fail_store)?;
                Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
            }
        ))
        .field(Field::new(
            "socials",
            TypeRef::named_list("UserSocial"),
            |_| FieldFuture::new(async { Ok(Some(FieldValue::list(Vec::<FieldValue>::new()))) }),
        ))
        .field(plain!(
            "profileContentMd",
            TypeRef::named(STRING),
            UserNode,
            |_u| Value::from("")
        ))
        .field(plain!(
            "profileContentHtml",
            TypeRef::named(STRING),
            UserNode,
            |_u| Value::from("")
        ))
        .field(plain!(
            "allowGlimeshNewsletterEmails",
            TypeRef::named_nn(BOOLEAN),
            UserNode,
            |_u| Value::from(false)
        ))
        .field(plain!(
            "allowLiveSubscriptionEmails",
            TypeRef::named_nn(BOOLEAN),
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
        user = user.field(absent(name, STRING));
    }
    super::community::user_fields(api, user)
}

pub fn user_social() -> Object {
    let absent = |name: &str, ty: TypeRef| Field::new(name, ty, |_| FieldFuture::from_value(None));
    Object::new("UserSocial")
        .description("A linked social account (Shimmer links none yet).")
        .field(absent("id", TypeRef::named_nn(ID)))
        .field(absent("identifier", TypeRef::named(STRING)))
        .field(absent("insertedAt", TypeRef::named_nn(DATETIME)))
        .field(absent("updatedAt", TypeRef::named_nn(DATETIME)))
        .field(absent("platform", TypeRef::named(STRING)))
        .field(absent("username", TypeRef::named(STRING)))
}

fn status(channel: &ChannelNode) -> Value {
    Value::Enum(async_graphql::Name::new(if channel.channel.is_live() {
        "LIVE"
    } else {
        "OFFLINE"
    }))
}

pub fn channel(api: Api) -> Object {
    let chat_flag = |name: &str, pick: fn(&shimmer_store::ChatSettings) -> Value| {
        Field::new(name, TypeRef::named(BOOLEAN), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                let settings = node.chat_settings(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(pick(settings))))
            })
        })
    };
    let mut channel = Object::new("Channel")
        .description("A user's container for live streaming.")
        .field(plain!("id", TypeRef::named(ID), ChannelNode, |c| id(c
            .channel
            .id)))
        .field(plain!("title", TypeRef::named(STRING), ChannelNode, |c| {
            Value::from(c.channel.title.clone())
        }))
        .field(plain!(
            "status",
            TypeRef::named("ChannelStatus"),
            ChannelNode,
            |c| status(c)
        ))
        .field(plain!(
            "language",
            TypeRef::named(STRING),
            ChannelNode,
            |c| Value::from(c.channel.language.clone())
        ))
        .field(plain!(
            "matureContent",
            TypeRef::named(BOOLEAN),
            ChannelNode,
            |c| Value::from(c.channel.mature)
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            ChannelNode,
            |c| naive_datetime(c.channel.created_at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            ChannelNode,
            |c| naive_datetime(c.channel.updated_at)
        ))
        .field(plain!(
            "inaccessible",
            TypeRef::named(BOOLEAN),
            ChannelNode,
            |_c| Value::from(false)
        ))
        .field(plain!(
            "showOnHomepage",
            TypeRef::named(BOOLEAN),
            ChannelNode,
            |_c| Value::from(true)
        ))
        .field(plain!(
            "chatRulesMd",
            TypeRef::named(STRING),
            ChannelNode,
            |_c| Value::from("")
        ))
        .field(plain!(
            "chatRulesHtml",
            TypeRef::named(STRING),
            ChannelNode,
            |_c| Value::from("")
        ))
        .field(plain!(
            "chatBgUrl",
            TypeRef::named(STRING),
            ChannelNode,
            |_c| Value::Null
        ))
        .field(plain!(
            "posterUrl",
            TypeRef::named(STRING),
            ChannelNode,
            |_c| Value::Null
        ))
        .field(chat_flag("blockLinks", |s| Value::from(s.block_links)))
        .field(chat_flag("disableHyperlinks", |s| {
            Value::from(!s.links_clickable)
        }))
        .field(chat_flag("requireConfirmedEmail", |s| {
            Value::from(s.require_verified_email)
        }))
        .field(chat_flag("showRecentChatMessagesOnly", |s| {
            Value::from(s.recent_only)
        }))
        .field(chat_flag("minimumAccountAge", |s| {
            Value::from(s.min_account_age_hours)
        }))
        .field(resolve!(
            "streamer",
            TypeRef::named_nn("User"),
            ChannelNode,
            |_ctx, c| Ok(object(c.streamer()))
        ))
        .field(resolve!(
            "stream",
            TypeRef::named("Stream"),
            ChannelNode,
            |ctx, c| {
                let Some(stream_id) = c.channel.current_stream_id else {
                    return Ok(FieldValue::NONE);
                };
                let stream = shared(&ctx)
                    .platform
                    .store
                    .stream_by_id(stream_id)
                    .await
                    .map_err(fail_store)?;
                Ok(stream.map(|stream| FieldValue::owned_any(StreamNode(stream))))
            }
        ))
        .field(resolve!(
            "streamKey",
            TypeRef::named(STRING),
            ChannelNode,
            |ctx, c| {
                caller(&ctx).require_ingest()?;
                Ok(Some(FieldValue::value(c.channel.stream_key())))
            }
        ))
        .field(resolve!(
            "hmacKey",
            TypeRef::named(STRING),
            ChannelNode,
            |ctx, c| {
                caller(&ctx).require_ingest()?;
                Ok(Some(FieldValue::value(c.channel.stream_key_secret.clone())))
            }
        ))
        .field(paged(
            api,
            Field::new(
                "chatMessages",
                collection_type(api, "ChatMessage"),
                move |ctx| {
                    FieldFuture::new(async move {
                        let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                        let store = &shared(&ctx).platform.store;
                        let channel_id = node.channel.id;
                        collect(
                            api,
                            &ctx,
                            || async {
                                store
                                    .count_chat_messages(channel_id)
                                    .await
                                    .map_err(fail_store)
                            },
                            |window| async move {
                                let rows = store
                                    .chat_messages_page(channel_id, window.offset, window.limit)
                                    .await
                                    .map_err(fail_store)?;
                                Ok(rows
                                    .into_iter()
                                    .map(|row| {
                                        Box::new(MessageNode(
                                            shimmer_platform::chat::message_from_row(row),
                                        )) as Node
                                    })
                                    .collect())
                            },
                        )
                        .await
                    })
                },
            ),
        ))
        .field(paged(
            api,
            Field::new("streams", collection_type(api, "Stream"), move |ctx| {
                FieldFuture::new(async move {
                    let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                    let store = &shared(&ctx).platform.store;
                    let channel_id = node.channel.id;
                    collect(
                        api,
                        &ctx,
                        || async {
                            store
                                .count_streams_of_channel(channel_id)
                                .await
                                .map_err(fail_store)
                        },
                        |window| async move {
                            let rows = store
                                .streams_of_channel_page(channel_id, window.offset, window.limit)
                                .await
                                .map_err(fail_store)?;
                            Ok(rows
                                .into_iter()
                                .map(|stream| Box::new(StreamNode(stream)) as Node)
                                .collect())
                        },
                    )
                    .await
                })
            }),
        ))
        .field(paged(
            api,
            Field::new(
                "moderators",
                collection_type(api, "ChannelModerator"),
                move |ctx| {
                    FieldFuture::new(async move {
                        let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                        let channel_id = node.channel.id;
                        let platform = &shared(&ctx).platform;
                        // The legacy API answered every client, as Glimesh did (chat badges
                        // show who moderates anyway); the current API keeps the list to the
                        // channel's managers.
                        let moderators = match api {
                            Api::Legacy => platform.public_moderators(channel_id).await,
                            Api::Graph => {
                                let actor = caller(&ctx)
                                    .user
                                    .as_ref()
                                    .ok_or_else(|| async_graphql::Error::new(UNAUTHORIZED))?;
                                platform.moderators(actor, channel_id).await
                            }
                        }
                        .map_err(fail)?;
                        let total = moderators.len() as i64;
                        collect(
                            api,
                            &ctx,
                            || async move { Ok(total) },
                            |window| async move {
                                Ok(window_of(moderators, window)
                                    .map(|moderator| {
                                        Box::new(ModeratorNode {
                                            channel_id,
                                            moderator,
                                        }) as Node
                                    })
                                    .collect())
                            },
                        )
                        .await
                    })
                },
            ),
        ))
        .field(paged(
            api,
            Field::new("bans", collection_type(api, "ChannelBan"), move |ctx| {
                FieldFuture::new(async move {
                    let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                    let actor = caller(&ctx)
                        .user
                        .as_ref()
                        .ok_or_else(|| async_graphql::Error::new(UNAUTHORIZED))?;
                    let channel_id = node.channel.id;
                    let bans = shared(&ctx)
                        .platform
                        .channel_bans(actor, channel_id)
                        .await
                        .map_err(fail)?;
                    let total = bans.len() as i64;
                    collect(
                        api,
                        &ctx,
                        || async move { Ok(total) },
                        |window| async move {
                            Ok(window_of(bans, window)
                                .map(|ban| Box::new(BanNode { channel_id, ban }) as Node)
                                .collect())
                        },
                    )
                    .await
                })
            }),
        ))
        .field(paged(
            api,
            Field::new(
                "moderationLogs",
                collection_type(api, "ChannelModerationLog"),
                move |ctx| {
                    FieldFuture::new(async move {
                        let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                        let actor = caller(&ctx)
                            .user
                            .as_ref()
                            .ok_or_else(|| async_graphql::Error::new(UNAUTHORIZED))?;
                        let channel_id = node.channel.id;
                        let platform = &shared(&ctx).platform;
                        let entries = platform
                            .moderation_log(actor, channel_id)
                            .await
                            .map_err(fail)?;
                        let mut logs = Vec::with_capacity(entries.len());
                        for entry in entries {
                            logs.push(log_from_entry(platform, channel_id, entry).await?);
                        }
                        let total = logs.len() as i64;
                        collect(
                            api,
                            &ctx,
                            || async move { Ok(total) },
                            |window| async move {
                                Ok(window_of(logs, window)
                                    .map(|log| Box::new(log) as Node)
                                    .collect())
                            },
                        )
                        .await
                    })
                },
            ),
        ));
    if api == Api::Legacy {
        channel = channel.field(plain!(
            "thumbnail",
            TypeRef::named(STRING),
            ChannelNode,
            |_c| Value::Null
        ));
    }
    super::community::channel_fields(api, channel)
}

/// The rows of an in-memory list that a window selects.
fn window_of<T>(items: Vec<T>, window: super::connection::Window) -> impl Iterator<Item = T> {
    items
        .into_iter()
        .skip(window.offset.max(0) as usize)
        .take(window.limit.max(0) as usize)
}

/// A moderation log entry names its users; the API shows them as users.
async fn log_from_entry(
    platform: &shimmer_platform::Platform,
    channel_id: i64,
    entry: shimmer_store::ModerationLogEntry,
) -> async_graphql::Result<LogNode> {
    let id_of = |name: Option<String>| async move {
        Ok::<_, async_graphql::Error>(match name {
            Some(name) => platform
                .store
                .user_by_username(&name)
                .await
                .map_err(fail_store)?
                .map(|user| user.id),
            None => None,
        })
    };
    Ok(LogNode {
        id: Some(entry.id),
        channel_id,
        moderator_id: id_of(entry.moderator).await?.unwrap_or_default(),
        user_id: id_of(entry.target).await?,
        action: entry.action,
        expires_at: None,
        at: entry.created_at,
    })
}

pub fn stream(api: Api) -> Object {
    let mut stream = Object::new("Stream")
        .description("One broadcast of a channel, live now or in the past.")
        .field(plain!("id", TypeRef::named(ID), StreamNode, |s| id(s.0.id)))
        .field(plain!("title", TypeRef::named(STRING), StreamNode, |s| {
            Value::from(s.0.title.clone())
        }))
        .field(plain!(
            "startedAt",
            TypeRef::named_nn(DATETIME),
            StreamNode,
            |s| naive_datetime(s.0.started_at)
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            StreamNode,
            |s| naive_datetime(s.0.started_at)
        ))
        .field(plain!(
            "endedAt",
            TypeRef::named(DATETIME),
            StreamNode,
            |s| opt(s.0.ended_at.map(naive_datetime))
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            StreamNode,
            |s| naive_datetime(s.0.ended_at.unwrap_or(s.0.started_at))
        ))
        .field(live_thumbnail_url("thumbnailUrl"))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            StreamNode,
            |ctx, s| {
                let channel = shared(&ctx)
                    .platform
                    .store
                    .channel_by_id(s.0.channel_id)
                    .await
                    .map_err(fail_store)?;
                Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
            }
        ));
    if api == Api::Legacy {
        for name in [
            "avgViewers",
            "avgChatters",
            "countChatters",
            "newSubscribers",
            "peakChatters",
            "resubSubscribers",
        ] {
            stream = stream.field(plain!(name, TypeRef::named(INT), StreamNode, |_s| {
                Value::from(0)
            }));
        }
        stream = stream.field(live_thumbnail_url("thumbnail"));
    }
    super::community::stream_fields(stream.field(super::stream_metadata::field(api)))
}

/// The URL of a live stream's card picture (the latest frame or uploaded thumbnail, else the
/// poster or placeholder while none has come yet); null once the stream has ended, since an
/// ended stream's pictures are not kept.
fn live_thumbnail_url(name: &'static str) -> async_graphql::dynamic::Field {
    async_graphql::dynamic::Field::new(name, TypeRef::named(STRING), |ctx| {
        let url = ctx
            .parent_value
            .downcast_ref::<StreamNode>()
            .filter(|s| s.0.ended_at.is_none())
            .map(|s| {
                Value::from(format!(
                    "{}/channels/{}/thumbnail/832.jpg",
                    shared(&ctx)
                        .platform
                        .settings
                        .base_url
                        .trim_end_matches('/'),
                    s.0.channel_id
                ))
            });
        async_graphql::dynamic::FieldFuture::from_value(url)
    })
}

pub fn chat_message() -> Object {
    Object::new("ChatMessage")
        .description("A chat message sent to a channel by a user.")
        .field(plain!("id", TypeRef::named_nn(ID), MessageNode, |m| id(m
            .0
            .id)))
        .field(plain!(
            "message",
            TypeRef::named(STRING),
            MessageNode,
            |m| Value::from(m.text())
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            MessageNode,
            |m| naive_datetime(m.0.created_at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            MessageNode,
            |m| naive_datetime(m.0.created_at)
        ))
        .field(plain!(
            "isFollowedMessage",
            TypeRef::named(BOOLEAN),
            MessageNode,
            |_m| Value::from(false)
        ))
        .field(plain!(
            "isSubscriptionMessage",
            TypeRef::named(BOOLEAN),
            MessageNode,
            |_m| Value::from(false)
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn("User"),
            MessageNode,
            |_ctx, m| Ok(object(m.author()))
        ))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            MessageNode,
            |ctx, m| {
                let channel = shared(&ctx)
                    .platform
                    .store
                    .channel_by_id(m.0.channel_id)
                    .await
                    .map_err(fail_store)?;
                Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
            }
        ))
        .field(resolve!(
            "tokens",
            TypeRef::named_list("ChatMessageToken"),
            MessageNode,
            |_ctx, m| {
                Ok(Some(FieldValue::list(m.0.tokens.iter().map(|token| {
                    let node = TokenNode(token.clone());
                    let type_name = node.type_name();
                    FieldValue::owned_any(node).with_type(type_name)
                }))))
            }
        ))
        .field(resolve!(
            "metadata",
            TypeRef::named("ChatMessageMetadata"),
            MessageNode,
            |_ctx, m| Ok(object(MetadataNode(m.0.badges.clone())))
        ))
}

pub fn chat_metadata() -> Object {
    let badge = |name: &str, badge: Option<Badge>| {
        Field::new(name, TypeRef::named(BOOLEAN), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<MetadataNode>()
                    .map(|m| Value::from(badge.is_some_and(|badge| m.0.contains(&badge)))),
            )
        })
    };
    Object::new("ChatMessageMetadata")
        .description("The roles the author held when the message was sent.")
        .field(badge("admin", Some(Badge::Staff)))
        .field(badge("streamer", Some(Badge::Streamer)))
        .field(badge("moderator", Some(Badge::Moderator)))
        .field(badge("subscriber", Some(Badge::Subscriber)))
        .field(badge("platformFounderSubscriber", None))
        .field(badge("platformSupporterSubscriber", None))
}

fn token_text(token: &TokenNode) -> Value {
    match &token.0 {
        ChatToken::Text { text } | ChatToken::Link { text, .. } | ChatToken::Emote { text, .. } => {
            Value::from(text.clone())
        }
    }
}

fn token_type(token: &TokenNode) -> Value {
    Value::from(match token.0 {
        ChatToken::Text { .. } => "text",
        ChatToken::Link { .. } => "url",
        ChatToken::Emote { .. } => "emote",
    })
}

pub fn chat_tokens() -> (Interface, [Object; 3]) {
    let interface = Interface::new("ChatMessageToken")
        .description("A piece of a chat message: text, a link or an emote.")
        .field(InterfaceField::new("text", TypeRef::named(STRING)))
        .field(InterfaceField::new("type", TypeRef::named(STRING)));
    let base = |name: &str| {
        Object::new(name)
            .implement("ChatMessageToken")
            .field(plain!("text", TypeRef::named(STRING), TokenNode, |t| {
                token_text(t)
            }))
            .field(plain!("type", TypeRef::named(STRING), TokenNode, |t| {
                token_type(t)
            }))
    };
    let url = |t: &TokenNode| match &t.0 {
        ChatToken::Link { url, .. } => Value::from(url.clone()),
        _ => Value::Null,
    };
    let src = |ctx: &async_graphql::dynamic::ResolverContext<'_>, t: &TokenNode| match &t.0 {
        ChatToken::Emote { src, .. } => {
            Value::from(format!("{}{src}", shared(ctx).platform.settings.base_url))
        }
        _ => Value::Null,
    };
    (
        interface,
        [
            base("TextToken"),
            base("UrlToken").field(plain!("url", TypeRef::named(STRING), TokenNode, |t| url(t))),
            base("EmoteToken")
                .field(Field::new("src", TypeRef::named(STRING), move |ctx| {
                    FieldFuture::from_value(
                        ctx.parent_value
                            .downcast_ref::<TokenNode>()
                            .map(|t| src(&ctx, t)),
                    )
                }))
                .field(Field::new("url", TypeRef::named(STRING), move |ctx| {
                    FieldFuture::from_value(
                        ctx.parent_value
                            .downcast_ref::<TokenNode>()
                            .map(|t| src(&ctx, t)),
                    )
                })),
        ],
    )
}

async fn user_field(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    match id {
        Some(id) => Ok(user_by_id(&shared(ctx).platform, id)
            .await?
            .map(FieldValue::owned_any)),
        None => Ok(None),
    }
}

async fn channel_field(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    channel_id: i64,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    let channel = shared(ctx)
        .platform
        .store
        .channel_by_id(channel_id)
        .await
        .map_err(fail_store)?;
    Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
}

pub fn moderation_log() -> Object {
    Object::new("ChannelModerationLog")
        .description("A moderation action taken in a channel.")
        .field(plain!("id", TypeRef::named_nn(ID), LogNode, |l| opt(l
            .id
            .map(id))))
        .field(plain!("action", TypeRef::named(STRING), LogNode, |l| {
            Value::from(l.action.clone())
        }))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            LogNode,
            |l| naive_datetime(l.at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            LogNode,
            |l| naive_datetime(l.at)
        ))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            LogNode,
            |ctx, l| channel_field(&ctx, l.channel_id).await
        ))
        .field(resolve!(
            "moderator",
            TypeRef::named_nn("User"),
            LogNode,
            |ctx, l| user_field(&ctx, Some(l.moderator_id)).await
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn("User"),
            LogNode,
            |ctx, l| user_field(&ctx, l.user_id).await
        ))
}

/// The typed moderation event pushed by the `moderationAction` subscription.
pub fn moderation_event() -> Object {
    Object::new("ModerationEvent")
        .description(
            "A timeout, ban, unban or message deletion, as it happens. `expiresAt` is when a \
             timeout ends.",
        )
        .field(plain!("action", TypeRef::named_nn(STRING), LogNode, |l| {
            Value::from(l.action.clone())
        }))
        .field(plain!(
            "expiresAt",
            TypeRef::named(DATETIME),
            LogNode,
            |l| opt(l.expires_at.map(naive_datetime))
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            LogNode,
            |l| naive_datetime(l.at)
        ))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            LogNode,
            |ctx, l| channel_field(&ctx, l.channel_id).await
        ))
        .field(resolve!(
            "moderator",
            TypeRef::named_nn("User"),
            LogNode,
            |ctx, l| user_field(&ctx, Some(l.moderator_id)).await
        ))
        .field(resolve!(
            "user",
            TypeRef::named("User"),
            LogNode,
            |ctx, l| user_field(&ctx, l.user_id).await
        ))
}

/// The typed event pushed by the `chatMessagesDeleted` subscription.
pub fn messages_deleted() -> Object {
    Object::new("ChatMessagesDeleted")
        .description(
            "Messages removed from a chat: one deleted by a moderator, or every message of `user` \
             after a timeout or ban. Remove exactly these.",
        )
        .field(plain!(
            "messageIds",
            TypeRef::named_nn_list_nn(ID),
            HiddenNode,
            |h| Value::List(h.message_ids.iter().map(|message| id(*message)).collect())
        ))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            HiddenNode,
            |ctx, h| channel_field(&ctx, h.channel_id).await
        ))
        .field(resolve!(
            "user",
            TypeRef::named("User"),
            HiddenNode,
            |ctx, h| user_field(&ctx, h.user_id).await
        ))
}

pub fn moderator() -> Object {
    let permission = |name: &str, pick: fn(&shimmer_store::ModeratorPermissions) -> bool| {
        Field::new(name, TypeRef::named(BOOLEAN), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<ModeratorNode>()
                    .map(|m| Value::from(pick(&m.moderator.permissions))),
            )
        })
    };
    Object::new("ChannelModerator")
        .description("A channel moderator and what they may do.")
        .field(plain!("id", TypeRef::named_nn(ID), ModeratorNode, |m| id(
            m.moderator.user_id
        )))
        .field(permission("canShortTimeout", |p| p.short_timeout))
        .field(permission("canLongTimeout", |p| p.long_timeout))
        .field(permission("canUnTimeout", |p| p.unban))
        .field(permission("canBan", |p| p.ban))
        .field(permission("canUnban", |p| p.unban))
        .field(permission("canDelete", |p| p.delete))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            ModeratorNode,
            |ctx, m| channel_field(&ctx, m.channel_id).await
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn("User"),
            ModeratorNode,
            |ctx, m| user_field(&ctx, Some(m.moderator.user_id)).await
        ))
}

pub fn ban() -> Object {
    Object::new("ChannelBan")
        .description("A ban (no expiry) or timeout in force in a channel.")
        .field(plain!("id", TypeRef::named_nn(ID), BanNode, |b| {
            Value::from(format!("{}-{}", b.ban.user_id, b.ban.created_at))
        }))
        .field(plain!(
            "expiresAt",
            TypeRef::named(DATETIME),
            BanNode,
            |b| opt(b.ban.expires_at.map(naive_datetime))
        ))
        .field(plain!(
            "insertedAt",
            TypeRef::named_nn(DATETIME),
            BanNode,
            |b| naive_datetime(b.ban.created_at)
        ))
        .field(plain!(
            "updatedAt",
            TypeRef::named_nn(DATETIME),
            BanNode,
            |b| naive_datetime(b.ban.created_at)
        ))
        .field(plain!("reason", TypeRef::named(STRING), BanNode, |_b| {
            Value::Null
        }))
        .field(resolve!(
            "channel",
            TypeRef::named_nn("Channel"),
            BanNode,
            |ctx, b| channel_field(&ctx, b.channel_id).await
        ))
        .field(resolve!(
            "user",
            TypeRef::named_nn("User"),
            BanNode,
            |ctx, b| user_field(&ctx, Some(b.ban.user_id)).await
        ))
}
