package org.concilium.layout;

import java.util.ArrayList;
import java.util.List;
import org.concilium.measure.ContributionBounds;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.PrimitiveType;

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

    public static final String MAX_RESOURCES = "http://concilium.org/fhir/StructureDefinition/dp-max-resources-per-subject";
    public static final String MAX_OBSERVATION = "http://concilium.org/fhir/StructureDefinition/dp-max-observation";
    static final String POPULATION_BASIS = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis";

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

    public static DpSensitivity of(Measure measure, MeasureLayout layout) {
        List<GroupLayout> groups = layout.groups();
        double l1 = layout.supplementalData().size();
        double l2 = l1;
        String measureBasis = basis(measure.getExtensionByUrl(POPULATION_BASIS));
        for (int i = 0; i < groups.size(); i++) {
            GroupLayout g = groups.get(i);
            Measure.MeasureGroupComponent mg = measure.getGroup().get(i);
            String name = g.id() != null ? g.id() : g.key();
            Extension basisExt = mg.getExtensionByUrl(POPULATION_BASIS);
            String basis = basisExt != null ? basis(basisExt) : measureBasis;
            double perResource = 1;
            if (basis != null && !basis.equals("boolean")) {
                Extension max = mg.getExtensionByUrl(MAX_RESOURCES);
                if (max == null || !(max.getValue() instanceof org.hl7.fhir.r4.model.IntegerType n) || n.getValue() == null
                        || n.getValue() < 1) {
                    throw new Unknown(name, basis + "-basis populations need " + MAX_RESOURCES + " (valueInteger >= 1)");
                }
                perResource = n.getValue();
            }
            int strata = 1 + g.stratifiers().size();
            int counts = (g.populations().size() + (g.isContinuousVariable() ? 1 : 0)) * strata;
            l1 += perResource * counts;
            l2 += perResource * perResource * counts;
            if (g.isContinuousVariable()) {
                Extension max = mg.getExtensionByUrl(MAX_OBSERVATION);
                double bound = max != null && max.getValue() instanceof org.hl7.fhir.r4.model.DecimalType d
                        && d.getValue() != null ? d.getValue().doubleValue() : 0;
                if (!(bound > 0)) {
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
    public static ContributionBounds bounds(Measure measure) {
        String measureBasis = basis(measure.getExtensionByUrl(POPULATION_BASIS));
        List<ContributionBounds.GroupBound> out = new ArrayList<>();
        for (Measure.MeasureGroupComponent mg : measure.getGroup()) {
            Extension basisExt = mg.getExtensionByUrl(POPULATION_BASIS);
            String basis = basisExt != null ? basis(basisExt) : measureBasis;
            int maxResources = 0;
            if (basis != null && !basis.equals("boolean")
                    && mg.getExtensionByUrl(MAX_RESOURCES) != null
                    && mg.getExtensionByUrl(MAX_RESOURCES).getValue() instanceof IntegerType n
                    && n.getValue() != null && n.getValue() >= 1) {
                maxResources = n.getValue();
            }
            double maxObservation = 0;
            if (mg.getExtensionByUrl(MAX_OBSERVATION) != null
                    && mg.getExtensionByUrl(MAX_OBSERVATION).getValue() instanceof DecimalType d && d.getValue() != null
                    && d.getValue().doubleValue() > 0 && Double.isFinite(d.getValue().doubleValue())) {
                maxObservation = d.getValue().doubleValue();
            }
            out.add(new ContributionBounds.GroupBound(maxResources, maxObservation));
        }
        return ContributionBounds.clipping(out);
    }

    private static String basis(Extension e) {
        return e != null && e.getValue() instanceof PrimitiveType<?> p ? p.getValueAsString() : null;
    }
}
