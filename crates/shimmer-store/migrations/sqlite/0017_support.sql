-- Support requests: one ticket per request, with its conversation, worked by staff.

-- A ticket. `email` is where replies go: the account's address when filed signed in, or the
-- address a visitor typed. Visitors read their ticket through a private link: its token is
-- found by its SHA-256 hash and kept sealed (under the data directory's key, like two-factor
-- seeds) so that each reply's email can carry the link again.
CREATE TABLE support_tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    email TEXT NOT NULL,
    category TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- open (waiting on staff), answered (waiting on the requester) or closed
    status TEXT NOT NULL DEFAULT 'open',
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    token_hash TEXT UNIQUE,
    token_sealed TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX support_tickets_status ON support_tickets(status, updated_at);
CREATE INDEX support_tickets_requester ON support_tickets(requester_id, id);
CREATE INDEX support_tickets_assignee ON support_tickets(assignee_id, status);

-- The conversation: the requester's messages, staff replies (emailed to the requester) and
-- staff notes (why a ticket was closed or reopened; staff only). Names are copied so the
-- conversation reads the same after an account is renamed or deleted.
CREATE TABLE support_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES support_tickets(id) ON DELETE CASCADE,
    -- requester, staff or note
    kind TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX support_messages_ticket ON support_messages(ticket_id, id);
