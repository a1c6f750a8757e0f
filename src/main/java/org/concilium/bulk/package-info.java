/**
 * Bulk Data Access (FHIR Bulk Data IG v2) jobs: {@code $export} writes NDJSON files from the store
 * in a background thread, one job at a time, and keeps them until they expire. Depends on store/
 * (reading) and nothing of the HTTP layer; fhir/BulkDataResource is the HTTP face (kick-off,
 * status, files, cancel) and checks the caller's scopes before a job is created.
 */
package org.concilium.bulk;
