package org.concilium.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.concilium.measure.MeasureExtensions;
import org.concilium.measure.MeasureModel;
import org.concilium.measure.StratumValue;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Determines the value domain of a stratifier, stratifier component or supplemental-data element from what the
 * {@link MeasureModel} read of it, in this order (docs/layout.md): 1. explicit {@link #EXT_VALUE} extensions;
 * 2. a {@link #EXT_VALUE_SET} binding (built-in
 * sets or a {@link ValueSetSource}); 3. conventions on the criteria / code (gender, FHIRPath boolean functions);
 * 4. otherwise an empty domain: every value lands in the "other" bucket.
 */
final class ValueDomainResolver {
    static final String EXT_VALUE = MeasureExtensions.STRATUM_VALUE;
    static final String EXT_VALUE_SET = MeasureExtensions.STRATUM_VALUE_SET;

    static final String GENDER_VS = "http://hl7.org/fhir/ValueSet/administrative-gender";
    static final String GENDER_CS = "http://hl7.org/fhir/administrative-gender";
    static final String BOOLEAN_VS = "http://concilium.org/fhir/ValueSet/boolean";

    /** More values than this in an SDE's value set is not a useful breakdown: the SDE degrades to "other". */
    static final int MAX_SUPPLEMENTAL_VALUES = 100;

    /**
     * The CMS SupplementalDataElements library's definitions (every FHIR eCQM includes it and re-exports them
     * under these names) and the VSAC value sets their codes are drawn from.
     */
    static final Map<String, String> CMS_SDE_VALUE_SETS = Map.of(
            "SDE Ethnicity", "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.837",
            "SDE Race", "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.836",
            "SDE Sex", "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1",
            "SDE Payer", "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.3591");

    private final ValueSetSource valueSets;

    ValueDomainResolver(ValueSetSource valueSets) {
        this.valueSets = valueSets;
    }

    ValueDomain resolve(MeasureModel.DeclaredDomain declared, CodeableConcept code, String expression, String what) {
        if (!declared.values().isEmpty()) return new ValueDomain(declared.values(), "declared");
        if (declared.valueSet() != null) return fromValueSet(declared.valueSet(), what);
        return derived(code, expression);
    }

    /**
     * A supplemental-data element: as {@link #resolve}, plus the CMS SDE convention (a CQL criteria named
     * {@code "SDE Race"} etc. gets its VSAC value set as domain); a value set that is unavailable, cannot be
     * enumerated or has more than {@link #MAX_SUPPLEMENTAL_VALUES} codes does not refuse the Measure: the SDE
     * counts everything in "other", and the domain's source says why. Counts stay exact either way.
     */
    ValueDomain resolveSupplemental(MeasureModel.DeclaredDomain declared, CodeableConcept code, String expression,
            String what) {
        if (!declared.values().isEmpty()) return new ValueDomain(declared.values(), "declared");
        String canonical = declared.valueSet();
        if (canonical == null && expression != null) canonical = CMS_SDE_VALUE_SETS.get(expression.trim());
        if (canonical == null) return derived(code, expression);
        try {
            ValueDomain d = fromValueSet(canonical, what);
            if (d.size() > MAX_SUPPLEMENTAL_VALUES) {
                return otherOnly(what + ": value set " + canonical + " has " + d.size() + " codes, more than " + MAX_SUPPLEMENTAL_VALUES);
            }
            return d;
        } catch (LayoutException e) {
            return otherOnly(e.getMessage());
        }
    }

    private static ValueDomain otherOnly(String why) {
        return new ValueDomain(List.of(), "other-only: " + why);
    }

    private ValueDomain fromValueSet(String canonical, String what) {
        String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
        if (url.equals(GENDER_VS)) return gender("valueset:" + GENDER_VS);
        if (url.equals(BOOLEAN_VS)) return bool("valueset:" + BOOLEAN_VS);
        Optional<ValueSet> found = valueSets.find(canonical);
        if (found.isEmpty()) throw new LayoutException(what + ": value set " + canonical + " is not available");
        return new ValueDomain(concepts(found.get(), canonical), "valueset:" + canonical);
    }

    private static List<StratumValue> concepts(ValueSet vs, String canonical) {
        List<StratumValue> out = new ArrayList<>();
        if (vs.hasExpansion() && vs.getExpansion().hasContains()) {
            flatten(vs.getExpansion().getContains(), out);
            return out;
        }
        if (!vs.hasCompose() || vs.getCompose().hasExclude()) {
            throw new LayoutException("value set " + canonical + " needs an expansion or an enumerated compose to be used as a stratum domain");
        }
        for (ValueSet.ConceptSetComponent inc : vs.getCompose().getInclude()) {
            if (inc.hasFilter() || inc.hasValueSet() || !inc.hasConcept()) {
                throw new LayoutException("value set " + canonical + " needs an expansion or an enumerated compose to be used as a stratum domain");
            }
            for (ValueSet.ConceptReferenceComponent c : inc.getConcept()) {
                out.add(StratumValue.code(inc.getSystem(), c.getCode(), c.getDisplay()));
            }
        }
        return out;
    }

    private static void flatten(List<ValueSet.ValueSetExpansionContainsComponent> contains, List<StratumValue> out) {
        for (ValueSet.ValueSetExpansionContainsComponent c : contains) {
            if (c.hasCode() && !c.getAbstract()) out.add(StratumValue.code(c.getSystem(), c.getCode(), c.getDisplay()));
            flatten(c.getContains(), out);
        }
    }

    /** Conventions; kept small and documented because a wrong guess would only move counts to "other". */
    private static ValueDomain derived(CodeableConcept code, String expression) {
        String expr = expression == null ? "" : expression.trim();
        String e = expr.toLowerCase(Locale.ROOT).replace(" ", "");
        if (e.endsWith(".exists()") || e.endsWith(".empty()") || e.endsWith(".not()")) {
            return bool("derived:boolean");
        }
        String codeText = code == null ? "" : (code.hasText() ? code.getText() : code.getCodingFirstRep().getCode());
        String last = lastIdentifier(e);
        if (last.contains("gender") || (codeText != null && codeText.toLowerCase(Locale.ROOT).contains("gender"))) {
            return gender("derived:administrative-gender");
        }
        return new ValueDomain(List.of(), "none");
    }

    private static String lastIdentifier(String expression) {
        String e = expression.replace("\"", "");
        int dot = e.lastIndexOf('.');
        return dot >= 0 ? e.substring(dot + 1) : e;
    }

    private static ValueDomain gender(String source) {
        return new ValueDomain(List.of(
                StratumValue.code(GENDER_CS, "male", "Male"),
                StratumValue.code(GENDER_CS, "female", "Female"),
                StratumValue.code(GENDER_CS, "other", "Other"),
                StratumValue.code(GENDER_CS, "unknown", "Unknown")), source);
    }

    private static ValueDomain bool(String source) {
        return new ValueDomain(List.of(StratumValue.text("true"), StratumValue.text("false")), source);
    }
}
