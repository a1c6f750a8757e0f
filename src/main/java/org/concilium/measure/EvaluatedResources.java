package org.concilium.measure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;

/**
 * The resources the CQL engine retrieved while it decided a subject's populations (its per-expression
 * evaluated resources), as the {@code Type/id} references an individual report's
 * {@code evaluatedResource} lists, as cqf-fhir-cr's reports do. Thread-safe; one per evaluation.
 */
final class EvaluatedResources {

    private final Set<String> references = new TreeSet<>();

    synchronized void addAll(Set<Object> evaluated) {
        for (Object o : evaluated) {
            if (o instanceof IBaseResource r && r.getIdElement().hasIdPart()) {
                references.add(r.fhirType() + "/" + r.getIdElement().getIdPart());
            }
        }
    }

    synchronized List<Reference> references() {
        return references.stream().map(Reference::new).toList();
    }
}
