//! Filing reports (`/report`) and the staff queue (`/staff/reports`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::reports::{ReportForm, LOCATIONS, REASONS, STATUSES};

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused_with, FormState, ParsedForm};
use crate::templates::{format_time, PageContext};
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/report.html")]
struct ReportPage {
    page: PageContext,
    form: FormState,
    locations: &'static [(&'static str, &'static str)],
    reasons: &'static [(&'static str, &'static str)],
}

/// A report as the staff queue lists it.
struct ReportRow {
    id: i64,
    reported_username: String,
    reporter: String,
    /// Form values; the page shows each in the reader's language.
    location: String,
    reason: String,
    notes: String,
    filed: String,
    message: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/staff_reports.html")]
struct StaffReportsPage {
    page: PageContext,
    status: String,
    statuses: &'static [&'static str],
    reports: Vec<ReportRow>,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    username: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    message_id: String,
}

fn report_page(
    context: &RequestContext,
    dev_mode: bool,
    status: StatusCode,
    form: FormState,
) -> Response {
    let page = PageContext::new("title-report", context, dev_mode);
    render(
        status,
        &ReportPage {
            page,
            form,
            locations: LOCATIONS,
            reasons: REASONS,
        },
    )
}

pub async fn form_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    require_user(&context)?;
    let form = FormState::default()
        .with_value(
            "username",
            query.username.chars().take(64).collect::<String>().as_str(),
        )
        .with_value("location", &query.location)
        .with_value(
            "message_id",
            if query.message_id.parse::<i64>().is_ok() {
                &query.message_id
            } else {
                ""
            },
        );
    Ok(report_page(
        &context,
        state.config.dev_mode,
        StatusCode::OK,
        form,
    ))
}

#[derive(Deserialize)]
pub struct ReportSubmission {
    #[serde(default)]
    username: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    message_id: String,
}

pub async fn submit(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ReportSubmission>,
) -> Result<Response, WebError> {
    let reporter = &require_user(&context)?.user;
    let chat_message_id = match form.message_id.trim() {
        "" => None,
        id => Some(
            id.parse()
                .map_err(|_| WebError::bad_request(context.t("report-bad-message")))?,
        ),
    };
    let report = ReportForm {
        username: form.username.clone(),
        location: form.location.clone(),
        reason: form.reason.clone(),
        notes: form.notes.clone(),
        chat_message_id,
    };
    match state.platform.file_report(reporter, &report).await {
        Ok(_) => {
            let page = PageContext::new("title-report-sent", &context, state.config.dev_mode);
            Ok(render(
                StatusCode::CREATED,
                &crate::templates::NoticePage {
                    page,
                    heading: context.t("report-thanks"),
                    message: context
                        .message("report-sent", &[("username", form.username.trim().into())]),
                    link_href: "/",
                    link_label: context.t("mature-back"),
                },
            ))
        }
        Err(error) => {
            let typed = FormState::default()
                .with_value("username", &form.username)
                .with_value("location", &form.location)
                .with_value("reason", &form.reason)
                .with_value("notes", &form.notes)
                .with_value("message_id", &form.message_id);
            let (status, echoed) = refused_with(error, typed)?;
            Ok(report_page(&context, state.config.dev_mode, status, echoed))
        }
    }
}

#[derive(Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    notice: String,
}

pub async fn queue(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let status = query.status.unwrap_or_else(|| "open".into());
    let reports = state.platform.reports(user, &status).await?;
    let mut rows = Vec::with_capacity(reports.len());
    for report in reports {
        let message = match report.chat_message_id {
            Some(id) => state
                .platform
                .chat_message(id)
                .await?
                .map(|message| message.body),
            None => None,
        };
        rows.push(ReportRow {
            id: report.id,
            reported_username: report.reported_username,
            reporter: report
                .reporter_username
                .unwrap_or_else(|| context.t("staff-deleted-account")),
            location: report.location,
            reason: report.reason,
            notes: report.notes,
            filed: format_time(context.locale, report.created_at),
            message,
        });
    }
    let notice = NoticeQuery {
        notice: query.notice,
    };
    let page = PageContext::new("title-reports", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &StaffReportsPage {
            page,
            status,
            statuses: STATUSES,
            reports: rows,
        },
    ))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<StatusForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .platform
        .set_report_status(user, id, &form.status)
        .await?;
    Ok(Redirect::to("/staff/reports?notice=report_updated").into_response())
}
