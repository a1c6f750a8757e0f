-- SMART Backend Services clients registered by the site's administrator (bin/concilium clients add):
-- the public JWKS only, and the most a token may grant.
CREATE TABLE auth_client (
    client_id     text PRIMARY KEY,
    jwks          text NOT NULL,
    scope         text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- Every client-assertion jti seen, until the assertion itself has expired: a replay is refused
-- even after a restart of the node.
CREATE TABLE auth_assertion_jti (
    client_id  text NOT NULL,
    jti        text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX auth_assertion_jti_expires ON auth_assertion_jti (expires_at);
