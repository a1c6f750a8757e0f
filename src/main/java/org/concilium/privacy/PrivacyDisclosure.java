package org.concilium.privacy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.layout.ReportExtensions;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * What a released report says about its own privacy protection (docs/privacy.md, "Disclosure in the
 * report"): one complex extension {@value #URL} on the MeasureReport stating whether Skellam noise
 * was added, the ε and δ this query spent, the noise variance, the querier's ε budget under the
 * policy, the small-cell threshold k, and every cell the small-cell rule suppressed. A reader then
 * knows what the numbers are without asking the network's operators.
 */
public final class PrivacyDisclosure {

    public static final String BASE = "http://concilium.org/fhir/StructureDefinition/";
    /** The complex extension; its parts are the constants below (relative URLs, as FHIR complex extensions use). */
    public static final String URL = BASE + "release-privacy";
    public static final String NOISE_ADDED = "noiseAdded";
    public static final String MECHANISM = "mechanism";
    public static final String EPSILON = "epsilon";
    public static final String DELTA = "delta";
    public static final String NOISE_VARIANCE = "noiseVariance";
    public static final String EPSILON_BUDGET = "epsilonBudget";
    public static final String MIN_CELL_SIZE = "minCellSize";
    public static final String SUPPRESSED_COUNT = "suppressedCells";
    public static final String SUPPRESSED = "suppressed";

    private PrivacyDisclosure() {
    }

    /** The disclosure of {@code released} (already suppressed) under {@code policy}. */
    public static Extension of(MeasureReport released, MeasureLayout layout, ReleasePolicy policy) {
        Extension e = new Extension(URL);
        e.addExtension(NOISE_ADDED, new BooleanType(policy.dpEnabled()));
        if (policy.dpEnabled()) {
            e.addExtension(MECHANISM, new CodeType("skellam"));
            e.addExtension(EPSILON, new DecimalType(BigDecimal.valueOf(policy.epsilonPerQuery())));
            e.addExtension(DELTA, new DecimalType(BigDecimal.valueOf(policy.delta())));
            try {
                DpSensitivity s = DpSensitivity.of(layout);
                double mu = SkellamAccountant.muFor(policy.epsilonPerQuery(), policy.delta(), s.l1(), s.l2Squared());
                e.addExtension(NOISE_VARIANCE, new DecimalType(new BigDecimal(mu, new MathContext(4))));
            } catch (DpSensitivity.Unknown unknown) {
                // the query was refused before any noise if so; nothing to state
            }
            e.addExtension(EPSILON_BUDGET, new DecimalType(BigDecimal.valueOf(policy.budgetPerQuerier())));
        }
        e.addExtension(MIN_CELL_SIZE, new IntegerType(policy.k()));
        List<String> cells = suppressedCells(released);
        e.addExtension(SUPPRESSED_COUNT, new IntegerType(cells.size()));
        cells.forEach(c -> e.addExtension(SUPPRESSED, new StringType(c)));
        return e;
    }

    /**
     * Every masked count, withheld score and masked supplemental-data value, named
     * {@code group / [stratifier = stratum /] population} or {@code group / score} or
     * {@code supplemental-data key = value}, in report order.
     */
    static List<String> suppressedCells(MeasureReport r) {
        List<String> out = new ArrayList<>();
        for (int gi = 0; gi < r.getGroup().size(); gi++) {
            MeasureReport.MeasureReportGroupComponent g = r.getGroup().get(gi);
            String group = name(g.getCode(), "group-" + (gi + 1));
            for (var p : g.getPopulation()) {
                if (masked(p.getCountElement())) out.add(group + " / " + name(p.getCode(), "population"));
            }
            if (g.hasMeasureScore() && masked(g.getMeasureScore())) out.add(group + " / score");
            for (var st : g.getStratifier()) {
                String strat = name(st.getCodeFirstRep(), "stratifier");
                for (var sr : st.getStratum()) {
                    String where = group + " / " + strat + " = " + name(sr.getValue(), componentNames(sr));
                    for (var p : sr.getPopulation()) {
                        if (masked(p.getCountElement())) out.add(where + " / " + name(p.getCode(), "population"));
                    }
                    if (sr.hasMeasureScore() && masked(sr.getMeasureScore())) out.add(where + " / score");
                }
            }
        }
        for (Resource c : r.getContained()) {
            if (c instanceof Observation o && o.hasDataAbsentReason()
                    && SmallCellSuppression.MASKED.equals(o.getDataAbsentReason().getCodingFirstRep().getCode())) {
                Extension info = o.getExtensionByUrl(ReportExtensions.MEASURE_INFO);
                Extension key = info == null ? null : info.getExtensionByUrl("populationId");
                out.add("supplemental-data " + (key == null ? o.getIdPart() : key.getValue().primitiveValue()) + " = "
                        + name(o.getCode(), o.getIdPart()));
            }
        }
        return out;
    }

    private static boolean masked(Element e) {
        Extension x = e.getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON);
        return x != null && SmallCellSuppression.MASKED.equals(x.getValue().primitiveValue());
    }

    private static String componentNames(MeasureReport.StratifierGroupComponent sr) {
        List<String> parts = new ArrayList<>();
        sr.getComponent().forEach(c -> parts.add(name(c.getCode(), "?") + ":" + name(c.getValue(), "?")));
        return parts.isEmpty() ? "stratum" : String.join(",", parts);
    }

    private static String name(CodeableConcept c, String otherwise) {
        if (c == null) return otherwise;
        if (c.hasCoding() && c.getCodingFirstRep().hasCode()) return c.getCodingFirstRep().getCode();
        return c.hasText() ? c.getText() : otherwise;
    }
}
