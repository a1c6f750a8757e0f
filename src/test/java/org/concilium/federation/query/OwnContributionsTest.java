package org.concilium.federation.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The in-memory copy of a site's own contributions: what it holds, when, and that it stays bounded. */
class OwnContributionsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void holdsTheCommitmentSetOnlyOnceThisNodeStoredIt() {
        OwnContributions own = new OwnContributions();
        own.stored("q1", b("envelope"), b("commitment"));
        OwnContributions.Own held = own.get("q1").orElseThrow();
        assertArrayEquals(b("envelope"), held.envelope());
        assertArrayEquals(b("commitment"), held.commitment());
        assertNull(held.commitments());
        own.revealed("q1", b("set"));
        assertArrayEquals(b("set"), own.get("q1").orElseThrow().commitments());
        assertArrayEquals(b("envelope"), own.get("q1").orElseThrow().envelope());
    }

    @Test
    void aRevealForAQueryItDoesNotHoldAddsNothing() {
        OwnContributions own = new OwnContributions();
        own.revealed("elsewhere", b("set"));
        assertTrue(own.get("elsewhere").isEmpty());
    }

    @Test
    void forgetsAfterTheShareAndStaysBounded() {
        OwnContributions own = new OwnContributions();
        own.stored("q1", b("e"), b("c"));
        own.forget("q1");
        assertTrue(own.get("q1").isEmpty());
        for (int i = 0; i < 100; i++) {
            own.stored("q" + i, b("e"), b("c"));
        }
        assertTrue(own.get("q0").isEmpty(), "the oldest entries are evicted");
        assertTrue(own.get("q99").isPresent());
        int held = 0;
        for (int i = 0; i < 100; i++) {
            held += own.get("q" + i).isPresent() ? 1 : 0;
        }
        assertTrue(held <= 16, "held " + held);
    }
}
