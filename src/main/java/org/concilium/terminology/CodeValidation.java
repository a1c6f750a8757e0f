package org.concilium.terminology;

import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * {@code ValueSet/$validate-code}: is one of the given codings in the value set's expansion, and
 * does its display (when given) match? The answer is R4's {@code result} / {@code message} /
 * {@code display} Parameters; an unknown code is {@code result=false}, not an error.
 */
public final class CodeValidation {

    /** One coding to check: system may be null (then any system with that code matches). */
    public record Candidate(String system, String code, String display) {
    }

    private CodeValidation() {
    }

    public static Parameters validate(Terminology terminology, ValueSet valueSet, List<Candidate> candidates) {
        ValueSet expanded = terminology.expand(valueSet);
        List<ValueSet.ValueSetExpansionContainsComponent> members = Terminology.flatten(expanded.getExpansion().getContains());
        String vs = valueSet.getUrl() == null ? "the value set" : valueSet.getUrl();
        String problem = null;
        for (Candidate c : candidates) {
            var hit = members.stream().filter(m -> c.code().equals(m.getCode())
                    && (c.system() == null || c.system().equals(m.getSystem()))).findFirst();
            if (hit.isEmpty()) {
                problem = "code '" + label(c) + "' is not in " + vs;
                continue;
            }
            String display = display(terminology, hit.get());
            if (c.display() != null && display != null && !c.display().equalsIgnoreCase(display)) {
                problem = "display '" + c.display() + "' for code '" + label(c) + "' should be '" + display + "'";
                continue;
            }
            Parameters out = new Parameters();
            out.addParameter("result", new BooleanType(true));
            if (display != null) {
                out.addParameter("display", new StringType(display));
            }
            return out;
        }
        Parameters out = new Parameters();
        out.addParameter("result", new BooleanType(false));
        out.addParameter("message", new StringType(problem));
        return out;
    }

    /** The display the CodeSystem gives, else the expansion's. */
    private static String display(Terminology terminology, ValueSet.ValueSetExpansionContainsComponent m) {
        return terminology.hierarchy(m.getSystem()).flatMap(h -> h.concept(m.getCode()))
                .map(c -> c.getDisplay()).filter(d -> d != null).orElse(m.getDisplay());
    }

    private static String label(Candidate c) {
        return c.system() == null ? c.code() : c.system() + "|" + c.code();
    }
}
