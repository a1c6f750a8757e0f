package org.concilium.federation.keys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.LengthPrefixed;
import org.concilium.federation.peer.PeerRound;

/**
 * One signed envelope per member, as the coordinator forwards them: the list's framing, and the
 * check that each is signed by a member under its pinned certificate, bound to this ceremony and
 * round, and that every member appears exactly once.
 */
final class MemberEnvelopes {

    /** More envelopes than any network has members is malformed. */
    static final int MAX_MEMBERS = 1000;

    private MemberEnvelopes() {
    }

    static void write(DataOutputStream out, List<byte[]> envelopes) throws IOException {
        out.writeInt(envelopes.size());
        for (byte[] e : envelopes) {
            LengthPrefixed.write(out, e);
        }
    }

    static List<byte[]> read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_MEMBERS) {
            throw new IOException("bad envelope count " + n);
        }
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(LengthPrefixed.read(in));
        }
        return out;
    }

    /**
     * The payload of each member's envelope, in descriptor order. Every deviation is added to
     * {@code refusal}; a member without an envelope is reported as {@code whenMissing}.
     */
    static Map<String, byte[]> verify(List<byte[]> envelopes, CeremonyBinding binding, PeerRound round,
            NetworkDescriptor descriptor, CeremonyAttack whenMissing, CeremonyRefusal refusal) {
        Map<String, byte[]> bySite = new HashMap<>();
        for (byte[] wire : envelopes) {
            SignedEnvelope e;
            try {
                e = SignedEnvelope.decode(wire);
            } catch (PeerProtocolException ex) {
                throw CeremonyRefusal.malformed(round.path() + " envelope: " + ex.getMessage());
            }
            String sender = e.header().sender();
            if (descriptor.site(sender).isEmpty()) {
                refusal.add(CeremonyAttack.NOT_A_MEMBER, round.path() + " signed by " + sender);
                continue;
            }
            if (!binding.binds(e.header(), round)) {
                refusal.add(CeremonyAttack.WRONG_BINDING, round.path() + " of " + sender + " is bound to "
                        + e.header().networkId() + "/" + e.header().epoch() + "/" + e.header().queryId() + "/"
                        + e.header().round());
                continue;
            }
            if (!e.isSignedBy(descriptor.certificate(sender))) {
                refusal.add(CeremonyAttack.BAD_SIGNATURE, round.path() + " of " + sender);
                continue;
            }
            if (bySite.putIfAbsent(sender, e.payload()) != null) {
                refusal.add(CeremonyAttack.INCOMPLETE_CEREMONY, sender + " appears twice among the " + round.path()
                        + " messages");
            }
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String site : descriptor.siteIds()) {
            byte[] payload = bySite.get(site);
            if (payload == null) {
                refusal.add(whenMissing, "no " + round.path() + " of " + site);
            } else {
                ordered.put(site, payload);
            }
        }
        return ordered;
    }
}
