package org.concilium.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.concilium.measure.MeasureEvaluationException.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameter parsing: R4 date forms, the end-of-period rule, timezone, report-type defaults, and 400s. */
class EvaluateMeasureCommandTest {

    @ParameterizedTest
    @CsvSource({
        "2019, 2019, 2019-01-01T00:00Z, 2019-12-31T23:59:59.999Z",
        "2019-02, 2019-02, 2019-02-01T00:00Z, 2019-02-28T23:59:59.999Z",
        "2019-01-01, 2019-12-31, 2019-01-01T00:00Z, 2019-12-31T23:59:59.999Z",
        "2019-01-01T10:00:00Z, 2019-12-31T23:59:59Z, 2019-01-01T10:00Z, 2019-12-31T23:59:59.999Z",
        "2019-01-01T00:00:00.000+02:00, 2019-06-30T12:30:00.250-05:00, 2019-01-01T00:00+02:00, 2019-06-30T12:30:00.250-05:00"
    })
    void periodFormsAndEndOfPeriod(String start, String end, String expectedStart, String expectedEnd) {
        MeasurementPeriod p = MeasurementPeriod.parse(start, end, ZoneOffset.UTC);
        assertEquals(OffsetDateTime.parse(expectedStart), p.start());
        assertEquals(OffsetDateTime.parse(expectedEnd), p.end());
        assertEquals(start, p.startText());
        assertEquals(end, p.endText());
    }

    @Test
    void dateOnlyBoundsUseTheTimezone() {
        MeasurementPeriod p = MeasurementPeriod.parse("2019", "2019", ZoneId.of("America/Denver"));
        assertEquals(OffsetDateTime.parse("2019-01-01T00:00-07:00"), p.start());
        assertEquals(OffsetDateTime.parse("2019-12-31T23:59:59.999-07:00"), p.end());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2019-13", "19", "2019-01-01T25:00:00Z", "yesterday", "2019-02-30"})
    void malformedDatesAreInvalidParameters(String bad) {
        var e = assertThrows(MeasureEvaluationException.class, () -> MeasurementPeriod.parse(bad, "2019", ZoneOffset.UTC));
        assertEquals(Category.INVALID_PARAMETER, e.category());
        assertEquals(400, e.category().httpStatus());
    }

    @Test
    void startAfterEndIsInvalid() {
        var e = assertThrows(MeasureEvaluationException.class, () -> MeasurementPeriod.parse("2020", "2019", ZoneOffset.UTC));
        assertEquals(Category.INVALID_PARAMETER, e.category());
    }

    @Test
    void reportTypeDefaultsFollowTheSubject() {
        assertEquals(ReportType.SUBJECT, EvaluateMeasureCommand.of("m", "2019", "2019", null, "Patient/p1", null, null).reportType());
        assertEquals(ReportType.POPULATION, EvaluateMeasureCommand.of("m", "2019", "2019", null, "Group/g", null, null).reportType());
        assertEquals(ReportType.POPULATION, EvaluateMeasureCommand.of("m", "2019", "2019", null, null, null, null).reportType());
        assertEquals(ReportType.SUBJECT_LIST, EvaluateMeasureCommand.of("m", "2019", "2019", "subject-list", null, null, null).reportType());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "bogus, null, null",
        "subject, null, null",
        "null, Observation/x, null",
        "null, null, Patient/x/y",
        "null, Patient/../../etc, null"
    })
    void invalidParametersAre400(String reportType, String subject, String practitioner) {
        var e = assertThrows(MeasureEvaluationException.class,
                () -> EvaluateMeasureCommand.of("m", "2019", "2019", reportType, subject, practitioner, null));
        assertEquals(Category.INVALID_PARAMETER, e.category());
    }

    @Test
    void unknownTimezoneIs400() {
        var e = assertThrows(MeasureEvaluationException.class,
                () -> EvaluateMeasureCommand.of("m", "2019", "2019", null, null, null, "Mars/Olympus"));
        assertEquals(Category.INVALID_PARAMETER, e.category());
    }
}
