package org.concilium.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means: no network configured, or every {@link ReadinessCondition} holds — the collective key
 * is held and agreed by every site, and every site states the same privacy policy. The data name
 * the key epoch, the collective public key's fingerprint and the policy's hash.
 */
@Readiness
@ApplicationScoped
public class NetworkReadiness implements HealthCheck {

    @Inject
    NetworkContext context;
    @Inject
    @Any
    Instance<ReadinessCondition> conditions;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("Concilium network");
        if (!context.enabled()) {
            return b.up().withData("network", "none (this node serves /fhir only)").build();
        }
        boolean ready = true;
        b.withData("network", context.require().networkId()).withData("site", context.require().siteId())
                .withData("keyEpoch", context.require().epoch());
        for (ReadinessCondition c : conditions) {
            ready &= c.ready();
            c.data().forEach((k, v) -> {
                if (v instanceof Number n) {
                    b.withData(k, n.longValue());
                } else if (v instanceof Boolean t) {
                    b.withData(k, t);
                } else {
                    b.withData(k, String.valueOf(v));
                }
            });
        }
        return b.status(ready).build();
    }
}
