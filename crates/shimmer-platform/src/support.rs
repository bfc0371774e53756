//! Support requests: anyone may ask the staff team for help, signed in or with an email
//! address, and gets a ticket with a number and a status. Staff with the `support` permission
//! work the queue: they assign tickets, reply (each reply is emailed to the requester and kept
//! on the ticket) and close or reopen them. The requester reads the conversation and answers
//! on the site: signed in under `/support/tickets`, otherwise through the private link in
//! every email, whose token is found by its hash and kept sealed so later emails can carry it.
//!
//! Staff with the `support` permission are emailed about each new request (unless
//! `[support] alert_staff` is off; never the requester's own account), and closing a request
//! emails its requester, with the closing note when staff share it.
//!
//! A ticket is `open` while it waits on staff, `answered` once staff replied, and `closed`;
//! an answer from the requester opens it again. Every staff look at a ticket or the queue and
//! every staff step writes an audit row before it returns. Filing and answering are limited
//! per account or, for visitors, per client network.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use shimmer_i18n::Locale;
use shimmer_store::{
    NewSupportMessage, NewSupportTicket, SupportAssignee, SupportMessage, SupportTicket,
};

use crate::accounts::{network_of, secret_box, validation};
use crate::mail::OutgoingMail;
use crate::rate_limits::Rate;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::staff::lookups::LookupVia;
use crate::staff::Permission;
use crate::{hash_token, random_token, FieldError, Platform, PlatformError, UserView};

/// What a request is about: form value and label.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("account", "My account or signing in"),
    ("payments", "Payments, subscriptions or payouts"),
    ("streaming", "Streaming and going live"),
    ("technical", "Something on the site does not work"),
    ("safety", "Safety, harassment or abuse"),
    ("other", "Something else"),
];

/// The statuses a ticket moves between, in the queue's order.
pub const STATUSES: &[&str] = &["open", "answered", "closed"];

/// Longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// Longest message or reply, in characters.
pub const BODY_MAX: usize = 5000;
/// Longest staff note on closing or reopening, in characters.
pub const NOTE_MAX: usize = 2000;
/// Most tickets a queue page or a page of a requester's list shows.
pub const LIST_LIMIT: i64 = 200;

/// The support desk's settings (`[support]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportSettings {
    /// Email every staff account with the `support` permission about each new request.
    pub alert_staff: bool,
}

impl Default for SupportSettings {
    fn default() -> Self {
        Self { alert_staff: true }
    }
}

/// One page of a ticket list: the requester's or the staff queue's.
#[derive(Debug, Clone)]
pub struct TicketPage {
    /// At most [`LIST_LIMIT`] tickets, in the list's order.
    pub tickets: Vec<SupportTicket>,
    /// The page's number, from 1.
    pub page: i64,
    /// Whether another page follows.
    pub more: bool,
}

impl TicketPage {
    /// The page `page` (from 1) as read with [`TicketPage::window`]: one row more than a page
    /// tells whether another follows.
    fn from_rows(mut tickets: Vec<SupportTicket>, page: i64) -> Self {
        let more = tickets.len() as i64 > LIST_LIMIT;
        tickets.truncate(LIST_LIMIT as usize);
        Self {
            tickets,
            page,
            more,
        }
    }

    /// The page number kept in range, and the (limit, offset) to read it with.
    fn window(page: i64) -> (i64, i64, i64) {
        let page = page.clamp(1, 100_000);
        (page, LIST_LIMIT + 1, (page - 1) * LIST_LIMIT)
    }
}

/// How a closing is told: the note stays with staff, or goes to the requester too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteFor {
    /// A note for staff only, kept on the ticket.
    Staff,
    /// A message for the requester: kept on the ticket as a staff reply and emailed.
    Requester,
}

/// Random bytes in a private link's token.
const LINK_TOKEN_BYTES: usize = 32;

/// Who a requester's limit is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RequesterKey {
    Account(i64),
    Network(IpAddr),
}

impl RequesterKey {
    fn key(&self) -> String {
        match self {
            Self::Account(id) => format!("account:{id}"),
            Self::Network(network) => format!("network:{network}"),
        }
    }
}

