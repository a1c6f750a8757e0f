package org.concilium.ui;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;

/** The ui_user table, used by the node (sign-in) and by {@code users add} alike. Blocking calls. */
public final class UiUserStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Pool pool;

    public UiUserStore(Pool pool) {
        this.pool = pool;
    }

    /** Adds the user, or replaces the role and password of the one with that name (a reset). */
    public void put(UiUser u) {
        pool.preparedQuery("INSERT INTO ui_user (name, role, password_hash) VALUES ($1, $2, $3)"
                + " ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash")
                .execute(Tuple.of(u.name(), u.role().label(), u.passwordHash())).await().atMost(TIMEOUT);
    }

    public boolean remove(String name) {
        return pool.preparedQuery("DELETE FROM ui_user WHERE name = $1").execute(Tuple.of(name)).await()
                .atMost(TIMEOUT).rowCount() == 1;
    }

    public Optional<UiUser> find(String name) {
        for (Row r : pool.preparedQuery("SELECT name, role, password_hash FROM ui_user WHERE name = $1")
                .execute(Tuple.of(name)).await().atMost(TIMEOUT)) {
            return UiRole.of(r.getString("role")).map(role -> new UiUser(r.getString("name"), role,
                    r.getString("password_hash")));
        }
        return Optional.empty();
    }
}
