package org.concilium.federation.peer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.PeerReplayLog;
import org.concilium.federation.identity.EnvelopeVerifier;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;
import org.jboss.logging.Logger;

/**
 * The node-to-node endpoint: {@code POST /peer/<round>} on its own port, mutual TLS with only the
 * descriptor's pinned certificates trusted, binary signed envelopes in and out. It is a separate
 * server from the FHIR one, so queriers can never reach it.
 */
@ApplicationScoped
public class PeerServer {

    private static final Logger LOG = Logger.getLogger(PeerServer.class);

    @Inject
    Vertx vertx;
    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    PeerReplayLog replays;
    @Inject
    PeerDispatcher dispatcher;

    private HttpServer server;

    void start(@Observes StartupEvent event) throws Exception {
        if (!context.enabled()) {
            return;
        }
        NetworkContext.Membership m = context.require();
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(PeerTls.pkcs12(PeerTls.keyStore(m))))
                        .setPassword(new String(PeerTls.STORE_PASSWORD)))
                .setTrustOptions(new PfxOptions().setValue(Buffer.buffer(PeerTls.pkcs12(PeerTls.trustStore(m))))
                        .setPassword(new String(PeerTls.STORE_PASSWORD)))
                .setMaxFormAttributeSize(-1).setHost("0.0.0.0").setPort(config.peerPort())
                // a member's connection that carries nothing (no request, or a request never finished) is closed
                .setIdleTimeout((int) config.peerIdleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        EnvelopeVerifier verifier = new EnvelopeVerifier(m.descriptor(), m.siteId(), replays);
        server = vertx.createHttpServer(options).requestHandler(req -> handle(req, verifier, m));
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("peer endpoint for %s listening on port %d (mutual TLS)", m.siteId(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpServerRequest req, EnvelopeVerifier verifier, NetworkContext.Membership m) {
        String path = req.path();
        PeerRound round = path.startsWith("/peer/") ? PeerRound.byPath(path.substring(6)) : null;
        if (round == null || req.method() != io.vertx.core.http.HttpMethod.POST) {
            req.response().setStatusCode(404).end("unknown peer endpoint");
            return;
        }
        // who the TLS client is, read now: by the time a worker checks it the connection may be gone
        Certificate client = tlsClient(req);
        PeerBody.read(vertx, req, config.peerBodyTimeout()).onSuccess(body -> vertx.<byte[]>executeBlocking(() -> {
            SignedEnvelope request = verifier.open(body.getBytes(), header -> {
                requireTlsPeerIsSender(client, header.sender(), m);
                if (header.round() != round.number()) {
                    throw new PeerProtocolException(PeerProtocolException.Reason.MALFORMED,
                            "envelope round " + header.round() + " posted to " + round.path());
                }
            });
            return dispatcher.dispatch(round, request);
        }, false).onComplete(result -> {
            if (result.succeeded()) {
                req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(result.result()));
            } else {
                PeerError error = PeerError.of(result.cause());
                if (error.status() == 500) {
                    LOG.errorf(result.cause(), "peer request %s failed [%s]", round.path(), error.correlationId());
                } else {
                    LOG.infof("peer request %s from %s refused [%s] %s: %s", round.path(), senderOf(body),
                            error.correlationId(), error.category(), result.cause().getMessage());
                }
                req.response().setStatusCode(error.status()).putHeader("Content-Type", "text/plain")
                        .end(error.wireText());
            }
        })).onFailure(e -> {
            PeerError error = PeerError.of(e);
            LOG.infof("peer request %s refused before its body was read [%s] %s: %s", round.path(),
                    error.correlationId(), error.category(), e.getMessage());
            PeerBody.refuse(req, error.status(), error.wireText());
        });
    }

    /** For the log line only: the claimed sender of a body that may not even be an envelope. */
    private static String senderOf(Buffer body) {
        try {
            return SignedEnvelope.decode(body.getBytes()).header().sender();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** The certificate the TLS client presented, or null (no TLS session left, or none presented). */
    private static Certificate tlsClient(HttpServerRequest req) {
        javax.net.ssl.SSLSession tls = req.connection().sslSession();
        if (tls == null) { // only once the connection is closed: the server takes TLS only
            return null;
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return chain.length == 0 ? null : chain[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The TLS client certificate must be the pinned certificate of the envelope's sender. */
    private static void requireTlsPeerIsSender(Certificate client, String sender, NetworkContext.Membership m) {
        if (client == null) {
            throw new PeerRefusal(403, "TLS_CLIENT_MISMATCH", "no TLS client certificate");
        }
        if (!client.equals(m.descriptor().certificate(sender))) {
            throw new PeerRefusal(403, "TLS_CLIENT_MISMATCH", "TLS client is not " + sender);
        }
    }
}
