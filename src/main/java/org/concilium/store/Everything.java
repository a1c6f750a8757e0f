package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Patient/[id]/$everything: the Patient and every resource in its compartment (R4
 * CompartmentDefinition, through idx_reference), optionally limited by {@code _type} and
 * {@code _since}, keyset-paged on (type, id).
 */
final class Everything {

    private Everything() {
    }

    static Uni<SearchPage> page(SqlClient client, String patientId, List<String> types, Instant since, int count,
            PageCursor cursor) {
        List<String> links = new ArrayList<>();
        for (String type : SearchParameterCatalog.types()) {
            SearchParameterCatalog.patientCompartmentRows(type).forEach(p -> links.add(type + ":" + p));
        }
        List<Object> args = new ArrayList<>(List.of(patientId, links.toArray(String[]::new)));
        StringBuilder sql = new StringBuilder("SELECT " + ResourceStore.COLUMNS + " FROM resource r WHERE NOT r.deleted"
                + " AND ((r.res_type = 'Patient' AND r.res_id = $1) OR (r.res_type, r.res_id) IN (SELECT x.res_type,"
                + " x.res_id FROM idx_reference x WHERE x.target_id = $1 AND x.target_type = 'Patient'"
                + " AND x.res_type || ':' || x.param = ANY($2)))");
        if (types != null && !types.isEmpty()) {
            args.add(types.toArray(String[]::new));
            sql.append(" AND r.res_type = ANY($").append(args.size()).append(")");
        }
        if (since != null) {
            args.add(OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            sql.append(" AND r.last_updated >= $").append(args.size());
        }
        if (cursor != null) {
            if (cursor.keys().size() != 1) {
                throw new InvalidSearchException("_cursor does not belong to $everything");
            }
            args.add(cursor.keys().get(0));
            args.add(cursor.id());
            sql.append(" AND (r.res_type COLLATE \"C\", r.res_id COLLATE \"C\") > ($").append(args.size() - 1)
                    .append("::text COLLATE \"C\", $").append(args.size()).append("::text COLLATE \"C\")");
        }
        sql.append(" ORDER BY r.res_type COLLATE \"C\", r.res_id COLLATE \"C\" LIMIT ").append(count + 1);
        return client.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<StoredResource> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(ResourceStore.toStored(r));
            }
            boolean more = out.size() > count;
            List<StoredResource> page = more ? out.subList(0, count) : out;
            StoredResource last = page.isEmpty() ? null : page.get(page.size() - 1);
            PageCursor next = more && last != null ? new PageCursor(false, List.of(last.type()), last.id()) : null;
            Long total = cursor == null && !more ? (long) page.size() : null;
            return new SearchPage(List.copyOf(page), List.of(), total, next, null);
        });
    }
}
