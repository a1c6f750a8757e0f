package org.concilium.store;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.Pair;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumService;

/**
 * UCUM canonical forms, so a quantity search in g matches values stored in mg (both are indexed
 * and searched in the unit's canonical form when the system is UCUM).
 *
 * <p>Why a cache: the UCUM library's string-decimal arithmetic costs milliseconds per call
 * (30 ms for {@code U/L}, 20 ms for {@code mmol/L}), which made Observation indexing the
 * bottleneck of ingest. Almost every unit is a pure scale to its canonical unit, so each code's
 * factor is computed once (at high precision) and values are multiplied with BigDecimal. Units
 * that are not a pure scale (Cel, [degF], ...) or not valid UCUM fall back to the library.
 */
public final class Ucum {

    public static final String SYSTEM = "http://unitsofmeasure.org";
    private static final UcumService SERVICE = load();
    /** Enough digits that the factor is exact for every UCUM prefix and constant. */
    private static final String ONE = "1.000000000000000000000000000000";
    private static final String TWO = "2.000000000000000000000000000000";
    private static final Map<String, Optional<Canonical>> SCALES = new ConcurrentHashMap<>();
    /**
     * Library answers for units that are not a pure scale (Cel, [degF]) or not UCUM ("(score)"), per
     * value and code: 10–80 µs a call, and one quantity is canonicalised for its own parameter and for
     * each composite it is part of. Bounded: emptied when full.
     */
    private static final Map<String, Optional<Canonical>> OTHERS = new ConcurrentHashMap<>();
    private static final int OTHERS_MAX = 10_000;

    private Ucum() {
    }

    private static UcumService load() {
        try (InputStream in = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            return new UcumEssenceService(in);
        } catch (Exception e) {
            throw new IllegalStateException("ucum-essence.xml is missing from the classpath", e);
        }
    }

    /** The canonical value and unit, or null when the code is not valid UCUM. */
    public static Canonical canonical(BigDecimal value, String code) {
        if (value == null || code == null) {
            return null;
        }
        Optional<Canonical> scale = SCALES.computeIfAbsent(code, Ucum::scaleOf);
        if (scale.isPresent()) {
            return new Canonical(value.multiply(scale.get().value()), scale.get().code());
        }
        String plain = value.toPlainString();
        String key = plain + ' ' + code;
        Optional<Canonical> known = OTHERS.get(key);
        if (known == null) {
            if (OTHERS.size() >= OTHERS_MAX) {
                OTHERS.clear();
            }
            known = Optional.ofNullable(library(plain, code));
            OTHERS.put(key, known);
        }
        return known.orElse(null);
    }

    /** The factor from {@code code} to its canonical unit, or empty when the unit is not a pure scale. */
    private static Optional<Canonical> scaleOf(String code) {
        Canonical one = library(ONE, code);
        Canonical two = library(TWO, code);
        if (one == null || two == null || !one.code().equals(two.code())
                || one.value().multiply(BigDecimal.TWO).compareTo(two.value()) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Canonical(one.value().stripTrailingZeros(), one.code()));
    }

    private static Canonical library(String value, String code) {
        try {
            Pair p = SERVICE.getCanonicalForm(new Pair(new Decimal(value), code));
            return new Canonical(new BigDecimal(p.getValue().asDecimal()), p.getCode());
        } catch (Exception e) {
            return null;
        }
    }

    public record Canonical(BigDecimal value, String code) {
    }
}
