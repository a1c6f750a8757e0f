package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.concilium.terminology.CodeHierarchy;
import org.hl7.fhir.r4.model.CodeSystem;

/**
 * Token {@code :below} / {@code :above} ({@code code:below=http://snomed.info/sct|12345}): before
 * the SQL is built, each such value is replaced by the codes it subsumes (or that subsume it) in
 * the stored CodeSystems of its system, every stored version together. The rewritten filter is a
 * plain token OR list, so the SQL layer needs no hierarchy. A system with no stored CodeSystem is a
 * 400: matching only the code itself would silently return a subset.
 */
final class Subsumption {

    private static final String CODE_SYSTEMS = "SELECT body::text FROM resource WHERE res_type = 'CodeSystem'"
            + " AND NOT deleted AND body->>'url' = ANY($1)";

    private Subsumption() {
    }

    static boolean applies(SearchFilter.Param p) {
        return p.param().type() == SearchParamType.TOKEN && ("below".equals(p.modifier()) || "above".equals(p.modifier()));
    }

    /** The query with every token :below / :above filter (also inside chains and _has) resolved. */
    static Uni<SearchQuery> resolve(SqlClient client, SearchQuery query) {
        List<SearchFilter.Param> params = new ArrayList<>();
        query.filters().forEach(f -> params.addAll(inner(f)));
        Set<String> systems = new TreeSet<>();
        for (SearchFilter.Param p : params.stream().filter(Subsumption::applies).toList()) {
            p.values().forEach(v -> systems.add(systemCode(p, v)[0]));
        }
        if (systems.isEmpty()) {
            return Uni.createFrom().item(query);
        }
        return client.preparedQuery(CODE_SYSTEMS).execute(Tuple.of(systems.toArray(String[]::new))).map(rows -> {
            List<CodeHierarchy> hierarchies = new ArrayList<>();
            for (Row row : rows) {
                hierarchies.add(new CodeHierarchy(FhirJson.parse(CodeSystem.class, row.getString(0))));
            }
            Map<String, List<CodeHierarchy>> bySystem = hierarchies.stream()
                    .collect(Collectors.groupingBy(h -> h.codeSystem().getUrl()));
            List<SearchFilter> filters = query.filters().stream().map(f -> rewrite(f, bySystem)).toList();
            return new SearchQuery(query.type(), filters, query.sort(), query.count(), query.offset(), query.cursor(),
                    query.total(), query.summary(), query.elements(), query.includes(), query.revIncludes(),
                    query.unknown());
        });
    }

    private static List<SearchFilter.Param> inner(SearchFilter f) {
        return switch (f) {
            case SearchFilter.Param p -> List.of(p);
            case SearchFilter.Chain c -> List.of(c.inner());
            case SearchFilter.Has h -> List.of(h.inner());
            default -> List.of();
        };
    }

    private static SearchFilter rewrite(SearchFilter f, Map<String, List<CodeHierarchy>> bySystem) {
        return switch (f) {
            case SearchFilter.Param p -> rewrite(p, bySystem);
            case SearchFilter.Chain c -> new SearchFilter.Chain(c.reference(), c.targetTypes(), rewrite(c.inner(), bySystem));
            case SearchFilter.Has h -> new SearchFilter.Has(h.sourceType(), h.reference(), rewrite(h.inner(), bySystem));
            default -> f;
        };
    }

    private static SearchFilter.Param rewrite(SearchFilter.Param p, Map<String, List<CodeHierarchy>> bySystem) {
        if (!applies(p)) {
            return p;
        }
        boolean below = "below".equals(p.modifier());
        Set<String> tokens = new LinkedHashSet<>();
        for (String v : p.values()) {
            String[] sc = systemCode(p, v);
            List<CodeHierarchy> stored = bySystem.get(sc[0]);
            if (stored == null) {
                throw new InvalidSearchException("':" + p.modifier() + "' on '" + p.param().name() + "' needs the"
                        + " CodeSystem " + sc[0] + ", which is not stored on this node");
            }
            for (CodeHierarchy h : stored) {
                Set<String> codes = below ? h.descendantsOrSelf(sc[1]) : h.ancestorsOrSelf(sc[1]);
                codes.forEach(code -> tokens.add(escape(sc[0]) + "|" + escape(code)));
            }
        }
        return new SearchFilter.Param(p.param(), null, List.copyOf(tokens));
    }

    /** {@code system|code}, both required: subsumption is defined within one code system. */
    private static String[] systemCode(SearchFilter.Param p, String raw) {
        List<String> parts = SearchValues.split(raw, '|');
        String system = parts.size() == 2 ? SearchValues.unescape(parts.get(0)) : "";
        String code = parts.size() == 2 ? SearchValues.unescape(parts.get(1)) : "";
        if (system.isEmpty() || code.isEmpty()) {
            throw new InvalidSearchException("'" + p.param().name() + ":" + p.modifier() + "' takes system|code, got '"
                    + raw + "'");
        }
        return new String[] {system, code};
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
    }
}
