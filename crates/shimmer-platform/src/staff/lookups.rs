//! What staff may look up: accounts and channels by username, email or id, and one account's
//! page. Each lookup writes an audit row before it answers, saying whether it came from the
//! `/staff` pages or the API ([`LookupVia`]). Stream keys are never part of it.

use serde_json::json;
use shimmer_store::{
    AccountChatMessage, AccountMatch, AccountModeration, FollowListEntry, PlatformBan, Report,
};

use super::audit::{AuditStep, AuditTarget};
use super::Permission;
use crate::oauth::AuthorizedApp;
use crate::views::Session;
use crate::{AppView, ChannelView, Platform, PlatformError, UserView};

/// Most accounts a search lists.
pub const SEARCH_LIMIT: i64 = 50;
/// Chat messages per page of an account's history.
pub const MESSAGES_PAGE: i64 = 25;
/// Longest search text, in characters.
const SEARCH_MAX: usize = 100;

/// Where a staff lookup was asked from; the API's lookups say so (and with which app's token)
/// in their audit rows, the site's rows stay as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupVia {
    /// The `/staff` pages, behind a two-factor sign-in.
    Site,
    /// The GraphQL API, with a token of this OAuth app. Allowed only to staff accounts with
    /// two-factor sign-in enabled, as the pages are.
    Api { app_id: i64 },
}

impl LookupVia {
    /// `after` of an audit row, with the origin added for API lookups.
    pub(crate) fn record(self, mut after: serde_json::Value) -> serde_json::Value {
        if let (Self::Api { app_id }, Some(fields)) = (self, after.as_object_mut()) {
            fields.insert("via".into(), json!("api"));
            fields.insert("app_id".into(), json!(app_id));
        }
        after
    }
}

/// Everything `/staff/users/<username>` shows about an account.
#[derive(Debug, Clone)]
pub struct AccountFacts {
    pub user: UserView,
    pub can_stream: bool,
    pub two_factor: bool,
    /// Signed-in devices, newest first.
    pub sessions: Vec<Session>,
    pub channel: ChannelView,
    pub hidden_from_discovery: bool,
    pub ban: Option<PlatformBan>,
    pub reports: Vec<Report>,
    /// Chat moderation of the account in every channel, newest first.
    pub moderation: Vec<AccountModeration>,
    /// This page of the account's chat messages in every channel, newest first.
    pub messages: Vec<AccountChatMessage>,
    pub messages_page: i64,
    /// Whether another page of messages follows.
    pub more_messages: bool,
    pub following: Vec<FollowListEntry>,
    pub followers: Vec<FollowListEntry>,
    pub apps_owned: Vec<AppView>,
    pub apps_authorized: Vec<AuthorizedApp>,
}

impl Platform {
    /// [`Platform::authorize_staff`] for a lookup from `via`. The site's session middleware
    /// keeps staff without two-factor sign-in away from every staff page; an API token is not
    /// a sign-in, so its lookups check the account's two-factor sign-in here.
    pub(crate) async fn authorize_lookup(
        &self,
        actor: &UserView,
        permission: Permission,
        via: LookupVia,
    ) -> Result<(), PlatformError> {
        Self::authorize_staff(actor, permission)?;
        if matches!(via, LookupVia::Api { .. }) && !self.store.two_factor_enabled(actor.id).await? {
            return Err(PlatformError::Denied(
                "Staff tools need two-factor sign-in on the staff account.".into(),
            ));
        }
        Ok(())
    }

    /// Accounts whose username or email contains `text`, or whose user or channel id it is.
    pub async fn staff_search(
        &self,
        actor: &UserView,
        text: &str,
        via: LookupVia,
    ) -> Result<Vec<AccountMatch>, PlatformError> {
        self.authorize_lookup(actor, Permission::LookUp, via)
            .await?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        if text.chars().count() > SEARCH_MAX {
            return Err(PlatformError::invalid(
                "q",
                format!("Search for at most {SEARCH_MAX} characters."),
            ));
        }
        let found = self.store.search_accounts(text, SEARCH_LIMIT).await?;
        self.audit(
            actor,
            AuditStep {
                action: "search",
                after: Some(via.record(json!({ "query": text, "results": found.len() }))),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(found)
    }

    /// The account whose email address is `email` (ignoring case), if any. Audited as a
    /// search.
    pub async fn staff_user_by_email(
        &self,
        actor: &UserView,
        email: &str,
        via: LookupVia,
    ) -> Result<Option<UserView>, PlatformError> {
        self.authorize_lookup(actor, Permission::LookUp, via)
            .await?;
        let email = email.trim();
        if email.len() > crate::accounts::validation::EMAIL_MAX {
            // No account has so long an address.
            return Ok(None);
        }
        let found = self.store.user_by_email(email).await?.map(UserView::from);
        self.audit(
            actor,
            AuditStep {
                action: "search",
                target: found
                    .as_ref()
                    .map_or_else(AuditTarget::default, AuditTarget::user),
                after: Some(
                    via.record(json!({ "email": email, "results": usize::from(found.is_some()) })),
                ),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(found)
    }

    /// The account's page for staff: facts, channel, reports, chat moderation, chat history
    /// (page `messages_page`, from 1), follows and apps.
    pub async fn staff_account(
        &self,
        actor: &UserView,
        username: &str,
        messages_page: i64,
        via: LookupVia,
    ) -> Result<AccountFacts, PlatformError> {
        self.authorize_lookup(actor, Permission::LookUp, via)
            .await?;
        let row = self
            .store
            .user_by_username(username)
            .await?
            .ok_or(PlatformError::NotFound(
                "There is no account with that name.",
            ))?;
        let (can_stream, user) = (row.can_stream, UserView::from(row));
        let channel = self.channel_of_user(user.id).await?;
        let messages_page = messages_page.clamp(1, 100_000);
        let mut messages = self
            .store
            .account_chat_messages(
                user.id,
                (messages_page - 1) * MESSAGES_PAGE,
                MESSAGES_PAGE + 1,
            )
            .await?;
        let more_messages = messages.len() as i64 > MESSAGES_PAGE;
        messages.truncate(MESSAGES_PAGE as usize);
        let facts = AccountFacts {
            can_stream,
            two_factor: self.store.two_factor_enabled(user.id).await?,
            sessions: self.store.sessions_of_user(user.id).await?,
            hidden_from_discovery: self.store.channel_hidden_from_discovery(channel.id).await?,
            ban: self.store.active_platform_ban(user.id).await?,
            reports: self.store.reports_about(user.id, 50).await?,
            moderation: self.store.account_moderation(user.id, 50).await?,
            messages,
            messages_page,
            more_messages,
            following: self.store.following(user.id, 50, 0).await?,
            followers: self.store.followers(user.id, 50, 0).await?,
            apps_owned: self.apps_of(&user).await?,
            apps_authorized: self.authorized_apps(&user).await?,
            channel,
            user,
        };
        self.audit(
            actor,
            AuditStep {
                action: "view_account",
                target: AuditTarget::channel(&facts.user, facts.channel.id),
                after: Some(via.record(json!({ "messages_page": messages_page }))),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(facts)
    }
}
