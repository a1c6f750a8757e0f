package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIRPath criteria ({@code text/fhirpath}) for one thread.
 *
 * <p>Evaluation context, for every FHIRPath criterion of a Measure:
 * <ul>
 *   <li>focus / {@code %context} / {@code %resource}: the Patient being evaluated; for
 *       stratifiers and measure observations of a resource-basis group, the population resource
 *       (e.g. the Encounter) instead;</li>
 *   <li>{@code %patient}: the Patient;</li>
 *   <li>{@code %Encounter}, {@code %Observation}, ... (any resource type name): that patient's
 *       resources of the type (its Patient compartment);</li>
 *   <li>{@code %periodStart}, {@code %periodEnd}: the measurement period bounds (dateTime, ms precision).</li>
 * </ul>
 * A boolean-basis criterion is true when it yields a single {@code true} (or any non-boolean item);
 * a resource-basis criterion yields the population resources.
 */
final class FhirPathSession {

    /** What one patient's FHIRPath evaluation can see. */
    record Scope(Resource patient, String patientId, PatientIndex index, MeasurementPeriod period) {}

    private final IFhirPath fhirPath;
    private final Map<String, IFhirPath.IParsedExpression> parsed = new HashMap<>();
    private Scope scope;

    FhirPathSession(FhirContext fhir) {
        this.fhirPath = fhir.newFhirPath();
        this.fhirPath.setEvaluationContext(new IFhirPathEvaluationContext() {
            @Override
            public List<IBase> resolveConstant(Object appContext, String name, ConstantEvaluationMode mode) {
                return constant(name);
            }
        });
    }

    /** Parses once per thread; a syntax error is reported against {@code location}. */
    IFhirPath.IParsedExpression parse(String expression, String location) {
        IFhirPath.IParsedExpression p = parsed.get(expression);
        if (p == null) {
            try {
                p = fhirPath.parse(expression);
            } catch (Exception e) {
                throw MeasureEvaluationException.broken(location, "FHIRPath does not parse: " + CqlLibraries.firstLine(e.getMessage()));
            }
            parsed.put(expression, p);
        }
        return p;
    }

    List<IBase> evaluate(Scope scope, IBase focus, String expression, String location) {
        this.scope = scope;
        try {
            return fhirPath.evaluate(focus, parse(expression, location), IBase.class);
        } finally {
            this.scope = null;
        }
    }

    private List<IBase> constant(String rawName) {
        String name = rawName.startsWith("%") ? rawName.substring(1) : rawName;
        if (name.length() > 1 && (name.startsWith("'") || name.startsWith("`"))) {
            name = name.substring(1, name.length() - 1);
        }
        if (scope == null) {
            return null;
        }
        switch (name) {
            case "patient":
                return List.of(scope.patient());
            case "periodStart":
                return List.of(dateTime(scope.period().start()));
            case "periodEnd":
                return List.of(dateTime(scope.period().end()));
            default:
                if (!name.isEmpty() && Character.isUpperCase(name.charAt(0))) {
                    return new ArrayList<>(scope.index().type(name).of(scope.patientId()));
                }
                return null;
        }
    }

    private static DateTimeType dateTime(java.time.OffsetDateTime t) {
        DateTimeType d = new DateTimeType(Date.from(t.toInstant()), ca.uhn.fhir.model.api.TemporalPrecisionEnum.MILLI);
        d.setTimeZone(java.util.TimeZone.getTimeZone(t.getOffset()));
        return d;
    }
}
