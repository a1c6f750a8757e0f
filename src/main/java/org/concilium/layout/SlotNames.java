package org.concilium.layout;

/** The stable slot-name grammar (docs/layout.md). Keys are sanitised so names stay parseable. */
final class SlotNames {
    private SlotNames() {}

    static String clean(String key) {
        return key.replace('[', '(').replace(']', ')');
    }

    static String group(String g) {
        return "g[" + clean(g) + "]";
    }

    static String stratum(String g, String s, String stratum) {
        return group(g) + ".strat[" + clean(s) + "][" + clean(stratum) + "]";
    }

    static String pop(String prefix, String p) {
        return prefix + ".pop[" + clean(p) + "]";
    }

    static String obsSum(String prefix) {
        return prefix + ".obs.sum";
    }

    static String obsCount(String prefix) {
        return prefix + ".obs.count";
    }

    static String sde(String k, String value) {
        return "sde[" + clean(k) + "][" + clean(value) + "]";
    }
}
