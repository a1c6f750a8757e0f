package org.concilium.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.concilium.fhir.FhirTestBase;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Why the resource store stays on the reactive client (docs/architecture.md, "State"). Three ways
 * to write the same batch of new resources, side by side in one JVM on one database, the order
 * rotating every round; the result is one JSON line:
 * <ul>
 * <li>{@code store}: the real hot path, {@code ResourceStore.inTransaction(w -> w.createAll(batch))}
 * (encode, index, one batched upsert of resource and history rows, the search-index rows);</li>
 * <li>{@code client}: only the resource and history rows, as two batched INSERTs on the reactive client;</li>
 * <li>{@code panache}: the same rows as Hibernate Reactive entities, one session, statement batching.</li>
 * </ul>
 * {@code client} and {@code panache} do the same work (encode + two rows per resource), so their
 * ratio is the cost of the ORM on this path. Opt-in:
 * {@code -Dconcilium.bench=true -Dtest=InsertPathBench}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "concilium.bench", matches = "true")
class InsertPathBench extends FhirTestBase {

    private static final int BATCH = Integer.getInteger("concilium.bench.batch", 1000);
    private static final int ROUNDS = Integer.getInteger("concilium.bench.rounds", 8);

    private static final String INSERT_RESOURCE = "INSERT INTO resource (res_type, res_id, version, last_updated,"
            + " deleted, body, subject, index_layout) VALUES ($1, $2, 1, $3, false, $4::text::jsonb, $5, 1)";
    private static final String INSERT_HISTORY = "INSERT INTO resource_history (res_type, res_id, version, last_updated,"
            + " deleted, body) VALUES ($1, $2, 1, $3, false, $4::text::jsonb)";
    private static final List<String> VARIANTS = List.of("store", "client", "panache");

    @Inject
    ResourceStore store;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void reactiveClientAgainstPanache() throws Throwable {
        String load0 = loadAverage();
        for (String v : VARIANTS) {
            write(v, batch("warm-" + v));
        }
        java.util.Map<String, List<Double>> runs = new java.util.LinkedHashMap<>();
        VARIANTS.forEach(v -> runs.put(v, new ArrayList<>()));
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < VARIANTS.size(); k++) {
                String v = VARIANTS.get((round + k) % VARIANTS.size());
                List<Resource> batch = batch(v + round);
                long t0 = System.nanoTime();
                write(v, batch);
                runs.get(v).add(batch.size() / ((System.nanoTime() - t0) / 1e9));
            }
        }
        StringBuilder json = new StringBuilder("{\"bench\":\"resource-insert-path\",\"batch\":" + BATCH
                + ",\"rounds\":" + ROUNDS);
        for (String v : VARIANTS) {
            json.append(String.format(Locale.ROOT, ",\"%s_resources_per_s\":%.0f,\"%s_runs\":%s", v, median(runs.get(v)),
                    v, rounded(runs.get(v))));
        }
        json.append(String.format(Locale.ROOT, ",\"client_over_panache\":%.2f,\"store_over_panache\":%.2f",
                median(runs.get("client")) / median(runs.get("panache")), median(runs.get("store")) / median(runs.get("panache"))));
        json.append(",\"loadavg_before\":\"").append(load0).append("\",\"loadavg_after\":\"").append(loadAverage()).append("\"}");
        System.out.println(json);
    }

    private void write(String variant, List<Resource> batch) throws Throwable {
        switch (variant) {
            case "store" -> store.inTransaction(w -> w.createAll(batch)).await().indefinitely();
            case "client" -> {
                List<io.vertx.mutiny.sqlclient.Tuple> resources = new ArrayList<>(batch.size());
                List<io.vertx.mutiny.sqlclient.Tuple> history = new ArrayList<>(batch.size());
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                for (Resource r : batch) {
                    String json = encode(r, now);
                    var at = now.atOffset(ZoneOffset.UTC);
                    resources.add(io.vertx.mutiny.sqlclient.Tuple.of(r.fhirType(), r.getIdElement().getIdPart(), at, json,
                            subject(r)));
                    history.add(io.vertx.mutiny.sqlclient.Tuple.of(r.fhirType(), r.getIdElement().getIdPart(), at, json));
                }
                pool.withTransaction(conn -> conn.preparedQuery(INSERT_RESOURCE).executeBatch(resources)
                        .flatMap(x -> conn.preparedQuery(INSERT_HISTORY).executeBatch(history))).await().indefinitely();
            }
            case "panache" -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                    .flatMap(s -> {
                        s.setBatchSize(BATCH);
                        List<Object> rows = new ArrayList<>(batch.size() * 2);
                        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                        for (Resource r : batch) {
                            String json = encode(r, now);
                            var at = now.atOffset(ZoneOffset.UTC);
                            rows.add(new BenchResourceRow(r.fhirType(), r.getIdElement().getIdPart(), at, json, subject(r)));
                            rows.add(new BenchHistoryRow(r.fhirType(), r.getIdElement().getIdPart(), at, json));
                        }
                        return s.persistAll(rows.toArray());
                    })));
            default -> throw new IllegalArgumentException(variant);
        }
    }

    private static String encode(Resource r, Instant now) {
        r.getMeta().setVersionId("1");
        r.getMeta().setLastUpdated(Date.from(now));
        return FhirJson.encode(r);
    }

    private static String subject(Resource r) {
        return r instanceof Observation o ? o.getSubject().getReference() : null;
    }

    /** Half patients, half observations about them: the shape of a bulk load. */
    private static List<Resource> batch(String tag) {
        List<Resource> out = new ArrayList<>(BATCH);
        for (int i = 0; out.size() < BATCH; i++) {
            String pid = tag + "-p" + i + "-" + System.nanoTime();
            Patient p = new Patient();
            p.setId(pid);
            p.addName().setFamily("Bench" + i).addGiven("Pat");
            p.setGender(i % 2 == 0 ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
            p.setBirthDate(new Date(0L + i * 86_400_000L));
            out.add(p);
            Observation o = new Observation();
            o.setId(pid + "-o");
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic blood pressure")));
            o.setSubject(new Reference("Patient/" + pid));
            o.setEffective(new DateTimeType(new Date(1_600_000_000_000L + i * 60_000L)));
            o.setValue(new Quantity(120 + i % 40).setUnit("mm[Hg]").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
            out.add(o);
        }
        return out.subList(0, BATCH);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String rounded(List<Double> xs) {
        return Arrays.toString(xs.stream().mapToLong(Math::round).toArray());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
