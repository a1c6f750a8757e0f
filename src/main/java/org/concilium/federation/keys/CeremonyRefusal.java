package org.concilium.federation.keys;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.concilium.federation.peer.PeerRefusal;

/**
 * Collects every deviation one check finds, so the refusal names all of them: its category is the
 * comma-separated attack names, and its detail starts with them too.
 */
final class CeremonyRefusal {

    private final Set<CeremonyAttack> attacks = EnumSet.noneOf(CeremonyAttack.class);
    private final List<String> details = new ArrayList<>();

    void add(CeremonyAttack attack, String detail) {
        attacks.add(attack);
        details.add(attack + ": " + detail);
    }

    boolean any() {
        return !attacks.isEmpty();
    }

    void throwIfAny() {
        if (any()) {
            int status = attacks.stream().mapToInt(CeremonyAttack::status).max().orElse(422);
            throw new PeerRefusal(status, attacks.stream().map(Enum::name).collect(Collectors.joining(",")),
                    String.join("; ", details));
        }
    }

    static PeerRefusal of(CeremonyAttack attack, String detail) {
        return new PeerRefusal(attack.status(), attack.name(), attack + ": " + detail);
    }

    static PeerRefusal malformed(String detail) {
        return new PeerRefusal(400, "MALFORMED", "MALFORMED: " + detail);
    }
}
