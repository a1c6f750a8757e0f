-- The site's access-token signing keys (ES384), shared by every replica of the site through this
-- table: a token one replica issued verifies on every other, and after a restart. The private key
-- is sealed (JWE dir + A256GCM) under the site's key-encryption key file, which replicas share;
-- the public key is stored in the clear (it is published at /auth/jwks). The newest key signs; the
-- older ones keep verifying until every token they signed has expired, then they are deleted.
CREATE TABLE auth_signing_key (
    kid            text PRIMARY KEY,
    public_jwk     text NOT NULL,
    sealed_private text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_signing_key_created ON auth_signing_key (created_at DESC);
