/**
 * PostgreSQL: the embedded server ({@link org.concilium.store.EmbeddedDatabase}), Flyway's
 * migrations ({@code db/migration}, baseline of pre-Flyway databases), and the FHIR resource store
 * over JSONB with its search index ({@link org.concilium.store.ResourceStore}, reactive client;
 * the catalog of search parameters drives storage, search and the CapabilityStatement).
 *
 * <p>May depend on HAPI's FHIR model, the reactive PostgreSQL client, Quarkus and
 * {@code terminology} (the CodeSystem hierarchy behind token {@code :below}/{@code :above}); no
 * other package of ours (every layer stores through it).
 */
package org.concilium.store;
