package org.concilium.store;

import java.util.List;

/** One page of search matches and the total number of matches. */
public record SearchPage(List<StoredResource> matches, long total) {
}
