package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.VersionedIdentifier;
import org.opencds.cqf.cql.engine.data.CompositeDataProvider;
import org.opencds.cqf.cql.engine.data.DataProvider;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.opencds.cqf.cql.engine.execution.Environment;
import org.opencds.cqf.cql.engine.execution.Libraries;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.cql.engine.retrieve.RetrieveProvider;
import org.opencds.cqf.cql.engine.runtime.DateTime;
import org.opencds.cqf.cql.engine.runtime.Interval;
import org.opencds.cqf.cql.engine.runtime.Precision;
import org.opencds.cqf.cql.engine.terminology.TerminologyProvider;

/** One compiled main Library: checks criteria against it and opens per-thread {@link CqlSession}s. */
final class CqlLogic {

    static final String FHIR_MODEL_URI = "http://hl7.org/fhir";
    static final String MEASUREMENT_PERIOD = "Measurement Period";

    private final CqlLibraries libraries;
    private final VersionedIdentifier id;
    private final Library elm;

    CqlLogic(CqlLibraries libraries, VersionedIdentifier id, Library elm) {
        this.libraries = libraries;
        this.id = id;
        this.elm = elm;
    }

    VersionedIdentifier id() {
        return id;
    }

    Library elm() {
        return elm;
    }

    /** The definition named by a criteria expression, or a 422 naming {@code location}. */
    ExpressionDef definition(String expression, String location) {
        ExpressionDef def;
        try {
            def = Libraries.resolveExpressionRef(expression, elm);
        } catch (RuntimeException e) {
            def = null;
        }
        if (def == null) {
            throw broken(location, "'" + expression + "' is not defined in Library " + id.getId());
        }
        return def;
    }

    boolean defines(String expression) {
        try {
            return Libraries.resolveExpressionRef(expression, elm) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The CQL value of the measurement period: a closed DateTime interval at millisecond precision. */
    static Interval measurementPeriod(MeasurementPeriod period) {
        return new Interval(dateTime(period.start()), true, dateTime(period.end()), true);
    }

    private static DateTime dateTime(OffsetDateTime t) {
        return new DateTime(t, Precision.MILLISECOND);
    }

    Map<String, Object> parameters(MeasurementPeriod period) {
        Map<String, Object> params = new HashMap<>();
        boolean declared = elm.getParameters() != null && elm.getParameters().getDef().stream()
                .anyMatch(p -> MEASUREMENT_PERIOD.equals(p.getName()));
        if (declared) {
            params.put(MEASUREMENT_PERIOD, measurementPeriod(period));
        }
        return params;
    }

    CqlSession openSession(ClinicalData data, ModelResolver modelResolver, RetrieveProvider retrieve,
            TerminologyProvider terminology, Map<String, Object> parameters) {
        Map<String, DataProvider> providers = Map.of(FHIR_MODEL_URI, new CompositeDataProvider(modelResolver, retrieve));
        Environment env = new Environment(libraries.newManager(data), providers, terminology);
        CqlEngine engine = new CqlEngine(env, Set.of(CqlEngine.Options.EnableExpressionCaching));
        return new CqlSession(engine, id, elm, parameters);
    }
}
