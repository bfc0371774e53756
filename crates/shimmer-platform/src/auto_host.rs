//! Auto-host: a streamer lists up to [`MAX_AUTO_HOSTS`] channels; while they are offline their
//! channel page plays the first of those that is live (not marked mature), under a banner that
//! names it, and their own chat stays where it is.

use crate::channels::manages;
use crate::{ChannelView, Platform, PlatformError};

/// Most channels one list may hold.
pub const MAX_AUTO_HOSTS: usize = 5;

/// Longest list text read, in bytes.
const MAX_AUTO_HOST_TEXT: usize = 400;

/// A checked auto-host list, ready to save with [`Platform::save_auto_hosts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoHostList {
    channel_id: i64,
    targets: Vec<i64>,
}

impl Platform {
    /// The usernames `channel_id` hosts while offline, first choice first.
    pub async fn auto_hosts(&self, channel_id: i64) -> Result<Vec<String>, PlatformError> {
        Ok(self.store.auto_host_usernames(channel_id).await?)
    }

    /// Reads a new list for `channel` from the usernames in `text` (separated by commas,
    /// spaces or lines; `@` allowed), checked by name: at most [`MAX_AUTO_HOSTS`], each an
    /// existing account other than the channel's own; repeats count once. Nothing is saved
    /// yet, so a form can check every field before it writes any.
    pub async fn check_auto_hosts(
        &self,
        actor: &crate::UserView,
        channel: &ChannelView,
        text: &str,
    ) -> Result<AutoHostList, PlatformError> {
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        let invalid = |message: String| PlatformError::invalid("auto_host", message);
        // Five usernames with separators never come near this; anything longer is refused
        // before a single name is looked up.
        if text.len() > MAX_AUTO_HOST_TEXT {
            return Err(invalid(format!(
                "List at most {MAX_AUTO_HOSTS} channels to host."
            )));
        }
        let mut targets: Vec<i64> = Vec::new();
        for name in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|name| name.trim_start_matches('@'))
            .filter(|name| !name.is_empty())
        {
            let shown: String = name.chars().take(40).collect();
            let user = self
                .store
                .user_by_username(name)
                .await?
                .ok_or_else(|| invalid(format!("There is no channel named {shown}.")))?;
            if user.id == channel.user_id {
                return Err(invalid(
                    "Your own channel cannot be on your auto-host list.".to_owned(),
                ));
            }
            if !targets.contains(&user.id) {
                targets.push(user.id);
            }
            if targets.len() > MAX_AUTO_HOSTS {
                return Err(invalid(format!(
                    "List at most {MAX_AUTO_HOSTS} channels to host."
                )));
            }
        }
        Ok(AutoHostList {
            channel_id: channel.id,
            targets,
        })
    }

    /// Replaces the channel's list with a checked one.
    pub async fn save_auto_hosts(&self, list: &AutoHostList) -> Result<(), PlatformError> {
        Ok(self
            .store
            .replace_auto_hosts(list.channel_id, &list.targets)
            .await?)
    }

    /// The channel `channel_id`'s page plays while it is offline: the first listed channel
    /// that is live and not marked mature.
    pub async fn hosted_channel(
        &self,
        channel_id: i64,
    ) -> Result<Option<ChannelView>, PlatformError> {
        match self.store.first_live_auto_host(channel_id).await? {
            Some(hosted) => self.channel(hosted).await,
            None => Ok(None),
        }
    }
}