/// Five messages (new tickets and answers) at once, then one every two minutes, per account or
/// visitor network: room for a real conversation, not for flooding the queue or a mailbox.
pub(crate) const REQUESTER_RATE: Rate = Rate::new(5, Duration::from_secs(120));

/// What the support form submits. `email` is read only from visitors: a signed-in requester's
/// replies go to their account's address.
#[derive(Debug, Clone, Default)]
pub struct SupportRequest {
    pub email: String,
    pub category: String,
    pub subject: String,
    pub body: String,
}

/// Whose tickets the staff queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAssignee {
    All,
    Mine,
    Unassigned,
}

impl QueueAssignee {
    pub const ALL: [QueueAssignee; 3] = [Self::Mine, Self::Unassigned, Self::All];

    /// The filter named in a query string; None for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|filter| filter.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Mine => "mine",
            Self::Unassigned => "unassigned",
        }
    }
}

/// One message as the reader of a conversation sees it.
#[derive(Debug, Clone)]
pub struct ConversationMessage {
    /// `requester`, `staff` or `note`.
    pub kind: String,
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// A ticket with its conversation. Requesters get staff replies signed by the team and no
/// staff notes; staff get everything.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub ticket: SupportTicket,
    pub messages: Vec<ConversationMessage>,
    /// The requester's account, for staff (None for visitors and deleted accounts).
    pub requester: Option<UserView>,
}

/// How a requester reaches their ticket.
#[derive(Debug, Clone, Copy)]
pub enum RequesterAccess<'a> {
    /// Signed in, as the account that filed it.
    Account(&'a UserView, i64),
    /// With the private link's token.
    Link(&'a str),
}

/// The label of a category value, for pages and mail.
pub fn category_label(value: &str) -> &'static str {
    CATEGORIES
        .iter()
        .find(|(key, _)| *key == value)
        .map_or("Something else", |(_, label)| label)
}

/// A request's topic in `locale`'s words (an unknown one reads as "Something else").
fn category_words(locale: Locale, value: &str) -> String {
    let key = CATEGORIES
        .iter()
        .find(|(key, _)| *key == value)
        .map_or("other", |(key, _)| key);
    locale.t(&format!("support-category-{key}"))
}

/// The text of a message or reply, trimmed, or the error to show next to `field`.
fn message_text<'a>(field: &'static str, body: &'a str) -> Result<&'a str, FieldError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(FieldError::new(field, "Write a message."));
    }
    if body.chars().count() > BODY_MAX {
        return Err(FieldError::new(
            field,
            format!("Messages can be at most {BODY_MAX} characters long."),
        ));
    }
    Ok(body)
}

impl Platform {
    async fn check_requester_limit(&self, key: RequesterKey) -> Result<(), PlatformError> {
        self.support_limits
            .check(&key.key())
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })
    }
}

fn no_such_ticket() -> PlatformError {
    PlatformError::NotFound("There is no such support request.")
}

