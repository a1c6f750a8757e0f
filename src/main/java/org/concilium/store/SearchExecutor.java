package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link SearchQuery}: one keyset-paged query for the matches (count+1 rows tell whether a
 * next page exists, so no count(*) runs unless {@code _total=accurate} or {@code _summary=count}),
 * with the first round of includes in that same statement (one round trip per page).
 */
final class SearchExecutor {

    /** At most this many resources are added by _include/_revinclude to one page (HAPI's default too). */
    static final int MAX_INCLUDED = 1000;

    private SearchExecutor() {
    }

    static Uni<SearchPage> run(SqlClient client, SearchQuery query) {
        SearchSql sql = SearchSql.of(query);
        if (query.summary() == SearchQuery.Summary.COUNT || query.count() == 0) {
            return total(client, sql, query.total() == null ? SearchQuery.Total.ACCURATE : query.total())
                    .map(t -> new SearchPage(List.of(), List.of(), t, null, null));
        }
        PageCursor cursor = query.cursor();
        boolean backwards = cursor != null && cursor.backwards();
        List<SortSql> keys = new ArrayList<>();
        for (SortKey k : query.sort()) {
            keys.add(SortSql.of(k, sql));
        }
        // matches and their sort keys, from the index alone where a filter allows (see SearchSql)
        boolean presorted = keys.size() > 1
                && keys.subList(1, keys.size()).stream().noneMatch(k -> k.expression().contains("r.last_updated"));
        // with several keys the later ones are probed above the first sort, by the matches' row keys
        StringBuilder inner = new StringBuilder(presorted ? "SELECT r.res_id, r.row_key" : "SELECT r.res_id");
        int computedFirst = presorted ? 1 : keys.size();
        for (int i = 0; i < computedFirst; i++) {
            inner.append(", ").append(keys.get(i).expression()).append(" AS k").append(i);
        }
        inner.append(" FROM ").append(sql.from).append(" WHERE ").append(sql.where);
        if (presorted) {
            // Several keys: the matches come sorted on the first key, so PostgreSQL's incremental sort
            // computes the later keys only for the rows the page needs (ties of the first key up to
            // LIMIT), not for every match: a patient's 514 Observations under _sort=-date,code probe
            // the code index ~40 times instead of 514 (docs/search.md)
            inner.append(" ORDER BY k0").append(keys.get(0).descending() != backwards ? " DESC" : " ASC");
            StringBuilder later = new StringBuilder("SELECT r.res_id, r.k0");
            for (int i = 1; i < keys.size(); i++) {
                later.append(", ").append(keys.get(i).expression()).append(" AS k").append(i);
            }
            inner = later.append(" FROM (").append(inner).append(") r");
        }
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            order.append("s.k").append(i).append(keys.get(i).descending() != backwards ? " DESC" : " ASC").append(", ");
        }
        order.append("s.res_id COLLATE \"C\"").append(backwards ? " DESC" : " ASC");
        // the page: keyset, order and limit on the typed keys; the bodies of that page only
        StringBuilder pageSql = new StringBuilder("SELECT s.* FROM (").append(inner).append(") s");
        if (cursor != null) {
            if (cursor.keys().size() != keys.size()) {
                throw new InvalidSearchException("_cursor does not belong to this _sort");
            }
            pageSql.append(" WHERE ").append(keyset(keys, cursor, sql));
        }
        pageSql.append(" ORDER BY ").append(order).append(" LIMIT ").append(query.count() + 1);
        if (cursor == null && query.offset() > 0) {
            pageSql.append(" OFFSET ").append(query.offset());
        }
        StringBuilder outer = new StringBuilder("SELECT r.res_type, r.res_id, r.version, r.last_updated, r.deleted,"
                + " r.body::text AS body");
        for (int i = 0; i < keys.size(); i++) {
            outer.append(", s.k").append(i).append("::text AS k").append(i);
        }
        boolean including = !query.includes().isEmpty() || !query.revIncludes().isEmpty();
        if (including) {
            outer.append(", row_number() OVER (ORDER BY ").append(order).append(") AS n");
        }
        outer.append(" FROM (").append(pageSql).append(") s JOIN resource r ON r.res_type = ").append(sql.type)
                .append(" AND r.res_id = s.res_id AND NOT r.deleted ORDER BY ").append(order);
        int keyCount = keys.size();
        String statement = including ? withIncludes(outer.toString(), query, sql, keyCount) : outer.toString();
        Uni<SearchPage> page = client.preparedQuery(statement).execute(sql.tuple())
                // a cursor's keys are cast to the sort key's type in SQL: one the server did not issue
                // (a forged date, a number out of range) is a data exception there, i.e. bad input
                .onFailure(e -> cursor != null && e instanceof io.vertx.pgclient.PgException pg
                        && pg.getSqlState() != null && pg.getSqlState().startsWith("22"))
                .transform(e -> new InvalidSearchException("_cursor is not a paging position this server issued"))
                .map(rows -> {
            List<StoredResource> matches = new ArrayList<>();
            List<StoredResource> firstIncluded = new ArrayList<>();
            List<Row> all = new ArrayList<>();
            for (Row row : rows) {
                if (including && row.getInteger(6 + keyCount) > 0) {
                    firstIncluded.add(ResourceStore.toStored(row));
                } else {
                    all.add(row);
                }
            }
            boolean more = all.size() > query.count();
            List<Row> kept = all.subList(0, Math.min(all.size(), query.count()));
            List<Row> ordered = new ArrayList<>(kept);
            if (backwards) {
                Collections.reverse(ordered);
            }
            ordered.forEach(r -> matches.add(ResourceStore.toStored(r)));
            boolean hasNext = backwards || more;
            boolean hasPrevious = backwards ? more : cursor != null || query.offset() > 0;
            PageCursor next = hasNext && !ordered.isEmpty() ? cursorOf(ordered.get(ordered.size() - 1), keyCount, false)
                    : null;
            PageCursor previous = hasPrevious && !ordered.isEmpty() ? cursorOf(ordered.get(0), keyCount, true) : null;
            Long exact = cursor == null && !more && (query.offset() == 0 || !matches.isEmpty())
                    ? (long) query.offset() + matches.size() : null;
            return new SearchPage(matches, firstIncluded, exact, next, previous);
        });
        SearchQuery.Total wanted = query.total();
        if (wanted == SearchQuery.Total.ACCURATE || wanted == SearchQuery.Total.ESTIMATE) {
            SearchSql countSql = SearchSql.of(query);
            page = page.flatMap(p -> p.total() != null ? Uni.createFrom().item(p)
                    : total(client, countSql, wanted).map(t -> new SearchPage(p.matches(), p.included(), t, p.next(),
                            p.previous())));
        } else if (wanted == SearchQuery.Total.NONE) {
            page = page.map(p -> new SearchPage(p.matches(), p.included(), null, p.next(), p.previous()));
        }
        if (!including) {
            return page;
        }
        return page.flatMap(p -> Includer.afterFirstRound(client, query, p.matches(), p.included())
                .map(inc -> new SearchPage(p.matches(), inc, p.total(), p.next(), p.previous())));
    }

    /**
     * The page and the first round of its includes in one statement, so a page with _include is one
     * round trip: the page (numbered in its order) is a CTE, each include a branch over the ids of
     * its first {@code _count} rows (the extra row only tells whether a next page exists). Rows come
     * back with a kind after the sort keys: 0 for the page (in order), 1 for included resources.
     */
    private static String withIncludes(String pageStatement, SearchQuery query, SearchSql sql, int keyCount) {
        String pageIds = "SELECT p.res_id FROM page p WHERE p.n <= " + query.count();
        StringBuilder nulls = new StringBuilder();
        for (int i = 0; i < keyCount; i++) {
            nulls.append(", NULL::text");
        }
        String columns = "r.res_type, r.res_id, r.version, r.last_updated, r.deleted, r.body::text" + nulls
                + ", 1 AS kind, NULL::bigint AS n";
        StringBuilder keysOut = new StringBuilder();
        for (int i = 0; i < keyCount; i++) {
            keysOut.append(", p.k").append(i);
        }
        StringBuilder out = new StringBuilder("WITH page AS MATERIALIZED (").append(pageStatement)
                .append(") (SELECT p.res_type, p.res_id, p.version, p.last_updated, p.deleted, p.body").append(keysOut)
                .append(", 0 AS kind, p.n FROM page p)");
        for (String branch : Includer.firstRoundSql(query, sql, pageIds, columns)) {
            out.append(" UNION ALL ").append(branch);
        }
        return out.append(" ORDER BY kind, n").toString();
    }

    /** Rows strictly after (or before, going backwards) the cursor in the sort order. */
    private static String keyset(List<SortSql> keys, PageCursor cursor, SearchSql sql) {
        boolean backwards = cursor.backwards();
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i <= keys.size(); i++) {
            StringBuilder and = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                and.append("s.k").append(j).append(" = ").append(sql.arg(cursor.keys().get(j))).append("::text::")
                        .append(keys.get(j).cast()).append(" AND ");
            }
            if (i < keys.size()) {
                boolean desc = keys.get(i).descending() != backwards;
                and.append("s.k").append(i).append(desc ? " < " : " > ").append(sql.arg(cursor.keys().get(i))).append("::text::")
                        .append(keys.get(i).cast());
            } else {
                and.append("s.res_id COLLATE \"C\"").append(backwards ? " < " : " > ").append(sql.arg(cursor.id()));
            }
            alternatives.add(and.append(')').toString());
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    private static PageCursor cursorOf(Row row, int keyCount, boolean backwards) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(row.getString(6 + i));
        }
        return new PageCursor(backwards, keys, row.getString(1));
    }

    private static Uni<Long> total(SqlClient client, SearchSql sql, SearchQuery.Total wanted) {
        if (wanted == SearchQuery.Total.NONE) {
            return Uni.createFrom().nullItem();
        }
        if (wanted == SearchQuery.Total.ESTIMATE) {
            return client.preparedQuery("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + sql.from + " WHERE " + sql.where)
                    .execute(sql.tuple()).map(rows -> {
                        Object plan = rows.iterator().next().getValue(0);
                        JsonArray json = plan instanceof JsonArray a ? a : new JsonArray(plan.toString());
                        return json.getJsonObject(0).getJsonObject("Plan").getNumber("Plan Rows").longValue();
                    });
        }
        return client.preparedQuery("SELECT count(*) FROM " + sql.from + " WHERE " + sql.where).execute(sql.tuple())
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** De-duplicates by type/id, keeping order. */
    static List<StoredResource> distinct(List<StoredResource> in) {
        Map<String, StoredResource> out = new LinkedHashMap<>();
        in.forEach(s -> out.putIfAbsent(s.type() + "/" + s.id(), s));
        return new ArrayList<>(out.values());
    }
}
