//! Community: how viewers find streams and how streamers see their audience — categories,
//! subcategories and tags, discovery and site search, follows and live notifications, viewer
//! counts.

pub mod categories;
pub mod discovery;
pub mod follows;
pub mod notifications;
pub mod search;
pub mod viewers;

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The longest per-streamer window of live emails a configuration can ask for.
pub const MAX_NOTIFY_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

/// Community settings from the configuration's `[community]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommunityConfig {
    /// Seconds between a stream's start and its live emails, so false starts send nothing.
    pub notify_delay_secs: u64,
    /// At most one live email per streamer per user in this many seconds.
    pub notify_per_streamer_secs: u64,
    /// At most this many live emails per user per 24 hours.
    pub daily_cap: i64,
    /// Seconds between two samples of the per-minute viewer series.
    pub viewer_sample_secs: u64,
}

impl Default for CommunityConfig {
    fn default() -> Self {
        Self {
            notify_delay_secs: 60,
            notify_per_streamer_secs: 3600,
            daily_cap: 5,
            viewer_sample_secs: 60,
        }
    }
}

impl CommunityConfig {
    pub fn live_notification_delay(&self) -> Duration {
        Duration::from_secs(self.notify_delay_secs.min(3600))
    }

    pub fn per_streamer_window_ms(&self) -> i64 {
        self.notify_per_streamer_secs
            .min(MAX_NOTIFY_WINDOW.as_secs()) as i64
            * 1000
    }

    pub fn viewer_sample_interval(&self) -> Duration {
        Duration::from_secs(self.viewer_sample_secs.clamp(1, 3600))
    }
}
