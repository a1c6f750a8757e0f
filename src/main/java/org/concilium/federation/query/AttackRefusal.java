package org.concilium.federation.query;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.concilium.federation.peer.PeerRefusal;

/**
 * Collects every deviation a check finds (not only the first), so the refusal names all of the
 * attacks it stopped; the category on the wire is their comma-separated names.
 */
final class AttackRefusal {

    private final Set<Attack> attacks = EnumSet.noneOf(Attack.class);
    private final List<String> details = new ArrayList<>();

    void add(Attack attack, String detail) {
        attacks.add(attack);
        details.add(attack + ": " + detail);
    }

    boolean any() {
        return !attacks.isEmpty();
    }

    boolean has(Attack attack) {
        return attacks.contains(attack);
    }

    /** Throws a 422 naming every attack found, when there is one. */
    void throwIfAny() {
        if (any()) {
            throw new PeerRefusal(422, attacks.stream().map(Enum::name).collect(Collectors.joining(",")),
                    String.join("; ", details));
        }
    }

    static PeerRefusal of(Attack attack, String detail) {
        AttackRefusal r = new AttackRefusal();
        r.add(attack, detail);
        return new PeerRefusal(422, attack.name(), r.details.get(0));
    }
}
