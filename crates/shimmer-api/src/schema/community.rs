//! Categories, tags and follows.

use async_graphql::dynamic::{FieldValue, Object, ResolverContext, Subscription};
use shimmer_store::LiveStatus;

use super::Api;

pub fn types(_api: Api) -> Vec<Object> {
    Vec::new()
}

pub fn connection_nodes() -> impl Iterator<Item = &'static str> {
    std::iter::empty()
}

pub fn user_fields(_api: Api, user: Object) -> Object {
    user
}

pub fn channel_fields(_api: Api, channel: Object) -> Object {
    channel
}

pub fn stream_fields(stream: Object) -> Object {
    stream
}

pub fn query_fields(_api: Api, query: Object) -> Object {
    query
}

pub fn mutation_fields(_api: Api, mutation: Object) -> Object {
    mutation
}

pub fn subscription_fields(subscription: Subscription) -> Subscription {
    subscription
}

pub async fn channels_in_category(
    _api: Api,
    _ctx: &ResolverContext<'_>,
    _slug: &str,
    _status: Option<LiveStatus>,
) -> async_graphql::Result<Option<FieldValue<'static>>> {
    Ok(None)
}
