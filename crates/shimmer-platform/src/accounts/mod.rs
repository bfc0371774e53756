//! Accounts: registration, signing in and out, sessions, email confirmation, password resets and
//! changes of password or email.

mod account_lifecycle;
mod limits;
pub mod password;
pub mod secret_box;
mod sign_in_link;
mod signup;
pub mod two_factor;
pub mod validation;

use std::net::IpAddr;
use std::time::Duration;

use crate::UserView;
use shimmer_store::{NewUser, Session, StoreError, TokenPurpose};

use crate::mail::OutgoingMail;
use crate::{hash_token, random_token, FieldError, Platform, PlatformError};

pub use account_lifecycle::{RENAME_COOLDOWN, USERNAME_HOLD};
use limits::AccountKey;
pub(crate) use limits::{network_of, LoginLimits, SignupLimits};
pub use sign_in_link::SIGN_IN_LINK_TTL;
pub use signup::{BotCheck, SignupConfig};
pub use two_factor::LoginOutcome;

/// How long a session lasts when the person asked to be remembered.
pub const REMEMBERED_SESSION: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long any other session lasts (its cookie also ends with the browser).
pub const BROWSER_SESSION: Duration = Duration::from_secs(24 * 3600);

/// What a registration form submits.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    /// The preferences the browser had while signing up, kept as the account's (its language
    /// is also the emails' language); `None` keeps the defaults.
    pub preferences: Option<crate::views::Preferences>,
}

/// A fresh session: the secret token goes into the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub session: Session,
    pub user: UserView,
}

/// A request's signed-in user and session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserView,
    pub session: Session,
    /// A staff account without two-factor sign-in: it may only visit the enrolment page.
    pub needs_two_factor: bool,
}

/// Options for creating an account outside the sign-up form (the operator CLI).
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateOptions {
    pub email_confirmed: bool,
    pub is_admin: bool,
}

fn expires_in(duration: Duration) -> i64 {
    shimmer_store::now_ms() + duration.as_millis() as i64
}

fn check_fields(form: &Registration) -> Result<(), PlatformError> {
    let errors: Vec<FieldError> = [
        validation::username(form.username.trim()),
        validation::email(form.email.trim()),
        validation::password(&form.password),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PlatformError::Invalid(errors))
    }
}

impl Platform {
    /// Signs someone up from the form: the bot check, every field (all problems reported at
    /// once), the sign-up limits of the client's network and the site and the email limit of
    /// the address, then the account and its channel, the email confirmation link, and a
    /// session, so the new member is signed in at once (confirming the address can wait). A
    /// form with mistakes counts against no limit.
    pub async fn register(
        &self,
        form: &Registration,
        bot_check: &BotCheck,
        client_ip: IpAddr,
        user_agent: &str,
    ) -> Result<NewSession, PlatformError> {
        self.check_bot(bot_check).await?;
        check_fields(form)?;
        self.signup_limits.check_sign_up(client_ip).await?;
        self.signup_limits.check_recipient(&form.email).await?;
        let user = self.create_account(form, CreateOptions::default()).await?;
        tracing::info!(user_id = user.id, %client_ip, "signed up");
        if let Some(preferences) = &form.preferences {
            self.save_preferences(user.id, preferences).await?;
        }
        self.mail_confirmation(&user).await?;
        self.start_session(user, false, user_agent).await
    }

    /// Creates an account without sending mail; shared by sign-up and the operator CLI.
    pub async fn create_account(
        &self,
        form: &Registration,
        options: CreateOptions,
    ) -> Result<UserView, PlatformError> {
        let username = form.username.trim();
        let email = form.email.trim();
        check_fields(form)?;
        if self.store.email_banned(email).await? {
            return Err(PlatformError::invalid(
                "email",
                crate::staff::ban::BANNED_SIGN_UP,
            ));
        }
        self.refuse_held_username(username).await?;
        let password_hash = password::hash(&form.password).await?;
        let secret = crate::random_tokens::stream_key_secret();
        let new_user = NewUser {
            username,
            email,
            password_hash: &password_hash,
            email_confirmed: options.email_confirmed,
            is_admin: options.is_admin,
            stream_key_secret: &secret,
        };
        self.store.create_user(&new_user).await.map(UserView::from).map_err(|error| match error {
            StoreError::Conflict("username") => {
                PlatformError::invalid("username", "That username is already taken.")
            }
            StoreError::Conflict("email") => PlatformError::invalid(
                "email",
                "An account with that email address already exists. Try logging in or resetting your password.",
            ),
            other => other.into(),
        })
    }

