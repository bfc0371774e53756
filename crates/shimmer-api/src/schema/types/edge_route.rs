//! The `EdgeRoute` type: where a viewer plays a channel from; and the `watchChannel` mutation.
//!
//! Glimesh answered with one of its edge servers; Shimmer plays every channel over WHEP from
//! the server itself, so the route is this server's WHEP endpoint for the channel. Nothing is
//! recorded: the route is computed per request, which is why it has no id and its dates are the
//! moment it was asked for.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, Object, TypeRef};
use async_graphql::Value;

use super::naive_datetime;
use crate::schema::args::{required_id, required_id_argument};
use crate::schema::errors::{fail, not_found};
use crate::schema::fields::plain;
use crate::schema::shared;

pub const NAME: &str = "EdgeRoute";

/// An edge route as the resolvers see it.
struct EdgeRouteNode {
    hostname: String,
    url: String,
    at: i64,
}

pub fn object() -> Object {
    Object::new(NAME)
        .description("Where a viewer plays a channel from.")
        .field(plain!(
            "id",
            TypeRef::named(TypeRef::ID),
            EdgeRouteNode,
            |_e| Value::Null
        ))
        .field(plain!(
            "available",
            TypeRef::named(TypeRef::INT),
            EdgeRouteNode,
            |_e| Value::from(1)
        ))
        .field(plain!(
            "priority",
            TypeRef::named(TypeRef::INT),
            EdgeRouteNode,
            |_e| Value::from(0)
        ))
        .field(plain!(
            "countryCodes",
            TypeRef::named_list(TypeRef::STRING),
            EdgeRouteNode,
            |_e| Value::List(Vec::new())
        ))
        .field(plain!(
            "hostname",
            TypeRef::named(TypeRef::STRING),
            EdgeRouteNode,
            |e| Value::from(e.hostname.clone())
        ))
        .field(plain!(
            "url",
            TypeRef::named(TypeRef::STRING),
            EdgeRouteNode,
            |e| Value::from(e.url.clone())
        ))
        .field(naive_datetime::field("insertedAt", |e: &EdgeRouteNode| {
            e.at
        }))
        .field(naive_datetime::field("updatedAt", |e: &EdgeRouteNode| e.at))
}

/// Whether `country` is an ISO 3166-1 alpha-2 code's shape, as Glimesh's clients send.
fn valid_country(country: &str) -> bool {
    country.len() == 2 && country.bytes().all(|byte| byte.is_ascii_alphabetic())
}

/// The host (and port) of a base URL such as `https://shimmer.example:8443/`.
fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// The `watchChannel` mutation.
pub fn watch_channel() -> Field {
    Field::new("watchChannel", TypeRef::named(NAME), |ctx| {
        FieldFuture::new(async move {
            let channel_id = required_id(&ctx, "channelId")?;
            let country = ctx.args.try_get("country")?.string()?;
            if !valid_country(country) {
                return Err(async_graphql::Error::new(
                    "country must be a two-letter country code, such as US.",
                ));
            }
            let platform = &shared(&ctx).platform;
            platform
                .channel(channel_id)
                .await
                .map_err(fail)?
                .ok_or_else(not_found)?;
            let base_url = platform.settings.base_url.trim_end_matches('/');
            Ok(Some(FieldValue::owned_any(EdgeRouteNode {
                hostname: host_of(base_url).to_owned(),
                url: format!("{base_url}/api/whep/{channel_id}"),
                at: shimmer_platform::now_ms(),
            })))
        })
    })
    .argument(required_id_argument("channelId"))
    .argument(InputValue::new(
        "country",
        TypeRef::named_nn(TypeRef::STRING),
    ))
}

#[cfg(test)]
mod tests {
    use super::{host_of, valid_country};

    #[test]
    fn countries_are_two_letters() {
        assert!(valid_country("US"));
        assert!(valid_country("nl"));
        assert!(!valid_country("USA"));
        assert!(!valid_country(""));
        assert!(!valid_country("1A"));
    }

    #[test]
    fn hosts_come_from_the_base_url() {
        assert_eq!(
            host_of("https://shimmer.example:8443"),
            "shimmer.example:8443"
        );
        assert_eq!(host_of("http://127.0.0.1:80/x"), "127.0.0.1:80");
    }
}
