package org.concilium.measure.conformance;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Resource;

/**
 * The default of a Measure's {@code parameter "Measurement Period"} in its primary Library's CQL,
 * as whole days ({@code Interval[@2019-01-01T00:00:00.0, @2020-01-01T00:00:00.0)} → 2019-01-01 ..
 * 2019-12-31): the period an eCQM's test cases were written for when no report says so.
 */
final class CqlDefaultPeriod {

    private static final Pattern DEFAULT = Pattern.compile(
            "parameter\\s+\"Measurement Period\"[^\\n]*\\s+default\\s+Interval\\s*([\\[(])\\s*@(\\d{4}-\\d{2}-\\d{2})(T[0-9:.]*)?\\s*,"
                    + "\\s*@(\\d{4}-\\d{2}-\\d{2})(T[0-9:.]*)?\\s*([\\])])");

    private CqlDefaultPeriod() {}

    static Optional<String[]> of(Measure measure, List<Resource> knowledge) {
        if (measure == null || !measure.hasLibrary()) {
            return Optional.empty();
        }
        String url = measure.getLibrary().get(0).getValue();
        return knowledge.stream().filter(r -> r instanceof Library l && url.startsWith(l.getUrl() == null ? "\u0000" : l.getUrl()))
                .map(r -> (Library) r).flatMap(l -> l.getContent().stream())
                .filter(c -> "text/cql".equals(c.getContentType()) && c.hasData())
                .map(c -> DEFAULT.matcher(new String(c.getData(), StandardCharsets.UTF_8)))
                .filter(Matcher::find).findFirst().map(CqlDefaultPeriod::days);
    }

    private static String[] days(Matcher m) {
        LocalDate start = LocalDate.parse(m.group(2));
        LocalDate end = LocalDate.parse(m.group(4));
        boolean endAtMidnight = m.group(5) == null || m.group(5).matches("T0*:?0*:?0*(\\.0*)?");
        if (")".equals(m.group(6)) && endAtMidnight) {
            end = end.minusDays(1);
        }
        return new String[] {start.toString(), end.toString()};
    }
}