    /// Emails a single-use link that confirms the user's current address, unless that address
    /// got several emails lately.
    pub async fn send_confirmation(&self, user: &UserView) -> Result<(), PlatformError> {
        self.signup_limits.check_recipient(&user.email).await?;
        self.mail_confirmation(user).await
    }

    async fn mail_confirmation(&self, user: &UserView) -> Result<(), PlatformError> {
        let token = random_token(32);
        let expires = expires_in(self.settings.confirm_token_ttl);
        self.store
            .create_email_token(
                &hash_token(&token),
                user.id,
                TokenPurpose::ConfirmEmail,
                &user.email,
                expires,
            )
            .await?;
        let link = format!("{}/users/confirm/{token}", self.settings.base_url);
        let hours = self.settings.confirm_token_ttl.as_secs() / 3600;
        let locale = self.mail_locale(user.id).await;
        let args = [
            ("site", self.settings.site_name.as_str().into()),
            ("username", user.username.as_str().into()),
            ("link", link.into()),
            ("hours", hours.into()),
        ];
        self.send_mail(OutgoingMail {
            to: user.email.clone(),
            subject: locale.message("mail-confirm-subject", &args),
            body: locale.message("mail-confirm-body", &args),
        })
        .await
    }

    /// Confirms the address an emailed link was sent to: the account's own address, or the new
    /// address of a change of email, which takes effect now.
    pub async fn confirm_email(&self, token: &str) -> Result<UserView, PlatformError> {
        let token_hash = hash_token(token);
        if let Some(change) = self
            .store
            .consume_email_token(&token_hash, TokenPurpose::ChangeEmail)
            .await?
        {
            self.store
                .set_confirmed_email(change.user_id, &change.email)
                .await
                .map_err(|error| match error {
                    StoreError::Conflict(_) => email_taken(),
                    other => other.into(),
                })?;
            return self
                .user(change.user_id)
                .await?
                .ok_or(PlatformError::NotFound("That account no longer exists."));
        }
        let Some(record) = self
            .store
            .consume_email_token(&token_hash, TokenPurpose::ConfirmEmail)
            .await?
        else {
            let purpose = match self
                .store
                .email_token_usable(&token_hash, TokenPurpose::ChangeEmail)
                .await?
            {
                Some(_) => TokenPurpose::ChangeEmail,
                None => TokenPurpose::ConfirmEmail,
            };
            return Err(self.unusable_token(&token_hash, purpose).await?);
        };
        if !self
            .store
            .confirm_email(record.user_id, &record.email)
            .await?
        {
            return Err(PlatformError::TokenUnusable {
                message: "This link was for an email address that is no longer on the account.",
            });
        }
        self.user(record.user_id)
            .await?
            .ok_or(PlatformError::NotFound("That account no longer exists."))
    }

