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
 * {@code _history} at type ({@code type} set) and system level: every version, newest first, keyset
 * paged on (last_updated, type, id, version) so writes between pages land before the first page
 * and never shift later ones. {@code since}: versions written at or after it. {@code at}: versions
 * that were current at some moment of the range (written before its end, not replaced before its
 * start). Migration V51 indexes resource_history for both orders.
 */
final class History {

    private History() {
    }

    static Uni<SearchPage> page(SqlClient client, String type, Instant since, DateRange at, int count,
            PageCursor cursor) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + ResourceStore.COLUMNS + " FROM resource_history h WHERE true");
        if (type != null) {
            args.add(type);
            sql.append(" AND h.res_type = $").append(args.size());
        }
        if (since != null) {
            args.add(utc(since));
            sql.append(" AND h.last_updated >= $").append(args.size());
        }
        if (at != null) {
            args.add(utc(at.high()));
            sql.append(" AND h.last_updated <= $").append(args.size());
            args.add(utc(at.low()));
            sql.append(" AND NOT EXISTS (SELECT 1 FROM resource_history n WHERE n.res_type = h.res_type"
                    + " AND n.res_id = h.res_id AND n.version = h.version + 1 AND n.last_updated < $")
                    .append(args.size()).append(")");
        }
        // type level: the (res_type, last_updated, res_id, version) index; system level: (last_updated, res_type, ...)
        String key = type != null ? "h.last_updated, h.res_id, h.version" : "h.last_updated, h.res_type, h.res_id, h.version";
        if (cursor != null) {
            if (cursor.keys().size() != 3) {
                throw new InvalidSearchException("_cursor does not belong to _history");
            }
            try {
                args.add(utc(Instant.parse(cursor.keys().get(0))));
                int ts = args.size();
                args.add(cursor.keys().get(1));
                int t = args.size();
                args.add(cursor.id());
                int id = args.size();
                args.add(Integer.parseInt(cursor.keys().get(2)));
                int v = args.size();
                sql.append(" AND (").append(key).append(") < (").append(type != null
                        ? "$" + ts + ", $" + id + ", $" + v : "$" + ts + ", $" + t + ", $" + id + ", $" + v).append(")");
            } catch (RuntimeException e) {
                throw new InvalidSearchException("_cursor is not a paging position this server issued");
            }
        }
        sql.append(" ORDER BY ").append(key.replace(",", " DESC,")).append(" DESC LIMIT ").append(count + 1);
        return client.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<StoredResource> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(ResourceStore.toStored(r));
            }
            boolean more = out.size() > count;
            List<StoredResource> page = more ? out.subList(0, count) : out;
            StoredResource last = page.isEmpty() ? null : page.get(page.size() - 1);
            PageCursor next = more && last != null ? new PageCursor(false, List.of(last.lastUpdated().toString(),
                    last.type(), Integer.toString(last.version())), last.id()) : null;
            Long total = cursor == null && !more ? (long) page.size() : null;
            return new SearchPage(List.copyOf(page), List.of(), total, next, null);
        });
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
