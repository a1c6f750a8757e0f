package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * This node's own contributions to queries in flight, kept in memory after they are stored, so
 * that the reveal and the key-switch rounds do not read the 369 KB signed ciphertext back from
 * the database at every site in every query. Only what this node wrote itself is held: the
 * envelope and the commitment to it never change once stored, and the commitment set is added
 * only after this node stored it. A miss (another replica, a restart, an evicted entry) reads
 * the database as before; the database stays the record. Bounded: the oldest entries go first.
 */
@ApplicationScoped
public class OwnContributions {

    /** Queries a site holds in flight at once are few (the entry node queues the rest). */
    private static final int CAPACITY = 16;

    /** One contribution: {@code commitments} is null until this node stored the set it revealed against. */
    record Own(byte[] envelope, byte[] commitment, byte[] commitments) {
    }

    private final Map<String, Own> byQuery = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Own> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void stored(String queryId, byte[] envelope, byte[] commitment) {
        byQuery.put(queryId, new Own(envelope, commitment, null));
    }

    synchronized void revealed(String queryId, byte[] commitments) {
        Own own = byQuery.get(queryId);
        if (own != null) {
            byQuery.put(queryId, new Own(own.envelope(), own.commitment(), commitments));
        }
    }

    synchronized Optional<Own> get(String queryId) {
        return Optional.ofNullable(byQuery.get(queryId));
    }

    synchronized void forget(String queryId) {
        byQuery.remove(queryId);
    }
}
