//! The `ChatMessageToken` interface: a piece of a chat message; and the types implementing it,
//! `TextToken`, `UrlToken` and `EmoteToken`.

use async_graphql::dynamic::{
    Field, FieldFuture, Interface, InterfaceField, Object, ResolverContext, TypeRef,
};
use async_graphql::Value;
use shimmer_bus::chat::ChatToken;

use crate::schema::fields::plain;
use crate::schema::shared;

pub const NAME: &str = "ChatMessageToken";

const TEXT_TOKEN: &str = "TextToken";
const URL_TOKEN: &str = "UrlToken";
const EMOTE_TOKEN: &str = "EmoteToken";

pub struct TokenNode(pub ChatToken);

impl TokenNode {
    /// The GraphQL type implementing `ChatMessageToken` for this token.
    pub fn type_name(&self) -> &'static str {
        match self.0 {
            ChatToken::Text { .. } => TEXT_TOKEN,
            ChatToken::Link { .. } => URL_TOKEN,
            ChatToken::Emote { .. } => EMOTE_TOKEN,
        }
    }

    fn text(&self) -> Value {
        match &self.0 {
            ChatToken::Text { text }
            | ChatToken::Link { text, .. }
            | ChatToken::Emote { text, .. } => Value::from(text.clone()),
        }
    }

    /// The token's kind as Glimesh named it in the `type` field.
    fn kind(&self) -> Value {
        Value::from(match self.0 {
            ChatToken::Text { .. } => "text",
            ChatToken::Link { .. } => "url",
            ChatToken::Emote { .. } => "emote",
        })
    }

    fn url(&self) -> Value {
        match &self.0 {
            ChatToken::Link { url, .. } => Value::from(url.clone()),
            _ => Value::Null,
        }
    }

    /// An emote's picture, as an absolute URL.
    fn src(&self, ctx: &ResolverContext<'_>) -> Value {
        match &self.0 {
            ChatToken::Emote { src, .. } => {
                Value::from(format!("{}{src}", shared(ctx).platform.settings.base_url))
            }
            _ => Value::Null,
        }
    }
}

pub fn interface() -> Interface {
    Interface::new(NAME)
        .description("A piece of a chat message: text, a link or an emote.")
        .field(InterfaceField::new("text", TypeRef::named(TypeRef::STRING)))
        .field(InterfaceField::new("type", TypeRef::named(TypeRef::STRING)))
}

/// The types implementing the interface.
pub fn objects() -> [Object; 3] {
    let base = |name: &str| {
        Object::new(name)
            .implement(NAME)
            .field(plain!(
                "text",
                TypeRef::named(TypeRef::STRING),
                TokenNode,
                |t| t.text()
            ))
            .field(plain!(
                "type",
                TypeRef::named(TypeRef::STRING),
                TokenNode,
                |t| t.kind()
            ))
    };
    let emote_src = |name: &str| {
        Field::new(name, TypeRef::named(TypeRef::STRING), move |ctx| {
            FieldFuture::from_value(
                ctx.parent_value
                    .downcast_ref::<TokenNode>()
                    .map(|t| t.src(&ctx)),
            )
        })
    };
    [
        base(TEXT_TOKEN),
        base(URL_TOKEN).field(plain!(
            "url",
            TypeRef::named(TypeRef::STRING),
            TokenNode,
            |t| t.url()
        )),
        base(EMOTE_TOKEN)
            .field(emote_src("src"))
            .field(emote_src("url")),
    ]
}
