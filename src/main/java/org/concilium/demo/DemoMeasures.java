package org.concilium.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Measure;

/**
 * The sample Measures shipped for the demo (classpath {@code demo/measures/}), with FHIRPath criteria so they
 * need no CQL. The criteria's variables are documented in {@code demo/measures/README.md}.
 */
public final class DemoMeasures {
    public static final String HYPERTENSION_CONTROL = "demo-hypertension-control";
    public static final String VISIT_CANCELLATION_RATIO = "demo-visit-cancellation-ratio";
    public static final String DIABETES_COHORT = "demo-diabetes-cohort";
    public static final String HBA1C_AVERAGE = "demo-hba1c-average";
    /** In the order the demo publishes them; the first is the one it runs. */
    public static final List<String> IDS = List.of(HYPERTENSION_CONTROL, VISIT_CANCELLATION_RATIO, DIABETES_COHORT,
            HBA1C_AVERAGE);
    public static final String URL_PREFIX = "http://concilium.org/fhir/Measure/";

    private DemoMeasures() {}

    /** The Measure's JSON exactly as shipped. */
    public static String json(String id) {
        if (!IDS.contains(id)) throw new IllegalArgumentException("no demo measure " + id);
        try (InputStream in = DemoMeasures.class.getResourceAsStream("/demo/measures/" + id + ".json")) {
            if (in == null) throw new IllegalStateException("demo measure " + id + " missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Measure measure(String id) {
        return FhirJson.parse(Measure.class, json(id));
    }

    /** A transaction Bundle that PUTs the given sample measures under their ids (to publish them). */
    public static String publication(List<String> ids) {
        StringBuilder tx = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < ids.size(); i++) {
            tx.append(i == 0 ? "" : ",").append("{\"resource\":").append(json(ids.get(i)))
                    .append(",\"request\":{\"method\":\"PUT\",\"url\":\"Measure/").append(ids.get(i)).append("\"}}");
        }
        return tx.append("]}").toString();
    }

    public static List<Measure> all() {
        List<Measure> out = new ArrayList<>();
        for (String id : IDS) out.add(measure(id));
        return out;
    }
}
