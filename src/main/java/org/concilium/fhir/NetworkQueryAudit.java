package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.query.NetworkQueryCommand;
import org.concilium.privacy.ledger.PrivacyLedger;
import org.concilium.security.AuditRecord;
import org.concilium.security.AuditTrail;
import org.hl7.fhir.r4.model.MeasureReport;

/**
 * The audit record of a network query this node ran as entry node, written when the query ends
 * (synchronous or `respond-async` alike, failures included): the querier, the measure and period,
 * the entry node, and for a released result the network MeasureReport, the epsilon this query spent
 * of the querier's budget (from this site's privacy ledger; 0 without differential privacy) and the
 * sites that contributed (every member: a missing site fails the query closed). Searchable at
 * /fhir/AuditEvent, e.g. {@code ?entity=MeasureReport/<query id>} or {@code ?altid=<querier>}.
 */
@ApplicationScoped
public class NetworkQueryAudit {

    @Inject
    AuditTrail trail;
    @Inject
    PrivacyLedger ledger;
    @Inject
    NetworkContext context;

    /** Runs the query and records how it ended. Blocking, like the query itself. */
    MeasureReport run(NetworkQueryCommand command, String path, Supplier<MeasureReport> query) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("querier", command.querier());
        details.put("measure", command.measureRef());
        details.put("period", command.period().startText() + ".." + command.period().endText());
        details.put("entry-node", context.require().siteId());
        try {
            MeasureReport report = query.get();
            String queryId = report.getIdElement().getIdPart();
            details.put("epsilon-spent", Double.toString(ledger.epsilonOf(queryId)));
            details.put("contributing-sites", context.require().sites().stream().map(NetworkDescriptor.Site::id)
                    .collect(Collectors.joining(",")));
            trail.record(new AuditRecord(Instant.now(), command.querier(), "operation", "POST", path, "MeasureReport",
                    queryId, null, null, 200, "network query released", details));
            return report;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            trail.record(new AuditRecord(Instant.now(), command.querier(), "operation", "POST", path, null, null, null,
                    null, status, "network query failed, nothing released", details));
            throw e;
        }
    }

    /** The status the client is answered with (FhirErrorMapper), for the audit outcome. */
    private static int statusOf(RuntimeException e) {
        if (e instanceof FhirException f) {
            return f.status();
        }
        if (e instanceof org.concilium.federation.NetworkQueryException n) {
            return n.status();
        }
        if (e instanceof org.concilium.federation.BudgetExhaustedException) {
            return 429;
        }
        if (e instanceof org.concilium.layout.LayoutException) {
            return 422;
        }
        return 503;
    }
}
