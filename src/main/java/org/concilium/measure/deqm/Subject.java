package org.concilium.measure.deqm;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.regex.Pattern;
import org.concilium.measure.MeasureEvaluationException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/** The {@code subject} of a DEQM operation: {@code Patient/id} or {@code Group/id} (a Group of patients). */
record Subject(String type, String id) {

    private static final Pattern REF = Pattern.compile("(Patient|Group)/([A-Za-z0-9\\-.]{1,64})");

    static Subject parse(String subject) {
        if (subject == null || subject.isBlank()) {
            throw DeqmService.invalid("subject", "subject is required: Patient/[id] or Group/[id]");
        }
        var m = REF.matcher(subject);
        if (!m.matches()) {
            throw DeqmService.invalid("subject", "subject must be Patient/[id] or Group/[id], got '" + subject + "'");
        }
        return new Subject(m.group(1), m.group(2));
    }

    /** 404 when this site stores no such Patient or Group. */
    void requireStored(StoreRepository repository) {
        try {
            repository.read(Resource.class, new IdType(type, id));
        } catch (ResourceNotFoundException e) {
            throw new MeasureEvaluationException(MeasureEvaluationException.Category.NOT_FOUND,
                    "Parameters.parameter.where(name='subject')", type + "/" + id + " is not on this site");
        }
    }
}
