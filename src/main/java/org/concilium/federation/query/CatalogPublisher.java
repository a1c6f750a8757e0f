package org.concilium.federation.query;

import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkQueryException;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Publishes Measure / Library / ValueSet / CodeSystem resources to every site of the network, under the same
 * ids, and checks every site stored the same content (same hash everywhere).
 */
@ApplicationScoped
public class CatalogPublisher {

    private static final Set<String> KNOWLEDGE = Set.of("Measure", "Library", "ValueSet", "CodeSystem");

    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    PeerClient peers;
    @Inject
    ResourceStore store;

    /** Entry node: sends the resources to every site; returns the content hash they all stored. */
    public String publish(Bundle bundle) {
        NetworkContext.Membership m = context.require();
        List<Resource> resources = knowledge(bundle);
        Bundle normalised = new Bundle().setType(Bundle.BundleType.COLLECTION);
        resources.forEach(r -> normalised.addEntry().setResource(r));
        byte[] payload = FhirJson.encode(normalised).getBytes(StandardCharsets.UTF_8);
        String publication = "publish-" + java.util.UUID.randomUUID();
        Map<String, String> hashes = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            try {
                hashes.put(s.id(), new String(peers.call(s.id(), PeerRound.PUBLISH, publication, payload,
                        config.siteTimeout()).payload(), StandardCharsets.UTF_8));
            } catch (PeerClient.PeerCallException e) {
                failed.add(s.id());
            }
        }
        if (!failed.isEmpty()) {
            throw new NetworkQueryException(503, "could not publish to " + failed, failed);
        }
        if (hashes.values().stream().distinct().count() != 1) {
            throw new NetworkQueryException(409, "sites stored different content: " + hashes, List.copyOf(hashes.keySet()));
        }
        return hashes.values().iterator().next();
    }

    /** Peer request: store the published resources here and return their content hash. */
    public byte[] apply(SignedEnvelope request) {
        Bundle bundle;
        try {
            bundle = FhirJson.parse(Bundle.class, new String(request.payload(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new PeerRefusal(400, "the publication is not a FHIR Bundle");
        }
        List<Resource> resources = knowledge(bundle);
        String hash = contentHash(resources);
        Multi.createFrom().iterable(resources).onItem()
                .transformToUniAndConcatenate(r -> store.inTransaction(w -> w.update(r.copy(), null)))
                .collect().asList().await().atMost(Duration.ofMinutes(2));
        return hash.getBytes(StandardCharsets.UTF_8);
    }

    /** Only knowledge artifacts, each with an id (derived from its url when missing), in a fixed order. */
    private static List<Resource> knowledge(Bundle bundle) {
        List<Resource> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            Resource r = e.getResource();
            if (r == null || !KNOWLEDGE.contains(r.fhirType())) {
                throw new PeerRefusal(422, "only Measure, Library and ValueSet can be published to the network");
            }
            if (r.getIdElement().getIdPart() == null) {
                String url = ((MetadataResource) r).getUrl();
                if (url == null) {
                    throw new PeerRefusal(422, r.fhirType() + " without id or url cannot be published");
                }
                r.setId(url.replaceAll(".*/", "").replaceAll("[^A-Za-z0-9\\-.]", "-"));
            }
            r.setId(r.getIdElement().getIdPart());
            r.setMeta(null);
            out.add(r);
        }
        out.sort(Comparator.comparing((Resource r) -> r.fhirType()).thenComparing(r -> r.getIdElement().getIdPart()));
        return out;
    }

    private static String contentHash(List<Resource> resources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Resource r : resources) {
                sha.update(FhirJson.encode(r).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
