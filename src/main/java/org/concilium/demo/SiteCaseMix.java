package org.concilium.demo;

/**
 * How one demo hospital's population differs from the others: age skew, sex ratio, how well blood pressure is
 * controlled, how often visits are cancelled and how often depression is screened. Sites cycle through
 * {@link #PROFILES} by index, so per-site numbers differ while every site stays realistic.
 *
 * @param name              label, for humans only
 * @param meanAge           mean of the adult age distribution (clamped to 18..90)
 * @param ageSd             its standard deviation
 * @param femaleShare       probability that a patient is female
 * @param systolicShift     mm[Hg] added to every hypertensive patient's mean systolic pressure (worse control > 0)
 * @param cancelRate        probability that a scheduled visit is cancelled
 * @param screeningRate     probability that a finished visit includes a depression screening
 * @param visitRate         mean number of 2024 visits of a patient without chronic conditions
 */
record SiteCaseMix(String name, double meanAge, double ageSd, double femaleShare, double systolicShift,
        double cancelRate, double screeningRate, double visitRate) {

    static final SiteCaseMix[] PROFILES = {
        new SiteCaseMix("community hospital", 51, 17, 0.52, 0, 0.07, 0.35, 1.6),
        new SiteCaseMix("retirement region", 63, 14, 0.55, 4, 0.05, 0.28, 2.0),
        new SiteCaseMix("urban teaching hospital", 43, 16, 0.50, -3, 0.11, 0.45, 1.3),
    };

    static SiteCaseMix forSite(int siteIndex) {
        if (siteIndex < 0) throw new IllegalArgumentException("siteIndex must be >= 0: " + siteIndex);
        return PROFILES[siteIndex % PROFILES.length];
    }
}
