package org.concilium;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of the house (ARCHITECTURE.md, code map; docs/architecture.md): packages form no
 * cycles, HTTP stays at the boundaries, demo and benchmark code is used by the launcher only, and
 * the measure engine is plain Java. {@code mhe/}'s own rules are in {@code mhe/MheArchitectureTest}.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.concilium");

    @Test
    void theTopLevelPackagesFormNoCycles() {
        slices().matching("org.concilium.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void noPackageCyclesOutsideFederation() {
        slices().matching("org.concilium.(**)").should().beFreeOfCycles()
                .ignoreDependency(inFederation(), inFederation())
                .check(PRODUCTION);
    }

    /**
     * Every package a slice, no cycle anywhere: e.g. the peer transport knows no protocol (the key
     * ceremony and the query protocol register their handlers with its dispatcher), and the
     * federation root knows neither (readiness conditions are provided to it).
     */
    @Test
    void noPackageCyclesAnywhere() {
        slices().matching("org.concilium.(**)").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void vertxHttpAndJaxRsOnlyAtTheBoundaries() {
        noClasses().that().resideOutsideOfPackages("org.concilium.fhir..", "org.concilium.federation.peer..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.http..", "io.vertx.mutiny.core.http..",
                        "io.vertx.ext.web..", "io.vertx.mutiny.ext.web..", "jakarta.ws.rs..", "org.jboss.resteasy..",
                        "io.quarkus.vertx.http..")
                .because("only fhir/ (the REST boundary) and federation/peer/ (the peer channel) speak HTTP")
                .check(PRODUCTION);
    }

    @Test
    void demoAndBenchmarksAreUsedByTheLauncherOnly() {
        noClasses().that().resideOutsideOfPackages("org.concilium.cli..", "org.concilium.demo..", "org.concilium..bench..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.demo..", "org.concilium..bench..")
                .check(PRODUCTION);
    }

    @Test
    void theMeasureEngineIsFreeOfCdiAndConfiguration() {
        noClasses().that().resideInAPackage("org.concilium.measure..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.enterprise..", "jakarta.inject..",
                        "org.eclipse.microprofile.config..", "io.smallrye.config..", "io.quarkus..")
                .because("measure/ is a library: the node builds it in node/MeasureEngineProducer")
                .check(PRODUCTION);
    }

    /**
     * One Measure model: only measure/ reads a FHIR Measure's groups, populations, stratifiers and
     * supplemental data (MeasureModelParser); layout/ derives its vector layout from the model and
     * does not touch the FHIR Measure at all. demo/ writes Measures (it builds the demo's).
     */
    @Test
    void onlyTheMeasureModelReadsAMeasuresGroups() {
        noClasses().that().resideOutsideOfPackages("org.concilium.measure..", "org.concilium.demo..")
                .should().dependOnClassesThat().haveNameMatching("org\\.hl7\\.fhir\\.r4\\.model\\.Measure\\$.*")
                .because("the groups and populations of a Measure are read once, into measure/MeasureModel")
                .check(PRODUCTION);
        noClasses().that().resideInAPackage("org.concilium.layout..")
                .should().dependOnClassesThat().haveNameMatching("org\\.hl7\\.fhir\\.r4\\.model\\.Measure(\\$.*)?")
                .because("layout/ builds its vector layout from measure/MeasureModel, never by parsing the Measure again")
                .check(PRODUCTION);
    }

    @Test
    void theLowerLayersDoNotReachUp() {
        ArchRule storeAlone = noClasses().that().resideInAPackage("org.concilium.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.fhir..", "org.concilium.federation..",
                        "org.concilium.measure..", "org.concilium.layout..", "org.concilium.privacy..", "org.concilium.cli..",
                        "org.concilium.demo..", "org.concilium.node..");
        storeAlone.check(PRODUCTION);
        noClasses().that().resideInAnyPackage("org.concilium.measure..", "org.concilium.layout..", "org.concilium.privacy..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.fhir..", "org.concilium.federation..",
                        "org.concilium.cli..")
                .check(PRODUCTION);
        noClasses().that().resideOutsideOfPackage("org.concilium.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.concilium.cli..")
                .check(PRODUCTION);
    }

    @Test
    void everyPackageSaysWhatItHoldsAndMayDependOn() throws IOException {
        Set<String> packages = PRODUCTION.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = packages.stream()
                .filter(p -> !Files.exists(Path.of("src/main/java", p.replace('.', '/'), "package-info.java"))).toList();
        assertThat(missing).as("packages without package-info.java").isEmpty();
        for (String p : packages) {
            String info = Files.readString(Path.of("src/main/java", p.replace('.', '/'), "package-info.java"));
            assertThat(info).as(p + " names what it may depend on").containsIgnoringCase("depend");
        }
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> inFederation() {
        return JavaClass.Predicates.resideInAPackage("org.concilium.federation..");
    }
}
