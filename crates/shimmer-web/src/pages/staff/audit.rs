//! `/staff/audit`: the audit log, newest first, searchable by actor, target and action, paged.
//! There is no route that changes it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_platform::staff::audit::AUDIT_PAGE;
use shimmer_platform::views::AuditFilter;

use crate::context::RequestContext;
use crate::error::WebError;
use crate::pages::{render, require_user};
use crate::templates::{format_time, PageContext};
use crate::AppState;

struct EntryRow {
    when: String,
    actor: String,
    action: String,
    target: String,
    before: String,
    after: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    page: PageContext,
    actor: String,
    target: String,
    action: String,
    entries: Vec<EntryRow>,
    number: i64,
    more: bool,
    /// The search as a query string, for the pager's links.
    search: String,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    page: Option<i64>,
}

/// Longest search field, in characters; longer input is cut.
const FIELD_MAX: usize = 64;

fn cut(text: &str) -> String {
    text.trim().chars().take(FIELD_MAX).collect()
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let filter = AuditFilter {
        actor: cut(&query.actor),
        target: cut(&query.target),
        action: cut(&query.action),
    };
    let number = query.page.unwrap_or(1).clamp(1, 10_000);
    let entries = state.platform.audit_log(actor, &filter, number).await?;
    let more = entries.len() as i64 == AUDIT_PAGE;
    let search = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("actor", &filter.actor)
        .append_pair("target", &filter.target)
        .append_pair("action", &filter.action)
        .finish();
    let rows = entries
        .into_iter()
        .map(|entry| EntryRow {
            when: format_time(context.locale, entry.created_at),
            actor: entry.actor_username,
            action: entry.action,
            target: match (entry.target_username, entry.target_channel_id) {
                (Some(user), Some(channel)) => format!("{user} (channel {channel})"),
                (Some(user), None) => user,
                (None, Some(channel)) => format!("channel {channel}"),
                (None, None) => String::new(),
            },
            before: entry.before.unwrap_or_default(),
            after: entry.after.unwrap_or_default(),
            reason: entry.reason,
        })
        .collect();
    let page = PageContext::new("title-audit-log", &context, state.config.dev_mode);
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            page,
            actor: filter.actor,
            target: filter.target,
            action: filter.action,
            entries: rows,
            number,
            more,
            search,
        },
    ))
}
