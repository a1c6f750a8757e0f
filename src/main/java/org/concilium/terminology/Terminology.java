package org.concilium.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport.ValueSetExpansionOutcome;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * Terminology over one view of the site's knowledge ({@link KnowledgeSource}): full expansions of
 * ValueSets, including intensional {@code compose} rules ({@code is-a}, {@code descendent-of},
 * {@code is-not-a}, {@code in}, {@code regex}, {@code =} on properties), through HAPI's
 * {@link InMemoryTerminologyServerValidationSupport} over the stored CodeSystems. One instance per
 * request or evaluation: CodeSystems and expansions are cached for its lifetime only, so a stored
 * change is seen by the next one.
 */
public final class Terminology {

    private final KnowledgeSource source;
    private final ValidationSupportChain chain;
    private final Map<String, Optional<CodeHierarchy>> hierarchies = new ConcurrentHashMap<>();
    private final Map<String, ValueSet> expansions = new ConcurrentHashMap<>();

    public Terminology(FhirContext context, KnowledgeSource source) {
        this.source = source;
        this.chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.disabled(),
                new StoredKnowledgeSupport(context, this), new InMemoryTerminologyServerValidationSupport(context));
    }

    /** The hierarchy of a stored CodeSystem ({@code url} or {@code url|version}). */
    public Optional<CodeHierarchy> hierarchy(String canonical) {
        if (canonical == null) {
            return Optional.empty();
        }
        return hierarchies.computeIfAbsent(canonical, c -> source.codeSystem(c).map(CodeHierarchy::new));
    }

    public Optional<ValueSet> valueSet(String canonical) {
        return source.valueSet(canonical);
    }

    /** A stored ValueSet ready for HAPI: hierarchy and property filters evaluated ({@link ConceptFilters}). */
    Optional<ValueSet> prepared(String canonical) {
        return source.valueSet(canonical).map(this::prepare);
    }

    private ValueSet prepare(ValueSet vs) {
        if (vs.hasExpansion() && vs.getExpansion().hasContains()) {
            return enumerated(vs);
        }
        return ConceptFilters.rewrite(vs, system -> hierarchy(system).orElseThrow(() -> missingCodeSystem(system)));
    }

    /**
     * A ValueSet whose stored expansion is its definition (HAPI expands a nested value set from its
     * compose only): the expansion's codes as an enumerated compose.
     */
    private static ValueSet enumerated(ValueSet vs) {
        ValueSet copy = vs.copy();
        copy.setExpansion(null);
        copy.setCompose(new ValueSet.ValueSetComposeComponent());
        Map<String, ConceptSetComponent> bySystem = new java.util.LinkedHashMap<>();
        for (var c : flatten(vs.getExpansion().getContains())) {
            String key = canonical(c.getSystem(), c.getVersion());
            bySystem.computeIfAbsent(key, k -> copy.getCompose().addInclude().setSystem(c.getSystem())
                    .setVersion(c.getVersion())).addConcept().setCode(c.getCode()).setDisplay(c.getDisplay());
        }
        return copy;
    }

    /** The expansion of a stored ValueSet by canonical; 404-kind when there is none. */
    public ValueSet expand(String canonical) {
        ValueSet vs = source.valueSet(canonical)
                .orElseThrow(() -> TerminologyException.notFound("ValueSet " + canonical + " is not stored on this node"));
        return expansions.computeIfAbsent(canonical, c -> expand(vs));
    }

    /**
     * The whole expansion of a ValueSet (no paging): its stored expansion when it carries one, else
     * its compose evaluated over the site's CodeSystems.
     */
    public ValueSet expand(ValueSet vs) {
        if (vs.hasExpansion() && vs.getExpansion().hasContains()) {
            return vs;
        }
        if (!vs.hasCompose()) {
            throw TerminologyException.invalid("ValueSet " + vs.getUrl() + " has neither an expansion nor a compose");
        }
        requireKnowledge(vs, new HashSet<>());
        ValueSetExpansionOptions options = new ValueSetExpansionOptions().setFailOnMissingCodeSystem(false)
                .setCount(Integer.MAX_VALUE);
        ValueSetExpansionOutcome outcome;
        try {
            outcome = chain.expandValueSet(new ValidationSupportContext(chain), options, prepare(vs));
        } catch (TerminologyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw TerminologyException.invalid("ValueSet " + vs.getUrl() + " cannot be expanded: " + e.getMessage());
        }
        if (outcome == null || outcome.getValueSet() == null) {
            throw TerminologyException.invalid("ValueSet " + vs.getUrl() + " cannot be expanded"
                    + (outcome == null || outcome.getError() == null ? "" : ": " + outcome.getError()));
        }
        ValueSet expanded = (ValueSet) outcome.getValueSet();
        expanded.getExpansion().setTotal(flatten(expanded.getExpansion().getContains()).size());
        return expanded;
    }

    /** Intensional rules need the CodeSystem here, nested value sets must be here: say which is missing. */
    private void requireKnowledge(ValueSet vs, Set<String> visiting) {
        if (!visiting.add(String.valueOf(vs.getUrl()))) {
            return;
        }
        List<ConceptSetComponent> sets = new ArrayList<>(vs.getCompose().getInclude());
        sets.addAll(vs.getCompose().getExclude());
        for (ConceptSetComponent set : sets) {
            boolean intensional = set.hasSystem() && !set.hasConcept();
            if (intensional && hierarchy(canonical(set.getSystem(), set.getVersion())).isEmpty()) {
                throw missingCodeSystem(set.getSystem());
            }
            for (var nested : set.getValueSet()) {
                ValueSet inner = source.valueSet(nested.getValue()).orElseThrow(() -> TerminologyException.notFound(
                        "ValueSet " + nested.getValue() + " (included by " + vs.getUrl() + ") is not stored on this node"));
                if (!inner.hasExpansion()) {
                    requireKnowledge(inner, visiting);
                }
            }
        }
    }

    private static String canonical(String url, String version) {
        return version == null || version.isEmpty() ? url : url + "|" + version;
    }

    private static TerminologyException missingCodeSystem(String system) {
        return TerminologyException.notFound("CodeSystem " + system + " is not stored on this node");
    }

    /** Every coded entry of an expansion, nested {@code contains} flattened, in order. */
    public static List<ValueSetExpansionContainsComponent> flatten(List<ValueSetExpansionContainsComponent> contains) {
        List<ValueSetExpansionContainsComponent> out = new ArrayList<>();
        for (var c : contains) {
            if (c.hasCode()) {
                out.add(c);
            }
            out.addAll(flatten(c.getContains()));
        }
        return out;
    }
}
