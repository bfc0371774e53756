//! The life of an account after sign-up: renaming it, deleting it, and taking its data along.

use std::io::Write;
use std::time::Duration;

use serde_json::json;
use shimmer_store::StoreError;

use super::{validation, SignedIn};
use crate::{Platform, PlatformError};

/// How long after one username change the next is allowed.
pub const RENAME_COOLDOWN: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long a name given up by a rename or a deletion stays unavailable to anyone else.
pub const USERNAME_HOLD: Duration = Duration::from_secs(90 * 24 * 3600);
/// The most chat messages a data export carries.
const EXPORT_CHAT_LIMIT: i64 = 10_000;

fn date(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|moment| {
            moment
                .format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| "a while".into())
}

fn ago(duration: Duration) -> i64 {
    shimmer_store::now_ms() - duration.as_millis() as i64
}

impl Platform {
    /// Refuses a name someone gave up recently, so nobody can pose as them right away.
    pub(crate) async fn refuse_held_username(&self, username: &str) -> Result<(), PlatformError> {
        if self
            .store
            .username_held(username, ago(USERNAME_HOLD))
            .await?
        {
            return Err(PlatformError::invalid(
                "username",
                "That username was used by another account recently and is not available yet.",
            ));
        }
        Ok(())
    }

    /// Changes the username (and display name) after checking the password; once per cool-down.
    pub async fn change_username(
        &self,
        signed_in: &SignedIn,
        current_password: &str,
        new_username: &str,
    ) -> Result<(), PlatformError> {
        let user = &signed_in.user;
        let new_username = new_username.trim();
        validation::username(new_username)
            .map_err(|error| PlatformError::invalid("new_username", error.message))?;
        if new_username == user.username {
            return Err(PlatformError::invalid(
                "new_username",
                "That is already your username.",
            ));
        }
        if !self.password_matches(user.id, current_password).await? {
            return Err(PlatformError::invalid(
                "current_password",
                "Your current password is not correct.",
            ));
        }
        if let Some(last) = self.store.last_username_change(user.id).await? {
            let next = last + RENAME_COOLDOWN.as_millis() as i64;
            if next > shimmer_store::now_ms() {
                return Err(PlatformError::Refused(format!(
                    "You changed your username recently. You can change it again after {}.",
                    date(next)
                )));
            }
        }
        self.store
            .rename_user(user.id, new_username, ago(USERNAME_HOLD))
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => PlatformError::invalid(
                    "new_username",
                    "That username is taken or was given up recently.",
                ),
                other => other.into(),
            })?;
        self.channel_lookups.forget_user(user.id);
        tracing::info!(user_id = user.id, "username changed");
        Ok(())
    }

    /// Deletes the signed-in account after checking the password (and a code when two-factor
    /// sign-in is on). The channel goes; chat messages stay, shown as from a deleted user.
    pub async fn delete_account(
        &self,
        signed_in: &SignedIn,
        current_password: &str,
        code: &str,
    ) -> Result<(), PlatformError> {
        let user = &signed_in.user;
        if !self.password_matches(user.id, current_password).await? {
            return Err(PlatformError::invalid(
                "current_password",
                "Your current password is not correct.",
            ));
        }
        if self.store.two_factor_enabled(user.id).await? {
            self.check_second_factor(user.id, code).await?;
        }
        let channel = self.store.channel_by_user(user.id).await?;
        if channel
            .as_ref()
            .is_some_and(|channel| channel.status == shimmer_store::LiveStatus::Live)
        {
            return Err(PlatformError::Refused(
                "Your channel is live. End the stream before deleting your account.".into(),
            ));
        }
        self.remove_avatar_files(user.id).await;
        self.store.delete_user(user.id).await?;
        self.client_ids.clear();
        self.channel_lookups.forget_user(user.id);
        tracing::info!(user_id = user.id, "account deleted");
        Ok(())
    }

    /// A zip of everything the account holds: profile, preferences, channel, chat messages,
    /// follows (both ways) and support requests (as the requester sees them).
    pub async fn export_account(&self, signed_in: &SignedIn) -> Result<Vec<u8>, PlatformError> {
        let user = &signed_in.user;
        let profile = self.profile_view(user).await?;
        let preferences = self.preferences(user.id).await?;
        let channel = self.store.channel_by_user(user.id).await?;
        let messages = self
            .store
            .chat_messages_of_user(user.id, EXPORT_CHAT_LIMIT)
            .await?;
        let following = self.store.following(user.id, EXPORT_CHAT_LIMIT, 0).await?;
        let followers = self.store.followers(user.id, EXPORT_CHAT_LIMIT, 0).await?;
        let mut tickets = Vec::new();
        for page in 1.. {
            let found = self.my_support_tickets(user, page).await?;
            tickets.extend(found.tickets);
            if !found.more {
                break;
            }
        }
        let mut support_requests = Vec::new();
        for ticket in tickets {
            let conversation = self
                .requester_conversation(crate::support::RequesterAccess::Account(user, ticket.id))
                .await?;
            support_requests.push(json!({
                "id": ticket.id,
                "category": ticket.category,
                "subject": ticket.subject,
                "status": ticket.status,
                "created_at_ms": ticket.created_at,
                "messages": conversation.messages.iter().map(|message| json!({
                    "from": message.author,
                    "body": message.body,
                    "sent_at_ms": message.created_at,
                })).collect::<Vec<_>>(),
            }));
        }
        let follow_json = |entries: &[shimmer_store::FollowListEntry]| {
            entries
                .iter()
                .map(|entry| json!({"username": entry.username, "since_ms": entry.created_at}))
                .collect::<Vec<_>>()
        };
        let files = [
            (
                "profile.json",
                json!({
                    "username": user.username,
                    "display_name": user.display_name,
                    "email": user.email,
                    "email_confirmed": user.email_confirmed(),
                    "created_at_ms": user.created_at,
                    "pronouns": profile.pronouns,
                    "bio_markdown": profile.bio,
                    "links": profile.links.iter().map(|link| json!({"kind": link.kind, "url": link.url})).collect::<Vec<_>>(),
                    "youtube_intro": profile.youtube_intro,
                    "live_message": profile.live_message,
                    "preferences": {
                        "theme": preferences.theme,
                        "chat_timestamps": preferences.chat_timestamps,
                        "show_mature": preferences.show_mature,
                        "locale": preferences.locale,
                    },
                }),
            ),
            (
                "channel.json",
                match &channel {
                    Some(channel) => json!({
                        "id": channel.id,
                        "title": channel.title,
                        "language": channel.language,
                        "mature": channel.mature,
                        "created_at_ms": channel.created_at,
                    }),
                    None => json!(null),
                },
            ),
            (
                "chat_messages.json",
                json!(messages
                    .iter()
                    .map(|message| json!({
                        "id": message.id,
                        "channel": message.channel,
                        "body": message.body,
                        "sent_at_ms": message.created_at,
                    }))
                    .collect::<Vec<_>>()),
            ),
            (
                "follows.json",
                json!({
                    "following": follow_json(&following),
                    "followers": follow_json(&followers),
                }),
            ),
            ("support_requests.json", json!(support_requests)),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let fail = |error: &dyn std::fmt::Display| {
            PlatformError::Internal(format!("writing the export failed: {error}"))
        };
        for (name, value) in files {
            zip.start_file(name, options)
                .map_err(|error| fail(&error))?;
            let text = serde_json::to_vec_pretty(&value).map_err(|error| fail(&error))?;
            zip.write_all(&text).map_err(|error| fail(&error))?;
        }
        let cursor = zip.finish().map_err(|error| fail(&error))?;
        Ok(cursor.into_inner())
    }
}
