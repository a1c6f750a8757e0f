package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keyset paging: writes between pages neither skip nor repeat rows that existed when paging began. */
@QuarkusTest
class PagingTest extends FhirTestBase {

    private static void observation(String code, String when) {
        fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"urn:paging\",\"code\":\"" + code + "\"}]},\"effectiveDateTime\":\"" + when + "\"}")
                .post("/Observation").then().statusCode(201);
    }

    private static List<String> pageThrough(String first, String code, Runnable betweenPages) {
        List<String> seen = new ArrayList<>();
        String url = first;
        int pages = 0;
        while (url != null) {
            JsonPath page = fhir().urlEncodingEnabled(pages == 0).get(url).then().log().ifValidationFails().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("entry.resource.id", String.class));
            String next = page.getString("link.find { it.relation == 'next' }.url");
            url = next == null ? null : next.substring(next.indexOf("/Observation"));
            if (pages++ < 3) {
                betweenPages.run();
            }
        }
        return seen;
    }

    @Test
    void concurrentCreatesDoNotShiftPages() {
        for (int i = 0; i < 30; i++) {
            observation("p1", "2020-01-" + String.format("%02d", i + 1));
        }
        List<String> before = fhir().get("/Observation?code=urn:paging|p1&_count=100").then().extract().jsonPath()
                .getList("entry.resource.id", String.class);
        assertThat(before).hasSize(30);
        for (String sort : List.of("", "&_sort=-date", "&_sort=date,-_id")) {
            int[] day = {0};
            List<String> seen = pageThrough("/Observation?code=urn:paging|p1&_count=7" + sort, "p1",
                    () -> {
                        // new rows land on every side of the cursor: before it, inside the next page and after it
                        observation("p1", "2019-12-" + String.format("%02d", 10 + day[0]));
                        observation("p1", "2020-01-15T12:0" + day[0] + ":00Z");
                        observation("p1", "2020-02-" + String.format("%02d", 10 + day[0]++));
                    });
            Set<String> unique = new HashSet<>(seen);
            assertThat(unique).as("no row twice (" + sort + ")").hasSize(seen.size());
            assertThat(unique).as("every row that existed is seen (" + sort + ")").containsAll(before);
            before = fhir().get("/Observation?code=urn:paging|p1&_count=1000").then().extract().jsonPath()
                    .getList("entry.resource.id", String.class);
        }
    }

    @Test
    void countIsBoundedAndTheCursorIsChecked() {
        observation("p2", "2021-01-01");
        fhir().get("/Observation?code=urn:paging|p2&_count=100000").then().statusCode(200);
        fhir().get("/Observation?code=urn:paging|p2&_cursor=not-a-cursor").then().statusCode(400);
    }
}
