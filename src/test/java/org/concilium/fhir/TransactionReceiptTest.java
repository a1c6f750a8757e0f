package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.concilium.store.TransactionReceipts;
import org.junit.jupiter.api.Test;

/** A transaction with an idempotency key is applied once, however often and however concurrently it is sent. */
@QuarkusTest
class TransactionReceiptTest extends FhirTestBase {

    private static String bundle(String key, String marker) {
        String p = "urn:uuid:" + UUID.randomUUID();
        return """
                {"resourceType":"Bundle","type":"transaction","identifier":{"system":"%s","value":"%s"},"entry":[
                 {"fullUrl":"%s","resource":{"resourceType":"Patient","identifier":[{"system":"urn:receipt","value":"%s"}]},
                  "request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"%s"},"subject":{"reference":"%s"}},
                  "request":{"method":"POST","url":"Observation"}}
                ]}""".formatted(TransactionReceipts.SYSTEM, key, p, marker, marker, p);
    }

    @Test
    void theSameKeyAgainWritesNothingAndGivesTheFirstAnswer() {
        String key = UUID.randomUUID().toString();
        String marker = "receipt-" + key;
        String body = bundle(key, marker);
        Response first = fhir().body(body).post("");
        first.then().statusCode(200).body("entry[0].response.status", equalTo("201 Created"));
        assertThat(first.asString()).doesNotContain(TransactionReceipts.REPLAYED);
        Response again = fhir().body(body).post("");
        again.then().statusCode(200).body("meta.tag[0].code", equalTo(TransactionReceipts.REPLAYED));
        assertThat(again.jsonPath().getList("entry.response.location"))
                .isEqualTo(first.jsonPath().getList("entry.response.location"));
        fhir().get("/Patient?identifier=urn:receipt|" + marker).then().body("total", equalTo(1));
        fhir().get("/Observation?code:text=" + marker).then().body("total", equalTo(1));
        // a transaction without a key is applied every time
        String unkeyed = body.replace("\"identifier\":{\"system\":\"" + TransactionReceipts.SYSTEM + "\",\"value\":\""
                + key + "\"},", "");
        fhir().body(unkeyed).post("").then().statusCode(200);
        fhir().get("/Patient?identifier=urn:receipt|" + marker).then().body("total", equalTo(2));
    }

    @Test
    void concurrentSendsOfOneKeyApplyItOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String marker = "receipt-race-" + key;
        String body = bundle(key, marker);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return fhir().body(body).post("");
                }));
            }
            start.countDown();
            int replayed = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                replayed += r.asString().contains(TransactionReceipts.SYSTEM) ? 1 : 0;
            }
            assertThat(replayed).isEqualTo(7);
        } finally {
            pool.shutdownNow();
        }
        fhir().get("/Patient?identifier=urn:receipt|" + marker).then().body("total", equalTo(1));
    }

    @Test
    void aFailedTransactionLeavesItsKeyFree() {
        String key = UUID.randomUUID().toString();
        String marker = "receipt-retry-" + key;
        // fails inside the database transaction, after the key was claimed: the claim rolls back with the rest
        String good = bundle(key, marker);
        String bad = good.substring(0, good.lastIndexOf(']')) + """
                ,{"resource":{"resourceType":"Patient","id":"receipt-rb"},
                  "request":{"method":"PUT","url":"Patient/receipt-rb","ifMatch":"W/\\"7\\""}}]}""";
        fhir().body(bad).post("").then().statusCode(412);
        fhir().get("/Observation?code:text=" + marker).then().body("total", equalTo(0));
        fhir().body(good).post("").then().statusCode(200).body("entry[1].response.status",
                equalTo("201 Created"));
        fhir().get("/Observation?code:text=" + marker).then().body("total", equalTo(1));
    }

    @Test
    void aKeyWithoutAValueIsRefused() {
        fhir().body(bundle("", "x")).post("").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        fhir().body(bundle("k".repeat(TransactionReceipts.MAX_KEY_LENGTH + 1), "x")).post("").then().statusCode(400);
    }
}
