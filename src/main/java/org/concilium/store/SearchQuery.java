package org.concilium.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated search over one resource type. Anything FHIR defines that this server does
 * not implement (a modifier, a chain, a result parameter value) is an {@link InvalidSearchException}
 * (400) in every handling mode: ignoring it would return a superset. Only names FHIR does not know
 * at all are collected in {@link #unknown()}, for the caller to refuse (strict) or report (lenient).
 */
public record SearchQuery(String type, List<SearchFilter> filters, List<SortKey> sort, int count, int offset,
        PageCursor cursor,
        Total total, Summary summary, List<String> elements, List<Include> includes, List<Include> revIncludes,
        List<String> unknown) {

    public enum Total { NONE, ESTIMATE, ACCURATE }

    public enum Summary { TRUE, TEXT, DATA, COUNT }

    /** Result-shaping parameters handled here or by the REST layer (format parameters are accepted and ignored). */
    private static final Set<String> CONTROL = Set.of("_count", "_summary", "_format", "_pretty", "_total", "_sort",
            "_elements", "_cursor", "_offset", "_include", "_include:iterate", "_include:recurse", "_revinclude",
            "_revinclude:iterate", "_revinclude:recurse");

    public static SearchQuery parse(String type, Map<String, List<String>> params, int defaultCount, int maxCount) {
        List<SearchFilter> filters = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (CONTROL.contains(name)) {
                continue;
            }
            for (String raw : e.getValue()) {
                SearchFilter f = filter(type, name, raw, unknown);
                if (f != null) {
                    filters.add(f);
                }
            }
        }
        int count = intParam(params, "_count", defaultCount, 0, maxCount);
        String cursor = first(params, "_cursor");
        List<Include> includes = new ArrayList<>();
        List<Include> revIncludes = new ArrayList<>();
        for (String key : List.of("_include", "_include:iterate", "_include:recurse")) {
            params.getOrDefault(key, List.of()).forEach(v -> includes.addAll(Includes.parse(type, v, !key.equals("_include"), false)));
        }
        for (String key : List.of("_revinclude", "_revinclude:iterate", "_revinclude:recurse")) {
            params.getOrDefault(key, List.of()).forEach(v -> revIncludes.addAll(Includes.parse(type, v, !key.equals("_revinclude"), true)));
        }
        // _offset (bounded by the REST layer) only skips into the first page; links use the cursor
        int offset = intParam(params, "_offset", 0, 0, Integer.MAX_VALUE);
        return new SearchQuery(type, List.copyOf(filters), sort(type, params), count, offset,
                cursor == null ? null : PageCursor.decode(cursor), total(params), summary(params), elements(params),
                List.copyOf(includes), List.copyOf(revIncludes), List.copyOf(unknown));
    }

    /** A query built in code (compartments, conditional operations). */
    public SearchQuery and(SearchFilter filter) {
        List<SearchFilter> all = new ArrayList<>(filters);
        all.add(filter);
        return new SearchQuery(type, List.copyOf(all), sort, count, offset, cursor, total, summary, elements, includes,
                revIncludes, unknown);
    }

    private static SearchFilter filter(String type, String name, String raw, List<String> unknown) {
        if (name.startsWith("_has:")) {
            return has(type, name, raw);
        }
        int colon = name.indexOf(':');
        int dot = name.indexOf('.');
        String base = name.substring(0, colon >= 0 && (dot < 0 || colon < dot) ? colon : dot >= 0 ? dot : name.length());
        SearchParam param = SearchParameterCatalog.param(type, base).orElse(null);
        if (param == null) {
            if (KnownParameters.isDefined(type, base)) {
                throw new InvalidSearchException("search parameter '" + name + "' of " + type
                        + " is not supported by this server");
            }
            unknown.add(name);
            return null;
        }
        if (dot >= 0) {
            return chain(type, param, name, raw);
        }
        String modifier = colon >= 0 ? name.substring(colon + 1) : null;
        return param(type, param, modifier, raw, name);
    }

    static SearchFilter.Param param(String type, SearchParam param, String modifier, String raw, String name) {
        if (raw.isEmpty()) {
            throw new InvalidSearchException("empty value for search parameter '" + name + "'");
        }
        if (modifier != null && !Modifiers.allowed(type, param, modifier)) {
            throw new InvalidSearchException("modifier ':" + modifier + "' of search parameter '" + name
                    + "' is not supported for a " + param.type().code() + " parameter");
        }
        if ("missing".equals(modifier) && !raw.equals("true") && !raw.equals("false")) {
            throw new InvalidSearchException("'" + name + "' takes true or false, got '" + raw + "'");
        }
        List<String> values = SearchValues.split(raw, ',').stream().filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw new InvalidSearchException("empty value for search parameter '" + name + "'");
        }
        SearchFilter.Param p = new SearchFilter.Param(param, modifier, values);
        return p;
    }

    /** {@code subject:Patient.identifier=x} or {@code subject.name=x}: one level. */
    private static SearchFilter chain(String type, SearchParam reference, String name, String raw) {
        if (reference.type() != SearchParamType.REFERENCE) {
            throw new InvalidSearchException("'" + name + "': only reference parameters can be chained");
        }
        int dot = name.indexOf('.');
        String head = name.substring(0, dot);
        String tail = name.substring(dot + 1);
        if (tail.contains(".")) {
            throw new InvalidSearchException("'" + name + "': chains are supported one level deep");
        }
        String qualifier = head.contains(":") ? head.substring(head.indexOf(':') + 1) : null;
        int colon = tail.indexOf(':');
        String innerName = colon >= 0 ? tail.substring(0, colon) : tail;
        String innerModifier = colon >= 0 ? tail.substring(colon + 1) : null;
        List<String> candidates = qualifier != null ? List.of(qualifier)
                : (reference.targets().isEmpty() ? SearchParameterCatalog.types() : List.copyOf(reference.targets()));
        List<String> targets = new ArrayList<>();
        SearchFilter.Param inner = null;
        for (String t : candidates) {
            if (qualifier != null && !reference.targets().isEmpty() && !reference.targets().contains(t)) {
                throw new InvalidSearchException("'" + name + "': " + reference.name() + " cannot point at " + t);
            }
            SearchParam p = SearchParameterCatalog.param(t, innerName).orElse(null);
            if (p != null) {
                targets.add(t);
                SearchFilter.Param candidate = param(t, p, innerModifier, raw, name);
                inner = inner == null ? candidate : inner;
                if (!p.type().equals(inner.param().type())) {
                    throw new InvalidSearchException("'" + name + "' is ambiguous: qualify the target type, as in "
                            + reference.name() + ":" + t + "." + tail);
                }
            }
        }
        if (inner == null) {
            throw new InvalidSearchException("'" + name + "': no supported target type of " + reference.name()
                    + " has a search parameter '" + innerName + "'");
        }
        return new SearchFilter.Chain(reference, List.copyOf(targets), inner);
    }

    /** {@code _has:Observation:patient:code=1234}: one level. */
    private static SearchFilter has(String type, String name, String raw) {
        String[] parts = name.split(":");
        if (parts.length != 4) {
            throw new InvalidSearchException("'" + name + "': _has is _has:Type:reference:parameter, one level");
        }
        String source = parts[1];
        if (!SearchParameterCatalog.supports(source)) {
            throw new InvalidSearchException("'" + name + "': " + source + " is not a type this server stores");
        }
        SearchParam ref = SearchParameterCatalog.param(source, parts[2])
                .filter(p -> p.type() == SearchParamType.REFERENCE)
                .orElseThrow(() -> new InvalidSearchException("'" + name + "': " + source + " has no reference parameter '"
                        + parts[2] + "'"));
        if (!ref.targets().isEmpty() && !ref.targets().contains(type)) {
            throw new InvalidSearchException("'" + name + "': " + source + "." + parts[2] + " never points at " + type);
        }
        int colon = parts[3].indexOf(':');
        String innerName = colon >= 0 ? parts[3].substring(0, colon) : parts[3];
        SearchParam inner = SearchParameterCatalog.param(source, innerName)
                .orElseThrow(() -> new InvalidSearchException("'" + name + "': " + source
                        + " has no supported search parameter '" + innerName + "'"));
        return new SearchFilter.Has(source, ref,
                param(source, inner, colon >= 0 ? parts[3].substring(colon + 1) : null, raw, name));
    }

    private static List<SortKey> sort(String type, Map<String, List<String>> params) {
        List<SortKey> keys = new ArrayList<>();
        for (String raw : params.getOrDefault("_sort", List.of())) {
            for (String k : raw.split(",")) {
                String name = k.trim();
                boolean desc = name.startsWith("-");
                name = desc ? name.substring(1) : name;
                String n = name;
                SearchParam p = SearchParameterCatalog.param(type, n)
                        .orElseThrow(() -> new InvalidSearchException("_sort: " + type + " has no search parameter '"
                                + n + "'"));
                if (p.type() == SearchParamType.REFERENCE || p.type() == SearchParamType.COMPOSITE) {
                    throw new InvalidSearchException("_sort on a " + p.type().code() + " parameter ('" + n
                            + "') is not supported; sort on date, string, token, number, quantity or uri");
                }
                keys.add(new SortKey(p, desc));
            }
        }
        return List.copyOf(keys);
    }

    private static Total total(Map<String, List<String>> params) {
        String t = first(params, "_total");
        if (t == null) {
            return null;
        }
        try {
            return Total.valueOf(t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSearchException("_total must be none, estimate or accurate, got '" + t + "'");
        }
    }

    private static Summary summary(Map<String, List<String>> params) {
        String s = first(params, "_summary");
        if (s == null || s.equals("false")) {
            return null;
        }
        try {
            return Summary.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSearchException("_summary must be true, text, data, count or false, got '" + s + "'");
        }
    }

    private static List<String> elements(Map<String, List<String>> params) {
        List<String> out = new ArrayList<>();
        params.getOrDefault("_elements", List.of())
                .forEach(v -> SearchValues.split(v, ',').stream().map(String::trim).filter(x -> !x.isEmpty())
                        .forEach(out::add));
        return List.copyOf(out);
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
