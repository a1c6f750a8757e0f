/**
 * Terminology over the site's own CodeSystems and ValueSets: value-set expansion (including
 * intensional {@code compose.include.filter} rules) through HAPI's in-memory terminology support,
 * code validation against a value set, concept look-up, and the subsumption hierarchy of a stored
 * CodeSystem (nested concepts and {@code parent}/{@code child} properties alike).
 *
 * <p>May depend on HAPI's FHIR model and validation support only: the store, the measure engine and
 * the REST layer use it, and hand it their content through {@link org.concilium.terminology.KnowledgeSource}.
 */
package org.concilium.terminology;
