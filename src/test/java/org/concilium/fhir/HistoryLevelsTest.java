package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** _history at type and system level: newest first, _since, _at, _count and cursor paging that writes do not shift. */
@QuarkusTest
class HistoryLevelsTest extends FhirTestBase {

    private static String location(String body) {
        return fhir().body(body).post("/Organization").then().statusCode(201).extract().path("id");
    }

    @Test
    void typeHistoryListsEveryVersionSinceNewestFirst() throws InterruptedException {
        String since = Instant.now().toString();
        Thread.sleep(5);
        String a = location("{\"resourceType\":\"Organization\",\"name\":\"h-a\"}");
        String b = location("{\"resourceType\":\"Organization\",\"name\":\"h-b\"}");
        fhir().body("{\"resourceType\":\"Organization\",\"id\":\"" + a + "\",\"name\":\"h-a2\"}")
                .put("/Organization/" + a).then().statusCode(200);
        fhir().delete("/Organization/" + b).then().statusCode(204);

        var bundle = fhir().get("/Organization/_history?_since=" + since).then().statusCode(200)
                .body("type", equalTo("history")).body("total", equalTo(4)).extract();
        List<String> methods = bundle.path("entry.request.method");
        List<String> urls = bundle.path("entry.fullUrl");
        assertThat(methods).containsExactly("DELETE", "PUT", "POST", "POST");
        assertThat(urls.get(0)).endsWith("/Organization/" + b);
        assertThat(urls.get(1)).endsWith("/Organization/" + a);

        // nothing of another type
        fhir().get("/Patient/_history?_since=" + Instant.now().plusSeconds(60)).then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void systemHistoryPagesWithACursorThatLaterWritesDoNotShift() throws InterruptedException {
        String since = Instant.now().toString();
        Thread.sleep(5);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add("/Organization/" + location("{\"resourceType\":\"Organization\",\"name\":\"sys-" + i + "\"}"));
        }
        written.add("/Patient/" + fhir().body("{\"resourceType\":\"Patient\"}").post("/Patient").then().statusCode(201)
                .extract().path("id"));
        List<String> seen = new ArrayList<>();
        String url = "/_history?_since=" + since + "&_count=2";
        String later = null;
        int pages = 0;
        while (url != null) {
            var page = fhir().urlEncodingEnabled(false).get(url).then().statusCode(200).extract();
            seen.addAll(page.<List<String>>path("entry.fullUrl"));
            if (pages++ == 0) {
                later = "/Organization/" + location("{\"resourceType\":\"Organization\",\"name\":\"while-paging\"}");
            }
            String next = page.path("link.find { it.relation == 'next' }.url");
            url = next == null ? null : next.substring(next.indexOf("/fhir") + 5);
        }
        // the node's own AuditEvents are in the system history too
        List<String> paths = seen.stream().map(u -> u.substring(u.indexOf("/fhir") + 5)).toList();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(paths).doesNotHaveDuplicates().containsAll(written).doesNotContain(later);
        List<String> mine = paths.stream().filter(written::contains).toList();
        assertThat(mine.get(0)).startsWith("/Patient/"); // newest first
    }

    @Test
    void atListsTheVersionsCurrentThen() throws InterruptedException {
        String a = location("{\"resourceType\":\"Organization\",\"name\":\"at-1\"}");
        Thread.sleep(20);
        String between = Instant.now().toString();
        Thread.sleep(20);
        fhir().body("{\"resourceType\":\"Organization\",\"id\":\"" + a + "\",\"name\":\"at-2\"}")
                .put("/Organization/" + a).then().statusCode(200);
        List<String> names = fhir().get("/Organization/_history?_at=" + between + "&_count=1000").then().statusCode(200)
                .extract().path("entry.resource.name");
        assertThat(names).contains("at-1").doesNotContain("at-2");
    }

    @Test
    void unsupportedParametersAndBadValuesAre400() {
        fhir().get("/Organization/_history?name=x").then().statusCode(400);
        fhir().get("/_history?_since=yesterday").then().statusCode(400);
        fhir().get("/_history?_cursor=garbage").then().statusCode(400);
    }
}
