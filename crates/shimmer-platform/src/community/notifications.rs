//! Live-notification emails: when a stream starts, followers who opted in get one email —
//! once per stream, at most one per streamer per hour, and at most a daily cap per user — each
//! with a signed one-click unsubscribe link. A bus task sends them, never the ingest path.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use shimmer_bus::Event;
use shimmer_store::NotificationLimits;

use crate::mail::OutgoingMail;
use crate::{Platform, PlatformError};

/// The name of the stored key that signs unsubscribe links.
const UNSUBSCRIBE_SECRET: &str = "unsubscribe";
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

impl Platform {
    /// Sends live notifications for every stream start heard on the bus, until it closes.
    pub async fn send_live_notifications(&self) -> Result<(), shimmer_bus::BusError> {
        use futures::StreamExt;
        let mut events = self.bus.subscribe().await?;
        while let Some(event) = events.next().await {
            if let Event::StreamStarted {
                channel_id,
                stream_id,
            } = event
            {
                let platform = self.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(platform.community.live_notification_delay()).await;
                    if let Err(error) = platform.notify_followers(channel_id, stream_id).await {
                        tracing::warn!(%error, channel_id, stream_id, "live notifications failed");
                    }
                });
            }
        }
        Ok(())
    }

    /// Emails the followers of a stream that is still live. Returns how many were sent.
    pub async fn notify_followers(
        &self,
        channel_id: i64,
        stream_id: i64,
    ) -> Result<usize, PlatformError> {
        let Some(channel) = self.store.channel_by_id(channel_id).await? else {
            return Ok(0);
        };
        if channel.current_stream_id != Some(stream_id) {
            return Ok(0);
        }
        let secret = self.unsubscribe_secret().await?;
        let now = shimmer_store::now_ms();
        let limits = NotificationLimits {
            same_streamer_since: now - self.community.per_streamer_window_ms(),
            daily_since: now - DAY_MS,
            daily_cap: self.community.daily_cap,
        };
        let mut sent = 0;
        for recipient in self
            .store
            .live_notification_recipients(channel.user_id)
            .await?
        {
            if !self
                .store
                .claim_live_notification(recipient.user_id, channel.user_id, stream_id, limits)
                .await?
            {
                continue;
            }
            let signature = sign(&secret, recipient.user_id, channel.user_id);
            let base = &self.settings.base_url;
            let locale = self.mail_locale(recipient.user_id).await;
            let args = [
                ("site", self.settings.site_name.as_str().into()),
                ("username", recipient.username.as_str().into()),
                ("streamer", channel.username.as_str().into()),
                ("name", channel.display_name.as_str().into()),
                ("title", channel.title.as_str().into()),
                ("watch", format!("{base}/{}", channel.username).into()),
                (
                    "unsubscribe",
                    format!(
                        "{base}/follows/unsubscribe?user={}&streamer={}&sig={signature}",
                        recipient.user_id, channel.user_id
                    )
                    .into(),
                ),
            ];
            let mail = OutgoingMail {
                to: recipient.email.clone(),
                subject: locale.message("mail-live-subject", &args),
                body: locale.message("mail-live-body", &args),
            };
            match self.mailer.send(mail).await {
                Ok(()) => sent += 1,
                Err(error) => {
                    tracing::warn!(%error, user_id = recipient.user_id, "live notification not sent")
                }
            }
        }
        Ok(sent)
    }

    /// Turns off live emails from an unsubscribe link, if its signature is right. Returns the
    /// streamer's username.
    pub async fn unsubscribe_live_notifications(
        &self,
        user_id: i64,
        streamer_id: i64,
        signature: &str,
    ) -> Result<String, PlatformError> {
        let invalid = || {
            PlatformError::TokenUnusable {
                message: "This unsubscribe link is not valid. Turn notifications off from the streamer's page instead.",
            }
        };
        let secret = self.unsubscribe_secret().await?;
        if !verify(&secret, user_id, streamer_id, signature) {
            return Err(invalid());
        }
        let streamer = self
            .store
            .user_by_id(streamer_id)
            .await?
            .ok_or_else(invalid)?;
        self.store
            .set_live_notifications(user_id, streamer_id, false)
            .await?;
        Ok(streamer.username)
    }

    async fn unsubscribe_secret(&self) -> Result<String, PlatformError> {
        Ok(self
            .store
            .site_secret(UNSUBSCRIBE_SECRET, &crate::random_token(32))
            .await?)
    }
}

fn mac(secret: &str, user_id: i64, streamer_id: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(format!("unsubscribe-live:{user_id}:{streamer_id}").as_bytes());
    mac
}

fn sign(secret: &str, user_id: i64, streamer_id: i64) -> String {
    hex::encode(mac(secret, user_id, streamer_id).finalize().into_bytes())
}

fn verify(secret: &str, user_id: i64, streamer_id: i64, signature: &str) -> bool {
    if signature.len() != 64 {
        return false;
    }
    match hex::decode(signature) {
        Ok(bytes) => mac(secret, user_id, streamer_id)
            .verify_slice(&bytes)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_user_and_streamer() {
        let signature = sign("key", 1, 2);
        assert!(verify("key", 1, 2, &signature));
        assert!(!verify("key", 2, 1, &signature));
        assert!(!verify("other", 1, 2, &signature));
        assert!(!verify("key", 1, 2, "zz"));
    }
}
