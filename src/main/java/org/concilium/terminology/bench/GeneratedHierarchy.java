package org.concilium.terminology.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * A seeded CodeSystem of any size whose hierarchy is stated the ways R4 allows, mixed: about a
 * third of the edges by nesting, the rest by {@code parent} properties; one concept in twenty has a
 * second parent; one in ten continues a chain from the previous concept (deep paths); each concept
 * has a {@code color} property. {@link #parents} is the hierarchy as generated, for a model to
 * compute expected expansions from without reading the CodeSystem.
 */
public final class GeneratedHierarchy {

    public static final String SYSTEM = "http://example.org/fhir/CodeSystem/generated-hierarchy";

    /** Each concept's parents, as generated (the root has none). */
    public final Map<String, Set<String>> parents = new LinkedHashMap<>();
    public final Map<String, String> color = new LinkedHashMap<>();
    public final CodeSystem codeSystem = new CodeSystem();

    public GeneratedHierarchy(int size, long seed) {
        Random random = new Random(seed);
        codeSystem.setId("generated-hierarchy");
        codeSystem.setUrl(SYSTEM).setName("GeneratedHierarchy").setVersion(size + "-" + seed)
                .setStatus(PublicationStatus.ACTIVE).setContent(CodeSystem.CodeSystemContentMode.COMPLETE)
                .setHierarchyMeaning(CodeSystem.CodeSystemHierarchyMeaning.ISA);
        codeSystem.addProperty().setCode("parent").setType(CodeSystem.PropertyType.CODE);
        codeSystem.addProperty().setCode("color").setType(CodeSystem.PropertyType.CODE);
        List<ConceptDefinitionComponent> defs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String code = code(i);
            ConceptDefinitionComponent c = new ConceptDefinitionComponent().setCode(code).setDisplay("Concept " + i);
            color.put(code, random.nextInt(3) == 0 ? "red" : "blue");
            c.addProperty().setCode("color").setValue(new CodeType(color.get(code)));
            defs.add(c);
            Set<String> mine = new LinkedHashSet<>();
            parents.put(code, mine);
            if (i == 0) {
                codeSystem.addConcept(c);
                continue;
            }
            int p = random.nextInt(10) == 0 ? i - 1 : random.nextInt(i);
            mine.add(code(p));
            if (random.nextInt(3) == 0) {
                defs.get(p).addConcept(c);
            } else {
                c.addProperty().setCode("parent").setValue(new CodeType(code(p)));
                codeSystem.addConcept(c);
            }
            if (i > 1 && random.nextInt(20) == 0) {
                int q = random.nextInt(i);
                if (q != p) {
                    mine.add(code(q));
                    c.addProperty().setCode("parent").setValue(new CodeType(code(q)));
                }
            }
        }
    }

    public static String code(int i) {
        return "k" + i;
    }

    public Set<String> codes() {
        return Collections.unmodifiableSet(parents.keySet());
    }

    /** A ValueSet of one include over this CodeSystem with one filter. */
    public static ValueSet filtered(String id, String property, ValueSet.FilterOperator op, String value) {
        ValueSet vs = new ValueSet();
        vs.setId(id);
        vs.setUrl("http://example.org/fhir/ValueSet/" + id).setVersion("1").setName(id.replace("-", ""))
                .setStatus(PublicationStatus.ACTIVE);
        vs.getCompose().addInclude().setSystem(SYSTEM).addFilter().setProperty(property).setOp(op).setValue(value);
        return vs;
    }

    /**
     * The same CodeSystem with the whole hierarchy stated by nesting, a concept with two parents (and
     * its subtree) under both: the one form HAPI's own is-a walk follows, as this node handed it to
     * HAPI before its own walk (the bench's baseline).
     */
    public CodeSystem nested() {
        Map<String, List<String>> children = new LinkedHashMap<>();
        parents.forEach((c, ps) -> ps.forEach(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(c)));
        CodeSystem copy = codeSystem.copy();
        copy.getConcept().clear();
        copy.addConcept(nest(code(0), children)); // parents have lower numbers: no cycle
        return copy;
    }

    private ConceptDefinitionComponent nest(String code, Map<String, List<String>> children) {
        ConceptDefinitionComponent c = new ConceptDefinitionComponent().setCode(code)
                .setDisplay("Concept " + code.substring(1));
        for (String child : children.getOrDefault(code, List.of())) {
            c.addConcept(nest(child, children));
        }
        return c;
    }
}
