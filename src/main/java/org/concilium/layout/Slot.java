package org.concilium.layout;

import java.util.Objects;

/**
 * One position of a layout vector. {@code name} is stable across nodes and releases of the same Measure
 * and is meant for debugging, tests and audit logs, e.g. {@code g[main].strat[gender][female].pop[numerator]}.
 */
public record Slot(int index, String name, SlotKind kind) {
    public Slot {
        if (index < 0) throw new IllegalArgumentException("slot index must be >= 0");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** True for slots that hold subject / resource counts (everything but observation sums). */
    public boolean isCount() {
        return kind != SlotKind.OBSERVATION_SUM;
    }
}
