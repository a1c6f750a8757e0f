package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.concilium.federation.BudgetExhaustedException;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkQueryException;
import org.concilium.federation.NetworkQueryRepository;
import org.concilium.federation.NetworkUnavailableException;
import org.concilium.federation.QueryState;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.keys.KeyCeremony;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRound;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.LayoutException;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.multiparty.PcksShare;
import org.concilium.mhe.multiparty.PublicKeySwitch;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.privacy.NetworkPrivacyPolicy;
import org.concilium.privacy.ReleasePolicy;
import org.concilium.privacy.ReportRelease;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.StringType;
import org.jboss.logging.Logger;

/**
 * The entry node's side of a network query: ask every site for its encrypted contribution, sum,
 * have every site verify the sum and key-switch it towards a per-query key, decrypt, decode,
 * suppress small cells. Any missing site fails the query closed: no result, sites named.
 */
@ApplicationScoped
public class NetworkQueryService {

    private static final Logger LOG = Logger.getLogger(NetworkQueryService.class);
    public static final String CONTRIBUTING_SITES = "http://concilium.org/fhir/StructureDefinition/contributing-sites";
    public static final String NETWORK_QUERY_ID = "http://concilium.org/fhir/StructureDefinition/network-query-id";

    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    NetworkQueryRepository store;
    @Inject
    NetworkReportRepository reports;
    @Inject
    KeyCeremony ceremony;
    @Inject
    PeerClient peers;
    @Inject
    LocalEvaluation evaluation;
    @Inject
    CrashPoint crash;

    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Runs one query to its end; {@code onProgress} hears each step (for async polling). The
     * command is parsed and validated already: nothing here can fail on the request's form after
     * the budget check.
     */
    public MeasureReport evaluate(NetworkQueryCommand command, Consumer<String> onProgress) {
        NetworkContext.Membership m = context.require();
        if (!ceremony.ready()) {
            throw new NetworkUnavailableException("the network is not ready: collective key not agreed by all sites");
        }
        String querier = command.querier();
        String periodStart = command.period().startText();
        String periodEnd = command.period().endText();
        MeasureModel model = evaluation.measure(command.measureRef());
        MeasureLayout layout = MeasureLayout.of(model, evaluation.valueSets());
        String measureUrl = model.measure().getUrl();
        String queryId = UUID.randomUUID().toString();
        NetworkPrivacyPolicy network = m.descriptor().privacy();
        ReleasePolicy policy = network.releasePolicy();
        double epsilon = policy.dpEnabled() ? policy.epsilonPerQuery() : 0;
        double mu = 0;
        if (network.dpEnabled()) {
            try {
                mu = network.skellamMu(DpSensitivity.of(layout));
            } catch (DpSensitivity.Unknown e) {
                throw new LayoutException("the network's privacy policy requires differential privacy, and " + e.getMessage());
            }
        }
        QueryRequest request = new QueryRequest(measureUrl, layout.fingerprint(), periodStart, periodEnd, mu,
                epsilon, network.hash(), querier);
        String entryKey = "entry:" + queryId;
        if (!store.admit(entryKey, querier, epsilon, policy.budgetPerQuerier(), m.siteId(), measureUrl,
                request.toBytes())) {
            throw new BudgetExhaustedException("querier '" + querier + "' has spent " + store.spent(m.siteId(), querier)
                    + " of its privacy budget " + policy.budgetPerQuerier() + " through this entry node; this query needs "
                    + policy.epsilonPerQuery());
        }
        try {
            onProgress.accept("commitments requested from " + m.sites().size() + " sites");
            // the per-query target key is made while the sites evaluate (it is first needed for the key switch)
            Future<KeyGenerator.KeyPair> targetKey = fanOut.submit(() -> KeyGenerator.generateKeyPair(m.params()));
            long t0 = System.nanoTime();
            Map<String, SignedEnvelope> commitments = round(m, queryId, PeerRound.CONTRIBUTE, request.toBytes());
            long tc = System.nanoTime();
            List<byte[]> committed = new ArrayList<>();
            commitments.values().forEach(c -> committed.add(c.encode()));
            onProgress.accept("all " + m.sites().size() + " commitments in; contributions revealed");
            Map<String, SignedEnvelope> contributions = round(m, queryId, PeerRound.REVEAL,
                    new RevealRequest(committed).toBytes());
            long t1 = System.nanoTime();
            // the entry row's bookkeeping steps run beside the work that follows them (joined before the
            // next step), unflushed: a crash leaves the row in flight either way, and start-up aborts it
            Future<?> contributed = fanOut.submit(() -> store.setStateUnflushed(entryKey, QueryState.CONTRIBUTED, null));
            Ciphertext aggregate = null;
            List<byte[]> signed = new ArrayList<>();
            for (var e : contributions.entrySet()) {
                byte[] digest = commitments.get(e.getKey()).payload();
                if (!java.security.MessageDigest.isEqual(digest, Commitment.digest(m.networkId(), m.epoch(), queryId,
                        e.getKey(), e.getValue().payload()))) {
                    // every other site would refuse this sum: fail now, naming the site
                    throw new NetworkQueryException(422, "the query failed closed (no result released): "
                            + e.getKey() + " revealed a contribution that differs from its commitment", List.of(e.getKey()));
                }
                Ciphertext ct = Ciphertext.fromBytes(m.params(), e.getValue().payload());
                aggregate = aggregate == null ? ct : aggregate.add(ct);
                signed.add(e.getValue().encode());
            }
            await(contributed);
            crash.reach(CrashPoint.ENTRY_CONTRIBUTED, queryId);
            onProgress.accept("aggregate computed; key switch requested");
            KeyGenerator.KeyPair target = awaitTargetKey(targetKey);
            byte[] ks = new KeySwitchRequest(target.publicKey().toSeededBytes(), signed,
                    aggregate.fingerprint().toBytes()).toBytes();
            long t2 = System.nanoTime();
            Map<String, SignedEnvelope> shares = round(m, queryId, PeerRound.KEYSWITCH, ks);
            long t3 = System.nanoTime();
            Future<?> switched = fanOut.submit(() -> store.setStateUnflushed(entryKey, QueryState.SHARE_RELEASED,
                    null));
            PublicKeySwitch pcks = new PublicKeySwitch(m.params(), m.sites().size());
            List<PcksShare> parsed = new ArrayList<>();
            shares.values().forEach(s -> parsed.add(PcksShare.fromBytes(m.params(), s.payload())));
            Ciphertext underTarget = pcks.finalize(aggregate, target.publicKey(), pcks.aggregate(parsed));
            long[] slots = new BatchEncoder(m.params()).decode(Decryptor.decrypt(target.secretKey(), underTarget));
            MeasureReport report = release(layout, java.util.Arrays.copyOf(slots, layout.slotCount()), policy,
                    periodStart, periodEnd, queryId, m.sites().size());
            report.setId(queryId);
            await(switched);
            crash.reach(CrashPoint.ENTRY_SWITCHED, queryId);
            reports.save(entryKey, queryId, measureUrl, FhirJson.encode(report));
            onProgress.accept("done");
            LOG.infof("network query %s on %s: done with %d sites (commit round %d ms, reveal round %d ms, sum %d ms,"
                    + " key-switch round %d ms, decrypt and release %d ms)", queryId, measureUrl, m.sites().size(),
                    (tc - t0) / 1_000_000, (t1 - tc) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
            return report;
        } catch (RuntimeException e) {
            store.setState(entryKey, QueryState.ABORTED, e.getMessage());
            abortEverywhere(m, queryId);
            throw e;
        }
    }

    /** Joins a step run beside the query's own work; its failure is the query's. */
    private static void await(Future<?> step) {
        try {
            step.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkQueryException(503, "interrupted", List.of());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static KeyGenerator.KeyPair awaitTargetKey(Future<KeyGenerator.KeyPair> key) {
        try {
            return key.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkQueryException(503, "interrupted", List.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not make the per-query target key", e.getCause());
        }
    }

    /** The released report (privacy/) plus what only the network knows: who contributed, which query. */
    private static MeasureReport release(MeasureLayout layout, long[] sums, ReleasePolicy policy,
            String periodStart, String periodEnd, String queryId, int sites) {
        MeasureReport report = ReportRelease.release(layout, sums, periodStart, periodEnd, policy);
        report.addExtension(new Extension(CONTRIBUTING_SITES, new IntegerType(sites)));
        report.addExtension(new Extension(NETWORK_QUERY_ID, new StringType(queryId)));
        return report;
    }

    /**
     * One round to every site in parallel, the same signed bytes for all (addressed to every site);
     * all must answer, or the query fails closed naming who did not.
     */
    private Map<String, SignedEnvelope> round(NetworkContext.Membership m, String queryId, PeerRound round,
            byte[] payload) {
        byte[] signed = peers.sign(null, round, queryId, payload);
        Map<String, Future<SignedEnvelope>> calls = new LinkedHashMap<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            calls.put(s.id(), fanOut.submit(() -> peers.send(s.id(), round, queryId, signed, config.siteTimeout())));
        }
        Map<String, SignedEnvelope> answers = new LinkedHashMap<>();
        Map<PeerClient.PeerCallException.Kind, List<String>> failures = new LinkedHashMap<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        for (var e : calls.entrySet()) {
            try {
                answers.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                PeerClient.PeerCallException pe = ex.getCause() instanceof PeerClient.PeerCallException p ? p
                        : new PeerClient.PeerCallException(PeerClient.PeerCallException.Kind.BAD_RESPONSE, e.getKey(),
                                e.getKey() + " failed: " + ex.getCause().getMessage());
                failures.computeIfAbsent(pe.kind(), k -> new ArrayList<>()).add(e.getKey());
                statuses.put(e.getKey(), pe.status());
                reasons.add(pe.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new NetworkQueryException(503, "interrupted", List.of());
            }
        }
        if (!failures.isEmpty()) {
            List<String> sites = failures.values().stream().flatMap(List::stream).toList();
            boolean budget = failures.getOrDefault(PeerClient.PeerCallException.Kind.REFUSED, List.of()).stream()
                    .anyMatch(site -> statuses.get(site) == 429);
            int status = failures.containsKey(PeerClient.PeerCallException.Kind.TIMEOUT) ? 504
                    : failures.containsKey(PeerClient.PeerCallException.Kind.UNREACHABLE) ? 503 : budget ? 429 : 422;
            throw new NetworkQueryException(status, "the query failed closed (no result released): "
                    + String.join("; ", reasons), sites);
        }
        return answers;
    }

    private void abortEverywhere(NetworkContext.Membership m, String queryId) {
        for (NetworkDescriptor.Site s : m.sites()) {
            fanOut.submit(() -> {
                try {
                    peers.call(s.id(), PeerRound.ABORT, queryId, new byte[0], java.time.Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.debugf("abort of %s not delivered to %s", queryId, s.id());
                }
            });
        }
    }
}
