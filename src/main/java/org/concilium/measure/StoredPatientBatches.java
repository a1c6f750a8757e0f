package org.concilium.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.store.PatientBatchReader;
import org.concilium.store.ResourceStore;

/**
 * {@link PatientBatches} over the site's PostgreSQL: keyset pages of patients, their resources by
 * subject, restricted in SQL to the codes the retrieves ask for when no retrieve needs the whole type.
 */
public final class StoredPatientBatches implements PatientBatches {

    private final PatientBatchReader reader;
    private final StoredClinicalData knowledge;

    /** One per evaluation (knowledge artifacts are read once per evaluation). */
    public StoredPatientBatches(PatientBatchReader reader, ResourceStore store) {
        this.reader = reader;
        this.knowledge = new StoredClinicalData(new ParsedResourceCache(store));
    }

    @Override
    public ClinicalData knowledge() {
        return knowledge;
    }

    @Override
    public Batch next(String afterId, int size, Map<String, RetrieveNeeds.Need> needs) {
        PatientBatchReader.PatientPage page = reader.patientsAfter(afterId, size);
        Map<String, List<String>> json = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            needs.forEach((type, need) -> json.put(type, about(type, page.ids(), need)));
        }
        return new Batch(page.ids(), page.bodies(), json);
    }

    @Override
    public List<String> about(String type, List<String> patientIds, RetrieveNeeds.Need need) {
        return need.all() ? reader.about(type, patientIds) : reader.aboutWithCodes(type, patientIds, need.codes());
    }
}
