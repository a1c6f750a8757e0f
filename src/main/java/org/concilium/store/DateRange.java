package org.concilium.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * A FHIR date, dateTime or instant as the closed range of instants it covers at its precision:
 * "2019" is 2019-01-01T00:00:00.000Z .. 2019-12-31T23:59:59.999Z. Values without a zone are read
 * in UTC. Open ends use the extremes PostgreSQL can store.
 */
public record DateRange(Instant low, Instant high) {

    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    // compiled once: String.matches compiled each pattern on every call (a tenth of $import's indexing time)
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern YEAR_MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern ZONED = Pattern.compile(".*(Z|[+-]\\d{2}:\\d{2})$");
    private static final Pattern FHIR_YEAR = Pattern.compile("\\d{4}([-T].*)?");
    private static final Pattern MINUTES = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(Z|[+-].*)");

    public static DateRange parse(String value) {
        String v = value.trim();
        requireFhirYear(v, value);
        try {
            if (YEAR.matcher(v).matches()) {
                LocalDate start = LocalDate.of(Integer.parseInt(v), 1, 1);
                return ofDays(start, start.plusYears(1));
            }
            if (YEAR_MONTH.matcher(v).matches()) {
                YearMonth ym = YearMonth.parse(v);
                return ofDays(ym.atDay(1), ym.plusMonths(1).atDay(1));
            }
            if (DAY.matcher(v).matches()) {
                LocalDate d = LocalDate.parse(v);
                return ofDays(d, d.plusDays(1));
            }
            return ofDateTime(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a FHIR date or dateTime: '" + value + "'");
        }
    }

    /**
     * An instant parameter ({@code _since}): an offset date-time whose year FHIR allows. Java reads
     * years up to 999999999 with a sign, which PostgreSQL cannot hold (a 500) or the driver wraps
     * silently (a wrong answer); FHIR's date types have exactly four digits, 0001-9999.
     */
    public static Instant parseInstant(String value) {
        String v = value.trim();
        requireFhirYear(v, value);
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an instant: '" + value + "'");
        }
    }

    private static void requireFhirYear(String v, String value) {
        if (!FHIR_YEAR.matcher(v).matches() || v.startsWith("0000")) {
            throw new IllegalArgumentException("not a FHIR date or dateTime (the year has four digits, 0001-9999): '"
                    + value + "'");
        }
    }

    private static DateRange ofDateTime(String v) {
        String withZone = ZONED.matcher(v).matches() ? v : v + "Z";
        if (MINUTES.matcher(withZone).matches()) {
            // minute precision (allowed in search values)
            Instant start = OffsetDateTime.parse(withZone.substring(0, 16) + ":00" + withZone.substring(16)).toInstant();
            return new DateRange(start, start.plus(1, ChronoUnit.MINUTES).minusMillis(1));
        }
        OffsetDateTime t = OffsetDateTime.parse(withZone);
        Instant start = t.toInstant();
        int fractionDigits = fractionDigits(v);
        if (fractionDigits == 0) {
            return new DateRange(start, start.plusSeconds(1).minusMillis(1));
        }
        return new DateRange(start, start);
    }

    private static int fractionDigits(String v) {
        int dot = v.indexOf('.');
        if (dot < 0) {
            return 0;
        }
        int n = 0;
        for (int i = dot + 1; i < v.length() && Character.isDigit(v.charAt(i)); i++) {
            n++;
        }
        return n;
    }

    private static DateRange ofDays(LocalDate start, LocalDate endExclusive) {
        return new DateRange(start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                endExclusive.atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1));
    }

    public static DateRange span(DateRange start, DateRange end) {
        return new DateRange(start == null ? MIN : start.low(), end == null ? MAX : end.high());
    }
}
