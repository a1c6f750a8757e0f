package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Composite search parameters over HTTP (issue 11): {@code code$value} pairs match only when both
 * parts hold on the same element (the Observation, or the same component), each part with its own
 * type's semantics (token system|code, quantity prefix and UCUM units, date, string).
 */
@QuarkusTest
class CompositeSearchTest extends FhirTestBase {

    private static final String LOINC = "http://loinc.org";
    private static final String UCUM = "http://unitsofmeasure.org";
    /** Component codes of the generated blood-pressure-like Observations. */
    private static final List<String> PARTS = List.of("8480-6", "8462-4", "8867-4");

    private static boolean loaded;
    /** Generated panels: id → one value per component code of PARTS (in mm[Hg]). */
    private static final List<int[]> PANELS = new ArrayList<>();

    private static void put(String path, String json) {
        fhir().body(json).put(path).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        // a panel: code 85354-9 on the Observation, systolic 120 and diastolic 80 on two components
        put("/Observation/cs-bp1", panel("cs-bp1", 120, 80));
        put("/Observation/cs-bp2", panel("cs-bp2", 150, 95));
        put("/Observation/cs-weight", "{\"resourceType\":\"Observation\",\"id\":\"cs-weight\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"29463-7\"}]},"
                + "\"valueQuantity\":{\"value\":70000,\"system\":\"" + UCUM + "\",\"code\":\"g\",\"unit\":\"g\"}}");
        put("/Observation/cs-smoke", "{\"resourceType\":\"Observation\",\"id\":\"cs-smoke\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"72166-2\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"449868002\"}]}}");
        put("/Observation/cs-onset", "{\"resourceType\":\"Observation\",\"id\":\"cs-onset\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"11368-8\"}]},"
                + "\"valueDateTime\":\"2019-04-02\"}");
        put("/Observation/cs-note", "{\"resourceType\":\"Observation\",\"id\":\"cs-note\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"8251-1\"}]},"
                + "\"valueString\":\"Feels well today\"}");
        loaded = true;
    }

