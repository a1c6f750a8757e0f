package org.concilium.store;

import java.io.InputStream;
import java.math.BigDecimal;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.Pair;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumService;

/**
 * UCUM canonical forms, so a quantity search in g matches values stored in mg (both are indexed
 * and searched in the unit's canonical form when the system is UCUM).
 */
public final class Ucum {

    public static final String SYSTEM = "http://unitsofmeasure.org";
    private static final UcumService SERVICE = load();

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
        try {
            Pair p = SERVICE.getCanonicalForm(new Pair(new Decimal(value.toPlainString()), code));
            return new Canonical(new BigDecimal(p.getValue().asDecimal()), p.getCode());
        } catch (Exception e) {
            return null;
        }
    }

    public record Canonical(BigDecimal value, String code) {
    }
}
