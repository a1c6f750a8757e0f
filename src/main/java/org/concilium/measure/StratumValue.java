package org.concilium.measure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Concept;

/**
 * One value a stratifier or supplemental-data expression produced, reduced to a comparable key and
 * the CodeableConcept a MeasureReport shows for it. Codes keep their coding; everything else is
 * shown as text (booleans as {@code true}/{@code false}, resources as {@code Type/id}).
 */
record StratumValue(String key, CodeableConcept concept) {

    static final StratumValue NULL = text("null");

    // identity is the key alone: CodeableConcept has no value equality
    @Override
    public boolean equals(Object o) {
        return o instanceof StratumValue v && v.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    static StratumValue text(String s) {
        return new StratumValue("text:" + s, new CodeableConcept().setText(s));
    }

    static StratumValue code(String system, String code, String display) {
        Coding coding = new Coding().setSystem(system).setCode(code).setDisplay(display);
        return new StratumValue("code:" + system + "|" + code, new CodeableConcept().addCoding(coding).setText(code));
    }

    /** All values of a result: a list gives one value per element (a subject then falls in several strata). */
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
