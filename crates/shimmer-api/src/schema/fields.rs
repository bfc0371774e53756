//! How the type modules write their fields: the `plain!` and `resolve!` field macros, fields
//! that always answer null, and the conversions every type uses (ids as strings, optional
//! values, objects for nested resolvers).

use std::any::Any;

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, TypeRef};
use async_graphql::Value;

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

/// What a resolver answers: a value or node, null, or an error.
pub type Resolved = async_graphql::Result<Option<FieldValue<'static>>>;

/// A field Glimesh had and Shimmer has nothing for: it always answers null.
pub fn absent(name: &str, ty: TypeRef) -> Field {
    Field::new(name, ty, |_| FieldFuture::from_value(None))
}

/// An id as Glimesh gave it: the number as a string.
pub fn id(value: i64) -> Value {
    Value::from(value.to_string())
}

/// A value, or null.
pub fn opt<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

/// A node that nested fields resolve from.
pub fn nested<T: Any + Send + Sync>(value: T) -> Option<FieldValue<'static>> {
    Some(FieldValue::owned_any(value))
}
