package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.concilium.demo.DemoMeasures;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.concilium.privacy.ReleasePolicy;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network with differential privacy on (ε = 5 per query, budget 10): every site adds its share of
 * Skellam noise before encrypting, so totals are noisy around the exact ones with the variance μ
 * the policy names; the querier's budget pays for two queries and the third is refused with 429.
 */
class DifferentialPrivacyNetworkIT {

    private static final double EPSILON = 5;
    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 100, List.of("--min-cell-size", "1", "--epsilon", "5", "--epsilon-budget", "10"));
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void totalsCarryNoiseOfTheVarianceThePolicyNamesAndTheBudgetRunsOut() {
        String measure = DemoMeasures.DIABETES_COHORT;
        // the same μ every site uses: the policy's, for this Measure's count sensitivity
        double mu = new ReleasePolicy(1, true, EPSILON, 1e-6, 10)
                .skellamMu(MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(measure))).countSensitivity());
        double sigma = Math.sqrt(mu);
        Map<String, Object> exact = NetworkFixture.counts(JsonPath.from(fhir().get(net.union.baseUrl() + "/fhir/Measure/"
                + measure + "/$evaluate-measure?reportType=population&" + PERIOD).then().statusCode(200).extract()
                .asString()));
        String op = net.sites.get(0).networkBase() + "/Measure/" + measure + "/$evaluate-measure?" + PERIOD;
        List<Map<String, Object>> noisy = new ArrayList<>();
        List<String> reportIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JsonPath report = JsonPath.from(fhir().get(op).then().statusCode(200).extract().asString());
            reportIds.add(report.getString("id"));
            noisy.add(NetworkFixture.counts(report));
        }

        List<Long> deviations = new ArrayList<>(); // of cells far from 0, where the decoder's clamp at 0 cannot act
        for (Map<String, Object> report : noisy) {
            TreeSet<String> cells = new TreeSet<>(exact.keySet());
            cells.addAll(report.keySet()); // strata counted 0 are left out of counts(): 0 on either side
            int moved = 0;
            for (String cell : cells) {
                long truth = count(exact, cell);
                long dev = count(report, cell) - truth;
                assertThat((double) Math.abs(dev)).as(cell + ": noisy − exact, σ = " + sigma).isLessThanOrEqualTo(6 * sigma);
                moved += dev != 0 ? 1 : 0;
                if (truth > 6 * sigma) {
                    deviations.add(dev);
                }
            }
            // P(a Skellam(μ) draw is 0) ≈ 1/√(2πμ); that all of these cells drew 0 is negligible
            assertThat(moved).as("cells the noise moved, of " + cells.size()).isPositive();
        }
        assertThat(noisy.get(0)).as("two releases of the same question differ").isNotEqualTo(noisy.get(1));
        if (deviations.size() >= 12) {
            double meanSquare = deviations.stream().mapToDouble(d -> (double) d * d).average().orElseThrow();
            // χ²(n)/n with n ≥ 12 stays inside [0.1, 6] but with probability < 1e-4
            assertThat(meanSquare).as("spread of the noise against μ = " + mu + " over " + deviations.size() + " cells")
                    .isBetween(mu / 10, 6 * mu);
        }

        String refused = fhir().get(op).then().statusCode(429).extract().asString();
        assertThat(refused).contains("OperationOutcome").contains("privacy budget");
        queriesAreAudited(measure, reportIds);
    }

    /** The entry node's AuditEvents of each query name querier, measure, period, entry node, ε and the sites. */
    private static void queriesAreAudited(String measure, List<String> reportIds) {
        String audit = net.sites.get(0).fhirBase() + "/AuditEvent";
        for (String id : reportIds) {
            JsonPath event = NetworkFixture.poll(Duration.ofSeconds(30), "the AuditEvent of query " + id, () -> {
                JsonPath b = JsonPath.from(fhir().get(audit + "?entity=MeasureReport/" + id).then().statusCode(200)
                        .extract().asString());
                return b.getInt("total") == 1 ? JsonPath.from(fhir().get(audit + "/" + b.getString("entry[0].resource.id"))
                        .then().statusCode(200).extract().asString()) : null;
            });
            assertThat(event.getString("outcome")).isEqualTo("0");
            Map<String, String> details = details(event);
            assertThat(details).containsEntry("epsilon-spent", "5.0").containsEntry("entry-node", "site-1")
                    .containsEntry("contributing-sites", "site-1,site-2,site-3")
                    .containsEntry("querier", event.getString("agent[0].altId"))
                    .containsEntry("period", "2024-01-01..2024-12-31");
            assertThat(details.get("measure")).contains(measure);
        }
        // the refused third query is on the trail too: failure, same querier, nothing released
        JsonPath failed = NetworkFixture.poll(Duration.ofSeconds(30), "the AuditEvent of the refused query", () -> {
            JsonPath b = JsonPath.from(fhir().get(audit + "?subtype=operation&outcome=4&_count=100").then().statusCode(200)
                    .extract().asString());
            List<Map<String, Object>> entries = b.getList("entry.resource");
            if (entries == null) {
                return null; // audit is written in batches: not on the trail yet, ask again
            }
            return entries.stream().map(e -> JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper()
                    .valueToTree(e).toString())).filter(e -> details(e).containsKey("querier")).findFirst().orElse(null);
        });
        assertThat(failed.getString("outcomeDesc")).contains("429").contains("nothing released");
        assertThat(details(failed)).doesNotContainKey("epsilon-spent").containsEntry("entry-node", "site-1");
    }

    private static Map<String, String> details(JsonPath event) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> entities = event.getList("entity");
        for (Map<String, Object> entity : entities == null ? List.<Map<String, Object>>of() : entities) {
            Object d = entity.get("detail");
            if (d instanceof List<?> list) {
                for (Object o : list) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    out.put((String) m.get("type"), (String) m.get("valueString"));
                }
            }
        }
        return out;
    }

    /**
     * A Measure of ambulatory encounters (Encounter basis) declaring at most one encounter per
     * patient: under DP every site clips each patient to that bound before encoding, so the noisy
     * network count is near the number of patients with an encounter, not the number of encounters
     * (which the union node's exact evaluation shows to be far away). Entry node site-2: its own
     * ledger, so the budget of the test above is untouched.
     */
    @Test
    void aPatientWithMoreResourcesThanTheDeclaredBoundContributesOnlyTheBound() {
        String period = "period.start >= %periodStart and period.start <= %periodEnd";
        Measure perEncounter = encounterMeasure("dp-clip-encounters", "Encounter",
                "%Encounter.where(class.code = 'AMB' and " + period + ")");
        perEncounter.getGroupFirstRep().addExtension(new Extension(DpSensitivity.MAX_RESOURCES, new IntegerType(1)));
        Measure perPatient = encounterMeasure("dp-clip-patients", "boolean",
                "%Encounter.where(class.code = 'AMB' and " + period + ").exists()");
        Bundle publication = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        publication.addEntry().setResource(perEncounter).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Measure/" + perEncounter.getIdPart());
        fhir().contentType("application/fhir+json").body(FhirJson.encode(publication))
                .post(net.sites.get(0).networkBase()).then().statusCode(200);
        long encounters = unionCount(perEncounter);
        long patients = unionCount(perPatient);

        double mu = net.descriptor.privacy().skellamMu(DpSensitivity.of(MeasureLayout.of(MeasureModel.of(perEncounter))));
        double sigma = Math.sqrt(mu);
        assertThat((double) encounters - patients).as("the test can tell clipped from unclipped (σ = " + sigma + ")")
                .isGreaterThan(12 * sigma);
        long network = initialPopulation(fhir().get(net.sites.get(1).networkBase() + "/Measure/"
                + perEncounter.getIdPart() + "/$evaluate-measure?" + PERIOD).then().statusCode(200).extract().asString());
        assertThat((double) Math.abs(network - patients))
                .as("network count %d, patients with an encounter %d, encounters %d", network, patients, encounters)
                .isLessThanOrEqualTo(6 * sigma);
    }

    private static long unionCount(Measure m) {
        fhir().contentType("application/fhir+json").body(FhirJson.encode(m))
                .put(net.union.baseUrl() + "/fhir/Measure/" + m.getIdPart()).then().statusCode(201);
        return initialPopulation(fhir().get(net.union.baseUrl() + "/fhir/Measure/" + m.getIdPart()
                + "/$evaluate-measure?reportType=population&" + PERIOD).then().statusCode(200).extract().asString());
    }

    private static long initialPopulation(String report) {
        JsonPath r = JsonPath.from(report);
        assertThat(r.getString("group[0].population[0].code.coding[0].code")).isEqualTo("initial-population");
        return r.getLong("group[0].population[0].count");
    }

    private static Measure encounterMeasure(String id, String basis, String fhirPath) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://concilium.org/fhir/Measure/" + id);
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "cohort", null)));
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("visits");
        g.addExtension(new Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis",
                new CodeType(basis)));
        Measure.MeasureGroupPopulationComponent p = g.addPopulation();
        p.setId("initial-population");
        p.setCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-population",
                "initial-population", null)));
        p.setCriteria(new Expression().setLanguage("text/fhirpath").setExpression(fhirPath));
        return m;
    }

    private static long count(Map<String, Object> counts, String cell) {
        Object v = counts.get(cell);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
