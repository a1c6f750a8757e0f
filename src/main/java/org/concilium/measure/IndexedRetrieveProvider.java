package org.concilium.measure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.cql.engine.retrieve.RetrieveProvider;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Interval;
import org.opencds.cqf.fhir.cql.engine.utility.CodeExtractor;

/**
 * CQL retrieves answered from the {@link PatientIndex}: a Patient-context retrieve costs a hash
 * lookup plus a filter over that patient's resources of the type, never a scan of the type.
 * Code and value-set filters use {@link ValueSetMembership}; each retrieve tells the index what it
 * needs of its type ({@link RetrieveNeeds}), so batches from a store fetch only those codes. Date-range filters are not applied
 * here (the engine re-applies the CQL where-clauses); translators only emit them when date-range
 * optimisation is on, which neither our compiler options nor the shipped ELM use.
 */
final class IndexedRetrieveProvider implements RetrieveProvider {

    private final PatientIndex index;
    private final ValueSetMembership valueSets;
    private final ModelResolver model;
    private final CodeExtractor codes;
    private final Map<String, RetrieveNeeds.Need> valueSetNeeds;

    IndexedRetrieveProvider(PatientIndex index, ValueSetMembership valueSets, ModelResolver model, CodeExtractor codes) {
        this(index, valueSets, model, codes, new ConcurrentHashMap<>());
    }

    /**
     * @param valueSetNeeds the need of each (code path, value set) retrieve, shared by every provider of
     *     one evaluation: one Need object per retrieve kind, so {@link RetrieveNeeds} recognises it by identity
     */
    IndexedRetrieveProvider(PatientIndex index, ValueSetMembership valueSets, ModelResolver model, CodeExtractor codes,
            Map<String, RetrieveNeeds.Need> valueSetNeeds) {
        this.index = index;
        this.valueSets = valueSets;
        this.model = model;
        this.codes = codes;
        this.valueSetNeeds = valueSetNeeds;
    }

    @Override
    public Iterable<Object> retrieve(String context, String contextPath, Object contextValue, String dataType,
            String templateId, String codePath, Iterable<Code> codeFilter, String valueSet, String datePath,
            String dateLowPath, String dateHighPath, Interval dateRange) {
        Set<String> wanted = null;
        if (codePath != null && codeFilter != null) {
            wanted = new HashSet<>();
            for (Code c : codeFilter) {
                wanted.add(ValueSetMembership.key(c.getSystem(), c.getCode()));
            }
        }
        PatientIndex.TypeIndex type = index.type(dataType, need(codePath, wanted, valueSet));
        List<Resource> candidates = "Patient".equals(context) && contextValue != null
                ? type.of(PatientIndex.idPart(contextValue))
                : type.all();
        if (codePath == null || (codeFilter == null && valueSet == null)) {
            return new ArrayList<>(candidates);
        }
        List<Object> out = new ArrayList<>();
        for (Resource r : candidates) {
            if (matches(r, codePath, wanted, valueSet)) {
                out.add(r);
            }
        }
        return out;
    }

    /** What this retrieve needs of its type: the resources with one of these codes, or all of them. */
    private RetrieveNeeds.Need need(String codePath, Set<String> wanted, String valueSet) {
        if (codePath == null || (wanted == null && valueSet == null)) {
            return RetrieveNeeds.Need.ALL;
        }
        if (wanted == null) {
            return valueSetNeeds.computeIfAbsent(codePath + '\u0000' + valueSet, k -> need(codePath, Set.of(), valueSet));
        }
        Set<String> keys = wanted == null ? new HashSet<>() : new HashSet<>(wanted);
        if (valueSet != null) {
            try {
                keys.addAll(valueSets.members(valueSet));
            } catch (MeasureEvaluationException e) {
                return RetrieveNeeds.Need.ALL; // reported by the filter below, as without a store
            }
        }
        return RetrieveNeeds.of(codePath, keys);
    }

    private boolean matches(Resource r, String codePath, Set<String> wanted, String valueSet) {
        Object value;
        try {
            value = model.resolvePath(r, codePath);
        } catch (RuntimeException e) {
            return false;
        }
        if (value == null) {
            return false;
        }
        for (Code c : codes.getElmCodesFromObject(value)) {
            if (c.getCode() == null) {
                continue;
            }
            String key = ValueSetMembership.key(c.getSystem(), c.getCode());
            if (wanted != null && wanted.contains(key)) {
                return true;
            }
            if (valueSet != null && valueSets.members(valueSet).contains(key)) {
                return true;
            }
        }
        return false;
    }
}
