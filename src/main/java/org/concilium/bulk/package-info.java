/**
 * Bulk Data Access (FHIR Bulk Data IG v2) jobs: {@code $export} writes NDJSON from the store in the
 * background (by COPY on the fast path) into chunks in PostgreSQL ({@link org.concilium.bulk.BulkFileChunks}),
 * so every replica serves the files; {@code $import}'s runner (in fhir/) records its jobs here too,
 * through {@link org.concilium.bulk.BulkRunner}. Every job is a {@code bulk_job} row (Panache), so
 * its status URL outlives a restart, and a job a stop cut off is resumed (an export from the start,
 * an import from its checkpoint, {@link org.concilium.bulk.ImportResumption}). Depends on store/
 * (reading, the Transactions bridge, the reactive pool) and federation/SiteReplica (the replica name
 * and lease), nothing of the HTTP layer; fhir/BulkDataResource and fhir/BulkImportResource are the
 * HTTP face and check the caller's scopes before a job is created.
 */
package org.concilium.bulk;
