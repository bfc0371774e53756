//! `/staff/users/<username>`: an account's facts for staff, and the actions on it and its
//! channel. Each action is a POST form (CSRF-checked by the middleware like every form);
//! a refusal shows the page again with the reason and what was typed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::staff::lookups::{AccountFacts, LookupVia};
use shimmer_platform::staff::{staff_may, Permission};
use shimmer_platform::{PlatformError, UserView};

use super::level_label;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused_with, FormState, ParsedForm};
use crate::pages::{render, require_user, NoticeQuery};
use crate::templates::{format_time, PageContext};
use crate::AppState;

/// Which controls the page offers the viewing staff member; the domain decides again when a
/// form is sent.
struct Controls {
    edit_users: bool,
    stream_control: bool,
    ban: bool,
}

struct MessageRow {
    channel: String,
    body: String,
    sent: String,
    hidden: Option<String>,
}

struct ReportRow {
    id: i64,
    reporter: String,
    reason: String,
    status: String,
    notes: String,
    filed: String,
}

struct ModerationRow {
    channel: String,
    moderator: String,
    action: String,
    when: String,
}

struct NamedRow {
    name: String,
    when: String,
}

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    page: PageContext,
    form: FormState,
    controls: Controls,
    user: UserView,
    staff: String,
    joined: String,
    can_stream: bool,
    two_factor: bool,
    sessions: Vec<NamedRow>,
    channel_id: i64,
    channel_title: String,
    live: bool,
    hidden_from_discovery: bool,
    ban: Option<(String, String, String)>,
    reports: Vec<ReportRow>,
    moderation: Vec<ModerationRow>,
    messages: Vec<MessageRow>,
    messages_page: i64,
    more_messages: bool,
    following: Vec<NamedRow>,
    followers: Vec<NamedRow>,
    apps_owned: Vec<String>,
    apps_authorized: Vec<NamedRow>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    notice: String,
}

