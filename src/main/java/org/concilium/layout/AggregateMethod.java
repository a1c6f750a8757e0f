package org.concilium.layout;

import java.util.Locale;

/**
 * Continuous-variable aggregate methods a network can compute from per-site sums.
 * median / min / max are not decomposable into sums and are refused for network queries.
 */
public enum AggregateMethod {
    SUM("sum"),
    AVERAGE("average"),
    COUNT("count");

    private final String code;

    AggregateMethod(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static AggregateMethod fromCode(String code) {
        String c = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        for (AggregateMethod m : values()) {
            if (m.code.equals(c)) return m;
        }
        if (c.equals("median") || c.equals("minimum") || c.equals("maximum") || c.equals("min") || c.equals("max")) {
            throw new LayoutException("aggregate method '" + code
                    + "' cannot be computed from network sums; only sum, average and count are supported");
        }
        throw new LayoutException("unknown continuous-variable aggregate method: " + code);
    }
}
