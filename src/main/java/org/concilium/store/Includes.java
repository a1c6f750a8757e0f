package org.concilium.store;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code _include} / {@code _revinclude} values: {@code Source:param[:Target]} or {@code *}. */
final class Includes {

    private Includes() {
    }

    static List<Include> parse(String searchedType, String value, boolean iterate, boolean reverse) {
        String what = reverse ? "_revinclude" : "_include";
        if (value.equals("*")) {
            if (reverse) {
                throw new InvalidSearchException("_revinclude=* is not supported: name Source:parameter");
            }
            List<Include> all = new ArrayList<>();
            SearchParameterCatalog.params(searchedType).stream().filter(p -> p.type() == SearchParamType.REFERENCE)
                    .forEach(p -> all.add(new Include(searchedType, p, null, iterate)));
            return all;
        }
        String[] parts = value.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidSearchException(what + " must be Source:parameter[:Target], got '" + value + "'");
        }
        if (!SearchParameterCatalog.supports(parts[0])) {
            throw new InvalidSearchException(what + "=" + value + ": " + parts[0] + " is not a type this server stores");
        }
        if (!reverse && !iterate && !parts[0].equals(searchedType)) {
            throw new InvalidSearchException("_include=" + value + ": the source must be the searched type "
                    + searchedType + " (or use _include:iterate)");
        }
        SearchParam p = SearchParameterCatalog.param(parts[0], parts[1])
                .filter(x -> x.type() == SearchParamType.REFERENCE)
                .orElseThrow(() -> new InvalidSearchException(what + "=" + value + ": " + parts[0]
                        + " has no reference parameter '" + parts[1] + "'"));
        String target = parts.length == 3 ? parts[2] : null;
        if (target != null && !Modifiers.isTargetType(p, target)) {
            throw new InvalidSearchException(what + "=" + value + ": " + parts[1] + " cannot point at " + target);
        }
        if (reverse && target != null && !target.equals(searchedType) && !iterate) {
            throw new InvalidSearchException("_revinclude=" + value + ": the target must be the searched type "
                    + searchedType);
        }
        return List.of(new Include(parts[0], p, target, iterate));
    }
}
