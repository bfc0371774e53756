//! Site search: one query finds channels (live first, then offline streamers who have
//! streamed; accounts that never streamed are not channels), categories and tags, allowing
//! typos (see `shimmer-store/src/search.rs` for the matching, which is the same on every
//! backend). The limits are decided here.

use super::discovery::SEARCH_MAX_CHARS;
use crate::views::{ChannelMatch, LiveCategory, TagMatch};
use crate::{Platform, PlatformError};
/// A search lists at most this many channels.
pub const SEARCH_CHANNELS: usize = 30;
/// A search lists at most this many tags.
pub const SEARCH_TAGS: usize = 12;

/// What one search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// Live channels first, then offline ones; at most [`SEARCH_CHANNELS`].
    pub channels: Vec<ChannelMatch>,
    /// Whether more channels matched than are listed.
    pub more_channels: bool,
    pub categories: Vec<LiveCategory>,
    pub tags: Vec<TagMatch>,
}

impl SearchResults {
    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.categories.is_empty() && self.tags.is_empty()
    }
}

impl Platform {
    /// Searches channels, categories and tags for `query`. An empty query finds nothing (the
    /// caller shows the browse lists instead); one longer than [`SEARCH_MAX_CHARS`] is
    /// refused by name as field `q`.
    pub async fn search(&self, query: &str) -> Result<SearchResults, PlatformError> {
        let query = query.trim();
        if query.chars().count() > SEARCH_MAX_CHARS {
            return Err(PlatformError::invalid(
                "q",
                format!(
                    "Search for at most {SEARCH_MAX_CHARS} characters: a name, a title's \
                     words, a category or a tag."
                ),
            ));
        }
        if query.is_empty() {
            return Ok(SearchResults::default());
        }
        let mut channels = self
            .store
            .search_channels(query, SEARCH_CHANNELS + 1)
            .await?;
        let more_channels = channels.len() > SEARCH_CHANNELS;
        channels.truncate(SEARCH_CHANNELS);
        Ok(SearchResults {
            channels,
            more_channels,
            categories: self.store.search_categories(query).await?,
            tags: self.store.search_tags(query, SEARCH_TAGS).await?,
        })
    }

    /// Every category with how many of its channels are live now, in display order.
    pub async fn live_categories(&self) -> Result<Vec<LiveCategory>, PlatformError> {
        Ok(self.store.live_categories().await?)
    }
}
