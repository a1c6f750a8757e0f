package org.concilium.fhir;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused with a 413
 * OperationOutcome before a byte of it is read (Quarkus itself enforces the same limit on
 * chunked bodies, with a bare 413).
 */
@ApplicationScoped
public class BodySizeLimit {

    @jakarta.inject.Inject
    EarlyRefusal refusals;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        long max = maxBodySize.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String length = rc.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? 0 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced <= max && announced >= 0) {
                rc.next();
                return;
            }
            int status = announced < 0 ? 400 : 413;
            String message = announced < 0 ? "the Content-Length header is not a number"
                    : "the body is " + announced + " bytes; this node accepts at most " + max;
            refusals.refuse(rc, status, status == 413 ? IssueType.TOOLONG : IssueType.INVALID, message);
        });
    }
}
