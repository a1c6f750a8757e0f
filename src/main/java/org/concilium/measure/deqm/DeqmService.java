package org.concilium.measure.deqm;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.concilium.measure.ClinicalData;
import org.concilium.measure.MeasureEvaluationException;
import org.concilium.measure.MeasureEvaluationException.Category;
import org.concilium.measure.MeasureService;
import org.concilium.measure.MeasurementPeriod;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.cr.measure.CareGapsProperties;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.common.MeasurePeriodValidator;
import org.opencds.cqf.fhir.cr.measure.r4.R4CareGapsService;
import org.opencds.cqf.fhir.cr.measure.r4.R4CollectDataService;

/**
 * The DEQM operations over this site's store, each through the cqf-fhir-cr 4.2.0 service that
 * implements it, given a {@link StoreRepository}. Runs off the event loop; failures of the stock
 * services become {@link MeasureEvaluationException}s (400 bad input, 404 unknown, 422 content).
 *
 * <p>Note: {@code $care-gaps} and {@code $collect-data} evaluate with cqf-fhir-cr's own measure
 * processor (stock, one patient at a time), not with this node's evaluator; they are meant for a
 * patient or a Group, not for a whole site.
 */
public class DeqmService {

    static final Set<String> GAP_STATUSES = Set.of("open-gap", "closed-gap", "prospective-gap", "not-applicable");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final MeasureService measures;
    private final DeqmSettings settings;

    public DeqmService(MeasureService measures, DeqmSettings settings) {
        this.measures = measures;
        this.settings = settings;
    }

    public DeqmSettings settings() {
        return settings;
    }

    /** {@code Measure/[id]/$data-requirements}: the module-definition Library. */
    public Uni<Library> dataRequirements(String measureId, String periodStart, String periodEnd) {
        return offLoop(() -> {
            StoreRepository repository = repository();
            Measure measure = measures.measure("Measure/" + measureId);
            return stock("Measure/" + measureId, () -> DataRequirements.of(repository, measure, periodStart, periodEnd));
        });
    }

