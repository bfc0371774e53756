-- Rate limits that every node of a cluster counts alike (log-ins, sign-ups, reports, support
-- requests, OAuth token requests, API requests). One row per limited key, holding the
-- "theoretical arrival time" of the generic cell rate algorithm: the key may act again once
-- that time, less the burst's tolerance, has come. A row whose time has passed means the same
-- as no row, so old rows are deleted freely. The key is a hash: no address, account or email
-- address is stored.
CREATE TABLE rate_allowances (
    id TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_allowances_tat ON rate_allowances (tat_ms);
