package org.concilium.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Determines the value domain of a stratifier, stratifier component or supplemental-data element, in this order
 * (docs/layout.md): 1. explicit {@link #EXT_VALUE} extensions; 2. a {@link #EXT_VALUE_SET} binding (built-in
 * sets or a {@link ValueSetSource}); 3. conventions on the criteria / code (gender, FHIRPath boolean functions);
 * 4. otherwise an empty domain: every value lands in the "other" bucket.
 */
final class ValueDomainResolver {
    static final String EXT_VALUE = "http://concilium.org/fhir/StructureDefinition/stratum-value";
    static final String EXT_VALUE_SET = "http://concilium.org/fhir/StructureDefinition/stratum-value-set";

    static final String GENDER_VS = "http://hl7.org/fhir/ValueSet/administrative-gender";
    static final String GENDER_CS = "http://hl7.org/fhir/administrative-gender";
    static final String BOOLEAN_VS = "http://concilium.org/fhir/ValueSet/boolean";

    private final ValueSetSource valueSets;

    ValueDomainResolver(ValueSetSource valueSets) {
        this.valueSets = valueSets;
    }

    ValueDomain resolve(Element element, CodeableConcept code, Expression criteria, String what) {
        List<StratumValue> declared = new ArrayList<>();
        for (Extension e : element.getExtensionsByUrl(EXT_VALUE)) {
            declared.add(declaredValue(e.getValue(), what));
        }
        List<Extension> bindings = element.getExtensionsByUrl(EXT_VALUE_SET);
        if (!declared.isEmpty() && !bindings.isEmpty()) {
            throw new LayoutException(what + ": declare either stratum-value or stratum-value-set, not both");
        }
        if (!declared.isEmpty()) return new ValueDomain(declared, "declared");
        if (bindings.size() > 1) throw new LayoutException(what + ": more than one stratum-value-set");
        if (bindings.size() == 1) {
            Type v = bindings.get(0).getValue();
            if (!(v instanceof PrimitiveType<?> p) || !p.hasValue()) {
                throw new LayoutException(what + ": stratum-value-set needs a canonical URL");
            }
            return fromValueSet(p.getValueAsString(), what);
        }
        return derived(code, criteria);
    }

    private static StratumValue declaredValue(Type v, String what) {
        if (v instanceof Coding c) return new StratumValue(c.getSystem(), c.getCode(), c.getDisplay());
        if (v instanceof CodeableConcept cc && cc.hasCoding()) {
            Coding c = cc.getCodingFirstRep();
            return new StratumValue(c.getSystem(), c.getCode(), c.getDisplay());
        }
        if (v instanceof BooleanType || v instanceof IntegerType
                || (v instanceof PrimitiveType<?> p && p.hasValue())) {
            return StratumValue.of(((PrimitiveType<?>) v).getValueAsString());
        }
        throw new LayoutException(what + ": stratum-value must be a Coding, CodeableConcept, code, string, boolean or integer");
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
            throw new LayoutException("value set " + canonical + " needs an expansion to be used as a stratum domain");
        }
        for (ValueSet.ConceptSetComponent inc : vs.getCompose().getInclude()) {
            if (inc.hasFilter() || inc.hasValueSet() || !inc.hasConcept()) {
                throw new LayoutException("value set " + canonical + " needs an expansion to be used as a stratum domain");
            }
            for (ValueSet.ConceptReferenceComponent c : inc.getConcept()) {
                out.add(new StratumValue(inc.getSystem(), c.getCode(), c.getDisplay()));
            }
        }
        return out;
    }

    private static void flatten(List<ValueSet.ValueSetExpansionContainsComponent> contains, List<StratumValue> out) {
        for (ValueSet.ValueSetExpansionContainsComponent c : contains) {
            if (c.hasCode() && !c.getAbstract()) out.add(new StratumValue(c.getSystem(), c.getCode(), c.getDisplay()));
            flatten(c.getContains(), out);
        }
    }

    /** Conventions; kept small and documented because a wrong guess would only move counts to "other". */
    private static ValueDomain derived(CodeableConcept code, Expression criteria) {
        String expr = criteria != null && criteria.hasExpression() ? criteria.getExpression().trim() : "";
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
                new StratumValue(GENDER_CS, "male", "Male"),
                new StratumValue(GENDER_CS, "female", "Female"),
                new StratumValue(GENDER_CS, "other", "Other"),
                new StratumValue(GENDER_CS, "unknown", "Unknown")), source);
    }

    private static ValueDomain bool(String source) {
        return new ValueDomain(List.of(StratumValue.of("true"), StratumValue.of("false")), source);
    }
}
