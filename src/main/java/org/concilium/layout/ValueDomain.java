package org.concilium.layout;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.concilium.measure.StratumValue;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * The ordered, finite set of values a stratifier (component) or supplemental-data element can take in a layout.
 * Values outside the domain are counted in the element's "other" bucket.
 *
 * @param source how the domain was determined, e.g. {@code declared}, {@code valueset:<url>},
 *     {@code derived:administrative-gender}, {@code derived:boolean}, {@code none}
 */
public record ValueDomain(List<StratumValue> values, String source) {
    public ValueDomain {
        values = List.copyOf(values);
        Objects.requireNonNull(source, "source");
        Set<String> keys = new HashSet<>();
        for (StratumValue v : values) {
            if (!keys.add(v.key())) throw new LayoutException("duplicate domain value " + v.key() + " (" + source + ")");
        }
    }

    /** Index of the first domain value that matches, or -1 for "other". */
    public int indexOf(CodeableConcept value) {
        if (value == null || OtherBucket.isOther(value)) return -1;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).matches(value)) return i;
        }
        return -1;
    }

    /** Short, unique name of value i for slot names: the code, or system|code when codes collide. */
    public String valueName(int i) {
        StratumValue v = values.get(i);
        long sameCode = values.stream().filter(o -> o.code().equals(v.code())).count();
        return sameCode > 1 ? v.key() : v.code();
    }

    public int size() {
        return values.size();
    }
}
