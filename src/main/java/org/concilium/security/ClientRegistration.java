package org.concilium.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Instant;

/** A client the site's administrator registered: its id, public keys and the most it may be granted. */
public record ClientRegistration(String clientId, JWKSet publicKeys, ScopeSet scope, Instant registeredAt) {

    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    public ClientRegistration {
        if (clientId == null || !clientId.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("a client id is 1-128 letters, digits, '.', '_', ':' or '-'");
        }
    }
}
