package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.concilium.measure.deqm.DeqmService;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.SearchParameterCatalog;

/**
 * Read scope for answers derived from a patient's clinical record: a patient-level
 * {@code $evaluate-measure}, {@code $collect-data} and {@code $care-gaps} say which populations a
 * patient is in and list the resources that decided it. They need read on every stored type the
 * measure retrieves, decided from the measure's data requirements <em>before</em> evaluating: a
 * refusal that depended on what the answer happened to hold would tell a client without, say,
 * Encounter scope whether the patient has Encounters (an existence oracle).
 */
@ApplicationScoped
public class MeasureDataScope {

    @Inject
    DeqmService deqm;

    /**
     * 403 unless {@code c} may read every type the named measures retrieve. {@code measureRefs}:
     * ids ({@code Measure/x}) or canonical urls; {@code unresolved}: the request also names measures
     * this check cannot resolve (by identifier), for which every type a patient's record may hold is
     * required.
     */
    public Uni<Void> requireReadOfRetrievedTypes(Caller c, List<String> measureRefs, boolean unresolved) {
        List<Uni<Optional<Set<String>>>> lookups = new ArrayList<>();
        measureRefs.forEach(m -> lookups.add(deqm.retrievedTypes(m)));
        if (unresolved) {
            lookups.add(Uni.createFrom().item(Optional.empty()));
        }
        if (lookups.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(lookups).andFailFast().map(all -> {
            Set<String> needed = new TreeSet<>();
            all.forEach(types -> needed.addAll(types.orElseGet(MeasureDataScope::patientRecordTypes)));
            needed.stream().filter(SearchParameterCatalog::supports).forEach(t -> c.require(t, Interaction.READ));
            return null;
        });
    }

    /** What a measure may retrieve when its data requirements cannot be computed: every type in the Patient compartment. */
    private static Set<String> patientRecordTypes() {
        Collection<String> types = SearchParameterCatalog.types().stream()
                .filter(t -> !t.equals("AuditEvent") && !SearchParameterCatalog.patientCompartment(t).isEmpty())
                .toList();
        return new TreeSet<>(types);
    }
}
