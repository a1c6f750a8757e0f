package org.concilium.federation.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * This site's collective-key material for one epoch (table {@code network_key}, V2 and V20): the
 * secret share sealed under the KEK, the CKG share, and, once the ceremony agreed, the collective
 * key with the transcript it was derived from and the commitments the share was revealed against.
 */
@Entity
@Table(name = "network_key")
public class KeyEpoch {

    @Id
    private long epoch;
    @Column(name = "party_index")
    private int partyIndex;
    @Column(name = "sealed_secret")
    private byte[] sealedSecret;
    @Column(name = "ckg_share")
    private byte[] ckgShare;
    @Column(name = "collective_key")
    private byte[] collectiveKey;
    @Column(name = "key_hash")
    private String keyHash;
    @Column(name = "commitments_revealed")
    private byte[] commitmentsRevealed;
    private byte[] transcript;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected KeyEpoch() {
    }

    /** A freshly generated share, before any ceremony. */
    public KeyEpoch(long epoch, int partyIndex, byte[] sealedSecret, byte[] ckgShare) {
        this.epoch = epoch;
        this.partyIndex = partyIndex;
        this.sealedSecret = sealedSecret;
        this.ckgShare = ckgShare;
    }

    /**
     * Pins the commitments this site reveals its share against: true when they are the first or
     * the same as before, false when the epoch is pinned to others (the share is never revealed
     * against a second set).
     */
    boolean pin(byte[] commitments) {
        if (commitmentsRevealed != null && !Arrays.equals(commitmentsRevealed, commitments)) {
            return false;
        }
        commitmentsRevealed = commitments;
        return true;
    }

    /** The verified key, the transcript it was derived from and the commitments, at once. */
    void agree(byte[] key, String hash, byte[] commitments, byte[] verifiedTranscript) {
        collectiveKey = key;
        keyHash = hash;
        commitmentsRevealed = commitments;
        transcript = verifiedTranscript;
    }

    public long epoch() {
        return epoch;
    }

    public int partyIndex() {
        return partyIndex;
    }

    public byte[] sealedSecret() {
        return sealedSecret;
    }

    public byte[] ckgShare() {
        return ckgShare;
    }

    public byte[] collectiveKey() {
        return collectiveKey;
    }

    public String keyHash() {
        return keyHash;
    }

    byte[] commitmentsRevealed() {
        return commitmentsRevealed;
    }

    byte[] transcript() {
        return transcript;
    }
}
