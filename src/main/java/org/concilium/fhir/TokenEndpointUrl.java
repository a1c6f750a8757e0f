package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token endpoint's URL, which client assertions must name as their audience. Set
 * {@code concilium.security.token-url} to the public URL in production (behind a proxy, or so that
 * the Host header a caller sends cannot choose the audience); unset, it is the URL the request reached.
 */
@ApplicationScoped
public class TokenEndpointUrl {

    @ConfigProperty(name = "concilium.security.token-url")
    Optional<String> configured;

    public String of(UriInfo uri) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get();
        }
        String base = uri.getBaseUri().toString();
        return (base.endsWith("/") ? base : base + "/") + "auth/token";
    }

    List<String> accepted(UriInfo uri) {
        return List.of(of(uri));
    }
}
