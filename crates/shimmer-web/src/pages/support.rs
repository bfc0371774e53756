//! Support requests: the form (`/support`), the requester's tickets (`/support/tickets`, or
//! `/support/t/<token>` through the private link) and the staff queue (`/staff/support`).
//! Who may see and do what is decided by the domain (`shimmer_platform::support`); refusals
//! show the page again with the reason and what was typed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::support::{
    Conversation, NoteFor, QueueAssignee, RequesterAccess, SupportRequest, TicketPage, BODY_MAX,
    CATEGORIES, NOTE_MAX, STATUSES, SUBJECT_MAX,
};
use shimmer_platform::views::SupportTicket;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused_with, FormState, ParsedForm};
use crate::templates::{format_time, PageContext};
use crate::AppState;
use shimmer_i18n::Locale;

/// A message of a conversation as the pages show it.
struct MessageRow {
    kind: String,
    author: String,
    body: String,
    when: String,
}

/// A ticket as lists and ticket pages show it.
struct TicketRow {
    id: i64,
    subject: String,
    category: String,
    status: String,
    closed: bool,
    requester: String,
    assignee: Option<String>,
    filed: String,
    updated: String,
}

impl TicketRow {
    fn new(ticket: SupportTicket, locale: Locale) -> Self {
        Self {
            id: ticket.id,
            category: locale.t(&format!(
                "support-category-{}",
                CATEGORIES
                    .iter()
                    .find(|(key, _)| *key == ticket.category)
                    .map_or("other", |(key, _)| key)
            )),
            status: locale.t(&format!(
                "support-status-{}",
                STATUSES
                    .iter()
                    .find(|status| **status == ticket.status)
                    .unwrap_or(&"unknown")
            )),
            closed: ticket.status == "closed",
            requester: ticket.requester_username.unwrap_or(ticket.email),
            assignee: ticket.assignee_username,
            subject: ticket.subject,
            filed: format_time(locale, ticket.created_at),
            updated: format_time(locale, ticket.updated_at),
        }
    }
}

fn message_rows(conversation: &Conversation, locale: Locale) -> Vec<MessageRow> {
    conversation
        .messages
        .iter()
        .map(|message| MessageRow {
            kind: message.kind.clone(),
            author: message.author.clone(),
            body: message.body.clone(),
            when: format_time(locale, message.created_at),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "support/form.html")]
struct FormPage {
    page: PageContext,
    form: FormState,
    signed_in: bool,
    site_name: String,
    categories: &'static [(&'static str, &'static str)],
    subject_max: usize,
    body_max: usize,
}

#[derive(Template)]
#[template(path = "support/sent.html")]
struct SentPage {
    page: PageContext,
    id: i64,
    email: String,
    signed_in: bool,
}

#[derive(Template)]
#[template(path = "support/tickets.html")]
struct TicketsPage {
    page: PageContext,
    tickets: Vec<TicketRow>,
    pager: Pager,
}

/// Previous and Next links under a ticket list; `base` is the list's address with its query
/// string up to where `page=` is added.
struct Pager {
    base: String,
    number: i64,
    more: bool,
}

impl Pager {
    fn of(base: String, tickets: &TicketPage) -> Self {
        Self {
            base,
            number: tickets.page,
            more: tickets.more,
        }
    }
}

/// The `page` query parameter of a ticket list (from 1).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default = "first_page")]
    page: i64,
}

fn first_page() -> i64 {
    1
}

#[derive(Template)]
#[template(path = "support/ticket.html")]
struct RequesterTicketPage {
    page: PageContext,
    form: FormState,
    signed_in: bool,
    ticket: TicketRow,
    messages: Vec<MessageRow>,
    reply_action: String,
    body_max: usize,
}

#[derive(Template)]
#[template(path = "staff/support.html")]
struct QueuePage {
    page: PageContext,
    status: String,
    statuses: &'static [&'static str],
    assignee: &'static str,
    assignees: [(&'static str, &'static str); 3],
    tickets: Vec<TicketRow>,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "staff/support_ticket.html")]
struct StaffTicketPage {
    page: PageContext,
    form: FormState,
    ticket: TicketRow,
    requester_username: Option<String>,
    email: String,
    mine: bool,
    messages: Vec<MessageRow>,
    body_max: usize,
    note_max: usize,
}

fn form_page(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    form: FormState,
) -> Response {
    let page = PageContext::new("title-contact-support", context, state.config.dev_mode);
    render(
        status,
        &FormPage {
            page,
            form,
            signed_in: context.signed_in.is_some(),
            site_name: state.platform.settings.site_name.clone(),
            categories: CATEGORIES,
            subject_max: SUBJECT_MAX,
            body_max: BODY_MAX,
        },
    )
}