impl Platform {
    /// Files a support request for `requester` (signed in) or a visitor at `client_ip`, and
    /// emails the acknowledgement with the ticket's number and where to follow it, in the
    /// requester's saved language, else `locale` (the request's). Returns the ticket's number
    /// and the address the acknowledgement went to.
    pub async fn file_support_request(
        &self,
        requester: Option<&UserView>,
        client_ip: IpAddr,
        form: &SupportRequest,
        locale: Locale,
    ) -> Result<(i64, String), PlatformError> {
        let mut errors = Vec::new();
        let email = match requester {
            Some(user) => user.email.clone(),
            None => {
                let email = form.email.trim();
                if let Err(error) = validation::email(email) {
                    errors.push(error);
                }
                email.to_owned()
            }
        };
        if !CATEGORIES.iter().any(|(key, _)| *key == form.category) {
            errors.push(FieldError::new(
                "category",
                "Choose what your request is about.",
            ));
        }
        let subject = form.subject.trim();
        if subject.is_empty() {
            errors.push(FieldError::new("subject", "Write a short subject."));
        } else if subject.chars().count() > SUBJECT_MAX {
            errors.push(FieldError::new(
                "subject",
                format!("The subject can be at most {SUBJECT_MAX} characters long."),
            ));
        }
        let body = message_text("body", &form.body).unwrap_or_else(|error| {
            errors.push(error);
            ""
        });
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        self.check_requester_limit(match requester {
            Some(user) => RequesterKey::Account(user.id),
            None => RequesterKey::Network(network_of(client_ip)),
        })
        .await?;
        let link_token = match requester {
            Some(_) => None,
            None => {
                self.signup_limits.check_recipient(&email).await?;
                Some(random_token(LINK_TOKEN_BYTES))
            }
        };
        let token_hash = link_token.as_deref().map(hash_token);
        let token_sealed = match &link_token {
            Some(token) => Some(secret_box::seal(&self.secret_key()?, token.as_bytes())?),
            None => None,
        };
        let id = self
            .store
            .create_support_ticket(&NewSupportTicket {
                requester_id: requester.map(|user| user.id),
                email: &email,
                category: &form.category,
                subject,
                body,
                author_name: requester.map_or(email.as_str(), |user| user.username.as_str()),
                token_hash: token_hash.as_deref(),
                token_sealed: token_sealed.as_deref(),
            })
            .await?;
        tracing::info!(
            ticket = id,
            requester = requester.map(|user| user.id),
            "support request filed"
        );
        let link = self.requester_link(id, link_token.as_deref());
        let locale = match requester {
            Some(user) => self.mail_locale_or(user.id, locale).await,
            None => locale,
        };
        let private = locale.t(if link_token.is_some() {
            "mail-support-private-link"
        } else {
            "mail-support-private-account"
        });
        let args = [
            ("id", id.into()),
            ("subject", subject.into()),
            ("site", self.settings.site_name.as_str().into()),
            ("category", category_words(locale, &form.category).into()),
            ("link", link.into()),
            ("private", private.into()),
        ];
        let mail = OutgoingMail {
            to: email.clone(),
            subject: locale.message("mail-support-received-subject", &args),
            body: locale.message("mail-support-received-body", &args),
        };
        if let Err(error) = self.send_mail(mail).await {
            tracing::error!(%error, ticket = id, "support acknowledgement not sent");
        }
        if self.settings.support.alert_staff {
            self.alert_support_staff(id, requester, &email, &form.category, subject)
                .await;
        }
        Ok((id, email))
    }

    /// Emails every staff account with the `support` permission about a new request, except
    /// the requester's own (a staff member asking for help is not told of it twice). A failed
    /// email loses nothing: the request is in the queue either way.
    async fn alert_support_staff(
        &self,
        id: i64,
        requester: Option<&UserView>,
        email: &str,
        category: &str,
        subject: &str,
    ) {
        let level = Permission::Support.lowest_level().number();
        let staff = match self.store.staff_contacts_from_level(level).await {
            Ok(staff) => staff,
            Err(error) => {
                tracing::error!(%error, ticket = id, "listing support staff failed");
                return;
            }
        };
        let from = requester.map_or(email, |user| user.username.as_str());
        for (staff_id, to) in staff {
            if requester.is_some_and(|user| user.id == staff_id) || to.eq_ignore_ascii_case(email) {
                continue;
            }
            let locale = self.mail_locale(staff_id).await;
            let args = [
                ("id", id.into()),
                ("subject", subject.into()),
                ("from", from.into()),
                ("category", category_words(locale, category).into()),
                (
                    "link",
                    format!("{}/staff/support/{id}", self.settings.base_url).into(),
                ),
            ];
            let mail = OutgoingMail {
                to,
                subject: locale.message("mail-support-alert-subject", &args),
                // A text mail ends with a line break, after the queue's link.
                body: format!("{}\n", locale.message("mail-support-alert-body", &args)),
            };
            if let Err(error) = self.send_mail(mail).await {
                tracing::error!(%error, ticket = id, "support alert not sent");
            }
        }
    }

    /// Where a requester follows a ticket: the private link for visitors, the ticket's page
    /// for accounts.
    fn requester_link(&self, id: i64, token: Option<&str>) -> String {
        match token {
            Some(token) => format!("{}/support/t/{token}", self.settings.base_url),
            None => format!("{}/support/tickets/{id}", self.settings.base_url),
        }
    }

