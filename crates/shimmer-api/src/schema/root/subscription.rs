//! The `RootSubscriptionType` type: the subscriptions, fed by the bus. A message sent through
//! either API, or the web chat, reaches subscribers of both; each subscription without its
//! argument hears every channel.

use async_graphql::dynamic::Subscription;

use crate::schema::types::{
    channel, chat_message, chat_messages_deleted, follower, moderation_event,
};

pub const NAME: &str = "RootSubscriptionType";

pub fn object() -> Subscription {
    Subscription::new(NAME)
        .field(chat_message::subscription())
        .field(channel::subscription())
        .field(moderation_event::subscription())
        .field(chat_messages_deleted::subscription())
        .field(follower::subscription())
}
