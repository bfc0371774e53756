//! Reading arguments, the same way in every field: ids given as numbers or numeric strings,
//! optional strings, the channel a subscription is limited to, and the error a lookup given
//! none of its arguments answers.

use async_graphql::dynamic::{InputValue, ResolverContext, TypeRef};
use async_graphql::Value;

use super::errors::not_found;

/// An argument that names something by id: absent (or null), or present with the integer it
/// holds (`None` when it is not an integer, which can match nothing).
pub fn id_arg(ctx: &ResolverContext<'_>, name: &str) -> Option<Option<i64>> {
    let value = ctx.args.get(name).filter(|value| !value.is_null())?;
    Some(match value.as_value() {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A required `ID!` argument that must name a row.
pub fn required_id(ctx: &ResolverContext<'_>, name: &str) -> async_graphql::Result<i64> {
    id_arg(ctx, name).flatten().ok_or_else(not_found)
}

/// The declaration of a required `ID!` argument.
pub fn required_id_argument(name: &str) -> InputValue {
    InputValue::new(name, TypeRef::named_nn(TypeRef::ID))
}

/// A string argument, when present and not null.
pub fn string_arg<'b>(ctx: &'b ResolverContext<'_>, name: &str) -> Option<&'b str> {
    ctx.args
        .get(name)
        .filter(|value| !value.is_null())
        .and_then(|value| value.string().ok())
}

/// The error of a lookup given none of the arguments it takes.
pub fn no_arguments(names: &str) -> async_graphql::Error {
    async_graphql::Error::new(format!("Give one of these arguments: {names}."))
}

/// The channel (or streamer) a subscription is limited to: `Ok(None)` for all, `Err` when the
/// argument names nothing (such a subscription can never fire, so it is refused).
pub fn scope_arg(ctx: &ResolverContext<'_>, name: &str) -> async_graphql::Result<Option<i64>> {
    match id_arg(ctx, name) {
        None => Ok(None),
        Some(Some(id)) => Ok(Some(id)),
        Some(None) => Err(async_graphql::Error::new(format!(
            "`{name}` must be a numeric id."
        ))),
    }
}

/// Whether an event about `id` reaches a subscription limited by [`scope_arg`] to `wanted`.
pub fn in_scope(wanted: Option<i64>, id: i64) -> bool {
    wanted.is_none_or(|wanted| wanted == id)
}
