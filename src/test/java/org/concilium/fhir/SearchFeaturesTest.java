package org.concilium.fhir;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Search types, modifiers, chains, _has, includes, sorting and result shaping over HTTP (issue 11). */
@QuarkusTest
class SearchFeaturesTest extends FhirTestBase {

    private static boolean loaded;

    private static void put(String path, String json) {
        fhir().body(json).put(path).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        put("/Practitioner/f-dr", "{\"resourceType\":\"Practitioner\",\"id\":\"f-dr\","
                + "\"identifier\":[{\"system\":\"urn:npi\",\"value\":\"f-123\"}],\"name\":[{\"family\":\"Docteur\"}]}");
        put("/Patient/f-p1", "{\"resourceType\":\"Patient\",\"id\":\"f-p1\",\"gender\":\"female\","
                + "\"birthDate\":\"1980-05-01\",\"identifier\":[{\"system\":\"urn:f-mrn\",\"value\":\"A,1\"}],"
                + "\"name\":[{\"family\":\"Fm\\u00fcller\",\"given\":[\"Ana\"]}],"
                + "\"generalPractitioner\":[{\"reference\":\"Practitioner/f-dr\"}]}");
        put("/Patient/f-p2", "{\"resourceType\":\"Patient\",\"id\":\"f-p2\",\"gender\":\"male\",\"birthDate\":\"1990\","
                + "\"identifier\":[{\"system\":\"urn:f-mrn\",\"value\":\"B2\"}],\"name\":[{\"family\":\"Fmueller-Smith\","
                + "\"given\":[\"Bob\"]}],\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">Bob</div>\"}}");
        observation("f-o1", "f-p1", "8480-6", "Systolic blood pressure", "120", "mm[Hg]", "2020-01-01", "final");
        observation("f-o2", "f-p1", "29463-7", "Body weight", "70000", "g", "2021-06-01", "amended");
        observation("f-o3", "f-p2", "8480-6", "Systolic blood pressure", "140", "mm[Hg]", "2022-03-01", "final");
        put("/Measure/f-m", "{\"resourceType\":\"Measure\",\"id\":\"f-m\",\"status\":\"active\","
                + "\"url\":\"http://example.org/fhir/Measure/f-m\"}");
        put("/MeasureReport/f-mr", "{\"resourceType\":\"MeasureReport\",\"id\":\"f-mr\",\"status\":\"complete\","
                + "\"type\":\"summary\",\"measure\":\"http://example.org/fhir/Measure/f-m\","
                + "\"period\":{\"start\":\"2020-01-01\",\"end\":\"2020-12-31\"}}");
        loaded = true;
    }

    private static void observation(String id, String patient, String loinc, String display, String value, String unit,
            String when, String status) {
        put("/Observation/" + id, "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"" + status + "\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\",\"display\":\""
                + display + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"performer\":[{\"reference\":\"Practitioner/f-dr\"}],\"effectiveDateTime\":\"" + when + "\","
                + "\"valueQuantity\":{\"value\":" + value + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"" + unit
                + "\",\"unit\":\"" + unit + "\"}}");
    }

    @Test
    void stringSearchIsStartsWithCaseAndAccentInsensitiveWithExactAndContains() {
        load();
        fhir().get("/Patient?name=fmuller").then().statusCode(200).body("entry.resource.id", contains("f-p1"));
        fhir().get("/Patient?family=FMU").then().body("entry.resource.id", containsInAnyOrder("f-p1", "f-p2"));
        fhir().get("/Patient?family:exact=Fmüller").then().body("entry.resource.id", contains("f-p1"));
        fhir().get("/Patient?family:exact=fmüller").then().body("total", equalTo(0));
        fhir().get("/Patient?name:contains=UELLER-SM").then().body("entry.resource.id", contains("f-p2"));
        fhir().get("/Patient?given=an,bo&family=fm").then().body("total", equalTo(2));
    }

