-- Current version of every resource: the JSON body plus the columns search needs.
CREATE TABLE resource (
    res_type     text        NOT NULL,
    res_id       text        NOT NULL,
    version      integer     NOT NULL,
    last_updated timestamptz NOT NULL,
    deleted      boolean     NOT NULL DEFAULT false,
    body         jsonb,
    subject      text,        -- 'Patient/<id>' the resource is about, if any
    tokens       text[]      NOT NULL DEFAULT '{}',  -- 'param=system|code', 'param=code', 'param=system|'
    date_lo      timestamptz,  -- the type's clinical date as a range
    date_hi      timestamptz,
    PRIMARY KEY (res_type, res_id)
);
CREATE INDEX resource_subject ON resource (res_type, subject) WHERE NOT deleted;
CREATE INDEX resource_tokens ON resource USING gin (tokens);
CREATE INDEX resource_date ON resource (res_type, date_lo, date_hi) WHERE NOT deleted;
CREATE INDEX resource_updated ON resource (res_type, last_updated);

-- Every version ever written (current included), for vread and _history.
CREATE TABLE resource_history (
    res_type     text        NOT NULL,
    res_id       text        NOT NULL,
    version      integer     NOT NULL,
    last_updated timestamptz NOT NULL,
    deleted      boolean     NOT NULL,
    body         jsonb,
    PRIMARY KEY (res_type, res_id, version)
);
