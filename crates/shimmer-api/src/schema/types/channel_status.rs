//! The `ChannelStatus` enum: whether a channel is streaming now.

use async_graphql::dynamic::{Enum, ResolverContext};
use async_graphql::{Name, Value};
use shimmer_platform::views::LiveStatus;
use shimmer_platform::ChannelView;

pub const NAME: &str = "ChannelStatus";

const LIVE: &str = "LIVE";
const OFFLINE: &str = "OFFLINE";

pub fn enumeration() -> Enum {
    Enum::new(NAME)
        .description("Whether a channel is streaming now.")
        .item(LIVE)
        .item(OFFLINE)
}

/// The status of `channel`.
pub fn of(channel: &ChannelView) -> Value {
    Value::Enum(Name::new(if channel.is_live() { LIVE } else { OFFLINE }))
}

/// The status an argument asks for, if it is given.
pub fn arg(ctx: &ResolverContext<'_>, name: &str) -> async_graphql::Result<Option<LiveStatus>> {
    match ctx.args.get(name).filter(|value| !value.is_null()) {
        None => Ok(None),
        Some(value) => Ok(Some(match value.enum_name()? {
            LIVE => LiveStatus::Live,
            _ => LiveStatus::Offline,
        })),
    }
}