pub async fn new_page(State(state): State<AppState>, context: RequestContext) -> Response {
    form_page(&state, &context, StatusCode::OK, FormState::default())
}

#[derive(Deserialize)]
pub struct RequestSubmission {
    #[serde(default)]
    email: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

pub async fn submit(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<RequestSubmission>,
) -> Result<Response, WebError> {
    let request = SupportRequest {
        email: form.email.clone(),
        category: form.category.clone(),
        subject: form.subject.clone(),
        body: form.body.clone(),
    };
    match state
        .platform
        .file_support_request(context.user(), context.client_ip, &request, context.locale)
        .await
    {
        Ok((id, email)) => {
            let page = PageContext::new("title-request-received", &context, state.config.dev_mode);
            Ok(render(
                StatusCode::CREATED,
                &SentPage {
                    page,
                    id,
                    email,
                    signed_in: context.signed_in.is_some(),
                },
            ))
        }
        Err(error) => {
            let typed = FormState::default()
                .with_value("email", &form.email)
                .with_value("category", &form.category)
                .with_value("subject", &form.subject)
                .with_value("body", &form.body);
            let (status, echoed) = refused_with(error, typed)?;
            Ok(form_page(&state, &context, status, echoed))
        }
    }
}

pub async fn my_tickets(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let tickets = state.platform.my_support_tickets(user, query.page).await?;
    let pager = Pager::of("/support/tickets?".into(), &tickets);
    let tickets = tickets.tickets;
    let page = PageContext::new(
        "title-your-support-requests",
        &context,
        state.config.dev_mode,
    );
    Ok(render(
        StatusCode::OK,
        &TicketsPage {
            page,
            tickets: tickets
                .into_iter()
                .map(|ticket| TicketRow::new(ticket, context.locale))
                .collect(),
            pager,
        },
    ))
}

/// The requester's ticket page, with `form` under the conversation.
async fn requester_page(
    state: &AppState,
    context: &RequestContext,
    access: RequesterAccess<'_>,
    reply_action: String,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let conversation = state.platform.requester_conversation(access).await?;
    let messages = message_rows(&conversation, context.locale);
    let ticket = TicketRow::new(conversation.ticket, context.locale);
    let page = PageContext::new(
        context.message(
            "support-request-title",
            &[("id", ticket.id.to_string().into())],
        ),
        context,
        state.config.dev_mode,
    )
    .with_notice(notice);
    Ok(render(
        status,
        &RequesterTicketPage {
            page,
            form,
            signed_in: matches!(access, RequesterAccess::Account(..)),
            ticket,
            messages,
            reply_action,
            body_max: BODY_MAX,
        },
    ))
}

fn ticket_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Deserialize, Default)]
pub struct NoticeOnly {
    #[serde(default)]
    notice: String,
}

pub async fn my_ticket(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    Query(query): Query<NoticeOnly>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id = ticket_id(&id)?;
    let notice = NoticeQuery {
        notice: query.notice,
    };
    requester_page(
        &state,
        &context,
        RequesterAccess::Account(user, id),
        format!("/support/tickets/{id}/reply"),
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

pub async fn linked_ticket(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
    Query(query): Query<NoticeOnly>,
) -> Result<Response, WebError> {
    let notice = NoticeQuery {
        notice: query.notice,
    };
    requester_page(
        &state,
        &context,
        RequesterAccess::Link(&token),
        format!("/support/t/{token}/reply"),
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    body: String,
}

/// Adds the requester's message and goes back to the ticket, or shows the refusal there.
async fn answer(
    state: &AppState,
    context: &RequestContext,
    access: RequesterAccess<'_>,
    page_path: String,
    body: &str,
) -> Result<Response, WebError> {
    match state
        .platform
        .answer_as_requester(access, context.client_ip, body)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{page_path}?notice=support_sent")).into_response()),
        Err(error) => {
            let typed = FormState::default().with_value("body", body);
            let (status, echoed) = refused_with(error, typed)?;
            if status == StatusCode::NOT_FOUND {
                return Err(WebError::NotFound);
            }
            requester_page(
                state,
                context,
                access,
                format!("{page_path}/reply"),
                status,
                echoed,
                None,
            )
            .await
        }
    }
}

pub async fn answer_mine(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<AnswerForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id = ticket_id(&id)?;
    answer(
        &state,
        &context,
        RequesterAccess::Account(user, id),
        format!("/support/tickets/{id}"),
        &form.body,
    )
    .await
}

pub async fn answer_linked(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
    ParsedForm(form): ParsedForm<AnswerForm>,
) -> Result<Response, WebError> {
    answer(
        &state,
        &context,
        RequesterAccess::Link(&token),
        format!("/support/t/{token}"),
        &form.body,
    )
    .await
}

#[derive(Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default = "first_page")]
    page: i64,
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
    let assignee = match query.assignee.as_deref() {
        None => QueueAssignee::All,
        Some(value) => QueueAssignee::parse(value).ok_or(WebError::NotFound)?,
    };
    let tickets = state
        .platform
        .support_queue(user, &status, assignee, query.page)
        .await?;
    let pager = Pager::of(
        format!(
            "/staff/support?status={status}&assignee={}&",
            assignee.as_str()
        ),
        &tickets,
    );
    let tickets = tickets.tickets;
    let notice = NoticeQuery {
        notice: query.notice,
    };
    let page = PageContext::new("title-support-requests", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &QueuePage {
            page,
            status,
            statuses: STATUSES,
            assignee: assignee.as_str(),
            assignees: [
                ("all", "staff-assignee-all"),
                ("mine", "staff-assignee-mine"),
                ("unassigned", "staff-assignee-unassigned"),
            ],
            tickets: tickets
                .into_iter()
                .map(|ticket| TicketRow::new(ticket, context.locale))
                .collect(),
            pager,
        },
    ))
}

