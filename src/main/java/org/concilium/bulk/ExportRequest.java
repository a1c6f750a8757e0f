package org.concilium.bulk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one {@code $export} kick-off asked for, after the HTTP layer checked it: the types (already
 * limited to what the caller may read), {@code _since}, the patients whose compartments are exported
 * ({@code null}: system level; empty: every patient; else a Group's members) and, per type, the
 * {@code _typeFilter} queries (any match is exported).
 */
public record ExportRequest(String owner, String requestUrl, List<String> types, Instant since,
        List<String> patients, Map<String, List<Map<String, List<String>>>> typeFilters) {
}
