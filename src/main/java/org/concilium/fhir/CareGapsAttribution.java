package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who a {@code $care-gaps} run without a subject is about (DEQM: an {@code organization}, or a
 * {@code practitioner} and an {@code organization}): the Patients whose {@code managingOrganization}
 * is the organization and, with a practitioner, whose {@code generalPractitioner} is the practitioner.
 * DEQM leaves attribution to the server; this is the one the R4 Patient resource states. The stock
 * service evaluates one patient at a time, so a run is bounded ({@code max-attributed}): beyond it
 * the caller gets 422 and should page through Groups.
 */
@ApplicationScoped
public class CareGapsAttribution {

    private static final Pattern ORGANIZATION = Pattern.compile("Organization/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern PRACTITIONER = Pattern.compile("Practitioner/[A-Za-z0-9\\-.]{1,64}");

    @Inject
    ResourceStore store;
    @ConfigProperty(name = "concilium.deqm.care-gaps.max-attributed", defaultValue = "1000")
    int max;

    /**
     * Checks the DEQM combination (a subject, or an organization, or a practitioner and an
     * organization); 400 otherwise. True when the run is by attribution.
     */
    static boolean byAttribution(String subject, String organization, String practitioner) {
        if (subject != null && (organization != null || practitioner != null)) {
            throw FhirException.invalid("$care-gaps takes a subject, or an organization, or a practitioner and an"
                    + " organization, not a subject with them", "Parameters.parameter.where(name='subject')");
        }
        if (subject == null && organization == null) {
            throw FhirException.invalid("$care-gaps needs a subject (Patient/[id] or Group/[id]), or an organization,"
                    + " or a practitioner and an organization", "Parameters.parameter.where(name='subject')");
        }
        if (organization != null && !ORGANIZATION.matcher(organization).matches()) {
            throw FhirException.invalid("organization must be Organization/[id], got '" + organization + "'",
                    "Parameters.parameter.where(name='organization')");
        }
        if (practitioner != null && !PRACTITIONER.matcher(practitioner).matches()) {
            throw FhirException.invalid("practitioner must be Practitioner/[id], got '" + practitioner + "'",
                    "Parameters.parameter.where(name='practitioner')");
        }
        return subject == null;
    }

    /**
     * The ids of the attributed Patients. Needs read on the Organization (and Practitioner) and
     * search on Patient; 404 when either is not stored here, 422 beyond the bound.
     */
    Uni<List<String>> patients(Caller c, String organization, String practitioner) {
        c.require("Organization", Interaction.READ);
        c.require("Patient", Interaction.SEARCH);
        if (practitioner != null) {
            c.require("Practitioner", Interaction.READ);
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("organization", List.of(organization));
        if (practitioner != null) {
            params.put("general-practitioner", List.of(practitioner));
        }
        params.put("_count", List.of(String.valueOf(max + 1)));
        Uni<StoredResource> exists = store.read("Organization", organization.substring("Organization/".length()));
        if (practitioner != null) {
            exists = exists.flatMap(x -> store.read("Practitioner", practitioner.substring("Practitioner/".length())));
        }
        return exists.flatMap(x -> store.search(SearchQuery.parse("Patient", params, max + 1, max + 1))).map(page -> {
            if (page.matches().size() > max) {
                throw FhirException.unprocessable("more than " + max + " Patients are attributed to " + organization
                        + (practitioner == null ? "" : " and " + practitioner)
                        + " (concilium.deqm.care-gaps.max-attributed): ask per Group instead",
                        "Parameters.parameter.where(name='organization')");
            }
            return page.matches().stream().map(StoredResource::id).toList();
        });
    }
}
