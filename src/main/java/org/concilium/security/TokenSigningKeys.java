package org.concilium.security;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The site's access-token keys, shared by all replicas of the site through the database (table
 * {@code auth_signing_key}): a token issued by one replica verifies on the others and after a
 * restart. The first node to start creates the key. Rotation: once the newest key is older than
 * {@code concilium.security.token-key-rotation} (30 days), a new key is published and only starts
 * signing {@value #PUBLISH_AHEAD_MINUTES} minutes later, after every replica has reloaded the key set
 * (every {@value #RELOAD_MINUTES} minutes), so no replica meets a kid it does not know; the old key
 * verifies until a day after it stopped signing, then it is deleted. A kid this node does not know
 * triggers a background reload (at most every 10 s) as a safety net.
 */
@ApplicationScoped
public class TokenSigningKeys implements TokenKeyRing {

    static final long PUBLISH_AHEAD_MINUTES = 10;
    static final long RELOAD_MINUTES = 5;
    private static final Duration PUBLISH_AHEAD = Duration.ofMinutes(PUBLISH_AHEAD_MINUTES);
    private static final Duration RETAIN = Duration.ofDays(1);
    private static final Logger LOG = Logger.getLogger(TokenSigningKeys.class);

    /** What this node knows now: the key that signs and every live public key. */
    private record State(ECKey signing, Map<String, ECKey> verification) {
    }

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    KeyEncryptionKey kek;
    @ConfigProperty(name = "concilium.security.token-key-rotation", defaultValue = "P30D")
    Duration rotation;

    private volatile State state;
    private final AtomicLong lastUnknownKidReload = new AtomicLong();
    private long timer = -1;

    void onStart(@Observes @Priority(20) StartupEvent event) {
        refresh(Instant.now()); // fails the start when this node's KEK does not open the site's key
        timer = vertx.setPeriodic(Duration.ofMinutes(RELOAD_MINUTES).toMillis(), id -> refreshInBackground());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    @Override
    public ECKey signingKey() {
        return current().signing();
    }

    @Override
    public Optional<ECKey> verificationKey(String kid) {
        ECKey k = current().verification().get(kid);
        if (k == null) {
            long now = System.currentTimeMillis();
            long last = lastUnknownKidReload.get();
            if (now - last > 10_000 && lastUnknownKidReload.compareAndSet(last, now)) {
                refreshInBackground(); // another replica may have rotated; this request is refused anyway
            }
        }
        return Optional.ofNullable(k);
    }

    /** The public keys (JWKS) of every live token key: what /auth/jwks publishes. */
    public JWKSet publicKeys() {
        return new JWKSet(List.copyOf(current().verification().values()));
    }

    /** Creates a key that signs from now on (a forced rotation); the older keys keep verifying. */
    public String rotateNow() {
        Instant now = Instant.now();
        ECKey fresh = TokenKeyRing.generate();
        new SigningKeyStore(pool).add(stored(fresh, now.minus(PUBLISH_AHEAD)));
        load(now);
        return fresh.getKeyID();
    }

    /** Creates the first key, publishes a successor when the newest is due, then reads the key set. */
    synchronized void refresh(Instant now) {
        new SigningKeyStore(pool).addUnlessNewer(now.minus(rotation), () -> stored(TokenKeyRing.generate(), now),
                now.minus(RETAIN));
        load(now);
    }

    private synchronized void load(Instant now) {
        List<SigningKeyStore.StoredKey> rows = new SigningKeyStore(pool).all();
        Map<String, ECKey> verification = new LinkedHashMap<>();
        SigningKeyStore.StoredKey signer = rows.get(0);
        for (SigningKeyStore.StoredKey r : rows) {
            try {
                verification.put(r.kid(), ECKey.parse(r.publicJwk()));
            } catch (ParseException e) {
                throw new IllegalStateException("stored token key " + r.kid() + " is not a public JWK", e);
            }
            if (!r.created().isAfter(now.minus(PUBLISH_AHEAD))) {
                signer = r; // the newest key that every replica has had time to learn
            }
        }
        State s = state;
        ECKey signing = s != null && s.signing().getKeyID().equals(signer.kid()) ? s.signing()
                : SealedSigningKey.open(signer.kid(), signer.sealedPrivate(), kek.key());
        state = new State(signing, Map.copyOf(verification));
    }

    private State current() {
        State s = state;
        if (s == null) {
            throw new IllegalStateException("the token keys are not loaded yet");
        }
        return s;
    }

    private SigningKeyStore.StoredKey stored(ECKey key, Instant created) {
        return new SigningKeyStore.StoredKey(key.getKeyID(), key.toPublicJWK().toJSONString(),
                SealedSigningKey.seal(key, kek.key()), created);
    }

    private void refreshInBackground() {
        vertx.executeBlocking(() -> {
            refresh(Instant.now());
            return null;
        }).subscribe().with(x -> { }, e -> LOG.errorf("token key reload failed: %s (the last loaded keys stay in use;"
                + " check that every replica of the site uses the same key-encryption key %s)", e.getMessage(),
                kek.file()));
    }
}
