package org.concilium.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.StoredResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * {@code $validate}: validates a resource with the HL7 validator. Conformance resources come from
 * the R4 core specification, every {@code *.json} and {@code *.xml} under {@code concilium.fhir.profiles-dir} (default
 * {@code fhir-profiles}, relative to the working directory) and, when the store supports the type,
 * the StructureDefinitions stored on the node (read at each call, so a newly stored profile counts).
 * Terminology: in-memory (ValueSets with enumerated codes, common code systems); an unknown code
 * system is a warning, not an error, but an unknown code in a known one is an error: a newer edition
 * of an R4 core code system (fhir-profiles/hl7-terminology/) replaces the core one.
 */
@ApplicationScoped
public class ProfileValidator {

    private static final FhirContext FHIR = FhirJson.context();

    @Inject
    ResourceStore store;
    @ConfigProperty(name = "concilium.fhir.profiles-dir", defaultValue = "fhir-profiles")
    String profilesDir;

    private volatile List<IBaseResource> packaged;
    /** The validator and the stored profiles it was built with (rebuilt when those change: building takes seconds). */
    private record Built(String storedKey, FhirValidator validator) {}
    private volatile Built built;
    private final DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(FHIR);

    /** The validator's findings as an OperationOutcome (an "all OK" information issue when there are none). */
    public Uni<OperationOutcome> validate(Resource resource, String profile) {
        return storedProfiles()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(stored -> run(resource, profile, stored));
    }

    private OperationOutcome run(Resource resource, String profile, List<IBaseResource> stored) {
        String key = String.join(",", stored.stream().map(r -> r.getIdElement().getIdPart() + "/"
                + r.getMeta().getVersionId()).toList());
        Built b = built;
        if (b == null || !b.storedKey().equals(key)) {
            synchronized (this) {
                b = built;
                if (b == null || !b.storedKey().equals(key)) {
                    b = new Built(key, validator(stored));
                    built = b;
                }
            }
        }
        ValidationOptions options = new ValidationOptions();
        if (profile != null && !profile.isBlank()) {
            options.addProfile(profile);
        }
        OperationOutcome outcome = (OperationOutcome) b.validator().validateWithResult(resource, options).toOperationOutcome();
        if (outcome.getIssue().isEmpty()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("no issues found");
        }
        return outcome;
    }

    private FhirValidator validator(List<IBaseResource> stored) {
        PrePopulatedValidationSupport local = new PrePopulatedValidationSupport(FHIR);
        packaged().forEach(local::addResource);
        stored.forEach(local::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                local,
                core,
                new SnapshotGeneratingValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(true);
        return FHIR.newValidator().registerValidatorModule(module);
    }

    private Uni<List<IBaseResource>> storedProfiles() {
        if (!SearchParameterCatalog.supports("StructureDefinition")) {
            return Uni.createFrom().item(List.of());
        }
        return store.byType("StructureDefinition", null).map(rows -> {
            List<IBaseResource> out = new ArrayList<>();
            for (StoredResource r : rows) {
                out.add(FhirJson.parse(StructureDefinition.class, r.json()));
            }
            return out;
        });
    }

    /** The conformance resources published with the node, read once. */
    private List<IBaseResource> packaged() {
        List<IBaseResource> p = packaged;
        if (p != null) {
            return p;
        }
        List<IBaseResource> out = new ArrayList<>();
        Path dir = Path.of(profilesDir);
        if (Files.isDirectory(dir)) {
            // sub-folders hold third-party packages kept as published, e.g. davinci-deqm-4.0.0/
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".xml")).sorted().toList()) {
                    // kept in the form they are published in (hl7-terminology/ is XML)
                    var parser = f.toString().endsWith(".xml") ? FHIR.newXmlParser() : FHIR.newJsonParser();
                    out.add(parser.parseResource(Files.readString(f)));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + dir + ": " + e.getMessage(), e);
            }
        }
        packaged = List.copyOf(out);
        return packaged;
    }
}
