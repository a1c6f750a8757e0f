package org.concilium.store;

import java.util.List;

/** One parsed search condition. Values within one filter are ORed; filters are ANDed. */
public sealed interface SearchFilter {

    /** {@code name[:modifier]=v1,v2}: values still carry their '|' / '$' escapes. */
    record Param(SearchParam param, String modifier, List<String> values) implements SearchFilter {
    }

    /** {@code ref[:Type].param=...}: resources whose {@code reference} points at a target matching {@code inner}. */
    record Chain(SearchParam reference, List<String> targetTypes, Param inner) implements SearchFilter {
    }

    /** {@code _has:Source:ref:param=...}: resources some {@code sourceType} resource points at through {@code reference}. */
    record Has(String sourceType, SearchParam reference, Param inner) implements SearchFilter {
    }

    /** Patient/[id]/[type]: resources in the Patient's compartment. */
    record InPatientCompartment(String patientId) implements SearchFilter {
    }
}
