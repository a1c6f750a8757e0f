package org.concilium.measure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.measure.MeasureModel.Criteria;
import org.concilium.measure.MeasureModel.Language;
import org.hl7.elm.r1.VersionedIdentifier;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.Resource;

/**
 * Checks a package before publication as an evaluation would meet it, without clinical data: every
 * Measure parses into the engine's model, every CQL Library compiles (errors with line and column),
 * every CQL criterion names a definition of the right kind, every FHIRPath criterion parses, and
 * every ValueSet the CQL or the Measure names is in the package or stored here and can be expanded.
 */
final class PackageChecker {

    private static final Pattern MEMBER_OF = Pattern.compile("memberOf\\(\\s*'([^']+)'\\s*\\)");

    private final PublicationData data;
    private final CqlLibraries scratch;
    private final FhirPathSession fhirPath;
    private final List<PackageCheck.Problem> problems = new ArrayList<>();
    /** Value-set canonical -> the artifact that names it (the first one). */
    private final Map<String, String> valueSets = new LinkedHashMap<>();

    private PackageChecker(PublicationData data, CqlLibraries scratch, FhirPathSession fhirPath) {
        this.data = data;
        this.scratch = scratch;
        this.fhirPath = fhirPath;
    }

    /** {@code scratch}: an empty cache the check compiles into (nothing of a refused package reaches the evaluator). */
    static PackageCheck check(List<Resource> published, ClinicalData site, CqlLibraries scratch, FhirPathSession fhirPath) {
        return check(published, site, scratch, fhirPath, true);
    }

    /** {@code valueSets} false: logic only (a Library stored on its own, before the value sets it names). */
    static PackageCheck check(List<Resource> published, ClinicalData site, CqlLibraries scratch, FhirPathSession fhirPath,
            boolean valueSets) {
        PackageChecker c = new PackageChecker(new PublicationData(published, site), scratch, fhirPath);
        Set<VersionedIdentifier> libraries = new HashSet<>();
        for (Resource r : published) {
            if (r instanceof Library l && hasLogic(l)) {
                libraries.add(CqlLibraries.identifier(l));
                c.compile(l, "Library/" + l.getIdElement().getIdPart());
            }
        }
        for (Resource r : published) {
            if (r instanceof Measure m) {
                c.measure(m);
            }
        }
        if (valueSets) {
            c.valueSetsOfLogic();
            c.valueSetsPresent();
        }
        return new PackageCheck(c.problems, scratch, libraries);
    }

    private static boolean hasLogic(Library l) {
        return l.getContent().stream().anyMatch(a -> a.getContentType() != null
                && (a.getContentType().startsWith("text/cql") || a.getContentType().startsWith("application/elm")));
    }

    private CqlLogic compile(Library library, String artifact) {
        try {
            return scratch.load(library, data, artifact);
        } catch (MeasureEvaluationException e) {
            problems.add(new PackageCheck.Problem(artifact, null, e.getMessage()));
            return null;
        }
    }

    private void measure(Measure measure) {
        String artifact = "Measure/" + measure.getIdElement().getIdPart();
        MeasureModel model;
        try {
            model = MeasureModelParser.parse(measure);
        } catch (MeasureEvaluationException e) {
            problems.add(new PackageCheck.Problem(artifact, e.location(), e.getMessage()));
            return;
        }
        if (model.libraryRef() != null && MeasureEvaluator.usesCql(model)) {
            Library library = data.library(model.libraryRef()).orElse(null);
            if (library == null) {
                problems.add(new PackageCheck.Problem(artifact, "Measure.library[0]", "Library " + model.libraryRef()
                        + " is neither in the package nor stored here"));
            } else {
                CqlLogic logic = compile(library, artifact);
                if (logic != null) {
                    try {
                        MeasureEvaluator.checkCriteria(model, logic, new HashSet<>());
                    } catch (MeasureEvaluationException e) {
                        problems.add(new PackageCheck.Problem(artifact, e.location(), e.getMessage()));
                    }
                }
            }
        }
        for (Criteria c : criteria(model)) {
            if (c.language() != Language.FHIRPATH) {
                continue;
            }
            try {
                fhirPath.parse(c.expression(), c.location());
            } catch (MeasureEvaluationException e) {
                problems.add(new PackageCheck.Problem(artifact, e.location(), e.getMessage()));
            }
            Matcher vs = MEMBER_OF.matcher(c.expression());
            while (vs.find()) {
                valueSets.putIfAbsent(vs.group(1), artifact);
            }
        }
        for (RelatedArtifact a : measure.getRelatedArtifact()) {
            if (a.getType() == RelatedArtifact.RelatedArtifactType.DEPENDSON && a.hasResource()
                    && a.getResource().contains("/ValueSet/")) {
                valueSets.putIfAbsent(a.getResource(), artifact);
            }
        }
    }

    private static List<Criteria> criteria(MeasureModel model) {
        List<Criteria> out = new ArrayList<>();
        for (var g : model.groups()) {
            g.populations().forEach(p -> out.add(p.criteria()));
            g.stratifiers().forEach(s -> s.components().forEach(c -> out.add(c.criteria())));
        }
        model.supplementalData().forEach(s -> out.add(s.criteria()));
        return out;
    }

    /** The value sets every compiled library declares ({@code valueset "X": 'url'}). */
    private void valueSetsOfLogic() {
        for (org.hl7.elm.r1.Library elm : scratch.elm()) {
            if (elm == null || elm.getValueSets() == null) {
                continue;
            }
            String artifact = "Library " + (elm.getIdentifier() == null ? "?" : elm.getIdentifier().getId());
            elm.getValueSets().getDef().forEach(def -> valueSets.putIfAbsent(def.getId(), artifact));
        }
    }

    private void valueSetsPresent() {
        ValueSetMembership membership = new ValueSetMembership(data);
        valueSets.forEach((url, artifact) -> {
            try {
                membership.members(url);
            } catch (MeasureEvaluationException e) {
                problems.add(new PackageCheck.Problem(artifact, null, e.getMessage()));
            }
        });
    }
}
