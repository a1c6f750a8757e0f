package org.concilium.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The registered clients as this node sees them: read at start-up, and again whenever
 * {@code clients add|remove} announces a change on the database (LISTEN/NOTIFY), so a removal
 * takes effect at once even while the node runs; a periodic reload covers a lost notification.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final Logger LOG = Logger.getLogger(ClientRegistry.class);
    private static final long RELOAD_EVERY_MS = 30_000;

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private volatile Map<String, ClientRegistration> clients = Map.of();
    private PgSubscriber subscriber;
    private long timer = -1;

    void onStart(@Observes @Priority(20) StartupEvent event) {
        reload();
        // credentials may be in the URL (CloudNativePG's uri) or configured apart
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(ClientStore.CHANNEL).handler(payload -> reloadInBackground());
        subscriber.connect().subscribe().with(x -> { }, e -> LOG.warnf("no LISTEN on %s (%s); the client registry"
                + " reloads every %d s", ClientStore.CHANNEL, e.getMessage(), RELOAD_EVERY_MS / 1000));
        timer = vertx.setPeriodic(RELOAD_EVERY_MS, id -> reloadInBackground());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    public ClientStore store() {
        return new ClientStore(pool);
    }

    public Optional<ClientRegistration> get(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    /** The registration as stored now (read from the database, so a client added a moment ago is found). */
    public Optional<ClientRegistration> fresh(String clientId) {
        Optional<ClientRegistration> c = store().find(clientId);
        Map<String, ClientRegistration> next = new ConcurrentHashMap<>(clients);
        c.ifPresentOrElse(r -> {
            if (!sameAs(clients.get(clientId), r)) {
                next.put(clientId, r);
                clients = Map.copyOf(next);
            }
        }, () -> {
            if (next.remove(clientId) != null) {
                clients = Map.copyOf(next);
            }
        });
        return c.map(r -> clients.getOrDefault(clientId, r));
    }

    public synchronized void reload() {
        Map<String, ClientRegistration> next = new ConcurrentHashMap<>();
        for (ClientRegistration r : store().list()) {
            ClientRegistration old = clients.get(r.clientId());
            next.put(r.clientId(), sameAs(old, r) ? old : r);
        }
        clients = Map.copyOf(next);
    }

    private void reloadInBackground() {
        vertx.executeBlocking(() -> {
            reload();
            return null;
        }).subscribe().with(x -> { }, e -> LOG.warnf("client registry reload failed: %s", e.getMessage()));
    }

    /** Same keys and scopes: keep the old object, so tokens' cached scope cuts stay valid. */
    private static boolean sameAs(ClientRegistration a, ClientRegistration b) {
        return a != null && a.scope().equals(b.scope()) && a.publicKeys().toString().equals(b.publicKeys().toString())
                && a.registeredAt().equals(b.registeredAt());
    }

    /** Forgets jtis whose assertions have expired (they would be refused as expired anyway). */
    public void purgeExpiredAssertions(Instant now) {
        store().purgeExpiredAssertions(now);
    }
}
