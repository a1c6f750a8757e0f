package org.concilium.federation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This process as one replica of its site. Every query it runs carries its name and a lease
 * ({@link NetworkQuery}, {@link ReplicaLeases}); while the process lives it renews the leases of its queries in flight, and
 * the site leader ({@link SiteLeader}) aborts the queries whose lease lapsed — their replica died.
 * Another replica therefore never aborts a query a live replica is running (docs/deploy.md).
 */
@ApplicationScoped
public class SiteReplica {

    private static final Logger LOG = Logger.getLogger(SiteReplica.class);

    @Inject
    ReplicaConfig config;
    @Inject
    NetworkContext context;
    @Inject
    ReplicaLeases leases;
    @Inject
    SiteLeader leader;

    private volatile String id;
    private ScheduledExecutorService timer;

    /** This replica's name (stable across restarts when configured or kept in the data folder). */
    public String id() {
        String current = id;
        if (current == null) {
            synchronized (this) {
                if (id == null) {
                    id = config.id().filter(s -> !s.isBlank()).orElseGet(SiteReplica::keptId);
                }
                current = id;
            }
        }
        return current;
    }

    public Duration lease() {
        return config.lease();
    }

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        long period = Math.max(200, config.lease().toMillis() / 3);
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "replica-lease"));
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        LOG.infof("replica %s of %s (query lease %s)", id(), context.require().siteId(), config.lease());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Renews this replica's leases; on the leader, also aborts the queries of replicas that died. */
    private void tick() {
        try {
            leases.renew(id(), config.lease());
            if (leader.isLeader()) {
                int aborted = leases.abortExpired();
                if (aborted > 0) {
                    LOG.warnf("%d network queries of a replica that stopped renewing its lease are now ABORTED", aborted);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("lease renewal skipped: %s", e.getMessage());
        }
    }

    /** DATA/replica-id, written on first start; a random name without a (writable) data folder. */
    private static String keptId() {
        String dataDir = System.getProperty("concilium.data-dir");
        if (dataDir == null) {
            return UUID.randomUUID().toString();
        }
        Path file = Path.of(dataDir).resolve("replica-id");
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file).strip();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            String made = UUID.randomUUID().toString();
            Files.createDirectories(file.getParent());
            Files.writeString(file, made + "\n");
            return made;
        } catch (IOException | RuntimeException e) {
            return UUID.randomUUID().toString();
        }
    }
}
