package org.concilium.terminology;

import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;

/** Where terminology finds a site's CodeSystems and ValueSets, by canonical ({@code url} or {@code url|version}). */
public interface KnowledgeSource {

    Optional<CodeSystem> codeSystem(String canonical);

    Optional<ValueSet> valueSet(String canonical);
}
