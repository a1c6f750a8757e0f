package org.concilium.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.concilium.security.Scope;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * How a client learns to authenticate (public): {@code .well-known/smart-configuration} on both
 * FHIR bases (served by their resources), and the SMART security block of the CapabilityStatements.
 */
@ApplicationScoped
public class SmartConfiguration {

    static final List<String> SCOPES = List.of("system/*.cruds", "system/*.rs", "system/*.read", "system/*.write",
            "system/Patient.rs", "system/Observation.rs", "system/Measure.rs", "system/MeasureReport.c",
            "system/AuditEvent.rs", Scope.NETWORK_QUERY, Scope.NETWORK_PUBLISH);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokenEndpointUrl tokenUrl;

    Response document(UriInfo uri) {
        ObjectNode doc = JSON.createObjectNode().put("token_endpoint", tokenUrl.of(uri));
        doc.putArray("grant_types_supported").add("client_credentials");
        doc.putArray("token_endpoint_auth_methods_supported").add("private_key_jwt");
        doc.putArray("token_endpoint_auth_signing_alg_values_supported").add("RS384").add("ES384");
        ArrayNode scopes = doc.putArray("scopes_supported");
        SCOPES.forEach(scopes::add);
        doc.putArray("capabilities").add("client-confidential-asymmetric").add("permission-v2").add("permission-v1");
        return Response.ok(doc.toString(), "application/json").build();
    }

    /**
     * The CapabilityStatement's rest.security: the SMART-on-FHIR service code and where the SMART
     * configuration is. No oauth-uris extension: SMART App Launch 2.x declares the endpoints in
     * .well-known/smart-configuration only (the CapabilityStatement mechanism is deprecated), and the
     * extension requires an 'authorize' URL that a Backend Services server has no use for
     * (docs/security.md, "Discovery").
     */
    static void describe(CapabilityStatement.CapabilityStatementRestComponent rest, String fhirBase) {
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
        security.addService(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
        security.setDescription("SMART Backend Services (client_credentials with a private_key_jwt assertion, RS384 or"
                + " ES384); the token endpoint and scopes are in " + fhirBase + "/.well-known/smart-configuration."
                + " Every request but this statement and that document needs a bearer token.");
    }
}
