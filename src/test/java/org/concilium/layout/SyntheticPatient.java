package org.concilium.layout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** A patient as a local measure engine would see it: stratifier values and population membership. */
record SyntheticPatient(String id, String gender, String ageBand, String race, boolean fracture,
        Set<String> populations, BigDecimal observation) {

    boolean in(String populationCode) {
        return populations.contains(populationCode);
    }

    /** Deterministic site population; some values fall outside declared domains on purpose ("other"). */
    static List<SyntheticPatient> site(long seed, int n) {
        Random rnd = new Random(seed);
        String[] genders = {"male", "female", "female", "male", "other", "unknown"};
        String[] bands = {"0-17", "18-64", "18-64", "65+", "65+", "not-recorded"};
        String[] races = {"2106-3", "2106-3", "2054-5", "2028-9", "2131-1"};
        List<SyntheticPatient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<String> p = new java.util.HashSet<>();
            BigDecimal obs = null;
            if (rnd.nextInt(10) < 9) {
                p.add("initial-population");
                if (rnd.nextInt(10) < 8) {
                    p.add("denominator");
                    p.add("measure-population");
                    if (rnd.nextInt(10) == 0) p.add("denominator-exclusion");
                    if (rnd.nextInt(15) == 0) p.add("denominator-exception");
                    if (rnd.nextInt(12) == 0) p.add("measure-population-exclusion");
                    if (!p.contains("denominator-exclusion") && rnd.nextInt(10) < 6) {
                        p.add("numerator");
                        if (rnd.nextInt(9) == 0) p.add("numerator-exclusion");
                    }
                    if (!p.contains("measure-population-exclusion")) {
                        p.add("measure-observation");
                        obs = BigDecimal.valueOf(30_000 + rnd.nextInt(500_000), 3); // minutes, 3 decimals
                    }
                }
            }
            out.add(new SyntheticPatient("s" + seed + "-p" + i, genders[rnd.nextInt(genders.length)],
                    bands[rnd.nextInt(bands.length)], races[rnd.nextInt(races.length)], rnd.nextBoolean(), p, obs));
        }
        return out;
    }
}
