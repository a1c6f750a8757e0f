-- Search: sort keys read from the index alone, and composite search parameters (issue 11).
--
-- Owner indexes become (res_type, res_id, param) INCLUDE (the value a sort or an _include reads):
-- a _sort key is one index-only probe per match instead of a heap visit of every row of the
-- resource (a token owner probe read ~5 rows to find one), and _include reads the targets from
-- the index. They still serve the re-index DELETE, which looks rows up by (res_type, res_id).
DROP INDEX idx_string_owner;
CREATE INDEX idx_string_owner ON idx_string (res_type, res_id, param) INCLUDE (norm);
DROP INDEX idx_token_owner;
CREATE INDEX idx_token_owner ON idx_token (res_type, res_id, param) INCLUDE (code);
DROP INDEX idx_reference_owner;
CREATE INDEX idx_reference_owner ON idx_reference (res_type, res_id, param) INCLUDE (target_type, target_id);
DROP INDEX idx_date_owner;
CREATE INDEX idx_date_owner ON idx_date (res_type, res_id, param) INCLUDE (lo, hi);
DROP INDEX idx_number_owner;
CREATE INDEX idx_number_owner ON idx_number (res_type, res_id, param) INCLUDE (value);
DROP INDEX idx_quantity_owner;
CREATE INDEX idx_quantity_owner ON idx_quantity (res_type, res_id, param) INCLUDE (value);
DROP INDEX idx_uri_owner;
CREATE INDEX idx_uri_owner ON idx_uri (res_type, res_id, param) INCLUDE (value);

-- One row per element a composite parameter matches (the Observation itself, or one of its
-- components) and per pair of component values found on that SAME element, so that
-- code-value-quantity=A$B never pairs a code of one component with a value of another.
-- The first component of every R4 composite this node supports is a token (system1, code1);
-- the second uses the columns of its own type's table (token: system, code; quantity: value,
-- system, code, canon_value, canon_code; date: lo, hi; string: norm, exact), so a value is
-- compared by the same SQL as the plain parameter.
CREATE TABLE idx_composite (
    res_type text NOT NULL, res_id text NOT NULL, param text NOT NULL,
    system1 text COLLATE "C", code1 text COLLATE "C",
    system text COLLATE "C", code text COLLATE "C",
    value numeric, canon_value numeric, canon_code text,
    lo timestamptz, hi timestamptz,
    norm text COLLATE "C", exact text COLLATE "C"
);
CREATE INDEX idx_composite_code ON idx_composite (res_type, param, code1, system1);
CREATE INDEX idx_composite_owner ON idx_composite (res_type, res_id, param);

-- Layout 2 adds the composite rows: only the types with a composite parameter need re-indexing.
UPDATE resource SET index_layout = 2
 WHERE index_layout = 1 AND res_type NOT IN ('Observation', 'Group', 'Measure', 'Library', 'ValueSet', 'CodeSystem');
DROP INDEX resource_index_layout;
CREATE INDEX resource_index_layout ON resource (index_layout) WHERE index_layout < 2;
