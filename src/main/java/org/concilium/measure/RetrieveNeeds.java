package org.concilium.measure;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What one evaluation needs of each Patient-compartment type, learnt from the retrieves as the logic
 * runs: the whole type, or only the resources with a code (at a path) among given {@code system|code}
 * keys — what {@link StoredPatientBatches} pushes into SQL. A retrieve without a code filter, a
 * FHIRPath expression naming the type or a code path we cannot express in SQL needs the whole type.
 * Requirements only ever widen. Thread-safe.
 */
public final class RetrieveNeeds {

    /** A code path the SQL filter can name: one element (a choice such as {@code medication} included). */
    private static final Pattern SIMPLE_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** What is needed of one type: everything, or the resources matching any of the code filters. */
    public record Need(boolean all, Map<String, Set<String>> codes) {
        public static final Need ALL = new Need(true, Map.of());

        /** True when data loaded for this need holds every resource {@code other} asks for. */
        boolean covers(Need other) {
            if (all) {
                return true;
            }
            if (other.all) {
                return false;
            }
            for (var e : other.codes.entrySet()) {
                Set<String> mine = codes.get(e.getKey());
                if (mine == null || !mine.containsAll(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        Need union(Need other) {
            if (all || other.all) {
                return ALL;
            }
            Map<String, Set<String>> out = new HashMap<>();
            codes.forEach((path, keys) -> out.put(path, new HashSet<>(keys)));
            other.codes.forEach((path, keys) -> out.computeIfAbsent(path, p -> new HashSet<>()).addAll(keys));
            out.replaceAll((path, keys) -> Set.copyOf(keys));
            return new Need(false, Map.copyOf(out));
        }
    }

    /** The need of one retrieve: its code path and wanted keys, or the whole type. */
    static Need of(String codePath, Set<String> keys) {
        if (codePath == null || keys == null || !SIMPLE_PATH.matcher(codePath).matches()) {
            return Need.ALL;
        }
        return new Need(false, Map.of(codePath, Set.copyOf(keys)));
    }

    /**
     * A need as one retrieve of a type meets it, compared by identity: retrieves reuse their Need
     * objects ({@link IndexedRetrieveProvider} keeps one per code path and value set for the whole
     * evaluation), so "already merged" or "already covered" is one hash lookup per retrieve instead
     * of a set union (the profile showed the unions as a fifth of the workers' time).
     */
    record Use(String type, Need need) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Use u && u.need == need && u.type.equals(type);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + System.identityHashCode(need);
        }
    }

    private final Map<String, Need> needs = new ConcurrentHashMap<>();
    private final Set<Use> merged = ConcurrentHashMap.newKeySet();

    /** Widens what {@code type} needs to cover {@code need} too. */
    void widen(String type, Need need) {
        Use use = new Use(type, need);
        if (merged.contains(use)) {
            return;
        }
        needs.merge(type, need, Need::union);
        merged.add(use);
    }

    /** What is needed of {@code type} so far (nothing known yet: the whole type). */
    Need need(String type) {
        return needs.getOrDefault(type, Need.ALL);
    }

    /** The types asked for so far and what is needed of each. */
    public Map<String, Need> snapshot() {
        return Map.copyOf(needs);
    }
}
