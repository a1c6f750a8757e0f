package org.concilium.fhir.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.federation.status.PeerStatus;
import org.concilium.federation.status.PeerStatusBoard;
import org.concilium.fhir.RequestCaller;
import org.concilium.security.Caller;
import org.concilium.security.InsufficientScopeException;
import org.concilium.security.Interaction;
import org.concilium.security.Scope;

/**
 * {@code GET /ui/api/peers}: each other site of the network probed now (reachable, same key epoch,
 * collective key and privacy policy, last seen) for the dashboard's site page. Authenticated like
 * every API call (bearer token or dashboard session); allowed to a caller holding a network scope
 * or read access to this site's records, i.e. any querier, publisher or site staff — the same facts
 * the readiness check states in aggregate.
 */
@Path("/ui/api/peers")
public class PeerStatusResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RequestCaller caller;
    @Inject
    PeerStatusBoard board;

    @GET
    @Blocking
    public Response peers() throws JsonProcessingException {
        Caller c = caller.get();
        if (!(c.scope().hasNetwork(Scope.NETWORK_QUERY) || c.scope().hasNetwork(Scope.NETWORK_PUBLISH)
                || c.scope().permits("Measure", Interaction.READ))) {
            throw new InsufficientScopeException("the peers' status needs " + Scope.NETWORK_QUERY + " or read access to "
                    + "this site (system/Measure.r)");
        }
        List<Map<String, Object>> peers = new ArrayList<>();
        for (PeerStatus p : board.probe(Instant.now())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", p.site());
            m.put("ready", p.ready());
            m.put("reachable", p.reachable());
            m.put("sameEpoch", p.sameEpoch());
            m.put("sameKey", p.sameKey());
            m.put("samePolicy", p.samePolicy());
            m.put("latencyMillis", p.latencyMillis());
            m.put("lastSeen", p.lastSeen() == null ? null : p.lastSeen().toString());
            m.put("problem", p.problem());
            peers.add(m);
        }
        return Response.ok(JSON.writeValueAsString(Map.of("peers", peers)), MediaType.APPLICATION_JSON).build();
    }
}
