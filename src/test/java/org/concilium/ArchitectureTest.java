package org.concilium;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house rules of ARCHITECTURE.md: dependencies point downward (fhir → services →
 * measure / layout / privacy / federation → mhe, store), only fhir/ knows the REST boundary,
 * and FHIR types never enter mhe (MheArchitectureTest holds mhe's inner layering).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.concilium");

    @Test
    void onlyTheFhirBoundaryKnowsJaxRs() {
        noClasses().that().resideOutsideOfPackage("org.concilium.fhir..")
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..").check(CLASSES);
    }

    @Test
    void nothingBelowTheBoundaryDependsOnItOrOnTheLauncher() {
        noClasses().that().resideOutsideOfPackages("org.concilium.fhir..", "org.concilium.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.fhir..", "org.concilium.cli..")
                .check(CLASSES);
    }

    @Test
    void cryptoKnowsNoFhirAndNothingOfOurs() {
        noClasses().that().resideInAPackage("org.concilium.mhe..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hl7..", "ca.uhn..", "org.concilium.store..",
                        "org.concilium.measure..", "org.concilium.layout..", "org.concilium.privacy..",
                        "org.concilium.federation..")
                .check(CLASSES);
    }

    @Test
    void storeIsTheBottomLayer() {
        noClasses().that().resideInAPackage("org.concilium.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.measure..", "org.concilium.layout..",
                        "org.concilium.privacy..", "org.concilium.federation..", "org.concilium.mhe..",
                        "org.concilium.demo..")
                .check(CLASSES);
    }

    @Test
    void evaluationLayoutAndPrivacyKnowNothingOfTheNetwork() {
        noClasses().that().resideInAnyPackage("org.concilium.measure..", "org.concilium.layout..",
                "org.concilium.privacy..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.federation..", "org.concilium.mhe..")
                .check(CLASSES);
    }

    /**
     * No two packages depend on each other, directly or round about (each package is a slice):
     * e.g. the peer transport knows no protocol (handlers register with its dispatcher) and the
     * federation root knows neither the key ceremony nor the query protocol (readiness conditions).
     */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.concilium.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
