package org.concilium.federation.identity;

/**
 * Remembers which (sender, query, round, nonce) messages were accepted. A persistent implementation (store layer)
 * keeps replays out across restarts; entries of a finished query may be dropped once the query is DONE/ABORTED,
 * because messages of a finished query are refused by the query state machine anyway.
 */
public interface ReplayStore {
    /** Records the key and returns true, or returns false if it was already recorded. Must be atomic. */
    boolean recordIfNew(String sender, String queryId, int round, long nonce);
}
