//! First-party site analytics without tracking: page views and unique visitors per UTC day,
//! with no third-party script, no cookie, and no IP address or user agent stored. A visitor is
//! the hash of (salt of the day, address, user agent); the salt is random, shared by every web
//! node through the database, and deleted when the day is closed, so a hash can neither be
//! reversed nor linked to the same person on another day. Automated clients (crawlers,
//! scripts, headless browsers) are left out by their user agent.
//!
//! Page views are tallied in memory and written in batches ([`Platform::flush_analytics`],
//! called periodically by the server), so counting costs no database write per page.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use parking_lot::Mutex;
use sha2::{Digest, Sha256};

use crate::staff::Permission;
use crate::{now_ms, Platform, PlatformError, UserView};

/// Fragments of user agents that belong to automated clients, matched case-insensitively.
const AUTOMATED: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "scrap",
    "headless",
    "lighthouse",
    "preview",
    "facebookexternalhit",
    "embedly",
    "monitor",
    "uptime",
    "pingdom",
    "curl/",
    "wget/",
    "python",
    "httpclient",
    "go-http-client",
    "okhttp",
    "axios/",
    "node-fetch",
    "undici",
    "libwww",
    "java/",
    "ruby",
    "postman",
    "insomnia",
    "hey/",
    "wrk",
];

/// Whether a user agent is an automated client's (an empty one counts as automated).
pub fn is_automated(user_agent: &str) -> bool {
    let agent = user_agent.trim().to_ascii_lowercase();
    agent.is_empty() || AUTOMATED.iter().any(|fragment| agent.contains(fragment))
}

/// The UTC day of a time in milliseconds, as `YYYY-MM-DD`.
pub fn day_of(ms: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The visitor hash: nothing of the address or user agent can be read back from it.
fn visitor_hash(salt: &str, address: IpAddr, user_agent: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0]);
    hasher.update(address.to_string().as_bytes());
    hasher.update([0]);
    hasher.update(user_agent.as_bytes());
    hex::encode(&hasher.finalize()[..16])
}

/// Page views not written yet, per day.
#[derive(Default)]
pub(crate) struct Tally {
    days: Mutex<HashMap<String, DayTally>>,
    /// The current day's salt, once read.
    salt: Mutex<Option<(String, String)>>,
    /// The first open day when this node last closed the days before it.
    closed_before: Mutex<Option<String>>,
}

#[derive(Default)]
struct DayTally {
    page_views: i64,
    visitors: HashSet<String>,
}

/// One day's figures, as staff see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsDayView {
    pub day: String,
    pub page_views: i64,
    pub unique_visitors: i64,
}

/// How many days of figures staff can ask for at once.
pub const MAX_ANALYTICS_DAYS: i64 = 366;

impl Platform {
    /// Counts a page seen by a person (automated clients are left out).
    pub async fn count_page_view(
        &self,
        address: IpAddr,
        user_agent: &str,
    ) -> Result<(), PlatformError> {
        if is_automated(user_agent) {
            return Ok(());
        }
        let day = day_of(now_ms());
        let salt = self.analytics_salt(&day).await?;
        let visitor = visitor_hash(&salt, address, user_agent);
        let mut days = self.analytics.days.lock();
        let tally = days.entry(day).or_default();
        tally.page_views += 1;
        tally.visitors.insert(visitor);
        Ok(())
    }

    async fn analytics_salt(&self, day: &str) -> Result<String, PlatformError> {
        if let Some((cached_day, salt)) = self.analytics.salt.lock().as_ref() {
            if cached_day == day {
                return Ok(salt.clone());
            }
        }
        let salt = self
            .store
            .analytics_salt(day, &crate::random_token(32))
            .await?;
        *self.analytics.salt.lock() = Some((day.to_owned(), salt.clone()));
        Ok(salt)
    }

    /// Writes the tallied page views, and closes the days before yesterday (their visitors
    /// counted, their hashes and salts deleted). A failed write keeps the tally for the next
    /// try.
    pub async fn flush_analytics(&self) -> Result<(), PlatformError> {
        let pending = std::mem::take(&mut *self.analytics.days.lock());
        for (day, tally) in pending {
            let visitors: Vec<String> = tally.visitors.iter().cloned().collect();
            if let Err(error) = self
                .store
                .add_page_views(&day, tally.page_views, &visitors)
                .await
            {
                let mut days = self.analytics.days.lock();
                let kept = days.entry(day).or_default();
                kept.page_views += tally.page_views;
                kept.visitors.extend(tally.visitors);
                return Err(error.into());
            }
        }
        let yesterday = day_of(now_ms() - 24 * 3600 * 1000);
        if self.analytics.closed_before.lock().as_deref() != Some(yesterday.as_str()) {
            self.store.close_analytics_days(&yesterday).await?;
            *self.analytics.closed_before.lock() = Some(yesterday);
        }
        Ok(())
    }

    /// The site's page views and unique visitors for each of the last `days` days with any,
    /// oldest first (staff who may look things up).
    pub async fn site_analytics(
        &self,
        actor: &UserView,
        days: i64,
    ) -> Result<Vec<AnalyticsDayView>, PlatformError> {
        Self::authorize_staff(actor, Permission::LookUp)?;
        // This node's latest counts first, so the figures are current.
        self.flush_analytics().await?;
        let days = days.clamp(1, MAX_ANALYTICS_DAYS);
        let now = now_ms();
        let from = day_of(now - (days - 1) * 24 * 3600 * 1000);
        let to = day_of(now);
        Ok(self
            .store
            .analytics_days(&from, &to)
            .await?
            .into_iter()
            .map(|day| AnalyticsDayView {
                day: day.day,
                page_views: day.page_views,
                unique_visitors: day.unique_visitors,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_count_and_automated_clients_do_not() {
        for person in [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        ] {
            assert!(!is_automated(person), "{person}");
        }
        for automated in [
            "",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.32.3",
            "facebookexternalhit/1.1",
            "Discordbot/2.0",
            "Twitterbot/1.0",
            "Wget/1.21.4",
        ] {
            assert!(is_automated(automated), "{automated}");
        }
    }

    #[test]
    fn days_are_utc_dates() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(1_764_806_399_999), "2025-12-03");
        assert_eq!(day_of(1_764_806_400_000), "2025-12-04");
    }

    #[test]
    fn a_visitor_hash_hides_the_address_and_changes_with_the_salt() {
        let address: IpAddr = "203.0.113.7".parse().unwrap();
        let agent = "Mozilla/5.0 Firefox/133.0";
        let one = visitor_hash("salt-a", address, agent);
        assert_eq!(one, visitor_hash("salt-a", address, agent));
        assert_ne!(one, visitor_hash("salt-b", address, agent));
        assert_ne!(
            one,
            visitor_hash("salt-a", "203.0.113.8".parse().unwrap(), agent)
        );
        assert_eq!(one.len(), 32);
    }
}
