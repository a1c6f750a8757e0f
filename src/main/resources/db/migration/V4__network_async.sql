-- Asynchronous network queries (Prefer: respond-async), so that their status URL still answers
-- after the entry node restarts: RUNNING -> DONE (report_id) | FAILED, or ABORTED when the node
-- stopped while the query ran.
CREATE TABLE network_async (
    id         text PRIMARY KEY,
    state      text NOT NULL,
    report_id  text,
    detail     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
