package org.concilium.terminology;

import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code CodeSystem/$lookup} over a stored CodeSystem: name, version, display, designations and
 * properties, with {@code parent} and {@code child} from the hierarchy however the CodeSystem
 * states it (nesting or properties).
 */
public final class ConceptLookup {

    private ConceptLookup() {
    }

    /** {@code version} may be null (the highest stored version). */
    public static Parameters lookup(Terminology terminology, String system, String version, String code) {
        String canonical = version == null ? system : system + "|" + version;
        CodeHierarchy h = terminology.hierarchy(canonical).orElseThrow(() -> TerminologyException.notFound(
                "CodeSystem " + canonical + " is not stored on this node"));
        CodeSystem.ConceptDefinitionComponent concept = h.concept(code).orElseThrow(() -> TerminologyException.notFound(
                "code '" + code + "' is not in CodeSystem " + canonical));
        CodeSystem cs = h.codeSystem();
        Parameters out = new Parameters();
        out.addParameter("name", new StringType(cs.hasName() ? cs.getName() : cs.hasTitle() ? cs.getTitle() : cs.getUrl()));
        if (cs.hasVersion()) {
            out.addParameter("version", new StringType(cs.getVersion()));
        }
        if (concept.hasDisplay()) {
            out.addParameter("display", new StringType(concept.getDisplay()));
        }
        for (var d : concept.getDesignation()) {
            var p = out.addParameter().setName("designation");
            if (d.hasLanguage()) {
                p.addPart().setName("language").setValue(new CodeType(d.getLanguage()));
            }
            if (d.hasUse()) {
                p.addPart().setName("use").setValue(d.getUse());
            }
            p.addPart().setName("value").setValue(new StringType(d.getValue()));
        }
        for (var prop : concept.getProperty()) {
            if (prop.getCode().equals("parent") || prop.getCode().equals("child") || prop.getCode().equals("subsumedBy")) {
                continue; // reported below, from the hierarchy
            }
            var p = out.addParameter().setName("property");
            p.addPart().setName("code").setValue(new CodeType(prop.getCode()));
            if (prop.getValue() != null) {
                p.addPart().setName("value").setValue(prop.getValue().copy());
            }
        }
        h.parents(code).forEach(parent -> relative(out, "parent", parent));
        h.children(code).forEach(child -> relative(out, "child", child));
        return out;
    }

    private static void relative(Parameters out, String kind, String code) {
        var p = out.addParameter().setName("property");
        p.addPart().setName("code").setValue(new CodeType(kind));
        p.addPart().setName("value").setValue(new CodeType(code));
    }
}
