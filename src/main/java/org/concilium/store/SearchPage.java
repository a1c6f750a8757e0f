package org.concilium.store;

import java.util.List;

/**
 * One page of search matches, the resources {@code _include}/{@code _revinclude} added, the total
 * (null when not computed: see {@link SearchQuery.Total}) and the cursors of the neighbouring pages
 * (null when there is none).
 */
public record SearchPage(List<StoredResource> matches, List<StoredResource> included, Long total, PageCursor next,
        PageCursor previous) {
}
