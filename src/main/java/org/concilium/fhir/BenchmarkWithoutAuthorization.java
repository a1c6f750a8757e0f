package org.concilium.fhir;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.concilium.security.Caller;
import org.concilium.security.ScopeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code concilium.security.benchmark-without-authorization=true}: no bearer token is checked and
 * nothing is audited, so that {@code bench fhir --auth on,off} can measure what authorization and
 * audit cost, with one build, side by side. Exists for that benchmark only: the node refuses to
 * start with it unless every listener is bound to loopback, and says so loudly in its log.
 */
@ApplicationScoped
public class BenchmarkWithoutAuthorization {

    static final Caller CALLER = new Caller("benchmark-without-authorization",
            ScopeSet.parseStrict("system/*.cruds concilium/network.query concilium/network.publish"));
    private static final Logger LOG = Logger.getLogger(BenchmarkWithoutAuthorization.class);

    private final boolean active;

    public BenchmarkWithoutAuthorization(
            @ConfigProperty(name = "concilium.security.benchmark-without-authorization", defaultValue = "false")
            boolean active, @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1") String host,
            @ConfigProperty(name = "concilium.network-api.port") Optional<Integer> networkPort,
            @ConfigProperty(name = "concilium.network-api.host", defaultValue = "127.0.0.1") String networkHost) {
        if (active && (!loopback(host) || networkPort.isPresent() && !loopback(networkHost))) {
            throw new IllegalStateException("concilium.security.benchmark-without-authorization is for benchmarks on"
                    + " loopback only; this node listens on " + host + (networkPort.isPresent() ? " and " + networkHost
                    : ""));
        }
        this.active = active;
    }

    void warn(@Observes StartupEvent event) {
        if (active) {
            LOG.warn("AUTHORIZATION AND AUDIT ARE OFF (concilium.security.benchmark-without-authorization):"
                    + " every loopback caller may read and write everything; for benchmarks only");
        }
    }

    public boolean active() {
        return active;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
