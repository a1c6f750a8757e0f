package org.concilium.store;

/**
 * Resources rendered as COPY text, ready for {@link BulkResourceLoader#copy(CopyText)}: the resource
 * table's rows and each search-index table's rows ({@link CopyRows#INDEX} order). Text can be
 * appended from another {@code CopyText} with a marker replaced, so a generator renders a template
 * once and stamps out copies with new ids by text alone (the bench's clones). Not thread-safe.
 */
public final class CopyText {

    final StringBuilder resources = new StringBuilder();
    final StringBuilder[] index = new StringBuilder[CopyRows.INDEX.size()];
    private int count;

    public CopyText() {
        for (int t = 0; t < index.length; t++) {
            index[t] = new StringBuilder();
        }
    }

    /** Resource rows held. */
    public int count() {
        return count;
    }

    /** Characters held (a measure of the memory a chunk takes). */
    public long length() {
        long n = resources.length();
        for (StringBuilder b : index) {
            n += b.length();
        }
        return n;
    }

    void added(int resources) {
        count += resources;
    }

    /**
     * Appends {@code other}'s rows with every occurrence of {@code marker} replaced by {@code value}.
     * The marker must occur only where the replacement is meant (e.g. a run of digits no real value holds).
     */
    public CopyText appendReplacing(CopyText other, String marker, String value) {
        replace(resources, other.resources, marker, value);
        for (int t = 0; t < index.length; t++) {
            replace(index[t], other.index[t], marker, value);
        }
        count += other.count;
        return this;
    }

    /** Every table's text, each after a line naming its COPY target (for tests and diagnostics). */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(CopyRows.RESOURCE).append('\n').append(resources);
        for (int t = 0; t < index.length; t++) {
            out.append(CopyRows.INDEX.get(t).copy()).append('\n').append(index[t]);
        }
        return out.toString();
    }

    private static void replace(StringBuilder out, StringBuilder from, String marker, String value) {
        int at = 0;
        for (int hit; (hit = from.indexOf(marker, at)) >= 0; at = hit + marker.length()) {
            out.append(from, at, hit).append(value);
        }
        out.append(from, at, from.length());
    }
}
