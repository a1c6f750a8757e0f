package org.concilium.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.security.KeyEncryptionKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this node is in its network: the descriptor, its own identity and party index, the
 * key-encryption key and the crypto parameters. Absent when the node runs on its own.
 */
@ApplicationScoped
public class NetworkContext {

    private final Optional<Membership> membership;

    /** This node as a member of one network. */
    public record Membership(NetworkDescriptor descriptor, SiteIdentity identity, SecretKey kek, Parameters params) {

        public String siteId() {
            return identity.siteId();
        }

        public String networkId() {
            return descriptor.networkId();
        }

        public long epoch() {
            return descriptor.keyEpoch();
        }

        public List<NetworkDescriptor.Site> sites() {
            return descriptor.sites();
        }

        /** Party index = position in the descriptor's site order, the same on every node. */
        public int partyIndex(String siteId) {
            List<NetworkDescriptor.Site> s = descriptor.sites();
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i).id().equals(siteId)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(siteId + " is not a member of " + networkId());
        }

        /** The site that coordinates the key ceremony: the first in the descriptor. */
        public boolean isCoordinator() {
            return descriptor.sites().get(0).id().equals(siteId());
        }

        /** Seed of the common reference polynomial: bound to network id and key epoch. */
        public byte[] crpSeed() {
            return ("concilium-ckg|" + networkId() + "|" + epoch()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Inject
    public NetworkContext(NetworkConfig config, @ConfigProperty(name = "concilium.site.id") String siteId) {
        this.membership = config.descriptor().filter(d -> !d.isBlank()).map(d -> load(config, siteId, Path.of(d)));
    }

    private static Membership load(NetworkConfig config, String siteId, Path descriptorPath) {
        NetworkDescriptor descriptor = NetworkDescriptor.read(descriptorPath);
        SiteIdentity identity = SiteIdentity.readFrom(Path.of(config.identityDir()));
        if (!identity.siteId().equals(siteId)) {
            throw new IllegalStateException("identity in " + config.identityDir() + " is " + identity.siteId()
                    + " but concilium.site.id is " + siteId);
        }
        if (descriptor.site(siteId).isEmpty()) {
            throw new IllegalStateException(siteId + " is not in the network descriptor " + descriptorPath);
        }
        if (!descriptor.certificate(siteId).equals(identity.certificate())) {
            throw new IllegalStateException("the descriptor pins another certificate for " + siteId);
        }
        return new Membership(descriptor, identity, KeyEncryptionKey.read(Path.of(config.kekFile())),
                NamedParameters.DEFAULT.parameters());
    }

    public Optional<Membership> membership() {
        return membership;
    }

    public boolean enabled() {
        return membership.isPresent();
    }

    public Membership require() {
        return membership.orElseThrow(() -> new NetworkUnavailableException("this node is not part of a network"));
    }
}
