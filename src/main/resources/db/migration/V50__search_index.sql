-- Typed search index tables (issue 11), replacing resource.tokens/date_lo/date_hi.
-- One row per indexed value; every table is keyed by (res_type, res_id, param) and holds rows of
-- current, non-deleted resources only (a write deletes and re-inserts the resource's rows).
-- Value columns use the "C" collation: byte order, so prefix searches are btree ranges and
-- sorting is stable whatever the server's locale. Btree indexes lead with (res_type, param, value) for search and carry an owner index
-- (res_type, res_id) for re-indexing, sorting and _include.
ALTER TABLE resource DROP COLUMN tokens, DROP COLUMN date_lo, DROP COLUMN date_hi;
-- Which index layout a row was indexed with; rows below the current layout are re-indexed at start-up.
ALTER TABLE resource ADD COLUMN index_layout smallint NOT NULL DEFAULT 0;
CREATE INDEX resource_index_layout ON resource (index_layout) WHERE index_layout < 1;
-- Keyset paging and bulk export walk a type by id.
CREATE INDEX resource_live ON resource (res_type, res_id) WHERE NOT deleted;

CREATE TABLE idx_string (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    norm  text COLLATE "C" NOT NULL,   -- lower-case, accents removed (default and :contains)
    exact text COLLATE "C" NOT NULL    -- as written (:exact)
);
CREATE INDEX idx_string_value ON idx_string (res_type, param, norm);
CREATE INDEX idx_string_owner ON idx_string (res_type, res_id);

CREATE TABLE idx_token (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    system text COLLATE "C", code text COLLATE "C",
    text_norm text COLLATE "C"         -- display / CodeableConcept.text, normalised (:text)
);
CREATE INDEX idx_token_code ON idx_token (res_type, param, code, system);
CREATE INDEX idx_token_owner ON idx_token (res_type, res_id);

CREATE TABLE idx_reference (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    target_type text, target_id text,
    url text COLLATE "C",          -- absolute or canonical references
    id_system text, id_value text   -- Reference.identifier (:identifier)
);
CREATE INDEX idx_reference_target ON idx_reference (res_type, param, target_id);
CREATE INDEX idx_reference_inbound ON idx_reference (target_id, target_type);
CREATE INDEX idx_reference_url ON idx_reference (res_type, param, url) WHERE url IS NOT NULL;
CREATE INDEX idx_reference_owner ON idx_reference (res_type, res_id);

CREATE TABLE idx_date (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    lo timestamptz NOT NULL, hi timestamptz NOT NULL   -- the closed range the value covers at its precision
);
CREATE INDEX idx_date_range ON idx_date (res_type, param, lo, hi);
CREATE INDEX idx_date_owner ON idx_date (res_type, res_id);

CREATE TABLE idx_number (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    value numeric NOT NULL
);
CREATE INDEX idx_number_value ON idx_number (res_type, param, value);
CREATE INDEX idx_number_owner ON idx_number (res_type, res_id);

CREATE TABLE idx_quantity (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    value numeric NOT NULL, system text, code text,
    canon_value numeric, canon_code text   -- UCUM canonical form, when the unit is UCUM
);
CREATE INDEX idx_quantity_value ON idx_quantity (res_type, param, value);
CREATE INDEX idx_quantity_canon ON idx_quantity (res_type, param, canon_code, canon_value);
CREATE INDEX idx_quantity_owner ON idx_quantity (res_type, res_id);

CREATE TABLE idx_uri (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    value text COLLATE "C" NOT NULL
);
CREATE INDEX idx_uri_value ON idx_uri (res_type, param, value);
CREATE INDEX idx_uri_owner ON idx_uri (res_type, res_id);
