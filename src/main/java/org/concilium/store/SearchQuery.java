package org.concilium.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated search over one resource type. Parameters the node does not support are
 * collected in {@link #unsupported()} so the caller can refuse (strict) or report them (lenient):
 * they are never silently ignored.
 */
public record SearchQuery(String type, List<SearchCriterion> criteria, int count, int offset, boolean summaryCount,
        List<String> unsupported) {

    /** Result-shaping parameters that do not filter (format parameters are accepted and ignored). */
    private static final Set<String> CONTROL = Set.of("_count", "_offset", "_summary", "_format", "_pretty");

    public static SearchQuery parse(String type, Map<String, List<String>> params, int defaultCount, int maxCount) {
        List<SearchCriterion> criteria = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (CONTROL.contains(name)) {
                continue;
            }
            if (name.indexOf(':') >= 0 || name.indexOf('.') >= 0) {
                // a modifier or a chain: the filter cannot be ignored (that would return a superset)
                throw new InvalidSearchException("search parameter '" + name + "' of " + type
                        + " uses a modifier or chain this server does not support");
            }
            SearchParam param = SearchParameterCatalog.param(type, name).orElse(null);
            if (param == null) {
                if (KnownParameters.isDefined(type, name)) {
                    throw new InvalidSearchException("search parameter '" + name + "' of " + type
                            + " is not supported by this server");
                }
                unsupported.add(name);
                continue;
            }
            for (String raw : e.getValue()) {
                criteria.add(criterion(param, raw));
            }
        }
        int count = intParam(params, "_count", defaultCount, 0, maxCount);
        int offset = intParam(params, "_offset", 0, 0, Integer.MAX_VALUE);
        String summary = first(params, "_summary");
        if (summary != null && !summary.equals("count") && !summary.equals("false")) {
            throw new InvalidSearchException("_summary=" + summary + " is not supported");
        }
        return new SearchQuery(type, List.copyOf(criteria), count, offset, "count".equals(summary),
                List.copyOf(unsupported));
    }

    private static SearchCriterion criterion(SearchParam param, String raw) {
        if (raw.isEmpty()) {
            throw new InvalidSearchException("empty value for search parameter '" + param.name() + "'");
        }
        List<String> values = Arrays.stream(raw.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        return switch (param.type()) {
            case ID -> new SearchCriterion.Ids(values);
            case REFERENCE -> new SearchCriterion.Subjects(
                    values.stream().map(ResourceIndexer::normalisePatientReference).toList());
            case TOKEN -> new SearchCriterion.Tokens(values.stream().map(v -> param.name() + "=" + v).toList());
            case DATE, LAST_UPDATED -> date(param, raw);
        };
    }

    private static SearchCriterion date(SearchParam param, String raw) {
        SearchCriterion.DatePrefix prefix = SearchCriterion.DatePrefix.EQ;
        String value = raw;
        if (raw.length() > 2 && Character.isLetter(raw.charAt(0))) {
            String p = raw.substring(0, 2).toUpperCase(Locale.ROOT);
            try {
                prefix = SearchCriterion.DatePrefix.valueOf(p);
            } catch (IllegalArgumentException e) {
                throw new InvalidSearchException("unsupported date prefix '" + raw.substring(0, 2) + "' for '"
                        + param.name() + "' (supported: eq, ne, gt, lt, ge, le, sa, eb)");
            }
            value = raw.substring(2);
        }
        try {
            return new SearchCriterion.DateComparison(param.type() == SearchParamType.LAST_UPDATED, prefix,
                    DateRange.parse(value));
        } catch (IllegalArgumentException e) {
            throw new InvalidSearchException("invalid date for '" + param.name() + "': " + e.getMessage());
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String name, int dflt, int min, int max) {
        String v = first(params, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new InvalidSearchException("'" + name + "' must be a whole number, got '" + v + "'");
        }
    }
}
