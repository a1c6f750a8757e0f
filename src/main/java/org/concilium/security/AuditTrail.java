package org.concilium.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;

import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.concilium.store.ResourceStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.jboss.logging.Logger;

/**
 * The node's append-only audit trail: every access becomes an AuditEvent (shaped after IHE BALP)
 * stored with the node's other resources, searchable at /fhir/AuditEvent and never changed through
 * the API. Requests only enqueue; a background flush writes the queue in one transaction every
 * {@value #FLUSH_MS} ms (and at shutdown), so auditing adds no database round trip to a request.
 */
@ApplicationScoped
public class AuditTrail {

    public static final String CLIENT_SYSTEM = "urn:concilium:client";
    /** The interaction of an authentication (a token issued or refused, a dashboard sign-in). */
    public static final String LOGIN = "login";
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final long FLUSH_MS = 250;
    private static final int BATCH = 2000;

    private final ConcurrentLinkedQueue<AuditRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    @Inject
    ResourceStore store;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "concilium.site.id")
    String siteId;
    private long timer = -1;

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(FLUSH_MS, id -> flushInBackground());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        // a background flush still writing when the pool closes would lose its batch: wait for it, then write the rest
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!flushing.compareAndSet(false, true) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        flush();
    }

    public void record(AuditRecord r) {
        queue.add(AuditText.clean(r));
    }

    private void flushInBackground() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> {
            try {
                flush();
            } finally {
                flushing.set(false);
            }
            return null;
        }).subscribe().with(x -> { }, e -> LOG.warnf("audit flush failed: %s", e.getMessage()));
    }

    /** Writes what is queued, in batches of one transaction each. Blocking. */
    void flush() {
        while (!queue.isEmpty()) {
            List<Resource> batch = new ArrayList<>();
            AuditRecord r;
            while (batch.size() < BATCH && (r = queue.poll()) != null) {
                batch.add(event(r));
            }
            try {
                store.inTransaction(w -> w.createAll(batch)).await().atMost(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                // one event the database refuses must not take the rest of its batch with it: write them one by one
                writeOneByOne(batch, e);
            }
        }
    }

    private void writeOneByOne(List<Resource> batch, RuntimeException batchFailure) {
        int lost = 0;
        for (Resource event : batch) {
            try {
                store.inTransaction(w -> w.createAll(List.of(event))).await().atMost(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                lost++;
            }
        }
        if (lost > 0) {
            // never lose silently: the log says how many events failed and why (no request content)
            LOG.errorf("could not write %d of %d audit events: %s", lost, batch.size(), batchFailure.getMessage());
        }
    }

    AuditEvent event(AuditRecord r) {
        AuditEvent e = new AuditEvent();
        e.setId(org.concilium.store.ResourceWriter.newId());
        boolean patient = r.patient() != null;
        boolean login = LOGIN.equals(r.interaction());
        e.setType(login ? new Coding("http://dicom.nema.org/resources/ontology/DCM", "110114", "User Authentication")
                : patient ? new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record")
                : new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        if (login) {
            e.addSubtype(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110122", "Login"));
        } else if (r.interaction() != null) {
            e.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", r.interaction(), r.interaction()));
        }
        e.setAction(action(r));
        e.setRecorded(Date.from(r.at()));
        e.setOutcome(r.status() < 400 ? AuditEvent.AuditEventOutcome._0
                : r.status() < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
        e.setOutcomeDesc("HTTP " + r.status() + (r.detail() == null ? "" : "; " + r.detail()));
        AuditEvent.AuditEventAgentComponent agent = e.addAgent().setRequestor(true)
                .setAltId(r.clientId() == null ? "unauthenticated" : r.clientId()); // searchable as altid
        agent.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110153",
                "Source Role ID"));
        agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM)
                .setValue(r.clientId() == null ? "unauthenticated" : r.clientId())));
        AuditEvent.AuditEventAgentComponent server = e.addAgent().setRequestor(false);
        server.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110152",
                "Destination Role ID"));
        server.setWho(new Reference().setDisplay("concilium node " + siteId)).getNetwork().setAddress(r.path());
        e.getSource().setSite(siteId).setObserver(new Reference().setDisplay("concilium node " + siteId));
        if (patient) {
            e.addEntity().setWhat(new Reference(r.patient())).setRole(new Coding(
                    "http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        if (r.resourceType() != null && r.resourceId() != null && !"Patient".equals(r.resourceType())) {
            e.addEntity().setWhat(new Reference(r.resourceType() + "/" + r.resourceId())).setRole(new Coding(
                    "http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"));
        }
        if (!r.details().isEmpty()) {
            AuditEvent.AuditEventEntityComponent what = e.getEntity().stream()
                    .filter(x -> x.getWhat().getReference() != null).findFirst().orElseGet(e::addEntity);
            r.details().forEach((name, value) -> what.addDetail().setType(name).setValue(new StringType(value)));
        }
        if (r.query() != null && !r.query().isEmpty()) {
            e.addEntity().setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                    .setQuery(r.query().getBytes(StandardCharsets.UTF_8))
                    .setDescription(r.method() + " " + r.path() + "?" + r.query());
        } else if (r.resourceType() != null && r.resourceId() == null) {
            e.addEntity().setDescription(r.method() + " " + r.path());
        }
        return e;
    }

    private static AuditEvent.AuditEventAction action(AuditRecord r) {
        String i = r.interaction() == null ? "" : r.interaction();
        return switch (i) {
            case "create" -> AuditEvent.AuditEventAction.C;
            case "update" -> AuditEvent.AuditEventAction.U;
            case "delete" -> AuditEvent.AuditEventAction.D;
            case "read", "vread", "history-instance" -> AuditEvent.AuditEventAction.R;
            default -> AuditEvent.AuditEventAction.E;
        };
    }
}
