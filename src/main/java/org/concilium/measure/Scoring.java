package org.concilium.measure;

import java.util.Locale;

/** Measure scoring types (http://terminology.hl7.org/CodeSystem/measure-scoring); local and network reports share it. */
public enum Scoring {
    PROPORTION("proportion"), RATIO("ratio"), CONTINUOUS_VARIABLE("continuous-variable"), COHORT("cohort");

    final String code;

    Scoring(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The scoring a code names, or null when it names none. */
    public static Scoring of(String code) {
        if (code == null) {
            return null;
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (Scoring s : values()) {
            if (s.code.equals(c)) {
                return s;
            }
        }
        return null;
    }
}
