package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * How many {@code $validate} calls run at once. A validation holds a core for seconds and type level
 * needs no resource scope, so without a bound N token holders keep N cores busy; a caller beyond the
 * bound gets 429 with Retry-After at once instead of queueing behind them (red-team finding).
 */
@ApplicationScoped
public class ValidationSlots {

    @ConfigProperty(name = "concilium.fhir.validate.max-concurrent", defaultValue = "2")
    int max;
    private final AtomicInteger running = new AtomicInteger();

    /** Takes a slot or throws the 429; the caller must {@link #release()} it when the validation ends. */
    void acquire() {
        if (running.incrementAndGet() > max) {
            running.decrementAndGet();
            throw new FhirException(429, IssueType.THROTTLED, "the node is validating " + max
                    + " resources already (concilium.fhir.validate.max-concurrent): retry later", null);
        }
    }

    void release() {
        running.decrementAndGet();
    }
}
