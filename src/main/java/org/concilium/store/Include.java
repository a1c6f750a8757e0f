package org.concilium.store;

/**
 * {@code _include} / {@code _revinclude}: {@code sourceType:param[:targetType]}. {@code iterate}
 * applies it once more to what the first round included.
 */
public record Include(String sourceType, SearchParam param, String targetType, boolean iterate) {
}
