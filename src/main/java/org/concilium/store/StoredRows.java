package org.concilium.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the index rows of a search parameter are stored. Most parameters have rows of their own. Some
 * R4 parameters only restate others, and their rows would repeat rows already written:
 * {@code Observation.patient} is {@code Observation.subject.where(resolve() is Patient)} (the subject
 * rows whose target is a Patient), {@code Observation.combo-code} is {@code Observation.code |
 * Observation.component.code} (the rows of {@code code} and {@code component-code}). Such a parameter
 * is <em>derived</em>: it is not indexed, and its searches read the rows of the parameters it restates
 * ({@link #params}), of the target type {@link #targetType} when one is named. Each written row costs
 * its B-tree entries on every import; Synthea's Observations had 4 such parameters out of 13 rows.
 *
 * <p>Recognised from the R4 expressions alone, so only where the rows are provably the same values:
 * a reference {@code X.where(resolve() is T)} next to a reference parameter whose expression is
 * {@code X}; a union whose top-level branches are exactly those of other parameters of the same type
 * (each branch in one of them; for composites, with the same components per branch).
 * {@code StoredRowsTest} checks the rows are equal over the Synthea set and edge cases.
 */
public record StoredRows(List<String> params, String targetType) {

    private static final Pattern RESOLVES_TO = Pattern.compile("^(.+)\\.where\\(resolve\\(\\) is (\\w+)\\)$");

    /** A parameter with rows of its own. */
    static StoredRows own(String name) {
        return new StoredRows(List.of(name), null);
    }

    /** True when the parameter restates others and has no rows of its own. */
    public boolean derived(String name) {
        return params.size() != 1 || !params.get(0).equals(name) || targetType != null;
    }

    /** How each of a type's parameters is stored, by name. */
    static Map<String, StoredRows> of(List<SearchParam> params) {
        Map<String, StoredRows> out = new LinkedHashMap<>();
        for (SearchParam p : params) {
            StoredRows s = restated(p, params);
            out.put(p.name(), s != null ? s : own(p.name()));
        }
        // a parameter restating one that is itself derived keeps rows of its own (never a chain)
        out.replaceAll((name, s) -> s.params().stream().anyMatch(b -> out.get(b).derived(b)) ? own(name) : s);
        return out;
    }

    private static StoredRows restated(SearchParam p, List<SearchParam> all) {
        if (p.isResourceColumn()) {
            return null;
        }
        Matcher m = RESOLVES_TO.matcher(p.expression().strip());
        if (p.type() == SearchParamType.REFERENCE && m.matches()) {
            for (SearchParam base : all) {
                if (base != p && base.type() == SearchParamType.REFERENCE
                        && base.expression().strip().equals(m.group(1).strip())) {
                    return new StoredRows(List.of(base.name()), m.group(2));
                }
            }
            return null;
        }
        List<String> branches = branches(p);
        if (branches.size() < 2) {
            return null;
        }
        // other parameters whose branches are a part of this one's, covering it once
        Set<String> covered = new HashSet<>();
        List<String> parts = new ArrayList<>();
        for (SearchParam q : all) {
            List<String> qb = branches(q);
            if (q == p || q.type() != p.type() || qb.size() >= branches.size() || !branches.containsAll(qb)
                    || !sameComponents(p, branches, q, qb)) {
                continue;
            }
            for (String b : qb) {
                if (!covered.add(b)) {
                    return null; // two candidates share a branch: not a plain partition
                }
            }
            parts.add(q.name());
        }
        return covered.size() == branches.size() && parts.size() >= 2 ? new StoredRows(List.copyOf(parts), null) : null;
    }

    private static List<String> branches(SearchParam p) {
        return FhirPathUnion.branches(p.expression()).stream().map(String::strip).toList();
    }

    /** Composites: each component has the same parameter type and relative path on each shared branch. */
    private static boolean sameComponents(SearchParam p, List<String> pb, SearchParam q, List<String> qb) {
        if (p.type() != SearchParamType.COMPOSITE) {
            return true;
        }
        if (p.components().size() != q.components().size()) {
            return false;
        }
        for (int c = 0; c < p.components().size(); c++) {
            CompositeComponent pc = p.components().get(c);
            CompositeComponent qc = q.components().get(c);
            if (pc.param().type() != qc.param().type()) {
                return false;
            }
            for (int i = 0; i < qb.size(); i++) {
                String inP = pc.relativeExpressions().get(pb.indexOf(qb.get(i)));
                String inQ = qc.relativeExpressions().get(i);
                if (inP == null ? inQ != null : !inP.equals(inQ)) {
                    return false;
                }
            }
        }
        return true;
    }
}
