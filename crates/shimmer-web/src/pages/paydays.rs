//! Staff money pages: paydays (review, approve, retry failed transfers, prepare one now) and a
//! streamer's payouts for support (status, payables, transfers; pause and resume). Every page
//! needs the payouts permission, which the domain checks.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::payments::{PaydayView, PayoutStatus, PayoutSupport};

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::templates::{format_time, PageContext};
use crate::AppState;

#[derive(Template)]
#[template(path = "staff/paydays.html")]
struct PaydaysPage {
    page: PageContext,
    paydays: Vec<(PaydayView, String)>,
}

pub async fn list(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let paydays = state.platform.paydays(actor).await?;
    Ok(render(
        StatusCode::OK,
        &PaydaysPage {
            page: PageContext::new("title-paydays", &context, state.config.dev_mode)
                .with_notice(notice.message()),
            paydays: paydays
                .into_iter()
                .map(|payday| {
                    let when = format_time(context.locale, payday.created_at);
                    (payday, when)
                })
                .collect(),
        },
    ))
}

pub async fn prepare(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    Ok(match state.platform.prepare_payday(Some(actor)).await? {
        Some(id) => Redirect::to(&format!("/staff/paydays/{id}")),
        None => Redirect::to("/staff/paydays?notice=payday_nothing"),
    }
    .into_response())
}

#[derive(Template)]
#[template(path = "staff/payday.html")]
struct PaydayPage {
    page: PageContext,
    payday: PaydayView,
    created: String,
    has_failed: bool,
}

pub async fn show(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let payday = state.platform.payday(actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &PaydayPage {
            page: PageContext::new(format!("Payday {id}"), &context, state.config.dev_mode)
                .with_notice(notice.message()),
            created: format_time(context.locale, payday.created_at),
            has_failed: payday.lines.iter().any(|line| line.status == "failed"),
            payday,
        },
    ))
}

pub async fn approve(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let failed = state.platform.approve_payday(actor, id).await?;
    let notice = if failed == 0 {
        "payday_paid"
    } else {
        "payday_failures"
    };
    Ok(Redirect::to(&format!("/staff/paydays/{id}?notice={notice}")).into_response())
}

pub async fn retry(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let failed = state.platform.retry_payday(actor, id).await?;
    let notice = if failed == 0 {
        "payday_paid"
    } else {
        "payday_failures"
    };
    Ok(Redirect::to(&format!("/staff/paydays/{id}?notice={notice}")).into_response())
}

#[derive(Template)]
#[template(path = "staff/payouts.html")]
struct PayoutsSupportPage {
    page: PageContext,
    username: String,
    status: &'static str,
    support: PayoutSupport,
}

async fn target(state: &AppState, username: &str) -> Result<shimmer_platform::UserView, WebError> {
    state
        .platform
        .user_by_username(username)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn support(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let target = target(&state, &username).await?;
    let support = state.platform.payout_support(actor, &target).await?;
    let status = match support.earnings.status {
        PayoutStatus::NotStarted => "staff-payout-account-none",
        PayoutStatus::Pending => "staff-payout-account-pending",
        PayoutStatus::Ready => "staff-payout-account-ready",
    };
    Ok(render(
        StatusCode::OK,
        &PayoutsSupportPage {
            page: PageContext::new(
                context.message(
                    "staff-payouts-of",
                    &[("name", target.username.as_str().into())],
                ),
                &context,
                state.config.dev_mode,
            )
            .with_notice(notice.message()),
            username: target.username,
            status,
            support,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct PauseForm {
    #[serde(default)]
    reason: String,
}

pub async fn pause(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<PauseForm>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    if form.reason.trim().is_empty() {
        return Err(WebError::bad_request(
            "Say why the payouts are paused: the streamer and other staff will ask.",
        ));
    }
    let target = target(&state, &username).await?;
    state
        .platform
        .set_payouts_paused(actor, &target, &form.reason)
        .await?;
    Ok(Redirect::to(&format!(
        "/staff/users/{}/payouts?notice=staff_done",
        target.username
    ))
    .into_response())
}

pub async fn resume(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let target = target(&state, &username).await?;
    state
        .platform
        .set_payouts_paused(actor, &target, "")
        .await?;
    Ok(Redirect::to(&format!(
        "/staff/users/{}/payouts?notice=staff_done",
        target.username
    ))
    .into_response())
}
