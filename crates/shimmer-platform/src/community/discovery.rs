//! Discovery: the live channels a listing shows (home page, category, subcategory and tag
//! pages, search), each with its tags and viewer count, and a featured channel. Queries start
//! from the store's live-channel indexes; viewer counts come from memory.

use crate::UserView;
use shimmer_store::{LiveChannel, LiveFilter, Tag};

use crate::{Platform, PlatformError};

/// A listing shows at most this many channels.
pub const LISTING_LIMIT: i64 = 120;
/// Search text (a listing's filter, the site search) is at most this many characters.
pub const SEARCH_MAX_CHARS: usize = 100;
/// The featured channel changes this often.
const FEATURE_SLOT_MS: i64 = 10 * 60 * 1000;

/// What a listing narrows to; slugs as in URLs. Empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct DiscoveryQuery {
    pub category: String,
    pub subcategory: String,
    pub tag: String,
    pub language: String,
    pub search: String,
}

/// A live channel on a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveCard {
    pub channel: LiveChannel,
    pub tags: Vec<Tag>,
    /// None when the streamer hides the count.
    pub viewers: Option<i64>,
}

impl Platform {
    /// The live channels matching `query`, followed channels first for a signed-in `viewer`.
    /// An unknown category, subcategory or tag is a not-found error, not an empty page.
    pub async fn discover(
        &self,
        viewer: Option<&UserView>,
        query: &DiscoveryQuery,
    ) -> Result<Vec<LiveCard>, PlatformError> {
        let mut filter = LiveFilter {
            followed_by: viewer.map(|user| user.id),
            ..LiveFilter::default()
        };
        let category = if query.category.is_empty() {
            None
        } else {
            Some(self.category_by_slug(&query.category).await?)
        };
        filter.category_id = category.as_ref().map(|c| c.id);
        if let Some(category) = &category {
            if !query.subcategory.is_empty() {
                filter.subcategory_id = Some(
                    self.subcategory_by_slug(category.id, &query.subcategory)
                        .await?
                        .id,
                );
            }
            if !query.tag.is_empty() {
                filter.tag_id = Some(self.tag_by_slug(category.id, &query.tag).await?.id);
            }
        }
        if !query.language.is_empty() {
            if !crate::channels::LANGUAGES
                .iter()
                .any(|(code, _)| *code == query.language)
            {
                return Err(PlatformError::invalid(
                    "language",
                    "Choose a language from the list.",
                ));
            }
            filter.language = Some(query.language.clone());
        }
        let search = query.search.trim();
        if search.chars().count() > SEARCH_MAX_CHARS {
            return Err(PlatformError::invalid(
                "q",
                format!("Search for at most {SEARCH_MAX_CHARS} characters."),
            ));
        }
        if !search.is_empty() {
            filter.search = Some(search.to_owned());
        }
        let channels = self.store.live_channels(&filter, LISTING_LIMIT).await?;
        let ids: Vec<i64> = channels.iter().map(|c| c.channel_id).collect();
        let mut tags = self.store.tags_of_channels(&ids).await?;
        Ok(channels
            .into_iter()
            .map(|channel| {
                let (own, rest): (Vec<_>, Vec<_>) = tags
                    .drain(..)
                    .partition(|(channel_id, _)| *channel_id == channel.channel_id);
                tags = rest;
                let viewers =
                    (!channel.hide_viewer_count).then(|| self.viewer_count(channel.channel_id));
                LiveCard {
                    tags: own.into_iter().map(|(_, tag)| tag).collect(),
                    viewers,
                    channel,
                }
            })
            .collect())
    }

    /// The channel to feature among `cards`: a different one every ten minutes, the same for
    /// every visitor within a slot. Mature channels are not featured.
    pub fn featured<'a>(&self, cards: &'a [LiveCard]) -> Option<&'a LiveCard> {
        let eligible: Vec<&LiveCard> = cards.iter().filter(|c| !c.channel.mature).collect();
        if eligible.is_empty() {
            return None;
        }
        let mut by_id = eligible;
        by_id.sort_by_key(|card| card.channel.channel_id);
        let slot = shimmer_store::now_ms() / FEATURE_SLOT_MS;
        Some(by_id[(slot as usize) % by_id.len()])
    }
}
