package org.concilium.store;

import java.time.Instant;

/** One version of a resource as stored: its identity, version metadata and JSON body (null when deleted). */
public record StoredResource(String type, String id, int version, Instant lastUpdated, boolean deleted, String json) {

    public String etag() {
        return "W/\"" + version + "\"";
    }

    public String versionedReference() {
        return type + "/" + id + "/_history/" + version;
    }
}
