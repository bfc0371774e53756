//! The `RootQueryType` type: the queries. A lookup of something that does not exist answers
//! null without an error; a lookup given none of its arguments is an error that says which
//! ones it takes.

use async_graphql::dynamic::Object;

use crate::schema::types::{category, channel, follower, subscription, user};
use crate::schema::Api;

pub const NAME: &str = "RootQueryType";

pub fn object(api: Api) -> Object {
    let query = Object::new(NAME)
        .field(user::myself())
        .field(user::lookup(api))
        .field(user::list(api))
        .field(user::search())
        .field(channel::lookup(api))
        .field(channel::list(api, "channels", false));
    let query = match api {
        Api::Graph => query.field(channel::list(api, "homepageChannels", true)),
        Api::Legacy => query,
    };
    let query = query
        .field(follower::query(api))
        .field(category::list())
        .field(category::lookup());
    match api {
        Api::Graph => query,
        Api::Legacy => query.field(subscription::list()),
    }
}
