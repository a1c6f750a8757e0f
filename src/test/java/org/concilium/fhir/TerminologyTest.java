package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.StoredPatientBatches;
import org.concilium.measure.StreamingMeasureEvaluator;
import org.concilium.store.PatientBatchReader;
import org.concilium.store.ResourceStore;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Terminology over HTTP on generated content ({@link TerminologyFixture}): filter-defined ValueSets
 * expanded over a stored CodeSystem hierarchy, measure evaluation counting through them (in memory
 * over HTTP, and streaming from the store with the codes pushed into SQL), {@code $expand},
 * {@code $validate-code}, {@code $lookup}, and token {@code :below}/{@code :above}. Every expected
 * value is computed from the generated tree, not by the server.
 */
@QuarkusTest
class TerminologyTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    static final TerminologyFixture DATA = new TerminologyFixture(Long.getLong("terminology.seed", 20261126L));
    private static boolean loaded;

    @Inject
    Pool pool;

    @BeforeEach
    void load() {
        if (!loaded) {
            fhir().body(FHIR.newJsonParser().encodeResourceToString(DATA.transaction())).post("")
                    .then().log().ifValidationFails().statusCode(200);
            loaded = true;
        }
    }

    @Test
    void filterValueSetsExpandOverTheStoredHierarchy() {
        Set<String> below = DATA.descendantsOrSelf(DATA.anchor);
        assertThat(expandCodes("url=" + TerminologyFixture.IS_A)).isEqualTo(new TreeSet<>(below));
        Set<String> strictly = new TreeSet<>(below);
        strictly.remove(DATA.anchor);
        assertThat(expandCodes("url=" + TerminologyFixture.DESCENDENT)).isEqualTo(strictly);
        Set<String> others = new TreeSet<>(DATA.color.keySet());
        others.removeAll(below);
        assertThat(expandCodes("url=" + TerminologyFixture.NOT_A)).isEqualTo(others);
        Set<String> red = DATA.color.entrySet().stream().filter(e -> e.getValue().equals("red")).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(expandCodes("url=" + TerminologyFixture.RED + "&valueSetVersion=1")).isEqualTo(red);
        // instance level gives the same
        ValueSet instance = expand("/ValueSet/term-is-a/$expand", "");
        assertThat(codes(instance)).isEqualTo(new TreeSet<>(below));
    }

    @Test
    void expandPagesFiltersAndAddsDesignations() {
        int all = DATA.descendantsOrSelf(DATA.anchor).size();
        ValueSet page = expand("/ValueSet/$expand", "url=" + TerminologyFixture.IS_A + "&offset=1&count=2&includeDesignations=true");
        assertThat(page.getExpansion().getTotal()).isEqualTo(all);
        assertThat(page.getExpansion().getContains()).hasSize(Math.min(2, all - 1));
        page.getExpansion().getContains().forEach(c -> assertThat(c.getDesignationFirstRep().getValue())
                .isEqualTo("Begriff " + c.getCode().substring(1)));
        // text filter: "Concept 1" matches c1, c10..c19 among the members
        ValueSet filtered = expand("/ValueSet/$expand", "url=" + TerminologyFixture.NOT_A + "&filter=concept%201");
        Set<String> expected = new TreeSet<>();
        for (String c : DATA.color.keySet()) {
            if (!DATA.descendantsOrSelf(DATA.anchor).contains(c) && ("Concept " + c.substring(1)).contains("Concept 1")) {
                expected.add(c);
            }
        }
        assertThat(codes(filtered)).isEqualTo(expected);
        assertThat(filtered.getExpansion().getTotal()).isEqualTo(expected.size());
    }

    @Test
    void measureEvaluationCountsThroughAnIsAValueSet() {
        long expected = DATA.patientsCodedIn(DATA.descendantsOrSelf(DATA.anchor));
        assertThat(expected).as("the generated data must exercise the hierarchy").isBetween(1L, (long) TerminologyFixture.PATIENTS - 1);
        String body = fhir().urlEncodingEnabled(false)
                .get("/Measure/term-is-a/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31")
                .then().statusCode(200).extract().asString();
        MeasureReport report = FHIR.newJsonParser().parseResource(MeasureReport.class, body);
        assertThat(count(report, "initial-population")).isEqualTo(TerminologyFixture.PATIENTS);
        assertThat(count(report, "numerator")).isEqualTo(expected);

        // the streaming store path, whose SQL code pushdown uses the same expansion
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of("http://example.org/fhir/Measure/term-is-a",
                "2024-01-01", "2024-12-31", "population", null, null, null);
        try (StreamingMeasureEvaluator streaming = new StreamingMeasureEvaluator(StreamingMeasureEvaluator.Options
                .defaults().withBatchSize(16))) {
            MeasureReport streamed = streaming.evaluate(command,
                    new StoredPatientBatches(new PatientBatchReader(pool), new ResourceStore(pool)));
            assertThat(count(streamed, "numerator")).isEqualTo(expected);
            assertThat(count(streamed, "initial-population")).isEqualTo(TerminologyFixture.PATIENTS);
        }
    }

    @Test
    void validateCodeByCodeCodingAndCodeableConcept() {
        String inside = DATA.anchor;
        String outside = DATA.color.keySet().stream().filter(c -> !DATA.descendantsOrSelf(DATA.anchor).contains(c))
                .findFirst().orElseThrow();
        Parameters yes = parameters(fhir().urlEncodingEnabled(false).get("/ValueSet/$validate-code?url="
                + TerminologyFixture.IS_A + "&system=" + TerminologyFixture.SYSTEM + "&code=" + inside));
        assertThat(((org.hl7.fhir.r4.model.BooleanType) yes.getParameter("result").getValue()).booleanValue()).isTrue();
        assertThat(yes.getParameter("display").getValue().primitiveValue()).isEqualTo("Concept " + inside.substring(1));

        Parameters in = new Parameters();
        in.addParameter("coding", new Coding(TerminologyFixture.SYSTEM, outside, null));
        Parameters no = parameters(fhir().body(FHIR.newJsonParser().encodeResourceToString(in))
                .post("/ValueSet/term-is-a/$validate-code"));
        assertThat(((org.hl7.fhir.r4.model.BooleanType) no.getParameter("result").getValue()).booleanValue()).isFalse();
        assertThat(no.getParameter("message").getValue().primitiveValue()).contains(outside);

        Parameters cc = new Parameters();
        cc.addParameter("url", new org.hl7.fhir.r4.model.UriType(TerminologyFixture.IS_A));
        cc.addParameter().setName("codeableConcept").setValue(new CodeableConcept()
                .addCoding(new Coding(TerminologyFixture.SYSTEM, outside, null))
                .addCoding(new Coding(TerminologyFixture.SYSTEM, inside, null)));
        Parameters any = parameters(fhir().body(FHIR.newJsonParser().encodeResourceToString(cc)).post("/ValueSet/$validate-code"));
        assertThat(((org.hl7.fhir.r4.model.BooleanType) any.getParameter("result").getValue()).booleanValue()).isTrue();

        Parameters wrongDisplay = parameters(fhir().urlEncodingEnabled(false).get("/ValueSet/$validate-code?url="
                + TerminologyFixture.IS_A + "&system=" + TerminologyFixture.SYSTEM + "&code=" + inside + "&display=Nope"));
        assertThat(((org.hl7.fhir.r4.model.BooleanType) wrongDisplay.getParameter("result").getValue()).booleanValue()).isFalse();
        assertThat(wrongDisplay.getParameter("message").getValue().primitiveValue()).contains("Concept " + inside.substring(1));
    }

    @Test
    void lookupGivesDisplayDesignationsPropertiesAndRelatives() {
        for (String code : List.of("c0", DATA.anchor, "c" + (TerminologyFixture.SIZE - 1))) {
            Parameters out = parameters(fhir().urlEncodingEnabled(false).get("/CodeSystem/$lookup?system="
                    + TerminologyFixture.SYSTEM + "&code=" + code));
            assertThat(out.getParameter("name").getValue().primitiveValue()).isEqualTo("TermTree");
            assertThat(out.getParameter("version").getValue().primitiveValue()).isEqualTo("1");
            assertThat(out.getParameter("display").getValue().primitiveValue()).isEqualTo("Concept " + code.substring(1));
            assertThat(out.getParameter().stream().filter(p -> p.getName().equals("designation"))
                    .map(p -> p.getPart().stream().filter(x -> x.getName().equals("value")).findFirst().orElseThrow()
                            .getValue().primitiveValue()).toList()).containsExactly("Begriff " + code.substring(1));
            assertThat(property(out, "color")).containsExactly(DATA.color.get(code));
            assertThat(property(out, "parent")).isEqualTo(DATA.parent.containsKey(code) ? Set.of(DATA.parent.get(code)) : Set.of());
            assertThat(property(out, "child")).isEqualTo(DATA.children(code));
        }
        Parameters byCoding = new Parameters();
        byCoding.addParameter("coding", new Coding(TerminologyFixture.SYSTEM, "c0", null).setVersion("1"));
        Parameters out = parameters(fhir().body(FHIR.newJsonParser().encodeResourceToString(byCoding)).post("/CodeSystem/$lookup"));
        assertThat(out.getParameter("display").getValue().primitiveValue()).isEqualTo("Concept 0");
    }

    @Test
    void tokenBelowAndAboveFollowTheHierarchy() {
        String leaf = DATA.color.keySet().stream().filter(c -> DATA.children(c).isEmpty() && DATA.parent.containsKey(c))
                .reduce((a, b) -> DATA.ancestorsOrSelf(a).size() >= DATA.ancestorsOrSelf(b).size() ? a : b).orElseThrow();
        assertThat(observationPatients("code:below=" + TerminologyFixture.SYSTEM + "%7C" + DATA.anchor))
                .isEqualTo(patientsCoded(DATA.descendantsOrSelf(DATA.anchor)));
        assertThat(observationPatients("code:above=" + TerminologyFixture.SYSTEM + "%7C" + leaf))
                .isEqualTo(patientsCoded(DATA.ancestorsOrSelf(leaf)));
        // ANDed with a chained parameter
        assertThat(observationPatients("code:below=" + TerminologyFixture.SYSTEM + "%7C" + DATA.anchor
                + "&subject:Patient.identifier=" + TerminologyFixture.OWN + "%7C"))
                .isEqualTo(patientsCoded(DATA.descendantsOrSelf(DATA.anchor)));
        // no stored CodeSystem, or no system: 400 naming the problem
        fhir().urlEncodingEnabled(false).get("/Observation?code:below=http://snomed.info/sct%7C12345")
                .then().statusCode(400).body(containsString("http://snomed.info/sct"));
        fhir().urlEncodingEnabled(false).get("/Observation?code:below=12345").then().statusCode(400)
                .body(containsString("system|code"));
    }

    @Test
    void uriBelowAndAboveUsePathPrefixes() {
        String below = fhir().urlEncodingEnabled(false).get("/ValueSet?url:below=http://example.org/fhir/ValueSet/term-&_count=100")
                .then().statusCode(200).extract().asString();
        assertThat(urls(below)).containsExactlyInAnyOrder(TerminologyFixture.IS_A, TerminologyFixture.DESCENDENT,
                TerminologyFixture.NOT_A, TerminologyFixture.RED);
        String above = fhir().urlEncodingEnabled(false).get("/CodeSystem?url:above=" + TerminologyFixture.SYSTEM + "/v2/extra")
                .then().statusCode(200).extract().asString();
        assertThat(urls(above)).containsExactly(TerminologyFixture.SYSTEM);
    }

    @Test
    void unknownContentIsNotFoundAndTheCapabilityStatementListsTheOperations() {
        fhir().urlEncodingEnabled(false).get("/ValueSet/$expand?url=http://example.org/none").then().statusCode(404)
                .body(containsString("OperationOutcome"));
        fhir().get("/ValueSet/no-such-vs/$expand").then().statusCode(404);
        fhir().urlEncodingEnabled(false).get("/CodeSystem/$lookup?system=http://example.org/none&code=x").then().statusCode(404);
        fhir().urlEncodingEnabled(false).get("/CodeSystem/$lookup?system=" + TerminologyFixture.SYSTEM + "&code=nope")
                .then().statusCode(404);
        ValueSet orphan = new ValueSet();
        orphan.setUrl("http://example.org/orphan").getCompose().addInclude().setSystem("http://example.org/no-cs")
                .addFilter().setProperty("concept").setOp(ValueSet.FilterOperator.ISA).setValue("x");
        Parameters inline = new Parameters();
        inline.addParameter().setName("valueSet").setResource(orphan);
        fhir().body(FHIR.newJsonParser().encodeResourceToString(inline)).post("/ValueSet/$expand").then().statusCode(404)
                .body(containsString("http://example.org/no-cs"));
        String cs = fhir().get("/metadata").then().statusCode(200).extract().asString();
        org.hl7.fhir.r4.model.CapabilityStatement statement = FHIR.newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.CapabilityStatement.class, cs);
        Map<String, Set<String>> ops = statement.getRestFirstRep().getResource().stream().collect(Collectors.toMap(
                r -> r.getType(), r -> r.getOperation().stream().map(o -> o.getName()).collect(Collectors.toSet())));
        assertThat(ops.get("ValueSet")).contains("expand", "validate-code");
        assertThat(ops.get("CodeSystem")).contains("lookup");
    }

    @Test
    void badParametersAre400() {
        for (String query : List.of("/ValueSet/$expand", "/ValueSet/$expand?url=" + TerminologyFixture.IS_A + "&count=-1",
                "/ValueSet/$expand?url=" + TerminologyFixture.IS_A + "&offset=x",
                "/ValueSet/$expand?url=" + TerminologyFixture.IS_A + "&includeDesignations=maybe",
                "/ValueSet/$expand?url=" + TerminologyFixture.IS_A + "&bogus=1",
                "/ValueSet/$expand?valueSetVersion=1", "/ValueSet/$validate-code?url=" + TerminologyFixture.IS_A,
                "/ValueSet/$validate-code?url=" + TerminologyFixture.IS_A + "&code=c1&coding=a%7Cb",
                "/ValueSet/$validate-code?url=" + TerminologyFixture.IS_A + "&coding=nobar",
                "/CodeSystem/$lookup?code=c1", "/CodeSystem/$lookup?system=" + TerminologyFixture.SYSTEM,
                "/CodeSystem/$lookup?system=a&code=b&code=c")) {
            fhir().urlEncodingEnabled(false).get(query).then().statusCode(400).body(containsString("OperationOutcome"));
        }
        fhir().body("{\"resourceType\":\"Patient\"}").post("/ValueSet/$expand").then().statusCode(400);
        Parameters wrongType = new Parameters();
        wrongType.addParameter("valueSet", new StringType("not a resource"));
        fhir().body(FHIR.newJsonParser().encodeResourceToString(wrongType)).post("/ValueSet/$expand").then().statusCode(400);
    }

    private ValueSet expand(String path, String query) {
        String body = fhir().urlEncodingEnabled(false).get(path + (query.isEmpty() ? "" : "?" + query))
                .then().log().ifValidationFails().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(ValueSet.class, body);
    }

    private Set<String> expandCodes(String query) {
        ValueSet vs = expand("/ValueSet/$expand", query);
        assertThat(vs.getExpansion().getContains()).allSatisfy(c -> assertThat(c.getSystem()).isEqualTo(TerminologyFixture.SYSTEM));
        return codes(vs);
    }

    private static Set<String> codes(ValueSet vs) {
        return vs.getExpansion().getContains().stream().map(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Parameters parameters(io.restassured.response.Response response) {
        String body = response.then().log().ifValidationFails().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(Parameters.class, body);
    }

    private static Set<String> property(Parameters out, String code) {
        Set<String> values = new LinkedHashSet<>();
        for (var p : out.getParameter()) {
            if (p.getName().equals("property") && p.getPart().stream().anyMatch(x -> x.getName().equals("code")
                    && x.getValue().primitiveValue().equals(code))) {
                p.getPart().stream().filter(x -> x.getName().equals("value")).forEach(x -> values.add(x.getValue().primitiveValue()));
            }
        }
        return values;
    }

    private static long count(MeasureReport report, String population) {
        return report.getGroupFirstRep().getPopulation().stream()
                .filter(p -> p.getCode().getCodingFirstRep().getCode().equals(population)).findFirst().orElseThrow().getCount();
    }

    private Set<String> observationPatients(String query) {
        String body = fhir().urlEncodingEnabled(false).get("/Observation?" + query + "&_count=500")
                .then().log().ifValidationFails().statusCode(200).extract().asString();
        Bundle b = FHIR.newJsonParser().parseResource(Bundle.class, body);
        return b.getEntry().stream().map(e -> ((org.hl7.fhir.r4.model.Observation) e.getResource()).getSubject()
                .getReferenceElement().getIdPart()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> patientsCoded(Set<String> codes) {
        return DATA.observationCode.entrySet().stream().filter(e -> codes.contains(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> urls(String bundle) {
        return FHIR.newJsonParser().parseResource(Bundle.class, bundle).getEntry().stream()
                .map(e -> ((org.hl7.fhir.r4.model.MetadataResource) e.getResource()).getUrl()).toList();
    }
}
