package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.concilium.cli.LoadCommand;
import org.concilium.store.FhirJson;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** The Synthea sample loads through `load` (one transaction per bundle) and searches see exactly it. */
@QuarkusTest
class SyntheaLoadTest extends FhirTestBase {

    @TestHTTPResource("/fhir")
    URL fhirBase;

    @Test
    void allHundredBundlesLoadAndCountsAndSearchesMatch() throws IOException {
        Path dir = SharedData.dir("synthea-100");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("patient-")).sorted().toList();
        }
        assertThat(files).hasSize(100);
        Map<String, Integer> expected = new TreeMap<>();
        for (Path f : files) {
            Bundle b = FhirJson.parse(Bundle.class, Files.readString(f));
            b.getEntry().forEach(e -> expected.merge(e.getResource().fhirType(), 1, Integer::sum));
        }
        String since = Instant.now().minusMillis(5).toString();

        LoadCommand.Summary summary = LoadCommand.load(List.of(dir), fhirBase.toString(), 2, false, tokens());

        assertThat(summary.failures()).isEmpty();
        assertThat(summary.resources()).isEqualTo(expected.values().stream().mapToInt(Integer::intValue).sum());
        expected.forEach((type, count) -> fhir().get("/" + type + "?_lastUpdated=ge" + since + "&_summary=count")
                .then().statusCode(200).body("total", equalTo(count)));
    }

    @Test
    void hemoglobinA1cSearchReturnsExactlyTheMatchingEntries() throws IOException {
        Path file = SharedData.dir("synthea-100").resolve("patient-026.json");
        Bundle bundle = FhirJson.parse(Bundle.class, Files.readString(file));
        long expected = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Observation).map(r -> (Observation) r)
                .filter(o -> o.getCode().getCoding().stream()
                        .anyMatch(c -> "http://loinc.org".equals(c.getSystem()) && "4548-4".equals(c.getCode())))
                .filter(o -> o.hasEffectiveDateTimeType()
                        && !o.getEffectiveDateTimeType().getValue().toInstant().isBefore(Instant.parse("2019-01-01T00:00:00Z")))
                .count();
        String response = fhir().body(Files.readString(file)).post("").then().statusCode(200).extract().asString();
        String location = io.restassured.path.json.JsonPath.from(response).getString("entry[0].response.location");
        String patientId = location.split("/")[1];
        List<String> ids = fhir().get("/Observation?patient=" + patientId + "&code=http://loinc.org|4548-4&date=ge2019-01-01")
                .then().statusCode(200).body("total", equalTo((int) expected)).extract().path("entry.resource.id");
        assertThat(expected).isEqualTo(8);
        assertThat(ids).hasSize(8);
    }
}
