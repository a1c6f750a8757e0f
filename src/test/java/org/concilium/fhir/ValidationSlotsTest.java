package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The $validate bounds in all and per client (the HTTP side: ValidateCostLimitTest). */
class ValidationSlotsTest {

    @Test
    void oneClientCannotHoldEverySlot() {
        ValidationSlots slots = new ValidationSlots(2, 1);
        slots.acquire("a");
        assertThatThrownBy(() -> slots.acquire("a")).isInstanceOf(FhirException.class)
                .hasMessageContaining("max-concurrent-per-client")
                .satisfies(e -> assertThat(((FhirException) e).status()).isEqualTo(429));
        slots.acquire("b"); // another client still gets the second slot
        assertThatThrownBy(() -> slots.acquire("c")).hasMessageContaining("(concilium.fhir.validate.max-concurrent)");
        slots.release("a");
        slots.acquire("c");
        slots.release("b");
        slots.release("c");
        assertThat(slots.running()).isZero();
        assertThat(slots.clients()).isZero();
    }

    @Test
    void aRefusedCallerHoldsNothing() {
        ValidationSlots slots = new ValidationSlots(1, 1);
        slots.acquire("a");
        assertThatThrownBy(() -> slots.acquire("b")).isInstanceOf(FhirException.class);
        assertThat(slots.clients()).isEqualTo(1);
        slots.release("a");
        slots.acquire("b");
        slots.release("b");
        assertThat(slots.running()).isZero();
        assertThat(slots.clients()).isZero();
    }

    /** Generated contention: 8 threads, 4 clients, many rounds; the bounds hold at every instant and nothing leaks. */
    @Test
    void boundsHoldUnderContention() throws Exception {
        ValidationSlots slots = new ValidationSlots(2, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String client = "client-" + (t % 4);
            workers.add(pool.submit(() -> {
                start.await();
                int served = 0;
                for (int i = 0; i < 2_000; i++) {
                    try {
                        slots.acquire(client);
                    } catch (FhirException busy) {
                        continue;
                    }
                    try {
                        assertThat(slots.running()).isBetween(1, 2);
                        served++;
                    } finally {
                        slots.release(client);
                    }
                }
                return served;
            }));
        }
        start.countDown();
        int served = 0;
        for (Future<Integer> w : workers) {
            served += w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(served).isPositive();
        assertThat(slots.running()).isZero();
        assertThat(slots.clients()).isZero();
    }
}
