//! The `RootMutationType` type: the mutations. Each checks the OAuth scope it needs (scopes
//! are the API's own notion); whether the user may act on the channel is the domain's decision.

use async_graphql::dynamic::Object;
use shimmer_platform::chat::ModerationKind;

use crate::schema::types::{
    channel, channel_moderation_log, chat_message, edge_route, follower, stream, stream_metadata,
};
use crate::schema::Api;

pub const NAME: &str = "RootMutationType";

pub fn object(api: Api) -> Object {
    use channel_moderation_log::{delete_message, moderate};
    let mutation = Object::new(NAME)
        .field(chat_message::create())
        .field(moderate("shortTimeoutUser", ModerationKind::ShortTimeout))
        .field(moderate("longTimeoutUser", ModerationKind::LongTimeout))
        .field(moderate("banUser", ModerationKind::Ban))
        .field(moderate("unbanUser", ModerationKind::Unban))
        // The legacy name, which one client also sends to the current API.
        .field(delete_message("deleteMessage"))
        .field(stream::upload_thumbnail());
    match api {
        Api::Legacy => mutation,
        Api::Graph => mutation
            .field(delete_message("deleteChatMessage"))
            .field(channel::update_stream_info())
            .field(stream::start())
            .field(stream::end())
            .field(stream_metadata::log())
            .field(edge_route::watch_channel())
            .field(follower::follow())
            .field(follower::unfollow()),
    }
}
