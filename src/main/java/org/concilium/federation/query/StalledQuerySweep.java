package org.concilium.federation.query;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkQueryRepository;
import org.concilium.federation.SiteLeader;
import org.jboss.logging.Logger;

/**
 * Ends, once a minute, the participant queries whose entry node went silent after the
 * contributions (e.g. it was killed): they become ABORTED instead of waiting forever. Only the site
 * leader's replica sweeps. At start-up, the asynchronous queries this replica was running when it
 * stopped (and those whose replica's lease lapsed) end ABORTED.
 */
@ApplicationScoped
public class StalledQuerySweep {

    private static final Logger LOG = Logger.getLogger(StalledQuerySweep.class);

    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    NetworkQueryRepository store;
    @Inject
    SiteLeader leader;
    @Inject
    AsyncJobRepository asyncJobs;

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        int aborted = asyncJobs.abortRunning();
        if (aborted > 0) {
            LOG.warnf("%d asynchronous network queries were running at the last stop and are now ABORTED", aborted);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stalled-query-sweep"));
        timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void sweep() {
        if (!leader.isLeader()) {
            return; // once per site: the leader's replica sweeps for all
        }
        try {
            int aborted = store.abortStalled(config.stalledAfter());
            if (aborted > 0) {
                LOG.warnf("%d queries heard nothing from their entry node for %s after contributing: ABORTED", aborted,
                        config.stalledAfter());
            }
        } catch (RuntimeException e) {
            LOG.debugf("stalled-query sweep skipped: %s", e.getMessage());
        }
    }
}
