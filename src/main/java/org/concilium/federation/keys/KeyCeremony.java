package org.concilium.federation.keys;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkStore;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.LengthPrefixed;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.Crp;
import org.concilium.mhe.rlwe.PublicKey;
import org.jboss.logging.Logger;

/**
 * Collective public key generation (CKG) over the peer channel. The first site in the
 * descriptor collects every site's share, aggregates them and sends the key together with all
 * shares; each site re-derives the key from the shares (its own included) before accepting it.
 * Then every site keeps checking that all peers report the same key hash: until they do, the
 * node is not ready.
 */
@ApplicationScoped
public class KeyCeremony {

    private static final Logger LOG = Logger.getLogger(KeyCeremony.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    @Inject
    NetworkContext context;
    @Inject
    CollectiveKeys keys;
    @Inject
    PeerClient peers;
    @Inject
    NetworkStore store;

    private volatile boolean agreed;
    private ScheduledExecutorService loop;

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "key-ceremony"));
        loop.scheduleWithFixedDelay(this::step, 500, 1000, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    /** True once this node holds the collective key and every peer reported the same hash. */
    public boolean ready() {
        return agreed;
    }

    private void step() {
        try {
            NetworkContext.Membership m = context.require();
            if (keys.collectiveKey().isEmpty()) {
                if (m.isCoordinator()) {
                    coordinate(m);
                }
                return;
            }
            if (!agreed) {
                agreed = allPeersAgree(m);
                if (agreed) {
                    LOG.infof("all %d sites hold collective key %s", m.sites().size(), keys.keyHash().orElse(""));
                    // once the new epoch's key is agreed, older secret shares only add to what a breach exposes
                    int erased = store.eraseKeysBefore(m.epoch());
                    if (erased > 0) {
                        LOG.infof("erased the key shares of %d earlier epoch(s)", erased);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("key ceremony not complete yet: %s", e.getMessage());
        }
    }

    private void coordinate(NetworkContext.Membership m) {
        String ceremony = ceremonyId(m);
        Map<String, byte[]> shares = new LinkedHashMap<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            byte[] share = s.id().equals(m.siteId()) ? keys.ckgShare()
                    : peers.call(s.id(), PeerRound.CKG_SHARE, ceremony, new byte[0], CALL_TIMEOUT).payload();
            shares.put(s.id(), share);
        }
        PublicKey key = combine(m, shares);
        byte[] result = encodeResult(shares, key.toBytes());
        for (NetworkDescriptor.Site s : m.sites()) {
            if (!s.id().equals(m.siteId())) {
                peers.call(s.id(), PeerRound.CKG_RESULT, ceremony, result, CALL_TIMEOUT);
            }
        }
        keys.accept(key);
    }

    /** Peer request: this site's CKG share. */
    public byte[] shareFor(SignedEnvelope request) {
        requireCeremony(request);
        return keys.ckgShare();
    }

    /** Peer request: the coordinator's result, verified against every share before it is accepted. */
    public byte[] result(SignedEnvelope request) {
        NetworkContext.Membership m = requireCeremony(request);
        if (!request.header().sender().equals(m.sites().get(0).id())) {
            throw new PeerRefusal(403, "only the coordinator " + m.sites().get(0).id() + " sends the key");
        }
        Map<String, byte[]> shares = new LinkedHashMap<>();
        byte[] key = decodeResult(request.payload(), shares);
        if (!Arrays.equals(shares.get(m.siteId()), keys.ckgShare())) {
            throw new PeerRefusal(422, "the collective key does not include this site's share");
        }
        PublicKey derived = combine(m, shares);
        if (!Arrays.equals(derived.toBytes(), key)) {
            throw new PeerRefusal(422, "the collective key is not the aggregate of the shares sent with it");
        }
        if (keys.collectiveKey().isPresent() && !keys.collectiveKey().get().equals(derived)) {
            throw new PeerRefusal(409, "a different collective key is already established for this epoch");
        }
        keys.accept(derived);
        return keys.keyHash().orElseThrow().getBytes(StandardCharsets.UTF_8);
    }

    /** Peer request: the hash of the collective key this site holds (empty before the ceremony). */
    public byte[] hash(SignedEnvelope request) {
        return keys.keyHash().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    private boolean allPeersAgree(NetworkContext.Membership m) {
        String mine = keys.keyHash().orElseThrow();
        for (NetworkDescriptor.Site s : m.sites()) {
            if (s.id().equals(m.siteId())) {
                continue;
            }
            String theirs = new String(peers.call(s.id(), PeerRound.KEY_HASH, "keyhash-" + System.nanoTime(),
                    new byte[0], CALL_TIMEOUT).payload(), StandardCharsets.UTF_8);
            if (!mine.equals(theirs)) {
                return false;
            }
        }
        return true;
    }

    private static PublicKey combine(NetworkContext.Membership m, Map<String, byte[]> shares) {
        if (shares.size() != m.sites().size() || !shares.keySet().containsAll(m.sites().stream()
                .map(NetworkDescriptor.Site::id).toList())) {
            throw new PeerRefusal(422, "the ceremony needs exactly one share from every site");
        }
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(m.params(), m.sites().size());
        Crp crp = ckg.sampleCrp(m.crpSeed());
        List<CkgShare> parsed = new ArrayList<>();
        shares.values().forEach(b -> parsed.add(CkgShare.fromBytes(m.params(), b)));
        return ckg.finalize(ckg.aggregate(parsed), crp);
    }

    private NetworkContext.Membership requireCeremony(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        if (!request.header().queryId().equals(ceremonyId(m))) {
            throw new PeerRefusal(409, "not this epoch's key ceremony");
        }
        return m;
    }

    private static String ceremonyId(NetworkContext.Membership m) {
        return "ckg-epoch-" + m.epoch();
    }

    private static byte[] encodeResult(Map<String, byte[]> shares, byte[] key) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(shares.size());
            for (var e : shares.entrySet()) {
                out.writeUTF(e.getKey());
                LengthPrefixed.write(out, e.getValue());
            }
            LengthPrefixed.write(out, key);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeResult(byte[] payload, Map<String, byte[]> shares) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int n = in.readInt();
            if (n < 1 || n > 1000) {
                throw new PeerRefusal(400, "bad share count " + n);
            }
            for (int i = 0; i < n; i++) {
                String site = in.readUTF();
                shares.put(site, LengthPrefixed.read(in));
            }
            byte[] key = LengthPrefixed.read(in);
            if (in.available() != 0) {
                throw new PeerRefusal(400, "trailing bytes after the collective key");
            }
            return key;
        } catch (IOException e) {
            throw new PeerRefusal(400, "malformed key ceremony result");
        }
    }
}
