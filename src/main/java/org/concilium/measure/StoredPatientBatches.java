package org.concilium.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.store.PatientBatchReader;
import org.concilium.store.ResourceStore;

/** {@link PatientBatches} over the site's PostgreSQL: keyset pages of patients, their resources by subject. */
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
    public Batch next(String afterId, int size, Set<String> types) {
        PatientBatchReader.PatientPage page = reader.patientsAfter(afterId, size);
        Map<String, List<String>> json = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            for (String type : types) {
                json.put(type, reader.about(type, page.ids()));
            }
        }
        return new Batch(page.ids(), page.bodies(), json);
    }

    @Override
    public List<String> about(String type, List<String> patientIds) {
        return reader.about(type, patientIds);
    }
}
