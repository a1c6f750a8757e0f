package org.concilium.layout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.AggregateMethod;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponentComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupPopulationComponent;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/** Site MeasureReport → vector. Anything in the report that the layout cannot place is an error, never dropped. */
final class ReportEncoder {
    private final MeasureLayout layout;

    ReportEncoder(MeasureLayout layout) {
        this.layout = layout;
    }

    long[] encode(MeasureReport r) {
        if (r.hasType() && r.getType() != MeasureReport.MeasureReportType.SUMMARY
                && r.getType() != MeasureReport.MeasureReportType.SUBJECTLIST) {
            throw new LayoutException("only summary reports can be encoded, got " + r.getType().toCode());
        }
        checkMeasure(r);
        long[] v = new long[layout.slotCount()];
        Set<String> seen = new HashSet<>();
        for (int gi = 0; gi < r.getGroup().size(); gi++) {
            MeasureReportGroupComponent rg = r.getGroup().get(gi);
            GroupLayout g = findGroup(rg, gi);
            if (!seen.add(g.key())) throw new LayoutException("report has group " + g.key() + " twice");
            String gp = SlotNames.group(g.key());
            Map<String, Long> counts = populations(g, rg.getPopulation(), gp, v, gp);
            if (g.isContinuousVariable()) observations(g, rg, rg.getMeasureScore(), counts, gp, v);
            encodeStratifiers(g, rg, v);
        }
        encodeSupplemental(r, v);
        return v;
    }

    private void checkMeasure(MeasureReport r) {
        String want = layout.measureCanonical();
        if (want == null || !r.hasMeasure()) return;
        String[] w = want.split("\\|", 2);
        String[] got = r.getMeasure().split("\\|", 2);
        if (!w[0].equals(got[0]) || (w.length == 2 && got.length == 2 && !w[1].equals(got[1]))) {
            throw new LayoutException("report is for measure " + r.getMeasure() + ", layout is for " + want);
        }
    }

    private GroupLayout findGroup(MeasureReportGroupComponent rg, int position) {
        if (rg.hasId()) {
            return layout.groups().stream().filter(g -> rg.getId().equals(g.id())).findFirst()
                    .orElseThrow(() -> new LayoutException("report group " + rg.getId() + " is not in the Measure"));
        }
        if (position >= layout.groups().size()) throw new LayoutException("report has more groups than the Measure");
        return layout.groups().get(position);
    }

    /** Adds population counts to their slots and returns the counts by population code (for CV derivation). */
    private Map<String, Long> populations(GroupLayout g, List<? extends org.hl7.fhir.r4.model.BackboneElement> pops,
            String prefix, long[] v, String where) {
        Map<String, Long> byCode = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (var e : pops) {
            CodeableConcept code;
            String id;
            IntegerType count;
            if (e instanceof MeasureReportGroupPopulationComponent p) {
                code = p.getCode(); id = p.getId(); count = p.getCountElement();
            } else {
                StratifierGroupPopulationComponent p = (StratifierGroupPopulationComponent) e;
                code = p.getCode(); id = p.getId(); count = p.getCountElement();
            }
            PopulationLayout pl = findPopulation(g, code, id, where);
            if (!seen.add(pl.key())) throw new LayoutException(where + ": population " + pl.key() + " appears twice");
            long c = count(count, where + " " + pl.key());
            v[layout.indexOf(SlotNames.pop(prefix, pl.key()))] += c;
            byCode.merge(pl.code(), c, Long::sum);
        }
        return byCode;
    }

    private static PopulationLayout findPopulation(GroupLayout g, CodeableConcept code, String id, String where) {
        String c = code != null && code.hasCoding() ? code.getCodingFirstRep().getCode() : null;
        if (c == null) throw new LayoutException(where + ": report population without a code");
        List<PopulationLayout> same = g.populations().stream().filter(p -> p.code().equals(c)).toList();
        if (same.size() == 1) return same.get(0);
        for (PopulationLayout p : same) {
            if (p.id() != null && p.id().equals(id)) return p;
        }
        throw new LayoutException(where + ": report population " + c + (id == null ? "" : " (" + id + ")")
                + " does not match the Measure");
    }

    private static long count(IntegerType count, String what) {
        if (count.hasExtension(ReportExtensions.DATA_ABSENT_REASON)) {
            throw new LayoutException(what + ": a suppressed count cannot be encoded");
        }
        if (!count.hasValue()) return 0;
        if (count.getValue() < 0) throw new LayoutException(what + ": negative count " + count.getValue());
        return count.getValue();
    }

