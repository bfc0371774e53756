//! The two GraphQL schemas: the current API (`/api/graph`, Relay connections) and the legacy
//! API (`/api`, plain lists and its own argument names). Both are built from the same type
//! builders and resolvers; [`Api`] says where they differ. They are built once at start-up.

pub(crate) mod avatars;
mod community;
mod connection;
mod mutations;
pub(crate) mod nodes;
mod query;
mod stream_metadata;
mod stream_thumbnail;
mod subscriptions;
mod types;
mod watch;

use std::sync::Arc;

use async_graphql::dynamic::{ResolverContext, Schema, SchemaBuilder, SchemaError};
use shimmer_platform::{Platform, PlatformError};
use shimmer_thumbnail::LiveThumbnails;

use crate::auth::{Caller, UNAUTHORIZED};
use crate::events::EventHub;

/// Which API generation a schema serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// `/api/graph`: Glimesh's current API.
    Graph,
    /// `/api`: Glimesh's first API, still used by most third-party clients.
    Legacy,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graph => "graph",
            Self::Legacy => "legacy",
        }
    }
}

/// What every resolver can reach, stored in the schema.
pub struct Shared {
    pub platform: Platform,
    pub events: Arc<EventHub>,
    /// The live thumbnails the website serves (`uploadStreamThumbnail` writes them).
    pub thumbnails: Arc<LiveThumbnails>,
}

/// The avatar of users who have not uploaded one: a path, as the legacy `avatar` field gave.
pub const DEFAULT_AVATAR: &str = "/static/favicon.svg";

/// Limits against expensive documents.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_complexity: usize,
    pub max_depth: usize,
}

pub fn shared<'a>(ctx: &ResolverContext<'a>) -> &'a Shared {
    ctx.data_unchecked::<Shared>()
}

pub fn caller<'a>(ctx: &ResolverContext<'a>) -> &'a Caller {
    ctx.data_unchecked::<Caller>()
}

/// A domain refusal as a GraphQL error. Server faults are logged and not described.
pub fn fail(error: PlatformError) -> async_graphql::Error {
    match error {
        PlatformError::Forbidden | PlatformError::Unauthenticated => {
            async_graphql::Error::new(UNAUTHORIZED)
        }
        PlatformError::NotFound(_) => async_graphql::Error::new("Could not find resource"),
        error if error.is_internal() => {
            tracing::error!(%error, "an API operation failed");
            async_graphql::Error::new("Something went wrong on our side. Try again later.")
        }
        error => async_graphql::Error::new(error.to_string()),
    }
}

/// A field computed from its parent without waiting.
macro_rules! plain {
    ($name:expr, $ty:expr, $node_type:ty, |$node:ident| $body:expr) => {
        async_graphql::dynamic::Field::new($name, $ty, move |ctx| {
            async_graphql::dynamic::FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<$node_type>()
                    .map(|$node: &$node_type| -> async_graphql::Value { $body }),
            )
        })
    };
}

/// A field resolved asynchronously from its parent; the body gives
/// `async_graphql::Result<Option<FieldValue>>`.
macro_rules! resolve {
    ($name:expr, $ty:expr, $node_type:ty, |$ctx:ident, $node:ident| $body:expr) => {
        async_graphql::dynamic::Field::new($name, $ty, move |$ctx| {
            async_graphql::dynamic::FieldFuture::new(async move {
                let $node: &$node_type = $ctx.parent_value.try_downcast_ref::<$node_type>()?;
                $body
            })
        })
    };
}

pub(crate) use {plain, resolve};

/// Builds one API's schema.
pub fn build(api: Api, shared: Shared, limits: DocumentLimits) -> Result<Schema, SchemaError> {
    types(api)
        .data(shared)
        .extension(crate::execute::MarkExecuted)
        .limit_complexity(limits.max_complexity)
        .limit_depth(limits.max_depth)
        .finish()
}

/// Every type of one API's schema, without the data its resolvers need.
fn types(api: Api) -> SchemaBuilder {
    let (datetime, status) = types::scalars_and_enums();
    let (token, token_types) = types::chat_tokens();
    let mut builder = Schema::build(
        "RootQueryType",
        Some("RootMutationType"),
        Some("RootSubscriptionType"),
    )
    .register(query::root(api))
    .register(mutations::root(api))
    .register(subscriptions::root())
    .register(datetime)
    .register(status)
    .register(token)
    .register(types::user(api))
    .register(types::user_social())
    .register(types::channel(api))
    .register(types::stream(api))
    .register(stream_metadata::object())
    .register(watch::edge_route())
    .register(types::chat_message())
    .register(types::chat_metadata())
    .register(types::moderation_log())
    .register(types::moderation_event())
    .register(types::messages_deleted())
    .register(types::moderator())
    .register(types::ban())
    .enable_uploading();
    for input in mutations::input_types() {
        builder = builder.register(input);
    }
    for object in token_types {
        builder = builder.register(object);
    }
    for object in community::types(api) {
        builder = builder.register(object);
    }
    if api == Api::Graph {
        builder = builder.register(connection::page_info_type());
        for node in [
            "User",
            "Channel",
            "ChatMessage",
            "ChannelModerator",
            "ChannelBan",
            "ChannelModerationLog",
            "Stream",
            "StreamMetadata",
        ]
        .into_iter()
        .chain(community::connection_nodes())
        {
            for object in connection::connection_types(node) {
                builder = builder.register(object);
            }
        }
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::{types, Api};

    /// Each API's schema, as SDL, is the checked-in snapshot in `crates/shimmer-api/schema/`:
    /// a change to a name, type, argument, description or field order shows in review as a
    /// change to that file. `SHIMMER_BLESS_SCHEMA=1` rewrites the snapshots after an intended
    /// change.
    #[test]
    fn schemas_match_their_snapshots() {
        for api in [Api::Graph, Api::Legacy] {
            let sdl = types(api).finish().expect("the schema builds").sdl();
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("schema")
                .join(format!("{}.graphql", api.as_str()));
            if std::env::var_os("SHIMMER_BLESS_SCHEMA").is_some() {
                std::fs::write(&path, &sdl).expect("the snapshot is writable");
                continue;
            }
            let snapshot = std::fs::read_to_string(&path).expect("the snapshot exists");
            let first_difference = sdl
                .lines()
                .zip(snapshot.lines())
                .position(|(built, kept)| built != kept)
                .unwrap_or_else(|| sdl.lines().count().min(snapshot.lines().count()));
            assert!(
                sdl == snapshot,
                "the {} schema differs from {} from line {}; if the change is intended, run the \
                 test with SHIMMER_BLESS_SCHEMA=1 and review the diff",
                api.as_str(),
                path.display(),
                first_difference + 1
            );
        }
    }
}