    /// Page `page` (from 1) of the tickets `user` filed while signed in, newest first.
    pub async fn my_support_tickets(
        &self,
        user: &UserView,
        page: i64,
    ) -> Result<TicketPage, PlatformError> {
        let (page, limit, offset) = TicketPage::window(page);
        let rows = self
            .store
            .support_tickets_of(user.id, limit, offset)
            .await?;
        Ok(TicketPage::from_rows(rows, page))
    }

    /// A ticket as its requester sees it; not found for anyone else.
    pub async fn requester_conversation(
        &self,
        access: RequesterAccess<'_>,
    ) -> Result<Conversation, PlatformError> {
        let ticket = self.requester_ticket(access).await?;
        let team = format!("{} support", self.settings.site_name);
        let messages = self
            .store
            .support_messages(ticket.id)
            .await?
            .into_iter()
            .filter(|message| message.kind != "note")
            .map(|message| ConversationMessage {
                author: if message.kind == "staff" {
                    team.clone()
                } else {
                    "You".to_owned()
                },
                kind: message.kind,
                body: message.body,
                created_at: message.created_at,
            })
            .collect();
        Ok(Conversation {
            ticket,
            messages,
            requester: None,
        })
    }

    async fn requester_ticket(
        &self,
        access: RequesterAccess<'_>,
    ) -> Result<SupportTicket, PlatformError> {
        let ticket = match access {
            RequesterAccess::Account(user, id) => self
                .store
                .support_ticket(id)
                .await?
                .filter(|ticket| ticket.requester_id == Some(user.id)),
            RequesterAccess::Link(token) => {
                self.store
                    .support_ticket_by_token_hash(&hash_token(token))
                    .await?
            }
        };
        ticket.ok_or_else(no_such_ticket)
    }

    /// The requester adds to their ticket; it opens again (waiting on staff), and the staff
    /// member it is assigned to is told by email.
    pub async fn answer_as_requester(
        &self,
        access: RequesterAccess<'_>,
        client_ip: IpAddr,
        body: &str,
    ) -> Result<i64, PlatformError> {
        let ticket = self.requester_ticket(access).await?;
        let body =
            message_text("body", body).map_err(|error| PlatformError::Invalid(vec![error]))?;
        let (key, author) = match access {
            RequesterAccess::Account(user, _) => {
                (RequesterKey::Account(user.id), user.username.clone())
            }
            RequesterAccess::Link(_) => (
                RequesterKey::Network(network_of(client_ip)),
                ticket.email.clone(),
            ),
        };
        self.check_requester_limit(key).await?;
        self.store
            .add_support_message(
                ticket.id,
                &NewSupportMessage {
                    kind: "requester",
                    author_id: ticket.requester_id,
                    author_name: &author,
                    body,
                },
                Some("open"),
            )
            .await?
            .ok_or_else(no_such_ticket)?;
        tracing::info!(
            ticket = ticket.id,
            "support request answered by its requester"
        );
        if let Some(assignee) = ticket.assignee_id {
            self.tell_assignee(&ticket, assignee).await;
        }
        Ok(ticket.id)
    }

    /// Emails the assigned staff member that the requester wrote again. A failed email loses
    /// nothing: the ticket is back in the open queue either way.
    async fn tell_assignee(&self, ticket: &SupportTicket, assignee: i64) {
        let staff = match self.user(assignee).await {
            Ok(Some(staff)) => staff,
            Ok(None) => return,
            Err(error) => {
                tracing::error!(%error, ticket = ticket.id, "finding a ticket's assignee failed");
                return;
            }
        };
        let locale = self.mail_locale(staff.id).await;
        let args = [
            ("id", ticket.id.into()),
            ("subject", ticket.subject.as_str().into()),
            (
                "link",
                format!("{}/staff/support/{}", self.settings.base_url, ticket.id).into(),
            ),
        ];
        let mail = OutgoingMail {
            to: staff.email,
            subject: locale.message("mail-support-again-subject", &args),
            body: locale.message("mail-support-again-body", &args),
        };
        if let Err(error) = self.send_mail(mail).await {
            tracing::error!(%error, ticket = ticket.id, "assignee alert not sent");
        }
    }

