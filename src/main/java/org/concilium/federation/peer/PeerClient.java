package org.concilium.federation.peer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;

/**
 * Sends signed requests to other sites over mutual TLS and checks their signed responses are
 * bound to the same network, epoch, query and round and signed by the site asked.
 */
@ApplicationScoped
public class PeerClient {

    private final SecureRandom random = new SecureRandom();
    private volatile HttpClient http;

    @Inject
    NetworkContext context;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    /** Why a call to a site failed; the query code turns it into 503/504/422. */
    public static class PeerCallException extends RuntimeException {
        public enum Kind { UNREACHABLE, TIMEOUT, REFUSED, BAD_RESPONSE }

        private final Kind kind;
        private final String site;
        private final int status;

        public PeerCallException(Kind kind, String site, String message) {
            this(kind, site, message, 0);
        }

        public PeerCallException(Kind kind, String site, String message, int status) {
            super(message);
            this.kind = kind;
            this.site = site;
            this.status = status;
        }

        /** The refusing site's HTTP status (0 when it did not answer). */
        public int status() {
            return status;
        }

        public Kind kind() {
            return kind;
        }

        public String site() {
            return site;
        }
    }

    /** Signs {@code payload} for {@code site}, sends it, and returns the verified response envelope. */
    public SignedEnvelope call(String site, PeerRound round, String queryId, byte[] payload, Duration timeout) {
        return send(site, round, queryId, sign(site, round, queryId, payload), timeout);
    }

    /** Sends an already signed request (a retry re-sends the same bytes). */
    public SignedEnvelope send(String site, PeerRound round, String queryId, byte[] signedRequest, Duration timeout) {
        NetworkContext.Membership m = context.require();
        String url = m.descriptor().site(site).orElseThrow().peerUrl().replaceAll("/+$", "") + "/peer/" + round.path();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(signedRequest)).build();
        HttpResponse<byte[]> resp;
        // the request timeout ends when the headers arrive; a site sending its body byte by byte would hold
        // the query past it. So the whole exchange has one deadline, and cancelling aborts its connection.
        CompletableFuture<HttpResponse<byte[]>> exchange = client(m).sendAsync(req,
                BoundedBody.upTo(SignedEnvelope.MAX_ENCODED));
        try {
            resp = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new PeerCallException(PeerCallException.Kind.TIMEOUT, site, site + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            if (BoundedBody.causedBy(e)) {
                throw new PeerCallException(PeerCallException.Kind.BAD_RESPONSE, site, site
                        + " sent a response longer than any envelope");
            }
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new PeerCallException(PeerCallException.Kind.TIMEOUT, site, site + " did not answer within "
                        + timeout);
            }
            throw new PeerCallException(PeerCallException.Kind.UNREACHABLE, site, site + " is unreachable");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new PeerCallException(PeerCallException.Kind.UNREACHABLE, site, "interrupted");
        }
        count(site, "sent", signedRequest.length);
        count(site, "received", resp.body().length);
        if (resp.statusCode() != 200) {
            // only a category and a correlation id cross sites; still, never echo more than a line of it
            String reason = new String(resp.body(), 0, Math.min(resp.body().length, 160),
                    java.nio.charset.StandardCharsets.UTF_8).replaceAll("[^A-Za-z0-9_,() .:-]", "?");
            throw new PeerCallException(PeerCallException.Kind.REFUSED, site, site + " refused: " + reason,
                    resp.statusCode());
        }
        try {
            SignedEnvelope answer = SignedEnvelope.decode(resp.body());
            EnvelopeHeader h = answer.header();
            if (!h.sender().equals(site) || !h.queryId().equals(queryId) || h.round() != round.number()
                    || !h.networkId().equals(m.networkId()) || h.epoch() != m.epoch()) {
                throw new PeerProtocolException(PeerProtocolException.Reason.MALFORMED, "response not bound to this request");
            }
            answer.verify(m.descriptor().certificate(site));
            return answer;
        } catch (PeerProtocolException e) {
            throw new PeerCallException(PeerCallException.Kind.BAD_RESPONSE, site, site + " sent a bad response: "
                    + e.getMessage());
        }
    }

    /** Peer traffic in bytes, by peer and direction (what the network costs per site per query). */
    private void count(String site, String direction, long bytes) {
        metrics.counter("concilium.peer.bytes", "peer", site, "direction", direction).increment(bytes);
    }

    /** A signed envelope from this site to {@code recipient} (null = every site). */
    public byte[] sign(String recipient, PeerRound round, String queryId, byte[] payload) {
        NetworkContext.Membership m = context.require();
        EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, round.number(), m.siteId(), recipient,
                random.nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, m.identity()).encode();
    }

    private HttpClient client(NetworkContext.Membership m) {
        if (http == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().sslContext(PeerTls.clientContext(m))
                            .connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
                }
            }
        }
        return http;
    }
}
