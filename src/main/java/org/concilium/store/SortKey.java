package org.concilium.store;

/** One {@code _sort} key: a date, string, token, number or quantity parameter (or _id / _lastUpdated). */
public record SortKey(SearchParam param, boolean descending) {
}
