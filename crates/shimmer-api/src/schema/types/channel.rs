//! The `Channel` type: a user's container for live streaming; and the `channel`, `channels`
//! and `homepageChannels` queries, the `updateStreamInfo` mutation and the `channel`
//! subscription.

use std::any::Any;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, SubscriptionField,
    SubscriptionFieldFuture, TypeRef,
};
use async_graphql::Value;
use futures::StreamExt;
use shimmer_bus::Event;
use shimmer_platform::views::{ChatSettings, LiveStatus};
use shimmer_platform::{ChannelView, Platform};
use tokio::sync::OnceCell;

use super::user::{self, UserNode};
use super::{
    category, channel_ban, channel_moderation_log, channel_moderator, channel_status, chat_message,
    naive_datetime, stream, subcategory, tag,
};
use crate::events::filtered;
use crate::schema::args::{
    id_arg, in_scope, no_arguments, required_id, required_id_argument, scope_arg, string_arg,
};
use crate::schema::connection::{collection_type, paged, rows, Node};
use crate::schema::errors::{fail, not_found};
use crate::schema::fields::{id, nested, plain, resolve, Resolved};
use crate::schema::{caller, shared, Api};
use shimmer_platform::oauth::Scope;

pub const NAME: &str = "Channel";

/// A channel, with its chat settings read on first use.
struct ChannelNode {
    channel: ChannelView,
    chat: OnceCell<ChatSettings>,
}

impl ChannelNode {
    fn new(channel: ChannelView) -> Self {
        Self {
            channel,
            chat: OnceCell::new(),
        }
    }

    async fn chat_settings(&self, platform: &Platform) -> async_graphql::Result<&ChatSettings> {
        self.chat
            .get_or_try_init(|| async {
                platform.chat_settings(self.channel.id).await.map_err(fail)
            })
            .await
    }

    fn streamer(&self) -> UserNode {
        UserNode::named(
            self.channel.user_id,
            &self.channel.username,
            &self.channel.display_name,
        )
    }
}

/// The channel with this id, or null when there is none.
pub async fn by_id(ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let channel = shared(ctx)
        .platform
        .channel(channel_id)
        .await
        .map_err(fail)?;
    Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
}

/// The channel of the user with this id, or null when they have none.
pub async fn by_streamer(ctx: &ResolverContext<'_>, user_id: i64) -> Resolved {
    let channel = shared(ctx)
        .platform
        .channel_by_user(user_id)
        .await
        .map_err(fail)?;
    Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
}

/// The `channel: Channel!` field of a node of type `N`: the channel whose id `channel_id` picks.
pub fn field<N: Any + Send + Sync>(channel_id: fn(&N) -> i64) -> Field {
    Field::new("channel", TypeRef::named_nn(NAME), move |ctx| {
        FieldFuture::new(async move {
            let node = ctx.parent_value.try_downcast_ref::<N>()?;
            by_id(&ctx, channel_id(node)).await
        })
    })
}

pub fn object(api: Api) -> Object {
    let channel = Object::new(NAME).description("A user's container for live streaming.");
    let channel = collections(api, ingest(chat_settings(own_fields(channel))));
    let channel = match api {
        Api::Graph => channel,
        Api::Legacy => channel.field(plain!(
            "thumbnail",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |_c| Value::Null
        )),
    };
    placement(channel).field(
        resolve!(
            "hiddenFromDiscovery",
            TypeRef::named(TypeRef::BOOLEAN),
            ChannelNode,
            |ctx, c| {
                // Staff only, read with the streamer's `/staff` facts (audited like `User`'s staff
                // fields).
                let streamer = c.streamer();
                let facts = streamer.staff_facts(&ctx).await?;
                Ok(Some(FieldValue::value(facts.hidden_from_discovery)))
            }
        )
        .description("Staff only: whether the channel is kept off the directory and homepage."),
    )
}

/// What the channel row itself holds, and the fields Glimesh had that Shimmer answers with a
/// constant.
fn own_fields(channel: Object) -> Object {
    channel
        .field(plain!(
            "id",
            TypeRef::named(TypeRef::ID),
            ChannelNode,
            |c| id(c.channel.id)
        ))
        .field(plain!(
            "title",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |c| Value::from(c.channel.title.clone())
        ))
        .field(plain!(
            "status",
            TypeRef::named(channel_status::NAME),
            ChannelNode,
            |c| channel_status::of(&c.channel)
        ))
        .field(plain!(
            "language",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |c| Value::from(c.channel.language.clone())
        ))
        .field(plain!(
            "matureContent",
            TypeRef::named(TypeRef::BOOLEAN),
            ChannelNode,
            |c| Value::from(c.channel.mature)
        ))
        .field(naive_datetime::field("insertedAt", |c: &ChannelNode| {
            c.channel.created_at
        }))
        .field(naive_datetime::field("updatedAt", |c: &ChannelNode| {
            c.channel.updated_at
        }))
        .field(plain!(
            "inaccessible",
            TypeRef::named(TypeRef::BOOLEAN),
            ChannelNode,
            |_c| Value::from(false)
        ))
        .field(plain!(
            "showOnHomepage",
            TypeRef::named(TypeRef::BOOLEAN),
            ChannelNode,
            |_c| Value::from(true)
        ))
        .field(plain!(
            "chatRulesMd",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |_c| Value::from("")
        ))
        .field(plain!(
            "chatRulesHtml",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |_c| Value::from("")
        ))
        .field(plain!(
            "chatBgUrl",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |_c| Value::Null
        ))
        .field(plain!(
            "posterUrl",
            TypeRef::named(TypeRef::STRING),
            ChannelNode,
            |_c| Value::Null
        ))
}

