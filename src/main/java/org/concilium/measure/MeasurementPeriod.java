package org.concilium.measure;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The measurement period as the caller wrote it and as evaluated: a closed interval at millisecond
 * precision. A partial end ({@code 2019}, {@code 2019-12}, {@code 2019-12-31}) extends to the last
 * millisecond of that unit (the R4 end-of-period rule), so {@code periodEnd=2019} means
 * 2019-12-31T23:59:59.999. Dates without an offset are read in {@code zone}.
 *
 * @param startText the {@code periodStart} string, echoed unchanged in MeasureReport.period
 * @param endText the {@code periodEnd} string, echoed unchanged
 */
public record MeasurementPeriod(String startText, String endText, OffsetDateTime start, OffsetDateTime end) {

    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern YEAR_MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?");

    public MeasurementPeriod {
        if (start.isAfter(end)) {
            throw MeasureEvaluationException.invalid(
                    "Parameters.parameter.where(name='periodStart')", "periodStart is after periodEnd");
        }
    }

    /** Parses both bounds in any R4 date/dateTime form. */
    public static MeasurementPeriod parse(String startText, String endText, ZoneId zone) {
        if (startText == null || endText == null || startText.isBlank() || endText.isBlank()) {
            throw MeasureEvaluationException.invalid(
                    "Parameters.parameter.where(name='" + (startText == null || startText.isBlank() ? "periodStart" : "periodEnd") + "')",
                    "periodStart and periodEnd are both required");
        }
        ZoneId z = zone == null ? ZoneOffset.UTC : zone;
        return new MeasurementPeriod(startText, endText,
                bound(startText.trim(), z, false, "periodStart"), bound(endText.trim(), z, true, "periodEnd"));
    }

    static OffsetDateTime bound(String text, ZoneId zone, boolean end, String param) {
        // R4 years are 0001-9999 (the CQL engine refuses year 0 deep inside, a 500 before), and a time
        // has seconds (the report's period is a dateTime, which refuses "T10:00": a 500 before too)
        try {
            if (text.startsWith("0000")) {
                throw new java.time.DateTimeException("year 0");
            }
            if (YEAR.matcher(text).matches()) {
                LocalDate d = LocalDate.of(Integer.parseInt(text), end ? 12 : 1, end ? 31 : 1);
                return atZone(end ? endOfDay(d) : d.atStartOfDay(), zone);
            }
            if (YEAR_MONTH.matcher(text).matches()) {
                YearMonth ym = YearMonth.parse(text);
                return atZone(end ? endOfDay(ym.atEndOfMonth()) : ym.atDay(1).atStartOfDay(), zone);
            }
            if (DATE.matcher(text).matches()) {
                LocalDate d = LocalDate.parse(text);
                return atZone(end ? endOfDay(d) : d.atStartOfDay(), zone);
            }
            var m = DATE_TIME.matcher(text);
            if (m.matches()) {
                LocalDate d = LocalDate.parse(m.group(1));
                int hour = Integer.parseInt(m.group(2));
                int minute = Integer.parseInt(m.group(3));
                LocalDateTime t;
                if (m.group(5) == null) {
                    t = d.atTime(hour, minute, Integer.parseInt(m.group(4)), end ? 999_000_000 : 0);
                } else {
                    int nanos = Integer.parseInt((m.group(5).substring(1) + "000000000").substring(0, 9));
                    t = d.atTime(hour, minute, Integer.parseInt(m.group(4)), nanos).truncatedTo(ChronoUnit.MILLIS);
                }
                if (m.group(6) != null) {
                    return t.atOffset(m.group(6).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(6)));
                }
                return atZone(t, zone);
            }
        } catch (java.time.DateTimeException e) {
            // fall through to the uniform message
        }
        throw MeasureEvaluationException.invalid("Parameters.parameter.where(name='" + param + "')",
                param + " is not an R4 date or dateTime (yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddThh:mm:ss[.sss][Z|+hh:mm])");
    }

    private static LocalDateTime endOfDay(LocalDate d) {
        return d.atTime(23, 59, 59, 999_000_000);
    }

    private static OffsetDateTime atZone(LocalDateTime t, ZoneId zone) {
        return t.atZone(zone).toOffsetDateTime();
    }
}
