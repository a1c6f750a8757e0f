package org.concilium.network;

import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Resource;

/**
 * Opt-in measurement (not an assertion): the first network queries after publishing an eCQM, with the
 * sites keeping the logic compiled at the publication check ("warm", the default) and without it
 * ("cold", header {@code X-Concilium-Warm-Up: false}: each site compiles at the first query, as before
 * compile-on-publish), alternating in one run on one network. Each round publishes the connectathon
 * EXM124 package under a new version of its main library (CQL only, its ELM removed), so every
 * round compiles afresh. Its supplemental data goes along (docs/layout.md, CMS SDEs). Prints one JSON document and writes it to {@code target/publish-bench.json}.
 */
final class PublicationBench {

    static final Path EXM124 = Path.of("../shared/data/clinical-reasoning/connectathon/EXM124-9.0.000-bundle.json");

    private PublicationBench() {
    }

    static String run(NetworkFixture net, int roundsPerVariant, int queries) throws Exception {
        Bundle source = FhirJson.parse(Bundle.class, Files.readString(EXM124));
        List<String> rows = new ArrayList<>();
        String loadBefore = loadAverage();
        for (int round = 0; round < 2 * roundsPerVariant; round++) {
            boolean warm = round % 2 == 1; // cold first: the first round also pays the JVM's own warm-up
            String version = "9.0." + (100 + round);
            long t0 = System.nanoTime();
            fhir().contentType("application/fhir+json").header("X-Concilium-Warm-Up", Boolean.toString(warm))
                    .body(publication(source, version)).post(net.sites.get(0).networkBase()).then().statusCode(200);
            double publish = seconds(t0);
            List<String> times = new ArrayList<>();
            for (int q = 0; q < queries; q++) {
                long t = System.nanoTime();
                fhir().get(net.sites.get(q % net.sites.size()).networkBase()
                        + "/Measure/measure-EXM124-9.0.000/$evaluate-measure?" + PERIOD).then().statusCode(200);
                times.add(String.format(Locale.ROOT, "%.2f", seconds(t)));
            }
            rows.add(String.format(Locale.ROOT, "{\"round\":%d,\"variant\":\"%s\",\"version\":\"%s\",\"publish_s\":%.2f,"
                    + "\"queries_s\":[%s],\"load\":\"%s\"}", round, warm ? "warm" : "cold", version, publish,
                    String.join(",", times), loadAverage()));
        }
        String json = "{\"bench\":\"first network queries after publishing EXM124\",\"sites\":" + net.sites.size()
                + ",\"load_before\":\"" + loadBefore + "\",\"load_after\":\"" + loadAverage() + "\",\"rounds\":[\n  "
                + String.join(",\n  ", rows) + "\n]}";
        System.out.println(json);
        Files.writeString(Path.of("target/publish-bench.json"), json + "\n");
        return json;
    }

    /** The package's Measure, Libraries (CQL only) and ValueSets; the main library under {@code version}. */
    private static String publication(Bundle source, String version) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (var e : source.getEntry()) {
            Resource r = e.getResource().copy();
            if (r instanceof org.hl7.fhir.r4.model.DomainResource d) {
                // the cqf-tooling software-system extension points at a contained resource the bundle lacks
                d.getExtension().removeIf(x -> x.getValue() instanceof org.hl7.fhir.r4.model.Reference ref
                        && ref.getReference() != null && ref.getReference().startsWith("#"));
            }
            if (r instanceof Library l) {
                if (l.getContent().stream().noneMatch(c -> "text/cql".equals(c.getContentType()))) {
                    continue; // the model-info Library: the translator has its own
                }
                l.getContent().removeIf(c -> !"text/cql".equals(c.getContentType()));
                if ("EXM124".equals(l.getName())) {
                    String cql = new String(l.getContentFirstRep().getData(), StandardCharsets.UTF_8);
                    l.getContentFirstRep().setData(cql.replace("library EXM124 version '9.0.000'",
                            "library EXM124 version '" + version + "'").getBytes(StandardCharsets.UTF_8));
                    l.setVersion(version);
                }
            } else if (!"ValueSet".equals(r.fhirType()) && !"Measure".equals(r.fhirType())) {
                continue;
            }
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        return FhirJson.encode(tx);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
