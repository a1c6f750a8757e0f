package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchParameterCatalog;
import org.junit.jupiter.api.Test;

/**
 * A required element that is missing, null, or present only as an extension (data-absent-reason)
 * never reaches the indexer as a NullPointerException: the answer is a 4xx, or the resource is
 * stored (a value-less element with an extension is valid FHIR). Every supported type is tried.
 */
@QuarkusTest
class AbsentRequiredElementTest extends FhirTestBase {

    private static final String ABSENT = "{\"extension\":[{\"url\":"
            + "\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"unknown\"}]}";

    @Test
    void observationEncounterAndMeasureWithAStatusThatHasOnlyAnExtensionAreStoredAndReadable() {
        for (String type : List.of("Observation", "Encounter", "Measure")) {
            String body = absentRequired(type);
            String id = fhir().body(body).post("/" + type).then().statusCode(201).extract().path("id");
            fhir().get("/" + type + "/" + id).then().statusCode(200).body("_status.extension[0].valueCode",
                    equalTo("unknown"));
            // a status search must not trip over the value-less element either
            fhir().get("/" + type + "?status=final").then().statusCode(200);
        }
    }

    @Test
    void aNullOrMissingStatusIsA4xxOrStoredUnderALenientPolicyNeverA5xx() {
        for (String body : List.of("{\"resourceType\":\"Observation\",\"status\":null,\"code\":{\"text\":\"x\"}}",
                "{\"resourceType\":\"Encounter\",\"status\":null,\"class\":{\"code\":\"AMB\"}}",
                "{\"resourceType\":\"Measure\",\"status\":null}",
                "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}}",
                "{\"resourceType\":\"Encounter\",\"class\":{\"code\":\"AMB\"}}",
                "{\"resourceType\":\"Measure\"}")) {
            String type = body.substring(17, body.indexOf('"', 17));
            Response r = fhir().body(body).post("/" + type);
            if (r.statusCode() == 201) {
                fhir().get("/" + type + "/" + r.jsonPath().getString("id")).then().statusCode(200);
                continue;
            }
            assertThat(r.statusCode()).as(body).isBetween(400, 499);
            assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        }
    }

    @Test
    void everySupportedTypeWithEveryRequiredElementAbsentNullOrExtensionOnlyIsNever5xx() {
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (String type : SearchParameterCatalog.types()) {
            for (String body : List.of(absentRequired(type), nullRequired(type),
                    "{\"resourceType\":\"" + type + "\"}")) {
                for (String how : List.of("post", "put", "transaction")) {
                    Response r = send(type, body, how);
                    tried++;
                    if (r.statusCode() >= 500 || (r.statusCode() >= 400
                            && !"OperationOutcome".equals(r.jsonPath().getString("resourceType")))) {
                        failures.add(how + " " + body + " -> " + r.statusCode() + " " + r.asString());
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(3 * 3 * 20);
        assertThat(failures).isEmpty();
    }

    private static Response send(String type, String body, String how) {
        String id = "absent-" + Integer.toHexString(body.hashCode() & 0xfffffff);
        String withId = body.replaceFirst("\\{", "{\"id\":\"" + id + "\",");
        return switch (how) {
            case "post" -> fhir().body(body).post("/" + type);
            case "put" -> fhir().body(withId).put("/" + type + "/" + id);
            default -> fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                    + body + ",\"request\":{\"method\":\"POST\",\"url\":\"" + type + "\"}}]}").post("");
        };
    }

    /** Every required (min 1) element present only as an extension, without a value. */
    static String absentRequired(String type) {
        StringJoiner json = new StringJoiner(",", "{", "}").add("\"resourceType\":\"" + type + "\"");
        for (BaseRuntimeChildDefinition child : required(type)) {
            String name = child.getElementName();
            boolean primitive = child.getChildByName(name) instanceof RuntimePrimitiveDatatypeDefinition;
            boolean many = child.getMax() != 1;
            if (primitive) {
                json.add("\"_" + name + "\":" + (many ? "[" + ABSENT + "]" : ABSENT));
                if (many) {
                    json.add("\"" + name + "\":[null]");
                }
            } else {
                json.add("\"" + name + "\":" + (many ? "[" + ABSENT + "]" : ABSENT));
            }
        }
        return json.toString();
    }

    /** Every required element as JSON null. */
    static String nullRequired(String type) {
        StringJoiner json = new StringJoiner(",", "{", "}").add("\"resourceType\":\"" + type + "\"");
        required(type).forEach(c -> json.add("\"" + c.getElementName() + "\":null"));
        return json.toString();
    }

    private static List<BaseRuntimeChildDefinition> required(String type) {
        RuntimeResourceDefinition def = FhirJson.context().getResourceDefinition(type);
        return def.getChildren().stream().filter(c -> c.getMin() > 0
                && !(c instanceof ca.uhn.fhir.context.RuntimeChildChoiceDefinition)).toList();
    }
}
