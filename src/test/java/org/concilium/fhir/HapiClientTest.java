package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * A standard SDK, HAPI's generic client with its default server validation (it reads /metadata), works
 * unchanged once it holds a SMART Backend Services token (HAPI's own bearer-token interceptor).
 */
@QuarkusTest
class HapiClientTest extends FhirTestBase {

    @TestHTTPResource("/fhir")
    URL base;

    @Test
    void createReadSearchAndTransaction() {
        var ctx = FhirJson.context();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.ONCE);
        IGenericClient client = ctx.newRestfulGenericClient(base.toString());
        client.registerInterceptor(new BearerTokenAuthInterceptor(tokens().token()));

        Patient p = new Patient().setGender(Enumerations.AdministrativeGender.FEMALE);
        p.addIdentifier().setSystem("urn:hapi-client").setValue("p-1");
        String id = client.create().resource(p).execute().getId().getIdPart();
        Patient read = client.read().resource(Patient.class).withId(id).execute();
        assertThat(read.getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");

        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:hapi-client", "p-1"))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(id);

        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setSubject(new Reference("Patient/" + id));
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6");
        tx.addEntry().setResource(o).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Bundle response = client.transaction().withBundle(tx).execute();
        assertThat(response.getEntryFirstRep().getResponse().getStatus()).startsWith("201");

        Bundle obs = client.search().forResource(Observation.class)
                .where(Observation.PATIENT.hasId(id)).and(Observation.CODE.exactly().code("8480-6"))
                .returnBundle(Bundle.class).execute();
        assertThat(obs.getTotal()).isEqualTo(1);
    }

    @Test
    void includeChainAndConditionalReferenceThroughTheGenericClient() {
        IGenericClient client = FhirJson.context().newRestfulGenericClient(base.toString());
        client.registerInterceptor(new BearerTokenAuthInterceptor(tokens().token()));
        org.hl7.fhir.r4.model.Practitioner dr = new org.hl7.fhir.r4.model.Practitioner();
        dr.addIdentifier().setSystem("urn:hapi-npi").setValue("hc-1");
        client.create().resource(dr).execute();
        Patient p = new Patient();
        p.addIdentifier().setSystem("urn:hapi-client").setValue("hc-p");
        String pid = client.create().resource(p).execute().getId().getIdPart();

        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setSubject(new Reference("Patient/" + pid))
                .addPerformer(new Reference("Practitioner?identifier=urn:hapi-npi|hc-1"));
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("2345-7");
        tx.addEntry().setResource(o).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        client.transaction().withBundle(tx).execute();

        Bundle chained = client.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty("Patient", Patient.IDENTIFIER.exactly()
                        .systemAndCode("urn:hapi-client", "hc-p")))
                .include(Observation.INCLUDE_PERFORMER).include(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class).execute();
        assertThat(chained.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Observation", "Patient", "Practitioner");
        Observation found = (Observation) chained.getEntry().stream()
                .filter(e -> e.getResource() instanceof Observation).findFirst().orElseThrow().getResource();
        assertThat(found.getPerformerFirstRep().getReference()).startsWith("Practitioner/");
    }
}