/// The channel's chat settings, read once for all of these fields.
fn chat_settings(channel: Object) -> Object {
    let flag = |name: &str, pick: fn(&ChatSettings) -> Value| {
        Field::new(name, TypeRef::named(TypeRef::BOOLEAN), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                let settings = node.chat_settings(&shared(&ctx).platform).await?;
                Ok(Some(FieldValue::value(pick(settings))))
            })
        })
    };
    channel
        .field(flag("blockLinks", |s| Value::from(s.block_links)))
        .field(flag("disableHyperlinks", |s| {
            Value::from(!s.links_clickable)
        }))
        .field(flag("requireConfirmedEmail", |s| {
            Value::from(s.require_verified_email)
        }))
        .field(flag("showRecentChatMessagesOnly", |s| {
            Value::from(s.recent_only)
        }))
        .field(flag("minimumAccountAge", |s| {
            Value::from(s.min_account_age_hours)
        }))
}

/// The streamer, the stream live now, and the ingest credential's view of the stream key.
fn ingest(channel: Object) -> Object {
    let key = |name: &str, pick: fn(shimmer_platform::channels::IngestKey) -> String| {
        Field::new(name, TypeRef::named(TypeRef::STRING), move |ctx| {
            FieldFuture::new(async move {
                let node = ctx.parent_value.try_downcast_ref::<ChannelNode>()?;
                caller(&ctx).require_ingest()?;
                let key = shared(&ctx)
                    .platform
                    .ingest_stream_key(&caller(&ctx).grant, node.channel.id)
                    .await
                    .map_err(fail)?;
                Ok(Some(FieldValue::value(pick(key))))
            })
        })
    };
    channel
        .field(resolve!(
            "streamer",
            TypeRef::named_nn(user::NAME),
            ChannelNode,
            |_ctx, c| Ok(nested(c.streamer()))
        ))
        .field(resolve!(
            "stream",
            TypeRef::named(stream::NAME),
            ChannelNode,
            |ctx, c| match c.channel.current_stream_id {
                Some(stream_id) => stream::by_id(&ctx, stream_id).await,
                None => Ok(FieldValue::NONE),
            }
        ))
        .field(key("streamKey", |key| key.stream_key))
        .field(key("hmacKey", |key| key.hmac_key))
}

/// The channel's chat history, streams and moderation, each a connection (a plain list on the
/// legacy API) that the item's type reads.
fn collections(api: Api, channel: Object) -> Object {
    channel
        .field(paged(
            api,
            resolve!(
                "chatMessages",
                collection_type(api, chat_message::NAME),
                ChannelNode,
                |ctx, c| chat_message::of_channel(api, &ctx, c.channel.id).await
            ),
        ))
        .field(paged(
            api,
            resolve!(
                "streams",
                collection_type(api, stream::NAME),
                ChannelNode,
                |ctx, c| stream::of_channel(api, &ctx, c.channel.id).await
            ),
        ))
        .field(paged(
            api,
            resolve!(
                "moderators",
                collection_type(api, channel_moderator::NAME),
                ChannelNode,
                |ctx, c| channel_moderator::of_channel(api, &ctx, c.channel.id).await
            ),
        ))
        .field(paged(
            api,
            resolve!(
                "bans",
                collection_type(api, channel_ban::NAME),
                ChannelNode,
                |ctx, c| channel_ban::of_channel(api, &ctx, c.channel.id).await
            ),
        ))
        .field(paged(
            api,
            resolve!(
                "moderationLogs",
                collection_type(api, channel_moderation_log::NAME),
                ChannelNode,
                |ctx, c| channel_moderation_log::of_channel(api, &ctx, c.channel.id).await
            ),
        ))
}

/// Where the channel is listed: its category, subcategory and tags.
fn placement(channel: Object) -> Object {
    channel
        .field(resolve!(
            "category",
            TypeRef::named(category::NAME),
            ChannelNode,
            |ctx, c| category::of_channel(&ctx, c.channel.id).await
        ))
        .field(resolve!(
            "subcategory",
            TypeRef::named(subcategory::NAME),
            ChannelNode,
            |ctx, c| subcategory::of_channel(&ctx, c.channel.id).await
        ))
        .field(resolve!(
            "tags",
            TypeRef::named_list(tag::NAME),
            ChannelNode,
            |ctx, c| tag::of_channel(&ctx, c.channel.id).await
        ))
}

