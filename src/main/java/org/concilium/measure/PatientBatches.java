package org.concilium.measure;

import java.util.List;
import java.util.Map;

/**
 * A site's patients as a sequence of batches, for {@link StreamingMeasureEvaluator}: each batch holds
 * the patients and, as unparsed JSON, their resources of the types asked for. Types discovered only
 * while a batch is evaluated are fetched for that batch with {@link #about}. What is fetched of each
 * type follows the evaluation's {@link RetrieveNeeds}: a store pushes the code filters into its query. Implementations must be
 * safe to call from two threads (the reader fetches the next batch while workers evaluate this one).
 */
public interface PatientBatches {

    /** One batch: patients (id order) and, per resource type, the JSON of those patients' resources. */
    record Batch(List<String> patientIds, List<String> patientJson, Map<String, List<String>> json) {
        public boolean isEmpty() {
            return patientIds.isEmpty();
        }

        public String lastId() {
            return patientIds.get(patientIds.size() - 1);
        }
    }

    /** Knowledge artifacts (Measure, Library, ValueSet) and resources outside the Patient compartment. */
    ClinicalData knowledge();

    /**
     * Up to {@code size} patients after {@code afterId} ("" first), with their resources of the types
     * in {@code needs}, each restricted as its {@link RetrieveNeeds.Need} allows (a superset of what
     * the need asks for is fine: the retrieves filter again).
     */
    Batch next(String afterId, int size, Map<String, RetrieveNeeds.Need> needs);

    /** JSON of the resources of {@code type} about these patients, restricted as {@code need} allows. */
    List<String> about(String type, List<String> patientIds, RetrieveNeeds.Need need);
}
