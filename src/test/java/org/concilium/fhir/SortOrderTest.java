package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * _sort compares keys by their type, also across cursor pages: numbers as numbers (10 after 9, not
 * before it as text would sort them), dates as instants.
 */
@QuarkusTest
class SortOrderTest extends FhirTestBase {

    private static void observation(String id, String value, String when) {
        fhir().body("{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"urn:sort\",\"code\":\"n\"}]},\"effectiveDateTime\":\"" + when
                + "\",\"valueQuantity\":{\"value\":" + value + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"g\"}}")
                .put("/Observation/" + id).then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    /** Every page of the search, following next links one row at a time. */
    private static List<String> walk(String query) {
        List<String> ids = new ArrayList<>();
        String url = query;
        for (int pages = 0; url != null && pages < 20; pages++) {
            JsonPath page = fhir().urlEncodingEnabled(pages == 0).get(url).then().statusCode(200).extract().jsonPath();
            List<String> got = page.getList("entry.resource.id");
            ids.addAll(got == null ? List.of() : got);
            String next = page.getString("link.find { it.relation == 'next' }.url");
            url = next == null ? null : next.substring(next.indexOf("/Observation"));
        }
        return ids;
    }

    @Test
    void numbersAndDatesSortByValueAcrossCursorPages() {
        observation("so-9", "9", "2020-01-02T00:00:00Z");
        observation("so-10", "10", "2020-01-10T00:00:00Z");
        observation("so-100", "100", "2019-12-31T23:00:00-05:00"); // 2020-01-01T04:00Z
        observation("so-2", "2.5", "2020-01-03");
        assertThat(walk("/Observation?code=urn:sort|n&_sort=value-quantity&_count=1"))
                .containsExactly("so-2", "so-9", "so-10", "so-100");
        assertThat(walk("/Observation?code=urn:sort|n&_sort=-value-quantity&_count=1"))
                .containsExactly("so-100", "so-10", "so-9", "so-2");
        assertThat(walk("/Observation?code=urn:sort|n&_sort=date&_count=2"))
                .containsExactly("so-100", "so-9", "so-2", "so-10");
    }

    /**
     * Several keys: the first key ties for most rows, so the later keys decide (they are computed
     * only for the rows a page needs, after the matches are sorted on the first key). Walked a row
     * at a time forwards, then backwards from the end.
     */
    @Test
    void laterKeysOrderTiesOfTheFirstAcrossCursorPagesBothWays() {
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"so-p\"}").put("/Patient/so-p").then()
                .statusCode(anyOf(equalTo(200), equalTo(201)));
        String[][] rows = {{"so-k1", "b", "2021-05-01"}, {"so-k2", "a", "2021-05-01"}, {"so-k3", "c", "2021-05-01"},
            {"so-k4", "a", "2020-01-01"}, {"so-k5", "b", "2022-01-01"}, {"so-k6", "a", "2021-05-01"}};
        for (String[] r : rows) {
            fhir().body("{\"resourceType\":\"Observation\",\"id\":\"" + r[0] + "\",\"status\":\"final\","
                    + "\"subject\":{\"reference\":\"Patient/so-p\"},\"code\":{\"coding\":[{\"system\":\"urn:sort2\","
                    + "\"code\":\"" + r[1] + "\"}]},\"effectiveDateTime\":\"" + r[2] + "\"}").put("/Observation/" + r[0])
                    .then().statusCode(anyOf(equalTo(200), equalTo(201)));
        }
        List<String> expected = List.of("so-k5", "so-k2", "so-k6", "so-k1", "so-k3", "so-k4");
        assertThat(walk("/Observation?patient=so-p&_sort=-date,code,_id&_count=1")).containsExactlyElementsOf(expected);
        assertThat(walk("/Observation?patient=so-p&_sort=-date,code,_id&_count=4")).containsExactlyElementsOf(expected);
        assertThat(walk("/Observation?patient=so-p&_sort=-date,code&_include=Observation:patient&_count=2"))
                .containsExactly("so-k5", "so-k2", "so-p", "so-k6", "so-k1", "so-p", "so-k3", "so-k4", "so-p");
        // backwards: from the last page, previous links give the same rows in the same order
        List<String> back = new ArrayList<>();
        String url = "/Observation?patient=so-p&_sort=-date,code,_id&_count=2";
        JsonPath page = fhir().get(url).then().extract().jsonPath();
        for (int i = 0; i < 10 && page.getString("link.find { it.relation == 'next' }.url") != null; i++) {
            String next = page.getString("link.find { it.relation == 'next' }.url");
            page = fhir().urlEncodingEnabled(false).get(next.substring(next.indexOf("/Observation"))).then().statusCode(200)
                    .extract().jsonPath();
        }
        for (int i = 0; i < 10 && page != null; i++) {
            back.addAll(0, page.getList("entry.resource.id"));
            String previous = page.getString("link.find { it.relation == 'previous' }.url");
            page = previous == null ? null : fhir().urlEncodingEnabled(false)
                    .get(previous.substring(previous.indexOf("/Observation"))).then().statusCode(200).extract().jsonPath();
        }
        assertThat(back).containsExactlyElementsOf(expected);
    }
}
