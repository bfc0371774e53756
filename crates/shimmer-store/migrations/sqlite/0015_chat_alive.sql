-- Chat that feels alive: what a line is, the colour its author's name had, and the message it
-- answers; and each person's own choice of name colour.

-- message (typed), action (/me) or follow (a system line announcing a new follower).
ALTER TABLE chat_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
-- The key of the palette colour the author's name had when it was sent (null before 0015).
ALTER TABLE chat_messages ADD COLUMN color TEXT;
-- The message this one replies to (same channel, checked when sent).
ALTER TABLE chat_messages ADD COLUMN reply_to_id INTEGER REFERENCES chat_messages(id) ON DELETE SET NULL;
-- A palette key; null: a colour chosen from the account id.
ALTER TABLE preferences ADD COLUMN chat_color TEXT;
