package org.concilium.measure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Resolves {@code subject} / {@code practitioner} to the patients to evaluate. */
final class SubjectSelection {

    private SubjectSelection() {}

    static List<Resource> patients(EvaluateMeasureCommand command, ClinicalData data) {
        List<Resource> patients;
        String subject = command.subject();
        if (subject == null) {
            patients = data.resources("Patient").toList();
        } else if (subject.startsWith("Patient/")) {
            patients = List.of(data.read("Patient", id(subject)).orElseThrow(() -> MeasureEvaluationException.notFound(
                    "Parameters.parameter.where(name='subject')", "subject " + subject + " not found")));
        } else if (subject.startsWith("Practitioner/")) {
            requirePresent(data, subject);
            patients = ofPractitioners(data, Set.of(id(subject)));
        } else {
            Group group = (Group) data.read("Group", id(subject)).orElseThrow(() -> MeasureEvaluationException.notFound(
                    "Parameters.parameter.where(name='subject')", "subject " + subject + " not found"));
            Set<String> patientIds = new LinkedHashSet<>();
            Set<String> practitionerIds = new LinkedHashSet<>();
            for (var member : group.getMember()) {
                if (member.getInactive()) {
                    continue;
                }
                var ref = member.getEntity().getReferenceElement();
                if ("Practitioner".equals(ref.getResourceType())) {
                    practitionerIds.add(ref.getIdPart());
                } else {
                    patientIds.add(ref.getIdPart());
                }
            }
            patients = new ArrayList<>();
            for (String pid : patientIds) {
                data.read("Patient", pid).ifPresent(patients::add);
            }
            if (!practitionerIds.isEmpty()) {
                patients.addAll(ofPractitioners(data, practitionerIds));
            }
        }
        if (command.practitioner() != null) {
            String pr = id(command.practitioner());
            patients = patients.stream().filter(p -> hasPractitioner((Patient) p, Set.of(pr))).toList();
        }
        return patients;
    }

    private static void requirePresent(ClinicalData data, String ref) {
        if (data.read(ref.substring(0, ref.indexOf('/')), id(ref)).isEmpty()) {
            throw MeasureEvaluationException.notFound("Parameters.parameter.where(name='subject')", "subject " + ref + " not found");
        }
    }

    private static List<Resource> ofPractitioners(ClinicalData data, Set<String> practitionerIds) {
        return data.resources("Patient").filter(p -> hasPractitioner((Patient) p, practitionerIds)).toList();
    }

    private static boolean hasPractitioner(Patient p, Set<String> practitionerIds) {
        for (Reference gp : p.getGeneralPractitioner()) {
            var ref = gp.getReferenceElement();
            if ("Practitioner".equals(ref.getResourceType()) && practitionerIds.contains(ref.getIdPart())) {
                return true;
            }
        }
        return false;
    }

    static String id(String reference) {
        return reference.substring(reference.lastIndexOf('/') + 1);
    }
}
