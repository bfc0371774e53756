//! Relay connections for `/api/graph` and plain lists for the legacy `/api`, over one way of
//! fetching a window of rows. Connections default to 100 items and never return more than 1000;
//! `count` is the number of edges returned and `totalCount` the number of rows in all.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use base64::Engine;

use shimmer_platform::PlatformError;

use super::errors::fail;
use super::fields::Resolved;
use super::Api;

pub const DEFAULT_PAGE: i64 = 100;
pub const MAX_PAGE: i64 = 1000;

/// The name of the `PageInfo` type every connection shares.
pub const PAGE_INFO: &str = "PageInfo";

pub type Node = Box<dyn Any + Send + Sync>;

/// A window of rows: where it starts in the whole list, and how long it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: i64,
    pub limit: i64,
}

/// The `first`/`last`/`after`/`before` arguments of a connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageArgs {
    first: Option<i64>,
    last: Option<i64>,
    after: Option<i64>,
    before: Option<i64>,
}

/// The name of the connection type of `node`.
fn connection_name(node: &str) -> String {
    format!("{node}Connection")
}

/// The name of the edge type of `node`.
fn edge_name(node: &str) -> String {
    format!("{node}Edge")
}

fn cursor(index: i64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("arrayconnection:{index}"))
}

fn parse_cursor(cursor: &str) -> async_graphql::Result<i64> {
    base64::engine::general_purpose::STANDARD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("arrayconnection:")?.parse().ok())
        .filter(|index: &i64| *index >= 0)
        .ok_or_else(|| async_graphql::Error::new("That cursor is not one this API gave out."))
}

impl PageArgs {
    pub fn from_ctx(ctx: &ResolverContext<'_>) -> async_graphql::Result<Self> {
        let count = |name: &str| -> async_graphql::Result<Option<i64>> {
            match ctx.args.get(name).filter(|value| !value.is_null()) {
                None => Ok(None),
                Some(value) => {
                    let count = value.i64()?;
                    if count < 0 {
                        Err(async_graphql::Error::new(format!(
                            "`{name}` cannot be negative."
                        )))
                    } else {
                        Ok(Some(count.min(MAX_PAGE)))
                    }
                }
            }
        };
        let position = |name: &str| -> async_graphql::Result<Option<i64>> {
            match ctx.args.get(name).filter(|value| !value.is_null()) {
                None => Ok(None),
                Some(value) => parse_cursor(value.string()?).map(Some),
            }
        };
        Ok(Self {
            first: count("first")?,
            last: count("last")?,
            after: position("after")?,
            before: position("before")?,
        })
    }

    /// The rows to return out of `total`.
    pub fn window(&self, total: i64) -> Window {
        let mut start = self.after.map_or(0, |after| after + 1).min(total);
        let mut end = self.before.unwrap_or(total).clamp(start, total);
        match (self.first, self.last) {
            (Some(first), _) => end = end.min(start + first),
            (None, Some(last)) => start = start.max(end - last),
            (None, None) => end = end.min(start + DEFAULT_PAGE),
        }
        if let (Some(_), Some(last)) = (self.first, self.last) {
            start = start.max(end - last);
        }
        Window {
            offset: start,
            limit: (end - start).clamp(0, MAX_PAGE),
        }
    }
}

/// One page of a connection, as the connection's resolvers see it.
pub struct Page {
    nodes: Vec<Arc<dyn Any + Send + Sync>>,
    offset: i64,
    total: i64,
}

struct Edge {
    index: i64,
    node: Arc<dyn Any + Send + Sync>,
}

struct PageInfo {
    start: Option<i64>,
    end: Option<i64>,
    has_next: bool,
    has_previous: bool,
}

/// Adds the paging arguments to a connection field (the legacy API's lists take none).
pub fn paged(api: Api, field: Field) -> Field {
    match api {
        Api::Legacy => field,
        Api::Graph => field
            .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)))
            .argument(InputValue::new("before", TypeRef::named(TypeRef::STRING)))
            .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)))
            .argument(InputValue::new("last", TypeRef::named(TypeRef::INT))),
    }
}