/// The `channel` query: one channel by id, streamer id or streamer's username (the legacy API
/// takes an id or a `username`).
pub fn lookup(api: Api) -> Field {
    let field = Field::new("channel", TypeRef::named(NAME), move |ctx| {
        FieldFuture::new(async move {
            let platform = &shared(&ctx).platform;
            let by_name = match api {
                Api::Graph => string_arg(&ctx, "streamerUsername"),
                Api::Legacy => string_arg(&ctx, "username"),
            };
            if let Some(id) = id_arg(&ctx, "id") {
                match id {
                    Some(id) => by_id(&ctx, id).await,
                    None => Ok(None),
                }
            } else if let Some(user_id) = id_arg(&ctx, "streamerId") {
                match user_id {
                    Some(user_id) => by_streamer(&ctx, user_id).await,
                    None => Ok(None),
                }
            } else if let Some(username) = by_name {
                let channel = platform
                    .channel_by_username_recent(username)
                    .await
                    .map_err(fail)?;
                Ok(channel.map(|channel| FieldValue::owned_any(ChannelNode::new(channel))))
            } else {
                Err(no_arguments(match api {
                    Api::Graph => "id, streamerId or streamerUsername",
                    Api::Legacy => "id or username",
                }))
            }
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

/// The `channels` query (optionally only live or offline ones, or one category's) and, with
/// `live_only`, the `homepageChannels` query.
pub fn list(api: Api, name: &'static str, live_only: bool) -> Field {
    let field = Field::new(name, collection_type(api, NAME), move |ctx| {
        FieldFuture::new(async move {
            let status = if live_only {
                Some(LiveStatus::Live)
            } else {
                channel_status::arg(&ctx, "status")?
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
            rows(
                api,
                &ctx,
                || platform.channel_count(status, category),
                |window| platform.channels_page(status, category, window.offset, window.limit),
                |channel| Box::new(ChannelNode::new(channel)) as Node,
            )
            .await
        })
    });
    let field = if live_only {
        field
    } else {
        field
            .argument(InputValue::new(
                "status",
                TypeRef::named(channel_status::NAME),
            ))
            .argument(InputValue::new(
                "categorySlug",
                TypeRef::named(TypeRef::STRING),
            ))
    };
    paged(api, field)
}

/// The `updateStreamInfo` mutation: sets the channel's title. Glimesh's mutation sets the
/// title only, so the channel keeps its tags.
pub fn update_stream_info() -> Field {
    Field::new("updateStreamInfo", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::StreamInfo)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let title = ctx.args.try_get("title")?.string()?;
            let platform = &shared(&ctx).platform;
            let tags: Vec<String> = platform
                .channel_category(channel_id)
                .await
                .map_err(fail)?
                .tags
                .into_iter()
                .map(|tag| tag.name)
                .collect();
            platform
                .edit_title_and_tags(actor, channel_id, title, &tags)
                .await
                .map_err(fail)?;
            let updated = platform
                .channel(channel_id)
                .await
                .map_err(fail)?
                .ok_or_else(not_found)?;
            Ok(Some(FieldValue::owned_any(ChannelNode::new(updated))))
        })
    })
    .argument(required_id_argument("channelId"))
    .argument(InputValue::new("title", TypeRef::named_nn(TypeRef::STRING)))
}

/// The `channel` subscription: a channel (or every channel) as it changes, goes live or ends
/// its stream.
pub fn subscription() -> SubscriptionField {
    SubscriptionField::new("channel", TypeRef::named(NAME), |ctx| {
        SubscriptionFieldFuture::new(async move {
            let wanted = scope_arg(&ctx, "id")?;
            let events = shared(&ctx).events.subscribe();
            let platform = shared(&ctx).platform.clone();
            Ok(filtered(events, move |event| match event {
                Event::ChannelUpdated { channel_id }
                | Event::StreamStarted { channel_id, .. }
                | Event::StreamEnded { channel_id, .. }
                    if in_scope(wanted, *channel_id) =>
                {
                    Some(*channel_id)
                }
                _ => None,
            })
            .filter_map(move |channel_id| {
                let platform = platform.clone();
                async move {
                    match platform.channel(channel_id).await {
                        Ok(channel) => channel,
                        Err(error) => {
                            tracing::error!(%error, channel_id, "could not load a channel for its subscribers");
                            None
                        }
                    }
                }
            })
            .map(|channel| Ok(FieldValue::owned_any(ChannelNode::new(channel)))))
        })
    })
    .argument(InputValue::new("id", TypeRef::named(TypeRef::ID)))
}
