//! The `ChannelModerationLog` type: a moderation action taken in a channel; and the
//! moderation mutations (`shortTimeoutUser`, `longTimeoutUser`, `banUser`, `unbanUser`,
//! `deleteMessage`, `deleteChatMessage`), which answer with the entry they logged.

use async_graphql::dynamic::{Field, FieldFuture, Object, ResolverContext, TypeRef};
use async_graphql::Value;
use shimmer_platform::chat::{Moderated, ModerationKind};
use shimmer_platform::oauth::Scope;
use shimmer_platform::views::ModerationLogEntry;
use shimmer_platform::Platform;

use super::{channel, naive_datetime, user};
use crate::schema::args::{required_id, required_id_argument};
use crate::schema::connection::{in_memory, Node};
use crate::schema::errors::fail;
use crate::schema::fields::{id, nested, opt, plain, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "ChannelModerationLog";

/// A moderation log entry, or a moderation event as it happens (see `ModerationEvent`).
pub struct LogNode {
    pub id: Option<i64>,
    pub channel_id: i64,
    pub moderator_id: i64,
    pub user_id: Option<i64>,
    pub action: String,
    pub expires_at: Option<i64>,
    pub at: i64,
}

impl LogNode {
    /// The entry a moderation mutation by `moderator_id` has just written.
    fn written(channel_id: i64, moderator_id: i64, action: &str, outcome: Moderated) -> Self {
        Self {
            id: Some(outcome.log_id),
            channel_id,
            moderator_id,
            user_id: outcome.target_user_id,
            action: action.to_owned(),
            expires_at: outcome.expires_at,
            at: shimmer_platform::now_ms(),
        }
    }
}

pub fn object() -> Object {
    let log = Object::new(NAME)
        .description("A moderation action taken in a channel.")
        .field(plain!("id", TypeRef::named_nn(TypeRef::ID), LogNode, |l| {
            opt(l.id.map(id))
        }))
        .field(plain!(
            "action",
            TypeRef::named(TypeRef::STRING),
            LogNode,
            |l| Value::from(l.action.clone())
        ))
        .field(naive_datetime::field("insertedAt", |l: &LogNode| l.at))
        .field(naive_datetime::field("updatedAt", |l: &LogNode| l.at));
    with_parties(log, TypeRef::named_nn(user::NAME))
}

/// Adds the channel, moderator and user fields of a log entry or event; `user` is of type
/// `user_type` (an event may concern no user).
pub fn with_parties(object: Object, user_type: TypeRef) -> Object {
    object
        .field(channel::field(|l: &LogNode| l.channel_id))
        .field(user::field(
            "moderator",
            TypeRef::named_nn(user::NAME),
            |l: &LogNode| Some(l.moderator_id),
        ))
        .field(user::field("user", user_type, |l: &LogNode| l.user_id))
}

/// `Channel.moderationLogs`: the channel's moderation log, for those who manage it.
pub async fn of_channel(api: Api, ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let actor = caller(ctx).signed_in()?;
    let platform = &shared(ctx).platform;
    let entries = platform
        .moderation_log(actor, channel_id)
        .await
        .map_err(fail)?;
    let mut logs = Vec::with_capacity(entries.len());
    for entry in entries {
        logs.push(from_entry(platform, channel_id, entry).await?);
    }
    in_memory(api, ctx, logs, |log| Box::new(log) as Node).await
}

/// A moderation log entry names its users; the API shows them as users.
async fn from_entry(
    platform: &Platform,
    channel_id: i64,
    entry: ModerationLogEntry,
) -> async_graphql::Result<LogNode> {
    let id_of = |name: Option<String>| async move {
        Ok::<_, async_graphql::Error>(match name {
            Some(name) => platform
                .user_by_username(&name)
                .await
                .map_err(fail)?
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

/// A mutation that times out, bans or unbans a user in a channel.
pub fn moderate(name: &'static str, kind: ModerationKind) -> Field {
    Field::new(name, TypeRef::named(NAME), move |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::Chat)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let user_id = required_id(&ctx, "userId")?;
            let outcome = shared(&ctx)
                .platform
                .moderate_user_logged(actor, channel_id, user_id, kind)
                .await
                .map_err(fail)?;
            Ok(nested(LogNode::written(
                channel_id,
                actor.id,
                kind.as_str(),
                outcome,
            )))
        })
    })
    .argument(required_id_argument("channelId"))
    .argument(required_id_argument("userId"))
}

/// A mutation that deletes one chat message (`deleteMessage`, the legacy name, which one
/// client also sends to the current API, or `deleteChatMessage`).
pub fn delete_message(name: &'static str) -> Field {
    Field::new(name, TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let actor = caller(&ctx).user_with(Scope::Chat)?;
            let channel_id = required_id(&ctx, "channelId")?;
            let message_id = required_id(&ctx, "messageId")?;
            let outcome = shared(&ctx)
                .platform
                .delete_chat_message_logged(actor, channel_id, message_id)
                .await
                .map_err(fail)?;
            // A deletion ends nothing, whatever the outcome says of expiry.
            let outcome = Moderated {
                expires_at: None,
                ..outcome
            };
            Ok(nested(LogNode::written(
                channel_id,
                actor.id,
                "delete_message",
                outcome,
            )))
        })
    })
    .argument(required_id_argument("channelId"))
    .argument(required_id_argument("messageId"))
}
