//! Two-factor sign-in with time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s).
//!
//! Seeds are random, encrypted at rest ([`super::secret_box`]) and never derived from anything
//! else. A code is accepted for the step before, the current step and the one after (clock
//! drift), and each step only once: the last accepted step is stored and only later ones pass,
//! so a code seen over a shoulder cannot be replayed. Ten single-use recovery codes, stored as
//! hashes, stand in for a lost phone. A correct password on an enrolled account yields only a
//! pending log-in, which becomes a session after the second step.

use std::io::Cursor;

use crate::UserView;
use image::{ImageFormat, Luma};
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};

use super::limits::AccountKey;
use super::{expires_in, secret_box, NewSession, SignedIn};
use crate::{hash_token, random_token, Platform, PlatformError};

/// How many recovery codes an enrolment hands out.
pub const RECOVERY_CODES: usize = 10;
/// How long the second step may take after the password was accepted.
pub const PENDING_LOGIN_TTL: std::time::Duration = std::time::Duration::from_secs(10 * 60);
const STEP_SECONDS: u64 = 30;
const SEED_BYTES: usize = 20;

/// What the enrolment page shows: the key to type in and the QR image that carries it.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The seed in base32, as authenticator apps take it.
    pub manual_key: String,
    /// The `otpauth://` URL the QR code encodes.
    pub otpauth_url: String,
    /// The QR code as a PNG image.
    pub qr_png: Vec<u8>,
}

/// What a correct password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in.
    Session(Box<NewSession>),
    /// The account asks for a code: this token (for a cookie) names the pending log-in.
    SecondFactor {
        pending_token: String,
        remember: bool,
    },
}

fn totp(seed: Vec<u8>) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, STEP_SECONDS, seed)
}

fn now_seconds() -> u64 {
    (shimmer_store::now_ms().max(0) / 1000) as u64
}

/// Recovery codes are 80 random bits in base32, shown as four groups of four characters;
/// hashing with SHA-256 is enough at that entropy.
fn new_recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let Secret::Encoded(encoded) = Secret::Raw(bytes.to_vec()).to_encoded() else {
        unreachable!("to_encoded always returns the encoded form")
    };
    let lower = encoded.to_lowercase();
    lower
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn recovery_hash(code: &str) -> String {
    hash_token(&format!("recovery:{}", normalise_recovery_code(code)))
}

/// Whether `code` looks like a one-time code (six digits, spaces allowed) rather than a
/// recovery code.
fn as_totp_code(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn qr_png(text: &str) -> Result<Vec<u8>, PlatformError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|error| PlatformError::Internal(format!("QR encoding failed: {error}")))?;
    let image = code
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(6, 6)
        .build();
    let mut png = Cursor::new(Vec::new());
    image
        .write_to(&mut png, ImageFormat::Png)
        .map_err(|error| PlatformError::Internal(format!("PNG encoding failed: {error}")))?;
    Ok(png.into_inner())
}

impl Platform {
    pub(crate) fn secret_key(&self) -> Result<[u8; 32], PlatformError> {
        secret_box::load_or_create_key(&self.settings.data_dir)
    }

    /// Whether the user has two-factor sign-in turned on.
    pub async fn two_factor_enabled(&self, user_id: i64) -> Result<bool, PlatformError> {
        Ok(self.store.two_factor_enabled(user_id).await?)
    }

