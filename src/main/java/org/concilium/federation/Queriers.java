package org.concilium.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who is asking the network: bearer tokens checked against the SHA-256 hashes in the queriers
 * file (tokens themselves are never stored). Without a file the network is open and every querier
 * is "anonymous", sharing one DP budget.
 */
@ApplicationScoped
public class Queriers {

    public static final String ANONYMOUS = "anonymous";

    private final Map<String, String> nameByTokenHash = new HashMap<>();
    private final boolean required;

    /** A request without a valid token where one is required: 401. */
    public static class NotAuthenticatedException extends RuntimeException {
        public NotAuthenticatedException(String message) {
            super(message);
        }
    }

    @Inject
    public Queriers(NetworkConfig config) {
        required = config.queriersFile().filter(f -> !f.isBlank()).isPresent();
        if (required) {
            try {
                for (String line : Files.readAllLines(Path.of(config.queriersFile().get()))) {
                    String l = line.trim();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int colon = l.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalStateException("queriers file lines are name:sha256-hex, got '" + l + "'");
                    }
                    nameByTokenHash.put(l.substring(colon + 1).toLowerCase(), l.substring(0, colon));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the queriers file", e);
            }
        }
    }

    /** The querier's name for an Authorization header value (may be null). */
    public String identify(String authorization) {
        if (!required) {
            return ANONYMOUS;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthenticatedException("this network requires a querier token (Authorization: Bearer ...)");
        }
        String name = nameByTokenHash.get(sha256(authorization.substring(7).trim()));
        if (name == null) {
            throw new NotAuthenticatedException("unknown querier token");
        }
        return name;
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
