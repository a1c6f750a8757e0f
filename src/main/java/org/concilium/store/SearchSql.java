package org.concilium.store;

import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translates a {@link SearchQuery}'s filters into parameterised SQL: {@link #from} (a relation
 * {@code r} with a {@code res_id} column) and the predicate {@link #where} over it. Each filter is a
 * semi-join into one typed index table, so every value comparison is a btree range on
 * (res_type, param, value); ':not' and ':missing=true' are anti-joins.
 *
 * <p>When some filter is a positive semi-join into the searched type's own index rows, that filter
 * alone is the relation ({@code SELECT DISTINCT res_id} from its index rows) and the resource table
 * is not visited at all to find and order the matches: index rows exist only for current,
 * non-deleted resources, so they answer "live" by themselves. Otherwise (only {@code _id},
 * {@code _lastUpdated}, anti-joins or {@code _has}) the relation is {@code resource r}.
 */
final class SearchSql {

    /** What a driving filter's index rows yield: the id and the row key of each match. */
    private static final String KEYED = "x.res_id, x.row_key";

    /** Ranges of a string prefix in the "C" collation: everything below this follows the prefix. */
    private static final String PREFIX_END = "\uDBFF\uDFFF";

    final List<Object> args = new ArrayList<>();
    /** The searched type, as a parameter reference ("$1"). */
    final String type;
    /** The searched type's name. */
    final String typeName;
    final String from;
    final String where;

    private SearchSql(SearchQuery query) {
        this.typeName = query.type();
        this.type = arg(query.type());
        // Any filter count: the multi-filter slowdown was PostgreSQL's generic plan of the cached
        // statement, not this shape (plan_cache_mode in application.properties; docs/search.md)
        SearchFilter driver = query.sort().stream().anyMatch(k -> k.param().name().equals("_lastUpdated")) ? null
                : query.filters().stream().filter(SearchSql::drives)
                        .min(java.util.Comparator.comparingInt(SearchSql::selectivity)).orElse(null);
        List<String> predicates = new ArrayList<>();
        if (driver == null) {
            this.from = "resource r";
            predicates.add("r.res_type = " + type + " AND NOT r.deleted");
        } else {
            // the row key comes along for the owner probes of sort keys (SortSql)
            this.from = "(SELECT DISTINCT d.res_id, d.row_key FROM (" + semiJoin(query.type(), driver, KEYED)
                    + ") AS d(res_id, row_key)) r";
        }
        for (SearchFilter f : query.filters()) {
            if (f != driver) {
                predicates.add(predicate("r", query.type(), f));
            }
        }
        this.where = predicates.isEmpty() ? "TRUE" : String.join(" AND ", predicates);
    }

    static SearchSql of(SearchQuery query) {
        return new SearchSql(query);
    }

    /** A filter whose semi-join yields ids of live resources of the searched type by itself. */
    private static boolean drives(SearchFilter f) {
        return switch (f) {
            case SearchFilter.Param p -> !p.param().isResourceColumn() && !"not".equals(p.modifier())
                    && !("missing".equals(p.modifier()) && p.values().get(0).equals("true"));
            case SearchFilter.Chain c -> true;
            case SearchFilter.InPatientCompartment c -> true;
            case SearchFilter.Has h -> false; // yields target ids, which may be dangling references
        };
    }

    /**
     * How few rows a driving filter is likely to yield (lower: fewer): a patient's compartment or a
     * reference first, then equality on codes, never a date or number range unless nothing else
     * drives (a range such as date=ge2019 can hold most of a type's rows).
     */
    private static int selectivity(SearchFilter f) {
        return switch (f) {
            case SearchFilter.InPatientCompartment c -> 0;
            case SearchFilter.Param p when "missing".equals(p.modifier()) -> 9;
            case SearchFilter.Param p -> switch (p.param().type()) {
                case REFERENCE -> 1;
                case TOKEN, URI, COMPOSITE -> "text".equals(p.modifier()) ? 4 : 2;
                case STRING -> "exact".equals(p.modifier()) ? 2 : 4;
                case NUMBER, QUANTITY, DATE -> 6;
            };
            case SearchFilter.Chain c -> 3;
            case SearchFilter.Has h -> 10;
        };
    }

    /**
     * The condition that index row {@code x} belongs to {@code type}'s parameter {@code name}: its own
     * rows, or for a derived parameter the rows of those it restates ({@link StoredRows}).
     */
    String param(String type, String name) {
        StoredRows s = SearchParameterCatalog.stored(type, name);
        String rows = s.params().size() == 1 ? "x.param = " + arg(s.params().get(0))
                : "x.param = ANY(" + arg(s.params().toArray(String[]::new)) + ")";
        return s.targetType() == null ? rows : rows + " AND x.target_type = " + arg(s.targetType());
    }

    String arg(Object value) {
        args.add(value);
        return "$" + args.size();
    }

    Tuple tuple() {
        Tuple t = Tuple.tuple();
        args.forEach(t::addValue);
        return t;
    }

    private String predicate(String alias, String type, SearchFilter f) {
        if (f instanceof SearchFilter.Param p && p.param().isResourceColumn()) {
            return column(alias, p);
        }
        boolean anti = f instanceof SearchFilter.Param p
                && ("not".equals(p.modifier()) || "missing".equals(p.modifier()) && p.values().get(0).equals("true"));
        if (f instanceof SearchFilter.Has) { // its rows are the referring resources': they yield target ids
            return alias + ".res_id IN (" + semiJoin(type, f, "x.res_id") + ")";
        }
        // by row key, so that PostgreSQL can probe the owner index (row_key, param) once per candidate when
        // another filter drives: correlated on res_id, which no index of the table leads with since V320, a
        // patient's 514 Observations each re-read the 1,710 rows of one code (210 ms instead of ~1 ms)
        return alias + ".row_key " + (anti ? "NOT IN" : "IN") + " (" + semiJoin(type, f, "x.row_key") + ")";
    }

    /**
     * The ids the filter is about (for ':not' and ':missing=true', the ones it excludes): {@code selected}
     * columns of the matching index rows ({@code _has} yields target ids whatever is asked).
     */
    private String semiJoin(String type, SearchFilter f, String selected) {
        return switch (f) {
            case SearchFilter.Param p -> rows(type, p, selected);
            case SearchFilter.Chain c -> chain(type, c, selected);
            case SearchFilter.Has h -> has(type, h);
            case SearchFilter.InPatientCompartment c -> "SELECT " + selected + " FROM idx_reference x"
                    + " WHERE x.res_type = " + arg(type) + " AND x.param = ANY(" + arg(
                            SearchParameterCatalog.patientCompartmentRows(type).toArray(String[]::new))
                    + ") AND x.target_type = 'Patient' AND x.target_id = " + arg(c.patientId());
        };
    }

    private String chain(String type, SearchFilter.Chain c, String selected) {
        List<String> perTarget = new ArrayList<>();
        for (String target : c.targetTypes()) {
            String inner = "r2.res_type = " + arg(target) + " AND NOT r2.deleted AND " + predicate("r2", target, c.inner());
            perTarget.add("(x.target_type = " + arg(target) + " AND x.target_id IN (SELECT r2.res_id FROM resource r2"
                    + " WHERE " + inner + "))");
        }
        return "SELECT " + selected + " FROM idx_reference x WHERE x.res_type = " + arg(type)
                + " AND " + param(type, c.reference().name()) + " AND (" + String.join(" OR ", perTarget) + ")";
    }

    private String has(String type, SearchFilter.Has h) {
        String inner = "r2.res_type = " + arg(h.sourceType()) + " AND NOT r2.deleted AND "
                + predicate("r2", h.sourceType(), h.inner());
        return "SELECT x.target_id FROM idx_reference x WHERE x.res_type = " + arg(h.sourceType())
                + " AND " + param(h.sourceType(), h.reference().name()) + " AND x.target_type = " + arg(type)
                + " AND x.row_key IN (SELECT r2.row_key FROM resource r2 WHERE " + inner + ")";
    }

    /** _id and _lastUpdated: columns of the resource table. */
    private String column(String alias, SearchFilter.Param p) {
        if (p.param().name().equals("_id")) {
            String ids = arg(p.values().stream().map(SearchValues::unescape).toArray(String[]::new));
            return ("not".equals(p.modifier()) ? "NOT " : "") + alias + ".res_id = ANY(" + ids + ")";
        }
        List<String> alternatives = new ArrayList<>();
        for (String v : p.values()) {
            alternatives.add(date(alias + ".last_updated", alias + ".last_updated", v, p.param().name()));
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    /** The index rows of a parameter filter: those matching a value (or, for ':missing', any row). */
    private String rows(String type, SearchFilter.Param p, String selected) {
        SearchParam sp = p.param();
        String rows = "SELECT " + selected + " FROM " + table(sp.type()) + " x WHERE x.res_type = " + arg(type)
                + " AND " + param(type, sp.name());
        if ("missing".equals(p.modifier())) {
            return rows;
        }
        List<String> alternatives = new ArrayList<>();
        for (String v : p.values()) {
            alternatives.add(value(sp, p.modifier(), v));
        }
        return rows + " AND (" + String.join(" OR ", alternatives) + ")";
    }

    static String table(SearchParamType type) {
        return switch (type) {
            case STRING -> "idx_string";
            case TOKEN -> "idx_token";
            case REFERENCE -> "idx_reference";
            case DATE -> "idx_date";
            case NUMBER -> "idx_number";
            case QUANTITY -> "idx_quantity";
            case URI -> "idx_uri";
            case COMPOSITE -> "idx_composite";
        };
    }

    /** One OR alternative as a condition on the index row {@code x}. */
    private String value(SearchParam sp, String modifier, String raw) {
        return switch (sp.type()) {
            case STRING -> string(modifier, SearchValues.unescape(raw));
            case TOKEN -> "text".equals(modifier) ? prefix("x.text_norm", TextNormal.of(SearchValues.unescape(raw)))
                    : token("x.system", "x.code", raw);
            case REFERENCE -> reference(modifier, raw);
            case DATE -> date("x.lo", "x.hi", raw, sp.name());
            case NUMBER -> number("x.value", raw, sp.name());
            case QUANTITY -> quantity(raw, sp.name());
            case URI -> uri(modifier, SearchValues.unescape(raw));
            case COMPOSITE -> composite(sp, raw);
        };
    }

    /**
     * {@code token$value}: both parts must hold on the same index row, i.e. on the same element
     * (the Observation, or one component). The second part has its own type's syntax and semantics
     * (a quantity's prefix and UCUM units, a date's prefix and precision, a string's prefix match).
     */
    private String composite(SearchParam sp, String raw) {
        List<String> parts = SearchValues.split(raw, '$');
        if (parts.size() != 2 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
            throw new InvalidSearchException("'" + sp.name() + "' takes two values separated by '$' ("
                    + sp.components().get(0).param().name() + "$" + sp.components().get(1).param().name() + "), got '"
                    + raw + "'");
        }
        SearchParam second = sp.components().get(1).param();
        try {
            return "(" + token("x.system1", "x.code1", parts.get(0)) + " AND " + value(second, null, parts.get(1)) + ")";
        } catch (InvalidSearchException e) {
            throw new InvalidSearchException("'" + sp.name() + "': " + e.getMessage());
        }
    }

    private String string(String modifier, String v) {
        if ("exact".equals(modifier)) {
            return "x.exact = " + arg(v.length() > TextNormal.MAX ? v.substring(0, TextNormal.MAX) : v);
        }
        String norm = TextNormal.of(v);
        if ("contains".equals(modifier)) {
            return "x.norm LIKE " + arg("%" + TextNormal.likeLiteral(norm) + "%");
        }
        return prefix("x.norm", norm);
    }

    /** A btree range: column starts with {@code p}. */
    private String prefix(String column, String p) {
        return "(" + column + " >= " + arg(p) + " AND " + column + " < " + arg(p + PREFIX_END) + ")";
    }

    private String token(String systemColumn, String codeColumn, String raw) {
        List<String> parts = SearchValues.split(raw, '|');
        if (parts.size() == 1) {
            return codeColumn + " = " + arg(SearchValues.unescape(raw));
        }
        if (parts.size() != 2) {
            throw new InvalidSearchException("a token is code, system|code, |code or system|, got '" + raw + "'");
        }
        String system = SearchValues.unescape(parts.get(0));
        String code = SearchValues.unescape(parts.get(1));
        if (system.isEmpty()) {
            return "(" + systemColumn + " IS NULL AND " + codeColumn + " = " + arg(code) + ")";
        }
        if (code.isEmpty()) {
            return systemColumn + " = " + arg(system);
        }
        return "(" + systemColumn + " = " + arg(system) + " AND " + codeColumn + " = " + arg(code) + ")";
    }

    private String reference(String modifier, String raw) {
        if ("identifier".equals(modifier)) {
            return token("x.id_system", "x.id_value", raw);
        }
        String v = SearchValues.unescape(raw);
        if (v.contains("://") || v.startsWith("urn:")) {
            int bar = v.indexOf('|');
            String url = bar < 0 ? v : v.substring(0, bar); // a canonical may carry |version
            if (!looksLikeResourceUrl(url)) {
                return "x.url = " + arg(url);
            }
            TargetReference t = TargetReference.parse(url);
            // an absolute reference: stored as written (url) or as Type/id of this server
            return "(x.url = " + arg(url) + " OR (x.target_id = " + arg(t.id()) + " AND x.target_type = "
                    + arg(t.type()) + "))";
        }
        TargetReference t = TargetReference.parse(v);
        if (t.id() == null) {
            throw new InvalidSearchException("not a reference: '" + v + "'");
        }
        String type = modifier != null ? modifier : t.type();
        if (modifier != null && t.type() != null && !t.type().equals(modifier)) {
            throw new InvalidSearchException("reference '" + v + "' does not name a " + modifier);
        }
        String id = "x.target_id = " + arg(t.id());
        return type == null ? id : "(" + id + " AND x.target_type = " + arg(type) + ")";
    }

    private static boolean looksLikeResourceUrl(String v) {
        TargetReference t = TargetReference.parse(v);
        return t.type() != null && FhirJson.context().getResourceTypes().contains(t.type());
    }

    private String uri(String modifier, String v) {
        if ("below".equals(modifier)) {
            return prefix("x.value", v);
        }
        if ("above".equals(modifier)) {
            return "starts_with(" + arg(v) + ", x.value)";
        }
        return "x.value = " + arg(v);
    }

    /** Prefix and value: 'ge2019-01-01' → (GE, "2019-01-01"). */
    private record Prefixed(String prefix, String value) {
        static Prefixed of(String raw, String name) {
            if (raw.length() > 2 && Character.isLetter(raw.charAt(0)) && Character.isLetter(raw.charAt(1))) {
                String p = raw.substring(0, 2).toLowerCase(Locale.ROOT);
                if (!List.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap").contains(p)) {
                    throw new InvalidSearchException("unsupported prefix '" + raw.substring(0, 2) + "' for '" + name
                            + "' (supported: eq, ne, gt, lt, ge, le, sa, eb, ap)");
                }
                return new Prefixed(p, raw.substring(2));
            }
            return new Prefixed("eq", raw);
        }
    }

    private String date(String lo, String hi, String raw, String name) {
        Prefixed p = Prefixed.of(raw, name);
        DateRange d;
        try {
            d = DateRange.parse(p.value());
        } catch (IllegalArgumentException e) {
            throw new InvalidSearchException("invalid date for '" + name + "': " + e.getMessage());
        }
        if (p.prefix().equals("ap")) {
            // approximately: within 10% of the distance from now, at least a day
            long gap = Math.abs(Duration.between(Instant.now(), d.low()).toMillis()) / 10;
            Duration slack = Duration.ofMillis(Math.max(gap, Duration.ofDays(1).toMillis()));
            d = new DateRange(d.low().minus(slack), d.high().plus(slack));
            return "(" + lo + " <= " + arg(utc(d.high())) + " AND " + hi + " >= " + arg(utc(d.low())) + ")";
        }
        return compare(lo, hi, p.prefix(), utc(d.low()), utc(d.high()));
    }

    /** Range comparisons shared by dates and numbers: [lo, hi] stored against [low, high] searched. */
    private String compare(String lo, String hi, String prefix, Object low, Object high) {
        return switch (prefix) {
            case "eq" -> "(" + lo + " >= " + arg(low) + " AND " + hi + " <= " + arg(high) + ")";
            case "ne" -> "NOT (" + lo + " >= " + arg(low) + " AND " + hi + " <= " + arg(high) + ")";
            case "gt" -> hi + " > " + arg(high);
            case "lt" -> lo + " < " + arg(low);
            case "ge" -> hi + " >= " + arg(low);
            case "le" -> lo + " <= " + arg(high);
            case "sa" -> lo + " > " + arg(high);
            case "eb" -> hi + " < " + arg(low);
            default -> throw new InvalidSearchException("unsupported prefix " + prefix);
        };
    }

    private String number(String column, String raw, String name) {
        Prefixed p = Prefixed.of(raw, name);
        BigDecimal v = decimal(p.value(), name);
        return numeric(column, p.prefix(), v);
    }

    /** eq/ne use the value's implied precision (100 is [99.5, 100.5)); ap is ±10%. */
    private String numeric(String column, String prefix, BigDecimal v) {
        BigDecimal half = BigDecimal.ONE.movePointLeft(Math.max(v.scale(), 0)).divide(BigDecimal.valueOf(2));
        return switch (prefix) {
            case "eq" -> "(" + column + " >= " + num(v.subtract(half)) + " AND " + column + " < " + num(v.add(half)) + ")";
            case "ne" -> "NOT (" + column + " >= " + num(v.subtract(half)) + " AND " + column + " < " + num(v.add(half))
                    + ")";
            case "ap" -> {
                BigDecimal slack = v.abs().divide(BigDecimal.TEN);
                yield "(" + column + " >= " + num(v.subtract(slack)) + " AND " + column + " <= " + num(v.add(slack)) + ")";
            }
            case "gt", "sa" -> column + " > " + num(v);
            case "lt", "eb" -> column + " < " + num(v);
            case "ge" -> column + " >= " + num(v);
            case "le" -> column + " <= " + num(v);
            default -> throw new InvalidSearchException("unsupported prefix " + prefix);
        };
    }

    private String num(BigDecimal v) {
        return arg(v.toPlainString()) + "::text::numeric";
    }

    private static BigDecimal decimal(String s, String name) {
        BigDecimal v;
        try {
            v = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new InvalidSearchException("'" + name + "' needs a number, got '" + s + "'");
        }
        // '1e999999999' parses, but its plain form (the SQL argument) would be a billion digits
        if (Math.abs(v.scale()) > 100 || v.precision() > 100) {
            throw new InvalidSearchException("'" + name + "': " + s + " is outside the numbers this server compares");
        }
        return v;
    }

    /** [prefix]number[|system|code]: UCUM units compare in canonical form (mg matches 0.001 g). */
    private String quantity(String raw, String name) {
        List<String> parts = SearchValues.split(raw, '|');
        if (parts.size() != 1 && parts.size() != 3) {
            throw new InvalidSearchException("a quantity is [prefix]number or [prefix]number|system|code, got '" + raw
                    + "'");
        }
        Prefixed p = Prefixed.of(SearchValues.unescape(parts.get(0)), name);
        BigDecimal v = decimal(p.value(), name);
        if (parts.size() == 1) {
            return numeric("x.value", p.prefix(), v);
        }
        String system = SearchValues.unescape(parts.get(1));
        String code = SearchValues.unescape(parts.get(2));
        if (Ucum.SYSTEM.equals(system)) {
            Ucum.Canonical c = Ucum.canonical(v, code);
            if (c != null) {
                return "(x.canon_code = " + arg(c.code()) + " AND " + numeric("x.canon_value", p.prefix(), c.value())
                        + ")";
            }
        }
        String unit = code.isEmpty() ? "" : " AND x.code = " + arg(code);
        String sys = system.isEmpty() ? "" : " AND x.system = " + arg(system);
        return "(" + numeric("x.value", p.prefix(), v) + unit + sys + ")";
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