    /** CV observations: explicit extensions win; otherwise derived from the score and the population counts. */
    private void observations(GroupLayout g, org.hl7.fhir.r4.model.Element holder, Quantity score,
            Map<String, Long> counts, String prefix, long[] v) {
        Long n = null;
        BigDecimal sum = null;
        Extension ce = holder.getExtensionByUrl(ReportExtensions.OBSERVATION_COUNT);
        if (ce != null && ce.getValue() instanceof IntegerType it && it.hasValue()) n = (long) it.getValue();
        Extension se = holder.getExtensionByUrl(ReportExtensions.OBSERVATION_SUM);
        if (se != null && se.getValue() instanceof DecimalType dt && dt.hasValue()) sum = dt.getValue();
        if (n == null) {
            n = counts.containsKey(PopulationCodes.MEASURE_OBSERVATION)
                    ? counts.get(PopulationCodes.MEASURE_OBSERVATION)
                    : counts.getOrDefault(PopulationCodes.MEASURE_POPULATION, 0L)
                            - counts.getOrDefault(PopulationCodes.MEASURE_POPULATION_EXCLUSION, 0L);
        }
        if (n < 0) throw new LayoutException(prefix + ": negative observation count");
        if (sum == null) {
            BigDecimal s = score != null && score.hasValue() ? score.getValue() : null;
            if (g.aggregate() == AggregateMethod.COUNT || n == 0) {
                sum = BigDecimal.ZERO;
            } else if (s == null) {
                throw new LayoutException(prefix + ": continuous-variable result needs a measureScore or "
                        + ReportExtensions.OBSERVATION_SUM);
            } else {
                // average × count is exact only to the precision of the reported average; prefer the extension
                sum = g.aggregate() == AggregateMethod.SUM ? s : s.multiply(BigDecimal.valueOf(n));
            }
        }
        v[layout.indexOf(SlotNames.obsSum(prefix))] += MeasureScoring.toFixedPoint(sum);
        v[layout.indexOf(SlotNames.obsCount(prefix))] += n;
    }

    private void encodeStratifiers(GroupLayout g, MeasureReportGroupComponent rg, long[] v) {
        Set<String> seen = new HashSet<>();
        for (int si = 0; si < rg.getStratifier().size(); si++) {
            MeasureReportGroupStratifierComponent rs = rg.getStratifier().get(si);
            StratifierLayout s = findStratifier(g, rs, si);
            if (!seen.add(s.key())) throw new LayoutException("group " + g.key() + ": stratifier " + s.key() + " twice");
            for (StratifierGroupComponent stratum : rs.getStratum()) {
                Stratum target = s.strata().get(stratumIndex(s, stratum));
                String sp = SlotNames.stratum(g.key(), s.key(), target.name());
                Map<String, Long> counts = populations(g, stratum.getPopulation(), sp, v, sp);
                if (g.isContinuousVariable()) observations(g, stratum, stratum.getMeasureScore(), counts, sp, v);
            }
        }
    }

    private static StratifierLayout findStratifier(GroupLayout g, MeasureReportGroupStratifierComponent rs, int pos) {
        if (rs.hasId()) {
            for (StratifierLayout s : g.stratifiers()) if (rs.getId().equals(s.id())) return s;
        }
        for (CodeableConcept code : rs.getCode()) {
            String k = LayoutBuilder.keyOf(null, code, 0);
            for (StratifierLayout s : g.stratifiers()) if (s.key().equals(k)) return s;
        }
        if (!rs.hasId() && !rs.hasCode() && pos < g.stratifiers().size()) return g.stratifiers().get(pos);
        throw new LayoutException("group " + g.key() + ": report stratifier " + (rs.hasId() ? rs.getId() : "#" + (pos + 1))
                + " is not in the Measure");
    }

    /** Mixed-radix index of the stratum's values in the cross product, or the "other" stratum. */
    static int stratumIndex(StratifierLayout s, StratifierGroupComponent stratum) {
        if (stratum.hasValue() && OtherBucket.isOther(stratum.getValue())) return s.otherIndex();
        List<CodeableConcept> values = new ArrayList<>();
        if (!s.hasComponents()) {
            if (!stratum.hasValue()) return s.otherIndex();
            values.add(stratum.getValue());
        } else {
            for (String ck : s.componentKeys()) {
                CodeableConcept found = null;
                for (StratifierGroupComponentComponent c : stratum.getComponent()) {
                    if (ck.equals(LayoutBuilder.keyOf(null, c.getCode(), -1))) found = c.getValue();
                }
                if (found == null) return s.otherIndex();
                values.add(found);
            }
        }
        int index = 0;
        for (int k = 0; k < values.size(); k++) {
            ValueDomain d = s.domains().get(k);
            int i = d.indexOf(values.get(k));
            if (i < 0) return s.otherIndex();
            index = index * d.size() + i;
        }
        return index;
    }

