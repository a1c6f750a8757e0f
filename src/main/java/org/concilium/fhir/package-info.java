/**
 * The REST boundary, and the only package that speaks JAX-RS: {@code /fhir} (this site's FHIR
 * server: CRUD, search, history, transactions, {@code $evaluate-measure}) and {@code /network/fhir}
 * (the network as an aggregate-only FHIR server). Parses and validates input into typed commands,
 * calls the store, the measure engine or the network query service, and maps every failure to an
 * OperationOutcome with the right 4xx, never a stack trace or SQL.
 *
 * <p>May depend on every service package ({@code store}, {@code measure}, {@code layout},
 * {@code federation..}); nothing depends on it.
 */
package org.concilium.fhir;
