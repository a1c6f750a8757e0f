package org.concilium.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.InMemoryClinicalData;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Real eCQM supplemental data over the network layout: EXM124's four CMS SDEs (no ids, CQL Codings, lists of
 * Codings and Payer tuples) build a layout whose domains come from their value sets (Payer, too large, degrades
 * to "other" with a note), and the decoded sum of the sites' encoded summaries equals the engine's summary of
 * the union of their data, SDE counts included. Once on a generated measure of the same shape, once on the
 * connectathon bundle itself (skipped without ../shared).
 */
class Exm124SupplementalLayoutTest {
    static final Path EXM124 = Path.of("../shared/data/clinical-reasoning/connectathon/EXM124-9.0.000-bundle.json");
    private static final MeasureEvaluator ENGINE = new MeasureEvaluator(MeasureEvaluator.Options.defaults());

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @Test
    void cmsSupplementalDataGetsValueSetDomainsAndRoundTrips() {
        Measure m = CmsSupplementalData.measure();
        List<Resource> knowledge = new ArrayList<>(CmsSupplementalData.valueSets());
        knowledge.add(CmsSupplementalData.library());
        List<List<Resource>> sites = List.of(CmsSupplementalData.site(0, 17), CmsSupplementalData.site(1, 23),
                CmsSupplementalData.site(2, 11));
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m), source(CmsSupplementalData.valueSets()));

        assertThat(domain(layout, "sde-sex").size()).isEqualTo(2);
        assertThat(domain(layout, "sde-race").size()).isEqualTo(5);
        assertThat(domain(layout, "sde-ethnicity").size()).isEqualTo(2);
        assertThat(domain(layout, "sde-payer").size()).isZero();
        assertThat(domain(layout, "sde-payer").source()).startsWith("other-only:").contains("150 codes");
        assertThat(layout.slots().stream().map(Slot::name)).contains("sde[sde-race][2106-3]", "sde[sde-sex][F]",
                "sde[sde-payer][*other*]");

        MeasureReport network = roundTrip(m, layout, knowledge, sites);
        // the breakdown is real, not everything in "other": 51 patients, 17 female (F), 17 male (M)
        Map<String, Integer> sex = sdeCounts(layout, network, "sde-sex");
        assertThat(sex).containsEntry("F", 17).containsEntry("M", 17);
        assertThat(sdeCounts(layout, network, "sde-race").get("2106-3")).isPositive();
    }

    @Test
    void anUnavailablePayerValueSetDegradesThatSdeToOtherInsteadOfRefusingTheMeasure() {
        List<ValueSet> withoutPayer = CmsSupplementalData.valueSets().stream()
                .filter(v -> !v.getUrl().endsWith("3591")).toList();
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(CmsSupplementalData.measure()), source(withoutPayer));
        assertThat(domain(layout, "sde-payer").source()).startsWith("other-only:").contains("not available");
        assertThat(domain(layout, "sde-race").size()).isEqualTo(5);
    }

    /** A declared intensional (is-a) value set has no stored expansion: terminology/ expands it for the layout. */
    @Test
    void anIntensionalValueSetIsExpandedThroughTerminology() {
        org.hl7.fhir.r4.model.CodeSystem cs = new org.hl7.fhir.r4.model.CodeSystem();
        cs.setId("payer-types");
        cs.setUrl("http://example.org/CodeSystem/payer-types");
        cs.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        cs.setContent(org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode.COMPLETE);
        var pub = cs.addConcept().setCode("public");
        pub.addConcept().setCode("medicare");
        pub.addConcept().setCode("medicaid");
        cs.addConcept().setCode("private");
        ValueSet vs = new ValueSet();
        vs.setId("public-payers");
        vs.setUrl("http://example.org/ValueSet/public-payers");
        vs.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        vs.getCompose().addInclude().setSystem(cs.getUrl()).addFilter().setProperty("concept")
                .setOp(ValueSet.FilterOperator.ISA).setValue("public");
        InMemoryClinicalData knowledge = InMemoryClinicalData.builder().add(cs).add(vs).build();

        Measure m = CmsSupplementalData.measure();
        m.getSupplementalData().get(1).addExtension(org.concilium.measure.MeasureExtensions.STRATUM_VALUE_SET,
                new org.hl7.fhir.r4.model.CanonicalType(vs.getUrl()));
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m),
                c -> org.concilium.measure.ValueSetMembership.expanded(knowledge, c));
        ValueDomain payer = domain(layout, "sde-payer");
        assertThat(payer.source()).isEqualTo("valueset:" + vs.getUrl());
        assertThat(payer.values().stream().map(v -> v.code())).containsExactlyInAnyOrder("public", "medicare", "medicaid");
        // without terminology (the stored ValueSet only) it cannot be enumerated: the SDE degrades, not the Measure
        MeasureLayout raw = MeasureLayout.of(MeasureModel.of(m), c -> Optional.of(vs));
        assertThat(domain(raw, "sde-payer").source()).startsWith("other-only:").contains("needs an expansion");
    }

    @Test
    void exm124WithItsSupplementalDataRoundTrips() throws IOException {
        assumeTrue(Files.exists(EXM124), "../shared EXM124 connectathon bundle absent (" + EXM124 + "): skipping");
        Bundle b = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, Files.readString(EXM124));
        Measure m = null;
        List<ValueSet> valueSets = new ArrayList<>();
        List<Resource> knowledge = new ArrayList<>();
        List<List<Resource>> sites = List.of(new ArrayList<>(), new ArrayList<>());
        for (var e : b.getEntry()) {
            Resource r = e.getResource();
            if (r instanceof Measure mm) m = mm;
            if (r instanceof ValueSet v) valueSets.add(v);
            String t = r.fhirType();
            if (t.equals("Measure") || t.equals("Library") || t.equals("ValueSet")) knowledge.add(r);
            else if (!t.equals("MeasureReport")) sites.get(siteOf(r)).add(r);
        }
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m), source(valueSets));
        assertThat(domain(layout, "sde-sex").size()).isEqualTo(2);
        assertThat(domain(layout, "sde-payer").source()).startsWith("other-only:");
        MeasureReport network = roundTrip(m, layout, knowledge, sites);
        assertThat(sdeCounts(layout, network, "sde-sex").get("F")).isPositive();
    }

    /** Sites' summaries encoded, summed, decoded; asserted equal to the engine's summary of the union. */
    private static MeasureReport roundTrip(Measure m, MeasureLayout layout, List<Resource> knowledge,
            List<List<Resource>> sites) {
        List<long[]> vectors = new ArrayList<>();
        List<Resource> all = new ArrayList<>(knowledge);
        for (List<Resource> site : sites) {
            List<Resource> data = new ArrayList<>(knowledge);
            data.addAll(site);
            all.addAll(site);
            vectors.add(layout.encode(local(m, data)));
        }
        MeasureReport network = layout.decode(layout.sum(vectors));
        MeasureReport union = local(m, all);
        assertThat(union.getExtension()).isNotEmpty(); // the union does carry supplemental data
        ReportComparison.assertSameResults(layout, union, network);
        return network;
    }

    private static Map<String, Integer> sdeCounts(MeasureLayout layout, MeasureReport r, String sde) {
        Map<String, Integer> out = new HashMap<>();
        ReportComparison.cells(layout, r).forEach((k, v) -> {
            if (k.startsWith("sde." + sde + ".")) out.put(k.substring(("sde." + sde + ".").length()), v.intValue());
        });
        return out;
    }

    private static ValueDomain domain(MeasureLayout layout, String key) {
        return layout.supplementalData().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().domain();
    }

    private static ValueSetSource source(List<ValueSet> valueSets) {
        Map<String, ValueSet> byUrl = new HashMap<>();
        valueSets.forEach(v -> byUrl.put(v.getUrl(), v));
        return c -> Optional.ofNullable(byUrl.get(c.contains("|") ? c.substring(0, c.indexOf('|')) : c));
    }

    private static final Pattern PATIENT_REF = Pattern.compile("\"Patient/([^\"]+)\"");

    /** Every resource on the site of its patient. */
    private static int siteOf(Resource r) {
        String patient = r.fhirType().equals("Patient") ? r.getIdElement().getIdPart() : null;
        if (patient == null) {
            Matcher mt = PATIENT_REF.matcher(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(r));
            patient = mt.find() ? mt.group(1) : "";
        }
        return Math.floorMod(patient.hashCode(), 2);
    }

    private static MeasureReport local(Measure m, List<Resource> data) {
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of(m.getUrl(), "2019-01-01", "2019-12-31", "population",
                null, null, null);
        return ENGINE.evaluate(m, command, InMemoryClinicalData.builder().addAll(data).build(), ContributionBounds.NONE);
    }
}
