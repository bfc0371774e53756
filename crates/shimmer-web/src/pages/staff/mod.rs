//! The staff tools under `/staff`: account search, an account's page with its actions, and
//! the audit log. Who may do what is decided by the domain (`shimmer_platform::staff`); these
//! handlers only translate. Staff accounts without two-factor sign-in never reach them: the
//! session middleware sends them to enrolment first, as for every staff page.

mod account;
mod analytics;
mod audit;
mod charts;
mod report;

pub use account::{
    ban, end_stream, page as account_page, rename, reset_two_factor, set_can_stream, set_discovery,
    set_email, unban,
};
pub use analytics::page as analytics_page;
pub use audit::page as audit_page;
pub use report::page as report_page;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_i18n::Locale;
use shimmer_platform::staff::lookups::LookupVia;
use shimmer_platform::staff::StaffLevel;
use shimmer_platform::PlatformError;

use super::{render, require_user};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused_with, FormState};
use crate::templates::{format_time, PageContext};
use crate::AppState;

/// An account as the search lists it.
struct MatchRow {
    username: String,
    email: String,
    user_id: i64,
    channel_id: Option<i64>,
    staff: String,
    banned: bool,
    joined: String,
}

#[derive(Template)]
#[template(path = "staff/search.html")]
struct SearchPage {
    page: PageContext,
    form: FormState,
    searched: bool,
    matches: Vec<MatchRow>,
}

/// How pages name a staff level.
pub(crate) fn level_label(locale: Locale, level: Option<StaffLevel>) -> String {
    level.map_or_else(
        || locale.t("staff-level-none"),
        |level| {
            let name = locale.t(&format!("staff-level-{}", level.name().replace(' ', "-")));
            locale.message(
                "staff-level",
                &[("number", level.number().into()), ("name", name.into())],
            )
        },
    )
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let form = FormState::default().with_value("q", &query.q);
    let page = PageContext::new("title-staff", &context, state.config.dev_mode);
    let (status, form, found) = match state
        .platform
        .staff_search(actor, &query.q, LookupVia::Site)
        .await
    {
        Ok(found) => (StatusCode::OK, form, found),
        Err(error @ PlatformError::Invalid(_)) => {
            let (status, form) = refused_with(error, form)?;
            (status, form, Vec::new())
        }
        Err(error) => return Err(error.into()),
    };
    let matches = found
        .into_iter()
        .map(|found| MatchRow {
            username: found.username,
            email: found.email,
            user_id: found.user_id,
            channel_id: found.channel_id,
            staff: level_label(context.locale, StaffLevel::from_number(found.staff_level)),
            banned: found.banned != 0,
            joined: format_time(context.locale, found.created_at),
        })
        .collect();
    Ok(render(
        status,
        &SearchPage {
            page,
            searched: !query.q.trim().is_empty(),
            form,
            matches,
        },
    ))
}
