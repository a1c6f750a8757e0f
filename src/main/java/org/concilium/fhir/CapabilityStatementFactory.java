package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import java.util.List;
import org.concilium.store.SearchParam;
import org.concilium.store.SearchParameterCatalog;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * The CapabilityStatement of /fhir, generated from the same catalog that drives storage and
 * search, so it lists exactly what the node does.
 */
@ApplicationScoped
public class CapabilityStatementFactory {

    /** Type-level operations this server implements, by resource type. */
    static final List<String[]> OPERATIONS = List.<String[]>of(new String[] {"Measure", "evaluate-measure",
            "http://concilium.org/fhir/OperationDefinition/site-evaluate-measure"},
            new String[] {"Measure", "data-requirements", "http://hl7.org/fhir/OperationDefinition/Measure-data-requirements"},
            new String[] {"Measure", "submit-data", "http://hl7.org/fhir/OperationDefinition/Measure-submit-data"},
            new String[] {"Measure", "collect-data", "http://hl7.org/fhir/OperationDefinition/Measure-collect-data"},
            new String[] {"Measure", "care-gaps", "http://hl7.org/fhir/us/davinci-deqm/OperationDefinition/care-gaps"},
            new String[] {"ValueSet", "expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand"},
            new String[] {"ValueSet", "validate-code", "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code"},
            new String[] {"CodeSystem", "lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup"});

    private final CapabilityStatement statement = build();

    public CapabilityStatement get() {
        return statement;
    }

    private static CapabilityStatement build() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE).setDate(new Date())
                .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE)
                .setFhirVersion(Enumerations.FHIRVersion._4_0_1).setPublisher("Concilium");
        cs.getSoftware().setName("Concilium node").setVersion("0.1.0");
        cs.getImplementation().setDescription("A hospital's Concilium node: its own clinical data as FHIR R4");
        cs.addFormat("application/fhir+json").addFormat("application/fhir+xml").addFormat("json").addFormat("xml");
        CapabilityStatementRestComponent rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        // on the rest, not per resource: [type]/$validate takes every R4 type, stored here or not (Bundle, ...)
        rest.addOperation().setName("validate").setDefinition("http://hl7.org/fhir/OperationDefinition/Resource-validate");
        for (String type : SearchParameterCatalog.types()) {
            CapabilityStatementRestResourceComponent r = rest.addResource().setType(type)
                    .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
                    .setReadHistory(true).setUpdateCreate(true).setConditionalCreate(true)
                    .setConditionalUpdate(false)
                    .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
            List<TypeRestfulInteraction> interactions = SearchParameterCatalog.APPEND_ONLY.contains(type)
                    ? List.of(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD,
                            TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.SEARCHTYPE)
                    : List.of(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE,
                            TypeRestfulInteraction.DELETE, TypeRestfulInteraction.HISTORYINSTANCE,
                            TypeRestfulInteraction.CREATE, TypeRestfulInteraction.SEARCHTYPE);
            for (TypeRestfulInteraction i : interactions) {
                r.addInteraction().setCode(i);
            }
            for (SearchParam p : SearchParameterCatalog.params(type)) {
                r.addSearchParam().setName(p.name()).setType(Enumerations.SearchParamType.fromCode(p.type().code()))
                        .setDocumentation(p.description() + " (" + p.expression() + ")");
            }
            for (String[] op : OPERATIONS) {
                if (op[0].equals(type)) {
                    r.addOperation().setName(op[1]).setDefinition(op[2]);
                }
            }
        }
        return cs;
    }
}
