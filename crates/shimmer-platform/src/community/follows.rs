//! Following streamers (user to user, as in Glimesh): follow and unfollow, the lists and
//! counts, the live-notification opt-in, and the "just followed" chat line.

use crate::UserView;
use shimmer_bus::chat::{ChatMessage, ChatToken, LineKind};
use shimmer_bus::Event;
use shimmer_store::FollowListEntry;

use crate::{Platform, PlatformError};

/// Entries per page of a followers or following list.
pub const FOLLOW_PAGE_SIZE: i64 = 50;
/// At most one "just followed" chat line per user and channel in this window.
const ANNOUNCE_WINDOW_MS: i64 = 6 * 3_600_000;
/// The text of the "just followed" chat line.
pub const JUST_FOLLOWED: &str = "just followed the channel!";

/// One page of a followers or following list, with the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowPage {
    pub entries: Vec<FollowListEntry>,
    pub total: i64,
    /// The page shown (starting at 1).
    pub page: i64,
    pub has_more: bool,
}

impl Platform {
    /// Makes `follower_id` follow `streamer_id`. Returns false when they already did. Nobody
    /// follows themselves. A new follow is announced on the bus and, at most once per 6 h per
    /// user and channel, in the streamer's chat.
    pub async fn follow(&self, follower_id: i64, streamer_id: i64) -> Result<bool, PlatformError> {
        if follower_id == streamer_id {
            return Err(PlatformError::Refused("You cannot follow yourself.".into()));
        }
        let follower = self
            .user(follower_id)
            .await?
            .ok_or(PlatformError::Unauthenticated)?;
        let channel = self
            .store
            .channel_by_user(streamer_id)
            .await?
            .ok_or(PlatformError::NotFound("That streamer does not exist."))?;
        if !self.store.follow(follower_id, streamer_id, false).await? {
            return Ok(false);
        }
        self.publish(Event::FollowerAdded {
            channel_id: channel.id,
            streamer_id,
            follower_id,
        })
        .await;
        self.announce_follow(channel.id, &follower).await?;
        Ok(true)
    }

    /// Stops following; returns whether there was a follow.
    pub async fn unfollow(
        &self,
        follower_id: i64,
        streamer_id: i64,
    ) -> Result<bool, PlatformError> {
        Ok(self.store.unfollow(follower_id, streamer_id).await?)
    }

    pub async fn is_following(
        &self,
        follower_id: i64,
        streamer_id: i64,
    ) -> Result<bool, PlatformError> {
        Ok(self
            .store
            .follow_of(follower_id, streamer_id)
            .await?
            .is_some())
    }

    /// Whether the follower asked for live emails about the streamer (None: not following).
    pub async fn live_notifications_enabled(
        &self,
        follower_id: i64,
        streamer_id: i64,
    ) -> Result<Option<bool>, PlatformError> {
        Ok(self
            .store
            .follow_of(follower_id, streamer_id)
            .await?
            .map(|follow| follow.live_notifications))
    }

    /// Turns live-notification emails for one followed streamer on or off.
    pub async fn set_live_notifications(
        &self,
        follower_id: i64,
        streamer_id: i64,
        enabled: bool,
    ) -> Result<(), PlatformError> {
        if !self
            .store
            .set_live_notifications(follower_id, streamer_id, enabled)
            .await?
        {
            return Err(PlatformError::NotFound(
                "Follow the streamer first to get live notifications.",
            ));
        }
        Ok(())
    }

    pub async fn follower_count(&self, streamer_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.follower_count(streamer_id).await?)
    }

    pub async fn following_count(&self, user_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.following_count(user_id).await?)
    }

    /// Who follows the streamer, newest first, one page (from 1) at a time.
    pub async fn followers(
        &self,
        streamer_id: i64,
        page: i64,
    ) -> Result<FollowPage, PlatformError> {
        let page = page.clamp(1, 10_000);
        let total = self.store.follower_count(streamer_id).await?;
        let entries = self
            .store
            .followers(streamer_id, FOLLOW_PAGE_SIZE, (page - 1) * FOLLOW_PAGE_SIZE)
            .await?;
        Ok(FollowPage {
            has_more: page * FOLLOW_PAGE_SIZE < total,
            entries,
            total,
            page,
        })
    }

    /// Whom the user follows, newest first, one page (from 1) at a time.
    pub async fn following(&self, user_id: i64, page: i64) -> Result<FollowPage, PlatformError> {
        let page = page.clamp(1, 10_000);
        let total = self.store.following_count(user_id).await?;
        let entries = self
            .store
            .following(user_id, FOLLOW_PAGE_SIZE, (page - 1) * FOLLOW_PAGE_SIZE)
            .await?;
        Ok(FollowPage {
            has_more: page * FOLLOW_PAGE_SIZE < total,
            entries,
            total,
            page,
        })
    }

    /// Posts "<follower> just followed the channel!" unless one was posted for them in the
    /// last 6 h, or they are banned or timed out in the channel.
    async fn announce_follow(
        &self,
        channel_id: i64,
        follower: &UserView,
    ) -> Result<(), PlatformError> {
        let now = shimmer_store::now_ms();
        let room = self.rooms.room(&self.store, channel_id).await?;
        if room.lock().ban_of(follower.id, now).is_some() {
            return Ok(());
        }
        if !self
            .store
            .claim_follow_announcement(channel_id, follower.id, now - ANNOUNCE_WINDOW_MS)
            .await?
        {
            return Ok(());
        }
        let tokens = vec![ChatToken::Text {
            text: JUST_FOLLOWED.to_owned(),
        }];
        let tokens_json = serde_json::to_string(&tokens)
            .map_err(|error| PlatformError::Refused(error.to_string()))?;
        let id = self
            .store
            .insert_chat_line(&shimmer_store::NewChatLine {
                channel_id,
                user_id: follower.id,
                badges: "",
                body: JUST_FOLLOWED,
                tokens: &tokens_json,
                created_at: now,
                kind: LineKind::Follow.as_str(),
                color: None,
                reply_to_id: None,
            })
            .await?;
        self.publish(Event::ChatMessage {
            channel_id,
            message: ChatMessage {
                id,
                channel_id,
                user_id: Some(follower.id),
                username: follower.username.clone(),
                display_name: follower.display_name.clone(),
                badges: Vec::new(),
                tokens,
                created_at: now,
                kind: LineKind::Follow,
                color: Some(crate::chat::colors::color_for(follower.id, None).to_owned()),
                reply: None,
            },
        })
        .await;
        Ok(())
    }
}
