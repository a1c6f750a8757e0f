package org.concilium.terminology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetFilterComponent;

/**
 * Rewrites {@code property = value} filters on a CodeSystem's own properties into the
 * {@code concept in c1,c2,...} filters HAPI's in-memory expansion understands (it evaluates
 * {@code =} only on a few built-in properties). Filters within one include stay intersected.
 */
final class PropertyFilters {

    /** Properties HAPI evaluates itself. */
    private static final Set<String> BUILT_IN = Set.of("concept", "code", "display");

    private PropertyFilters() {
    }

    static ValueSet rewrite(ValueSet vs, Function<String, CodeHierarchy> hierarchies) {
        if (!needsRewrite(vs)) {
            return vs;
        }
        ValueSet copy = vs.copy();
        copy.getCompose().setInclude(rewrite(copy.getCompose().getInclude(), hierarchies));
        copy.getCompose().setExclude(rewrite(copy.getCompose().getExclude(), hierarchies));
        return copy;
    }

    private static boolean needsRewrite(ValueSet vs) {
        List<ConceptSetComponent> all = new ArrayList<>(vs.getCompose().getInclude());
        all.addAll(vs.getCompose().getExclude());
        return all.stream().flatMap(i -> i.getFilter().stream()).anyMatch(PropertyFilters::onOwnProperty);
    }

    private static boolean onOwnProperty(ConceptSetFilterComponent f) {
        return f.getOp() == ValueSet.FilterOperator.EQUAL && !BUILT_IN.contains(f.getProperty());
    }

    private static List<ConceptSetComponent> rewrite(List<ConceptSetComponent> sets,
            Function<String, CodeHierarchy> hierarchies) {
        List<ConceptSetComponent> out = new ArrayList<>();
        for (ConceptSetComponent set : sets) {
            if (set.getFilter().stream().noneMatch(PropertyFilters::onOwnProperty)) {
                out.add(set);
                continue;
            }
            CodeHierarchy h = hierarchies.apply(set.getSystem());
            boolean empty = false;
            for (ConceptSetFilterComponent f : set.getFilter()) {
                if (!onOwnProperty(f)) {
                    continue;
                }
                List<String> codes = h.codes().stream()
                        .filter(c -> hasProperty(h.concept(c).orElseThrow(), f.getProperty(), f.getValue())).toList();
                if (codes.isEmpty()) {
                    empty = true; // an empty intersection: the whole set contributes (or removes) nothing
                    break;
                }
                f.setProperty("concept").setOp(ValueSet.FilterOperator.IN).setValue(String.join(",", codes));
            }
            if (!empty) {
                out.add(set);
            }
        }
        return out;
    }

    private static boolean hasProperty(ConceptDefinitionComponent c, String property, String value) {
        return c.getProperty().stream().anyMatch(p -> property.equals(p.getCode()) && p.getValue() != null
                && value != null && value.equals(p.getValue().primitiveValue()));
    }
}
