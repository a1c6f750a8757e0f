package org.concilium.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The site's CodeSystems and ValueSets as a HAPI validation support: CodeSystems flat
 * ({@link CodeHierarchy#flat()}), ValueSets with their hierarchy and property filters evaluated
 * ({@link ConceptFilters}), so HAPI's in-memory terminology support expands them in linear time.
 */
final class StoredKnowledgeSupport implements IValidationSupport {

    private final FhirContext context;
    private final Terminology terminology;

    StoredKnowledgeSupport(FhirContext context, Terminology terminology) {
        this.context = context;
        this.terminology = terminology;
    }

    @Override
    public FhirContext getFhirContext() {
        return context;
    }

    @Override
    public IBaseResource fetchCodeSystem(String system) {
        return terminology.hierarchy(system).map(CodeHierarchy::flat).orElse(null);
    }

    @Override
    public IBaseResource fetchValueSet(String uri) {
        return terminology.prepared(uri).orElse(null);
    }

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext ctx, String system) {
        return terminology.hierarchy(system).isPresent();
    }

    @Override
    public boolean isValueSetSupported(ValidationSupportContext ctx, String valueSetUrl) {
        return terminology.prepared(valueSetUrl).isPresent();
    }

    @Override
    public String getName() {
        return "concilium-stored-knowledge";
    }
}
