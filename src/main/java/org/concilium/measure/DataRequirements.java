package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.r4.R4DataRequirementsService;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;

/**
 * {@code Measure/[id]/$data-requirements}: cqf-fhir-cr's own {@link R4DataRequirementsService}
 * (a module-definition Library with {@code dataRequirement}, {@code relatedArtifact} and
 * {@code parameter}), given a repository holding the Measure and the site's Libraries. Only
 * knowledge artifacts go into that repository, never patient data.
 */
final class DataRequirements {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private DataRequirements() {}

    static Library of(Measure stored, ClinicalData data, String periodStart, String periodEnd) {
        Measure measure = stored.copy();
        List<Library> libraries = data.resources("Library").map(r -> (Library) r).toList();
        // the stock service resolves Measure.library only as a canonical; much content uses Library/id
        for (var ref : measure.getLibrary()) {
            if (ref.getValue() != null && ref.getValue().startsWith("Library/")) {
                String id = ref.getValue().substring("Library/".length());
                libraries.stream().filter(l -> id.equals(l.getIdElement().getIdPart()) && l.hasUrl()).findFirst()
                        .ifPresent(l -> ref.setValue(l.getUrl()));
            }
        }
        Bundle knowledge = new Bundle().setType(Bundle.BundleType.COLLECTION);
        knowledge.addEntry().setResource(measure);
        for (Library l : libraries) {
            knowledge.addEntry().setResource((Resource) l);
        }
        var repository = new InMemoryFhirRepository(FHIR, knowledge);
        try {
            return new R4DataRequirementsService(repository, MeasureEvaluationOptions.defaultOptions())
                    .dataRequirements(new IdType("Measure", measure.getIdElement().getIdPart()), periodStart, periodEnd);
        } catch (RuntimeException e) {
            throw new MeasureEvaluationException(MeasureEvaluationException.Category.BROKEN_MEASURE, "Measure.library",
                    "cannot compute the data requirements of Measure/" + measure.getIdElement().getIdPart() + ": "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
