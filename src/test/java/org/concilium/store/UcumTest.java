package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Canonical forms, including the cached answers for units that are not a pure scale and codes that are not UCUM. */
class UcumTest {

    @Test
    void unitsThatAreNotAScaleAnswerTheSameEveryTime() {
        Ucum.Canonical celsius = Ucum.canonical(new BigDecimal("37"), "Cel"); // the library has no offset units
        for (int i = 0; i < 2; i++) {
            assertThat(Ucum.canonical(new BigDecimal("37"), "Cel")).isEqualTo(celsius);
            assertThat(Ucum.canonical(new BigDecimal("4"), "(score)")).isNull();
            Ucum.Canonical mg = Ucum.canonical(new BigDecimal("150"), "mg/dL");
            assertThat(mg.code()).isEqualTo("g.m-3");
            assertThat(mg.value()).isEqualByComparingTo("1500");
        }
    }
}
