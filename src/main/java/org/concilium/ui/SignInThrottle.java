package org.concilium.ui;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lockout after repeated failed sign-ins (docs/ui.md): {@value #MAX_PER_USER} failures for one name,
 * or {@value #MAX_PER_SOURCE} from one source address (whatever names it tries), within
 * {@link #WINDOW} lock that name / that source for {@link #LOCK}. While locked, sign-in is refused
 * before the password is even hashed, the right password included. Names are counted whether or not
 * they exist, so a lockout tells nothing about who has an account. In memory, like the sessions: a
 * restart forgets it (the PBKDF2 cost still limits guessing to a few tries a second per core).
 */
@ApplicationScoped
public class SignInThrottle {

    public static final int MAX_PER_USER = 5;
    public static final int MAX_PER_SOURCE = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final Duration LOCK = Duration.ofMinutes(15);
    /** Bounds the memory an attacker can make us use with random names. */
    private static final int LIMIT = 100_000;

    /** What a failure did: how many failures are now counted, and the lock it caused (if any). */
    public record Outcome(int failures, int limit, Optional<Instant> lockedUntil) {
    }

    private final Map<String, Counter> users = new ConcurrentHashMap<>();
    private final Map<String, Counter> sources = new ConcurrentHashMap<>();

    /** Until when sign-in for {@code user} from {@code source} is refused, if it is now. */
    public Optional<Instant> lockedUntil(String user, String source, Instant now) {
        Instant a = lock(users.get(user), now);
        Instant b = lock(sources.get(source), now);
        Instant until = a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
        return Optional.ofNullable(until);
    }

    /** Counts a failed sign-in; the name's count is what the outcome reports. */
    public Outcome failed(String user, String source, Instant now) {
        prune(now);
        Instant userLock = users.computeIfAbsent(user, k -> new Counter()).fail(now, MAX_PER_USER);
        Instant sourceLock = sources.computeIfAbsent(source, k -> new Counter()).fail(now, MAX_PER_SOURCE);
        Instant until = userLock != null ? userLock : sourceLock;
        return new Outcome(users.get(user).recent(now), MAX_PER_USER, Optional.ofNullable(until));
    }

    /** A successful sign-in clears the name's failures (not the source's: one right password does not excuse guessing). */
    public void succeeded(String user) {
        users.remove(user);
    }

    /** Forgets every failure and lock (for operators after an incident, and for tests). */
    public void clear() {
        users.clear();
        sources.clear();
    }

    private static Instant lock(Counter c, Instant now) {
        return c == null ? null : c.lockedUntil(now);
    }

    private void prune(Instant now) {
        if (users.size() + sources.size() < LIMIT) {
            return;
        }
        users.values().removeIf(c -> c.idle(now));
        sources.values().removeIf(c -> c.idle(now));
    }

    /** Failure times within the window and the lock they caused. */
    private static final class Counter {
        private final Deque<Instant> failures = new ArrayDeque<>();
        private Instant lockedUntil;

        synchronized Instant fail(Instant now, int max) {
            expire(now);
            failures.addLast(now);
            if (failures.size() >= max && (lockedUntil == null || !lockedUntil.isAfter(now))) {
                lockedUntil = now.plus(LOCK);
                failures.clear(); // after the lock, a fresh window
            }
            return lockedUntil != null && lockedUntil.isAfter(now) ? lockedUntil : null;
        }

        synchronized int recent(Instant now) {
            expire(now);
            return failures.size();
        }

        synchronized Instant lockedUntil(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now) ? lockedUntil : null;
        }

        synchronized boolean idle(Instant now) {
            expire(now);
            return failures.isEmpty() && lockedUntil(now) == null;
        }

        private void expire(Instant now) {
            while (!failures.isEmpty() && !failures.peekFirst().isAfter(now.minus(WINDOW))) {
                failures.removeFirst();
            }
        }
    }
}