    private static String panel(String id, int... values) {
        StringBuilder components = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            components.append(i > 0 ? "," : "").append("{\"code\":{\"coding\":[{\"system\":\"").append(LOINC)
                    .append("\",\"code\":\"").append(PARTS.get(i)).append("\"}]},\"valueQuantity\":{\"value\":")
                    .append(values[i]).append(",\"system\":\"").append(UCUM)
                    .append("\",\"code\":\"mm[Hg]\",\"unit\":\"mm[Hg]\"}}");
        }
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"85354-9\"}]},"
                + "\"component\":[" + components + "]}";
    }

    private static Response search(String name, String value, String... more) {
        var request = fhir().queryParam(name, value).queryParam("_count", 200);
        for (int i = 0; i + 1 < more.length; i += 2) {
            request = request.queryParam(more[i], more[i + 1]);
        }
        return request.get("/Observation");
    }

    /**
     * The hand-made fixture's matches: the test database is shared with other classes (Synthea blood pressures
     * and weights match these queries too) and with this class's generated panels, so only {@code cs-*} ids
     * that are not {@code cs-gen-*} are this fixture's.
     */
    private static List<String> ids(Response r) {
        return allIds(r).stream().filter(id -> id.startsWith("cs-") && !id.startsWith("cs-gen-")).toList();
    }

    private static List<String> allIds(Response r) {
        r.then().statusCode(200);
        List<String> ids = r.jsonPath().getList("entry.resource.id");
        return ids == null ? List.of() : ids; // a Bundle without matches has no entry
    }

    @Test
    void componentCodeAndValueMustComeFromTheSameComponent() {
        load();
        String systolic = LOINC + "|8480-6";
        assertThat(ids(search("component-code-value-quantity", systolic + "$120|" + UCUM + "|mm[Hg]")))
                .containsExactly("cs-bp1");
        assertThat(ids(search("component-code-value-quantity", systolic + "$gt100"))).containsExactlyInAnyOrder("cs-bp1",
                "cs-bp2");
        // 80 is cs-bp1's diastolic value: the systolic code and that value sit on different components
        assertThat(ids(search("component-code-value-quantity", systolic + "$80"))).isEmpty();
        assertThat(ids(search("component-code-value-quantity", "8462-4$80"))).containsExactly("cs-bp1");
        // the two plain parameters, ANDed, do match across components: the composite is what pairs them
        assertThat(ids(search("component-code", systolic, "component-value-quantity", "80"))).contains("cs-bp1");
        // the panel's own code with a component's value: different elements, no match
        assertThat(ids(search("combo-code-value-quantity", "85354-9$120"))).isEmpty();
        assertThat(ids(search("combo-code-value-quantity", "8480-6$le120"))).containsExactly("cs-bp1");
        assertThat(ids(search("code-value-quantity", "85354-9$120"))).isEmpty();
    }

    @Test
    void eachComponentKeepsItsOwnTypesSemantics() {
        load();
        // quantity: prefixes and UCUM canonical units (70000 g is 70 kg)
        assertThat(ids(search("code-value-quantity", LOINC + "|29463-7$gt69|" + UCUM + "|kg")))
                .containsExactly("cs-weight");
        assertThat(ids(search("code-value-quantity", LOINC + "|29463-7$lt69|" + UCUM + "|kg"))).isEmpty();
        assertThat(ids(search("combo-code-value-quantity", "29463-7$70|" + UCUM + "|kg"))).containsExactly("cs-weight");
        // token system|code on both sides, and an OR list of pairs
        assertThat(ids(search("code-value-concept", LOINC + "|72166-2$http://snomed.info/sct|449868002")))
                .containsExactly("cs-smoke");
        assertThat(ids(search("code-value-concept", "72166-2$http://other|449868002"))).isEmpty();
        assertThat(ids(search("code-value-quantity", "29463-7$70|" + UCUM + "|kg,8480-6$1")))
                .containsExactly("cs-weight");
        // date: precision and prefixes
        assertThat(ids(search("code-value-date", "11368-8$2019-04"))).containsExactly("cs-onset");
        assertThat(ids(search("code-value-date", "11368-8$gt2019-04-02"))).isEmpty();
        // string: starts-with, case-insensitive
        assertThat(ids(search("code-value-string", "8251-1$feels"))).containsExactly("cs-note");
        assertThat(ids(search("code-value-string", "8251-1$well"))).isEmpty();
        assertThat(ids(search("code-value-quantity:missing", "false", "_id", "cs-weight,cs-smoke")))
                .containsExactly("cs-weight");
    }

    @Test
    void malformedOrUnsupportedCompositeValuesAreA400NamingTheParameterInBothModes() {
        load();
        for (String[] q : new String[][] {{"code-value-quantity", "29463-7"}, {"code-value-quantity", "a$1$2"},
                {"code-value-quantity", "$70"}, {"code-value-quantity", "29463-7$"},
                {"code-value-quantity", "29463-7$seventy"}, {"code-value-date", "11368-8$2019-13"},
                {"code-value-quantity:exact", "29463-7$70"}, {"code-value-concept", "a|b|c$x"}}) {
            for (String handling : List.of("lenient", "strict")) {
                fhir().header("Prefer", "handling=" + handling).queryParam(q[0], q[1]).get("/Observation").then()
                        .statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].diagnostics", containsString(q[0].replace(":exact", "")));
            }
        }
        fhir().queryParam("_sort", "code-value-quantity").get("/Observation").then().statusCode(400);
    }

    @Test
    void theCapabilityStatementListsTheCompositesFromTheCatalog() {
        fhir().get("/metadata").then().statusCode(200)
                .body("rest[0].resource.find { it.type == 'Observation' }.searchParam.findAll { it.type == 'composite' }"
                        + ".name", containsInAnyOrder("code-value-concept", "code-value-date", "code-value-quantity",
                                "code-value-string", "combo-code-value-concept", "combo-code-value-quantity",
                                "component-code-value-concept", "component-code-value-quantity"))
                .body("rest[0].resource.find { it.type == 'Group' }.searchParam.name", hasItem("characteristic-value"));
    }

    /**
     * Generated panels and generated queries against a model: a panel matches
     * {@code code$[prefix]n} exactly when the component with that code has a value satisfying the
     * prefix, whatever the other components hold. Generated malformed values are a 400, never a 5xx.
     */
    @Test
    void generatedPanelsAndQueriesAgreeWithTheModelAndMalformedValuesAreNever5xx() {
        JqwikSession.start();
        try {
            Arbitrary<Integer> value = Arbitraries.integers().between(40, 200);
            synchronized (PANELS) {
                if (PANELS.isEmpty()) {
                    for (int i = 0; i < 24; i++) {
                        int[] v = {value.sample(), value.sample(), value.sample()};
                        put("/Observation/cs-gen-" + i, panel("cs-gen-" + i, v));
                        PANELS.add(v);
                    }
                }
            }
            Arbitrary<String> prefix = Arbitraries.of("", "eq", "ne", "gt", "lt", "ge", "le");
            for (int q = 0; q < 40; q++) {
                int part = Arbitraries.integers().between(0, PARTS.size() - 1).sample();
                String p = prefix.sample();
                int n = value.sample();
                Set<String> expected = new TreeSet<>();
                for (int i = 0; i < PANELS.size(); i++) {
                    if (holds(p, PANELS.get(i)[part], n)) {
                        expected.add("cs-gen-" + i);
                    }
                }
                String query = PARTS.get(part) + "$" + p + n + "|" + UCUM + "|mm[Hg]";
                Set<String> found = new TreeSet<>(allIds(search("component-code-value-quantity", query)));
                found.removeIf(id -> !id.startsWith("cs-gen-"));
                assertThat(found).as(query).isEqualTo(expected);
            }
            Arbitrary<String> malformed = Arbitraries.strings().withChars("$|\\,:gtl0123456789.eE-+[]ab ")
                    .ofMinLength(0).ofMaxLength(16);
            for (int i = 0; i < 150; i++) {
                String v = malformed.sample();
                Response r = fhir().queryParam("component-code-value-quantity", v).get("/Observation");
                assertThat(r.statusCode()).as("'" + v + "'").isIn(200, 400);
                if (r.statusCode() == 400) {
                    assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
                }
            }
        } finally {
            JqwikSession.finish();
        }
    }

    private static boolean holds(String prefix, int stored, int n) {
        return switch (prefix) {
            case "", "eq" -> stored == n;
            case "ne" -> stored != n;
            case "gt" -> stored > n;
            case "lt" -> stored < n;
            case "ge" -> stored >= n;
            case "le" -> stored <= n;
            default -> throw new IllegalArgumentException(prefix);
        };
    }
}
