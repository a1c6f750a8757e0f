package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * _include (targets the matches point at) and _revinclude (resources pointing at the matches).
 * The first round is part of the page's own statement ({@link #firstRoundSql}, one round trip per
 * page); :iterate entries run once more, one query over idx_reference per parameter, over what the
 * first round added. Capped at {@link SearchExecutor#MAX_INCLUDED} resources.
 */
final class Includer {

    private static final String INCLUDE = "SELECT " + ResourceStore.COLUMNS + " FROM resource r WHERE NOT r.deleted"
            + " AND (r.res_type, r.res_id) IN (SELECT x.target_type, x.target_id FROM idx_reference x"
            + " WHERE x.row_key IN (SELECT k.row_key FROM resource k WHERE k.res_type = $1 AND k.res_id = ANY($2))"
            + " AND x.param = ANY($3::text[]) AND x.target_type = ANY($4::text[]))"
            + " LIMIT " + SearchExecutor.MAX_INCLUDED;
    private static final String REVINCLUDE = "SELECT " + ResourceStore.COLUMNS + " FROM resource r WHERE r.res_type = $1"
            + " AND NOT r.deleted AND r.res_id IN (SELECT x.res_id FROM idx_reference x WHERE x.res_type = $1"
            + " AND x.param = ANY($2::text[]) AND x.target_type = $3 AND x.target_id = ANY($4)) LIMIT " + SearchExecutor.MAX_INCLUDED;

    private Includer() {
    }

    /** The :iterate round over what the first round added (when asked), then de-duplicated and capped. */
    static Uni<List<StoredResource>> afterFirstRound(SqlClient client, SearchQuery query, List<StoredResource> matches,
            List<StoredResource> first) {
        boolean iterate = query.includes().stream().anyMatch(Include::iterate)
                || query.revIncludes().stream().anyMatch(Include::iterate);
        if (!iterate || first.isEmpty()) {
            return Uni.createFrom().item(finish(first, matches));
        }
        return round(client, query, first, true).map(second -> {
            List<StoredResource> all = new ArrayList<>(first);
            all.addAll(second);
            return finish(all, matches);
        });
    }

    /**
     * The first round over a page of {@code query}'s type as SQL branches (each a parenthesised
     * SELECT of {@code columns} over {@code resource r}) to run in the page's own statement:
     * {@code pageIds} is a subquery yielding the page's ids. Arguments go into {@code sql}.
     */
    static List<String> firstRoundSql(SearchQuery query, SearchSql sql, String pageIds, String columns) {
        List<String> branches = new ArrayList<>();
        for (Include inc : query.includes()) {
            if (!inc.sourceType().equals(query.type())) {
                continue;
            }
            branches.add("(SELECT " + columns + " FROM resource r WHERE NOT r.deleted AND (r.res_type, r.res_id) IN"
                    + " (SELECT x.target_type, x.target_id FROM idx_reference x WHERE x.row_key IN (SELECT k.row_key"
                    + " FROM resource k WHERE k.res_type = " + sql.arg(inc.sourceType()) + " AND k.res_id IN (" + pageIds
                    + ")) AND " + sql.param(inc.sourceType(), inc.param().name())
                    + " AND x.target_type = ANY(" + sql.arg(inc.targetTypes().toArray(String[]::new)) + "::text[])"
                    + ") LIMIT " + SearchExecutor.MAX_INCLUDED + ")");
        }
        for (Include inc : query.revIncludes()) {
            if (inc.targetType() != null && !inc.targetType().equals(query.type())) {
                continue;
            }
            String source = sql.arg(inc.sourceType());
            branches.add("(SELECT " + columns + " FROM resource r WHERE r.res_type = " + source + " AND NOT r.deleted"
                    + " AND r.res_id IN (SELECT x.res_id FROM idx_reference x WHERE x.res_type = " + source
                    + " AND " + sql.param(inc.sourceType(), inc.param().name()) + " AND x.target_type = " + sql.arg(query.type())
                    + " AND x.target_id IN (" + pageIds + ")) LIMIT " + SearchExecutor.MAX_INCLUDED + ")");
        }
        return branches;
    }

    private static List<StoredResource> finish(List<StoredResource> all, List<StoredResource> matches) {
        Set<String> seen = new HashSet<>();
        matches.forEach(m -> seen.add(m.type() + "/" + m.id()));
        List<StoredResource> out = new ArrayList<>();
        for (StoredResource s : SearchExecutor.distinct(all)) {
            if (!seen.contains(s.type() + "/" + s.id()) && out.size() < SearchExecutor.MAX_INCLUDED) {
                out.add(s);
            }
        }
        return out;
    }

    /** One round over {@code from}: the first round uses every entry, the second only :iterate ones. */
    private static Uni<List<StoredResource>> round(SqlClient client, SearchQuery query, List<StoredResource> from,
            boolean iterating) {
        List<Uni<List<StoredResource>>> parts = new ArrayList<>();
        for (Include inc : query.includes()) {
            if (iterating && !inc.iterate()) {
                continue;
            }
            String[] ids = from.stream().filter(s -> s.type().equals(inc.sourceType())).map(StoredResource::id)
                    .toArray(String[]::new);
            StoredRows stored = SearchParameterCatalog.stored(inc.sourceType(), inc.param().name());
            String[] targets = inc.targetTypes().stream()
                    .filter(t -> stored.targetType() == null || stored.targetType().equals(t)).toArray(String[]::new);
            if (ids.length > 0 && targets.length > 0) {
                parts.add(client.preparedQuery(INCLUDE).execute(Tuple.of(inc.sourceType(), ids,
                        stored.params().toArray(String[]::new), targets)).map(ResourceStore::all));
            }
        }
        for (Include inc : query.revIncludes()) {
            if (iterating && !inc.iterate()) {
                continue;
            }
            StoredRows stored = SearchParameterCatalog.stored(inc.sourceType(), inc.param().name());
            for (String targetType : from.stream().map(StoredResource::type).distinct().toList()) {
                if (inc.targetType() != null && !inc.targetType().equals(targetType)
                        || stored.targetType() != null && !stored.targetType().equals(targetType)) {
                    continue;
                }
                String[] ids = from.stream().filter(s -> s.type().equals(targetType)).map(StoredResource::id)
                        .toArray(String[]::new);
                parts.add(client.preparedQuery(REVINCLUDE).execute(Tuple.of(inc.sourceType(),
                        stored.params().toArray(String[]::new), targetType, ids)).map(ResourceStore::all));
            }
        }
        if (parts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(parts).andFailFast().map(lists -> {
            List<StoredResource> all = new ArrayList<>();
            lists.forEach(all::addAll);
            return all;
        });
    }
}