fn account_page(
    context: &RequestContext,
    dev_mode: bool,
    actor: &UserView,
    facts: AccountFacts,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Response {
    let page = PageContext::new(
        context.message(
            "staff-account-title",
            &[("name", facts.user.username.as_str().into())],
        ),
        context,
        dev_mode,
    )
    .with_notice(notice);
    let named = |entries: Vec<shimmer_platform::views::FollowListEntry>| {
        entries
            .into_iter()
            .map(|entry| NamedRow {
                name: entry.username,
                when: format_time(context.locale, entry.created_at),
            })
            .collect()
    };
    render(
        status,
        &AccountPage {
            page,
            form,
            controls: Controls {
                edit_users: staff_may(actor, Permission::EditUsers),
                stream_control: staff_may(actor, Permission::StreamControl),
                ban: staff_may(actor, Permission::Ban),
            },
            staff: level_label(context.locale, facts.user.staff_level),
            joined: format_time(context.locale, facts.user.created_at),
            can_stream: facts.can_stream,
            two_factor: facts.two_factor,
            sessions: facts
                .sessions
                .into_iter()
                .map(|session| NamedRow {
                    name: session.user_agent,
                    when: format_time(context.locale, session.last_seen_at),
                })
                .collect(),
            channel_id: facts.channel.id,
            channel_title: facts.channel.title.clone(),
            live: facts.channel.is_live(),
            hidden_from_discovery: facts.hidden_from_discovery,
            ban: facts.ban.map(|ban| {
                (
                    ban.reason,
                    ban.banned_by
                        .unwrap_or_else(|| context.t("staff-deleted-account")),
                    format_time(context.locale, ban.created_at),
                )
            }),
            reports: facts
                .reports
                .into_iter()
                .map(|report| ReportRow {
                    id: report.id,
                    reporter: report
                        .reporter_username
                        .unwrap_or_else(|| context.t("staff-deleted-account")),
                    reason: report.reason,
                    status: report.status,
                    notes: report.notes,
                    filed: format_time(context.locale, report.created_at),
                })
                .collect(),
            moderation: facts
                .moderation
                .into_iter()
                .map(|entry| ModerationRow {
                    channel: entry.channel,
                    moderator: entry
                        .moderator
                        .unwrap_or_else(|| context.t("staff-deleted-account")),
                    action: crate::pages::chat::moderation_action_words(
                        context.locale,
                        &entry.action,
                    ),
                    when: format_time(context.locale, entry.created_at),
                })
                .collect(),
            messages: facts
                .messages
                .into_iter()
                .map(|message| MessageRow {
                    channel: message.channel,
                    body: message.body,
                    sent: format_time(context.locale, message.created_at),
                    hidden: message.hidden_reason,
                })
                .collect(),
            messages_page: facts.messages_page,
            more_messages: facts.more_messages,
            following: named(facts.following),
            followers: named(facts.followers),
            apps_owned: facts.apps_owned.into_iter().map(|app| app.name).collect(),
            apps_authorized: facts
                .apps_authorized
                .into_iter()
                .map(|authorized| NamedRow {
                    name: authorized.app.name,
                    when: format_time(context.locale, authorized.last_granted_at),
                })
                .collect(),
            user: facts.user,
        },
    )
}

/// The page, shown again after a refusal (`status`, `form`) or plainly.
async fn show(
    state: &AppState,
    context: &RequestContext,
    username: &str,
    messages_page: i64,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let actor = &require_user(context)?.user;
    let facts = state
        .platform
        .staff_account(actor, username, messages_page, LookupVia::Site)
        .await?;
    Ok(account_page(
        context,
        state.config.dev_mode,
        actor,
        facts,
        status,
        form,
        notice,
    ))
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let notice = NoticeQuery {
        notice: query.notice,
    };
    show(
        &state,
        &context,
        &username,
        query.page.unwrap_or(1),
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

/// Where an action goes next: back to the account's page (under its new name after a
/// rename), or the page again with the refusal. Refusals of the staff rules themselves (no
/// permission, level too low) answer 403 with their reason.
async fn after(
    state: &AppState,
    context: &RequestContext,
    username: &str,
    result: Result<(), PlatformError>,
    typed: FormState,
) -> Result<Response, WebError> {
    match result {
        // Only valid usernames get here (the account was found, or renamed to a checked name),
        // and those are letters, digits, `_` and `.`: nothing to escape in a path.
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/users/{username}?notice=staff_done")).into_response())
        }
        Err(error @ (PlatformError::Invalid(_) | PlatformError::Refused(_))) => {
            let (status, form) = refused_with(error, typed)?;
            show(state, context, username, 1, status, form, None).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct UsernameForm {
    #[serde(default)]
    username: String,
}

pub async fn rename(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<UsernameForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_rename(actor, &username, &form.username)
        .await;
    let next = if result.is_ok() {
        form.username.trim()
    } else {
        username.as_str()
    };
    let typed = FormState::default().with_value("username", &form.username);
    after(&state, &context, next, result, typed).await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn set_email(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<EmailForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_change_email(actor, &username, &form.email)
        .await;
    let typed = FormState::default().with_value("email", &form.email);
    after(&state, &context, &username, result, typed).await
}

/// A switch form: `value` is `on` or `off`.
#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    value: String,
}

impl SwitchForm {
    fn on(&self) -> Result<bool, WebError> {
        match self.value.as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(WebError::bad_request("Choose on or off.")),
        }
    }
}

pub async fn set_can_stream(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<SwitchForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_set_can_stream(actor, &username, form.on()?)
        .await;
    after(&state, &context, &username, result, FormState::default()).await
}

pub async fn set_discovery(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<SwitchForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_set_hidden_from_discovery(actor, &username, form.on()?)
        .await;
    after(&state, &context, &username, result, FormState::default()).await
}

/// A form that carries nothing but its CSRF token.
#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn reset_two_factor(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(_): ParsedForm<EmptyForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_reset_two_factor(actor, &username)
        .await;
    after(&state, &context, &username, result, FormState::default()).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn end_stream(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<ReasonForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .staff_end_stream(actor, &username, &form.reason)
        .await;
    after(&state, &context, &username, result, FormState::default()).await
}

pub async fn ban(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<ReasonForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .ban_account(actor, &username, &form.reason)
        .await;
    let typed = FormState::default().with_value("reason", &form.reason);
    after(&state, &context, &username, result, typed).await
}

pub async fn unban(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<ReasonForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let result = state
        .platform
        .unban_account(actor, &username, &form.reason)
        .await;
    after(&state, &context, &username, result, FormState::default()).await
}