/// The type of a collection of `node`: a `<node>Connection`, or a list in the legacy API.
pub fn collection_type(api: Api, node: &str) -> TypeRef {
    match api {
        Api::Graph => TypeRef::named(connection_name(node)),
        Api::Legacy => TypeRef::named_list(node),
    }
}

/// Fetches the requested window (the first 1000 rows for a legacy list) and shapes it.
pub async fn collect<Count, Fetch, CountFut, FetchFut>(
    api: Api,
    ctx: &ResolverContext<'_>,
    count: Count,
    fetch: Fetch,
) -> Resolved
where
    Count: FnOnce() -> CountFut,
    CountFut: Future<Output = async_graphql::Result<i64>>,
    Fetch: FnOnce(Window) -> FetchFut,
    FetchFut: Future<Output = async_graphql::Result<Vec<Node>>>,
{
    match api {
        Api::Legacy => {
            let nodes = fetch(Window {
                offset: 0,
                limit: MAX_PAGE,
            })
            .await?;
            Ok(Some(FieldValue::list(
                nodes.into_iter().map(FieldValue::boxed_any),
            )))
        }
        Api::Graph => {
            let args = PageArgs::from_ctx(ctx)?;
            let total = count().await?;
            let window = args.window(total);
            let nodes = if window.limit == 0 {
                Vec::new()
            } else {
                fetch(window).await?
            };
            Ok(Some(FieldValue::owned_any(Page {
                nodes: nodes.into_iter().map(Arc::from).collect(),
                offset: window.offset,
                total,
            })))
        }
    }
}

/// A collection the domain counts (`count`) and reads a window of (`fetch`), each row shown
/// as the node `node` makes.
pub async fn rows<T, Count, Fetch, CountFut, FetchFut>(
    api: Api,
    ctx: &ResolverContext<'_>,
    count: Count,
    fetch: Fetch,
    node: impl Fn(T) -> Node,
) -> Resolved
where
    Count: FnOnce() -> CountFut,
    CountFut: Future<Output = Result<i64, PlatformError>>,
    Fetch: FnOnce(Window) -> FetchFut,
    FetchFut: Future<Output = Result<Vec<T>, PlatformError>>,
{
    collect(
        api,
        ctx,
        || async { count().await.map_err(fail) },
        |window| async move {
            let rows = fetch(window).await.map_err(fail)?;
            Ok(rows.into_iter().map(node).collect())
        },
    )
    .await
}

/// A collection already read into memory, windowed as the arguments ask.
pub async fn in_memory<T>(
    api: Api,
    ctx: &ResolverContext<'_>,
    items: Vec<T>,
    node: impl Fn(T) -> Node,
) -> Resolved {
    let total = items.len() as i64;
    collect(
        api,
        ctx,
        || async move { Ok(total) },
        |window| async move {
            Ok(items
                .into_iter()
                .skip(window.offset.max(0) as usize)
                .take(window.limit.max(0) as usize)
                .map(node)
                .collect())
        },
    )
    .await
}

