-- Differential-privacy budget spent per querier: one row per admitted query, written in the
-- transaction that admits the query (the entry node's query row is created in the same one).
CREATE TABLE privacy_ledger (
    query_id  text PRIMARY KEY,
    querier   text    NOT NULL,
    epsilon   numeric NOT NULL CHECK (epsilon > 0),
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX privacy_ledger_querier ON privacy_ledger (querier);
