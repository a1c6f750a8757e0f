package org.concilium.fhir;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Query parameters and conditional headers are checked as FHIR text before any handler sees them. */
public class RequestTextFilter {

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        TextRules.check(request.getUriInfo().getQueryParameters(), "a query parameter");
        TextRules.requireText(request.getUriInfo().getPath(), "the request path");
        for (String header : new String[] {"If-None-Exist", "If-Match", "If-None-Match", "Prefer"}) {
            TextRules.requireText(request.getHeaderString(header), "the " + header + " header");
        }
    }
}
