//! The `NaiveDateTime` scalar: a time as Glimesh clients parse it.

use std::any::Any;

use async_graphql::dynamic::{Field, FieldFuture, Scalar, TypeRef};
use async_graphql::Value;

pub const NAME: &str = "NaiveDateTime";

pub fn scalar() -> Scalar {
    Scalar::new(NAME)
        .description("A date and time in UTC without a zone, as ISO 8601 (`2021-03-21T19:32:21`).")
}

/// A time given in milliseconds since the epoch, as naive ISO 8601 in UTC, whole seconds, no
/// zone; null if it is out of range.
pub fn value(ms: i64) -> Value {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| at.format(&format).ok())
        .map_or(Value::Null, Value::from)
}

/// A `NaiveDateTime!` field of a node of type `N`, from the time `at` picks.
pub fn field<N: Any + Send + Sync>(
    name: &str,
    at: impl Fn(&N) -> i64 + Send + Sync + 'static,
) -> Field {
    Field::new(name, TypeRef::named_nn(NAME), move |ctx| {
        FieldFuture::from_value(
            ctx.parent_value
                .downcast_ref::<N>()
                .map(|node| value(at(node))),
        )
    })
}

/// A nullable `NaiveDateTime` field of a node of type `N`: null where `at` gives no time.
pub fn optional_field<N: Any + Send + Sync>(
    name: &str,
    at: impl Fn(&N) -> Option<i64> + Send + Sync + 'static,
) -> Field {
    Field::new(name, TypeRef::named(NAME), move |ctx| {
        FieldFuture::from_value(
            ctx.parent_value
                .downcast_ref::<N>()
                .map(|node| at(node).map_or(Value::Null, value)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_naive_and_whole_seconds() {
        assert_eq!(value(1_616_355_141_999), Value::from("2021-03-21T19:32:21"));
    }
}
