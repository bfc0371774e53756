//! What keeps sign-up from being scripted: limits per client network and site-wide (see
//! [`super::limits::SignupLimits`]), a cap on emails to one address, and a bot check that needs
//! no third party. The check is a honeypot field that people never see (scripts that fill every
//! field give themselves away) and a minimum time between showing the form and sending it
//! (measured with a signed timestamp in the form, so it works across nodes and restarts).

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{random_token, Platform, PlatformError};

/// The name of the site secret that signs sign-up form timestamps.
const FORM_SECRET: &str = "signup-form";
/// How long a sign-up form stays valid after it was shown.
const FORM_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The least time between showing the sign-up form and sending it, unless configured: quicker
/// than anyone types a name, an address and a password, slower than a script.
pub const DEFAULT_MIN_FILL_SECS: u64 = 3;

/// Sign-up limits (`[signup]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupConfig {
    /// Sign-ups one client network (an IPv4 address or an IPv6 /64) may make at once...
    pub per_address_burst: u32,
    /// ...and then one per this many seconds.
    pub per_address_interval_secs: u64,
    /// Sign-ups the whole site takes at once...
    pub global_burst: u32,
    /// ...and then one per this many seconds.
    pub global_interval_secs: u64,
    /// Confirmation (and change-of-address) emails one address may get at once...
    pub mails_per_recipient: u32,
    /// ...and then one per this many seconds.
    pub mail_interval_secs: u64,
    /// The least time, in seconds, between showing the form and sending it (0: no minimum;
    /// unset: [`DEFAULT_MIN_FILL_SECS`]).
    pub min_fill_secs: Option<u64>,
}

impl Default for SignupConfig {
    fn default() -> Self {
        Self {
            per_address_burst: 10,
            per_address_interval_secs: 360,
            global_burst: 60,
            global_interval_secs: 2,
            mails_per_recipient: 3,
            mail_interval_secs: 1200,
            min_fill_secs: None,
        }
    }
}

/// The bot-check fields a sign-up form sends back.
#[derive(Debug, Clone, Default)]
pub struct BotCheck {
    /// The signed timestamp the form was shown with ([`Platform::sign_up_form_stamp`]).
    pub form_stamp: String,
    /// The honeypot field: empty from people, who never see it.
    pub honeypot: String,
}

fn mac(secret: &str, shown_at_ms: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(format!("{FORM_SECRET}:{shown_at_ms}").as_bytes());
    mac
}

fn refused(message: &str) -> PlatformError {
    PlatformError::invalid("bot_check", message)
}

impl Platform {
    async fn sign_up_secret(&self) -> Result<String, PlatformError> {
        Ok(self
            .store
            .site_secret(FORM_SECRET, &random_token(32))
            .await?)
    }

    /// A stamp for a sign-up form shown now: the time and its signature.
    pub async fn sign_up_form_stamp(&self) -> Result<String, PlatformError> {
        let now = shimmer_store::now_ms();
        let signature = mac(&self.sign_up_secret().await?, now).finalize();
        Ok(format!("{now}.{}", hex::encode(signature.into_bytes())))
    }

    /// Refuses a sign-up whose honeypot was filled in, or that came back sooner than a person
    /// fills in the form (or without a genuine stamp) when a minimum time is configured.
    pub(crate) async fn check_bot(&self, check: &BotCheck) -> Result<(), PlatformError> {
        if !check.honeypot.trim().is_empty() {
            tracing::info!("sign-up refused: honeypot filled in");
            return Err(refused(
                "Leave the field marked \"leave this empty\" empty, then send the form again.",
            ));
        }
        let minimum =
            Duration::from_secs(self.signup.min_fill_secs.unwrap_or(DEFAULT_MIN_FILL_SECS));
        if minimum.is_zero() {
            return Ok(());
        }
        let expired =
            || refused("This sign-up form is out of date. Check your details and send it again.");
        let (shown_at, signature) = check.form_stamp.split_once('.').ok_or_else(expired)?;
        let shown_at: i64 = shown_at.parse().map_err(|_| expired())?;
        let signature = hex::decode(signature).map_err(|_| expired())?;
        mac(&self.sign_up_secret().await?, shown_at)
            .verify_slice(&signature)
            .map_err(|_| expired())?;
        let elapsed = shimmer_store::now_ms() - shown_at;
        if elapsed > FORM_LIFETIME.as_millis() as i64 {
            return Err(expired());
        }
        if elapsed < minimum.as_millis() as i64 {
            tracing::info!(elapsed_ms = elapsed, "sign-up refused: sent too quickly");
            return Err(refused(
                "That was quicker than anyone can fill in this form, so it looked automated. \
                 Check your details and send it again.",
            ));
        }
        Ok(())
    }
}
