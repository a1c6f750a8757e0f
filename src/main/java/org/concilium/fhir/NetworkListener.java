package org.concilium.fhir;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The network API on a listener of its own (docs/security.md, "Listeners"): when
 * {@code concilium.network-api.port} is set, {@code /network/fhir} (with the token endpoint and
 * JWKS its queriers need, and health) is served on that host and port only, and the site listener
 * ({@code quarkus.http.host}/{@code port}: /fhir, /auth, /ui) answers 404 for it. Both listeners
 * run the same routes, filters and authorization; each one refuses the other's paths before any of
 * them runs. Unset (the default), everything is on the one loopback listener.
 */
@ApplicationScoped
public class NetworkListener {

    private static final Logger LOG = Logger.getLogger(NetworkListener.class);

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "concilium.network-api.port")
    Optional<Integer> port;
    @ConfigProperty(name = "concilium.network-api.host", defaultValue = "127.0.0.1")
    String host;

    private Router router;
    private HttpServer server;
    private volatile int actualPort = -1;

    /** Quarkus hands over its router (the one the site listener serves) before the HTTP server starts. */
    void routes(@Observes Router router) {
        this.router = router;
        if (port.isPresent()) {
            router.route().order(Integer.MIN_VALUE).handler(this::separate);
        }
    }

    void start(@Observes @Priority(30) StartupEvent event) throws Exception {
        if (port.isEmpty()) {
            return;
        }
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port.get()))
                .requestHandler(router);
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        actualPort = server.actualPort();
        LOG.infof("network API (/network/fhir) listening on %s:%d; the site listener no longer serves it", host,
                actualPort);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The network listener's port (-1 when the network API shares the site listener). */
    public int port() {
        return actualPort;
    }

    private void separate(RoutingContext ctx) {
        boolean onNetworkListener = actualPort > 0 && ctx.request().localAddress() != null
                && ctx.request().localAddress().port() == actualPort;
        String path = ctx.normalizedPath();
        boolean networkPath = path.equals("/network/fhir") || path.startsWith("/network/");
        boolean shared = path.equals("/auth/token") || path.equals("/auth/jwks") || path.startsWith("/q/health");
        if (shared || networkPath == onNetworkListener) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "application/fhir+json")
                    .end("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"not-found\","
                            + "\"diagnostics\":\"no such endpoint on this listener\"}]}");
        }
    }
}
