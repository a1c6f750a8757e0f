package org.concilium.mhe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** mhe depends on the JDK and Bouncy Castle only, and its layers point downwards. */
class MheArchitectureTest {
    private static final JavaClasses MHE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.concilium.mhe");

    @Test
    void onlyJdkAndBouncyCastle() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "org.bouncycastle..", "org.concilium.mhe..")
                .check(MHE);
    }

    @Test
    void layersPointDownwards() {
        noClasses().that().resideInAPackage("org.concilium.mhe.ring..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.mhe.rlwe..", "org.concilium.mhe.bfv..",
                        "org.concilium.mhe.multiparty..")
                .check(MHE);
        noClasses().that().resideInAPackage("org.concilium.mhe.rlwe..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.mhe.bfv..", "org.concilium.mhe.multiparty..")
                .check(MHE);
        noClasses().that().resideInAPackage("org.concilium.mhe.bfv..")
                .should().dependOnClassesThat().resideInAnyPackage("org.concilium.mhe.multiparty..")
                .check(MHE);
        noClasses().that().resideInAnyPackage("org.concilium.mhe.ring..", "org.concilium.mhe.rlwe..", "org.concilium.mhe.bfv..",
                        "org.concilium.mhe.multiparty..")
                .should().dependOnClassesThat().resideInAPackage("org.concilium.mhe.bench..")
                .check(MHE);
    }

    @Test
    void noPrintingOutsideTheBenchmark() {
        noClasses().that().resideOutsideOfPackage("org.concilium.mhe.bench..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(MHE);
    }
}
