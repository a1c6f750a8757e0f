package org.concilium.measure.deqm;

import ca.uhn.fhir.repository.IRepository;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.r4.R4DataRequirementsService;

/**
 * {@code Measure/[id]/$data-requirements}: cqf-fhir-cr's own {@link R4DataRequirementsService}
 * (a module-definition Library with {@code dataRequirement}, {@code relatedArtifact} and
 * {@code parameter}) over the store. It reads only the Measure and its Libraries.
 */
final class DataRequirements {

    private DataRequirements() {}

    static Library of(IRepository repository, Measure measure, String periodStart, String periodEnd) {
        return new R4DataRequirementsService(repository, MeasureEvaluationOptions.defaultOptions())
                .dataRequirements(new IdType("Measure", measure.getIdElement().getIdPart()), periodStart, periodEnd);
    }
}
