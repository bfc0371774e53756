//! Site search: channels (only those that have streamed), categories and tags, tolerant of
//! typos, and the live count of each category.
//!
//! The matching is the same on SQLite and PostgreSQL because it is done here rather than by
//! an extension of one engine: SQL narrows the rows to those containing every word of the
//! query as it is, and a bounded number more sharing at least one pair of letters with a word
//! (so a single typo does not remove the right row), and each query word must then be found
//! in a word of the row's text within a small edit distance
//! (none for words of up to three letters, one up to seven, two beyond; a swap of two
//! neighbouring letters is one edit). Channels come live first, then by how well they match,
//! then by their latest stream.

use std::collections::BTreeSet;

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::discovery::escape_like;
use crate::{Result, Store};

/// Beyond the channels containing every word as it is, at most this many channels sharing
/// letters with the query are read as candidates for typos, live first, then by their latest
/// stream: on a large site an old channel found only through a typo may be left out.
const CHANNEL_CANDIDATES: usize = 200;
/// A paged search reads at most this many channels containing every word as it is (plus the
/// typo candidates): its total and its last page stop there.
pub const SEARCH_MATCHES_MAX: usize = 1000;
/// A channel's searchable text in SQL: the streamer's name, display name and stream title.
const CHANNEL_TEXT: &str =
    "(u.username_lower || ' ' || LOWER(u.display_name) || ' ' || LOWER(c.title))";
/// At most this many tags are read as candidates for one search, most used first.
const TAG_CANDIDATES: i64 = 500;
/// At most this many words of a query are matched; further words are ignored.
const QUERY_WORDS: usize = 5;
/// A query word is matched by at most this many of its first letters, which bounds the work
/// of one search (the edit distance costs the word's length times the text's).
const QUERY_WORD_CHARS: usize = 24;

/// A channel found by a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelMatch {
    pub channel_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub live: bool,
    pub mature: bool,
    pub category_name: Option<String>,
    pub category_slug: Option<String>,
    /// When the channel's latest stream started (milliseconds since the epoch).
    pub last_streamed_at: i64,
}

impl FromRow<'_, AnyRow> for ChannelMatch {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            channel_id: row.try_get("channel_id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            title: row.try_get("title")?,
            live: row.try_get::<String, _>("status")? == "live",
            mature: row.try_get::<i64, _>("mature")? != 0,
            category_name: row.try_get("category_name")?,
            category_slug: row.try_get("category_slug")?,
            last_streamed_at: row.try_get("last_streamed_at")?,
        })
    }
}

/// One page of channels found by a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelMatchPage {
    /// The page's channels, in the search's order.
    pub channels: Vec<ChannelMatch>,
    /// How many channels matched in all pages.
    pub total: usize,
}

/// A category with the number of its channels live now (hidden channels not counted).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveCategory {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub live_channels: i64,
}

/// A tag found by a search, with its category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TagMatch {
    pub name: String,
    pub slug: String,
    pub category_name: String,
    pub category_slug: String,
    pub usage_count: i64,
}

