package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ca.uhn.fhir.context.FhirContext;
import java.util.Optional;
import org.concilium.terminology.KnowledgeSource;
import org.concilium.terminology.Terminology;
import org.concilium.terminology.TerminologyException;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.CodeSystemInfo;
import org.opencds.cqf.cql.engine.terminology.TerminologyProvider;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * Value-set membership from the site's own ValueSets, expanded once per evaluation into a
 * {@code system|code} hash set (the stored expansion, an enumerated compose, or intensional rules
 * such as {@code is-a} evaluated over the site's stored CodeSystems by {@link Terminology}).
 * Membership tests are then O(1), and the same sets drive the store's SQL code pushdown
 * ({@link RetrieveNeeds}). A ValueSet the site does not hold, or whose CodeSystem it does not
 * hold, makes the Measure unevaluable (422).
 */
public final class ValueSetMembership implements TerminologyProvider {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final ClinicalData data;
    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();
    private final Terminology terminology;

    ValueSetMembership(ClinicalData data) {
        this.data = data;
        this.terminology = terminology(data);
    }

    /** Terminology over the knowledge a ClinicalData holds (its ValueSets and CodeSystems). */
    static Terminology terminology(ClinicalData data) {
        return new Terminology(FHIR, new KnowledgeSource() {
            @Override
            public Optional<CodeSystem> codeSystem(String canonical) {
                return KnowledgeRefs.resolve(data, CodeSystem.class, canonical);
            }

            @Override
            public Optional<ValueSet> valueSet(String canonical) {
                return data.valueSet(canonical);
            }
        });
    }

    /**
     * A held ValueSet with its whole expansion (stored, or its compose evaluated over the held CodeSystems);
     * empty when it is not held; as stored when it cannot be expanded here (e.g. a CodeSystem is missing).
     */
    public static Optional<ValueSet> expanded(ClinicalData data, String canonical) {
        Optional<ValueSet> vs = data.valueSet(canonical);
        if (vs.isEmpty()) return vs;
        try {
            return Optional.of(terminology(data).expand(vs.get()));
        } catch (TerminologyException | MeasureEvaluationException e) {
            return vs; // as stored: an enumerated compose still serves, anything else is refused by its user
        }
    }

    static String key(String system, String code) {
        return (system == null ? "" : system) + "|" + code;
    }

    /** The {@code system|code} keys of a value set (canonical, optionally {@code |version}). */
    Set<String> members(String canonical) {
        return members.computeIfAbsent(canonical, c -> expand(c, new HashSet<>()));
    }

    boolean contains(String valueSet, String system, String code) {
        return members(valueSet).contains(key(system, code));
    }

    private Set<String> expand(String canonical, Set<String> visiting) {
        if (!visiting.add(canonical)) {
            return Set.of();
        }
        ValueSet vs = data.valueSet(canonical).orElseThrow(() -> broken("Measure.library",
                "ValueSet " + canonical + " is not available on this node"));
        Set<String> out = new HashSet<>();
        if (vs.hasExpansion()) {
            addContains(vs.getExpansion().getContains(), out);
            return Set.copyOf(out);
        }
        if (intensional(vs)) {
            return intensional(canonical, vs);
        }
        for (var include : vs.getCompose().getInclude()) {
            for (var concept : include.getConcept()) {
                out.add(key(include.getSystem(), concept.getCode()));
            }
            for (var nested : include.getValueSet()) {
                out.addAll(expand(nested.getValue(), visiting));
            }
        }
        for (var exclude : vs.getCompose().getExclude()) {
            for (var concept : exclude.getConcept()) {
                out.remove(key(exclude.getSystem(), concept.getCode()));
            }
        }
        return Set.copyOf(out);
    }

    private static boolean intensional(ValueSet vs) {
        List<ValueSet.ConceptSetComponent> sets = new ArrayList<>(vs.getCompose().getInclude());
        sets.addAll(vs.getCompose().getExclude());
        return sets.stream().anyMatch(s -> s.hasFilter() || (s.hasSystem() && !s.hasConcept()));
    }

    /** {@code is-a}, {@code descendent-of}, whole systems, ...: expanded over the site's CodeSystems. */
    private Set<String> intensional(String canonical, ValueSet vs) {
        try {
            Set<String> out = new HashSet<>();
            addContains(terminology.expand(vs).getExpansion().getContains(), out);
            return Set.copyOf(out);
        } catch (TerminologyException e) {
            throw broken("Measure.library", "ValueSet " + canonical + " cannot be expanded here: " + e.getMessage());
        }
    }

    private static void addContains(List<ValueSet.ValueSetExpansionContainsComponent> contains, Set<String> out) {
        for (var c : contains) {
            if (c.hasCode()) {
                out.add(key(c.getSystem(), c.getCode()));
            }
            addContains(c.getContains(), out);
        }
    }

    @Override
    public boolean in(Code code, ValueSetInfo valueSet) {
        return code != null && code.getCode() != null && contains(valueSet.getId(), code.getSystem(), code.getCode());
    }

    @Override
    public Iterable<Code> expand(ValueSetInfo valueSet) {
        List<Code> codes = new ArrayList<>();
        for (String k : members(valueSet.getId())) {
            int bar = k.indexOf('|');
            codes.add(new Code().withSystem(bar == 0 ? null : k.substring(0, bar)).withCode(k.substring(bar + 1)));
        }
        return codes;
    }

    @Override
    public Code lookup(Code code, CodeSystemInfo codeSystem) {
        return code;
    }
}
