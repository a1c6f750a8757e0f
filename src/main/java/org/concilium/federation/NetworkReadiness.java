package org.concilium.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.federation.keys.CollectiveKeys;
import org.concilium.federation.keys.KeyCeremony;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means: no network configured, or the collective key is held and agreed by every site. The
 * data names the key epoch and, once held, the collective public key's fingerprint.
 */
@Readiness
@ApplicationScoped
public class NetworkReadiness implements HealthCheck {

    @Inject
    NetworkContext context;
    @Inject
    KeyCeremony ceremony;
    @Inject
    CollectiveKeys keys;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("Concilium network");
        if (!context.enabled()) {
            return b.up().withData("network", "none (this node serves /fhir only)").build();
        }
        b.status(ceremony.ready()).withData("network", context.require().networkId())
                .withData("site", context.require().siteId()).withData("keyEpoch", context.require().epoch());
        // the public key's fingerprint: lets operators (and tests) see that every site holds the
        // same collective key and that a new epoch rotated it
        keys.keyHash().ifPresent(hash -> b.withData("collectiveKey", hash));
        return b.build();
    }
}
