/**
 * Bulk Data Access (FHIR Bulk Data IG v2) jobs: {@code $export} writes NDJSON files from the store
 * in the background (by COPY on the fast path), {@code $import}'s runner (in fhir/) records its
 * jobs here too. Every job is a {@code bulk_job} row (Panache), so its status URL outlives a
 * restart; a job a restart cut off is FAILED, not resumed. Depends on store/ (reading, the
 * Transactions bridge) and federation/SiteReplica (the replica name and lease), nothing of the HTTP
 * layer; fhir/BulkDataResource and fhir/BulkImportResource are the HTTP face and check the caller's
 * scopes before a job is created.
 */
package org.concilium.bulk;
