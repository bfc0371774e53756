//! The values resolvers hand each other: what the domain returned, plus whatever was already
//! known so nested fields do not query again (a chat message knows its author's names, so
//! `user { username }` costs nothing per subscriber).

use shimmer_bus::chat::{Badge, ChatMessage, ChatToken};
use shimmer_platform::views::{ChatSettings, Stream};
use shimmer_platform::Platform;
use shimmer_platform::{ChannelView, UserView};
use tokio::sync::OnceCell;

use super::avatars::{avatar_path, Avatars};
use super::fail;

/// A user: complete, or names only until another field needs the rest.
pub struct UserNode {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    full: OnceCell<Option<UserView>>,
    avatar: OnceCell<String>,
}

impl UserNode {
    pub fn full(user: UserView) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            full: OnceCell::new_with(Some(Some(user))),
            avatar: OnceCell::new(),
        }
    }

    pub fn named(id: i64, username: &str, display_name: &str) -> Self {
        Self {
            id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            full: OnceCell::new(),
            avatar: OnceCell::new(),
        }
    }

    /// The whole account, read once.
    pub async fn load(&self, platform: &Platform) -> async_graphql::Result<&UserView> {
        self.full
            .get_or_try_init(|| async { platform.user(self.id).await.map_err(fail) })
            .await?
            .as_ref()
            .ok_or_else(|| async_graphql::Error::new("Could not find resource"))
    }

    /// The avatar's path, read once per node through the request's batching loader. The
    /// executor resolves the fields of a nested object one after another, so without this
    /// `avatar` and `avatarUrl` side by side would cost a batch each.
    pub async fn avatar(&self, avatars: &Avatars) -> async_graphql::Result<&str> {
        self.avatar
            .get_or_try_init(|| avatar_path(avatars, self.id))
            .await
            .map(String::as_str)
    }
}

/// Loads a user by id into a node, or None when there is no such user.
pub async fn user_by_id(platform: &Platform, id: i64) -> async_graphql::Result<Option<UserNode>> {
    Ok(platform.user(id).await.map_err(fail)?.map(UserNode::full))
}

/// A channel, with its chat settings read on first use.
pub struct ChannelNode {
    pub channel: ChannelView,
    chat: OnceCell<ChatSettings>,
}

impl ChannelNode {
    pub fn new(channel: ChannelView) -> Self {
        Self {
            channel,
            chat: OnceCell::new(),
        }
    }

    pub async fn chat_settings(&self, platform: &Platform) -> async_graphql::Result<&ChatSettings> {
        self.chat
            .get_or_try_init(|| async {
                platform.chat_settings(self.channel.id).await.map_err(fail)
            })
            .await
    }

    pub fn streamer(&self) -> UserNode {
        UserNode::named(
            self.channel.user_id,
            &self.channel.username,
            &self.channel.display_name,
        )
    }
}

pub struct StreamNode(pub Stream);

pub struct MessageNode(pub ChatMessage);

impl MessageNode {
    /// The message as typed: the text of its tokens in order.
    pub fn text(&self) -> String {
        self.0
            .tokens
            .iter()
            .map(|token| match token {
                ChatToken::Text { text }
                | ChatToken::Link { text, .. }
                | ChatToken::Emote { text, .. } => text.as_str(),
            })
            .collect()
    }

    pub fn author(&self) -> UserNode {
        UserNode::named(
            self.0.user_id.unwrap_or_default(),
            &self.0.username,
            &self.0.display_name,
        )
    }
}

pub struct TokenNode(pub ChatToken);

impl TokenNode {
    /// The GraphQL type implementing `ChatMessageToken` for this token.
    pub fn type_name(&self) -> &'static str {
        match self.0 {
            ChatToken::Text { .. } => "TextToken",
            ChatToken::Link { .. } => "UrlToken",
            ChatToken::Emote { .. } => "EmoteToken",
        }
    }
}

pub struct MetadataNode(pub Vec<Badge>);

/// A moderation log entry or moderation event.
pub struct LogNode {
    pub id: Option<i64>,
    pub channel_id: i64,
    pub moderator_id: i64,
    pub user_id: Option<i64>,
    pub action: String,
    pub expires_at: Option<i64>,
    pub at: i64,
}

pub struct ModeratorNode {
    pub channel_id: i64,
    pub moderator: shimmer_platform::views::Moderator,
}

pub struct BanNode {
    pub channel_id: i64,
    pub ban: shimmer_platform::views::ChannelBan,
}

/// Messages removed from a chat: one deleted, or all of a user's after a timeout or ban.
pub struct HiddenNode {
    pub channel_id: i64,
    pub message_ids: Vec<i64>,
    pub user_id: Option<i64>,
}

/// A time as Glimesh clients parse it: naive ISO 8601 in UTC, whole seconds, no zone.
pub fn naive_datetime(ms: i64) -> async_graphql::Value {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| at.format(&format).ok())
        .map_or(async_graphql::Value::Null, async_graphql::Value::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_naive_and_whole_seconds() {
        assert_eq!(
            naive_datetime(1_616_355_141_999),
            async_graphql::Value::from("2021-03-21T19:32:21")
        );
    }
}
