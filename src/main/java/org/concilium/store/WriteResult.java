package org.concilium.store;

/** The version a write produced, and whether it created the resource (201) or changed it (200). */
public record WriteResult(StoredResource stored, boolean created) {
}
