package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Idempotency keys of transactions (table {@code transaction_receipt}). A transaction that carries
 * a key first claims it inside its own database transaction: the first claim inserts the row, a
 * concurrent one waits on the primary key until the first commits (then finds it) or rolls back
 * (then claims it itself). So a key's writes land at most once, and exactly when its receipt does.
 */
public final class TransactionReceipts {

    /** The Bundle.identifier system whose value is a transaction's idempotency key. */
    public static final String SYSTEM = "http://concilium.org/fhir/NamingSystem/transaction-key";
    /** The meta.tag code of an answer given from a receipt: the transaction had already been applied. */
    public static final String REPLAYED = "replayed";
    /** Longer keys are refused (a SHA-256 in hex is 64). */
    public static final int MAX_KEY_LENGTH = 256;

    private TransactionReceipts() {
    }

    /** True when this transaction holds the key now; false when a committed transaction already applied it. */
    public static Uni<Boolean> claim(ResourceWriter w, String key) {
        return w.connection().preparedQuery("INSERT INTO transaction_receipt (idempotency_key) VALUES ($1)"
                + " ON CONFLICT (idempotency_key) DO NOTHING").execute(Tuple.of(key)).map(r -> r.rowCount() == 1);
    }

    /** Stores the answer given the first time, with the writes it describes. */
    public static Uni<Void> record(ResourceWriter w, String key, String response) {
        return w.connection().preparedQuery("UPDATE transaction_receipt SET response = $2 WHERE idempotency_key = $1")
                .execute(Tuple.of(key, response)).replaceWithVoid();
    }

    /** The answer the first transaction with this key gave. */
    public static Uni<String> response(ResourceWriter w, String key) {
        return w.connection().preparedQuery("SELECT response FROM transaction_receipt WHERE idempotency_key = $1")
                .execute(Tuple.of(key)).map(rows -> rows.iterator().next().getString(0));
    }
}
