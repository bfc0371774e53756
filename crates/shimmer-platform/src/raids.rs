//! Raids: at the end of a stream, the streamer sends their viewers to another live channel with
//! `/raid <channel>`. Both chats announce it, and the raider's channel pages take their viewers
//! to the target (they may choose to stay). A channel may refuse raids in its chat settings.

use shimmer_bus::Event;

use crate::{Platform, PlatformError, UserView};

/// What a raid did, for the streamer who started it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raid {
    pub to_username: String,
    pub to_display_name: String,
    /// Viewers watching the raider's stream when the raid began.
    pub viewers: i64,
}

impl Platform {
    /// `actor` raids `target` from the channel `from_channel_id`, which must be theirs and
    /// live; the target must be another live channel that accepts raids.
    pub async fn raid(
        &self,
        actor: &UserView,
        from_channel_id: i64,
        target: &str,
    ) -> Result<Raid, PlatformError> {
        let from = self
            .channel(from_channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        if from.user_id != actor.id {
            return Err(PlatformError::Forbidden);
        }
        if !from.is_live() {
            return Err(PlatformError::Refused(
                "You can raid only while you are live: your viewers go with you.".to_owned(),
            ));
        }
        let name = target.trim().trim_start_matches('@');
        let shown: String = name.chars().take(40).collect();
        let to = self
            .channel_by_username(name)
            .await?
            .ok_or_else(|| PlatformError::Refused(format!("There is no channel named {shown}.")))?;
        if to.id == from.id {
            return Err(PlatformError::Refused(
                "You cannot raid your own channel.".to_owned(),
            ));
        }
        if !to.is_live() {
            return Err(PlatformError::Refused(format!(
                "{} is not live. Raid a channel that is streaming now.",
                to.display_name
            )));
        }
        if !self.chat_settings(to.id).await?.accept_raids {
            return Err(PlatformError::Refused(format!(
                "{} does not accept raids.",
                to.display_name
            )));
        }
        let viewers = self.viewer_count(from.id);
        for channel_id in [from.id, to.id] {
            self.publish(Event::Raid {
                channel_id,
                from_channel_id: from.id,
                from_display_name: from.display_name.clone(),
                to_channel_id: to.id,
                to_username: to.username.clone(),
                to_display_name: to.display_name.clone(),
                viewers,
            })
            .await;
        }
        tracing::info!(from = from.id, to = to.id, viewers, "raid");
        Ok(Raid {
            to_username: to.username,
            to_display_name: to.display_name,
            viewers,
        })
    }
}
