-- Log entries. Ids increase in the order entries are committed (ingest commits one batch at a
-- time), so "after id N" is a resume point and a live tail can meet a stored export without a gap.
-- Portable SQL: the same script runs on H2 and PostgreSQL.
CREATE TABLE log_entry (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    logged_at TIMESTAMP WITH TIME ZONE NOT NULL,
    level     SMALLINT NOT NULL,
    service   VARCHAR(128) NOT NULL,
    message   VARCHAR(1048576) NOT NULL,
    -- The entry's other members, a compact JSON object; NULL when it has none.
    fields    VARCHAR(2097152)
);

-- An export of one service reads this index in id order.
CREATE INDEX log_entry_service_id ON log_entry (service, id);
