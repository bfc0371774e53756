//! The `ChannelBan` type: a ban (no expiry) or timeout in force in a channel.

use async_graphql::dynamic::{Object, ResolverContext, TypeRef};
use async_graphql::Value;
use shimmer_platform::views::ChannelBan;

use super::{channel, naive_datetime, user};
use crate::schema::connection::{in_memory, Node};
use crate::schema::errors::fail;
use crate::schema::fields::{plain, Resolved};
use crate::schema::{caller, shared, Api};

pub const NAME: &str = "ChannelBan";

struct BanNode {
    channel_id: i64,
    ban: ChannelBan,
}

pub fn object() -> Object {
    Object::new(NAME)
        .description("A ban (no expiry) or timeout in force in a channel.")
        .field(plain!("id", TypeRef::named_nn(TypeRef::ID), BanNode, |b| {
            Value::from(format!("{}-{}", b.ban.user_id, b.ban.created_at))
        }))
        .field(naive_datetime::optional_field(
            "expiresAt",
            |b: &BanNode| b.ban.expires_at,
        ))
        .field(naive_datetime::field("insertedAt", |b: &BanNode| {
            b.ban.created_at
        }))
        .field(naive_datetime::field("updatedAt", |b: &BanNode| {
            b.ban.created_at
        }))
        .field(plain!(
            "reason",
            TypeRef::named(TypeRef::STRING),
            BanNode,
            |_b| Value::Null
        ))
        .field(channel::field(|b: &BanNode| b.channel_id))
        .field(user::field(
            "user",
            TypeRef::named_nn(user::NAME),
            |b: &BanNode| Some(b.ban.user_id),
        ))
}

/// `Channel.bans`: the bans and timeouts in force, for those who manage the channel.
pub async fn of_channel(api: Api, ctx: &ResolverContext<'_>, channel_id: i64) -> Resolved {
    let actor = caller(ctx).signed_in()?;
    let bans = shared(ctx)
        .platform
        .channel_bans(actor, channel_id)
        .await
        .map_err(fail)?;
    in_memory(api, ctx, bans, |ban| {
        Box::new(BanNode { channel_id, ban }) as Node
    })
    .await
}
