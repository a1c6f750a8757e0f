package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which answers {@link AccessAudit} withholds when the audit trail refuses their record: every
 * answer that only discloses, including an operation nobody has classified yet (fail closed); a
 * write's answer stands. The withholding itself is tested over HTTP with a refusing database in
 * {@code AuditBeforeAnswerTest}.
 */
class AccessAuditTest {

    @Test
    void anOperationNotNamedAsAWriteIsTreatedAsADisclosure() {
        for (String op : new String[] {"$evaluate-measure", "$collect-data", "$care-gaps", "$everything", "$expand",
            "$validate-code", "$lookup", "$validate", "$data-requirements", "$an-operation-added-later"}) {
            assertThat(AccessAudit.disclosesOnly("POST", "operation", new String[] {"Measure", op})).as(op).isTrue();
        }
    }

    @Test
    void writesAndJobChangesKeepTheirAnswer() {
        assertThat(AccessAudit.disclosesOnly("POST", "operation", new String[] {"$import"})).isFalse();
        assertThat(AccessAudit.disclosesOnly("POST", "operation", new String[] {"Measure", "$submit-data"})).isFalse();
        assertThat(AccessAudit.disclosesOnly("POST", "operation", new String[] {"Patient", "$export"})).isFalse();
        assertThat(AccessAudit.disclosesOnly("DELETE", "operation", new String[] {"$export-status", "j"})).isFalse();
        assertThat(AccessAudit.disclosesOnly("PUT", "update", new String[] {"Patient", "p1"})).isFalse();
        assertThat(AccessAudit.disclosesOnly("POST", "transaction", new String[] {""})).isFalse();
    }

    @Test
    void readsAndSearchesAreDisclosures() {
        assertThat(AccessAudit.disclosesOnly("GET", "read", new String[] {"Patient", "p1"})).isTrue();
        assertThat(AccessAudit.disclosesOnly("GET", "operation", new String[] {"$export-status", "j"})).isTrue();
        assertThat(AccessAudit.disclosesOnly("POST", "search-type", new String[] {"Patient", "_search"})).isTrue();
    }
}