impl Store {
    /// Every category in the site's order, with how many of its channels are live.
    pub async fn live_categories(&self) -> Result<Vec<LiveCategory>> {
        Ok(sqlx::query_as(
            "SELECT cat.id, cat.name, cat.slug, COUNT(c.id) AS live_channels \
             FROM categories cat LEFT JOIN channels c ON c.category_id = cat.id \
             AND c.status = 'live' AND c.hidden_from_discovery = 0 \
             GROUP BY cat.id, cat.name, cat.slug, cat.position ORDER BY cat.position, cat.id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Channels whose streamer's name, display name or title matches every word of `query`
    /// (allowing typos): live ones first, then the best matches, then the most recently
    /// streamed. Accounts that never streamed, channels staff hid from discovery and banned
    /// accounts are never found. An empty query finds nothing.
    pub async fn search_channels(&self, query: &str, limit: usize) -> Result<Vec<ChannelMatch>> {
        let mut found = self.matching_channels(query, limit).await?;
        found.truncate(limit);
        Ok(found)
    }

    /// One page of [`Store::search_channels`]: at most `limit` matches from the `offset`th on,
    /// and how many matched in all (at most [`SEARCH_MATCHES_MAX`]). An offset past the end
    /// gives an empty page with the total.
    pub async fn search_channels_page(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> Result<ChannelMatchPage> {
        let found = self.matching_channels(query, SEARCH_MATCHES_MAX).await?;
        let total = found.len();
        Ok(ChannelMatchPage {
            channels: found.into_iter().skip(offset).take(limit).collect(),
            total,
        })
    }

    /// Every match of `query` in order, from at most `exact_limit` channels containing every
    /// word as it is and [`CHANNEL_CANDIDATES`] more sharing letters with it.
    async fn matching_channels(
        &self,
        query: &str,
        exact_limit: usize,
    ) -> Result<Vec<ChannelMatch>> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // Those containing every word as it is, then those sharing letters with it (typos).
        let (exact, exact_patterns) = every_word_like(CHANNEL_TEXT, &words);
        let mut candidates = self
            .channel_candidates(&exact, exact_patterns, exact_limit)
            .await?;
        let (near, near_patterns) = any_pair_like(CHANNEL_TEXT, &words, 1);
        for channel in self
            .channel_candidates(&near, near_patterns, CHANNEL_CANDIDATES)
            .await?
        {
            if !candidates
                .iter()
                .any(|c| c.channel_id == channel.channel_id)
            {
                candidates.push(channel);
            }
        }
        let mut scored: Vec<(f32, ChannelMatch)> = candidates
            .into_iter()
            .filter_map(|channel| {
                let text = format!(
                    "{} {} {}",
                    channel.username, channel.display_name, channel.title
                );
                match_score(&words, &text).map(|score| (score, channel))
            })
            .collect();
        // Stable: equal scores keep the candidates' order (the most recently streamed first).
        scored.sort_by(|(a_score, a), (b_score, b)| {
            b.live.cmp(&a.live).then(b_score.total_cmp(a_score))
        });
        Ok(scored.into_iter().map(|(_, channel)| channel).collect())
    }

    /// Up to `limit` findable channels (streamed, not hidden, not banned) meeting `condition`
    /// (whose placeholders start at `$1`), live first, then the most recently streamed.
    async fn channel_candidates(
        &self,
        condition: &str,
        patterns: Vec<String>,
        limit: usize,
    ) -> Result<Vec<ChannelMatch>> {
        let limit_placeholder = format!("${}", patterns.len() + 1);
        let sql = format!(
            "SELECT c.id AS channel_id, u.username, u.display_name, c.title, c.status, c.mature, \
             cat.name AS category_name, cat.slug AS category_slug, \
             (SELECT MAX(s.started_at) FROM streams s WHERE s.channel_id = c.id) \
             AS last_streamed_at \
             FROM channels c JOIN users u ON u.id = c.user_id \
             LEFT JOIN categories cat ON cat.id = c.category_id \
             WHERE c.hidden_from_discovery = 0 \
             AND EXISTS (SELECT 1 FROM streams s WHERE s.channel_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM platform_bans b WHERE b.user_id = u.id \
             AND b.lifted_at IS NULL) AND ({condition}) \
             ORDER BY CASE WHEN c.status = 'live' THEN 0 ELSE 1 END, last_streamed_at DESC, \
             c.id DESC LIMIT {limit_placeholder}"
        );
        let mut statement = sqlx::query_as::<_, ChannelMatch>(&sql);
        for pattern in patterns {
            statement = statement.bind(pattern);
        }
        Ok(statement
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?)
    }

    /// Categories whose name matches every word of `query` (allowing typos), best first, with
    /// their live counts. An empty query finds nothing.
    pub async fn search_categories(&self, query: &str) -> Result<Vec<LiveCategory>> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut scored: Vec<(f32, LiveCategory)> = self
            .live_categories()
            .await?
            .into_iter()
            .filter_map(|category| match_score(&words, &category.name).map(|s| (s, category)))
            .collect();
        scored.sort_by(|(a, _), (b, _)| b.total_cmp(a));
        Ok(scored.into_iter().map(|(_, category)| category).collect())
    }

    /// Tags whose name matches every word of `query` (allowing typos), best first, then the
    /// most used. An empty query finds nothing.
    pub async fn search_tags(&self, query: &str, limit: usize) -> Result<Vec<TagMatch>> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let (condition, patterns) = any_pair_like("LOWER(t.name)", &words, 1);
        let limit_placeholder = format!("${}", patterns.len() + 1);
        let sql = format!(
            "SELECT t.name, t.slug, cat.name AS category_name, cat.slug AS category_slug, \
             t.usage_count FROM tags t JOIN categories cat ON cat.id = t.category_id \
             WHERE {condition} ORDER BY t.usage_count DESC, t.id LIMIT {limit_placeholder}"
        );
        let mut statement = sqlx::query_as::<_, TagMatch>(&sql);
        for pattern in patterns {
            statement = statement.bind(pattern);
        }
        let candidates = statement.bind(TAG_CANDIDATES).fetch_all(&self.pool).await?;
        let mut scored: Vec<(f32, TagMatch)> = candidates
            .into_iter()
            .filter_map(|tag| match_score(&words, &tag.name).map(|score| (score, tag)))
            .collect();
        scored.sort_by(|(a, _), (b, _)| b.total_cmp(a));
        Ok(scored.into_iter().take(limit).map(|(_, tag)| tag).collect())
    }
}

/// The query's words: lower-case runs of letters and digits, at most [`QUERY_WORDS`] of at
/// most [`QUERY_WORD_CHARS`] each.
fn query_words(query: &str) -> Vec<Vec<char>> {
    words(query)
        .take(QUERY_WORDS)
        .map(|mut word| {
            word.truncate(QUERY_WORD_CHARS);
            word
        })
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_lowercase().chars().collect())
}

