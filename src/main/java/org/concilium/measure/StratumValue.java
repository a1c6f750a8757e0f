package org.concilium.measure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Concept;

/**
 * One value of a stratifier (component) or supplemental-data element: the one model of a stratum
 * value, whether the data produced it ({@link #of(Object)}, a local evaluation) or the Measure
 * declares it ({@link MeasureModel.DeclaredDomain}, the values a network layout counts).
 *
 * <p>{@code system} is null for a value without a code system: strings, booleans, numbers and
 * resources ({@code Type/id}) are their text. Identity is system and code; display is for the
 * report only. A value without a system matches any coding with the same code, and a report value
 * given only as text (as cqf-fhir-cr writes strings, booleans and codes) matches by its text.
 */
public record StratumValue(String system, String code, String display) {

    /** The value of an empty result. */
    public static final StratumValue NULL = text("null");

    public StratumValue {
        Objects.requireNonNull(code, "code");
        system = system == null || system.isBlank() ? null : system;
    }

    /** A value without a code system. */
    public static StratumValue text(String s) {
        return s == null ? NULL : new StratumValue(null, s, null);
    }

    /** A coded value. */
    public static StratumValue code(String system, String code, String display) {
        return code == null ? NULL : new StratumValue(system, code, display);
    }

    /** Identity of the value: system|code, or the code alone. */
    public String key() {
        return system == null ? code : system + "|" + code;
    }

    public boolean matches(Coding coding) {
        if (coding == null || !code.equals(coding.getCode())) {
            return false;
        }
        return system == null || !coding.hasSystem() || system.equals(coding.getSystem());
    }

    /** True when a report's value is this value (any coding matches, or only text and it is the code). */
    public boolean matches(CodeableConcept value) {
        for (Coding c : value.getCoding()) {
            if (matches(c)) {
                return true;
            }
        }
        return value.getCoding().isEmpty() && value.hasText() && code.equals(value.getText().trim());
    }

    /** The value as a report writes it: the code as text always, a coding when a system is known. */
    public CodeableConcept toConcept() {
        CodeableConcept cc = new CodeableConcept();
        if (system != null) {
            cc.addCoding(new Coding(system, code, display));
        }
        return cc.setText(code);
    }

    // identity is system and code: the display a source gives does not make another stratum
    @Override
    public boolean equals(Object o) {
        return o instanceof StratumValue v && Objects.equals(system, v.system) && code.equals(v.code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, code);
    }

    /** All values of an evaluated result: a list gives one value per element (a subject then falls in several strata). */
    static List<StratumValue> of(Object result) {
        List<StratumValue> out = new ArrayList<>();
        if (result instanceof Iterable<?> it && !(result instanceof IBaseResource)) {
            for (Object o : it) {
                out.add(single(o));
            }
            if (out.isEmpty()) {
                out.add(NULL);
            }
        } else {
            out.add(single(result));
        }
        return out;
    }

    static StratumValue single(Object o) {
        if (o == null) {
            return NULL;
        }
        if (o instanceof Code c) {
            return code(c.getSystem(), c.getCode(), c.getDisplay());
        }
        if (o instanceof Concept c && c.getCodes() != null && !c.getCodes().isEmpty()) {
            return single(c.getCodes().get(0));
        }
        if (o instanceof Coding c) {
            return code(c.getSystem(), c.getCode(), c.getDisplay());
        }
        if (o instanceof CodeableConcept cc) {
            return cc.hasCoding() ? single(cc.getCodingFirstRep()) : text(cc.getText());
        }
        if (o instanceof IBaseResource r) {
            return text(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        if (o instanceof IPrimitiveType<?> p) {
            return text(p.getValueAsString());
        }
        if (o instanceof BigDecimal d) {
            return text(d.stripTrailingZeros().toPlainString());
        }
        return text(String.valueOf(o));
    }
}
