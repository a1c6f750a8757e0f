package org.concilium.measure;

/** The extensions Concilium defines on a Measure (docs/layout.md, docs/privacy.md); read in {@link MeasureModelParser}. */
public final class MeasureExtensions {

    /** A value a stratifier (component) or supplemental-data element can take; repeated, in layout order. */
    public static final String STRATUM_VALUE = "http://concilium.org/fhir/StructureDefinition/stratum-value";
    /** The value set whose expansion lists the values a stratifier or supplemental-data element can take. */
    public static final String STRATUM_VALUE_SET = "http://concilium.org/fhir/StructureDefinition/stratum-value-set";
    /** On a group: the most resources of one subject in any one population (valueInteger ≥ 1). */
    public static final String DP_MAX_RESOURCES = "http://concilium.org/fhir/StructureDefinition/dp-max-resources-per-subject";
    /** On a group: the largest |observation| of one subject's resource (valueDecimal &gt; 0). */
    public static final String DP_MAX_OBSERVATION = "http://concilium.org/fhir/StructureDefinition/dp-max-observation";

    private MeasureExtensions() {
    }
}
