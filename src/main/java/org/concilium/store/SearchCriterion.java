package org.concilium.store;

import java.util.List;

/** One parsed search condition. Values within one criterion are ORed; criteria are ANDed. */
public sealed interface SearchCriterion {

    record Ids(List<String> ids) implements SearchCriterion {
    }

    /** {@code patient} / {@code subject}: normalised 'Patient/x' references. */
    record Subjects(List<String> references) implements SearchCriterion {
    }

    /** Tokens already in stored form: 'name=system|code', 'name=code', 'name=system|', 'name=|code'. */
    record Tokens(List<String> tokens) implements SearchCriterion {
    }

    /** A date comparison on the type's date column, or on last_updated. */
    record DateComparison(boolean lastUpdated, DatePrefix prefix, DateRange value) implements SearchCriterion {
    }

    enum DatePrefix { EQ, NE, GT, LT, GE, LE, SA, EB }
}
