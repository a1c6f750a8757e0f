package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a site's patients in batches for evaluation with bounded memory: patients by keyset pages
 * in id order (a page costs the same at the millionth patient as at the first), and for one page the
 * resources of a type about those patients (the {@code resource_subject} index). Blocking; call it
 * from a worker thread, never the event loop.
 */
public final class PatientBatchReader {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String PATIENTS = "SELECT res_id, body::text FROM resource"
            + " WHERE res_type = 'Patient' AND NOT deleted AND res_id > $1 ORDER BY res_id LIMIT $2";
    private static final String ABOUT = "SELECT body::text FROM resource"
            + " WHERE res_type = $1 AND NOT deleted AND subject = ANY($2)";

    /** One page of patients: their ids (in order) and JSON bodies. */
    public record PatientPage(List<String> ids, List<String> bodies) {
        public boolean isEmpty() {
            return ids.isEmpty();
        }

        public String lastId() {
            return ids.get(ids.size() - 1);
        }
    }

    private static final Pattern ELEMENT = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private final Pool pool;

    public PatientBatchReader(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} patients whose id sorts after {@code afterId} ("" for the first page). */
    public PatientPage patientsAfter(String afterId, int limit) {
        List<String> ids = new ArrayList<>(limit);
        List<String> bodies = new ArrayList<>(limit);
        for (Row r : pool.preparedQuery(PATIENTS).execute(Tuple.of(afterId, limit)).await().atMost(TIMEOUT)) {
            ids.add(r.getString(0));
            bodies.add(r.getString(1));
        }
        return new PatientPage(ids, bodies);
    }

    /**
     * As {@link #about}, but only resources with a code among {@code keys} ({@code system|code}, system
     * empty when absent) at one of the paths: {@code path -> keys}. A path is one element name; its
     * choice forms ({@code medicationCodeableConcept}, {@code valueCoding}) count too, and any coding
     * below it (a superset of what the retrieve keeps, which filters again in memory).
     */
    public List<String> aboutWithCodes(String type, List<String> patientIds, Map<String, Set<String>> codes) {
        if (codes.isEmpty()) {
            return about(type, patientIds);
        }
        String[] refs = patientIds.stream().map(id -> "Patient/" + id).toArray(String[]::new);
        StringBuilder sql = new StringBuilder(ABOUT).append(" AND (");
        Tuple args = Tuple.of(type, refs);
        int n = 3;
        for (var e : codes.entrySet()) {
            if (!ELEMENT.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("not an element name: " + e.getKey());
            }
            sql.append(n == 3 ? "" : " OR ").append("EXISTS (SELECT 1 FROM jsonb_path_query(body, $").append(n)
                    .append("::jsonpath) c WHERE coalesce(c->>'system', '') || '|' || (c->>'code') = ANY($")
                    .append(n + 1).append("))");
            args.addString(codings(e.getKey())).addArrayOfString(e.getValue().toArray(String[]::new));
            n += 2;
        }
        List<String> bodies = new ArrayList<>();
        for (Row r : pool.preparedQuery(sql.append(')').toString()).execute(args).await().atMost(TIMEOUT)) {
            bodies.add(r.getString(0));
        }
        return bodies;
    }

    /** Every object with a code at or below element {@code name} (or its choice forms) of the resource. */
    private static String codings(String name) {
        return "lax $.keyvalue() ? (@.key == \"" + name + "\" || @.key == \"" + name + "CodeableConcept\" || @.key == \""
                + name + "Coding\").value.** ? (exists(@.code))";
    }

    /** JSON bodies of the current resources of {@code type} whose subject is one of these patients. */
    public List<String> about(String type, List<String> patientIds) {
        String[] refs = patientIds.stream().map(id -> "Patient/" + id).toArray(String[]::new);
        List<String> bodies = new ArrayList<>();
        for (Row r : pool.preparedQuery(ABOUT).execute(Tuple.of(type, refs)).await().atMost(TIMEOUT)) {
            bodies.add(r.getString(0));
        }
        return bodies;
    }
}
