package org.concilium.layout;

import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * A supplemental-data element in a layout: one count per domain value, then "other". {@code expression} is its
 * criteria expression: reports name an SDE without id by it.
 */
public record SupplementalLayout(String key, String id, CodeableConcept code, String expression, ValueDomain domain) {}
