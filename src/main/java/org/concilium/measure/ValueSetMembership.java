package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.ValueSet;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.terminology.CodeSystemInfo;
import org.opencds.cqf.cql.engine.terminology.TerminologyProvider;
import org.opencds.cqf.cql.engine.terminology.ValueSetInfo;

/**
 * Value-set membership from the site's own ValueSets, expanded once per evaluation into a
 * {@code system|code} hash set (the stored expansion, or an enumerated compose). Membership tests
 * are then O(1). A ValueSet the site does not hold, or cannot expand without a terminology
 * server, makes the Measure unevaluable (422).
 */
final class ValueSetMembership implements TerminologyProvider {

    private final ClinicalData data;
    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

    ValueSetMembership(ClinicalData data) {
        this.data = data;
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
        for (var include : vs.getCompose().getInclude()) {
            if (include.hasFilter() || (!include.hasConcept() && include.hasSystem())) {
                throw broken("Measure.library", "ValueSet " + canonical
                        + " has no expansion and uses intensional rules this node cannot expand");
            }
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
