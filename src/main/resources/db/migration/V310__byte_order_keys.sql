-- Every text column of the resource, history and search-index tables compares byte by byte (COLLATE "C"),
-- as the value columns of the index tables already did (issue 11, $import throughput).
-- Why: these are keys (types, ids, parameter names, codes, references), never text shown in a locale's order.
-- Under the database's locale each comparison in a B-tree descent went through strcoll (about a third of
-- PostgreSQL's CPU during a bulk import was B-tree comparisons); "C" is a memcmp. The order is unchanged
-- for UTF-8 under C.UTF-8 (code point order) and the keyset paging that already sorted ids COLLATE "C" can
-- now walk the primary key in order. A column compared with a parameter or another column of the default
-- collation takes "C" (a non-default implicit collation wins), so no query changes.
-- Cost on an existing site: the indexes on these columns are rebuilt once (the tables are not rewritten).
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT table_name, string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', column_name), ', ') AS alters
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS NULL
          AND (table_name IN ('resource', 'resource_history') OR table_name LIKE 'idx\_%')
        GROUP BY table_name
    LOOP
        EXECUTE format('ALTER TABLE %I %s', t.table_name, t.alters);
    END LOOP;
END $$;
