package org.concilium.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Quantity;

/**
 * A search parameter's FHIRPath branch that is a plain path ({@code Observation.code},
 * {@code Patient.name.family}, relative {@code code}), optionally cast to one type
 * ({@code (Observation.value as Quantity)}, {@code Condition.onset.as(Age)}), evaluated by walking
 * the parsed resource's children ({@link Base#listChildrenByName}, what the FHIRPath engine itself
 * calls for each name) instead of running the engine: most of the R4 catalog's branches are such
 * paths, and the engine's per-call set-up was most of the indexing time. Anything else
 * ({@code where}, {@code resolve()}, {@code exists()}...) is not a PathWalk ({@link #of} answers
 * null) and stays with FHIRPath. {@code PathWalkTest} checks both give the same rows for every
 * parameter over Synthea and demo resources.
 */
final class PathWalk {

    private static final String PATH = "[A-Za-z][A-Za-z0-9]*(?:\\.[a-z][A-Za-z0-9]*)*";
    private static final Pattern PLAIN = Pattern.compile(PATH);
    private static final Pattern AS_OPERATOR = Pattern.compile("\\((" + PATH + ") as ([A-Za-z]+)\\)");
    private static final Pattern AS_FUNCTION = Pattern.compile("(" + PATH + ")\\.as\\(([A-Za-z]+)\\)");

    /** The type the path starts from (its first segment when capitalised), or null for a relative path. */
    private final String root;
    private final String[] names;
    /** The type a cast keeps, or null. */
    private final String cast;

    private PathWalk(String root, String[] names, String cast) {
        this.root = root;
        this.names = names;
        this.cast = cast;
    }

    /** The walk for one branch (no top-level {@code |}), or null when the branch needs FHIRPath. */
    static PathWalk of(String branch) {
        String path = branch.trim();
        String cast = null;
        Matcher m;
        if ((m = AS_OPERATOR.matcher(path)).matches() || (m = AS_FUNCTION.matcher(path)).matches()) {
            path = m.group(1);
            cast = m.group(2);
        } else if (!PLAIN.matcher(path).matches()) {
            return null;
        }
        String[] segments = path.split("\\.");
        boolean rooted = Character.isUpperCase(segments[0].charAt(0));
        if (rooted && segments.length == 1) {
            return null; // the resource itself: not a search value
        }
        String[] names = new String[rooted ? segments.length - 1 : segments.length];
        System.arraycopy(segments, rooted ? 1 : 0, names, 0, names.length);
        return new PathWalk(rooted ? segments[0] : null, names, cast);
    }

    /**
     * The values the branch selects on {@code focus}, in FHIRPath's order; null when the walk cannot
     * tell what the engine would answer (a quantity subtype under a cast, a model the walk does not know).
     */
    List<IBase> evaluate(IBase focus) {
        if (!(focus instanceof Base start)) {
            return null;
        }
        if (root != null && !root.equals(start.fhirType()) && !(root.equals("Resource") && start.isResource())
                && !(root.equals("DomainResource") && start instanceof org.hl7.fhir.r4.model.DomainResource)) {
            return List.of();
        }
        List<Base> current = List.of(start);
        for (String name : names) {
            List<Base> next = new ArrayList<>();
            for (Base b : current) {
                Base[] children = b.listChildrenByName(name, false);
                if (children != null) {
                    for (Base c : children) {
                        if (c != null) {
                            next.add(c);
                        }
                    }
                }
            }
            if (next.isEmpty()) {
                return List.of();
            }
            current = next;
        }
        List<IBase> out = new ArrayList<>(current.size());
        for (Base b : current) {
            if (cast == null) {
                out.add(b);
            } else if (b instanceof Quantity && !b.getClass().equals(Quantity.class)) {
                return null; // Age, Duration...: whether the engine's cast keeps them is its call
            } else if (cast.equals(b.fhirType())) {
                out.add(b);
            }
        }
        return out;
    }
}
