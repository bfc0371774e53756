//! Channels: their public settings and their stream keys. Every user has exactly one channel,
//! created with the account.

use crate::UserView;
use shimmer_bus::Event;
use shimmer_store::{Channel, ChannelSettings};

use crate::oauth::ApiGrant;
use crate::{ChannelView, FieldError, Platform, PlatformError};

pub const TITLE_MAX: usize = 140;

/// Languages a channel can declare, as (code, name) pairs.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("ar", "العربية (Arabic)"),
    ("da", "Dansk (Danish)"),
    ("de", "Deutsch (German)"),
    ("es", "Español (Spanish)"),
    ("fi", "Suomi (Finnish)"),
    ("fr", "Français (French)"),
    ("hi", "हिन्दी (Hindi)"),
    ("it", "Italiano (Italian)"),
    ("ja", "日本語 (Japanese)"),
    ("ko", "한국어 (Korean)"),
    ("nl", "Nederlands (Dutch)"),
    ("no", "Norsk (Norwegian)"),
    ("pl", "Polski (Polish)"),
    ("pt", "Português (Portuguese)"),
    ("ru", "Русский (Russian)"),
    ("sv", "Svenska (Swedish)"),
    ("tr", "Türkçe (Turkish)"),
    ("uk", "Українська (Ukrainian)"),
    ("zh", "中文 (Chinese)"),
    ("other", "Other"),
];

/// What the channel settings form submits. It has no fields for the live state or the key: a
/// transport can only fill these three, whatever a request carries.
#[derive(Debug, Clone, Default)]
pub struct ChannelSettingsForm {
    pub title: String,
    pub language: String,
    pub mature: bool,
}

/// What the ingest credential may read of a channel: its full stream key (`<id>-<secret>`)
/// and the secret half, the HMAC key of the FTL handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestKey {
    pub stream_key: String,
    pub hmac_key: String,
}

/// The one rule for managing a channel (its settings, stream info, chat settings, moderators,
/// emotes and poster): its owner may, and so may staff with the `moderate` permission.
pub(crate) fn manages(actor: &UserView, owner_id: i64) -> bool {
    actor.id == owner_id || crate::staff::staff_may(actor, crate::staff::Permission::Moderate)
}

impl Platform {
    /// Whether `actor` may manage `channel`: its owner, or staff who may moderate. Pages ask this to decide
    /// what to offer; every action checks it again itself.
    pub fn may_manage_channel(actor: &UserView, channel: &ChannelView) -> bool {
        manages(actor, channel.user_id)
    }

