package org.concilium.federation.peer;

import java.util.UUID;
import org.concilium.federation.identity.PeerProtocolException;

/**
 * What a site tells another site about a request it did not answer: an HTTP status, a category
 * and a correlation id, nothing else. The detail (which can quote CQL / FHIRPath exception text,
 * and through it a patient's values) is logged at the refusing site under the correlation id.
 */
record PeerError(int status, String category, String correlationId) {

    static PeerError of(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 13);
        if (e instanceof PeerRefusal r) {
            return new PeerError(r.status(), r.category(), id);
        }
        if (e instanceof PeerProtocolException p) {
            return new PeerError(400, p.reason().name(), id);
        }
        if (e instanceof org.concilium.layout.LayoutException) {
            return new PeerError(422, "LAYOUT_REFUSED", id);
        }
        if (e instanceof org.concilium.measure.MeasureEvaluationException) {
            return new PeerError(422, "EVALUATION_FAILED", id);
        }
        return new PeerError(500, "INTERNAL", id);
    }

    /** The response body: {@code CATEGORY (correlation ID)}. */
    String wireText() {
        return category + " (correlation " + correlationId + ")";
    }
}
