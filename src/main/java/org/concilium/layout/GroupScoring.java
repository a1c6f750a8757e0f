package org.concilium.layout;

import java.util.Locale;

/** Measure scoring types (http://terminology.hl7.org/CodeSystem/measure-scoring). */
public enum GroupScoring {
    PROPORTION("proportion"),
    RATIO("ratio"),
    CONTINUOUS_VARIABLE("continuous-variable"),
    COHORT("cohort");

    private final String code;

    GroupScoring(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static GroupScoring fromCode(String code) {
        if (code != null) {
            String c = code.trim().toLowerCase(Locale.ROOT);
            for (GroupScoring s : values()) {
                if (s.code.equals(c)) return s;
            }
        }
        throw new LayoutException("unsupported measure scoring: " + code);
    }
}
