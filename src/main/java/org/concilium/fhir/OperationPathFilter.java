package org.concilium.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Routes {@code /fhir/%24export} like {@code /fhir/$export}: the router matches the raw path, and
 * some clients (RestAssured, some SDKs) percent-encode the '$' of an operation name.
 */
public class OperationPathFilter {

    @ServerRequestFilter(preMatching = true)
    public void decodeOperationNames(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String raw = uri.getRawPath();
        if (raw != null && raw.contains("%24")) {
            String query = uri.getRawQuery();
            request.setRequestUri(URI.create(raw.replace("%24", "$") + (query == null ? "" : "?" + query)));
        }
    }
}