    @Test
    void tokenModifiersAndEscapedOrLists() {
        load();
        fhir().get("/Patient?identifier=urn:f-mrn|A\\,1").then().body("entry.resource.id", contains("f-p1"));
        fhir().get("/Patient?identifier=urn:f-mrn|A\\,1,urn:f-mrn|B2").then().body("total", equalTo(2));
        fhir().get("/Observation?subject=Patient/f-p1&code:not=8480-6").then()
                .body("entry.resource.id", contains("f-o2"));
        fhir().get("/Observation?code:text=systolic&subject=f-p2").then().body("entry.resource.id", contains("f-o3"));
        fhir().get("/Patient?_id=f-p1,f-p2&gender:missing=false").then().body("total", equalTo(2));
        // R4's deceased expression is false for a patient without deceased[x], so it is never missing
        fhir().get("/Patient?_id=f-p1,f-p2&deceased=false").then().body("total", equalTo(2));
        fhir().get("/Patient?_id=f-p1,f-p2&general-practitioner:missing=true").then()
                .body("entry.resource.id", contains("f-p2"));
        fhir().get("/Observation?_id:not=f-o1&performer=f-dr&status=final,amended").then()
                .body("entry.resource.id", containsInAnyOrder("f-o2", "f-o3"));
    }

    @Test
    void referencesDatesQuantitiesAndUris() {
        load();
        fhir().get("/Observation?subject:Patient=f-p1").then().body("total", equalTo(2));
        fhir().get("/Observation?performer:identifier=urn:npi|f-123").then().body("total", equalTo(0));
        fhir().get("/MeasureReport?measure=http://example.org/fhir/Measure/f-m").then()
                .body("entry.resource.id", contains("f-mr"));
        fhir().get("/Measure?url=http://example.org/fhir/Measure/f-m").then().body("entry.resource.id", contains("f-m"));
        fhir().get("/Measure?url:below=http://example.org/fhir").then().body("entry.resource.id", hasItem("f-m"));
        fhir().get("/Measure?url=http://example.org/fhir").then().body("entry.resource.id", not(hasItem("f-m")));
        fhir().get("/Measure?url:above=http://example.org/fhir/Measure/f-m/extra").then()
                .body("entry.resource.id", hasItem("f-m"));
        fhir().get("/Observation?performer=f-dr&date=ap2020-01-02").then().body("entry.resource.id", contains("f-o1"));
        fhir().get("/Observation?performer=f-dr&date=sa2020-06-01&date=eb2022").then()
                .body("entry.resource.id", contains("f-o2"));
        fhir().get("/Observation?performer=f-dr&value-quantity=gt130|http://unitsofmeasure.org|mm[Hg]").then()
                .body("entry.resource.id", contains("f-o3"));
        // UCUM: 70 kg matches 70000 g
        fhir().get("/Observation?performer=f-dr&value-quantity=70|http://unitsofmeasure.org|kg").then()
                .body("entry.resource.id", contains("f-o2"));
        fhir().get("/Observation?performer=f-dr&value-quantity=le120").then()
                .body("entry.resource.id", contains("f-o1"));
        fhir().get("/Observation?value-quantity=abc").then().statusCode(400);
    }

    @Test
    void chainedAndReverseChainedParameters() {
        load();
        fhir().get("/Observation?subject:Patient.identifier=urn:f-mrn|B2").then()
                .body("entry.resource.id", contains("f-o3"));
        fhir().get("/Observation?subject.name=fmueller").then().body("entry.resource.id", contains("f-o3"));
        fhir().get("/Observation?patient.general-practitioner.identifier=x").then().statusCode(400);
        fhir().get("/Patient?_has:Observation:subject:code=29463-7").then().body("entry.resource.id", contains("f-p1"));
        fhir().get("/Patient?_has:Observation:patient:status=final&family=fm").then()
                .body("entry.resource.id", containsInAnyOrder("f-p1", "f-p2"));
    }

