package org.concilium.measure;

import java.util.List;
import java.util.Set;
import org.hl7.elm.r1.VersionedIdentifier;

/**
 * What a site found when it checked a package of Measures, Libraries and ValueSets before
 * publication ({@link MeasureService#checkPublication}): the problems that make it refuse the
 * package, and (when there are none) the compiled logic that {@link MeasureService#activatePublication}
 * hands to the evaluator once the package is stored.
 */
public final class PackageCheck {

    /**
     * One reason to refuse: the artifact ({@code Library/id}, {@code Measure/id}), where in it (a CQL
     * line:column in the text, or a FHIRPath of the element), and what is wrong. Built from knowledge
     * artifacts only (see {@link PublicationData}).
     */
    public record Problem(String artifact, String location, String text) {
        @Override
        public String toString() {
            return artifact + (location == null ? "" : " (" + location + ")") + ": " + text;
        }
    }

    private final List<Problem> problems;
    final CqlLibraries compiled;
    final Set<VersionedIdentifier> published;

    PackageCheck(List<Problem> problems, CqlLibraries compiled, Set<VersionedIdentifier> published) {
        this.problems = List.copyOf(problems);
        this.compiled = compiled;
        this.published = Set.copyOf(published);
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean passed() {
        return problems.isEmpty();
    }
}
