package org.concilium.federation;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.concilium.store.Transactions;

/** The key-switch shares this site released (Panache over {@code keyswitch_share}). Calls block. */
@ApplicationScoped
public class KeySwitchShareRepository implements PanacheRepositoryBase<KeySwitchShare, String> {

    @Inject
    NetworkQueryRepository queries;

    /**
     * Persists the share before it is sent, and moves the query to SHARE_RELEASED, in one
     * transaction. Returns the share that is stored for the query: the given one, or the one
     * stored earlier (which the caller must re-send instead). The UNIQUE constraint on
     * {@code mask} refuses a share for a c1 released in another query: {@link SecondShareForMask}.
     */
    public byte[] saveShareOnce(String queryId, String ciphertextFingerprint, String mask, byte[] envelope) {
        try {
            return Transactions.inTransaction(() -> findById(queryId).flatMap(stored -> {
                Uni<KeySwitchShare> share = stored != null ? Uni.createFrom().item(stored)
                        : persist(new KeySwitchShare(queryId, ciphertextFingerprint, mask, envelope));
                return share.call(s -> queries.advance(queryId, QueryState.SHARE_RELEASED, null))
                        .call(s -> flush()).map(KeySwitchShare::envelope);
            }));
        } catch (RuntimeException e) {
            if (Transactions.isUniqueViolation(e, "keyswitch_share_mask_once")) {
                throw new SecondShareForMask(mask);
            }
            throw e;
        }
    }

    /** The query in which this site released a share for a sum with this c1 fingerprint, if any. */
    public Optional<String> shareForMask(String mask) {
        return Optional.ofNullable(Transactions.inSession(() -> find("mask", mask).<KeySwitchShare>firstResult()))
                .map(KeySwitchShare::queryId);
    }

    /** The share released for a query, with the fingerprint of the ciphertext it is for. */
    public Optional<KeySwitchShare> share(String queryId) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(queryId)));
    }

    /**
     * The c1 ("mask") fingerprints of every sum this site released a share for: what seeds the
     * one-share guard ({@code KeySwitchParty} compares c1, the part the secret multiplies).
     */
    public List<String> sharedCiphertexts() {
        return Transactions.inSession(() -> getSession().flatMap(s -> s.createSelectionQuery(
                "select mask from KeySwitchShare where mask is not null", String.class).getResultList()));
    }
}
