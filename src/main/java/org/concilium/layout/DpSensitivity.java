package org.concilium.layout;

import java.util.ArrayList;
import java.util.List;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.MeasureExtensions;
import org.concilium.measure.MeasureModel;

/**
 * How much one subject can change a Measure's slot vector, for differential privacy: L1 (Δ₁) and
 * squared L2 (Δ₂²) sensitivity. Boolean-basis counts are bounded by construction (a subject is in
 * each population of each stratum at most once). Two kinds of slot are not, and need a bound the
 * Measure declares on the group (docs/layout.md):
 * <ul>
 * <li>resource-basis groups ({@code cqfm-populationBasis} ≠ boolean: one patient can bring many
 *     Encounters): {@value #MAX_RESOURCES} (valueInteger ≥ 1), the most resources of one subject in
 *     any one population;</li>
 * <li>continuous-variable observation sums: {@value #MAX_OBSERVATION} (valueDecimal &gt; 0), the
 *     largest |observation| of one subject's resource, in the Measure's unit.</li>
 * </ul>
 * Without them the sensitivity is unknown, and {@link #of} throws {@link Unknown} naming the group:
 * a policy with DP then refuses the query rather than add noise that would not mean what ε says.
 */
public record DpSensitivity(double l1, double l2Squared) {

    public static final String MAX_RESOURCES = MeasureExtensions.DP_MAX_RESOURCES;
    public static final String MAX_OBSERVATION = MeasureExtensions.DP_MAX_OBSERVATION;

    /** DP cannot apply: the group's per-subject contribution is not bounded. */
    public static final class Unknown extends RuntimeException {
        private final String group;

        Unknown(String group, String why) {
            super("group '" + group + "': " + why);
            this.group = group;
        }

        public String group() {
            return group;
        }
    }

    public static DpSensitivity of(MeasureLayout layout) {
        List<GroupLayout> groups = layout.groups();
        double l1 = layout.supplementalData().size();
        double l2 = l1;
        for (GroupLayout g : groups) {
            MeasureModel.Group mg = g.group();
            String name = g.id() != null ? g.id() : g.key();
            double perResource = 1;
            if (!mg.booleanBasis()) {
                if (mg.bounds().maxResources() == null) {
                    throw new Unknown(name, mg.basis() + "-basis populations need " + MAX_RESOURCES + " (valueInteger >= 1)");
                }
                perResource = mg.bounds().maxResources();
            }
            int strata = 1 + g.stratifiers().size();
            int counts = (g.populations().size() + (g.isContinuousVariable() ? 1 : 0)) * strata;
            l1 += perResource * counts;
            l2 += perResource * perResource * counts;
            if (g.isContinuousVariable()) {
                Double bound = mg.bounds().maxObservation();
                if (bound == null) {
                    throw new Unknown(name, "continuous-variable observation sums need " + MAX_OBSERVATION
                            + " (valueDecimal > 0)");
                }
                // + 1: the sum is rounded (half-even) to fixed point once, which can move it one unit further
                double perSum = Math.ceil(perResource * bound * MeasureLayout.OBSERVATION_SCALE) + 1;
                l1 += perSum * strata;
                l2 += perSum * perSum * strata;
            }
        }
        return new DpSensitivity(l1, l2);
    }

    /**
     * The per-subject bounds the Measure declares, for the evaluation to clip each subject to before
     * anything is summed (so that the sensitivity {@link #of} computes holds for the data, not only
     * for well-behaved data). Groups without a declaration get no bound on that axis: boolean-basis
     * counts are bounded by construction, and {@link #of} refuses DP for the rest.
     */
    public static ContributionBounds bounds(MeasureModel model) {
        List<ContributionBounds.GroupBound> out = new ArrayList<>();
        for (MeasureModel.Group g : model.groups()) {
            Integer maxResources = g.booleanBasis() ? null : g.bounds().maxResources();
            Double maxObservation = g.bounds().maxObservation();
            out.add(new ContributionBounds.GroupBound(maxResources == null ? 0 : maxResources,
                    maxObservation == null ? 0 : maxObservation));
        }
        return ContributionBounds.clipping(out);
    }
}
