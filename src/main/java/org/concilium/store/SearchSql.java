package org.concilium.store;

import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Translates a {@link SearchQuery} into a parameterised WHERE clause over the resource table. */
final class SearchSql {

    final String where;
    final List<Object> args;

    private SearchSql(String where, List<Object> args) {
        this.where = where;
        this.args = args;
    }

    static SearchSql of(SearchQuery query) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("res_type = $1 AND NOT deleted");
        args.add(query.type());
        for (SearchCriterion c : query.criteria()) {
            sql.append(" AND ");
            switch (c) {
                case SearchCriterion.Ids ids -> {
                    args.add(ids.ids().toArray(String[]::new));
                    sql.append("res_id = ANY($").append(args.size()).append(")");
                }
                case SearchCriterion.Subjects s -> {
                    args.add(s.references().toArray(String[]::new));
                    sql.append("subject = ANY($").append(args.size()).append(")");
                }
                case SearchCriterion.Tokens t -> {
                    args.add(t.tokens().toArray(String[]::new));
                    sql.append("tokens && $").append(args.size()).append("::text[]");
                }
                case SearchCriterion.DateComparison d -> sql.append(date(d, args));
            }
        }
        return new SearchSql(sql.toString(), args);
    }

    private static String date(SearchCriterion.DateComparison d, List<Object> args) {
        String lo = d.lastUpdated() ? "last_updated" : "date_lo";
        String hi = d.lastUpdated() ? "last_updated" : "date_hi";
        args.add(OffsetDateTime.ofInstant(d.value().low(), ZoneOffset.UTC));
        String vlo = "$" + args.size();
        args.add(OffsetDateTime.ofInstant(d.value().high(), ZoneOffset.UTC));
        String vhi = "$" + args.size();
        return switch (d.prefix()) {
            case EQ -> "(" + lo + " >= " + vlo + " AND " + hi + " <= " + vhi + ")";
            case NE -> "NOT (" + lo + " >= " + vlo + " AND " + hi + " <= " + vhi + ")";
            case GT -> hi + " > " + vhi;
            case LT -> lo + " < " + vlo;
            case GE -> hi + " >= " + vlo;
            case LE -> lo + " <= " + vhi;
            case SA -> lo + " > " + vhi;
            case EB -> hi + " < " + vlo;
        };
    }

    Tuple tuple(Object... extra) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(List.of(extra));
        return Tuple.from(all);
    }
}
