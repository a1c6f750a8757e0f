package org.concilium.measure;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one patient contributes to a report, after the CQF set rules: per group the members of each
 * population (keys {@code Patient/id} for boolean basis, {@code Type/id} for resource basis), the
 * observations per member, and the stratum each member falls into.
 */
record SubjectOutcome(String patientId, List<GroupOutcome> groups, List<List<StratumValue>> supplemental) {

    /**
     * @param members per population index, the member keys
     * @param observations per population index of a measure-observation, member key to value
     * @param strata per stratifier index
     */
    record GroupOutcome(List<Set<String>> members, Map<Integer, Map<String, Double>> observations,
            List<StratifierOutcome> strata) {}

    /** A stratum is the list of component values; {@code error} set when the stratifier failed for this patient. */
    record StratifierOutcome(List<List<StratumValue>> patientLevel, Map<String, List<List<StratumValue>>> perMember,
            String error) {

        static StratifierOutcome failed(String error) {
            return new StratifierOutcome(null, null, error);
        }

        List<List<StratumValue>> strataOf(String member) {
            if (perMember != null) {
                return perMember.getOrDefault(member, List.of());
            }
            return patientLevel == null ? List.of() : patientLevel;
        }
    }
}
