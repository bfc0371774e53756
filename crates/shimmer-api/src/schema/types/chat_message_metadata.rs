//! The `ChatMessageMetadata` type: the roles a chat message's author held when it was sent.

use async_graphql::dynamic::{Field, FieldFuture, Object, TypeRef};
use async_graphql::Value;
use shimmer_bus::chat::Badge;

pub const NAME: &str = "ChatMessageMetadata";

/// The badges the message carries.
pub struct MetadataNode(pub Vec<Badge>);

pub fn object() -> Object {
    let badge = |name: &str, badge: Option<Badge>| {
        Field::new(name, TypeRef::named(TypeRef::BOOLEAN), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<MetadataNode>()
                    .map(|m| Value::from(badge.is_some_and(|badge| m.0.contains(&badge)))),
            )
        })
    };
    Object::new(NAME)
        .description("The roles the author held when the message was sent.")
        .field(badge("admin", Some(Badge::Staff)))
        .field(badge("streamer", Some(Badge::Streamer)))
        .field(badge("moderator", Some(Badge::Moderator)))
        .field(badge("subscriber", Some(Badge::Subscriber)))
        .field(badge(
            "platformFounderSubscriber",
            Some(Badge::PlatformFounder),
        ))
        .field(badge(
            "platformSupporterSubscriber",
            Some(Badge::PlatformSupporter),
        ))
}
