package org.concilium.fhir;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.concilium.security.TokenSigningKeys;

/**
 * {@code GET /auth/jwks} (public): the public keys this site's access tokens are signed with, by
 * kid, so that anything that must check one of our tokens (another replica behind a different
 * deployment, an API gateway) can do so without a shared secret. Never a private part.
 */
@Path("/auth/jwks")
public class TokenKeysResource {

    @Inject
    TokenSigningKeys keys;

    @GET
    public Response jwks() {
        return Response.ok(keys.publicKeys().toString(true), "application/jwk-set+json")
                .header("Cache-Control", "max-age=60").build();
    }
}
