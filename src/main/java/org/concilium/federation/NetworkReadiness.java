package org.concilium.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.federation.keys.KeyCeremony;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready means: no network configured, or the collective key is held and agreed by every site. */
@Readiness
@ApplicationScoped
public class NetworkReadiness implements HealthCheck {

    @Inject
    NetworkContext context;
    @Inject
    KeyCeremony ceremony;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("Concilium network");
        if (!context.enabled()) {
            return b.up().withData("network", "none (this node serves /fhir only)").build();
        }
        return b.status(ceremony.ready()).withData("network", context.require().networkId())
                .withData("site", context.require().siteId()).build();
    }
}
