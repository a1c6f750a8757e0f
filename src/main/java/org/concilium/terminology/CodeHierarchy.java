package org.concilium.terminology;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeType;

/**
 * The subsumption hierarchy of one CodeSystem. A CodeSystem may state it by nesting concepts or
 * with {@code parent} / {@code subsumedBy} / {@code child} properties on flat concepts (both are
 * R4); this class reads both into one graph, so is-a, {@code :below} and {@code $lookup} agree.
 */
public final class CodeHierarchy {

    private static final Set<String> PARENT_PROPERTIES = Set.of("parent", "subsumedBy");

    private final CodeSystem codeSystem;
    private final Map<String, ConceptDefinitionComponent> concepts = new LinkedHashMap<>();
    private final Map<String, Set<String>> parents = new LinkedHashMap<>();
    private final Map<String, Set<String>> children = new LinkedHashMap<>();
    private CodeSystem flat;

    public CodeHierarchy(CodeSystem codeSystem) {
        this.codeSystem = codeSystem;
        read(codeSystem.getConcept(), null);
        for (ConceptDefinitionComponent c : concepts.values()) {
            for (var p : c.getProperty()) {
                if (!(p.getValue() instanceof CodeType v) || v.getValue() == null) {
                    continue;
                }
                if (PARENT_PROPERTIES.contains(p.getCode())) {
                    edge(v.getValue(), c.getCode());
                } else if ("child".equals(p.getCode())) {
                    edge(c.getCode(), v.getValue());
                }
            }
        }
    }

    private void read(List<ConceptDefinitionComponent> list, String parent) {
        for (ConceptDefinitionComponent c : list) {
            if (c.getCode() == null) {
                continue;
            }
            concepts.putIfAbsent(c.getCode(), c);
            if (parent != null) {
                edge(parent, c.getCode());
            }
            read(c.getConcept(), c.getCode());
        }
    }

    private void edge(String parent, String child) {
        if (parent.equals(child)) {
            return;
        }
        children.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(child);
        parents.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(parent);
    }

    public CodeSystem codeSystem() {
        return codeSystem;
    }

    public Optional<ConceptDefinitionComponent> concept(String code) {
        return Optional.ofNullable(concepts.get(code));
    }

    public Set<String> codes() {
        return Collections.unmodifiableSet(concepts.keySet());
    }

    public Set<String> parents(String code) {
        return parents.getOrDefault(code, Set.of());
    }

    public Set<String> children(String code) {
        return children.getOrDefault(code, Set.of());
    }

    /** The code and everything it subsumes (cycle-safe). */
    public Set<String> descendantsOrSelf(String code) {
        return closure(code, children);
    }

    /** The code and everything that subsumes it (cycle-safe). */
    public Set<String> ancestorsOrSelf(String code) {
        return closure(code, parents);
    }

    private static Set<String> closure(String start, Map<String, Set<String>> edges) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (out.add(c)) {
                todo.addAll(edges.getOrDefault(c, Set.of()));
            }
        }
        return out;
    }

    /**
     * A copy of the CodeSystem with every concept once, flat, as HAPI's in-memory expansion is handed
     * it: the hierarchy filters never reach HAPI ({@link ConceptFilters} evaluates them over this
     * hierarchy), so it needs no nesting, and a deep hierarchy costs it no recursion. Built once; read-only.
     */
    public synchronized CodeSystem flat() {
        if (flat != null) {
            return flat;
        }
        CodeSystem copy = codeSystem.copy();
        copy.getConcept().clear();
        for (ConceptDefinitionComponent c : concepts.values()) {
            ConceptDefinitionComponent one = c.copy();
            one.getConcept().clear();
            copy.addConcept(one);
        }
        flat = copy;
        return copy;
    }
}
