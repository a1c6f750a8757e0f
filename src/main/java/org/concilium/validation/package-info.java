/**
 * Validation on demand ({@code $validate}): the HL7 validator (HAPI's FhirInstanceValidator) against
 * the R4 core specification, the conformance resources in {@code fhir-profiles/} and the
 * StructureDefinitions stored on the node. No HTTP here; depends on {@code store} only.
 */
package org.concilium.validation;
