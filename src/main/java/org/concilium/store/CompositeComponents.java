package org.concilium.store;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the components of an R4 composite search parameter from HAPI's definitions. HAPI gives
 * each component's SearchParameter (by canonical URL) but not its expression relative to the
 * composite's element, so that is worked out from the two absolute expressions: each branch of the
 * component's expression belongs to the longest branch of the composite's expression it extends
 * ({@code Observation.component.code} to {@code Observation.component}, not {@code Observation}),
 * which is what keeps a code and a value on the same element.
 */
final class CompositeComponents {

    /** The types a composite's second component may have here (the index row has columns for these). */
    static final Set<SearchParamType> VALUE_TYPES = EnumSet.of(SearchParamType.TOKEN, SearchParamType.QUANTITY,
            SearchParamType.DATE, SearchParamType.STRING);

    private CompositeComponents() {
    }

    /**
     * The components of {@code composite}, or null when this node cannot index it: not two
     * components, a first component that is not a token, a second of another type, or an
     * expression that does not extend the composite's.
     */
    static List<CompositeComponent> of(RuntimeResourceDefinition def, RuntimeSearchParam composite,
            Map<String, SearchParam> byName) {
        if (composite.getComponents().size() != 2) {
            return null;
        }
        List<String> bases = FhirPathUnion.branches(composite.getPath());
        List<CompositeComponent> out = new ArrayList<>();
        for (RuntimeSearchParam.Component c : composite.getComponents()) {
            RuntimeSearchParam defined = def.getSearchParams().stream()
                    .filter(p -> c.getReference().equals(p.getUri())).findFirst().orElse(null);
            SearchParam param = defined == null ? null : byName.get(defined.getName());
            if (param == null) {
                return null;
            }
            List<String> relative = c.getExpression() != null ? bases.stream().map(b -> c.getExpression()).toList()
                    : relative(bases, param.expression());
            if (relative == null) {
                return null;
            }
            out.add(new CompositeComponent(param, relative));
        }
        if (out.get(0).param().type() != SearchParamType.TOKEN || !VALUE_TYPES.contains(out.get(1).param().type())) {
            return null;
        }
        return List.copyOf(out);
    }

    /** For each base branch, the component's branches that extend it (longest base wins), relative to it. */
    static List<String> relative(List<String> bases, String componentExpression) {
        List<List<String>> perBase = new ArrayList<>();
        bases.forEach(b -> perBase.add(new ArrayList<>()));
        for (String branch : FhirPathUnion.branches(componentExpression)) {
            // "(Observation.value as CodeableConcept).text": the path sits in the leading group
            int close = branch.startsWith("(") ? closing(branch) : -1;
            boolean wrapped = close > 0 && FhirPathUnion.branches(branch.substring(1, close)).size() == 1;
            String inner = wrapped ? branch.substring(1, close).trim() : branch;
            String tail = wrapped ? branch.substring(close + 1) : "";
            int best = -1;
            for (int i = 0; i < bases.size(); i++) {
                String b = bases.get(i);
                if (inner.startsWith(b + ".") && (best < 0 || b.length() > bases.get(best).length())) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            String rest = inner.substring(bases.get(best).length() + 1);
            perBase.get(best).add(wrapped ? "(" + rest + ")" + tail : rest);
        }
        return perBase.stream().map(l -> l.isEmpty() ? null : String.join(" | ", l)).toList();
    }

    /** The index of the ')' that closes the '(' at 0, or -1. */
    private static int closing(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
