-- This site's collective-key material per epoch. The secret share is sealed (AES-GCM under the KEK).
CREATE TABLE network_key (
    epoch          bigint PRIMARY KEY,
    party_index    integer NOT NULL,
    sealed_secret  bytea   NOT NULL,
    ckg_share      bytea   NOT NULL,
    collective_key bytea,
    key_hash       text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Every network query this site took part in, as a persisted state machine:
-- RECEIVED -> EVALUATED -> CONTRIBUTED -> SHARE_RELEASED -> DONE | ABORTED.
CREATE TABLE network_query (
    query_id     text PRIMARY KEY,
    role         text NOT NULL,          -- ENTRY or PARTICIPANT
    state        text NOT NULL,
    entry_site   text NOT NULL,
    measure_url  text,
    request      bytea,                  -- the signed request that started it here
    detail       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- This site's signed contribution to a query (kept so a retry re-sends it, and so the site can
-- recognise it among the contributions the entry node later presents).
CREATE TABLE site_contribution (
    query_id  text PRIMARY KEY REFERENCES network_query (query_id),
    envelope  bytea NOT NULL
);

-- The one key-switch share this site ever releases for a query. The primary key is the rule:
-- a second, different share for the same query cannot be stored, so it is never sent.
CREATE TABLE keyswitch_share (
    query_id     text PRIMARY KEY REFERENCES network_query (query_id),
    ciphertext   text  NOT NULL,         -- fingerprint of the aggregate it was computed for
    envelope     bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Peer messages already accepted: a replay of any of them is refused.
CREATE TABLE peer_replay (
    sender    text    NOT NULL,
    query_id  text    NOT NULL,
    round     integer NOT NULL,
    nonce     bigint  NOT NULL,
    PRIMARY KEY (sender, query_id, round, nonce)
);

-- Network-wide MeasureReports this site produced as entry node.
CREATE TABLE network_report (
    id          text PRIMARY KEY,
    query_id    text UNIQUE NOT NULL,
    measure_url text NOT NULL,
    body        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
