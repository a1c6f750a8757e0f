package org.concilium.mhe.multiparty;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * One party's secret-key share together with the set of ciphertexts it has already released a
 * key-switch share for. Each further share of the same ciphertext gives an observer another
 * independently smudged view of the same secret-dependent noise; averaging them erodes the
 * smudging (Lattigo SECURITY.md). So this object produces at most one CKS or PCKS share per
 * ciphertext, and throws on any further request. The guard is keyed by {@link
 * Ciphertext#maskFingerprint()} (the c1 part, which is what the secret multiplies), so a
 * ciphertext with the same c1 and a modified c0 is refused too.
 *
 * <p><b>Retries:</b> persist the bytes of the first share ({@code share.toBytes()}) before sending
 * it, and on retry re-send those stored bytes; never call genShare again. After a restart, build
 * the party with {@link #KeySwitchParty(SecretKeyShare, Collection)} from the persisted
 * fingerprints so the guard survives. A new attempt needs new ciphertexts (a new query).
 */
public final class KeySwitchParty {
    private final SecretKeyShare secret;
    private final Set<Fingerprint> released = new HashSet<>();
    private final RandomSource random = RandomSource.secure();

    public KeySwitchParty(SecretKeyShare secret) {
        this(secret, Set.of());
    }

    /**
     * Restores the guard from the mask fingerprints ({@link Ciphertext#maskFingerprint()}) of
     * ciphertexts already shared, as persisted by the caller from {@link #sharedCiphertexts()}.
     */
    public KeySwitchParty(SecretKeyShare secret, Collection<Fingerprint> alreadyShared) {
        this.secret = secret;
        this.released.addAll(alreadyShared);
    }

    public int partyIndex() {
        return secret.partyIndex();
    }

    /** Mask fingerprints of every ciphertext this party has released a share for (persist them). */
    public synchronized Set<Fingerprint> sharedCiphertexts() {
        return Set.copyOf(released);
    }

    public synchronized boolean hasShared(Ciphertext ct) {
        return released.contains(ct.maskFingerprint());
    }

    /**
     * The CKS (collective decryption) share for {@code ct}.
     *
     * @throws IllegalStateException if a share for this ciphertext was already produced
     */
    public CksShare genCksShare(Ciphertext ct) {
        claim(ct);
        return CollectiveKeySwitch.computeShare(secret, ct, random);
    }

    /**
     * The PCKS share switching {@code ct} towards {@code target}.
     *
     * @throws IllegalStateException if a share for this ciphertext was already produced (for any target)
     */
    public PcksShare genPcksShare(Ciphertext ct, PublicKey target) {
        if (!target.parameters().equals(ct.parameters())) {
            throw new IllegalArgumentException("target key under other parameters");
        }
        claim(ct);
        return PublicKeySwitch.computeShare(secret, ct, target, random);
    }

    private synchronized void claim(Ciphertext ct) {
        if (!ct.parameters().equals(secret.parameters())) {
            throw new IllegalArgumentException("ciphertext under other parameters");
        }
        if (!released.add(ct.maskFingerprint())) {
            throw new IllegalStateException("party " + secret.partyIndex() + " already released a share for ciphertext "
                    + ct.fingerprint() + " (or one with the same c1); re-send the persisted share instead");
        }
    }

    @Override
    public String toString() {
        return "KeySwitchParty[party=" + secret.partyIndex() + ", shared=" + released.size() + "]";
    }
}
