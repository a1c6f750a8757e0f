package org.concilium.bulk;

/**
 * Runs the jobs of one kind ({@link ExportJobs}; fhir/ImportRunner for imports): {@link BulkJobs}
 * hands it a job this replica just took over (its own after a restart, or, for exports, one whose
 * replica's lease lapsed) to run again from its stored request.
 */
public interface BulkRunner {

    BulkJob.Kind kind();

    /** Runs the job again on this replica (in the background); it has been claimed already. */
    void resume(BulkJob job);

    /** The ids of the jobs of this kind running here now. */
    java.util.Set<String> running();

    /** Stops a job running here that was cancelled through another replica (its row says so, or is gone). */
    void stop(String id);
}