/// The staff ticket page, with `form` (a refused step's reason and what was typed).
async fn staff_page(
    state: &AppState,
    context: &RequestContext,
    id: i64,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let conversation = state.platform.staff_support_ticket(user, id).await?;
    let messages = message_rows(&conversation, context.locale);
    let requester_username = conversation
        .requester
        .as_ref()
        .map(|requester| requester.username.clone());
    let email = conversation.requester.as_ref().map_or_else(
        || conversation.ticket.email.clone(),
        |requester| requester.email.clone(),
    );
    let mine = conversation.ticket.assignee_id == Some(user.id);
    let ticket = TicketRow::new(conversation.ticket, context.locale);
    let page = PageContext::new(
        context.message("support-request-title", &[("id", id.to_string().into())]),
        context,
        state.config.dev_mode,
    )
    .with_notice(notice);
    Ok(render(
        status,
        &StaffTicketPage {
            page,
            form,
            ticket,
            requester_username,
            email,
            mine,
            messages,
            body_max: BODY_MAX,
            note_max: NOTE_MAX,
        },
    ))
}

pub async fn staff_ticket(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    Query(query): Query<NoticeOnly>,
) -> Result<Response, WebError> {
    let notice = NoticeQuery {
        notice: query.notice,
    };
    staff_page(
        &state,
        &context,
        ticket_id(&id)?,
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

/// After a staff step: back to the ticket, or the ticket again with the refusal.
async fn after_step(
    state: &AppState,
    context: &RequestContext,
    id: i64,
    outcome: Result<(), shimmer_platform::PlatformError>,
    typed: FormState,
) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/support/{id}?notice=staff_done")).into_response())
        }
        Err(error @ shimmer_platform::PlatformError::Invalid(_))
        | Err(error @ shimmer_platform::PlatformError::Refused(_)) => {
            let (status, form) = refused_with(error, typed)?;
            staff_page(state, context, id, status, form, None).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    to: String,
}

pub async fn assign(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<AssignForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id = ticket_id(&id)?;
    let take = match form.to.as_str() {
        "me" => true,
        "nobody" => false,
        _ => {
            return Err(WebError::bad_request(
                "Choose “Assign to me” or “Unassign”.",
            ))
        }
    };
    let outcome = state.platform.assign_support_ticket(user, id, take).await;
    after_step(&state, &context, id, outcome, FormState::default()).await
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    reply: String,
}

pub async fn reply(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<ReplyForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id = ticket_id(&id)?;
    let outcome = state
        .platform
        .reply_to_support_ticket(user, id, &form.reply)
        .await;
    let typed = FormState::default().with_value("reply", &form.reply);
    after_step(&state, &context, id, outcome, typed).await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
    /// A checked box: the note is a message to the requester, not for staff only.
    #[serde(default)]
    to_requester: String,
}

async fn set_closed(
    state: AppState,
    context: RequestContext,
    id: String,
    form: NoteForm,
    close: bool,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let id = ticket_id(&id)?;
    let note_for = if form.to_requester.is_empty() {
        NoteFor::Staff
    } else {
        NoteFor::Requester
    };
    let outcome = state
        .platform
        .set_support_ticket_closed(user, id, close, &form.note, note_for)
        .await;
    let typed = FormState::default()
        .with_value("note", &form.note)
        .with_value("to_requester", &form.to_requester);
    after_step(&state, &context, id, outcome, typed).await
}

pub async fn close(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<NoteForm>,
) -> Result<Response, WebError> {
    set_closed(state, context, id, form, true).await
}

pub async fn reopen(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    ParsedForm(form): ParsedForm<NoteForm>,
) -> Result<Response, WebError> {
    set_closed(state, context, id, form, false).await
}
