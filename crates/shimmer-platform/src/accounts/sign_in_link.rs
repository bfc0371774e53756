//! Emailed sign-in links: how the owner of an account whose log-ins are limited (someone is
//! guessing its password) still gets in. A correct password on such an account sends a
//! single-use link to the account's address; opening it counts as the password step, so an
//! account with two-factor sign-in still asks for its code.

use std::time::Duration;

use shimmer_store::{TokenPurpose, User};

use super::{expires_in, LoginOutcome};
use crate::mail::OutgoingMail;
use crate::{hash_token, random_token, Platform, PlatformError};

/// How long an emailed sign-in link works.
pub const SIGN_IN_LINK_TTL: Duration = Duration::from_secs(15 * 60);

impl Platform {
    /// Emails `user` a sign-in link, unless their address got several emails lately (then the
    /// newest of those still works).
    pub(super) async fn send_sign_in_link(&self, user: &User) -> Result<(), PlatformError> {
        if self
            .signup_limits
            .check_recipient(&user.email)
            .await
            .is_err()
        {
            tracing::info!(
                user_id = user.id,
                "sign-in link not sent: the address got several emails lately"
            );
            return Ok(());
        }
        let token = random_token(32);
        self.store
            .create_email_token(
                &hash_token(&token),
                user.id,
                TokenPurpose::SignIn,
                &user.email,
                expires_in(SIGN_IN_LINK_TTL),
            )
            .await?;
        let link = format!("{}/users/login/link/{token}", self.settings.base_url);
        let locale = self.mail_locale(user.id).await;
        let args = [
            ("site", self.settings.site_name.as_str().into()),
            ("username", user.username.as_str().into()),
            ("link", link.into()),
            ("minutes", (SIGN_IN_LINK_TTL.as_secs() / 60).into()),
        ];
        self.send_mail(OutgoingMail {
            to: user.email.clone(),
            subject: locale.message("mail-sign-in-subject", &args),
            body: locale.message("mail-sign-in-body", &args),
        })
        .await
    }

    /// Whether a sign-in link can still be used, so its page can say so before the button.
    pub async fn check_sign_in_link(&self, token: &str) -> Result<(), PlatformError> {
        let token_hash = hash_token(token);
        match self
            .store
            .email_token_usable(&token_hash, TokenPurpose::SignIn)
            .await?
        {
            Some(true) => Ok(()),
            _ => Err(self
                .unusable_token(&token_hash, TokenPurpose::SignIn)
                .await?),
        }
    }

    /// Uses a sign-in link: a session, or the second step for accounts with two-factor sign-in.
    pub async fn sign_in_with_link(
        &self,
        token: &str,
        user_agent: &str,
    ) -> Result<LoginOutcome, PlatformError> {
        let token_hash = hash_token(token);
        let Some(record) = self
            .store
            .consume_email_token(&token_hash, TokenPurpose::SignIn)
            .await?
        else {
            return Err(self
                .unusable_token(&token_hash, TokenPurpose::SignIn)
                .await?);
        };
        let user = self
            .store
            .user_by_id(record.user_id)
            .await?
            .filter(|user| user.email.eq_ignore_ascii_case(&record.email))
            .ok_or(PlatformError::TokenUnusable {
                message: "This link was for an email address that is no longer on the account.",
            })?;
        tracing::info!(user_id = user.id, "signed in with an emailed link");
        self.after_password(user.into(), false, user_agent).await
    }
}
