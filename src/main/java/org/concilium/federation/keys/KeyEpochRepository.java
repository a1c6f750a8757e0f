package org.concilium.federation.keys;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.concilium.store.Transactions;

/**
 * The key epochs (Panache over {@code network_key}): one row per epoch, the ceremony's durable
 * state on it. Calls block; never on the event loop.
 */
@ApplicationScoped
public class KeyEpochRepository implements PanacheRepositoryBase<KeyEpoch, Long> {

    public Optional<KeyEpoch> epoch(long epoch) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(epoch)));
    }

    /** Stores a freshly generated share unless the epoch has one already; returns what is stored. */
    public KeyEpoch insertIfAbsent(KeyEpoch fresh) {
        // ON CONFLICT: two start-up paths racing for one epoch keep the first share, never two
        Transactions.inTransaction(() -> getSession().flatMap(s -> s.createNativeQuery("INSERT INTO network_key"
                + " (epoch, party_index, sealed_secret, ckg_share) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (epoch) DO NOTHING")
                .setParameter(1, fresh.epoch()).setParameter(2, fresh.partyIndex())
                .setParameter(3, fresh.sealedSecret()).setParameter(4, fresh.ckgShare()).executeUpdate()));
        return epoch(fresh.epoch()).orElseThrow();
    }

    /** Erases the key material (sealed secret share included) of every epoch before {@code epoch}. */
    public long eraseBefore(long epoch) {
        return Transactions.inTransaction(() -> delete("epoch < ?1", epoch));
    }

    /** See {@link KeyEpoch#pin}; false too when the epoch has no key row. */
    boolean pinCommitments(long epoch, byte[] fingerprint) {
        return Transactions.inTransaction(() -> findById(epoch, LockModeType.PESSIMISTIC_WRITE)
                .map(k -> k != null && k.pin(fingerprint)));
    }

    Optional<byte[]> revealedAgainst(long epoch) {
        return epoch(epoch).map(KeyEpoch::commitmentsRevealed);
    }

    Optional<byte[]> transcript(long epoch) {
        return epoch(epoch).map(KeyEpoch::transcript);
    }

    /** Stores the verified key with the transcript it was derived from, and the commitments, at once. */
    void agree(long epoch, byte[] key, String hash, byte[] commitments, byte[] transcript) {
        Transactions.inTransaction(() -> findById(epoch, LockModeType.PESSIMISTIC_WRITE).invoke(k -> {
            if (k != null) {
                k.agree(key, hash, commitments, transcript);
            }
        }));
    }
}