    /**
     * The resource types a measure's logic retrieves (the types of its data requirements), decided
     * from the measure alone, for authorizing a patient-level report; empty when they cannot be
     * computed (the caller then requires every type a patient's record may hold).
     */
    public Uni<java.util.Optional<Set<String>>> retrievedTypes(String measureRef) {
        return offLoop(() -> {
            Measure measure = measures.measure(measureRef);
            try {
                Library l = DataRequirements.of(repository(), measure, null, null);
                Set<String> types = new java.util.TreeSet<>();
                l.getDataRequirement().forEach(d -> {
                    if (d.getType() != null) {
                        types.add(d.getType());
                    }
                });
                return java.util.Optional.of(types);
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /**
     * The checks of a {@code $care-gaps} request that need no data (400 for bad input), so a caller
     * can run them before any look-up; {@link #careGaps} runs them again. Returns the period.
     */
    public MeasurementPeriod check(CareGapsRequest request, String timezone) {
        MeasurementPeriod period = MeasurementPeriod.parse(request.periodStart(), request.periodEnd(), zone(timezone));
        if (request.status().isEmpty()) {
            throw invalid("status", "$care-gaps needs at least one status (open-gap, closed-gap)");
        }
        for (String s : request.status()) {
            if (!GAP_STATUSES.contains(s)) {
                throw invalid("status", "status '" + s + "' is not one of " + String.join(", ", GAP_STATUSES.stream().sorted().toList()));
            }
        }
        if (request.measureId().isEmpty() && request.measureUrl().isEmpty() && request.measureIdentifier().isEmpty()) {
            throw invalid("measureId", "$care-gaps needs a measureId, measureUrl or measureIdentifier");
        }
        if (request.subject() != null) {
            Subject.parse(request.subject());
        }
        return period;
    }

    /** {@code Measure/$care-gaps}: Parameters with one gaps-in-care document Bundle per subject that has a gap of a requested status. */
    public Uni<Parameters> careGaps(CareGapsRequest request, String serverBase, String timezone) {
        MeasurementPeriod period = check(request, timezone);
        return offLoop(() -> {
            // attributed Patients are evaluated as a Group the operation makes and never stores:
            // the stock service then takes them one by one, as for a stored Group
            Group attributed = request.subject() == null ? attributedGroup(request.attributed()) : null;
            StoreRepository repository = repository(attributed);
            String subject = attributed == null ? request.subject() : "Group/" + attributed.getIdElement().getIdPart();
            if (attributed == null) {
                Subject.parse(request.subject()).requireStored(repository);
            }
            for (String id : request.measureId()) {
                measures.measure("Measure/" + id);
            }
            if (attributed != null && request.attributed().isEmpty()) {
                return new Parameters();
            }
            CareGapsProperties properties = new CareGapsProperties();
            properties.setCareGapsReporter(settings.reporterOrganization());
            properties.setCareGapsCompositionSectionAuthor(settings.authorOrganization());
            var service = new R4CareGapsService(properties, repository, options(),
                    serverBase, new MeasurePeriodValidator());
            Parameters gaps = stock("Measure", () -> service.getCareGapsReport(period.start().toZonedDateTime(),
                    period.end().toZonedDateTime(), subject, request.status(),
                    request.measureId().stream().map(id -> new IdType("Measure", id)).toList(),
                    request.measureIdentifier(),
                    request.measureUrl().stream().map(CanonicalType::new).toList(), false));
            return GapsDocuments.complete(gaps, repository, serverBase);
        });
    }

    /**
     * {@code Measure/$collect-data}: per subject a data-collection MeasureReport (declaring the DEQM
     * data-exchange profile) and the resources it evaluated.
     */
    public Uni<Parameters> collectData(String measureRef, String periodStart, String periodEnd, String subject, String timezone) {
        MeasurementPeriod period = MeasurementPeriod.parse(periodStart, periodEnd, zone(timezone));
        Subject.parse(subject);
        return offLoop(() -> {
            StoreRepository repository = repository();
            Subject.parse(subject).requireStored(repository);
            Measure measure = measures.measure(measureRef);
            var service = new R4CollectDataService(repository, options());
            Parameters out = stock(measureRef, () -> service.collectData(new IdType("Measure", measure.getIdElement().getIdPart()),
                    period.start().toZonedDateTime(), period.end().toZonedDateTime(), subject, null));
            return DataExchangeReports.complete(out, "Organization/" + settings.reporterOrganization());
        });
    }

    /**
     * Stock options, except that value-set filters run in the CQL engine: the repository's in-memory
     * search matcher does not implement {@code code:in}. Patient filters stay search parameters.
     */
    private static MeasureEvaluationOptions options() {
        MeasureEvaluationOptions options = MeasureEvaluationOptions.defaultOptions();
        options.getEvaluationSettings().getRetrieveSettings()
                .setTerminologyParameterMode(RetrieveSettings.TERMINOLOGY_FILTER_MODE.FILTER_IN_MEMORY);
        return options;
    }

    private StoreRepository repository() {
        return repository(null);
    }

    /** {@code group}: an operation-made Group served beside the site's stand-in Organizations, or null. */
    private StoreRepository repository(Group group) {
        ClinicalData data = measures.storedData();
        Map<String, Resource> standIns = new LinkedHashMap<>();
        if (group != null) {
            standIns.put("Group/" + group.getIdElement().getIdPart(), group);
        }
        for (String id : List.of(settings.reporterOrganization(), settings.authorOrganization())) {
            Organization o = new Organization();
            o.setId("Organization/" + id);
            o.setActive(true).setName(settings.siteName() == null ? id : settings.siteName());
            standIns.put("Organization/" + id, o);
        }
        return new StoreRepository(FHIR, data, standIns);
    }

    private static Group attributedGroup(List<String> patientIds) {
        Group g = new Group();
        g.setId("care-gaps-" + UUID.randomUUID());
        g.setType(Group.GroupType.PERSON).setActual(true);
        patientIds.forEach(id -> g.addMember().setEntity(new Reference("Patient/" + id)));
        return g;
    }

    /** The {@code Timezone} header, as $evaluate-measure reads it: an IANA id or offset, UTC when absent. */
    private static ZoneId zone(String timezone) {
        try {
            return timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            throw new MeasureEvaluationException(Category.INVALID_PARAMETER, "Timezone", "unknown timezone");
        }
    }

    private static <T> Uni<T> offLoop(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Runs a stock service call; its exceptions become ours, with the first line of its message. */
    private static <T> T stock(String location, Supplier<T> call) {
        try {
            return call.get();
        } catch (MeasureEvaluationException e) {
            throw e;
        } catch (BaseServerResponseException e) {
            Category c = e.getStatusCode() == 404 ? Category.NOT_FOUND
                    : e.getStatusCode() < 500 ? Category.INVALID_PARAMETER : Category.BROKEN_MEASURE;
            throw new MeasureEvaluationException(c, location, firstLine(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new MeasureEvaluationException(Category.INVALID_PARAMETER, location, e.getMessage() == null
                    ? "cqf-fhir-cr refused the request (" + e.getClass().getSimpleName() + ")" : firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new MeasureEvaluationException(Category.BROKEN_MEASURE, location, "cqf-fhir-cr could not process "
                    + location + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), e);
        }
    }

    static MeasureEvaluationException invalid(String parameter, String message) {
        return new MeasureEvaluationException(Category.INVALID_PARAMETER, "Parameters.parameter.where(name='" + parameter + "')", message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.startsWith("HAPI-") && s.indexOf(':') > 0 ? s.substring(s.indexOf(':') + 1).trim() : s;
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
