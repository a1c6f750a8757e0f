package org.concilium.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Deterministic synthetic hospital populations for the demo: per site, adult primary-care patients with 2024
 * office visits, hypertension / diabetes / ESRD diagnoses, blood pressure and HbA1c results and procedures,
 * as FHIR R4 transaction Bundles (urn:uuid fullUrls, POST requests; the site's transaction endpoint assigns ids
 * and rewrites references). The same (seed, siteIndex, patients, patientsPerBundle) always gives byte-identical
 * JSON; different sites get different case mixes ({@link SiteCaseMix}) so that per-site numbers differ.
 *
 * <pre>{@code
 * List<String> bundles = SyntheticPopulation.generate(42L, 0, 1_000, 100);   // 10 Bundles, site 0
 * SyntheticPopulation.writeBundles(Path.of("data/site-1"), 42L, 1, 1_000, 100);
 * }</pre>
 */
public final class SyntheticPopulation {
    /** The year the data is dense in; the sample Measures are meant to be evaluated for it. */
    public static final int MEASUREMENT_YEAR = PatientGenerator.MEASUREMENT_YEAR;

    private SyntheticPopulation() {}

    /** The site's population as transaction Bundles serialised to JSON, {@code patientsPerBundle} patients each. */
    public static List<String> generate(long seed, int siteIndex, int patients, int patientsPerBundle) {
        List<Bundle> bundles = generateBundles(seed, siteIndex, patients, patientsPerBundle);
        List<String> json = new ArrayList<>(bundles.size());
        for (Bundle b : bundles) json.add(FhirJson.encode(b));
        return json;
    }

    /** As {@link #generate}, as HAPI model objects. */
    public static List<Bundle> generateBundles(long seed, int siteIndex, int patients, int patientsPerBundle) {
        if (patients < 0) throw new IllegalArgumentException("patients must be >= 0: " + patients);
        if (patientsPerBundle < 1) throw new IllegalArgumentException("patientsPerBundle must be >= 1: " + patientsPerBundle);
        SiteCaseMix mix = SiteCaseMix.forSite(siteIndex);
        SplittableRandom site = new SplittableRandom(siteSeed(seed, siteIndex));
        List<Bundle> out = new ArrayList<>();
        Bundle current = null;
        for (int i = 0; i < patients; i++) {
            if (i % patientsPerBundle == 0) {
                current = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                out.add(current);
            }
            // One independent stream per patient: a patient's record does not depend on bundle size.
            for (PatientGenerator.Entry e : PatientGenerator.generate(site.split(), mix, siteIndex, i + 1)) {
                String type = e.resource().fhirType();
                current.addEntry().setFullUrl(e.fullUrl()).setResource(e.resource())
                        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(type);
            }
        }
        return out;
    }

    /**
     * Writes the site's Bundles to {@code dir} (created if needed) as {@code site-<i>-bundle-<nnnn>.json} and
     * returns the files in load order.
     */
    public static List<Path> writeBundles(Path dir, long seed, int siteIndex, int patients, int patientsPerBundle)
            throws IOException {
        Files.createDirectories(dir);
        List<String> bundles = generate(seed, siteIndex, patients, patientsPerBundle);
        List<Path> files = new ArrayList<>(bundles.size());
        for (int i = 0; i < bundles.size(); i++) {
            Path f = dir.resolve(String.format("site-%d-bundle-%04d.json", siteIndex, i + 1));
            Files.writeString(f, bundles.get(i), StandardCharsets.UTF_8);
            files.add(f);
        }
        return files;
    }

    /** Mixes seed and site index so that neighbouring sites get unrelated streams. */
    static long siteSeed(long seed, int siteIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (siteIndex + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
