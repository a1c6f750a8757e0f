package org.concilium.federation.identity;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ReplayStore} for tests and single-process use; forget a query's entries once it has finished. */
public final class InMemoryReplayStore implements ReplayStore {
    private record Key(String sender, String queryId, int round, long nonce) {}

    private final Set<Key> seen = ConcurrentHashMap.newKeySet();

    @Override
    public boolean recordIfNew(String sender, String queryId, int round, long nonce) {
        return seen.add(new Key(sender, queryId, round, nonce));
    }

    public void forgetQuery(String queryId) {
        seen.removeIf(k -> k.queryId().equals(queryId));
    }

    public int size() {
        return seen.size();
    }
}
