package org.concilium.security.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.concilium.security.AccessTokens;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.Interaction;
import org.concilium.security.ScopeSet;
import org.concilium.security.TokenKeyRing;
import org.concilium.security.client.ClientKey;

/**
 * What checking a bearer token costs a request: parse + ES384 verify + scope cut (cold), and the
 * cached path every later request with the same token takes (warm), then the scope check itself.
 * Prints one JSON line; microseconds per verification, median of several timed batches.
 */
public final class TokenVerificationBench {

    private TokenVerificationBench() {
    }

    public static void main(String... args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ClientRegistration client = new ClientRegistration("bench-client",
                ClientKeys.parse(ClientKey.generate().publicJwks()),
                ScopeSet.parseStrict("system/*.cruds concilium/network.query"), Instant.now());
        Map<String, ClientRegistration> registry = Map.of(client.clientId(), client);
        AccessTokens tokens = new AccessTokens(id -> Optional.ofNullable(registry.get(id)),
                TokenKeyRing.inMemory(TokenKeyRing.generate()));
        Instant now = Instant.now();
        String token = tokens.issue(client.clientId(), ScopeSet.parseStrict("system/*.rs system/Patient.c"), now);
        double cold = time(Math.max(50, n / 500), () -> tokens.verify(token, now, false).require("Observation", Interaction.SEARCH));
        double warm = time(n, () -> tokens.verify(token, now, true).require("Observation", Interaction.SEARCH));
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"token-verification\",\"uncachedMicros\":%.2f,"
                + "\"cachedMicros\":%.2f,\"goalMicros\":50,\"iterations\":%d,\"java\":\"%s\"}%n", cold, warm, n,
                System.getProperty("java.version"));
    }

    /** Median over 7 batches (after 2 warm-up batches) of the mean microseconds per call. */
    private static double time(int perBatch, Runnable r) {
        double[] batches = new double[9];
        for (int b = 0; b < batches.length; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                r.run();
            }
            batches[b] = (System.nanoTime() - t0) / 1e3 / perBatch;
        }
        double[] timed = java.util.Arrays.copyOfRange(batches, 2, batches.length);
        java.util.Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
