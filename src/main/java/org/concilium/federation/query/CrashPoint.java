package org.concilium.federation.query;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import org.concilium.federation.NetworkConfig;
import org.jboss.logging.Logger;

/**
 * Fault injection for crash tests: with {@code concilium.network.halt-at=STEP} the node dies
 * abruptly (no shutdown hooks, like SIGKILL) when it reaches that protocol step, so a test can
 * check that a node killed at any step recovers without a partial result or a second share.
 */
@ApplicationScoped
public class CrashPoint {

    private static final Logger LOG = Logger.getLogger(CrashPoint.class);

    /** Site: evaluated locally, contribution not yet saved. */
    public static final String CONTRIBUTE_EVALUATED = "contribute:evaluated";
    /** Site: key-switch share persisted, not yet sent. */
    public static final String KEYSWITCH_PERSISTED = "keyswitch:persisted";
    /** Entry node: every contribution received, key-switch round not yet started. */
    public static final String ENTRY_CONTRIBUTED = "entry:contributed";
    /** Entry node: every share received and the result decrypted in memory, no report saved or sent. */
    public static final String ENTRY_SWITCHED = "entry:switched";

    static final Set<String> STEPS = Set.of(CONTRIBUTE_EVALUATED, KEYSWITCH_PERSISTED, ENTRY_CONTRIBUTED, ENTRY_SWITCHED);

    @Inject
    NetworkConfig config;

    void onStart(@Observes StartupEvent event) {
        config.haltAt().ifPresent(step -> {
            // a misspelt step would silently never fire and make a crash test pass for the wrong reason
            if (!STEPS.contains(step)) {
                throw new IllegalStateException("concilium.network.halt-at: unknown step '" + step + "', one of " + STEPS);
            }
            LOG.warnf("crash test: this node will halt at protocol step %s", step);
        });
    }

    /** Halts the JVM with status 137 when {@code step} is the configured one. */
    public void reach(String step, String queryId) {
        if (config.haltAt().filter(step::equals).isPresent()) {
            // the test reads this line to learn which query was cut; a query id is no secret
            LOG.warnf("crash test: halting at %s of query %s", step, queryId);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
