package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * How many {@code $validate} calls run at once, in all and per client. A validation holds a core for
 * seconds and type level needs no resource scope, so without a bound N token holders keep N cores
 * busy (red-team finding); without a share per client, one client holding every slot would turn
 * every other client away. A caller beyond either bound gets 429 with Retry-After at once instead of
 * queueing behind them.
 */
@ApplicationScoped
public class ValidationSlots {

    @ConfigProperty(name = "concilium.fhir.validate.max-concurrent", defaultValue = "2")
    int max;
    @ConfigProperty(name = "concilium.fhir.validate.max-concurrent-per-client", defaultValue = "1")
    int maxPerClient;
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

    ValidationSlots() {
    }

    ValidationSlots(int max, int maxPerClient) {
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    /** Takes a slot for {@code client} or throws the 429; the caller must {@link #release} it when the validation ends. */
    void acquire(String client) {
        boolean[] taken = {false};
        perClient.compute(client, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerClient) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        if (!taken[0]) {
            throw busy("this client is validating " + maxPerClient
                    + " resources already (concilium.fhir.validate.max-concurrent-per-client): retry later");
        }
        // compare-and-set, not increment-then-undo: the count never exceeds the bound, even for a moment
        int held;
        do {
            held = running.get();
            if (held >= max) {
                releaseClient(client);
                throw busy("the node is validating " + max + " resources already (concilium.fhir.validate.max-concurrent):"
                        + " retry later");
            }
        } while (!running.compareAndSet(held, held + 1));
    }

    void release(String client) {
        running.decrementAndGet();
        releaseClient(client);
    }

    /** Slots held now, in all (for tests). */
    int running() {
        return running.get();
    }

    /** Clients holding a slot now (for tests: no entry outlives its validations). */
    int clients() {
        return perClient.size();
    }

    private void releaseClient(String client) {
        perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static FhirException busy(String message) {
        return new FhirException(429, IssueType.THROTTLED, message, null);
    }
}
