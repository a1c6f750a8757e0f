package org.concilium.measure.deqm;

import java.util.HashSet;
import java.util.Set;
import org.concilium.measure.DeqmProfiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.utility.SearchHelper;

/**
 * Three repairs to the gaps-in-care documents cqf-fhir-cr 4.2.0 builds, toward the DEQM
 * gaps-bundle profile: the configured Organization is added once per role, so when the reporter is
 * also the author it appeared twice (FHIR bdl-7: fullUrl unique); the Composition's subject was
 * in the document only when the CQL happened to retrieve the Patient; and the MeasureReport lacked
 * DEQM's scoring extension (deqm-3).
 */
final class GapsDocuments {

    private GapsDocuments() {}

    static Parameters complete(Parameters gaps, StoreRepository repository, String serverBase) {
        for (var p : gaps.getParameter()) {
            if (p.getResource() instanceof Bundle document) {
                Set<String> seen = new HashSet<>();
                document.getEntry().removeIf(e -> e.hasFullUrl() && !seen.add(e.getFullUrl()));
                addSubject(document, repository, serverBase, seen);
                document.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(MeasureReport.class::isInstance)
                        .forEach(r -> addScoring((MeasureReport) r, repository));
            }
        }
        return gaps;
    }

    /**
     * DEQM deqm-3: the scoring in DEQM's own extension, at the root or on every group. The stock
     * report has it nowhere; it comes from the Measure (care gaps takes only Measures scored at the
     * root: proportion or ratio), as our own reports carry it (DeqmProfiles).
     */
    private static void addScoring(MeasureReport report, StoreRepository repository) {
        if (report.hasExtension(DeqmProfiles.EXT_MEASURE_SCORING)
                || report.getGroup().stream().anyMatch(g -> g.hasExtension(DeqmProfiles.EXT_MEASURE_SCORING))) {
            return;
        }
        if (report.hasMeasure() && SearchHelper.searchRepositoryByCanonical(repository, new CanonicalType(report.getMeasure()))
                instanceof Measure measure && measure.hasScoring()) {
            report.addExtension(DeqmProfiles.EXT_MEASURE_SCORING, measure.getScoring().copy());
        }
    }

    private static void addSubject(Bundle document, StoreRepository repository, String serverBase, Set<String> fullUrls) {
        document.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Composition.class::isInstance)
                .map(c -> ((Composition) c).getSubject().getReference()).filter(r -> r != null && r.startsWith("Patient/"))
                .findFirst().ifPresent(ref -> {
                    String fullUrl = serverBase + "/" + ref;
                    boolean present = fullUrls.contains(fullUrl) || document.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                            .anyMatch(r -> ref.equals(r.fhirType() + "/" + r.getIdElement().getIdPart()));
                    if (!present) {
                        Resource patient = repository.read(Patient.class, new IdType(ref));
                        document.addEntry().setFullUrl(fullUrl).setResource(patient);
                    }
                });
    }
}