    /// Page `page` (from 1) of the staff queue: tickets with `status` for `assignee`, the
    /// longest waiting first. Staff with the `support` permission only; audited.
    pub async fn support_queue(
        &self,
        actor: &UserView,
        status: &str,
        assignee: QueueAssignee,
        page: i64,
    ) -> Result<TicketPage, PlatformError> {
        Self::authorize_staff(actor, Permission::Support)?;
        if !STATUSES.contains(&status) {
            return Err(PlatformError::NotFound(
                "There is no such support request status.",
            ));
        }
        let filter = match assignee {
            QueueAssignee::All => SupportAssignee::Anyone,
            QueueAssignee::Mine => SupportAssignee::Staff(actor.id),
            QueueAssignee::Unassigned => SupportAssignee::Nobody,
        };
        let (page, limit, offset) = TicketPage::window(page);
        let rows = self
            .store
            .support_queue(status, filter, limit, offset)
            .await?;
        let tickets = TicketPage::from_rows(rows, page);
        self.audit(
            actor,
            AuditStep {
                action: "support_view_queue",
                after: Some(json!({
                    "status": status,
                    "assignee": assignee.as_str(),
                    "page": page,
                    "tickets": tickets.tickets.len(),
                })),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(tickets)
    }

    /// The newest [`LIST_LIMIT`] tickets `requester` filed while signed in, for staff with the
    /// `support` permission (the API's `User.supportTickets`); audited like the queue.
    pub async fn staff_support_tickets_of(
        &self,
        actor: &UserView,
        requester: &UserView,
        via: LookupVia,
    ) -> Result<Vec<SupportTicket>, PlatformError> {
        self.authorize_lookup(actor, Permission::Support, via)
            .await?;
        let tickets = self
            .store
            .support_tickets_of(requester.id, LIST_LIMIT, 0)
            .await?;
        self.audit(
            actor,
            AuditStep {
                action: "support_view_requester",
                target: AuditTarget::user(requester),
                after: Some(via.record(json!({ "tickets": tickets.len() }))),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(tickets)
    }

    /// A ticket with its whole conversation (staff notes too) and the requester's account.
    /// Staff with the `support` permission only; audited.
    pub async fn staff_support_ticket(
        &self,
        actor: &UserView,
        id: i64,
    ) -> Result<Conversation, PlatformError> {
        Self::authorize_staff(actor, Permission::Support)?;
        let ticket = self
            .store
            .support_ticket(id)
            .await?
            .ok_or_else(no_such_ticket)?;
        let requester = match ticket.requester_id {
            Some(user_id) => self.user(user_id).await?,
            None => None,
        };
        let messages = self
            .store
            .support_messages(id)
            .await?
            .into_iter()
            .map(|message: SupportMessage| ConversationMessage {
                kind: message.kind,
                author: message.author_name,
                body: message.body,
                created_at: message.created_at,
            })
            .collect();
        self.audit(
            actor,
            AuditStep {
                action: "support_view_ticket",
                target: AuditTarget {
                    user: requester.as_ref(),
                    channel_id: None,
                },
                after: Some(json!({ "ticket": id, "status": ticket.status })),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(Conversation {
            ticket,
            messages,
            requester,
        })
    }

    /// Emails the requester that their ticket was closed (or opened again), with the note
    /// staff shared. A failed email is logged: the status is changed either way, and the
    /// requester sees it on the ticket's page.
    async fn tell_requester_of_status(
        &self,
        ticket: &SupportTicket,
        requester: Option<UserView>,
        closed: bool,
        shared: Option<&str>,
    ) {
        let (to, link, locale) = match self.requester_contact(ticket, requester).await {
            Ok(contact) => contact,
            Err(error) => {
                tracing::error!(%error, ticket = ticket.id, "no address for a status email");
                return;
            }
        };
        let (subject, intro, next) = if closed {
            (
                "mail-support-closed-subject",
                "mail-support-closed-intro",
                "mail-support-closed-next",
            )
        } else {
            (
                "mail-support-reopened-subject",
                "mail-support-reopened-intro",
                "mail-support-reopened-next",
            )
        };
        let args = [
            ("id", ticket.id.into()),
            ("subject", ticket.subject.as_str().into()),
            ("site", self.settings.site_name.as_str().into()),
        ];
        let note = shared.map_or_else(String::new, |note| format!("{note}\n\n"));
        let mail = OutgoingMail {
            to,
            subject: locale.message(subject, &args),
            body: format!(
                "{}\n\n{note}{}\n\n-- \n{}\n\n{}\n{link}\n",
                locale.message(intro, &args),
                locale.t(next),
                locale.message("mail-support-team", &args),
                locale.t("mail-support-read-here"),
            ),
        };
        if let Err(error) = self.send_mail(mail).await {
            tracing::error!(%error, ticket = ticket.id, "support status email not sent");
        }
    }

    /// The ticket and its requester's account for a staff step, after the permission check.
    async fn ticket_for_staff(
        &self,
        actor: &UserView,
        id: i64,
    ) -> Result<(SupportTicket, Option<UserView>), PlatformError> {
        Self::authorize_staff(actor, Permission::Support)?;
        let ticket = self
            .store
            .support_ticket(id)
            .await?
            .ok_or_else(no_such_ticket)?;
        let requester = match ticket.requester_id {
            Some(user_id) => self.user(user_id).await?,
            None => None,
        };
        Ok((ticket, requester))
    }

    /// Assigns the ticket to `actor` (`take`) or to nobody. Audited with the assignee before
    /// and after.
    pub async fn assign_support_ticket(
        &self,
        actor: &UserView,
        id: i64,
        take: bool,
    ) -> Result<(), PlatformError> {
        let (ticket, requester) = self.ticket_for_staff(actor, id).await?;
        let assignee = take.then_some(actor.id);
        if !self.store.set_support_assignee(id, assignee).await? {
            return Err(no_such_ticket());
        }
        self.audit(
            actor,
            AuditStep {
                action: "support_assign",
                target: AuditTarget {
                    user: requester.as_ref(),
                    channel_id: None,
                },
                before: Some(json!({ "ticket": id, "assignee": ticket.assignee_username })),
                after: Some(json!({
                    "ticket": id,
                    "assignee": take.then_some(actor.username.as_str()),
                })),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(())
    }

    /// Replies to the requester: the reply is kept on the ticket, which becomes `answered`,
    /// and emailed to the requester with the link to the conversation. Audited.
    pub async fn reply_to_support_ticket(
        &self,
        actor: &UserView,
        id: i64,
        body: &str,
    ) -> Result<(), PlatformError> {
        let (ticket, requester) = self.ticket_for_staff(actor, id).await?;
        let body =
            message_text("reply", body).map_err(|error| PlatformError::Invalid(vec![error]))?;
        let message_id = self
            .store
            .add_support_message(
                id,
                &NewSupportMessage {
                    kind: "staff",
                    author_id: Some(actor.id),
                    author_name: &actor.username,
                    body,
                },
                Some("answered"),
            )
            .await?
            .ok_or_else(no_such_ticket)?;
        self.audit(
            actor,
            AuditStep {
                action: "support_reply",
                target: AuditTarget {
                    user: requester.as_ref(),
                    channel_id: None,
                },
                before: Some(json!({ "ticket": id, "status": ticket.status })),
                after: Some(json!({ "ticket": id, "status": "answered", "message": message_id })),
                ..AuditStep::default()
            },
        )
        .await?;
        let (to, link, locale) = self.requester_contact(&ticket, requester).await?;
        let args = [
            ("id", id.into()),
            ("subject", ticket.subject.as_str().into()),
            ("site", self.settings.site_name.as_str().into()),
        ];
        let mail = OutgoingMail {
            to,
            subject: locale.message("mail-support-reply-subject", &args),
            body: format!(
                "{body}\n\n-- \n{}\n\n{}\n{link}\n",
                locale.message("mail-support-team", &args),
                locale.t("mail-support-read-or-answer"),
            ),
        };
        if let Err(error) = self.send_mail(mail).await {
            tracing::error!(%error, ticket = id, "support reply not emailed");
            return Err(PlatformError::Refused(
                "The reply is saved on the request, but the email could not be sent. The \
                 requester sees it on the request's page."
                    .into(),
            ));
        }
        Ok(())
    }

    /// Where mail to a ticket's requester goes (the account's current address, else the one
    /// given on the form) and the link to the conversation it carries.
    async fn requester_contact(
        &self,
        ticket: &SupportTicket,
        requester: Option<UserView>,
    ) -> Result<(String, String, Locale), PlatformError> {
        let token = match self.store.support_token_sealed(ticket.id).await? {
            Some(sealed) => Some(
                String::from_utf8(secret_box::open(&self.secret_key()?, &sealed)?).map_err(
                    |_| PlatformError::Internal("a sealed link token is not text".into()),
                )?,
            ),
            None => None,
        };
        // A visitor's language is not kept with the request: English, as the site's own.
        let locale = match &requester {
            Some(user) => self.mail_locale(user.id).await,
            None => Locale::En,
        };
        Ok((
            requester.map_or_else(|| ticket.email.clone(), |user| user.email),
            self.requester_link(ticket.id, token.as_deref()),
            locale,
        ))
    }

    /// Closes the ticket (`close`) or opens it again, with an optional note: for staff only
    /// (kept on the ticket, never shown to the requester) or, with [`NoteFor::Requester`], a
    /// message to the requester kept as a staff reply. Closing emails the requester, with the
    /// note only when it is theirs; reopening emails them only a note meant for them. Audited,
    /// with the note as the reason.
    pub async fn set_support_ticket_closed(
        &self,
        actor: &UserView,
        id: i64,
        close: bool,
        note: &str,
        note_for: NoteFor,
    ) -> Result<(), PlatformError> {
        let (ticket, requester) = self.ticket_for_staff(actor, id).await?;
        let note = note.trim();
        if note.chars().count() > NOTE_MAX {
            return Err(PlatformError::invalid(
                "note",
                format!("Notes can be at most {NOTE_MAX} characters long."),
            ));
        }
        let (status, action) = match close {
            true if ticket.status == "closed" => {
                return Err(PlatformError::Refused(
                    "This request is already closed.".into(),
                ))
            }
            false if ticket.status != "closed" => {
                return Err(PlatformError::Refused("This request is not closed.".into()))
            }
            true => ("closed", "support_close"),
            false => ("open", "support_reopen"),
        };
        let changed = if note.is_empty() {
            self.store.set_support_status(id, status).await?
        } else {
            self.store
                .add_support_message(
                    id,
                    &NewSupportMessage {
                        kind: match note_for {
                            NoteFor::Staff => "note",
                            NoteFor::Requester => "staff",
                        },
                        author_id: Some(actor.id),
                        author_name: &actor.username,
                        body: note,
                    },
                    Some(status),
                )
                .await?
                .is_some()
        };
        if !changed {
            return Err(no_such_ticket());
        }
        let shared = (note_for == NoteFor::Requester && !note.is_empty()).then_some(note);
        self.audit(
            actor,
            AuditStep {
                action,
                target: AuditTarget {
                    user: requester.as_ref(),
                    channel_id: None,
                },
                before: Some(json!({ "ticket": id, "status": ticket.status })),
                after: Some(json!({
                    "ticket": id,
                    "status": status,
                    "note_to_requester": shared.is_some(),
                })),
                reason: note,
            },
        )
        .await?;
        if close || shared.is_some() {
            self.tell_requester_of_status(&ticket, requester, close, shared)
                .await;
        }
        tracing::info!(
            ticket = id,
            staff = actor.id,
            status,
            "support request status changed"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_filters_round_trip_and_unknown_ones_are_refused() {
        for filter in QueueAssignee::ALL {
            assert_eq!(QueueAssignee::parse(filter.as_str()), Some(filter));
        }
        assert_eq!(QueueAssignee::parse("everybody"), None);
    }

    #[test]
    fn messages_are_trimmed_and_limited_in_characters() {
        assert_eq!(message_text("body", "  hello \n").unwrap(), "hello");
        assert!(message_text("body", " \n ").is_err());
        let longest = "é".repeat(BODY_MAX);
        assert!(
            message_text("body", &longest).is_ok(),
            "characters, not bytes"
        );
        let error = message_text("reply", &format!("{longest}e")).unwrap_err();
        assert_eq!(error.field, "reply");
    }

    #[test]
    fn every_category_reads_as_words() {
        for (value, label) in CATEGORIES {
            assert_eq!(category_label(value), *label);
        }
        assert_eq!(category_label("made-up"), "Something else");
    }
}
