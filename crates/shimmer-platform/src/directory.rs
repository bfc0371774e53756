//! Public reads for pages and the API: users (without password hashes), channels (without
//! stream keys), streams and their statistics, chat history, follows, categories and tags.
//! Everything here may be shown to anyone; reads that depend on who asks live with their rules
//! (stream keys in `channels`, reports in `reports`, moderation in `chat::moderation`).
//!
//! Paged reads take an offset and a limit, counted in rows, for the API's connections.

use shimmer_bus::chat::ChatMessage;
use shimmer_store::{
    Category, ChatSettings, Emote, Follow, FollowListEntry, LiveStatus, StoredChatMessage,
    StoredStreamMetadata, Stream, Subcategory, Tag,
};

use crate::{ChannelView, Platform, PlatformError, UserView};

impl Platform {
    /// Whether the database answers, for health checks.
    pub async fn check_database(&self) -> Result<(), PlatformError> {
        Ok(self.store.ping().await?)
    }

    pub async fn user(&self, user_id: i64) -> Result<Option<UserView>, PlatformError> {
        Ok(self.store.user_by_id(user_id).await?.map(UserView::from))
    }

    /// The user with this name, ignoring case.
    pub async fn user_by_username(
        &self,
        username: &str,
    ) -> Result<Option<UserView>, PlatformError> {
        Ok(self
            .store
            .user_by_username(username)
            .await?
            .map(UserView::from))
    }

    pub async fn user_count(&self) -> Result<i64, PlatformError> {
        Ok(self.store.count_users().await?)
    }

    /// Users in the order they joined.
    pub async fn users_page(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<UserView>, PlatformError> {
        Ok(self
            .store
            .users_page(offset, limit)
            .await?
            .into_iter()
            .map(UserView::from)
            .collect())
    }

    /// How many channels have this status and category (either may be left open).
    pub async fn channel_count(
        &self,
        status: Option<LiveStatus>,
        category_id: Option<i64>,
    ) -> Result<i64, PlatformError> {
        Ok(self.store.count_channels(status, category_id).await?)
    }

    /// Channels with this status and category, oldest first.
    pub async fn channels_page(
        &self,
        status: Option<LiveStatus>,
        category_id: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ChannelView>, PlatformError> {
        Ok(self
            .store
            .channels_page(status, category_id, offset, limit)
            .await?
            .into_iter()
            .map(ChannelView::from)
            .collect())
    }

    pub async fn stream(&self, stream_id: i64) -> Result<Option<Stream>, PlatformError> {
        Ok(self.store.stream_by_id(stream_id).await?)
    }

    pub async fn stream_count_of_channel(&self, channel_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.count_streams_of_channel(channel_id).await?)
    }

    /// The channel's streams, newest first.
    pub async fn streams_of_channel_page(
        &self,
        channel_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Stream>, PlatformError> {
        Ok(self
            .store
            .streams_of_channel_page(channel_id, offset, limit)
            .await?)
    }

    pub async fn stream_metadata_count(&self, stream_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.count_stream_metadata(stream_id).await?)
    }

    /// The stream's statistics snapshots, oldest first.
    pub async fn stream_metadata_page(
        &self,
        stream_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<StoredStreamMetadata>, PlatformError> {
        Ok(self
            .store
            .stream_metadata_page(stream_id, offset, limit)
            .await?)
    }

    /// The channel's chat settings; the defaults until its owner saves any.
    pub async fn chat_settings(&self, channel_id: i64) -> Result<ChatSettings, PlatformError> {
        Ok(self
            .store
            .chat_settings(channel_id)
            .await?
            .unwrap_or_default())
    }

    /// A chat message as stored, deleted or not (reports quote what was reported).
    pub async fn chat_message(
        &self,
        message_id: i64,
    ) -> Result<Option<StoredChatMessage>, PlatformError> {
        Ok(self.store.chat_message(message_id).await?)
    }

    /// How many visible messages the channel's chat holds.
    pub async fn chat_message_count(&self, channel_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.count_chat_messages(channel_id).await?)
    }

    /// The channel's visible messages, oldest first.
    pub async fn chat_messages_page(
        &self,
        channel_id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ChatMessage>, PlatformError> {
        Ok(self
            .store
            .chat_messages_page(channel_id, offset, limit)
            .await?
            .into_iter()
            .map(crate::chat::message_from_row)
            .collect())
    }

    /// The prefix the channel's emote names start with, once chosen.
    pub async fn emote_prefix(&self, channel_id: i64) -> Result<Option<String>, PlatformError> {
        Ok(self.store.emote_prefix(channel_id).await?)
    }

    /// The channel's emotes, or the global ones for `None`, whatever their review status.
    pub async fn emotes_of(&self, channel_id: Option<i64>) -> Result<Vec<Emote>, PlatformError> {
        Ok(self.store.emotes_of(channel_id).await?)
    }

    /// Emotes waiting for staff review.
    pub async fn pending_emotes(&self) -> Result<Vec<Emote>, PlatformError> {
        Ok(self.store.pending_emotes().await?)
    }

    pub async fn category_by_id(
        &self,
        category_id: i64,
    ) -> Result<Option<Category>, PlatformError> {
        Ok(self.store.category_by_id(category_id).await?)
    }

    /// The category with this slug, if there is one.
    pub async fn find_category(&self, slug: &str) -> Result<Option<Category>, PlatformError> {
        Ok(self.store.category_by_slug(slug).await?)
    }

    /// Up to `limit` subcategories of the category, alphabetically.
    pub async fn subcategories(
        &self,
        category_id: i64,
        limit: i64,
    ) -> Result<Vec<Subcategory>, PlatformError> {
        Ok(self.store.subcategories(category_id, "", limit).await?)
    }

    /// Up to `limit` tags of the category, most used first.
    pub async fn tags_of_category(
        &self,
        category_id: i64,
        limit: i64,
    ) -> Result<Vec<Tag>, PlatformError> {
        Ok(self.store.tags_matching(category_id, "", limit).await?)
    }

    /// The follow of `follower_id` to `streamer_id`, if there is one.
    pub async fn follow_of(
        &self,
        follower_id: i64,
        streamer_id: i64,
    ) -> Result<Option<Follow>, PlatformError> {
        Ok(self.store.follow_of(follower_id, streamer_id).await?)
    }

    /// Who follows the streamer, newest first, by offset and limit.
    pub async fn followers_window(
        &self,
        streamer_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<FollowListEntry>, PlatformError> {
        Ok(self.store.followers(streamer_id, limit, offset).await?)
    }

    /// Whom the user follows, newest first, by offset and limit.
    pub async fn following_window(
        &self,
        follower_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<FollowListEntry>, PlatformError> {
        Ok(self.store.following(follower_id, limit, offset).await?)
    }
}
