//! The card a chatter's name opens: who they are in this channel (avatar, account age, follow,
//! badges) for everyone, and, for the channel's moderators, owner and staff only, their
//! moderation history here and whether a ban or timeout holds now.

use std::time::Duration;

use crate::rate_limits::Rate;
use crate::{Platform, PlatformError, UserView};

/// Cards one reader may open: a burst, then one a second.
pub(crate) const CARD_RATE: Rate = Rate::new(30, Duration::from_secs(1));

/// History entries shown on a card, newest first.
const CARD_HISTORY: i64 = 20;

/// What anyone reading the chat may learn about a chatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatterCard {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// The avatar's URL path (64 px), when one was uploaded.
    pub avatar_url: Option<String>,
    /// When the account was made, in milliseconds since the epoch.
    pub created_at: i64,
    /// When they followed this channel, if they do.
    pub followed_at: Option<i64>,
    /// Their chat badges in this channel (`streamer`, `moderator`, `staff`, `subscriber`, ...).
    pub badges: Vec<&'static str>,
    /// Only for readers who may moderate this channel.
    pub moderation: Option<ChatterModeration>,
}

/// A chatter's standing in a channel, for its moderators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatterModeration {
    /// A ban holds now.
    pub banned: bool,
    /// A timeout holds until then.
    pub timed_out_until: Option<i64>,
    /// Timeouts, bans, unbans and deleted messages, newest first.
    pub history: Vec<ModerationStep>,
}

/// One moderation step taken against the chatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationStep {
    /// `short_timeout`, `long_timeout`, `ban`, `unban` or `delete_message`.
    pub action: String,
    /// The moderator's username (`None` once their account is gone).
    pub moderator: Option<String>,
    pub created_at: i64,
}

impl Platform {
    /// The card of `username` in the chat of `channel_id`, as `reader` (a visitor when `None`)
    /// may see it. `limit_key` names the reader for the rate limit (their account, else their
    /// address).
    pub async fn chatter_card(
        &self,
        reader: Option<&UserView>,
        limit_key: &str,
        channel_id: i64,
        username: &str,
    ) -> Result<ChatterCard, PlatformError> {
        self.card_limits
            .check(limit_key)
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })?;
        let channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let user = match username.len() {
            1..=64 => self.user_by_username(username).await?,
            _ => None,
        }
        .ok_or(PlatformError::NotFound("There is no one by that name."))?;
        let followed_at = self
            .store
            .follow_of(user.id, channel.user_id)
            .await?
            .map(|follow| follow.created_at);
        let avatar_url = self
            .avatar_urls(&[user.id], 64)
            .await?
            .remove(&user.id)
            .flatten();
        let room = self.rooms.room(&self.store, channel_id).await?;
        let (badges, restriction) = {
            let room = room.lock();
            let badges: Vec<&'static str> = room
                .badges_for(&user)
                .into_iter()
                .map(|badge| badge.as_str())
                .collect();
            (badges, room.ban_of(user.id, crate::now_ms()))
        };
        let moderates = self
            .chat_permissions(reader, channel_id)
            .await?
            .is_moderator();
        let moderation = match moderates {
            false => None,
            true => Some(ChatterModeration {
                banned: restriction == Some(None),
                timed_out_until: restriction.flatten(),
                history: self
                    .store
                    .moderation_log_of_user(channel_id, user.id, CARD_HISTORY)
                    .await?
                    .into_iter()
                    .map(|entry| ModerationStep {
                        action: entry.action,
                        moderator: entry.moderator,
                        created_at: entry.created_at,
                    })
                    .collect(),
            }),
        };
        Ok(ChatterCard {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            avatar_url,
            created_at: user.created_at,
            followed_at,
            badges,
            moderation,
        })
    }
}
