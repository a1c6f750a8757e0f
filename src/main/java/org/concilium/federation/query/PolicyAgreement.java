package org.concilium.federation.query;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.ReadinessCondition;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRound;
import org.jboss.logging.Logger;

/**
 * The network's privacy policy is agreed like its key: this node is ready only once every peer
 * reports the hash of the same policy (from its own descriptor). A site whose descriptor states
 * another policy keeps the network not ready; a query that still reaches it is refused
 * ({@code POLICY_MISMATCH}) by {@link PolicyCheck}.
 */
@ApplicationScoped
public class PolicyAgreement implements ReadinessCondition {

    private static final Logger LOG = Logger.getLogger(PolicyAgreement.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    NetworkContext context;
    @Inject
    PeerClient peers;

    private volatile boolean agreed;
    private ScheduledExecutorService loop;

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "policy-agreement"));
        loop.scheduleWithFixedDelay(this::step, 500, 1000, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    private void step() {
        if (agreed) {
            loop.shutdown();
            return;
        }
        NetworkContext.Membership m = context.require();
        String mine = m.descriptor().privacy().hash();
        try {
            for (NetworkDescriptor.Site s : m.sites()) {
                if (s.id().equals(m.siteId())) {
                    continue;
                }
                String theirs = new String(peers.call(s.id(), PeerRound.POLICY_HASH, "policy-" + System.nanoTime(),
                        new byte[0], CALL_TIMEOUT).payload(), StandardCharsets.UTF_8);
                if (!mine.equals(theirs)) {
                    LOG.warnf("site %s states privacy policy %s, this site %s: not ready", s.id(), theirs, mine);
                    return;
                }
            }
            agreed = true;
            LOG.infof("all %d sites state privacy policy %s", m.sites().size(), mine);
        } catch (RuntimeException e) {
            LOG.debugf("privacy policy not agreed yet: %s", e.getMessage());
        }
    }

    /** Peer request: the hash of the policy in this site's descriptor. */
    byte[] hash(SignedEnvelope request) {
        return context.require().descriptor().privacy().hash().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean ready() {
        return agreed;
    }

    @Override
    public Map<String, Object> data() {
        return Map.of("privacyPolicy", context.require().descriptor().privacy().hash());
    }
}
