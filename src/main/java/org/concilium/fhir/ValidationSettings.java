package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The node's {@link ValidationPolicy}, from {@code concilium.fhir.validation} (lenient | strict). */
@ApplicationScoped
public class ValidationSettings {

    private final ValidationPolicy policy;

    public ValidationSettings(@ConfigProperty(name = "concilium.fhir.validation", defaultValue = "lenient") String value) {
        this.policy = ValidationPolicy.parse(value);
    }

    public ValidationPolicy policy() {
        return policy;
    }
}
