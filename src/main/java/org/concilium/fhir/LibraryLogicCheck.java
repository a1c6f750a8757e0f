package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.concilium.measure.MeasureService;
import org.concilium.measure.PackageCheck;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * A Library with CQL written to the site API (single-resource create and update) is compiled over the
 * site's stored libraries before it is stored, so an author hears of a CQL error when storing it, not
 * at the first evaluation. Under {@link ValidationPolicy#LENIENT} the errors (with line and column)
 * come back as {@code warning} issues and the Library is stored; under {@link ValidationPolicy#STRICT}
 * they are a 422 and nothing is stored. An include the site does not hold yet is such an error too:
 * under strict, store included libraries first. Value sets are not checked here (terminology is
 * never checked at ingest); publication to the network checks them (federation/query/CatalogPublisher).
 */
@ApplicationScoped
class LibraryLogicCheck {

    @Inject
    MeasureService measures;

    /** The warnings to add ({@code warnings} plus the CQL's, if any), or a 422 under strict; off the event loop. */
    Uni<List<OperationOutcomeIssueComponent>> check(Resource resource, ValidationPolicy policy,
            List<OperationOutcomeIssueComponent> warnings) {
        if (!(resource instanceof Library library) || !hasCql(library)) {
            return Uni.createFrom().item(warnings);
        }
        return Uni.createFrom().item(() -> {
            List<PackageCheck.Problem> problems = measures.compileProblems(library);
            if (problems.isEmpty()) {
                return warnings;
            }
            if (policy == ValidationPolicy.STRICT) {
                throw FhirException.unprocessable("the Library's CQL does not compile: " + problems.get(0).text(),
                        "Library.content");
            }
            List<OperationOutcomeIssueComponent> out = new ArrayList<>(warnings);
            for (PackageCheck.Problem p : problems) {
                OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                        .setSeverity(IssueSeverity.WARNING).setCode(IssueType.PROCESSING)
                        .setDiagnostics(p.text() + "; stored as sent, but no Measure using it can be evaluated");
                issue.addExpression("Library.content");
                out.add(issue);
            }
            return out;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static boolean hasCql(Library library) {
        return library.getContent().stream().anyMatch(a -> "text/cql".equals(a.getContentType()) && a.hasData());
    }
}
