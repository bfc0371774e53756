//! The `ChannelModerator` type: a channel moderator and what they may do.

use async_graphql::dynamic::{Field, FieldFuture, Object, ResolverContext, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::{Moderator, ModeratorPermissions};

use super::{channel, user};
use crate::schema::connection::{in_memory, Node};
use crate::schema::errors::fail;
use crate::schema::fields::{id, plain, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "ChannelModerator";

struct ModeratorNode {
    channel_id: i64,
    moderator: Moderator,
}

pub fn object() -> Object {
    let permission = |name: &str, pick: fn(&ModeratorPermissions) -> bool| {
        Field::new(name, TypeRef::named(TypeRef::BOOLEAN), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<ModeratorNode>()
                    .map(|m| Value::from(pick(&m.moderator.permissions))),
            )
        })
    };
    Object::new(NAME)
        .description("A channel moderator and what they may do.")
        .field(plain!(
            "id",
            TypeRef::named_nn(TypeRef::ID),
            ModeratorNode,
            |m| id(m.moderator.user_id)
        ))
        .field(permission("canShortTimeout", |p| p.short_timeout))
        .field(permission("canLongTimeout", |p| p.long_timeout))
        .field(permission("canUnTimeout", |p| p.unban))
        .field(permission("canBan", |p| p.ban))
        .field(permission("canUnban", |p| p.unban))
        .field(permission("canDelete", |p| p.delete))
        .field(channel::field(|m: &ModeratorNode| m.channel_id))
        .field(user::field(
            "user",
            TypeRef::named_nn(user::NAME),
            |m: &ModeratorNode| Some(m.moderator.user_id),
        ))
}

/// `Channel.moderators`. The legacy API answered every client, as Glimesh did (chat badges
/// show who moderates anyway); the current API keeps the list to the channel's managers.
pub async fn of_channel(api: Api, ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let platform = &shared(ctx).platform;
    let moderators = match api {
        Api::Legacy => platform.public_moderators(channel_id).await,
        Api::Graph => {
            let actor = caller(ctx).signed_in()?;
            platform.moderators(actor, channel_id).await
        }
    }
    .map_err(fail)?;
    in_memory(api, ctx, moderators, |moderator| {
        Box::new(ModeratorNode {
            channel_id,
            moderator,
        }) as Node
    })
    .await
}
