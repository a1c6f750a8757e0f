package org.concilium.layout;

import java.util.List;
import org.concilium.measure.StratumValue;

/**
 * One stratum of a stratifier in a layout: one domain value per component (a single value for a plain
 * stratifier), or the "other" bucket when {@code values} is empty.
 */
public record Stratum(String name, List<StratumValue> values) {
    public Stratum {
        values = List.copyOf(values);
    }

    public boolean isOther() {
        return values.isEmpty();
    }
}
