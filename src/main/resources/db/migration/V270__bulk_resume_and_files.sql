-- Bulk Data jobs resume after their node stops, and their files are served by every replica (issue 11).
-- request: what a replica needs to run the job again (an export's ExportRequest; an import's inputs and the
-- caller's scopes), as JSON. checkpoint: how far an import got (lines committed, counts, error file length).
-- attempts: how many times the job was resumed (a job that keeps killing its node is failed, not resumed forever).
ALTER TABLE bulk_job ADD COLUMN request text;
ALTER TABLE bulk_job ADD COLUMN checkpoint text;
ALTER TABLE bulk_job ADD COLUMN attempts integer NOT NULL DEFAULT 0;

-- The NDJSON files of a job (an export's outputs, an import's errors), in chunks of at most
-- concilium.bulk.chunk-bytes, written and read one chunk at a time (memory flat in the file's size).
-- Stored uncompressed (EXTERNAL): PostgreSQL's pglz would cost a core for little on a file kept an hour.
CREATE TABLE bulk_file_chunk (
    job_id text    NOT NULL REFERENCES bulk_job (id) ON DELETE CASCADE,
    file   text    NOT NULL,
    seq    integer NOT NULL,
    data   bytea   NOT NULL,
    PRIMARY KEY (job_id, file, seq)
);
ALTER TABLE bulk_file_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
