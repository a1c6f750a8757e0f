package org.concilium.store;

import java.util.List;

/** What the indexer extracted from one resource for the search columns. */
public record IndexedFields(String subject, List<String> tokens, DateRange date) {
}
