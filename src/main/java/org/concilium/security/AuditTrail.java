package org.concilium.security;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * the API. Write-ahead: {@link #recorded} completes only when the record is committed, and the
 * answer waits for it, so no client holds an answer whose access is not on record, even if the node
 * dies a moment later. One writer thread commits whatever is queued in one transaction (group
 * commit: under load a transaction carries many records, so the cost per request stays one short
 * wait), without waiting for the WAL's fsync (docs/security.md, "Audit").
 */
@ApplicationScoped
public class AuditTrail {

    public static final String CLIENT_SYSTEM = "urn:concilium:client";
    /** The interaction of an authentication (a token issued or refused, a dashboard sign-in). */
    public static final String LOGIN = "login";
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final int BATCH = 2000;

    /** A record and who waits for its commit. */
    private record Pending(AuditRecord record, CompletableFuture<Void> committed) {
    }

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    // its own thread: a worker pool busy with evaluations must not hold every answer back
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-writer");
        t.setDaemon(true);
        return t;
    });

    @Inject
    ResourceStore store;
    @ConfigProperty(name = "concilium.site.id")
    String siteId;

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        // the writer may be in a transaction: let it finish, then write what is left before the pool closes
        writer.shutdown();
        writer.awaitTermination(30, TimeUnit.SECONDS);
        flush();
    }

    /** Queues {@code r}; the Uni completes when it is committed, or fails if the database refused it. */
    public Uni<Void> recorded(AuditRecord r) {
        Pending p = new Pending(AuditText.clean(r), new CompletableFuture<>());
        queue.add(p);
        wake();
        return Uni.createFrom().completionStage(p.committed());
    }

    /** Queues {@code r} without waiting for its commit (for callers that answer before they know the outcome). */
    public void record(AuditRecord r) {
        recorded(r).subscribe().with(x -> { }, e -> { });
    }

    private void wake() {
        if (!writing.compareAndSet(false, true)) {
            return; // the writer is at work and looks at the queue again before it stops
        }
        try {
            writer.execute(() -> {
                try {
                    flush();
                } finally {
                    writing.set(false);
                }
                if (!queue.isEmpty()) {
                    wake();
                }
            });
        } catch (RejectedExecutionException stopping) {
            writing.set(false); // shutting down: onStop writes what is queued
        }
    }

    /** Writes what is queued, in batches of one transaction each. Blocking. */
    void flush() {
        while (!queue.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            Pending p;
            while (batch.size() < BATCH && (p = queue.poll()) != null) {
                batch.add(p);
            }
            List<Resource> events = batch.stream().map(x -> (Resource) event(x.record())).toList();
            try {
                store.inTransactionWithoutFsyncWait(w -> w.createAll(events)).await().atMost(Duration.ofSeconds(60));
                batch.forEach(x -> x.committed().complete(null));
            } catch (RuntimeException e) {
                // one event the database refuses must not take the rest of its batch with it: write them one by one
                writeOneByOne(batch, events, e);
            }
        }
    }

    private void writeOneByOne(List<Pending> batch, List<Resource> events, RuntimeException batchFailure) {
        int lost = 0;
        for (int i = 0; i < batch.size(); i++) {
            Resource event = events.get(i);
            try {
                store.inTransactionWithoutFsyncWait(w -> w.createAll(List.of(event))).await().atMost(Duration.ofSeconds(60));
                batch.get(i).committed().complete(null);
            } catch (RuntimeException e) {
                lost++;
                batch.get(i).committed().completeExceptionally(e);
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
