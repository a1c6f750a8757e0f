package org.concilium.store;

/**
 * The SQL of one sort key over {@code resource r} (or a relation with its {@code row_key}): the smallest (ascending) or largest (descending)
 * indexed value of the parameter, with resources lacking a value last in both directions.
 * {@code cast} types the cursor's text value back for the keyset comparison.
 */
record SortSql(String expression, String cast, boolean descending) {

    static SortSql of(SortKey key, SearchSql sql) {
        SearchParam p = key.param();
        boolean desc = key.descending();
        if (p.name().equals("_id")) {
            return new SortSql("r.res_id COLLATE \"C\"", "text COLLATE \"C\"", desc);
        }
        if (p.name().equals("_lastUpdated")) {
            return new SortSql("r.last_updated", "timestamptz", desc);
        }
        String agg = desc ? "max" : "min";
        // one index-only probe of the owner index (row_key, param) INCLUDE (value), V170 and V320
        String owner = " WHERE x.row_key = r.row_key AND " + sql.param(sql.typeName, p.name()) + ")";
        return switch (p.type()) {
            case DATE -> new SortSql("COALESCE((SELECT " + agg + "(x." + (desc ? "hi" : "lo") + ") FROM idx_date x" + owner
                    + ", '" + (desc ? "-" : "") + "infinity'::timestamptz)", "timestamptz", desc);
            case NUMBER, QUANTITY -> new SortSql("COALESCE((SELECT " + agg + "(x.value) FROM " + SearchSql.table(p.type())
                    + " x" + owner + ", '" + (desc ? "-" : "") + "Infinity'::numeric)", "numeric", desc);
            case STRING, TOKEN, URI -> {
                String column = p.type() == SearchParamType.STRING ? "norm" : p.type() == SearchParamType.TOKEN ? "code"
                        : "value";
                String missing = desc ? "''" : "chr(1114111)";
                yield new SortSql("COALESCE((SELECT " + agg + "(x." + column + ") FROM " + SearchSql.table(p.type())
                        + " x" + owner + ", " + missing + ") COLLATE \"C\"", "text COLLATE \"C\"", desc);
            }
            default -> throw new InvalidSearchException("cannot sort on " + p.name());
        };
    }
}