/// `column LIKE $1 AND column LIKE $2 ...`: every word appears in `column` as it is, with the
/// patterns to bind.
fn every_word_like(column: &str, words: &[Vec<char>]) -> (String, Vec<String>) {
    let patterns: Vec<String> = words
        .iter()
        .map(|word| format!("%{}%", escape_like(&word.iter().collect::<String>())))
        .collect();
    let condition = (1..=patterns.len())
        .map(|index| format!("{column} LIKE ${index} ESCAPE '\\'"))
        .collect::<Vec<_>>()
        .join(" AND ");
    (condition, patterns)
}

/// `(column LIKE $first OR column LIKE $next ...)` over every pair of neighbouring letters of
/// the words (a one-letter word stands for itself), with the patterns to bind from
/// placeholder `$first` on.
fn any_pair_like(column: &str, words: &[Vec<char>], first: usize) -> (String, Vec<String>) {
    let mut pairs = BTreeSet::new();
    for word in words {
        if word.len() == 1 {
            pairs.insert(word.iter().collect::<String>());
        }
        for pair in word.windows(2) {
            pairs.insert(pair.iter().collect::<String>());
        }
    }
    let patterns: Vec<String> = pairs
        .into_iter()
        .map(|pair| format!("%{}%", escape_like(&pair)))
        .collect();
    let condition = (0..patterns.len())
        .map(|index| format!("{column} LIKE ${} ESCAPE '\\'", first + index))
        .collect::<Vec<_>>()
        .join(" OR ");
    (condition, patterns)
}

/// How many edits a query word of `len` letters may be from the text it matches.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How well `text` matches the query words: None unless every word is found in a word of
/// the text within its allowed edits; otherwise higher is better (1 per exact word, less per
/// edit, a little more when a word starts where the query word does).
fn match_score(query: &[Vec<char>], text: &str) -> Option<f32> {
    let text_words: Vec<Vec<char>> = words(text).collect();
    let mut total = 0.0;
    for word in query {
        let best = text_words
            .iter()
            .filter_map(|candidate| {
                let (edits, start) = substring_distance(word, candidate);
                (edits <= allowed_edits(word.len())).then(|| {
                    let closeness = 1.0 - edits as f32 / word.len() as f32;
                    let at_start = if start == 0 { 0.25 } else { 0.0 };
                    let whole = if candidate.len() == word.len() && edits == 0 {
                        0.25
                    } else {
                        0.0
                    };
                    closeness + at_start + whole
                })
            })
            .max_by(f32::total_cmp)?;
        total += best;
    }
    Some(total / query.len() as f32)
}

