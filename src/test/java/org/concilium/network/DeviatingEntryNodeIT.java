package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.fhir;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.concilium.cli.LocalNetwork;
import org.concilium.demo.DemoMeasures;
import org.concilium.federation.peer.PeerRound;
import org.concilium.measure.MeasureModel;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.rlwe.Ciphertext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 15: a real member deviates as entry node. site-1, with its own identity and pinned
 * certificate, speaks the real peer API over mutual TLS to real nodes site-2 and site-3 (its own
 * node, unmodified, answers its peer calls like any site). Each attack of the issue is tried in
 * full; each must end with no key-switch share released and the attack named in the refusal. Test
 * {@code @Order(n)} is case n of the issue; case 7 (rogue key) attacks the key ceremony, on a
 * ceremony of its own ({@link RogueKeyAttack}).
 *
 * <p>Cases 9 to 11 (issue 16) play site-1 as a deviating <em>publisher</em> against the two-phase
 * publication (docs/network-protocol.md, "Publication"): peer round 11 checks a package at every
 * site, round 10 activates it. site-1 speaks round 10 itself, skipping or subverting round 11.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviatingEntryNodeIT {

    private static final String MEASURE = DemoMeasures.DIABETES_COHORT;

    private static NetworkFixture net;
    private static EntryNodeScript entry;

    @BeforeAll
    static void up() throws Exception {
        // the network's policy (descriptor): DP with ε = 1 per query, δ = 10⁻⁶, a budget no test exhausts
        net = NetworkFixture.start(3, 40, List.of("--min-cell-size", "1", "--epsilon", "1", "--epsilon-budget", "1000"),
                false);
        entry = new EntryNodeScript(net, "site-1");
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    /** One honest run up to the reveals: every site's commitment, then every site's contribution. */
    private record Revealed(String queryId, Map<String, byte[]> commitments, Map<String, byte[]> contributions) {
        Ciphertext ct(String site) {
            return EntryNodeScript.ciphertext(contributions.get(site));
        }
    }

    private static Revealed commitAndReveal(String label) throws Exception {
        String queryId = label + "-" + System.nanoTime();
        var commitments = entry.commitments(queryId, entry.request(MEASURE));
        return new Revealed(queryId, commitments, entry.reveals(queryId, EntryNodeScript.values(commitments)));
    }

    @Test
    @Order(1)
    void aConstantC1InTheSumShareExtractionIsRefused() throws Exception {
        Revealed q = commitAndReveal("extract");
        // after the reveals, choose site-1's contribution so that the sum's c1 is the constant ⌊Q/4⌋:
        // each PCKS share would then be s_i·⌊Q/4⌋ + small noise, i.e. site i's secret share in clear
        Ring ring = EntryNodeScript.PARAMS.ring();
        Poly c1 = constant(EntryNodeScript.PARAMS.modulusQ().shiftRight(2));
        ring.sub(c1, q.ct("site-2").c1(), c1);
        ring.sub(c1, q.ct("site-3").c1(), c1);
        byte[] forged = entry.ownContribution(q.queryId(), Ciphertext.of(EntryNodeScript.PARAMS, q.ct("site-1").c0(), c1));
        List<byte[]> presented = List.of(forged, q.contributions().get("site-2"), q.contributions().get("site-3"));
        assertThat(EntryNodeScript.sum(presented).c1()).as("the attack is real: the sum's c1 is the constant")
                .isEqualTo(constant(EntryNodeScript.PARAMS.modulusQ().shiftRight(2)));

        for (String site : List.of("site-2", "site-3")) {
            assertRefused(entry.keySwitch(site, q.queryId(), presented), "SHARE_EXTRACTION", "COMMITMENT_MISMATCH");
            assertNoShareReleased(site, q);
        }
    }

    @Test
    @Order(2)
    void cancellationDownToOneSitesContributionIsRefused() throws Exception {
        Revealed q = commitAndReveal("cancel");
        // site-1 reveals minus site-3's contribution: the "sum" would be site-2's vector alone
        Ring ring = EntryNodeScript.PARAMS.ring();
        Ciphertext c3 = q.ct("site-3");
        Poly c0 = c3.c0();
        Poly c1 = c3.c1();
        ring.neg(c0, c0);
        ring.neg(c1, c1);
        byte[] forged = entry.ownContribution(q.queryId(), Ciphertext.of(EntryNodeScript.PARAMS, c0, c1));
        List<byte[]> presented = List.of(forged, q.contributions().get("site-2"), q.contributions().get("site-3"));
        assertThat(EntryNodeScript.sum(presented)).as("the attack is real: the sum is site-2's ciphertext")
                .isEqualTo(q.ct("site-2"));

        for (String site : List.of("site-2", "site-3")) {
            assertRefused(entry.keySwitch(site, q.queryId(), presented), "CANCELLATION", "COMMITMENT_MISMATCH");
            assertNoShareReleased(site, q);
        }
    }

    @Test
    @Order(3)
    void aRevealedContributionThatDiffersFromItsCommitmentIsRefused() throws Exception {
        Revealed q = commitAndReveal("mismatch");
        // a well-formed, properly signed contribution of site-1 (twice its committed one), just not the committed one
        byte[] other = entry.ownContribution(q.queryId(), q.ct("site-1").add(q.ct("site-1")));
        List<byte[]> presented = List.of(other, q.contributions().get("site-2"), q.contributions().get("site-3"));

        var refused = entry.keySwitch("site-2", q.queryId(), presented);
        assertRefused(refused, "COMMITMENT_MISMATCH");
        assertThat(category(refused)).as("no tripwire fires: only the commitment catches it")
                .isEqualTo("COMMITMENT_MISMATCH");
        assertNoShareReleased("site-2", q);
    }

    @Test
    @Order(4)
    void revealsAskedForBeforeAllCommitmentsAreKnownAreRefused() throws Exception {
        String queryId = "early-" + System.nanoTime();
        var commitments = entry.commitments(queryId, entry.request(MEASURE));

        // site-3's commitment is left out: site-2 must not reveal
        var early = entry.reveal("site-2", queryId, List.of(commitments.get("site-1"), commitments.get("site-2")));
        assertRefused(early, "REVEAL_BEFORE_COMMITMENTS");
        // one member twice in place of another is no complete set either
        var doubled = entry.reveal("site-3", queryId, List.of(commitments.get("site-1"), commitments.get("site-2"),
                commitments.get("site-2")));
        assertRefused(doubled, "REVEAL_BEFORE_COMMITMENTS");
        for (String site : List.of("site-2", "site-3")) {
            var late = entry.reveal(site, queryId, EntryNodeScript.values(commitments));
            assertThat(late.statusCode()).as(site + " never reveals for this query any more").isEqualTo(409);
            assertThat(new String(late.body())).contains("QUERY_ABORTED");
        }
        // and a key switch before any reveal is refused as such
        String other = "unrevealed-" + System.nanoTime();
        var otherCommitments = entry.commitments(other, entry.request(MEASURE));
        var skipped = entry.keySwitch("site-2", other, List.of(otherCommitments.get("site-2")), Ciphertext.of(
                EntryNodeScript.PARAMS, constant(BigInteger.ONE), constant(BigInteger.ONE)));
        assertRefused(skipped, "KEYSWITCH_BEFORE_REVEAL");
        assertThat(net.log("site-2")).doesNotContain("query " + queryId + ": key-switch share released")
                .doesNotContain("query " + other + ": key-switch share released")
                .doesNotContain("query " + queryId + ": all 3 commitments verified");
    }

    @Test
    @Order(6)
    void commitmentsAndContributionsReplayedFromAnotherQueryAreRefused() throws Exception {
        Revealed earlier = commitAndReveal("replayed");
        String queryId = "replay-" + System.nanoTime();
        var commitments = entry.commitments(queryId, entry.request(MEASURE));

        // site-3's commitment of the earlier query, whose contribution site-1 already knows
        var replayedCommitment = entry.reveal("site-2", queryId, List.of(commitments.get("site-1"),
                commitments.get("site-2"), earlier.commitments().get("site-3")));
        assertRefused(replayedCommitment, "REPLAY");

        // site-3 reveals against the right commitments, then is shown site-2's contribution of the earlier query
        var contributions = Map.of("site-1", entry.reveal("site-1", queryId, EntryNodeScript.values(commitments)).body(),
                "site-3", entry.reveal("site-3", queryId, EntryNodeScript.values(commitments)).body());
        List<byte[]> presented = List.of(contributions.get("site-1"), earlier.contributions().get("site-2"),
                contributions.get("site-3"));
        assertRefused(entry.keySwitch("site-3", queryId, presented), "REPLAY");
        assertThat(net.log("site-2")).doesNotContain("query " + queryId + ": key-switch share released");
        assertThat(net.log("site-3")).doesNotContain("query " + queryId + ": key-switch share released");
    }

    @Test
    @Order(5)
    void aRequestForLessNoiseOrLessEpsilonThanThePolicyIsRefused() throws Exception {
        var policy = net.descriptor.privacy();
        assertThat(policy.dpEnabled()).isTrue();
        var measure = DemoMeasures.measure(MEASURE);
        double mu = policy.skellamMu(org.concilium.layout.DpSensitivity.of(org.concilium.layout.MeasureLayout.of(MeasureModel.of(measure))));
        String lessNoise = "quiet-" + System.nanoTime();
        String lessEpsilon = "cheap-" + System.nanoTime();
        for (String site : List.of("site-2", "site-3")) {
            assertRefused(entry.send(site, org.concilium.federation.peer.PeerRound.CONTRIBUTE, lessNoise,
                    EntryNodeScript.request(net.descriptor, MEASURE, mu / 4, policy.epsilonPerQuery())), "NOISE_BELOW_POLICY");
            assertRefused(entry.send(site, org.concilium.federation.peer.PeerRound.CONTRIBUTE, lessEpsilon,
                    EntryNodeScript.request(net.descriptor, MEASURE, mu, 0)), "EPSILON_BELOW_POLICY");
            for (String q : List.of(lessNoise, lessEpsilon)) {
                // refused before admission: no commitment, no contribution, no debit, nothing to key-switch
                var ks = entry.keySwitch(site, q, List.of(new byte[0]), Ciphertext.of(EntryNodeScript.PARAMS,
                        constant(BigInteger.ONE), constant(BigInteger.ONE)));
                assertThat(ks.statusCode()).isEqualTo(404);
                assertThat(net.log(site)).doesNotContain("query " + q + ": key-switch share released");
            }
        }
    }

    /**
     * Case 7, the key ceremony: the rogue key b_M = −s_M·a + e − Σ_{j≠M} b_j, shares asked for before
     * every commitment, a share without a commitment, a non-member, shares after the ceremony. It
     * needs a network whose ceremony has not run and whose attacker node is not running: two fresh
     * nodes without data ({@link RogueKeyAttack}), started here and stopped at the end of the case.
     */
    @Test
    @Order(7)
    void aRogueKeyShareInTheCeremonyIsRefusedAndNoKeyIsAccepted() throws Exception {
        RogueKeyAttack.run();
    }

    @Test
    @Order(8)
    void aSecondShareForTheSameC1AfterARestartIsRefused() throws Exception {
        Revealed first = commitAndReveal("first");
        List<byte[]> honest = EntryNodeScript.values(first.contributions());
        assertThat(entry.keySwitch("site-2", first.queryId(), honest).statusCode()).isEqualTo(200);
        Poly sharedC1 = EntryNodeScript.sum(honest).c1();

        net.stop("site-2");
        net.restart("site-2");

        // a new query whose sum has the c1 site-2 already released a share for
        Revealed q = commitAndReveal("again");
        Ring ring = EntryNodeScript.PARAMS.ring();
        Poly c1 = sharedC1.copy();
        ring.sub(c1, q.ct("site-2").c1(), c1);
        ring.sub(c1, q.ct("site-3").c1(), c1);
        byte[] forged = entry.ownContribution(q.queryId(), Ciphertext.of(EntryNodeScript.PARAMS, q.ct("site-1").c0(), c1));
        List<byte[]> presented = List.of(forged, q.contributions().get("site-2"), q.contributions().get("site-3"));
        assertThat(EntryNodeScript.sum(presented).c1()).as("the attack is real: the same c1 again").isEqualTo(sharedC1);

        assertRefused(entry.keySwitch("site-2", q.queryId(), presented), "SECOND_SHARE_SAME_C1", "COMMITMENT_MISMATCH");
        assertNoShareReleased("site-2", q);
    }

    /**
     * Case 9: round 10 sent straight away, without round 11, carrying a package whose CQL does not
     * compile, and one whose Library names a ValueSet no site holds. Each receiving site checks the
     * package itself (it holds no passed check of that content) and refuses with
     * {@code PUBLICATION_REFUSED}: nothing of it is stored, so no query can meet it. The same
     * attacker's round 10 with a good package is activated (the refusal is the content's, not the
     * sender's or the skipped round's: activating a good package without round 11 is allowed, as a
     * site that restarted between the phases must).
     *
     * <p>Seen failing on the unprotected path (2026-11-26, {@code -Dit.test=DeviatingEntryNodeIT#anActivation*}):
     * with the refusal after the re-check in {@code CatalogPublisher.apply} disabled, site-2 answered
     * the package with a syntax error 200 instead of 422 (it activated it), and so did case 10 for the
     * swapped package; case 11 passed, as it does not depend on that check.
     */
    @Test
    @Order(9)
    void anActivationWithoutACheckIsCheckedThereAndRefusedWhenThePackageIsBroken() throws Exception {
        CqlPackage broken = CqlPackage.syntaxError("SkippedCheckSyntax");
        CqlPackage missing = CqlPackage.withoutValueSet("SkippedCheckValueSet");
        for (String site : List.of("site-2", "site-3")) {
            assertRefused(entry.send(site, PeerRound.PUBLISH, "skip-" + System.nanoTime(), broken.peerPackage()),
                    "PUBLICATION_REFUSED");
            assertRefused(entry.send(site, PeerRound.PUBLISH, "skip-" + System.nanoTime(), missing.peerPackage()),
                    "PUBLICATION_REFUSED");
            assertNothingStored(site, broken);
            assertNothingStored(site, missing);
        }

        CqlPackage good = CqlPackage.good("SkippedCheckGood");
        var activated = entry.send("site-2", PeerRound.PUBLISH, "skip-" + System.nanoTime(), good.peerPackage());
        assertThat(activated.statusCode()).as(new String(activated.body())).isEqualTo(200);
        fhir().get(site("site-2").fhirBase() + "/Library/" + good.id()).then().statusCode(200);
    }

    /**
     * Case 10: the package passes round 11, and round 10 of the same publication carries other
     * content under the same ids (the check's passed result is kept by content hash, so the swap
     * has no passed check): checked again and refused, nothing stored. The content that was checked
     * is then activated, and the site answers the hash it checked.
     */
    @Test
    @Order(10)
    void anActivationOfOtherContentThanWasCheckedIsCheckedAgainAndRefused() throws Exception {
        CqlPackage good = CqlPackage.good("CheckedThenSwapped");
        CqlPackage swapped = CqlPackage.syntaxError("CheckedThenSwapped");
        String publication = "swap-" + System.nanoTime();
        var checked = entry.send("site-2", PeerRound.PUBLISH_CHECK, publication, good.peerPackage());
        assertThat(checked.statusCode()).as(new String(checked.body())).isEqualTo(200);
        var answer = org.concilium.store.FhirJson.parse(org.hl7.fhir.r4.model.Parameters.class, payload(checked));
        assertThat(answer.getParameter()).extracting(p -> p.getName()).as("passed: a hash, no problem")
                .containsExactly("hash");
        String hash = answer.getParameter("hash").getValue().primitiveValue();

        assertRefused(entry.send("site-2", PeerRound.PUBLISH, publication, swapped.peerPackage()), "PUBLICATION_REFUSED");
        assertNothingStored("site-2", swapped);

        var activated = entry.send("site-2", PeerRound.PUBLISH, publication, good.peerPackage());
        assertThat(activated.statusCode()).as(new String(activated.body())).isEqualTo(200);
        assertThat(payload(activated)).isEqualTo(hash);
        assertThat(cql("site-2", good)).doesNotContain("Revised").contains("exists [Condition: \"Diabetes\"]");
    }

    /**
     * Case 11: an activation replayed from an older publication. site-1 activates v1 at site-3, then
     * v2 (same ids, other content), then sends v1's envelope again, byte for byte: the peer layer's
     * replay record refuses it ({@code REPLAY}) and site-3 keeps v2. What this does not stop, by
     * design: a member may publish, so site-1 can sign the old content again under a new publication
     * id, and site-3 checks it, finds it good and stores it (asserted last, so that a change of this
     * rule shows here). Older content is refused only when it no longer passes the check.
     *
     * <p>Seen failing on the unprotected path (2026-11-26): with the replay record skipped in
     * {@code EnvelopeVerifier.open}, the replayed envelope answered 200 instead of 400.
     */
    @Test
    @Order(11)
    void aReplayedActivationIsRefusedAndDoesNotRollThePackageBack() throws Exception {
        CqlPackage v1 = CqlPackage.good("ReplayedActivation");
        CqlPackage v2 = CqlPackage.revised("ReplayedActivation");
        byte[] old = entry.envelope("site-3", PeerRound.PUBLISH, "old-" + System.nanoTime(), v1.peerPackage());
        assertThat(entry.post("site-3", PeerRound.PUBLISH, old).statusCode()).isEqualTo(200);
        var newer = entry.send("site-3", PeerRound.PUBLISH, "new-" + System.nanoTime(), v2.peerPackage());
        assertThat(newer.statusCode()).as(new String(newer.body())).isEqualTo(200);
        assertThat(cql("site-3", v2)).contains("Revised");

        var replayed = entry.post("site-3", PeerRound.PUBLISH, old);
        assertThat(replayed.statusCode()).as(new String(replayed.body())).isEqualTo(400);
        assertThat(new String(replayed.body())).startsWith("REPLAY (correlation ");
        assertThat(cql("site-3", v2)).as("v2 is still the stored package").contains("Revised");

        var republished = entry.send("site-3", PeerRound.PUBLISH, "again-" + System.nanoTime(), v1.peerPackage());
        assertThat(republished.statusCode()).as("a member may publish good content again").isEqualTo(200);
        assertThat(cql("site-3", v1)).doesNotContain("Revised");
    }

    private static LocalNetwork.Site site(String id) {
        return net.sites.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** Over the site's own API: no Library, Measure or ValueSet of the package, by id or by url. */
    private static void assertNothingStored(String siteId, CqlPackage p) {
        String base = site(siteId).fhirBase();
        for (String type : List.of("Library", "Measure", "ValueSet")) {
            fhir().get(base + "/" + type + "/" + p.id()).then().statusCode(404);
        }
        fhir().get(base + "/Measure?url=" + p.measureUrl()).then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
    }

    /** The CQL text of the package's Library as the site stores it. */
    private static String cql(String siteId, CqlPackage p) {
        String data = fhir().get(site(siteId).fhirBase() + "/Library/" + p.id()).then().statusCode(200)
                .extract().path("content[0].data");
        return new String(java.util.Base64.getDecoder().decode(data), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String payload(HttpResponse<byte[]> signedAnswer) {
        return new String(org.concilium.federation.identity.SignedEnvelope.decode(signedAnswer.body()).payload(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The constant polynomial {@code value mod Q} in NTT form: the same value at every evaluation point. */
    private static Poly constant(BigInteger value) {
        Ring ring = EntryNodeScript.PARAMS.ring();
        long[][] limbs = new long[ring.limbCount()][ring.n()];
        for (int j = 0; j < limbs.length; j++) {
            java.util.Arrays.fill(limbs[j], value.mod(BigInteger.valueOf(ring.modulus(j).value())).longValueExact());
        }
        return Poly.wrap(limbs);
    }

    private static String category(HttpResponse<byte[]> r) {
        return new String(r.body()).replaceAll(" \\(correlation .*", "");
    }

    /** 422, only a category and a correlation id, naming every given attack. */
    private static void assertRefused(HttpResponse<byte[]> r, String... attacks) {
        String body = new String(r.body());
        assertThat(r.statusCode()).as(body).isEqualTo(422);
        assertThat(body).matches("[A-Z_,0-9]+ \\(correlation [0-9a-f-]+\\)");
        assertThat(category(r).split(",")).contains(attacks);
    }

    /**
     * The site released nothing for the query: no share in its log, and the query is over there,
     * so even the honest sum gets no share now (a stored share would be re-sent, 200).
     */
    private static void assertNoShareReleased(String site, Revealed q) throws Exception {
        assertThat(net.log(site)).doesNotContain("query " + q.queryId() + ": key-switch share released");
        var honest = entry.keySwitch(site, q.queryId(), EntryNodeScript.values(q.contributions()));
        assertThat(honest.statusCode()).as(site + ": " + new String(honest.body())).isEqualTo(409);
        assertThat(new String(honest.body())).contains("QUERY_ABORTED");
    }
}
