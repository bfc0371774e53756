//! What staff may look up: accounts and channels by username, email or id, and one account's
//! page. Each lookup writes an audit row before it answers. Stream keys are never part of it.

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
    /// Accounts whose username or email contains `text`, or whose user or channel id it is.
    pub async fn staff_search(
        &self,
        actor: &UserView,
        text: &str,
    ) -> Result<Vec<AccountMatch>, PlatformError> {
        Self::authorize_staff(actor, Permission::LookUp)?;
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
                after: Some(json!({ "query": text, "results": found.len() })),
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
    ) -> Result<AccountFacts, PlatformError> {
        Self::authorize_staff(actor, Permission::LookUp)?;
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
                after: Some(json!({ "messages_page": messages_page })),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(facts)
    }
}