/// The `<node>Connection` and `<node>Edge` types.
pub fn connection_types(node: &str) -> [Object; 2] {
    let connection = Object::new(connection_name(node))
        .field(Field::new("count", TypeRef::named(TypeRef::INT), |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<Page>()
                    .map(|page| Value::from(page.nodes.len() as i64)),
            )
        }))
        .field(Field::new(
            "totalCount",
            TypeRef::named(TypeRef::INT),
            |ctx| {
                FieldFuture::from_value(
                    ctx.parent_value
                        .downcast_ref::<Page>()
                        .map(|page| Value::from(page.total)),
                )
            },
        ))
        .field(Field::new(
            "edges",
            TypeRef::named_list(edge_name(node)),
            |ctx| {
                FieldFuture::new(async move {
                    let page = ctx.parent_value.try_downcast_ref::<Page>()?;
                    Ok(Some(FieldValue::list(page.nodes.iter().enumerate().map(
                        |(index, node)| {
                            FieldValue::owned_any(Edge {
                                index: page.offset + index as i64,
                                node: node.clone(),
                            })
                        },
                    ))))
                })
            },
        ))
        .field(Field::new(
            "pageInfo",
            TypeRef::named_nn(PAGE_INFO),
            |ctx| {
                FieldFuture::new(async move {
                    let page = ctx.parent_value.try_downcast_ref::<Page>()?;
                    let len = page.nodes.len() as i64;
                    Ok(Some(FieldValue::owned_any(PageInfo {
                        start: (len > 0).then_some(page.offset),
                        end: (len > 0).then_some(page.offset + len - 1),
                        has_next: page.offset + len < page.total,
                        has_previous: page.offset > 0,
                    })))
                })
            },
        ));
    let edge = Object::new(edge_name(node))
        .field(Field::new(
            "cursor",
            TypeRef::named(TypeRef::STRING),
            |ctx| {
                FieldFuture::from_value(
                    ctx.parent_value
                        .downcast_ref::<Edge>()
                        .map(|edge| Value::from(cursor(edge.index))),
                )
            },
        ))
        .field(Field::new("node", TypeRef::named(node), |ctx| {
            FieldFuture::new(async move {
                let edge = ctx.parent_value.try_downcast_ref::<Edge>()?;
                Ok(Some(FieldValue::borrowed_any(&*edge.node)))
            })
        }));
    [connection, edge]
}

/// The shared `PageInfo` type.
pub fn page_info_type() -> Object {
    let cursor_field = |name: &str, pick: fn(&PageInfo) -> Option<i64>| {
        Field::new(name, TypeRef::named(TypeRef::STRING), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<PageInfo>()
                    .map(|info| pick(info).map_or(Value::Null, |index| Value::from(cursor(index)))),
            )
        })
    };
    let flag_field = |name: &str, pick: fn(&PageInfo) -> bool| {
        Field::new(name, TypeRef::named_nn(TypeRef::BOOLEAN), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<PageInfo>()
                    .map(|info| Value::from(pick(info))),
            )
        })
    };
    Object::new(PAGE_INFO)
        .field(cursor_field("startCursor", |info| info.start))
        .field(cursor_field("endCursor", |info| info.end))
        .field(flag_field("hasNextPage", |info| info.has_next))
        .field(flag_field("hasPreviousPage", |info| info.has_previous))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        first: Option<i64>,
        last: Option<i64>,
        after: Option<i64>,
        before: Option<i64>,
    ) -> PageArgs {
        PageArgs {
            first,
            last,
            after,
            before,
        }
    }

    #[test]
    fn windows_follow_relay_rules() {
        let window = |a: PageArgs, total| {
            let w = a.window(total);
            (w.offset, w.limit)
        };
        assert_eq!(window(args(None, None, None, None), 250), (0, 100));
        assert_eq!(window(args(Some(10), None, None, None), 250), (0, 10));
        assert_eq!(window(args(Some(10), None, Some(9), None), 250), (10, 10));
        assert_eq!(window(args(None, Some(5), None, None), 250), (245, 5));
        assert_eq!(window(args(None, Some(5), None, Some(20)), 250), (15, 5));
        assert_eq!(
            window(args(Some(5000), None, None, None), 5000),
            (0, 5000.min(MAX_PAGE))
        );
        assert_eq!(window(args(Some(10), None, Some(300), None), 250), (250, 0));
        assert_eq!(window(args(None, None, None, None), 0), (0, 0));
    }

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(parse_cursor(&cursor(42)).unwrap(), 42);
        assert!(parse_cursor("nonsense").is_err());
        assert!(parse_cursor(&base64::engine::general_purpose::STANDARD.encode("x:1")).is_err());
    }
}
