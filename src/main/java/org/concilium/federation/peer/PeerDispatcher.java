package org.concilium.federation.peer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.federation.identity.SignedEnvelope;

/**
 * Routes each verified peer request to the protocol code that registered for its round and returns
 * the signed response. The peer layer knows no protocol: the key ceremony and the query protocol
 * register their handlers at start-up (before the peer server listens), so the dependencies point
 * one way, from the protocols to the transport.
 */
@ApplicationScoped
public class PeerDispatcher {

    /** Observer priority of the registrations: before the peer server starts listening. */
    public static final int REGISTRATION_PRIORITY = 10;

    private record Route(PeerHandler handler, boolean signsItsOwnAnswer) {
    }

    @Inject
    PeerClient peers;

    private final Map<PeerRound, Route> routes = new ConcurrentHashMap<>();

    /**
     * Registers the handler of a round. {@code signsItsOwnAnswer}: the handler returns a complete
     * signed envelope (stored once and re-sent as it is, e.g. contributions and shares); otherwise
     * it returns a payload that is signed here.
     */
    public void register(PeerRound round, PeerHandler handler, boolean signsItsOwnAnswer) {
        if (routes.putIfAbsent(round, new Route(handler, signsItsOwnAnswer)) != null) {
            throw new IllegalStateException("two handlers for peer round " + round);
        }
    }

    public byte[] dispatch(PeerRound round, SignedEnvelope request) {
        Route route = routes.get(round);
        if (route == null) {
            throw new PeerRefusal(404, "UNKNOWN_ROUND", "no handler for peer round " + round + " (yet)");
        }
        byte[] answer = route.handler().handle(request);
        return route.signsItsOwnAnswer() ? answer
                : peers.sign(request.header().sender(), round, request.header().queryId(), answer);
    }
}