    /// Starts an enrolment with a fresh seed, or shows the one in progress again.
    pub async fn begin_two_factor(&self, user: &UserView) -> Result<Enrolment, PlatformError> {
        let key = self.secret_key()?;
        let seed = match self.store.two_factor(user.id).await? {
            Some(existing) if existing.enabled_at.is_some() => {
                return Err(PlatformError::Refused(
                    "Two-factor sign-in is already on. Turn it off first to set up a new device."
                        .into(),
                ))
            }
            Some(existing) => secret_box::open(&key, &existing.secret_sealed)?,
            None => {
                let mut seed = vec![0u8; SEED_BYTES];
                rand::rngs::OsRng.fill_bytes(&mut seed);
                let sealed = secret_box::seal(&key, &seed)?;
                if !self.store.begin_two_factor(user.id, &sealed).await? {
                    return Err(PlatformError::Refused(
                        "Two-factor sign-in is already on.".into(),
                    ));
                }
                seed
            }
        };
        let Secret::Encoded(manual_key) = Secret::Raw(seed).to_encoded() else {
            unreachable!("to_encoded always returns the encoded form")
        };
        let issuer: String = self
            .settings
            .site_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
            .collect();
        let otpauth_url = format!(
            "otpauth://totp/{issuer_path}:{user}?secret={manual_key}&issuer={issuer_query}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
            issuer_path = issuer.replace(' ', "%20"),
            user = user.username,
            issuer_query = issuer.replace(' ', "%20"),
        );
        let qr_png = qr_png(&otpauth_url)?;
        Ok(Enrolment {
            manual_key,
            otpauth_url,
            qr_png,
        })
    }

