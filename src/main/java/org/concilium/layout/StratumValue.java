package org.concilium.layout;

import java.util.Objects;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * One value of a stratifier or supplemental-data domain. {@code system} is optional: a value without a system
 * matches any coding with the same code, and a report value given only as text (as cqf-fhir-cr writes
 * strings, booleans and codes) matches by code.
 */
public record StratumValue(String system, String code, String display) {
    public StratumValue {
        if (code == null || code.isBlank()) throw new LayoutException("stratum value needs a non-blank code");
        system = system == null || system.isBlank() ? null : system;
    }

    public static StratumValue of(String code) {
        return new StratumValue(null, code, null);
    }

    /** Identity of the value inside its domain (system|code, or code alone). */
    public String key() {
        return system == null ? code : system + "|" + code;
    }

    boolean matches(Coding coding) {
        if (coding == null || !code.equals(coding.getCode())) return false;
        return system == null || !coding.hasSystem() || system.equals(coding.getSystem());
    }

    boolean matches(CodeableConcept value) {
        for (Coding c : value.getCoding()) {
            if (matches(c)) return true;
        }
        return value.getCoding().isEmpty() && value.hasText() && code.equals(value.getText().trim());
    }

    /** The value as a report writes it: a coding when a system is known, the code as text always. */
    CodeableConcept toConcept() {
        CodeableConcept cc = new CodeableConcept().setText(code);
        if (system != null) cc.addCoding(new Coding(system, code, display));
        return cc;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StratumValue v && Objects.equals(system, v.system) && code.equals(v.code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, code);
    }
}
