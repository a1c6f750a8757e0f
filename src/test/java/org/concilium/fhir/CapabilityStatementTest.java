package org.concilium.fhir;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CapabilityStatementTest extends FhirTestBase {

    @Test
    void listsTheTypesInteractionsAndSearchParametersWeSupport() {
        fhir().get("/metadata").then().statusCode(200).body("resourceType", equalTo("CapabilityStatement"))
                .body("fhirVersion", equalTo("4.0.1"))
                .body("rest[0].interaction.code", hasItems("transaction", "batch"))
                .body("rest[0].resource.type", hasItems("Patient", "Encounter", "Observation", "MedicationStatement",
                        "DeviceRequest", "PractitionerRole", "Location", "Group", "Measure", "Library", "ValueSet",
                        "MeasureReport"))
                .body("rest[0].resource.type", not(hasItems("Claim")))
                .body("rest[0].resource.find { it.type == 'Observation' }.searchParam.name",
                        hasItems("_id", "_lastUpdated", "patient", "subject", "code", "date", "status"))
                .body("rest[0].resource.find { it.type == 'Observation' }.interaction.code",
                        hasItems("read", "vread", "update", "delete", "history-instance", "create", "search-type"));
    }

    @Test
    void everyAdvertisedSearchParameterIsAccepted() {
        var cs = fhir().get("/metadata").then().extract().jsonPath();
        java.util.List<String> types = cs.getList("rest[0].resource.type");
        for (int i = 0; i < types.size(); i++) {
            java.util.List<String> names = cs.getList("rest[0].resource[" + i + "].searchParam.name");
            java.util.List<String> kinds = cs.getList("rest[0].resource[" + i + "].searchParam.type");
            for (int j = 0; j < names.size(); j++) {
                String value = switch (kinds.get(j)) {
                    case "date" -> "ge2019-01-01";
                    case "number", "quantity" -> "gt1";
                    default -> "x";
                };
                fhir().header("Prefer", "handling=strict").get("/" + types.get(i) + "?" + names.get(j) + "=" + value)
                        .then().statusCode(200);
            }
        }
    }
}
