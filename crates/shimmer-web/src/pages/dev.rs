//! The development mailbox: lists the outbox so a fresh install can follow emailed links.
//! It answers 404 unless development mode is on.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use shimmer_platform::mail::{OutboxMailer, StoredMail};
use shimmer_platform::PlatformError;

use super::render;
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{format_time, MailPage, MailRow, MailboxPage, PageContext};
use crate::AppState;

fn stored_mails(state: &AppState) -> Result<Vec<StoredMail>, WebError> {
    if !state.config.dev_mode {
        return Err(WebError::NotFound);
    }
    OutboxMailer::list(&state.config.outbox_dir)
        .map_err(|error| PlatformError::Mail(error.to_string()).into())
}

fn row(mail: &StoredMail, locale: shimmer_i18n::Locale) -> MailRow {
    MailRow {
        id: mail.id.clone(),
        to: mail.mail.to.clone(),
        subject: mail.mail.subject.clone(),
        sent: format_time(locale, mail.sent_at),
    }
}

pub async fn mailbox(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let mails = stored_mails(&state)?
        .iter()
        .map(|mail| row(mail, context.locale))
        .collect();
    let page = PageContext::new("title-mailbox", &context, true);
    Ok(render(StatusCode::OK, &MailboxPage { page, mails }))
}

pub async fn mail(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let stored = stored_mails(&state)?
        .into_iter()
        .find(|mail| mail.id == id)
        .ok_or(WebError::NotFound)?;
    let parts = split_links(&stored.mail.body);
    let page = PageContext::new(stored.mail.subject.clone(), &context, true);
    Ok(render(
        StatusCode::OK,
        &MailPage {
            page,
            mail: row(&stored, context.locale),
            parts,
        },
    ))
}

/// Splits text into runs, marking `http(s)://` links so the template can make them anchors.
fn split_links(body: &str) -> Vec<(bool, String)> {
    let mut parts = Vec::new();
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
            parts.push((true, trimmed.to_owned()));
            parts.push((false, line[trimmed.len()..].to_owned()));
        } else {
            parts.push((false, line.to_owned()));
        }
    }
    parts
}
