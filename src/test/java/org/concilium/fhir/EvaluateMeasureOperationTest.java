package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.quarkus.test.junit.QuarkusTest;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local $evaluate-measure over HTTP on the project's own synthetic data. */
@QuarkusTest
class EvaluateMeasureOperationTest extends FhirTestBase {

    private static boolean loaded;
    private static final String PERIOD = "periodStart=2024-01-01&periodEnd=2024-12-31";

    @BeforeEach
    void load() {
        if (loaded) {
            return;
        }
        for (String bundle : SyntheticPopulation.generate(7, 0, 60, 30)) {
            fhir().body(bundle).post("").then().statusCode(200);
        }
        fhir().body(DemoMeasures.json(DemoMeasures.DIABETES_COHORT)).put("/Measure/" + DemoMeasures.DIABETES_COHORT)
                .then().statusCode(201);
        loaded = true;
    }

    private static io.restassured.specification.RequestSpecification op() {
        return fhir().urlEncodingEnabled(false);
    }

    @Test
    void summaryReportByIdAndByCanonical() {
        int count = op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD).then()
                .statusCode(200).body("resourceType", equalTo("MeasureReport")).body("type", equalTo("summary"))
                .body("period.start", equalTo("2024-01-01")).body("group[0].population[0].count", greaterThan(0))
                .extract().path("group[0].population[0].count");
        op().get("/Measure/$evaluate-measure?measure=" + DemoMeasures.URL_PREFIX + DemoMeasures.DIABETES_COHORT + "&"
                + PERIOD).then().statusCode(200).body("group[0].population[0].count", equalTo(count));
        op().contentType(JSON).body("""
                {"resourceType":"Parameters","parameter":[{"name":"periodStart","valueDate":"2024-01-01"},
                 {"name":"periodEnd","valueDate":"2024-12-31"},{"name":"reportType","valueCode":"population"}]}""")
                .post("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure").then().statusCode(200)
                .body("group[0].population[0].count", equalTo(count));
    }

    @Test
    void badParametersAndUnknownMeasuresAreRefused() {
        op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?periodStart=yesterday&periodEnd=2024")
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD + "&colour=blue")
                .then().statusCode(400).body("issue[0].diagnostics", containsString("colour"));
        op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD
                + "&dataEndpoint=http://evil.example").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("never fetches"));
        op().get("/Measure/no-such-measure/$evaluate-measure?" + PERIOD).then().statusCode(404);
        op().get("/Measure/$evaluate-measure?" + PERIOD).then().statusCode(400);
    }

    @Test
    void productLineAndLastReceivedOnAreRecordedOnTheReport() {
        op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD
                        + "&productLine=Medicare&lastReceivedOn=2024-11-30T08:00:00Z").then().statusCode(200)
                .body("extension.find { it.url == '" + ReportAnnotations.PRODUCT_LINE + "' }.valueString", equalTo("Medicare"))
                .body("extension.find { it.url == '" + ReportAnnotations.LAST_RECEIVED_ON + "' }.valueDateTime",
                        equalTo("2024-11-30T08:00:00Z"));
        op().get("/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD + "&lastReceivedOn=soon")
                .then().statusCode(400).body("issue[0].diagnostics", containsString("lastReceivedOn"));
    }

    @Test
    void capabilityStatementListsTheOperation() {
        fhir().get("/metadata").then().body("rest[0].resource.find { it.type == 'Measure' }.operation[0].name",
                equalTo("evaluate-measure"));
    }
}
