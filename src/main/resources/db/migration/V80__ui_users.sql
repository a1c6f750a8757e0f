-- People who sign in to the dashboard at /ui (bin/concilium users add): a role, never a plain
-- password; the hash is PBKDF2-HMAC-SHA256 with a per-user salt (see docs/ui.md).
CREATE TABLE ui_user (
    name          text PRIMARY KEY,
    role          text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
