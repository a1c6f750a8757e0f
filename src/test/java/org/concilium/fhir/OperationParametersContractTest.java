package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.junit.jupiter.api.Test;

/** The published OperationDefinition lists exactly the input parameters the node accepts. */
class OperationParametersContractTest {

    @Test
    void siteOperationDefinitionMatchesTheAcceptedParameters() throws Exception {
        OperationDefinition od = FhirJson.parse(OperationDefinition.class,
                Files.readString(Path.of("fhir-profiles/OperationDefinition-site-evaluate-measure.json")));
        Set<String> inputs = od.getParameter().stream()
                .filter(p -> p.getUse() == OperationDefinition.OperationParameterUse.IN)
                .map(OperationDefinition.OperationDefinitionParameterComponent::getName).collect(Collectors.toSet());
        assertThat(inputs).isEqualTo(OperationParameters.SUPPORTED);
        assertThat(od.getUrl()).isEqualTo(CapabilityStatementFactory.OPERATIONS.get(0)[2]);
    }
}
