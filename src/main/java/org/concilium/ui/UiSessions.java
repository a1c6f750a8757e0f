package org.concilium.ui;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.security.Caller;

/**
 * Server-side sessions of the dashboard, in memory: the browser holds only a random 256-bit id in
 * an HttpOnly, SameSite=Strict cookie (scripts cannot read it, other sites cannot send it); the
 * role and its scopes stay here. A session lasts at most {@link #LIFETIME} and ends after
 * {@link #IDLE} without a request (a browser left signed in on a shared desk); a restart of the node
 * ends every session (people sign in again), as it ends every access token.
 */
@ApplicationScoped
public class UiSessions {

    public static final String COOKIE = "concilium_ui";
    /** The header a cookie-authenticated request must carry: a cross-site form cannot set it (CSRF). */
    public static final String HEADER = "X-Concilium-UI";
    public static final Duration LIFETIME = Duration.ofHours(8);
    public static final Duration IDLE = Duration.ofMinutes(30);
    private static final int LIMIT = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

    /** Opens a session for {@code user}; the id goes to the browser in the {@value #COOKIE} cookie. */
    public String open(UiUser user, Instant now) {
        if (sessions.size() >= LIMIT) {
            sessions.values().removeIf(e -> e.ended(now));
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(token, new Entry(new UiSession(user.name(), user.role(), now.plus(LIFETIME)), now));
        return token;
    }

    public Optional<UiSession> find(String id, Instant now) {
        if (id == null) {
            return Optional.empty();
        }
        Entry e = sessions.get(id);
        if (e == null) {
            return Optional.empty();
        }
        if (e.ended(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        sessions.replace(id, e, new Entry(e.session(), now.isAfter(e.lastUsed()) ? now : e.lastUsed()));
        return Optional.of(e.session());
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** A session and its last request. */
    private record Entry(UiSession session, Instant lastUsed) {
        boolean ended(Instant now) {
            return !session.expires().isAfter(now) || !lastUsed.plus(IDLE).isAfter(now);
        }
    }

    /** The caller a session stands for: its user (prefixed, so the privacy ledger tells people from clients) and scopes. */
    public static Caller caller(UiSession s) {
        return new Caller("ui:" + s.user(), s.role().scope());
    }
}
