package org.concilium.layout;

import org.hl7.fhir.r4.model.CodeableConcept;

/** A supplemental-data element in a layout: one count per domain value, then "other". */
public record SupplementalLayout(String key, String id, CodeableConcept code, ValueDomain domain) {}
