package org.concilium.layout;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * The explicit "other" value of a stratifier or supplemental-data element in a decoded network report.
 * It has its own code system so that it never collides with a real value (administrative-gender has a code
 * {@code other}).
 */
public final class OtherBucket {
    public static final String SYSTEM = "http://concilium.org/fhir/CodeSystem/layout-bucket";
    public static final String CODE = "unlisted";
    /** Name used in slot names. */
    public static final String SLOT_NAME = "*other*";

    private OtherBucket() {}

    public static CodeableConcept concept() {
        return new CodeableConcept()
                .addCoding(new Coding(SYSTEM, CODE, "Value outside the layout's declared domain"))
                .setText("(other)");
    }

    public static boolean isOther(CodeableConcept value) {
        return value.getCoding().stream().anyMatch(OtherBucket::isOther);
    }

    public static boolean isOther(Coding c) {
        return SYSTEM.equals(c.getSystem()) && CODE.equals(c.getCode());
    }
}
