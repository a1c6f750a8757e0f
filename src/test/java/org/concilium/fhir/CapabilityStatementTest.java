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
                String value = kinds.get(j).equals("composite")
                        ? "x$" + sample(org.concilium.store.SearchParameterCatalog.param(types.get(i), names.get(j))
                                .orElseThrow().components().get(1).param().type().code())
                        : sample(kinds.get(j));
                fhir().header("Prefer", "handling=strict").get("/" + types.get(i) + "?" + names.get(j) + "=" + value)
                        .then().statusCode(200);
            }
        }
    }

    /** A well-formed value of a parameter type (a composite's second part uses its component's type). */
    private static String sample(String kind) {
        return switch (kind) {
            case "date" -> "ge2019-01-01";
            case "number", "quantity" -> "gt1";
            default -> "x";
        };
    }

    @Test
    void typesComeFromTheR4DefinitionsAndTheStatementPassesTheHl7Validator() {
        String json = fhir().get("/metadata").then().statusCode(200)
                .body("rest[0].resource.find { it.type == 'Measure' }.searchParam.find { it.name == 'url' }.type",
                        equalTo("uri"))
                .body("rest[0].resource.find { it.type == 'MeasureReport' }.searchParam.find { it.name == 'measure' }.type",
                        equalTo("reference"))
                .body("rest[0].resource.find { it.type == 'Patient' }.searchParam.name",
                        hasItems("name", "family", "address", "general-practitioner", "_profile"))
                .body("rest[0].resource.find { it.type == 'Observation' }.searchParam.find { it.name == 'value-quantity' }.type",
                        equalTo("quantity"))
                .extract().asString();
        var fhir = ca.uhn.fhir.context.FhirContext.forR4Cached();
        var chain = new org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain(
                new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(fhir),
                new org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport(fhir),
                new org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService(fhir));
        var module = new org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator(chain);
        var result = fhir.newValidator().registerValidatorModule(module).validateWithResult(json);
        var errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ca.uhn.fhir.validation.ResultSeverityEnum.ERROR
                        || m.getSeverity() == ca.uhn.fhir.validation.ResultSeverityEnum.FATAL)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
        org.junit.jupiter.api.Assertions.assertTrue(errors.isEmpty(), () -> String.join("\n", errors));
    }
}
