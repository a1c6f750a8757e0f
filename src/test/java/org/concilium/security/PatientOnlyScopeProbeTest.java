package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.ScopedClients;
import org.junit.jupiter.api.Test;

/**
 * A token allowed Patient only (read and search) tries every way of the FHIR surface that reaches
 * Observations: includes, _has, chains, compartments, $everything, history, counts, transactions'
 * GET entries, Bulk Data with _type/_typeFilter, $validate of a stored Observation. None may answer
 * with an Observation or its content, nor answer differently depending on whether it exists: each is
 * a 403, or a 200 that holds no Observation.
 */
@QuarkusTest
class PatientOnlyScopeProbeTest extends FhirTestBase {

    @Inject
    ClientRegistry registry;

    @Test
    void aPatientOnlyTokenNeverReachesObservations() {
        String secret = "obs-" + UUID.randomUUID();
        String patient = fhir().body("{\"resourceType\":\"Patient\",\"gender\":\"female\"}").post("/Patient").then()
                .statusCode(201).extract().path("id");
        String observation = fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"urn:rt\",\"code\":\"" + secret + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient
                + "\"}}").post("/Observation").then().statusCode(201).extract().path("id");
        String token = ScopedClients.authorization(registry, "system/Patient.rs");
        String has = "_has:Observation:subject:code=urn:rt%7C" + secret;
        List<String> gets = List.of(
                "/Patient?_id=" + patient + "&_revinclude=Observation:subject",
                "/Patient?_id=" + patient + "&_revinclude:iterate=Observation:subject",
                "/Patient?_id=" + patient + "&_include=*",
                "/Patient?" + has, "/Patient?" + has + "&_summary=count", "/Patient?" + has + "&_total=accurate",
                "/Patient?_id=" + patient + "&_has:Observation:patient:_id=" + observation,
                "/Patient/" + patient + "/Observation", "/Patient/" + patient + "/Observation?_summary=count",
                "/Patient/" + patient + "/$everything", "/Patient/" + patient + "/$everything?_type=Observation",
                "/Observation?subject=Patient/" + patient, "/Observation?_summary=count", "/Observation/" + observation,
                "/Observation/" + observation + "/_history", "/Observation/_history", "/_history",
                "/Patient?_sort=code", "/Patient/" + patient + "/_history");
        List<String> leaks = new ArrayList<>();
        int sent = 0;
        for (String get : gets) {
            Response r = fhir().header("Authorization", token).urlEncodingEnabled(false).get(get);
            sent++;
            check(leaks, "GET " + get, r, secret, observation);
        }
        // _has with the existing code and with a code nobody has must look the same: 403 both
        assertThat(fhir().header("Authorization", token).urlEncodingEnabled(false).get("/Patient?" + has).statusCode())
                .isEqualTo(fhir().header("Authorization", token).urlEncodingEnabled(false)
                        .get("/Patient?_has:Observation:subject:code=urn:rt%7Cnobody").statusCode());
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\","
                + "\"url\":\"Observation?code=urn:rt%7C" + secret + "\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Patient?"
                + has + "\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Observation/" + observation
                + "\"}}]}";
        check(leaks, "batch", fhir().header("Authorization", token).body(batch).post(""), secret, observation);
        check(leaks, "_search", fhir().header("Authorization", token).contentType("application/x-www-form-urlencoded")
                .body(has).post("/Patient/_search"), secret, observation);
        check(leaks, "$validate", fhir().header("Authorization", token).post("/Observation/" + observation
                + "/$validate"), secret, observation);
        for (String export : List.of("/Patient/$export?_type=Observation",
                "/Patient/$export?_typeFilter=Patient%3F" + has.replace(":", "%3A"),
                "/$export?_type=Patient&_typeFilter=Patient%3F_has%3AObservation%3Asubject%3Acode%3Dx",
                "/Group/x/$export")) {
            Response r = fhir().header("Authorization", token).header("Prefer", "respond-async").urlEncodingEnabled(false)
                    .get(export);
            sent++;
            if (r.statusCode() == 202) {
                leaks.add("export accepted: " + export);
                String status = r.header("Content-Location");
                fhir().header("Authorization", token).delete(status.substring(status.indexOf("/fhir") + 5));
            } else {
                check(leaks, "GET " + export, r, secret, observation);
            }
        }
        System.out.println("PATIENT-ONLY-PROBES sent=" + (sent + 4) + " leaks=" + leaks.size());
        assertThat(leaks).as("answers that reached Observations with a Patient-only token").isEmpty();
    }

    private static void check(List<String> leaks, String what, Response r, String secret, String observation) {
        String body = r.asString();
        if (r.statusCode() >= 500 || body.contains(secret) || body.contains(observation)
                || body.contains("\"resourceType\":\"Observation\"") || body.contains("\"resourceType\": \"Observation\"")) {
            leaks.add(r.statusCode() + " " + what + " -> " + body.substring(0, Math.min(300, body.length())));
        }
    }
}
