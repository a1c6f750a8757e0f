package org.concilium.terminology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetFilterComponent;

/**
 * Evaluates the compose filters that HAPI's in-memory expansion handles too slowly or not at all,
 * and states their result as the include's enumerated concepts, which HAPI only looks up:
 * <ul>
 *   <li>{@code is-a}, {@code descendent-of}, {@code is-not-a} on the concept: over the
 *       {@link CodeHierarchy}, a breadth-first walk of its parent-to-children map, linear in concepts
 *       and edges (HAPI's own walk is quadratic: 29 s for 10,000 concepts);</li>
 *   <li>{@code =} on the CodeSystem's own properties (HAPI evaluates {@code =} only on a few
 *       built-in ones).</li>
 * </ul>
 * Filters within one include are intersected (FHIR); the ones left ({@code regex}, {@code in},
 * {@code =} on code or display) stay for HAPI, which applies them to the enumerated codes only.
 */
final class ConceptFilters {

    /** Properties HAPI evaluates {@code =} on itself. */
    private static final Set<String> BUILT_IN = Set.of("concept", "code", "display");
    private static final Set<ValueSet.FilterOperator> HIERARCHY = Set.of(ValueSet.FilterOperator.ISA,
            ValueSet.FilterOperator.DESCENDENTOF, ValueSet.FilterOperator.ISNOTA);

    private ConceptFilters() {
    }

    /** {@code hierarchies}: the CodeSystem of a canonical ({@code url} or {@code url|version}); throws when absent. */
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
        return all.stream().flatMap(i -> i.getFilter().stream()).anyMatch(ConceptFilters::ours);
    }

    private static boolean ours(ConceptSetFilterComponent f) {
        if (HIERARCHY.contains(f.getOp())) {
            return f.getProperty() == null || "concept".equals(f.getProperty()) || "code".equals(f.getProperty());
        }
        return f.getOp() == ValueSet.FilterOperator.EQUAL && !BUILT_IN.contains(f.getProperty());
    }

    private static List<ConceptSetComponent> rewrite(List<ConceptSetComponent> sets,
            Function<String, CodeHierarchy> hierarchies) {
        List<ConceptSetComponent> out = new ArrayList<>();
        for (ConceptSetComponent set : sets) {
            if (set.getFilter().stream().noneMatch(ConceptFilters::ours)) {
                out.add(set);
                continue;
            }
            CodeHierarchy h = hierarchies.apply(set.hasVersion() ? set.getSystem() + "|" + set.getVersion()
                    : set.getSystem());
            Set<String> codes = new LinkedHashSet<>(h.codes());
            if (set.hasConcept()) {
                codes.retainAll(set.getConcept().stream().map(ValueSet.ConceptReferenceComponent::getCode)
                        .collect(java.util.stream.Collectors.toSet()));
            }
            List<ConceptSetFilterComponent> left = new ArrayList<>();
            for (ConceptSetFilterComponent f : set.getFilter()) {
                if (ours(f)) {
                    codes.retainAll(matching(f, h));
                } else {
                    left.add(f);
                }
            }
            if (codes.isEmpty()) {
                continue; // an empty intersection: the whole set contributes (or removes) nothing
            }
            set.setFilter(left);
            set.getConcept().clear();
            codes.forEach(c -> set.addConcept().setCode(c));
            out.add(set);
        }
        return out;
    }

    private static Set<String> matching(ConceptSetFilterComponent f, CodeHierarchy h) {
        String value = f.getValue();
        if (value == null && f.getOp() != ValueSet.FilterOperator.EQUAL) {
            return f.getOp() == ValueSet.FilterOperator.ISNOTA ? h.codes() : Set.of(); // no concept is under nothing
        }
        return switch (f.getOp()) {
            case ISA -> h.descendantsOrSelf(value);
            case DESCENDENTOF -> {
                Set<String> below = new LinkedHashSet<>(h.descendantsOrSelf(value));
                below.remove(value);
                yield below;
            }
            case ISNOTA -> {
                Set<String> outside = new LinkedHashSet<>(h.codes());
                outside.removeAll(h.descendantsOrSelf(value));
                yield outside;
            }
            default -> {
                Set<String> with = new LinkedHashSet<>();
                for (String c : h.codes()) {
                    if (hasProperty(h.concept(c).orElseThrow(), f.getProperty(), value)) {
                        with.add(c);
                    }
                }
                yield with;
            }
        };
    }

    private static boolean hasProperty(ConceptDefinitionComponent c, String property, String value) {
        return c.getProperty().stream().anyMatch(p -> property.equals(p.getCode()) && p.getValue() != null
                && value != null && value.equals(p.getValue().primitiveValue()));
    }
}
