package org.concilium.measure;

import java.util.Locale;

/** How a continuous-variable group aggregates its observations (cqfm-aggregateMethod); local and network share it. */
public enum AggregateMethod {
    SUM("sum"), AVERAGE("average"), COUNT("count"), MIN("minimum"), MAX("maximum"), MEDIAN("median");

    private final String code;

    AggregateMethod(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * True when the network can compute it from per-site sums (sum, average, count); median, min
     * and max are not decomposable into sums and are refused for network queries.
     */
    public boolean summable() {
        return this == SUM || this == AVERAGE || this == COUNT;
    }

    /** The method a code names (absent means sum), or null when it names none. */
    public static AggregateMethod of(String code) {
        return switch (code == null ? "sum" : code.trim().toLowerCase(Locale.ROOT)) {
            case "sum" -> SUM;
            case "average", "avg", "mean" -> AVERAGE;
            case "count" -> COUNT;
            case "min", "minimum" -> MIN;
            case "max", "maximum" -> MAX;
            case "median" -> MEDIAN;
            default -> null;
        };
    }
}
