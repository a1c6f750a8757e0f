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
        OffsetDateTime low = OffsetDateTime.ofInstant(d.value().low(), ZoneOffset.UTC);
        OffsetDateTime high = OffsetDateTime.ofInstant(d.value().high(), ZoneOffset.UTC);
        return switch (d.prefix()) {
            case EQ -> "(" + lo + " >= " + arg(args, low) + " AND " + hi + " <= " + arg(args, high) + ")";
            case NE -> "NOT (" + lo + " >= " + arg(args, low) + " AND " + hi + " <= " + arg(args, high) + ")";
            case GT -> hi + " > " + arg(args, high);
            case LT -> lo + " < " + arg(args, low);
            case GE -> hi + " >= " + arg(args, low);
            case LE -> lo + " <= " + arg(args, high);
            case SA -> lo + " > " + arg(args, high);
            case EB -> hi + " < " + arg(args, low);
        };
    }

    private static String arg(List<Object> args, Object value) {
        args.add(value);
        return "$" + args.size();
    }

    Tuple tuple(Object... extra) {
        Tuple t = Tuple.tuple();
        args.forEach(t::addValue);
        for (Object e : extra) {
            t.addValue(e);
        }
        return t;
    }
}