    pub async fn channel_of_user(&self, user_id: i64) -> Result<ChannelView, PlatformError> {
        self.channel_by_user(user_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))
    }

    /// The user's channel, if the user exists.
    pub async fn channel_by_user(
        &self,
        user_id: i64,
    ) -> Result<Option<ChannelView>, PlatformError> {
        Ok(self
            .store
            .channel_by_user(user_id)
            .await?
            .map(ChannelView::from))
    }

    /// The channel with this id.
    pub async fn channel(&self, channel_id: i64) -> Result<Option<ChannelView>, PlatformError> {
        Ok(self
            .store
            .channel_by_id(channel_id)
            .await?
            .map(ChannelView::from))
    }

    /// The channel of the user with this name (ignoring case), read now.
    pub async fn channel_by_username(
        &self,
        username: &str,
    ) -> Result<Option<ChannelView>, PlatformError> {
        Ok(self
            .store
            .channel_by_username(username)
            .await?
            .map(ChannelView::from))
    }

    /// Up to `limit` channels that have streamed at least once (live first, then most recently
    /// live), for the home page's list; accounts that never streamed are not listed.
    pub async fn channels_that_streamed(
        &self,
        limit: i64,
    ) -> Result<Vec<ChannelView>, PlatformError> {
        Ok(self
            .store
            .channels_that_streamed(limit)
            .await?
            .into_iter()
            .map(ChannelView::from)
            .collect())
    }

    async fn managed_channel(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Channel, PlatformError> {
        let channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        Ok(channel)
    }

    /// Saves a channel's title, language and mature flag, and announces the change.
    pub async fn update_channel_settings(
        &self,
        actor: &UserView,
        channel_id: i64,
        form: &ChannelSettingsForm,
    ) -> Result<ChannelView, PlatformError> {
        let channel = self.managed_channel(actor, channel_id).await?;
        let title = form.title.trim();
        let mut errors = Vec::new();
        if title.is_empty() {
            errors.push(FieldError::new("title", "Please give your stream a title."));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(FieldError::new(
                "title",
                "Titles can be at most 140 characters.",
            ));
        } else if title.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "title",
                "Titles cannot contain control characters.",
            ));
        }
        if !LANGUAGES.iter().any(|(code, _)| *code == form.language) {
            errors.push(FieldError::new(
                "language",
                "Please choose a language from the list.",
            ));
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        let settings = ChannelSettings {
            title: title.to_owned(),
            language: form.language.clone(),
            mature: form.mature,
        };
        self.store
            .update_channel_settings(channel.id, &settings)
            .await?;
        self.publish(Event::ChannelUpdated {
            channel_id: channel.id,
        })
        .await;
        self.channel(channel.id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))
    }

    /// Replaces the channel's stream key; the old one stops working for new connections at once.
    pub async fn rotate_stream_key(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<String, PlatformError> {
        let channel = self.managed_channel(actor, channel_id).await?;
        let secret = crate::random_tokens::stream_key_secret();
        self.store
            .set_stream_key_secret(channel.id, &secret)
            .await?;
        self.channel_lookups.forget(channel.id);
        tracing::info!(
            channel_id = channel.id,
            actor = actor.id,
            "stream key rotated"
        );
        Ok(format!("{}-{secret}", channel.id))
    }

    /// The channel's full stream key, for its owner only (staff cannot read keys).
    pub async fn stream_key(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<String, PlatformError> {
        let channel = self.managed_channel(actor, channel_id).await?;
        if channel.user_id != actor.id {
            return Err(PlatformError::Forbidden);
        }
        Ok(channel.stream_key())
    }

    /// A channel's stream key and its secret half, for the dedicated ingest credential only
    /// (an ingest server checks encoders' keys with them); every other grant is refused.
    pub async fn ingest_stream_key(
        &self,
        grant: &ApiGrant,
        channel_id: i64,
    ) -> Result<IngestKey, PlatformError> {
        if !grant.ingest {
            return Err(PlatformError::Forbidden);
        }
        let channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        Ok(IngestKey {
            stream_key: channel.stream_key(),
            hmac_key: channel.stream_key_secret,
        })
    }

    /// Publishes an event; a bus failure is logged, never fails the operation that caused it.
    /// This node's remembered channels learn of the change at once, before the bus delivers it.
    pub(crate) async fn publish(&self, event: Event) {
        self.channel_lookups.apply(&event);
        if let Err(error) = self.bus.publish(event.clone()).await {
            tracing::error!(%error, kind = event.kind(), "could not publish event");
        }
    }

    /// The channel of the user with this name (ignoring case), as of at most
    /// [`crate::channel_lookups::TTL`] ago; see that module for how changes are seen sooner.
    /// For the public API's polled reads; anything that decides access reads the store.
    pub async fn channel_by_username_recent(
        &self,
        username: &str,
    ) -> Result<Option<ChannelView>, PlatformError> {
        let name = username.to_lowercase();
        let now = std::time::Instant::now();
        if let Some(channel) = self.channel_lookups.get(&name, now) {
            return Ok(Some(channel));
        }
        let channel = self.channel_by_username(&name).await?;
        if let Some(channel) = &channel {
            self.channel_lookups.insert(name, channel.clone(), now);
        }
        Ok(channel)
    }
}
