//! Site search: one query finds channels (live first, then offline streamers who have
//! streamed; accounts that never streamed are not channels), categories and tags, allowing
//! typos (see `shimmer-store/src/search.rs` for the matching, which is the same on every
//! backend). The limits are decided here.

use super::discovery::SEARCH_MAX_CHARS;
use crate::views::{ChannelMatch, LiveCategory, TagMatch};
use crate::{ChannelView, Platform, PlatformError};
/// A search lists this many channels a page.
pub const SEARCH_CHANNELS: usize = 30;
/// A search lists at most this many tags.
pub const SEARCH_TAGS: usize = 12;
/// An empty search's list of channels that streamed shows this many a page.
pub const BROWSE_CHANNELS: usize = 60;

/// What one page of a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// Live channels first, then offline ones; at most [`SEARCH_CHANNELS`].
    pub channels: Vec<ChannelMatch>,
    /// How many channels matched, on every page.
    pub total_channels: usize,
    /// Which page this is, from 1.
    pub page: Paging,
    /// Whether more channels matched than this page and the ones before it list.
    pub more_channels: bool,
    /// Matching categories (on the first page only).
    pub categories: Vec<LiveCategory>,
    /// Matching tags (on the first page only).
    pub tags: Vec<TagMatch>,
}

impl SearchResults {
    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.total_channels == 0 && self.categories.is_empty() && self.tags.is_empty()
    }
}

/// One page of a paged list: its number (from 1) and what the list holds in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page asked for, from 1; it may lie past the last page.
    pub number: u32,
    /// Items a page.
    pub size: usize,
    /// Items on every page together.
    pub total: usize,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            number: 1,
            size: SEARCH_CHANNELS,
            total: 0,
        }
    }
}

impl Paging {
    /// How many items come before this page.
    pub fn offset(&self) -> usize {
        usize::try_from(self.number.saturating_sub(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(self.size)
    }

    /// The number of pages (at least 1, an empty list has one empty page).
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(self.size.max(1)).max(1)).unwrap_or(u32::MAX)
    }

    /// The previous page's number, unless this is the first. Past the end, the last page.
    pub fn previous(&self) -> Option<u32> {
        (self.number > 1).then(|| (self.number - 1).min(self.pages()))
    }

    /// The next page's number, if this page is not the last.
    pub fn next(&self) -> Option<u32> {
        (self.number < self.pages()).then(|| self.number + 1)
    }

    /// Whether this page lies past the last item (an empty page of a list that is not empty).
    pub fn past_end(&self) -> bool {
        self.total > 0 && self.offset() >= self.total
    }

    /// The position (from 1) of the page's first item.
    pub fn first_shown(&self) -> usize {
        self.offset().saturating_add(1)
    }

    /// The position of the page's last item.
    pub fn last_shown(&self) -> usize {
        self.offset().saturating_add(self.size).min(self.total)
    }
}

/// The refusal of a page number below 1.
fn bad_page() -> PlatformError {
    PlatformError::invalid("page", "Pages are numbered from 1.")
}

impl Platform {
    /// Searches channels, categories and tags for `query`, the channels `page` by page (from
    /// 1; categories and tags come with the first page). An empty query finds nothing (the
    /// caller shows the browse list instead); one longer than [`SEARCH_MAX_CHARS`] is refused
    /// by name as field `q`, a page below 1 as field `page`. A page past the last finds no
    /// channels but still says how many matched.
    pub async fn search(&self, query: &str, page: u32) -> Result<SearchResults, PlatformError> {
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
        if page == 0 {
            return Err(bad_page());
        }
        let mut paging = Paging {
            number: page,
            size: SEARCH_CHANNELS,
            total: 0,
        };
        if query.is_empty() {
            return Ok(SearchResults {
                page: paging,
                ..SearchResults::default()
            });
        }
        let found = self
            .store
            .search_channels_page(query, paging.offset(), SEARCH_CHANNELS)
            .await?;
        paging.total = found.total;
        let first = page == 1;
        Ok(SearchResults {
            more_channels: paging.next().is_some(),
            channels: found.channels,
            total_channels: found.total,
            page: paging,
            categories: match first {
                true => self.store.search_categories(query).await?,
                false => Vec::new(),
            },
            tags: match first {
                true => self.store.search_tags(query, SEARCH_TAGS).await?,
                false => Vec::new(),
            },
        })
    }

    /// One page (from 1) of the channels that have streamed, live first, then the most
    /// recently live; [`BROWSE_CHANNELS`] a page. A page past the last is empty.
    pub async fn browse_channels(
        &self,
        page: u32,
    ) -> Result<(Vec<ChannelView>, Paging), PlatformError> {
        if page == 0 {
            return Err(bad_page());
        }
        let mut paging = Paging {
            number: page,
            size: BROWSE_CHANNELS,
            total: 0,
        };
        paging.total =
            usize::try_from(self.store.channels_that_streamed_count().await?).unwrap_or(0);
        let channels = self
            .store
            .channels_that_streamed_page(
                i64::try_from(paging.offset()).unwrap_or(i64::MAX),
                i64::try_from(BROWSE_CHANNELS).unwrap_or(i64::MAX),
            )
            .await?;
        Ok((
            channels.into_iter().map(ChannelView::from).collect(),
            paging,
        ))
    }

    /// Every category with how many of its channels are live now, in display order.
    pub async fn live_categories(&self) -> Result<Vec<LiveCategory>, PlatformError> {
        Ok(self.store.live_categories().await?)
    }
}