    private void encodeSupplemental(MeasureReport r, long[] v) {
        if (layout.supplementalData().isEmpty()) return;
        Map<String, Observation> contained = new HashMap<>();
        for (Resource res : r.getContained()) {
            if (res instanceof Observation o) contained.put(localId(o.getIdElement().getIdPart()), o);
        }
        for (Extension e : r.getExtension()) {
            if (!e.getUrl().equals(ReportExtensions.SUPPLEMENTAL_DATA) && !e.getUrl().equals(ReportExtensions.SUPPLEMENTAL_DATA_R5)) {
                continue;
            }
            if (!(e.getValue() instanceof Reference ref) || !ref.hasReference() || !ref.getReference().startsWith("#")) {
                continue; // a reference to an evaluated resource, not an aggregate count
            }
            Observation o = contained.get(localId(ref.getReference()));
            if (o == null) throw new LayoutException("supplemental data reference " + ref.getReference() + " not contained");
            SupplementalLayout sde = findSde(layout, criteria(e, ref, o));
            encodeSdeObservation(sde, o, v);
        }
    }

    private void encodeSdeObservation(SupplementalLayout sde, Observation o, long[] v) {
        if (o.hasDataAbsentReason()) throw new LayoutException("sde " + sde.key() + ": a suppressed count cannot be encoded");
        if (!(o.getValue() instanceof IntegerType it) || !it.hasValue() || it.getValue() < 0) {
            throw new LayoutException("sde " + sde.key() + ": observation without a non-negative valueInteger");
        }
        CodeableConcept first = new CodeableConcept();
        if (o.getCode().hasCoding()) first.addCoding(o.getCode().getCodingFirstRep());
        if (o.getCode().hasText()) first.setText(o.getCode().getText());  // primitive values (e.g. gender) come as text
        int i = sde.domain().indexOf(first);
        String name = i < 0 ? OtherBucket.SLOT_NAME : sde.domain().valueName(i);
        v[layout.indexOf(SlotNames.sde(sde.key(), name))] += it.getValue();
    }

    /**
     * The layout's SDE a report names: by id, by key, or — for an SDE without id, which the engine (ours and
     * cqf-fhir-cr) names by its criteria expression, e.g. EXM124's {@code "SDE Race"} — by that expression when
     * exactly one id-less SDE has it.
     */
    static SupplementalLayout findSde(MeasureLayout layout, String criteria) {
        if (criteria == null) throw new LayoutException("supplemental data observation without a criteria reference");
        for (SupplementalLayout s : layout.supplementalData()) {
            if (criteria.equals(s.key()) || criteria.equals(s.id())) return s;
        }
        List<SupplementalLayout> byExpression = layout.supplementalData().stream()
                .filter(s -> s.id() == null && criteria.equals(s.expression())).toList();
        if (byExpression.size() == 1) return byExpression.get(0);
        if (byExpression.size() > 1) {
            throw new LayoutException("supplemental data " + criteria + " names " + byExpression.size()
                    + " elements without id: give them ids");
        }
        throw new LayoutException("supplemental data " + criteria + " is not in the Measure");
    }

    /** The SDE one report extension's contained Observation counts for. */
    static SupplementalLayout sdeOf(MeasureLayout layout, Extension e, Reference ref, Observation o) {
        return findSde(layout, criteria(e, ref, o));
    }

    private static String criteria(Extension e, Reference ref, Observation o) {
        String s = stringValue(ref.getExtensionByUrl(ReportExtensions.CRITERIA_REFERENCE));
        if (s == null) s = stringValue(e.getExtensionByUrl(ReportExtensions.CRITERIA_REFERENCE));
        Extension info = o.getExtensionByUrl(ReportExtensions.MEASURE_INFO);
        if (s == null && info != null) s = stringValue(info.getExtensionByUrl("populationId"));
        if (s == null) s = stringValue(o.getExtensionByUrl(ReportExtensions.POPULATION_REFERENCE));
        return s;
    }

    private static String stringValue(Extension x) {
        Type t = x == null ? null : x.getValue();
        return t instanceof StringType st && st.hasValue() ? st.getValue() : null;
    }

    private static String localId(String id) {
        return id.startsWith("#") ? id.substring(1) : id;
    }
}
