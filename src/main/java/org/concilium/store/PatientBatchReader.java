package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
