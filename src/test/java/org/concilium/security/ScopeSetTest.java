package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scope parsing, and the grant rule checked over thousands of generated scope sets. */
class ScopeSetTest {

    static final List<String> TYPES = List.of("Patient", "Observation", "Measure", "MeasureReport", "AuditEvent");
    static final List<String> NAMES = List.of("*", "Patient", "Observation", "Measure", "AuditEvent");

    @Test
    void v2AndV1FormsAndWhatIsNotAScope() {
        assertThat(Scope.parse("system/Patient.rs").orElseThrow().toString()).isEqualTo("system/Patient.rs");
        assertThat(Scope.parse("system/*.read").orElseThrow().toString()).isEqualTo("system/*.rs");
        assertThat(Scope.parse("system/*.write").orElseThrow().toString()).isEqualTo("system/*.cud");
        assertThat(Scope.parse("system/*.*").orElseThrow().toString()).isEqualTo("system/*.cruds");
        assertThat(Scope.parse("concilium/network.query")).isPresent();
        for (String bad : List.of("system/Patient.sr", "system/Patient.x", "user/Patient.rs", "patient/*.read",
                "system/Patient.rs?category=x", "system/.rs", "system/patient.rs", "openid", "concilium/network.admin",
                "system/Patient.", "system/Patient.rr")) {
            assertThat(Scope.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void aGrantNeverExceedsTheRegistrationAndKeepsEverythingBothAllow() {
        Random random = new Random(20261126);
        for (int round = 0; round < 5000; round++) {
            ScopeSet registered = randomSet(random);
            ScopeSet requested = randomSet(random);
            ScopeSet granted = requested.grantable(registered);
            for (String type : TYPES) {
                for (Interaction i : Interaction.values()) {
                    boolean both = registered.permits(type, i) && requested.permits(type, i);
                    assertThat(granted.permits(type, i)).as("%s %s: registered %s, requested %s, granted %s", type, i,
                            registered, requested, granted).isEqualTo(both);
                }
            }
            for (String n : List.of(Scope.NETWORK_QUERY, Scope.NETWORK_PUBLISH)) {
                assertThat(granted.hasNetwork(n)).isEqualTo(registered.hasNetwork(n) && requested.hasNetwork(n));
            }
            // what the token says parses back to the same permissions
            assertThat(ScopeSet.parseStrict(granted.toString())).isEqualTo(granted);
        }
    }

    private static ScopeSet randomSet(Random random) {
        List<String> words = new ArrayList<>();
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                words.add(Scope.NETWORK_QUERY);
            } else if (kind == 1) {
                words.add(Scope.NETWORK_PUBLISH);
            } else if (kind == 2) {
                words.add("system/" + NAMES.get(random.nextInt(NAMES.size())) + (random.nextBoolean() ? ".read" : ".write"));
            } else {
                StringBuilder letters = new StringBuilder();
                for (char c : "cruds".toCharArray()) {
                    if (random.nextBoolean()) {
                        letters.append(c);
                    }
                }
                if (letters.isEmpty()) {
                    letters.append('r');
                }
                words.add("system/" + NAMES.get(random.nextInt(NAMES.size())) + "." + letters);
            }
        }
        return ScopeSet.parseStrict(String.join(" ", words));
    }
}
