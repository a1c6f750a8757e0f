package org.concilium.federation.status;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.keys.CollectiveKeys;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRound;

/**
 * Probes every peer with the two read-only readiness rounds (key hash, policy hash), in parallel,
 * and remembers when each last answered. A probe younger than {@link #REUSE} is answered from
 * memory, so a page reloaded in a loop cannot make this site flood its peers.
 */
@ApplicationScoped
public class PeerStatusBoard {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Duration REUSE = Duration.ofSeconds(5);

    @Inject
    NetworkContext context;
    @Inject
    PeerClient peers;
    @Inject
    CollectiveKeys keys;

    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private volatile List<PeerStatus> last = List.of();
    private volatile Instant lastProbe = Instant.EPOCH;

    /** Every other site of the network, probed now (or at most {@link #REUSE} ago); empty without a network. */
    public synchronized List<PeerStatus> probe(Instant now) {
        if (!context.enabled()) {
            return List.of();
        }
        if (Duration.between(lastProbe, now).compareTo(REUSE) < 0) {
            return last;
        }
        NetworkContext.Membership m = context.require();
        String myKey = keys.keyHash().orElse("");
        String myPolicy = m.descriptor().privacy().hash();
        List<Future<PeerStatus>> calls = new ArrayList<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            if (!s.id().equals(m.siteId())) {
                calls.add(probes.submit(() -> probe(s.id(), myKey, myPolicy)));
            }
        }
        List<PeerStatus> out = new ArrayList<>();
        for (Future<PeerStatus> f : calls) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        last = List.copyOf(out);
        lastProbe = now;
        return last;
    }

    private PeerStatus probe(String site, String myKey, String myPolicy) {
        long t0 = System.nanoTime();
        try {
            String key = text(peers.call(site, PeerRound.KEY_HASH, "status-" + System.nanoTime(), new byte[0], TIMEOUT)
                    .payload());
            String policy = text(peers.call(site, PeerRound.POLICY_HASH, "status-" + System.nanoTime(), new byte[0],
                    TIMEOUT).payload());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Instant seen = Instant.now();
            lastSeen.put(site, seen);
            boolean sameKey = !myKey.isEmpty() && myKey.equals(key);
            boolean samePolicy = myPolicy.equals(policy);
            String problem = key.isEmpty() ? "holds no collective key yet (key ceremony not finished)"
                    : !sameKey ? "holds another collective key than this site"
                    : !samePolicy ? "states another privacy policy than this site" : null;
            return new PeerStatus(site, true, true, sameKey, samePolicy, ms, seen, problem);
        } catch (PeerClient.PeerCallException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            boolean reachable = e.kind() == PeerClient.PeerCallException.Kind.REFUSED
                    || e.kind() == PeerClient.PeerCallException.Kind.BAD_RESPONSE;
            // a refused or unbound answer: the peer is up but not at this network's epoch (or not trusting us)
            return new PeerStatus(site, reachable, false, false, false, ms, lastSeen.get(site), e.getMessage());
        }
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