    @Test
    void includeRevincludeAndIterate() {
        load();
        fhir().get("/Observation?_id=f-o1,f-o3&_include=Observation:subject").then().statusCode(200)
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", containsInAnyOrder("f-o1", "f-o3"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", containsInAnyOrder("f-p1", "f-p2"));
        fhir().get("/Patient?_id=f-p1&_revinclude=Observation:subject").then()
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", containsInAnyOrder("f-o1", "f-o2"));
        fhir().get("/Observation?_id=f-o3&_include=Observation:subject&_include:iterate=Patient:general-practitioner")
                .then().body("entry.findAll { it.search.mode == 'include' }.resource.id", containsInAnyOrder("f-p2"));
        fhir().get("/Observation?_id=f-o1&_include=Observation:subject&_include:iterate=Patient:general-practitioner")
                .then().body("entry.findAll { it.search.mode == 'include' }.resource.id",
                        containsInAnyOrder("f-p1", "f-dr"));
        fhir().get("/Observation?_id=f-o1&_include=Observation:nothing").then().statusCode(400);
    }

    /**
     * The first round of includes runs in the page's own statement: it covers the page's rows only,
     * not the look-ahead row that tells whether a next page exists, forwards and backwards.
     */
    @Test
    void includesFollowThePageAcrossCursors() {
        load();
        var first = fhir().get("/Observation?_id=f-o1,f-o3&_sort=_id&_count=1&_include=Observation:subject").then()
                .statusCode(200)
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", contains("f-o1"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", contains("f-p1"))
                .extract().jsonPath();
        String next = first.getString("link.find { it.relation == 'next' }.url");
        // the links are already encoded (_id=f-o1%2Cf-o3)
        var second = fhir().urlEncodingEnabled(false).get(next.substring(next.indexOf("/Observation"))).then()
                .statusCode(200)
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", contains("f-o3"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", contains("f-p2"))
                .extract().jsonPath();
        String previous = second.getString("link.find { it.relation == 'previous' }.url");
        fhir().urlEncodingEnabled(false).get(previous.substring(previous.indexOf("/Observation"))).then().statusCode(200)
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", contains("f-o1"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", contains("f-p1"));
        fhir().get("/Patient?_id=f-p1,f-p2&_sort=-_id&_count=1&_revinclude=Observation:subject").then()
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", contains("f-p2"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", contains("f-o3"));
        // several include parameters and a sort key: each branch sees the same page
        fhir().get("/Observation?_id=f-o1,f-o3&_sort=-_id&_count=1&_include=Observation:subject"
                + "&_include=Observation:performer").then()
                .body("entry.findAll { it.search.mode == 'match' }.resource.id", contains("f-o3"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", hasItem("f-p2"))
                .body("entry.findAll { it.search.mode == 'include' }.resource.id", not(hasItem("f-p1")));
    }

    @Test
    void sortOnSeveralKeysAndPagesByCursor() {
        load();
        fhir().get("/Observation?performer=f-dr&_sort=-date").then()
                .body("entry.resource.id", contains("f-o3", "f-o2", "f-o1"));
        fhir().get("/Observation?performer=f-dr&_sort=code,-date").then()
                .body("entry.resource.id", contains("f-o2", "f-o3", "f-o1"));
        fhir().get("/Patient?family=fm&_sort=-birthdate").then().body("entry.resource.id", contains("f-p2", "f-p1"));
        fhir().get("/Patient?family=fm&_sort=family").then().body("entry.resource.id", contains("f-p2", "f-p1"));
        fhir().get("/Observation?performer=f-dr&_sort=value-quantity").then()
                .body("entry.resource.id", contains("f-o1", "f-o3", "f-o2"));
        var page1 = fhir().get("/Observation?performer=f-dr&_sort=-date&_count=2").then()
                .body("entry.resource.id", contains("f-o3", "f-o2")).body("$", not(hasKey("total"))).extract();
        String next = page1.path("link.find { it.relation == 'next' }.url");
        var page2 = fhir().get(next.substring(next.indexOf("/Observation"))).then()
                .body("entry.resource.id", contains("f-o1")).body("link.find { it.relation == 'next' }", nullValue())
                .extract();
        String previous = page2.path("link.find { it.relation == 'previous' }.url");
        fhir().get(previous.substring(previous.indexOf("/Observation"))).then()
                .body("entry.resource.id", contains("f-o3", "f-o2"));
    }

    @Test
    void totalSummaryAndElements() {
        load();
        fhir().get("/Observation?performer=f-dr&_count=1&_total=accurate").then().body("total", equalTo(3));
        fhir().get("/Observation?performer=f-dr&_count=1&_total=estimate").then().body("$", hasKey("total"));
        fhir().get("/Observation?performer=f-dr&_total=none").then().body("$", not(hasKey("total")));
        fhir().get("/Observation?performer=f-dr&_summary=count").then().body("total", equalTo(3))
                .body("entry", nullValue());
        fhir().get("/Observation?_id=f-o1&_elements=code").then().body("entry[0].resource.code.coding[0].code",
                equalTo("8480-6")).body("entry[0].resource.status", equalTo("final"))
                .body("entry[0].resource", not(hasKey("valueQuantity")))
                .body("entry[0].resource.meta.tag.code", hasItem("SUBSETTED"));
        fhir().get("/Patient?_id=f-p2&_summary=true").then().body("entry[0].resource.name[0].family",
                equalTo("Fmueller-Smith")).body("entry[0].resource", not(hasKey("text")));
        fhir().get("/Patient?_id=f-p2&_summary=text").then().body("entry[0].resource", hasKey("text"))
                .body("entry[0].resource", not(hasKey("name")));
        fhir().get("/Patient?_id=f-p2&_summary=data").then().body("entry[0].resource", not(hasKey("text")))
                .body("entry[0].resource", hasKey("name"));
        fhir().get("/Patient?_summary=maybe").then().statusCode(400);
    }

    @Test
    void patientCompartment() {
        load();
        fhir().get("/Patient/f-p1/Observation").then().statusCode(200)
                .body("entry.resource.id", containsInAnyOrder("f-o1", "f-o2"));
        fhir().get("/Patient/f-p1/Observation?code=8480-6").then().body("entry.resource.id", contains("f-o1"));
        fhir().get("/Patient/f-p1/Practitioner").then().statusCode(404);
    }

    @Test
    void patientEverythingWithTypeSinceAndPaging() {
        load();
        fhir().get("/Patient/f-p1/$everything").then().statusCode(200)
                .body("entry.resource.id", containsInAnyOrder("f-p1", "f-o1", "f-o2"));
        fhir().get("/Patient/f-p1/$everything?_type=Observation").then()
                .body("entry.resource.id", containsInAnyOrder("f-o1", "f-o2"));
        fhir().get("/Patient/f-p1/$everything?_since=2999-01-01T00:00:00Z").then().body("total", equalTo(0));
        java.util.List<String> seen = new java.util.ArrayList<>();
        String url = "/Patient/f-p1/$everything?_count=1";
        while (url != null) {
            var page = fhir().urlEncodingEnabled(false).get(url).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("entry.resource.id", String.class));
            String next = page.getString("link.find { it.relation == 'next' }.url");
            url = next == null ? null : next.substring(next.indexOf("/Patient"));
        }
        org.assertj.core.api.Assertions.assertThat(seen).containsExactlyInAnyOrder("f-p1", "f-o1", "f-o2");
        fhir().get("/Patient/f-nobody/$everything").then().statusCode(404);
        fhir().get("/Patient/f-p1/$everything?start=2020").then().statusCode(400);
    }
}
