package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import org.opencds.cqf.cql.engine.fhir.model.R4FhirModelResolver;
import org.opencds.cqf.cql.engine.runtime.DateTime;
import org.opencds.cqf.cql.engine.runtime.Precision;

/**
 * The FHIR R4 model resolver, with date-times at second precision handed to CQL at millisecond
 * precision.
 *
 * <p>Why: the CQL specification (Equal, Less, SameOrAfter, ...) says "for the purposes of
 * comparison, seconds and milliseconds are combined as a single precision using a decimal", so
 * {@code @2019-01-01T00:00:00 = @2019-01-01T00:00:00.000} is true. The cqframework engine 4.2.0
 * instead treats milliseconds as a further precision and answers null (uncertain). Real data is
 * mostly at second precision ({@code "2019-01-01T00:00:00Z"}) and our measurement period is at
 * millisecond precision, so an encounter starting exactly at the period start, or a test at
 * 23:59:59 on its last day, would silently fall out of {@code during "Measurement Period"}.
 * Adding {@code .000} is exact under the decimal rule, so this changes no certain answer.
 */
final class DecimalSecondsModelResolver extends R4FhirModelResolver {

    /** One per JVM: building a model resolver scans the FHIR model (seconds on a loaded machine). */
    static final DecimalSecondsModelResolver INSTANCE = new DecimalSecondsModelResolver();

    private DecimalSecondsModelResolver() {
        super(FhirContext.forR4Cached());
    }

    @Override
    public Object resolvePath(Object target, String path) {
        return toMilliseconds(super.resolvePath(target, path));
    }

    @Override
    protected Object resolveProperty(Object target, String path) {
        return toMilliseconds(super.resolveProperty(target, path));
    }

    static Object toMilliseconds(Object value) {
        if (value instanceof DateTime dt && dt.getPrecision() == Precision.SECOND) {
            return new DateTime(dt.getDateTime(), Precision.MILLISECOND);
        }
        return value;
    }
}