/// The fewest edits (insertions, deletions, substitutions, swaps of neighbouring letters)
/// that turn `pattern` into some part of `text`, and whether that part can start at the
/// beginning of `text` (0) or only later (1).
fn substring_distance(pattern: &[char], text: &[char]) -> (usize, usize) {
    let (m, n) = (pattern.len(), text.len());
    // rows[i][j]: edits to turn pattern[..i] into a part of text ending at j, starting
    // anywhere (row 0 is all zeros); starts[i][j] whether that part may start at 0.
    let mut rows = vec![vec![0usize; n + 1]; m + 1];
    let mut starts = vec![vec![false; n + 1]; m + 1];
    starts[0][0] = true;
    for i in 1..=m {
        rows[i][0] = i;
        starts[i][0] = true;
        for j in 1..=n {
            let substitute = usize::from(pattern[i - 1] != text[j - 1]);
            let mut best = (rows[i - 1][j - 1] + substitute, starts[i - 1][j - 1]);
            for option in [
                (rows[i - 1][j] + 1, starts[i - 1][j]),
                (rows[i][j - 1] + 1, starts[i][j - 1]),
            ] {
                if option.0 < best.0 || (option.0 == best.0 && option.1 && !best.1) {
                    best = option;
                }
            }
            if i > 1
                && j > 1
                && pattern[i - 1] == text[j - 2]
                && pattern[i - 2] == text[j - 1]
                && rows[i - 2][j - 2] + 1 < best.0
            {
                best = (rows[i - 2][j - 2] + 1, starts[i - 2][j - 2]);
            }
            rows[i][j] = best.0;
            starts[i][j] = best.1;
        }
    }
    (0..=n)
        .map(|j| (rows[m][j], usize::from(!starts[m][j])))
        .min()
        .unwrap_or((m, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn distance_finds_the_closest_part_of_the_text() {
        assert_eq!(
            substring_distance(&chars("ninja"), &chars("ninjja")),
            (1, 0)
        );
        assert_eq!(
            substring_distance(&chars("ninja"), &chars("theninja")),
            (0, 1)
        );
        assert_eq!(substring_distance(&chars("nijna"), &chars("ninja")), (1, 0));
        assert_eq!(substring_distance(&chars("ninja"), &chars("gamer")).0, 4);
        assert_eq!(substring_distance(&chars("abc"), &chars("")), (3, 0));
    }

    #[test]
    fn every_query_word_must_match_within_its_allowed_edits() {
        let query = query_words("ninja");
        assert!(match_score(&query, "ninjja plays Celeste").is_some());
        assert!(match_score(&query, "NinjjaGamer").is_some());
        assert!(match_score(&query, "nonja").is_some());
        assert!(match_score(&query, "nonji").is_none());
        // Short words must appear as they are.
        assert!(match_score(&query_words("art"), "arty").is_some());
        assert!(match_score(&query_words("art"), "ant").is_none());
        // A long word is matched by its start; words beyond the fifth are ignored.
        let long = query_words(&format!("{} a b c d e f", "x".repeat(40)));
        assert_eq!(long.len(), 5);
        assert_eq!(long[0].len(), QUERY_WORD_CHARS);
        // Every word counts.
        assert!(match_score(&query_words("ninja chess"), "ninja plays go").is_none());
        // An exact whole word beats a typo.
        let exact = match_score(&query, "ninja").unwrap();
        let typo = match_score(&query, "ninjja").unwrap();
        assert!(exact > typo);
    }

    #[test]
    fn the_prefilters_keep_every_pair_of_letters_once_and_need_every_word() {
        let (condition, patterns) = any_pair_like("x", &query_words("aaa b"), 3);
        assert_eq!(patterns, ["%aa%", "%b%"]);
        assert_eq!(condition, "x LIKE $3 ESCAPE '\\' OR x LIKE $4 ESCAPE '\\'");
        let (_, escaped) = any_pair_like("x", &[chars("a%")], 1);
        assert_eq!(escaped, ["%a\\%%"]);
        let (condition, patterns) = every_word_like("x", &query_words("Ab c"));
        assert_eq!(patterns, ["%ab%", "%c%"]);
        assert_eq!(condition, "x LIKE $1 ESCAPE '\\' AND x LIKE $2 ESCAPE '\\'");
    }
}
