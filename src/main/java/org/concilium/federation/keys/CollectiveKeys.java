package org.concilium.federation.keys;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.KeySwitchShareRepository;
import org.concilium.federation.ReplicaLeases;
import org.concilium.federation.NetworkUnavailableException;
import org.concilium.federation.SiteReplica;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.KeySwitchParty;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SealedSecretKey;
import org.concilium.mhe.rlwe.SecretKeyShare;
import org.jboss.logging.Logger;

/**
 * This site's part of the collective key for the current epoch: its sealed secret share and CKG
 * share (generated once, stored), and the collective public key once the ceremony is done. The
 * secret share is only ever opened into the {@link KeySwitchParty} that guards one share per
 * ciphertext.
 */
@ApplicationScoped
public class CollectiveKeys {

    private static final Logger LOG = Logger.getLogger(CollectiveKeys.class);

    @Inject
    NetworkContext context;
    @Inject
    KeySwitchShareRepository shares;
    @Inject
    KeyEpochRepository keys;
    @Inject
    SiteReplica replica;
    @Inject
    ReplicaLeases leases;

    private volatile PublicKey collectiveKey;
    private volatile String keyHash;
    private volatile KeySwitchParty party;

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        int aborted = leases.abortOrphans(replica.id());
        if (aborted > 0) {
            LOG.warnf("%d network queries were in flight at the last stop (of this replica, or of one whose lease"
                    + " lapsed) and are now ABORTED", aborted);
        }
        NetworkContext.Membership m = context.require();
        KeyEpoch row = keys.epoch(m.epoch()).orElseGet(() -> generate(m));
        if (row.collectiveKey() != null) {
            collectiveKey = PublicKey.fromBytes(m.params(), row.collectiveKey());
            keyHash = row.keyHash();
        }
    }

    /**
     * Picks up the collective key another replica of this site agreed (the coordinator's transcript
     * reached only one of them); a no-op once the key is known.
     */
    public void refresh() {
        if (collectiveKey != null || !context.enabled()) {
            return;
        }
        NetworkContext.Membership m = context.require();
        keys.epoch(m.epoch()).filter(row -> row.collectiveKey() != null).ifPresent(row -> {
            synchronized (this) {
                if (collectiveKey == null) {
                    keyHash = row.keyHash();
                    collectiveKey = PublicKey.fromBytes(m.params(), row.collectiveKey());
                }
            }
        });
    }

    private KeyEpoch generate(NetworkContext.Membership m) {
        int index = m.partyIndex(m.siteId());
        SecretKeyShare secret = SecretKeyShare.generate(m.params(), index);
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(m.params(), m.sites().size());
        CkgShare share = ckg.genShare(secret, ckg.sampleCrp(m.crpSeed()));
        byte[] sealed = SealedSecretKey.seal(secret, m.kek(), associatedData(m));
        LOG.infof("generated the secret-key share of %s for epoch %d (sealed at rest)", m.siteId(), m.epoch());
        return keys.insertIfAbsent(new KeyEpoch(m.epoch(), index, sealed, share.toBytes()));
    }

    /** Binds the sealed share to this site, network and epoch. */
    private static byte[] associatedData(NetworkContext.Membership m) {
        return ("concilium-sk|" + m.networkId() + "|" + m.epoch() + "|" + m.siteId()).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] ckgShare() {
        NetworkContext.Membership m = context.require();
        return keys.epoch(m.epoch()).orElseThrow().ckgShare();
    }

    /**
     * Records the collective key, already verified against {@code transcript} (whose commitments
     * have the fingerprint {@code commitments}), with the transcript, in one statement.
     */
    synchronized void accept(PublicKey key, byte[] commitments, byte[] transcript) {
        NetworkContext.Membership m = context.require();
        String hash = key.fingerprint().hex();
        keys.agree(m.epoch(), key.toBytes(), hash, commitments, transcript);
        collectiveKey = key;
        keyHash = hash;
        LOG.infof("collective public key of %s epoch %d: %s", m.networkId(), m.epoch(), hash);
    }

    public Optional<PublicKey> collectiveKey() {
        return Optional.ofNullable(collectiveKey);
    }

    public PublicKey requireCollectiveKey() {
        PublicKey k = collectiveKey;
        if (k == null) {
            throw new NetworkUnavailableException("the network's collective key is not established yet");
        }
        return k;
    }

    public Optional<String> keyHash() {
        return Optional.ofNullable(keyHash);
    }

    /** The guard around this site's secret share; seeded with every ciphertext already shared. */
    public synchronized KeySwitchParty party() {
        if (party == null) {
            NetworkContext.Membership m = context.require();
            KeyEpoch row = keys.epoch(m.epoch()).orElseThrow();
            SecretKeyShare secret = SealedSecretKey.open(m.params(), row.sealedSecret(), m.kek(), associatedData(m));
            var shared = shares.sharedCiphertexts().stream().map(h -> Fingerprint.fromBytes(HexFormat.of().parseHex(h)))
                    .toList();
            party = new KeySwitchParty(secret, shared);
        }
        return party;
    }
}