    /// Checks a six-digit code against the user's seed, refusing codes of steps already used.
    async fn check_totp(&self, user_id: i64, code: &str) -> Result<(), PlatformError> {
        self.limits
            .check_account(AccountKey::TwoFactor(user_id))
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })?;
        let wrong = || {
            PlatformError::invalid("code", "That code is not correct. Codes change every 30 seconds; use the one your app shows now.")
        };
        let Some(code) = as_totp_code(code) else {
            return Err(wrong());
        };
        let Some(enrolment) = self.store.two_factor(user_id).await? else {
            return Err(wrong());
        };
        let seed = secret_box::open(&self.secret_key()?, &enrolment.secret_sealed)?;
        let generator = totp(seed);
        let current = now_seconds() / STEP_SECONDS;
        let matched = [current.saturating_sub(1), current, current + 1]
            .into_iter()
            .find(|step| {
                bool::from(
                    generator
                        .generate(step * STEP_SECONDS)
                        .as_bytes()
                        .ct_eq(code.as_bytes()),
                )
            });
        let Some(step) = matched else {
            tracing::info!(user_id, "wrong two-factor code");
            return Err(wrong());
        };
        if !self.store.claim_totp_step(user_id, step as i64).await? {
            return Err(PlatformError::invalid(
                "code",
                "That code was already used. Wait for your app to show the next one.",
            ));
        }
        Ok(())
    }

    /// Confirms an enrolment with a code from the app; returns the recovery codes, shown once.
    /// Every other session ends: they were signed in with the password alone.
    pub async fn confirm_two_factor(
        &self,
        signed_in: &SignedIn,
        code: &str,
    ) -> Result<Vec<String>, PlatformError> {
        let user = &signed_in.user;
        match self.store.two_factor(user.id).await? {
            None => {
                return Err(PlatformError::Refused(
                    "Start the set-up again: there is no enrolment in progress.".into(),
                ))
            }
            Some(existing) if existing.enabled_at.is_some() => {
                return Err(PlatformError::Refused(
                    "Two-factor sign-in is already on.".into(),
                ))
            }
            Some(_) => {}
        }
        self.check_totp(user.id, code).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|code| recovery_hash(code)).collect();
        self.store.enable_two_factor(user.id, &hashes).await?;
        self.store
            .delete_other_sessions(user.id, Some(signed_in.session.id))
            .await?;
        tracing::info!(user_id = user.id, "two-factor sign-in enabled");
        Ok(codes)
    }

    /// Turns two-factor sign-in off; needs the password and a current code (or recovery code).
    pub async fn disable_two_factor(
        &self,
        signed_in: &SignedIn,
        current_password: &str,
        code: &str,
    ) -> Result<(), PlatformError> {
        let user = &signed_in.user;
        if !self.store.two_factor_enabled(user.id).await? {
            return Err(PlatformError::Refused(
                "Two-factor sign-in is not on.".into(),
            ));
        }
        if !self.password_matches(user.id, current_password).await? {
            return Err(PlatformError::invalid(
                "current_password",
                "Your current password is not correct.",
            ));
        }
        self.check_second_factor(user.id, code).await?;
        self.store.disable_two_factor(user.id).await?;
        self.store
            .delete_other_sessions(user.id, Some(signed_in.session.id))
            .await?;
        tracing::info!(user_id = user.id, "two-factor sign-in disabled");
        Ok(())
    }

    /// A one-time code or an unused recovery code.
    pub(super) async fn check_second_factor(
        &self,
        user_id: i64,
        code: &str,
    ) -> Result<(), PlatformError> {
        if as_totp_code(code).is_some() {
            return self.check_totp(user_id, code).await;
        }
        self.limits
            .check_account(AccountKey::TwoFactor(user_id))
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })?;
        let normalised = normalise_recovery_code(code);
        if normalised.len() == 16
            && self
                .store
                .use_recovery_code(user_id, &recovery_hash(&normalised))
                .await?
        {
            tracing::info!(user_id, "recovery code used");
            return Ok(());
        }
        Err(PlatformError::invalid(
            "code",
            "That code is not correct. Enter the six digits from your app, or one of your unused recovery codes.",
        ))
    }

    /// After a correct password: a session, or a pending log-in when the account has 2FA.
    pub(super) async fn after_password(
        &self,
        user: UserView,
        remember: bool,
        user_agent: &str,
    ) -> Result<LoginOutcome, PlatformError> {
        self.refuse_banned(user.id).await?;
        if !self.store.two_factor_enabled(user.id).await? {
            return Ok(LoginOutcome::Session(Box::new(
                self.start_session(user, remember, user_agent).await?,
            )));
        }
        let pending_token = random_token(32);
        self.store
            .create_pending_login(
                &hash_token(&pending_token),
                user.id,
                remember,
                expires_in(PENDING_LOGIN_TTL),
            )
            .await?;
        Ok(LoginOutcome::SecondFactor {
            pending_token,
            remember,
        })
    }

    /// Whether a pending log-in's token is still usable (to show its form or send to log-in).
    pub async fn pending_login_valid(&self, token: &str) -> Result<bool, PlatformError> {
        if token.is_empty() || token.len() > 128 {
            return Ok(false);
        }
        Ok(self
            .store
            .pending_login(&hash_token(token))
            .await?
            .is_some())
    }

    /// The second step: a code turns the pending log-in into a session.
    pub async fn complete_login(
        &self,
        pending_token: &str,
        code: &str,
        user_agent: &str,
    ) -> Result<NewSession, PlatformError> {
        let expired = || PlatformError::TokenUnusable {
            message: "Your log-in took too long. Enter your password again.",
        };
        if pending_token.is_empty() || pending_token.len() > 128 {
            return Err(expired());
        }
        let Some(pending) = self.store.pending_login(&hash_token(pending_token)).await? else {
            return Err(expired());
        };
        self.check_second_factor(pending.user_id, code).await?;
        if !self.store.delete_pending_login(pending.id).await? {
            return Err(expired());
        }
        let user = self
            .user(pending.user_id)
            .await?
            .ok_or(PlatformError::NotFound("That account no longer exists."))?;
        self.start_session(user, pending.remember, user_agent).await
    }

    /// How many recovery codes the user has left.
    pub async fn recovery_codes_left(&self, user_id: i64) -> Result<i64, PlatformError> {
        Ok(self.store.unused_recovery_codes(user_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_grouped_and_normalise() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(normalise_recovery_code(&code.to_uppercase()).len(), 16);
        assert_eq!(recovery_hash(&code), recovery_hash(&code.replace('-', " ")));
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }

    #[test]
    fn only_six_digits_count_as_a_one_time_code() {
        assert_eq!(as_totp_code("123 456").as_deref(), Some("123456"));
        assert_eq!(as_totp_code("12345"), None);
        assert_eq!(as_totp_code("abcdef"), None);
    }

    #[test]
    fn qr_codes_render_as_png() {
        let png = qr_png("otpauth://totp/Shimmer:someone?secret=ABC").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory(&png).unwrap();
        assert!(decoded.width() >= 21 * 6);
    }
}