    async fn unusable_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
    ) -> Result<PlatformError, PlatformError> {
        let message = match self.store.email_token_usable(token_hash, purpose).await? {
            Some(_) => "This link has already been used or has expired. You can ask for a new one.",
            None => {
                "This link is not valid. Check that you copied all of it, or ask for a new one."
            }
        };
        Ok(PlatformError::TokenUnusable { message })
    }

    /// Checks the password, by username or email. Attempts are limited per client address and
    /// per account (the account, whichever identifier was typed). Accounts with two-factor
    /// sign-in get a pending log-in, not a session. While an account is limited its owner is
    /// not locked out: a correct password emails a single-use sign-in link instead (and the
    /// refusal reads the same whether the password was right, so guessing learns nothing).
    pub async fn login(
        &self,
        identifier: &str,
        password_attempt: &str,
        remember: bool,
        client_ip: IpAddr,
        user_agent: &str,
    ) -> Result<LoginOutcome, PlatformError> {
        let identifier = identifier.trim();
        if identifier.is_empty() || password_attempt.is_empty() {
            return Err(PlatformError::invalid(
                "login",
                "Enter your username or email and your password.",
            ));
        }
        if identifier.len() > validation::EMAIL_MAX
            || password_attempt.len() > validation::PASSWORD_MAX * 4
        {
            return Err(PlatformError::BadCredentials);
        }
        self.limits.check_ip(client_ip).await?;
        let user = if identifier.contains('@') {
            self.store.user_by_email(identifier).await?
        } else {
            self.store.user_by_username(identifier).await?
        };
        let Some(user) = user else {
            let limited = self
                .limits
                .check_account(AccountKey::Unknown(identifier.to_lowercase()))
                .await;
            password::verify(password_attempt, password::decoy_hash()).await;
            return Err(match limited {
                Ok(()) => PlatformError::BadCredentials,
                Err(retry_after) => account_throttled(retry_after),
            });
        };
        let limited = self
            .limits
            .check_account(AccountKey::Account(user.id))
            .await;
        let correct = password::verify(password_attempt, &user.password_hash).await;
        match (limited, correct) {
            (Ok(()), true) => self.after_password(user.into(), remember, user_agent).await,
            (Ok(()), false) => {
                tracing::info!(user_id = user.id, %client_ip, "failed login");
                Err(PlatformError::BadCredentials)
            }
            (Err(retry_after), true) => {
                tracing::info!(user_id = user.id, %client_ip, "correct password on a throttled account: emailing a sign-in link");
                self.send_sign_in_link(&user).await?;
                Err(account_throttled(retry_after))
            }
            (Err(retry_after), false) => {
                tracing::info!(user_id = user.id, %client_ip, "failed login on a throttled account");
                Err(account_throttled(retry_after))
            }
        }
    }

    async fn start_session(
        &self,
        user: UserView,
        remember: bool,
        user_agent: &str,
    ) -> Result<NewSession, PlatformError> {
        self.refuse_banned(user.id).await?;
        let token = random_token(32);
        let csrf = random_token(24);
        let lifetime = if remember {
            REMEMBERED_SESSION
        } else {
            BROWSER_SESSION
        };
        let user_agent: String = user_agent.chars().take(300).collect();
        let session = self
            .store
            .create_session(
                &hash_token(&token),
                user.id,
                &csrf,
                remember,
                &user_agent,
                expires_in(lifetime),
            )
            .await?;
        tracing::info!(user_id = user.id, session_id = session.id, "signed in");
        Ok(NewSession {
            token,
            session,
            user,
        })
    }

    /// The user and session behind a session cookie's token, if it is still valid.
    pub async fn resolve_session(&self, token: &str) -> Result<Option<SignedIn>, PlatformError> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let Some(session) = self.store.session_by_token_hash(&hash_token(token)).await? else {
            return Ok(None);
        };
        let Some(user) = self.store.user_by_id(session.user_id).await? else {
            return Ok(None);
        };
        self.store.touch_session(&session).await?;
        let needs_two_factor = user.is_admin && !self.store.two_factor_enabled(user.id).await?;
        Ok(Some(SignedIn {
            user: user.into(),
            session,
            needs_two_factor,
        }))
    }

    /// Whether `attempt` is the account's password. The hash stays in the domain: it is read
    /// here, for the check, and handed to no one.
    pub(crate) async fn password_matches(
        &self,
        user_id: i64,
        attempt: &str,
    ) -> Result<bool, PlatformError> {
        Ok(match self.store.user_by_id(user_id).await? {
            Some(user) => password::verify(attempt, &user.password_hash).await,
            None => {
                password::verify(attempt, password::decoy_hash()).await;
                false
            }
        })
    }

    /// The signed-in user's own sessions (their devices), for the settings page.
    pub async fn sessions_of(&self, actor: &UserView) -> Result<Vec<Session>, PlatformError> {
        Ok(self.store.sessions_of_user(actor.id).await?)
    }

    /// Ends one session of the signed-in user (log out, or revoking another device).
    pub async fn end_session(&self, user_id: i64, session_id: i64) -> Result<(), PlatformError> {
        if self.store.delete_session(user_id, session_id).await? {
            Ok(())
        } else {
            Err(PlatformError::NotFound("That session has already ended."))
        }
    }

    /// Sends a password reset link if an account has this address. The caller tells the person
    /// the same thing either way, so the form does not reveal who has an account.
    pub async fn request_password_reset(
        &self,
        email: &str,
        client_ip: IpAddr,
        locale: shimmer_i18n::Locale,
    ) -> Result<(), PlatformError> {
        let email = email.trim();
        validation::email(email).map_err(|error| PlatformError::Invalid(vec![error]))?;
        self.limits.check_ip(client_ip).await?;
        let Some(user) = self.store.user_by_email(email).await? else {
            return Ok(());
        };
        let token = random_token(32);
        let ttl = self.settings.reset_token_ttl;
        self.store
            .create_email_token(
                &hash_token(&token),
                user.id,
                TokenPurpose::ResetPassword,
                &user.email,
                expires_in(ttl),
            )
            .await?;
        let link = format!("{}/users/reset-password/{token}", self.settings.base_url);
        let locale = self.mail_locale_or(user.id, locale).await;
        let args = [
            ("site", self.settings.site_name.as_str().into()),
            ("username", user.username.as_str().into()),
            ("link", link.into()),
            ("minutes", (ttl.as_secs() / 60).into()),
        ];
        self.send_mail(OutgoingMail {
            to: user.email.clone(),
            subject: locale.message("mail-reset-subject", &args),
            body: locale.message("mail-reset-body", &args),
        })
        .await
    }

    /// Whether a reset link can still be used, so its page can say so before the form is filled.
    pub async fn check_reset_token(&self, token: &str) -> Result<(), PlatformError> {
        let token_hash = hash_token(token);
        match self
            .store
            .email_token_usable(&token_hash, TokenPurpose::ResetPassword)
            .await?
        {
            Some(true) => Ok(()),
            _ => Err(self
                .unusable_token(&token_hash, TokenPurpose::ResetPassword)
                .await?),
        }
    }

    /// Sets a new password from a reset link, then ends every session of the account.
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
    ) -> Result<UserView, PlatformError> {
        validation::password(new_password).map_err(|error| PlatformError::Invalid(vec![error]))?;
        let password_hash = password::hash(new_password).await?;
        let token_hash = hash_token(token);
        let Some(record) = self
            .store
            .consume_email_token(&token_hash, TokenPurpose::ResetPassword)
            .await?
        else {
            return Err(self
                .unusable_token(&token_hash, TokenPurpose::ResetPassword)
                .await?);
        };
        self.store
            .set_password_hash(record.user_id, &password_hash)
            .await?;
        self.store
            .revoke_email_tokens(record.user_id, TokenPurpose::ResetPassword)
            .await?;
        self.store
            .delete_other_sessions(record.user_id, None)
            .await?;
        self.user(record.user_id)
            .await?
            .ok_or(PlatformError::NotFound("That account no longer exists."))
    }

    /// Changes the password after checking the current one; every other session ends.
    pub async fn change_password(
        &self,
        signed_in: &SignedIn,
        current: &str,
        new_password: &str,
    ) -> Result<(), PlatformError> {
        if !self.password_matches(signed_in.user.id, current).await? {
            return Err(PlatformError::invalid(
                "current_password",
                "Your current password is not correct.",
            ));
        }
        validation::password(new_password).map_err(|error| PlatformError::Invalid(vec![error]))?;
        let password_hash = password::hash(new_password).await?;
        self.store
            .set_password_hash(signed_in.user.id, &password_hash)
            .await?;
        self.store
            .delete_other_sessions(signed_in.user.id, Some(signed_in.session.id))
            .await?;
        Ok(())
    }

    /// Starts a change of email address after checking the password: the new address gets a
    /// single-use link, and the account's address changes only when that link is opened, so a
    /// typo can never lock anyone out of password resets. The old address is told, and every
    /// other session ends.
    pub async fn change_email(
        &self,
        signed_in: &SignedIn,
        current_password: &str,
        new_email: &str,
    ) -> Result<(), PlatformError> {
        let new_email = new_email.trim();
        validation::email(new_email).map_err(|error| PlatformError::Invalid(vec![error]))?;
        if !self
            .password_matches(signed_in.user.id, current_password)
            .await?
        {
            return Err(PlatformError::invalid(
                "current_password",
                "Your current password is not correct.",
            ));
        }
        if new_email.eq_ignore_ascii_case(&signed_in.user.email) {
            return Err(PlatformError::invalid(
                "email",
                "That is already your email address.",
            ));
        }
        if self.store.user_by_email(new_email).await?.is_some() {
            return Err(email_taken());
        }
        self.signup_limits.check_recipient(new_email).await?;
        let user = &signed_in.user;
        let token = random_token(32);
        self.store
            .create_email_token(
                &hash_token(&token),
                user.id,
                TokenPurpose::ChangeEmail,
                new_email,
                expires_in(self.settings.confirm_token_ttl),
            )
            .await?;
        self.store
            .delete_other_sessions(user.id, Some(signed_in.session.id))
            .await?;
        let link = format!("{}/users/confirm/{token}", self.settings.base_url);
        let hours = self.settings.confirm_token_ttl.as_secs() / 3600;
        let locale = self.mail_locale(user.id).await;
        let args = [
            ("site", self.settings.site_name.as_str().into()),
            ("username", user.username.as_str().into()),
            ("link", link.into()),
            ("hours", hours.into()),
            ("email", new_email.into()),
            (
                "security",
                format!("{}/users/settings/security", self.settings.base_url).into(),
            ),
        ];
        self.send_mail(OutgoingMail {
            to: new_email.to_owned(),
            subject: locale.message("mail-new-email-subject", &args),
            body: locale.message("mail-new-email-body", &args),
        })
        .await?;
        self.send_mail(OutgoingMail {
            to: user.email.clone(),
            subject: locale.message("mail-email-changing-subject", &args),
            body: locale.message("mail-email-changing-body", &args),
        })
        .await
    }

    /// The language of the emails `user_id` gets: their saved preference, else English.
    pub(crate) async fn mail_locale(&self, user_id: i64) -> shimmer_i18n::Locale {
        self.mail_locale_or(user_id, shimmer_i18n::Locale::En).await
    }

    /// The language of emails to `user_id`: their saved preference, else `fallback` (the
    /// language of the request that sends the email).
    pub(crate) async fn mail_locale_or(
        &self,
        user_id: i64,
        fallback: shimmer_i18n::Locale,
    ) -> shimmer_i18n::Locale {
        match self.store.preferences(user_id).await {
            Ok(Some(preferences)) if !preferences.locale.is_empty() => {
                shimmer_i18n::Locale::from_tag(&preferences.locale).unwrap_or(fallback)
            }
            _ => fallback,
        }
    }

    pub(crate) async fn send_mail(&self, mail: OutgoingMail) -> Result<(), PlatformError> {
        self.mailer.send(mail).await.map_err(|error| {
            tracing::error!(%error, "sending email failed");
            PlatformError::Mail(error.to_string())
        })
    }
}

impl Platform {
    /// Sets how the username is displayed; only letter case may differ from the username, so a
    /// display name can never impersonate another account.
    pub async fn update_display_name(
        &self,
        user: &UserView,
        display_name: &str,
    ) -> Result<(), PlatformError> {
        let display_name = display_name.trim();
        if !display_name.eq_ignore_ascii_case(&user.username) {
            return Err(PlatformError::invalid(
                "display_name",
                format!("Your display name can only change the upper and lower case of your username, {}.", user.username),
            ));
        }
        self.store.set_display_name(user.id, display_name).await?;
        self.channel_lookups.forget_user(user.id);
        Ok(())
    }
}

/// The refusal while an account's log-ins are limited; it reads the same whether or not the
/// password was right.
fn account_throttled(retry_after: Duration) -> PlatformError {
    PlatformError::Throttled {
        message: format!(
            "Too many attempts to log in to this account. If the password was right, we emailed \
             you a link to sign in; otherwise try again in {} seconds.",
            retry_after.as_secs().max(1)
        ),
        retry_after,
    }
}

fn email_taken() -> PlatformError {
    PlatformError::invalid("email", "Another account already uses that email address.")
}
