-- Bulk Data $export and $import jobs (issue 11), so that a status URL still answers after the node
-- restarts: RUNNING -> DONE (outputs: the manifest's entries as JSON) | FAILED (detail) | CANCELLED.
-- A job belongs to the replica that runs it, under a lease it renews while it runs (as network_async,
-- V60); a RUNNING row whose lease lapsed, or left behind by this replica's last run, is FAILED.
-- The NDJSON files live in the owning node's data folder (DATA/bulk-export/<id>, DATA/bulk-import/<id>).
CREATE TABLE bulk_job (
    id               text PRIMARY KEY,
    kind             text        NOT NULL,   -- EXPORT | IMPORT
    owner            text        NOT NULL,   -- the client id that kicked it off (only it sees the job)
    request_url      text        NOT NULL,
    state            text        NOT NULL,
    transaction_time timestamptz NOT NULL,
    outputs          text        NOT NULL DEFAULT '[]',
    failed_lines     bigint      NOT NULL DEFAULT 0,
    detail           text,
    expires          timestamptz,
    replica          text        NOT NULL,
    lease_until      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bulk_job_running ON bulk_job (replica, lease_until) WHERE state = 'RUNNING';
CREATE INDEX bulk_job_expires ON bulk_job (expires) WHERE expires IS NOT NULL;
