use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// A support request as staff and its requester see it. The private link's token hash stays
/// in the store: tickets are found by it, never handed out with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportTicket {
    pub id: i64,
    pub requester_id: Option<i64>,
    /// The requester's current username, when they filed signed in and the account remains.
    pub requester_username: Option<String>,
    pub email: String,
    pub category: String,
    pub subject: String,
    /// `open` (waiting on staff), `answered` (waiting on the requester) or `closed`.
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_username: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for SupportTicket {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            requester_id: row.try_get("requester_id")?,
            requester_username: row.try_get("requester_username")?,
            email: row.try_get("email")?,
            category: row.try_get("category")?,
            subject: row.try_get("subject")?,
            status: row.try_get("status")?,
            assignee_id: row.try_get("assignee_id")?,
            assignee_username: row.try_get("assignee_username")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// One message of a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMessage {
    pub id: i64,
    pub ticket_id: i64,
    /// `requester`, `staff` (a reply emailed to the requester) or `note` (staff only).
    pub kind: String,
    pub author_id: Option<i64>,
    /// The author's name when written, kept after renames and deletions.
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for SupportMessage {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            ticket_id: row.try_get("ticket_id")?,
            kind: row.try_get("kind")?,
            author_id: row.try_get("author_id")?,
            author_name: row.try_get("author_name")?,
            body: row.try_get("body")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// What filing a ticket writes: the ticket and its first message. Validated by the domain.
#[derive(Debug, Clone)]
pub struct NewSupportTicket<'a> {
    pub requester_id: Option<i64>,
    pub email: &'a str,
    pub category: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The first message's author as shown in the conversation.
    pub author_name: &'a str,
    /// The private link's token (requesters without an account): its hash, to find the
    /// ticket, and the token sealed by the domain, to put the link in later emails.
    pub token_hash: Option<&'a str>,
    pub token_sealed: Option<&'a str>,
}

/// A message to add to a ticket.
#[derive(Debug, Clone)]
pub struct NewSupportMessage<'a> {
    pub kind: &'a str,
    pub author_id: Option<i64>,
    pub author_name: &'a str,
    pub body: &'a str,
}

/// Whose tickets the staff queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportAssignee {
    Anyone,
    Nobody,
    Staff(i64),
}

const TICKET_SELECT: &str = "SELECT t.id, t.requester_id, r.username AS requester_username, \
     t.email, t.category, t.subject, t.status, t.assignee_id, a.username AS assignee_username, \
     t.created_at, t.updated_at FROM support_tickets t \
     LEFT JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id";

impl Store {
    /// Writes a ticket with status `open` and its first message; returns the ticket's id.
    pub async fn create_support_ticket(&self, new: &NewSupportTicket<'_>) -> Result<i64> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO support_tickets (requester_id, email, category, subject, status, \
             token_hash, token_sealed, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.requester_id)
        .bind(new.email)
        .bind(new.category)
        .bind(new.subject)
        .bind(new.token_hash)
        .bind(new.token_sealed)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query(
            "INSERT INTO support_messages (ticket_id, kind, author_id, author_name, body, \
             created_at) VALUES ($1, 'requester', $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(new.requester_id)
        .bind(new.author_name)
        .bind(new.body)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    pub async fn support_ticket(&self, id: i64) -> Result<Option<SupportTicket>> {
        Ok(sqlx::query_as(&format!("{TICKET_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The ticket whose private link's token hashes to `token_hash`.
    pub async fn support_ticket_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SupportTicket>> {
        Ok(
            sqlx::query_as(&format!("{TICKET_SELECT} WHERE t.token_hash = $1"))
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The sealed token of a ticket's private link; None for tickets filed signed in.
    pub async fn support_token_sealed(&self, ticket_id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT token_sealed FROM support_tickets WHERE id = $1")
                .bind(ticket_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(sealed,)| sealed))
    }

    /// The tickets an account filed, newest first, at most `limit` after skipping `offset`.
    pub async fn support_tickets_of(
        &self,
        requester_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SupportTicket>> {
        Ok(sqlx::query_as(&format!(
            "{TICKET_SELECT} WHERE t.requester_id = $1 ORDER BY t.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(requester_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The staff queue: tickets with `status` and the given assignee, the longest waiting
    /// first, at most `limit` after skipping `offset`.
    pub async fn support_queue(
        &self,
        status: &str,
        assignee: SupportAssignee,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SupportTicket>> {
        let sql = match assignee {
            SupportAssignee::Anyone => {
                format!("{TICKET_SELECT} WHERE t.status = $1 ORDER BY t.updated_at, t.id LIMIT $2 OFFSET $3")
            }
            SupportAssignee::Nobody => format!(
                "{TICKET_SELECT} WHERE t.status = $1 AND t.assignee_id IS NULL \
                 ORDER BY t.updated_at, t.id LIMIT $2 OFFSET $3"
            ),
            SupportAssignee::Staff(_) => format!(
                "{TICKET_SELECT} WHERE t.status = $1 AND t.assignee_id = $2 \
                 ORDER BY t.updated_at, t.id LIMIT $3 OFFSET $4"
            ),
        };
        let mut query = sqlx::query_as(&sql).bind(status);
        if let SupportAssignee::Staff(staff_id) = assignee {
            query = query.bind(staff_id);
        }
        Ok(query.bind(limit).bind(offset).fetch_all(&self.pool).await?)
    }

    /// A ticket's conversation, oldest first.
    pub async fn support_messages(&self, ticket_id: i64) -> Result<Vec<SupportMessage>> {
        Ok(sqlx::query_as(
            "SELECT id, ticket_id, kind, author_id, author_name, body, created_at \
             FROM support_messages WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(ticket_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds a message to a ticket and, with `status`, moves the ticket to it, together;
    /// returns the message's id, or None when there is no such ticket.
    pub async fn add_support_message(
        &self,
        ticket_id: i64,
        message: &NewSupportMessage<'_>,
        status: Option<&str>,
    ) -> Result<Option<i64>> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE support_tickets SET status = COALESCE($1, status), updated_at = $2 \
             WHERE id = $3",
        )
        .bind(status)
        .bind(now)
        .bind(ticket_id)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() != 1 {
            return Ok(None);
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO support_messages (ticket_id, kind, author_id, author_name, body, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(ticket_id)
        .bind(message.kind)
        .bind(message.author_id)
        .bind(message.author_name)
        .bind(message.body)
        .bind(now)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(Some(id))
    }

    /// Moves a ticket to `status`; false when there is no such ticket.
    pub async fn set_support_status(&self, ticket_id: i64, status: &str) -> Result<bool> {
        let result =
            sqlx::query("UPDATE support_tickets SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(status)
                .bind(now_ms())
                .bind(ticket_id)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives a ticket to a staff member, or to nobody; false when there is no such ticket.
    pub async fn set_support_assignee(
        &self,
        ticket_id: i64,
        assignee: Option<i64>,
    ) -> Result<bool> {
        let result = sqlx::query("UPDATE support_tickets SET assignee_id = $1 WHERE id = $2")
            .bind(assignee)
            .bind(ticket_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}
