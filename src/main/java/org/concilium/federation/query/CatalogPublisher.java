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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkQueryException;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.measure.MeasureService;
import org.concilium.measure.PackageCheck;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

/**
 * Publishes Measure / Library / ValueSet / CodeSystem resources to every site of the network, under the same
 * ids, in two phases so that a package some site cannot evaluate never reaches a query:
 * <ol>
 *   <li><b>check</b> ({@code publish-check}): every site compiles the package's CQL over its own
 *       stored knowledge, checks criteria, FHIRPath and value sets, and answers its content hash and
 *       its problems. Any problem, or any site that does not answer, ends the publication: nothing
 *       was stored anywhere (422 naming each site and problem; 503 naming the unreachable sites).</li>
 *   <li><b>activate</b> ({@code publish}): every site stores the package and hands the logic it
 *       compiled at the check to its evaluator, so the first query finds it compiled. A site checks
 *       again first when it holds no passed check of this content (it restarted in between, or the
 *       publisher skipped phase one), and refuses if that fails.</li>
 * </ol>
 * A site unreachable during activation after every site passed the check leaves the network split
 * between the old and the new package: the publisher gets 503 naming it, and repeating the same
 * publication (idempotent, same hash) completes it. docs/network-protocol.md has the argument.
 */
@ApplicationScoped
public class CatalogPublisher {

    private static final Logger LOG = Logger.getLogger(CatalogPublisher.class);
    private static final Set<String> KNOWLEDGE = Set.of("Measure", "Library", "ValueSet", "CodeSystem");
    /** The tag on an activation Bundle that asks a site not to keep the compiled logic (the before/after bench). */
    static final String NO_WARM_UP = "no-warm-up";
    static final String TAG_SYSTEM = "http://concilium.org/fhir/CodeSystem/publication";
    /** Passed checks kept for their activation, by content hash (a handful; the rest is checked again). */
    private static final int PENDING = 8;

    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    PeerClient peers;
    @Inject
    ResourceStore store;
    @Inject
    MeasureService measures;

    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, PackageCheck> pending = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PackageCheck> eldest) {
                    return size() > PENDING;
                }
            });

    /** Entry node: checks the package at every site, then activates it at every site; returns the content hash. */
    public String publish(Bundle bundle) {
        return publish(bundle, true);
    }

    /** {@code warmUp} false: the sites store the package but drop the logic compiled at the check (bench only). */
    public String publish(Bundle bundle, boolean warmUp) {
        NetworkContext.Membership m = context.require();
        List<Resource> resources = knowledge(bundle);
        Bundle normalised = new Bundle().setType(Bundle.BundleType.COLLECTION);
        resources.forEach(r -> normalised.addEntry().setResource(r));
        byte[] payload = FhirJson.encode(normalised).getBytes(StandardCharsets.UTF_8);
        String publication = "publish-" + java.util.UUID.randomUUID();

        Map<String, byte[]> checked = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        everySite(m, PeerRound.PUBLISH_CHECK, publication, payload, checked, unreachable);
        List<PublicationRefusedException.SiteProblem> problems = new ArrayList<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        checked.forEach((site, answer) -> {
            try {
                PublicationCheckAnswer a = PublicationCheckAnswer.decode(answer);
                hashes.put(site, a.hash());
                a.problems().forEach(p -> problems.add(new PublicationRefusedException.SiteProblem(site, p)));
            } catch (RuntimeException e) {
                problems.add(new PublicationRefusedException.SiteProblem(site, "sent an unreadable check answer"));
            }
        });
        if (!problems.isEmpty()) {
            throw new PublicationRefusedException(problems);
        }
        if (!unreachable.isEmpty()) {
            throw new NetworkQueryException(503, "could not check the publication at " + unreachable
                    + "; nothing of it was activated anywhere", unreachable);
        }
        if (hashes.values().stream().distinct().count() != 1) {
            throw new NetworkQueryException(409, "sites would store different content: " + hashes
                    + "; nothing of it was activated anywhere", List.copyOf(hashes.keySet()));
        }

        if (!warmUp) {
            normalised.getMeta().addTag(TAG_SYSTEM, NO_WARM_UP, null);
            payload = FhirJson.encode(normalised).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, byte[]> activated = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        everySite(m, PeerRound.PUBLISH, publication, payload, activated, failed);
        if (!failed.isEmpty()) {
            throw new NetworkQueryException(503, "the publication passed the check everywhere but could not be"
                    + " activated at " + failed + " (it is active at " + activated.keySet() + "); send it again", failed);
        }
        Map<String, String> stored = new LinkedHashMap<>();
        activated.forEach((site, answer) -> stored.put(site, new String(answer, StandardCharsets.UTF_8)));
        if (stored.values().stream().distinct().count() != 1) {
            throw new NetworkQueryException(409, "sites stored different content: " + stored, List.copyOf(stored.keySet()));
        }
        return stored.values().iterator().next();
    }

    /** One round to every site in parallel; answers by site, and the sites that did not answer. */
    private void everySite(NetworkContext.Membership m, PeerRound round, String publication, byte[] payload,
            Map<String, byte[]> answers, List<String> failed) {
        Map<String, Future<byte[]>> calls = new LinkedHashMap<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            calls.put(s.id(), fanOut.submit(() -> peers.call(s.id(), round, publication, payload,
                    config.siteTimeout()).payload()));
        }
        calls.forEach((site, call) -> {
            try {
                answers.put(site, call.get());
            } catch (ExecutionException e) {
                LOG.warnf("publication %s, round %s: %s: %s", publication, round, site, e.getCause().getMessage());
                failed.add(site);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(site);
            }
        });
    }

    /** Peer request, phase one: check the package here against the stored knowledge; answer its hash and problems. */
    public byte[] check(SignedEnvelope request) {
        List<Resource> resources = knowledge(parse(request));
        String hash = contentHash(resources);
        PackageCheck check = measures.checkPublication(copies(resources));
        if (check.passed()) {
            pending.put(hash, check);
        } else {
            LOG.infof("publication %s refused here: %s", request.header().queryId(), check.problems());
        }
        return new PublicationCheckAnswer(hash, check.problems().stream().map(PackageCheck.Problem::toString).toList())
                .encode();
    }

    /** Peer request, phase two: store the checked package here, hand its compiled logic to the evaluator, return its hash. */
    public byte[] apply(SignedEnvelope request) {
        Bundle bundle = parse(request);
        boolean warmUp = bundle.getMeta().getTag(TAG_SYSTEM, NO_WARM_UP) == null;
        List<Resource> resources = knowledge(bundle);
        String hash = contentHash(resources);
        PackageCheck check = pending.remove(hash);
        if (check == null) {
            check = measures.checkPublication(copies(resources));
            if (!check.passed()) {
                throw new PeerRefusal(422, "PUBLICATION_REFUSED", "publication " + request.header().queryId()
                        + " does not pass the check here: " + check.problems());
            }
        }
        Multi.createFrom().iterable(resources).onItem()
                .transformToUniAndConcatenate(r -> store.inTransaction(w -> w.update(r.copy(), null)))
                .collect().asList().await().atMost(Duration.ofMinutes(2));
        measures.activatePublication(check, warmUp);
        return hash.getBytes(StandardCharsets.UTF_8);
    }

    private static Bundle parse(SignedEnvelope request) {
        try {
            return FhirJson.parse(Bundle.class, new String(request.payload(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new PeerRefusal(400, "the publication is not a FHIR Bundle");
        }
    }

    private static List<Resource> copies(List<Resource> resources) {
        return resources.stream().map(Resource::copy).toList();
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
