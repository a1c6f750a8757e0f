package org.concilium.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticPopulationTest {

    @Test
    void sameSeedAndSiteGiveByteIdenticalBundles() {
        assertThat(SyntheticPopulation.generate(42, 1, 120, 25)).isEqualTo(SyntheticPopulation.generate(42, 1, 120, 25));
    }

    /** The demo data must be the same on every run and machine; update the hash only for an intended change. */
    @Test
    void outputIsStableAcrossRuns() throws Exception {
        byte[] json = String.join("\n", SyntheticPopulation.generate(42, 0, 5, 5)).getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        assertThat(sha).isEqualTo(GOLDEN_SHA256);
    }

    private static final String GOLDEN_SHA256 = "312bf355555f4d3bb17391d593547032012001e7702f8dfdf133d90055b08d20";

    @Test
    void differentSitesAndSeedsGiveDifferentData() {
        List<String> site0 = SyntheticPopulation.generate(42, 0, 50, 50);
        assertThat(SyntheticPopulation.generate(42, 1, 50, 50)).isNotEqualTo(site0);
        assertThat(SyntheticPopulation.generate(43, 0, 50, 50)).isNotEqualTo(site0);
    }

    @Test
    void aPatientsRecordDoesNotDependOnBundleSize() {
        String oneBundle = String.join("", SyntheticPopulation.generate(7, 2, 30, 30));
        List<String> three = SyntheticPopulation.generate(7, 2, 30, 10);
        assertThat(three).hasSize(3);
        List<Bundle> a = SyntheticPopulation.generateBundles(7, 2, 30, 30);
        List<Bundle> b = SyntheticPopulation.generateBundles(7, 2, 30, 10);
        assertThat(b.stream().mapToInt(x -> x.getEntry().size()).sum()).isEqualTo(a.get(0).getEntry().size());
        assertThat(oneBundle).contains(b.get(2).getEntryFirstRep().getFullUrl());
    }

    @Test
    void bundlesAreTransactionsThatParseStrictlyAndResolveEveryReferenceInside() {
        List<String> bundles = SyntheticPopulation.generate(42, 0, 200, 40);
        assertThat(bundles).hasSize(5);
        for (String json : bundles) {
            Bundle b = (Bundle) FhirJson.strictJsonParser().parseResource(json);
            assertThat(b.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(b.getEntry().stream().filter(e -> e.getResource() instanceof Patient)).hasSize(40);
            Set<String> fullUrls = new HashSet<>();
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                assertThat(e.getFullUrl()).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(fullUrls.add(e.getFullUrl())).as("unique fullUrl").isTrue();
                assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
                assertThat(e.getRequest().getUrl()).isEqualTo(e.getResource().fhirType());
            }
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                for (Reference r : FhirJson.context().newTerser()
                        .getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
                    assertThat(fullUrls).as("reference in " + e.getResource().fhirType()).contains(r.getReference());
                }
            }
        }
    }

    @Test
    void resourcesLookLikeOfficeCare() {
        List<Bundle> bundles = SyntheticPopulation.generateBundles(42, 0, 300, 300);
        assertThat(bundles.get(0).getEntry()).allSatisfy(e -> assertThat(e.getResource().hasId())
                .as("POSTed resources carry no id").isFalse());
        List<Patient> patients = bundles.stream().flatMap(b -> b.getEntry().stream())
                .map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance)
                .map(Patient.class::cast).toList();
        long female = patients.stream().filter(p -> p.getGender().toCode().equals("female")).count();
        assertThat(female).isBetween(120L, 190L);
        assertThat(patients).allSatisfy(p -> assertThat(p.getBirthDateElement().getYear()).isBetween(1934, 2006));
        List<Encounter> encounters = bundles.get(0).getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Encounter.class::isInstance).map(Encounter.class::cast).toList();
        assertThat(encounters).allSatisfy(e -> assertThat(e.getClass_().getCode()).isEqualTo("AMB"));
        long cancelled = encounters.stream().filter(e -> e.getStatus() == Encounter.EncounterStatus.CANCELLED).count();
        assertThat(cancelled).isPositive().isLessThan(encounters.size() / 5);
    }

    @Test
    void writesBundlesAsFilesInLoadOrder(@TempDir Path dir) throws Exception {
        List<Path> files = SyntheticPopulation.writeBundles(dir.resolve("site-2"), 42, 2, 25, 10);
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("site-2-bundle-0001.json", "site-2-bundle-0002.json", "site-2-bundle-0003.json");
        assertThat(Files.readString(files.get(0))).isEqualTo(SyntheticPopulation.generate(42, 2, 25, 10).get(0));
    }

    @Test
    void refusesNonsenseArguments() {
        assertThat(SyntheticPopulation.generate(1, 0, 0, 10)).isEmpty();
        assertThatThrownBy(() -> SyntheticPopulation.generate(1, 0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticPopulation.generate(1, -1, 10, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticPopulation.generate(1, 0, -1, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
