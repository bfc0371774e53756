//! The two GraphQL schemas: the current API (`/api/graph`, Relay connections) and the legacy
//! API (`/api`, plain lists and its own argument names). Both are built from the same type
//! modules ([`types`], one per GraphQL type) and root types ([`root`]); [`Api`] says where they
//! differ. They are built once at start-up.
//!
//! What every type shares lives beside them: reading arguments ([`args`]), errors in Glimesh's
//! words ([`errors`]), connections and lists ([`connection`]), the field macros and value
//! conversions ([`fields`]) and the batched avatar reads ([`avatars`]).

mod args;
pub(crate) mod avatars;
mod connection;
mod errors;
mod fields;
mod root;
mod types;

use std::sync::Arc;

use async_graphql::dynamic::{ResolverContext, Schema, SchemaBuilder, SchemaError};
use shimmer_images::LiveThumbnails;
use shimmer_platform::Platform;

use crate::auth::Caller;
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

/// Builds one API's schema.
pub fn build(api: Api, shared: Shared, limits: DocumentLimits) -> Result<Schema, SchemaError> {
    all_types(api)
        .data(shared)
        .extension(crate::execute::MarkExecuted)
        .limit_complexity(limits.max_complexity)
        .limit_depth(limits.max_depth)
        .finish()
}

/// Every type of one API's schema, without the data its resolvers need.
fn all_types(api: Api) -> SchemaBuilder {
    let builder = Schema::build(
        root::query::NAME,
        Some(root::mutation::NAME),
        Some(root::subscription::NAME),
    )
    .register(root::query::object(api))
    .register(root::mutation::object(api))
    .register(root::subscription::object())
    .enable_uploading();
    types::register(api, builder)
}

#[cfg(test)]
mod tests {
    use super::{all_types, Api};

    /// Each API's schema, as SDL, is the checked-in snapshot in `crates/shimmer-api/schema/`:
    /// a change to a name, type, argument, description or field order shows in review as a
    /// change to that file. `SHIMMER_BLESS_SCHEMA=1` rewrites the snapshots after an intended
    /// change.
    #[test]
    fn schemas_match_their_snapshots() {
        for api in [Api::Graph, Api::Legacy] {
            let sdl = all_types(api).finish().expect("the schema builds").sdl();
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
