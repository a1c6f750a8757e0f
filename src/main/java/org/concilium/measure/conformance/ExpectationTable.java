package org.concilium.measure.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.concilium.measure.ClinicalData;

/**
 * Expected results for content that ships no MeasureReports, as a CSV table (lines starting with
 * {@code #} are comments):
 *
 * <pre>folder,measure,subject,periodStart,periodEnd,population,expected</pre>
 *
 * {@code folder} is a content folder (the one holding {@code input/}), matched by its trailing path
 * (rows for folders that are not below the swept directory are ignored); {@code subject} is empty for a population report; {@code population} is a population
 * code or {@code measure-score}. The rows of one (folder, measure, subject, period) form one case,
 * evaluated over everything below that folder's {@code input/}.
 */
final class ExpectationTable {

    private ExpectationTable() {}

    static List<ConformanceCase> read(Path table, Map<Path, Supplier<ClinicalData>> folders) {
        Map<String, Map<String, Double>> byCase = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException(table + ":" + n + ": expected 7 comma-separated fields, found " + f.length);
            }
            String key = String.join(",", f[0], f[1], f[2], f[3], f[4]);
            keys.putIfAbsent(key, f);
            try {
                byCase.computeIfAbsent(key, k -> new TreeMap<>()).put(f[5].trim(), Double.parseDouble(f[6].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(table + ":" + n + ": not a number: " + f[6], e);
            }
        }
        List<ConformanceCase> out = new ArrayList<>();
        for (var e : byCase.entrySet()) {
            String[] f = keys.get(e.getKey());
            // the folder is named relative to the swept directory, or by its trailing path (sweeping a parent)
            Path named = Path.of(f[0].trim());
            Supplier<ClinicalData> data = folders.entrySet().stream()
                    .filter(x -> x.getKey().toAbsolutePath().normalize().endsWith(named))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (data == null) {
                continue; // that content is not below the swept directory
            }
            String subject = f[2].isBlank() ? null : f[2].trim();
            out.add(new ConformanceCase(f[1].trim(), f[1].trim() + " (" + Path.of(f[0]).getFileName() + ")",
                    subject == null ? "population" : subject, subject, f[3].trim(), f[4].trim(), e.getValue(),
                    table.getFileName() + " (" + f[0] + ")", data));
        }
        return out;
    }
}
