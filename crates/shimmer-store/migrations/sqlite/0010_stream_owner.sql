-- The node that ingests a stream: start-up recovery closes only the streams of the node that
-- starts, so nodes sharing one database never end each other's streams. `node_host` is the
-- node's host name, for people reading the table. Streams from before this migration have
-- no owner (NULL).
ALTER TABLE streams ADD COLUMN node_id TEXT;
ALTER TABLE streams ADD COLUMN node_host TEXT;
CREATE INDEX streams_open_by_node ON streams(node_id) WHERE ended_at IS NULL;
