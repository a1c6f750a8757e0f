package org.concilium.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.concilium.bulk.BulkJob;
import org.hl7.fhir.r4.model.OperationOutcome;

/** What the $export and $import status URLs share: a failed job's answer and a finished job's outputs. */
final class BulkStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkStatus() {
    }

    /**
     * A failed job (Bulk Data IG: an error status with an OperationOutcome): 500, since the job, not
     * the request, failed — e.g. the replica holding an import's input did not come back.
     */
    static Response failed(BulkJob job) {
        return FhirResponses.resource(500, OperationOutcomes.error(OperationOutcome.IssueType.EXCEPTION,
                job.failure(), null, UUID.randomUUID().toString()), FhirFormat.JSON);
    }

    /** X-Progress of a job this replica does not run: on another replica, or waiting to be resumed. */
    static String elsewhere(BulkJob job) {
        return job.leaseLapsed() ? "interrupted (replica " + job.replica() + " stopped); it resumes when a replica"
                + " takes it over" : "running on replica " + job.replica()
                + (job.attempts() > 0 ? " (resumed " + job.attempts() + " times)" : "");
    }

    /** The manifest's output entries the job recorded ({type, file, count}). */
    static JsonNode outputs(BulkJob job) {
        try {
            return JSON.readTree(job.outputs());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bulk job " + job.id() + " has unreadable outputs", e);
        }
    }
}
