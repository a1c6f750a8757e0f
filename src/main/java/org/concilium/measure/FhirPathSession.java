package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

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
 * {@code resolve()} finds referenced resources in the site's data.
 * A boolean-basis criterion is true when it yields a single {@code true} (or any non-boolean item);
 * a resource-basis criterion yields the population resources.
 */
final class FhirPathSession {

    /** What one patient's FHIRPath evaluation can see. */
    record Scope(Resource patient, String patientId, PatientIndex index, MeasurementPeriod period) {}

    private final FHIRPathEngine engine;
    private final Map<String, ExpressionNode> parsed = new HashMap<>();

    FhirPathSession(FhirContext fhir, IValidationSupport validationSupport) {
        this.engine = new FHIRPathEngine(new HapiWorkerContext(fhir, validationSupport));
        this.engine.setHostServices(new Host());
    }

    /** Parses once per thread; a syntax error is reported against {@code location}. */
    ExpressionNode parse(String expression, String location) {
        ExpressionNode p = parsed.get(expression);
        if (p == null) {
            try {
                p = engine.parse(expression);
            } catch (Exception e) {
                throw MeasureEvaluationException.broken(location, "FHIRPath does not parse: " + CqlLibraries.firstLine(e.getMessage()));
            }
            parsed.put(expression, p);
        }
        return p;
    }

    List<Base> evaluate(Scope scope, IBase focus, String expression, String location) {
        Base base = (Base) focus;
        Base root = focus instanceof Resource ? base : scope.patient();
        try {
            return engine.evaluate(scope, base, root, base, parse(expression, location));
        } catch (MeasureEvaluationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw MeasureEvaluationException.broken(location, "FHIRPath '" + expression + "' failed: "
                    + CqlLibraries.firstLine(e.getMessage()), e);
        }
    }

    private static List<Base> constant(Scope scope, String rawName) {
        String name = rawName.startsWith("%") ? rawName.substring(1) : rawName;
        if (name.length() > 1 && (name.startsWith("'") || name.startsWith("`"))) {
            name = name.substring(1, name.length() - 1);
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
                throw new PathEngineException("unknown FHIRPath constant %" + name
                        + " (known: %patient, %periodStart, %periodEnd, %<ResourceType>)");
        }
    }

    private static DateTimeType dateTime(OffsetDateTime t) {
        DateTimeType d = new DateTimeType(Date.from(t.toInstant()), TemporalPrecisionEnum.MILLI);
        d.setTimeZone(TimeZone.getTimeZone(t.getOffset()));
        return d;
    }

    /** Host services: our constants, and resolve() within the site's data. */
    private static final class Host implements IHostApplicationServices {
        @Override
        public List<Base> resolveConstant(FHIRPathEngine engine, Object appContext, String name,
                FHIRPathConstantEvaluationMode mode) {
            if (mode != FHIRPathConstantEvaluationMode.EXPLICIT || !(appContext instanceof Scope scope)) {
                return List.of();
            }
            return constant(scope, name);
        }

        @Override
        public TypeDetails resolveConstantType(FHIRPathEngine engine, Object appContext, String name,
                FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FHIRPathUtilityClasses.FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(FHIRPathEngine engine, Object appContext, String functionName, TypeDetails focus,
                List<TypeDetails> parameters) {
            return null;
        }

        @Override
        public List<Base> executeFunction(FHIRPathEngine engine, Object appContext, List<Base> focus, String functionName,
                List<List<Base>> parameters) {
            return null;
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
            if (!(appContext instanceof Scope scope) || url == null) {
                return null;
            }
            String[] parts = url.split("/");
            if (parts.length < 2) {
                return null;
            }
            return scope.index().read(parts[parts.length - 2], parts[parts.length - 1]);
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}
